"""Property tests of the chunker: no word lost, passages bounded by max_words."""
from __future__ import annotations

from collections import Counter

from hypothesis import given, settings as hsettings, strategies as st

from assistant.ingest.readers import Page, Paragraph, SourceDocument
from assistant.ingest.chunking import to_passages
from assistant.config import ChunkSettings

# No c, e, f, g, l, n, o, p, t, v, x: no word can end like an abbreviation (« p. », « etc. »).
_word = st.text(alphabet="abdhikmqruwyz", min_size=1, max_size=7)


@st.composite
def _document(draw):
    counter = 0
    paragraphs = []
    long_sentences = set()
    for _ in range(draw(st.integers(1, 8))):
        sentences = []
        for _ in range(draw(st.integers(1, 5))):
            counter += 1
            words = [f"Mot{counter}"] + draw(st.lists(_word, max_size=25))
            sentences.append(" ".join(words) + ".")
        paragraphs.append(Paragraph(" ".join(sentences), draw(st.sampled_from(["", "", "Section A"]))))
        long_sentences.update(sentences)
    return SourceDocument("doc.txt", "text", "Titre", [Page(None, paragraphs)]), long_sentences


def _words(document: SourceDocument) -> Counter:
    return Counter(w for page in document.pages for p in page.paragraphs for w in p.text.split())


@hsettings(max_examples=150, deadline=None)
@given(_document(), st.integers(3, 40), st.integers(0, 30))
def test_chunker_never_loses_words(doc, max_words, min_words):
    document, _ = doc
    nodes = to_passages(document, ChunkSettings(max_words=max_words, min_words=min_words))
    assert Counter(w for n in nodes for w in n.text.split()) == _words(document)


@hsettings(max_examples=150, deadline=None)
@given(_document(), st.integers(3, 40))
def test_chunker_respects_max_words_unless_single_long_sentence(doc, max_words):
    document, sentences = doc
    nodes = to_passages(document, ChunkSettings(max_words=max_words, min_words=0))
    for node in nodes:
        n = len(node.text.split())
        assert n <= max_words or (node.text in sentences and n > max_words), node.text


@hsettings(max_examples=100, deadline=None)
@given(_document(), st.integers(10, 40), st.integers(1, 10))
def test_chunker_overshoot_bounded_by_min_words(doc, max_words, min_words):
    """Merging a fragment shorter than min_words may exceed max_words, by less than min_words."""
    document, sentences = doc
    nodes = to_passages(document, ChunkSettings(max_words=max_words, min_words=min_words))
    for node in nodes:
        if any(len(s.split()) > max_words for s in sentences if s in node.text):
            continue
        assert len(node.text.split()) <= max_words + min_words - 1, node.text
