// Body of js_on_load for the conversation and the evidence panel (Gradio gives `element` and
// `trigger`): clicks become one Gradio event carrying the element's data-* attributes; the
// comment typed next to a feedback button travels with it.
const send = (el) => {
  const d = el.dataset;
  const payload = {action: d.action, turn: Number(d.turn), passage: d.passage || '', useful: d.useful === '1'};
  if (d.action === 'feedback') {
    const box = el.closest('.feedback');
    const input = box ? box.querySelector('.comment') : null;
    payload.comment = input ? input.value : '';
    if (box) box.querySelectorAll('button').forEach((b) => { b.disabled = true; });
  } else {
    element.querySelectorAll('.selected').forEach((x) => x.classList.remove('selected'));
    el.classList.add('selected');
  }
  trigger('click', payload);
};
element.addEventListener('click', (e) => {
  const el = e.target.closest('[data-action]');
  if (el && element.contains(el)) { e.preventDefault(); send(el); }
});
element.addEventListener('keydown', (e) => {
  if ((e.key === 'Enter' || e.key === ' ') && e.target.matches('[role=button][data-action]')) {
    e.preventDefault(); send(e.target);
  }
});
