"""The spaCy models, loaded once per process and only when an article needs one."""
from __future__ import annotations

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


def paragraph_breaks(doc):
    """Sentence boundaries the parser must respect.

    A line break always starts a sentence: paragraphs never share one. Inside a
    line, a sentence can only start after final punctuation: the parser would
    otherwise cut "Moscou et Pékin ont signé" after "Moscou" now and then, and
    every layer that reads clauses would lose the subject.
    """
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
            token.is_sent_start = True
        elif not token.is_space and not previous.is_space and (
                not _may_end_sentence(doc, token.i - 1) or token.text in CLOSERS + (",", ";", ":", ".")):
            token.is_sent_start = False
    return doc


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
    return nlp
