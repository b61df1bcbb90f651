"""The spaCy models, loaded once per process and only when an article needs one."""
from __future__ import annotations

from functools import lru_cache

from veille.errors import VeilleError


def paragraph_breaks(doc):
    """A new sentence starts after every blank line: paragraphs never share a sentence."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
            token.is_sent_start = True
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
