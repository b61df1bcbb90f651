"""One view of an article, built once and read by every extraction layer.

    view = article_view(text, doc, lang)     # doc: the spaCy parse, or None
    view.folded                              # veille.text.fold(text): offsets carry over
    view.sentences                           # ((start, end), ...): the article's sentences
    view.numbers                             # every number expression (numbers.find_numbers)

Each layer used to find these on its own; now the pipeline builds the view and passes it to
`extract_entities`, `extract_timexes`, `extract_measurements` and `extract_events`, and a layer
called on plain text builds what it needs of it on the fly.

The sentences are the parser's, trimmed and cut at line breaks (a paragraph never continues a
sentence), mended where the parser cut inside a compound or after a number ("machines-" /
"-outils", "240,11" / "Mds $") and cut at a full stop it missed ("... des Su-35S. Selon ...");
with no parse, a crude splitter stands in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

from veille.extract.numbers import Number, number_language, numbers_in
from veille.language import Language, default
from veille.text import fold, folded_words

Span = tuple[int, int]

# with no parse: a cut after final punctuation before a capital, and at every line break
SENT_SPLIT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý«\"“])|\n+")
FULL_STOP_RE = re.compile(r"(?<![^\s.!?…])(?P<word>[^\s.!?…]+)[.!?…]+[\"”»)]*\s+(?=[«\"“]?\s*[A-ZÀ-Ý])")


@dataclass(frozen=True)
class ArticleView:
    """An article's text as every layer reads it."""

    text: str
    folded: str                       # fold(text), same length
    sentences: tuple[Span, ...]       # in text order, not overlapping
    doc: Any                          # the spaCy Doc (tokens, parse), None for plain text
    numbers: tuple[Number, ...]       # in text order
    lang: Language


def article_view(text: str, doc=None, lang: Language | None = None,
                 sentences: Sequence[Span] | None = None) -> ArticleView:
    """The view of `text` read in `lang` (French when None), from its parse `doc`; `sentences`
    gives the parser's sentence spans of a caller that has them but no doc."""
    lang = lang or default()
    folded = fold(text)
    parsed = [(s.start_char, s.end_char) for s in doc.sents] if doc is not None else list(sentences or ())
    numbers = numbers_in(number_language(lang), text, folded) if text else []
    return ArticleView(text, folded, tuple(article_sentences(text, parsed, _abbreviations(lang))), doc,
                       tuple(numbers), lang)


def _abbreviations(lang: Language) -> frozenset[str]:
    """The folded abbreviations of `lang` that a full stop does not end a sentence after ("M.",
    "MM."); kept with the figure words of its bundle (`figures.yaml`), built once per bundle."""
    return lang.cached("view.abbreviations", lambda bundle: folded_words(bundle.data("figures")["abbreviations"]))


def article_sentences(text: str, sentences: Sequence[Span], abbreviations: frozenset[str]) -> list[Span]:
    """The given sentences, trimmed and cut at line breaks (a paragraph never continues a sentence)."""
    spans = []
    for s, e in sorted((max(0, int(s)), min(len(text), int(e))) for s, e in sentences):
        for m in re.finditer(r"[^\n]+", text[s:e]):
            a, b = s + m.start(), s + m.end()
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if b > a and (not spans or a >= spans[-1][1]):
                spans.append((a, b))
    merged: list[Span] = []
    for a, b in spans:     # a parser's cut inside "machines-outils", "Chine-Europe" or "240,11 Mds $"
        if merged and "\n" not in text[merged[-1][1]:a] and text[merged[-1][1] - 1] not in ".!?…»\"”":
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    if merged:
        return [piece for a, b in merged for piece in _split_missed(text, a, b, abbreviations)]
    out, pos = [], 0
    for m in SENT_SPLIT_RE.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out or [(0, len(text))]


def _split_missed(text: str, a: int, b: int, abbreviations: frozenset[str]) -> list[Span]:
    """A sentence cut where the parser missed a full stop: "... des Su-35S. Selon Moscou, ..."
    (never after an abbreviation or an initial: "M. Poutine", "MM. Xi et Poutine")."""
    out = []
    for m in FULL_STOP_RE.finditer(text, a, b):
        word = m.group("word").strip("-'(\"«")
        if not (fold(word) in abbreviations or len(word) == 1 and word.isalpha()):
            cut = m.end()
            end = m.start("word") + len(m.group().rstrip())
            if end > a:
                out.append((a, end))
                a = cut
    out.append((a, b))
    return out
