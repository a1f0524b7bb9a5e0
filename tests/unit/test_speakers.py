"""A quote cut from its attribution by the chunker still backs an answer naming who said it."""
from __future__ import annotations

from assistant.domain import Evidence, Passage
from assistant.rag.citations import cite
from assistant.rag.speakers import quote_speaker

_TEXTS = ["Les moins aguerris adhèrent aussi. “ Appliqué à mon niveau, ce sera du RCA (Root Cause Analyse).",
          "Ce sera la résolution d'incident, avoir une pré-analyse de l'incident par rapport à des métriques.",
          "— Ingénieur de production cloud - Entreprise de services du numérique "
          "“ Je l'utilise dans mon travail.",
          "“ Nous avons mis en place des outils de recherche automatique.",
          "— Expert émérite - Safran Aircraft Engines"]
_PASSAGES = [Passage(f"p{n}", text, "etude.pdf", "etude", 22, position=n) for n, text in enumerate(_TEXTS)]


def _following(passage: Passage) -> Passage | None:
    return _PASSAGES[passage.position + 1] if passage.position + 1 < len(_PASSAGES) else None


def test_a_quote_is_attributed_to_the_speaker_named_after_it_passages_later():
    assert quote_speaker(_PASSAGES[0], _following).startswith("Ingénieur de production cloud")
    assert quote_speaker(_PASSAGES[1], _following).startswith("Ingénieur de production cloud")
    assert quote_speaker(_PASSAGES[3], _following) == "Expert émérite - Safran Aircraft Engines"
    # the next speaker's quote begins before any attribution: not this passage's
    assert quote_speaker(_PASSAGES[2], _following) == ""
    assert quote_speaker(_PASSAGES[4], _following) == ""


def test_an_answer_naming_the_speaker_of_a_cut_quote_is_sourced():
    """Tuning q097: the right answer was removed, its passage holding « RCA » and not who said it."""
    answer = "Le sigle RCA évoqué par l'ingénieur de production cloud signifie « Root Cause Analyse » [1]."
    alone = [Evidence(1, _PASSAGES[0], _TEXTS[0])]
    attributed = [Evidence(1, _PASSAGES[0], _TEXTS[0], speaker=quote_speaker(_PASSAGES[0], _following))]
    assert not cite(answer, alone, drop_unsupported=True).text
    assert "Root Cause Analyse" in cite(answer, attributed, drop_unsupported=True).text
    invented = ("Le sigle RCA évoqué par l'ingénieur de production cloud signifie "
                "« Real-time Control Analysis » [1].")
    assert not cite(invented, attributed, drop_unsupported=True).text


def test_the_speaker_backs_an_answer_s_words_not_a_name_the_cited_passage_lacks():
    """The reader opens the cited passage, which does not show the attribution: a name taken from
    it (held-out: « Lab-STICC ») would be shown as sourced by a passage that does not hold it."""
    quoted = [Evidence(1, _PASSAGES[3], _TEXTS[3], speaker=quote_speaker(_PASSAGES[3], _following))]
    words = cite("L'expert émérite a mis en place des outils de recherche automatique [1].", quoted,
                 drop_unsupported=True)
    name = cite("Chez Safran Aircraft Engines, l'expert émérite a mis en place des outils [1].", quoted,
                drop_unsupported=True)
    assert words.text and not words.removed
    assert not name.text and name.removed
