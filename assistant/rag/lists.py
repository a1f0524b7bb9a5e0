"""Lists in the evidence: a list is the answer to a question asking for several things, and the
commonest wrong list answers are a list cut to its first line, or completed from a neighbouring one.
So a chosen lead-in brings its items, and a list the chunker cut is read on into the next passages.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from assistant.domain import Evidence, Passage, RetrievedPassage
from assistant.text.sentences import SHOWN_WORDS, statements, word_count


Following = Callable[[Passage], "Passage | None"]  # the next passage of a document (`PassageStore.following`)


def list_items(parts: list[str], lead: int) -> list[int]:
    """The items that follow a lead-in (« … en trois volets : »): a list cut to its first line, or
    to the items of a neighbouring list, is the commonest wrong list answer."""
    if not parts[lead].rstrip().endswith(":"):
        return []
    items = []
    for j in range(lead + 1, min(len(parts), lead + 9)):
        if parts[j].rstrip().endswith(":"):
            break
        items.append(j)
    return items


# A list item as the splitter leaves it: a bullet or a letter (« - a) … », « • … », « b) … »), or the
# lower-case continuation of an enumeration (« d'améliorer la qualité … »).
_ITEM = re.compile(r"^\s*(?:[-•*▪■→–]\s|[a-z]{1,3}\)\s|[a-zà-ÿ])")


def trailing_list(parts: list[str], continuing: bool = False) -> list[int]:
    """The lead-in and items of a list that closes the text (« … afin : », « - d'optimiser … »): the
    chunker may have put the rest of its items in the next passage. Empty when no list closes it.
    A text `continuing` a list, all of it items, is that list's middle: all of it."""
    last = len(parts) - 1
    start = last
    while start >= 0 and _ITEM.match(parts[start]) and not parts[start].rstrip().endswith(":"):
        start -= 1
    if start < 0 and continuing and len({_marker(part) for part in parts}) == 1:  # one list's items only
        return list(range(len(parts)))
    return list(range(start, last + 1)) if start >= 0 and parts[start].rstrip().endswith(":") else []


def _marker(part: str) -> str:
    """How an item is marked: « a) », « 49) », a bare bullet, or a lower-case continuation."""
    bare = re.sub(r"^\s*[-•*▪■→–]\s+", "", part)
    return "letter" if re.match(r"[a-z]{1,3}\)", bare) else "number" if re.match(r"\d+[.)]", bare) else \
        "bullet" if bare != part else "lower"


def leading_items(parts: list[str]) -> list[int]:
    """The list items a text opens on, marked alike (the end of a list begun in the passage
    before; « • 50) » after « • d) » is the next definition, not the list's fifth item)."""
    items: list[int] = []
    for j, part in enumerate(parts[:12]):
        if not _ITEM.match(part) or part.rstrip().endswith(":") or (items and _marker(part) != _marker(parts[0])):
            break
        items.append(j)
    return items


def list_sequel(passage: Passage, following: Following) -> str:
    """The items of the list the passage closes on that the next passage holds, "" when none."""
    if not trailing_list(statements(passage.text)):
        return ""
    after = following(passage)
    parts = statements(after.text) if after is not None else []
    return "\n".join(parts[j] for j in leading_items(parts))


_FOLLOWED = 3  # passages a list may be read on into, at most


def continued(passages: list[RetrievedPassage], following: Following) -> tuple[list[RetrievedPassage], dict[int, int]]:
    """The passages and, after them, the next passage of a document for each whose closing list
    goes on there (unless already retrieved); and which passage continues which (by index)."""
    out = list(passages)
    index = {found.passage.id: n for n, found in enumerate(out)}
    continues: dict[int, int] = {}
    n = 0
    while n < min(len(out), len(passages) + _FOLLOWED):  # a passage read on into may go on in turn
        found = out[n]
        n += 1
        closes = bool(trailing_list(statements(found.passage.text), n - 1 in continues.values()))
        after = following(found.passage) if closes or n - 1 < len(passages) else None
        opening = statements(after.text) if after is not None else []
        if not (leading_items(opening) if closes else introduces(opening)):
            continue
        if after.id not in index:
            index[after.id] = len(out)
            out.append(RetrievedPassage(after, found.score))
        continues[n - 1] = index[after.id]
    return out, continues


def _add(chosen: dict[int, list[int]], passage: int, more: list[int], parts: list[str], used: int, limit: int) -> int:
    """`more` statements of a passage added after its chosen ones while the words shown stay within
    `limit`; returns the words shown."""
    for j in more:
        words = min(word_count(parts[j]), SHOWN_WORDS)
        if j in chosen.get(passage, []) or used + words > limit:
            continue
        chosen.setdefault(passage, []).append(j)
        used += words
    return used


def introduces(parts: list[str]) -> bool:
    """A text opening on a list's lead-in and items: the list the paragraph before it goes on to give
    (article 6: « 3. Par dérogation … » ends a passage, « Le premier alinéa s'applique lorsqu'une des
    conditions suivantes est remplie: a) … » opens the next, which the question's words miss)."""
    return len(parts) > 1 and bool(list_items(parts, 0)) and bool(_ITEM.match(parts[1]))


def whole_list(parts: list[list[str]], chosen: dict[int, list[int]], continues: dict[int, int], budget: int,
                used: int) -> dict[int, list[int]]:
    """A chosen sentence of a list the next passage goes on with brings the whole list: its lead-in
    and items here, and the items there (one item read alone was answered as the whole list, or
    completed from a neighbouring one), within 1.5 times the `budget` of words. A chosen lead-in's
    list is read on through each passage it goes on into, within twice the budget: that list is the
    answer (the study's five concerns of executives span three passages)."""
    middles = set(continues.values())
    led: set[int] = set()  # passages a chosen lead-in's list goes on into
    for i, k in continues.items():
        span = trailing_list(parts[i], i in middles)
        if not span:  # the next passage opens on the list this one's closing paragraph announces
            if len(parts[i]) - 1 in chosen.get(i, []):
                led.add(k)
                used = _add(chosen, k, [0, *list_items(parts[k], 0)], parts[k], used, budget * 2)
                chosen[k] = sorted(chosen.get(k, []))  # none when the budget is spent
            continue
        opens = parts[i][span[0]].rstrip().endswith(":")
        if not set(chosen.get(i, [])) & set(span) or (i in middles and not opens and i not in led):
            continue
        if i in led or (opens and span[0] in chosen[i]):
            led.add(k)
        limit = budget * 2 if k in led else budget * 3 // 2
        for passage, more in ((i, span), (k, leading_items(parts[k]))):
            used = _add(chosen, passage, more, parts[passage], used, limit)
        chosen[k] = sorted(chosen.get(k, []))  # the rest of the list in its order
    chosen = {n: picked for n, picked in chosen.items() if picked}
    order: list[int] = []
    for start in (i for i in chosen if i not in middles):  # each list in reading order, passage by passage
        n: int | None = start
        while n is not None and n in chosen and n not in order:
            order.append(n)
            n = continues.get(n)
    return {n: chosen[n] for n in dict.fromkeys(order + list(chosen))}


def with_list(parts: list[str], chosen: list[int], budget: int, used: int) -> list[int]:
    """The chosen sentences and the items of any chosen lead-in, within `budget` words."""
    out = list(chosen)
    for i in chosen:
        for j in list_items(parts, i):
            words = word_count(parts[j])
            if used + words > budget:
                break
            if j not in out:
                out.append(j)
                used += words
    return out


def _run(parts: list[str], at: int) -> list[int]:
    """The items marked like the one `at` (« ■ », « • b) ») on either side of it, up to a lead-in."""
    marker = _marker(parts[at])
    alike = [marker != "lower" and _ITEM.match(part) is not None and not part.rstrip().endswith(":")
             and _marker(part) == marker for part in parts]
    start, end = at, at
    while start > 0 and alike[start - 1]:
        start -= 1
    while end + 1 < len(parts) and alike[end + 1]:
        end += 1
    return list(range(start, end + 1)) if alike[at] else []


def with_siblings(parts: list[str], chosen: list[int], budget: int, used: int) -> list[int]:
    """The chosen sentences and, for each chosen list item, the items marked alike around it, within
    `budget` words: a table cell's bullets have no lead-in to bring them (« Production, maintenance
    et logistique ■ Améliore … ■ Réduit … ■ Optimise … »), and asked for the impacts it lists, the
    model named the one bullet it was shown (tuning q077)."""
    out = list(chosen)
    for j in chosen:
        for k in _run(parts, j):
            words = word_count(parts[k])
            if k in out or used + words > budget:
                continue
            out.append(k)
            used += words
    return out


# A lead-in: a statement ending on a colon, or whose colon the list's first item follows.
_OPENS = re.compile(r":\s*(?:$|[-•*▪■→–]\s|[a-z]{1,3}\)\s)")
_LIST_WORDS = 250  # a quoted list stops there: longer, it is a text to open, not an answer


def list_quote(sentence: str, item: Evidence, evidence: list[Evidence]) -> list[tuple[str, Evidence]]:
    """The list a lead-in `sentence` opens, as the evidence's passages hold it: the sentence and its
    items in its passage, then the items of each evidence passage the list goes on into (next in
    the document, opening on items marked alike), a (text, evidence) piece each. Only the sentence
    when it opens no list. The model keeps two items of five; quoted, the list is whole."""
    return _quoted_list(sentence, item, evidence)[0]


def unfinished(pieces: list[tuple[str, Evidence]]) -> bool:
    """A quote that is a lead-in alone (« … des personnes, qui: »): its items were not found to quote."""
    return len(pieces) == 1 and _lead_in(statements(pieces[0][1].passage.text), pieces[0][0]) is not None


def opens_list(sentence: str, item: Evidence, evidence: list[Evidence]) -> bool:
    """Whether the sentence is the lead-in of a list of two items or more, one item a line."""
    return _quoted_list(sentence, item, evidence)[1] >= 2


def _lead_in(parts: list[str], sentence: str) -> int | None:
    """Where the sentence stands among its passage's statements, when it closes on a list's colon."""
    at = next((j for j, part in enumerate(parts) if part.strip(" •").startswith(sentence[:60])), None)
    return at if at is not None and _OPENS.search(parts[at]) else None


def _quoted_list(sentence: str, item: Evidence, evidence: list[Evidence]) -> tuple[list[tuple[str, Evidence]], int]:
    """`list_quote`'s pieces, and how many items they hold."""
    parts = statements(item.passage.text)
    at = _lead_in(parts, sentence)
    if at is None:
        return [(sentence, item)], 0
    pieces, used, marker, count = [], word_count(sentence), None, 0
    texts, run, current = [sentence], [at + 1 + j for j in leading_items(parts[at + 1:])], item
    for _ in range(_FOLLOWED + 1):
        for j in (j for j in run if parts[j].strip().rstrip(".;: ") not in sentence):  # not said twice
            marker = marker or _marker(parts[j])
            used += word_count(parts[j])
            if used > _LIST_WORDS:
                return [*pieces, (" ".join([*texts, "…"]), current)], count
            texts.append(parts[j].strip())
            count += 1
        if texts:
            pieces.append((" ".join(texts), current))
        if (run[-1] if run else at) != len(parts) - 1:  # the list ends in this passage
            break
        after = next((e for e in evidence if e.passage.document == current.passage.document
                      and e.passage.position == current.passage.position + 1), None)
        if after is None:
            break
        parts, current, texts, at = statements(after.passage.text), after, [], -1
        run = leading_items(parts)
        if not run or (marker and _marker(parts[0]) != marker):
            break
    return pieces, count
