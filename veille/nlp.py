"""The spaCy models, loaded once per process and only when an article needs one."""
from __future__ import annotations

import re
from functools import lru_cache

from veille.errors import VeilleError


SENTENCE_END = (".", "!", "?", "…")
CLOSERS = ("»", "”", '"', ")", "]")


def _may_end_sentence(doc, i: int) -> bool:
    """Whether token i may close a sentence: final punctuation, or a quote or bracket right after one."""
    text = doc[i].text
    if text.endswith(SENTENCE_END):
        return True
    return text in CLOSERS and i > 0 and doc[i - 1].text.endswith(SENTENCE_END)


DATELINE_DASHES = ("-", "–", "—")
DATELINE_TOKENS = 24     # how far into a paragraph a dateline may run


def _dateline_end(doc, first: int) -> int | None:
    """The dash that closes a dispatch's dateline at the head of a paragraph ("NAIROBI (Kenya),
    3 mai (Reuters) - Le président kényan a reçu ..."), or None. A dateline opens with
    a place in capitals or closes with an agency in brackets; parsed with the sentence it heads,
    it takes the sentence's subject and verb apart."""
    if first >= len(doc):
        return None
    capitals = doc[first].text.isupper() and len(doc[first].text) >= 3
    for j in range(first + 1, min(first + DATELINE_TOKENS, len(doc) - 1)):
        token = doc[j]
        if "\n" in token.text or token.text.endswith(SENTENCE_END):
            return None
        if token.text in DATELINE_DASHES and token.whitespace_ and (capitals or doc[j - 1].text == ")"):
            return j
    return None


def paragraph_breaks(doc):
    """Sentence boundaries the parser must respect.

    A line break always starts a sentence: paragraphs never share one. Inside a
    line, a sentence can only start after final punctuation: the parser would
    otherwise cut "Moscou et Pékin ont signé" after "Moscou" now and then, and
    every layer that reads clauses would lose the subject.
    """
    import numpy
    from spacy.attrs import SENT_START

    starts = numpy.zeros((len(doc), 1), dtype="int64")   # 1 starts, -1 does not, 0: the parser decides
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
            starts[token.i, 0] = 1
        elif not token.is_space and not previous.is_space and (
                not _may_end_sentence(doc, token.i - 1) or token.text in CLOSERS + (",", ";", ":", ".")):
            starts[token.i, 0] = -1
    for first in [0] + [t.i for t in doc[1:] if starts[t.i, 0] == 1]:
        end = _dateline_end(doc, first)
        if end is not None and end + 1 < len(doc):
            starts[end + 1, 0] = 1
    if len(doc):
        starts[0, 0] = 1
        # one call: setting Token.is_sent_start token by token checks the whole doc each time
        doc.from_array([SENT_START], starts.view("uint64"))
    return doc


# A run of this many non-space characters is no word of news: a pasted key, an encoded blob,
# a line of dashes. spaCy's tokenizer peels affixes one at a time from such a run, which costs
# the square of its length ("," * 10000 takes seconds); veille reads it as one token instead.
MAX_WORD_CHARS = 120
_LONG_RUN = re.compile(r"\S{%d,}" % (MAX_WORD_CHARS + 1))


class RunSafeTokenizer:
    """spaCy's tokenizer, except that a run of over MAX_WORD_CHARS non-space characters is one
    token. The doc's text is the input text, character for character."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text: str):
        runs = [m.span() for m in _LONG_RUN.finditer(text)]
        if not runs:
            return self.tokenizer(text)
        from spacy.tokens import Doc

        masked = list(text)
        for s, e in runs:
            masked[s:e] = "x" * (e - s)
        doc = self.tokenizer("".join(masked))
        words = [text[t.idx:t.idx + len(t.text)] for t in doc]
        return Doc(doc.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc])

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def __getattr__(self, name):          # rules, vocab, to_disk...: the wrapped tokenizer's
        return getattr(self.tokenizer, name)


@lru_cache(maxsize=4)
def load_model(name: str):
    """The installed spaCy pipeline `name` (a package on PyPI, never a hub download).

    A component before the parser makes line breaks sentence boundaries, which
    the parser then respects.
    """
    import spacy
    from spacy.language import Language

    if "veille_paragraph_breaks" not in Language.factories:
        Language.component("veille_paragraph_breaks")(paragraph_breaks)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise VeilleError(f"spaCy model {name!r} is not installed: install it with "
                          f"`pip install {name.replace('_', '-')}` (the README's set-up does)") from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("veille_paragraph_breaks", before="parser")
    nlp.tokenizer = RunSafeTokenizer(nlp.tokenizer)
    return nlp
