"""Small text primitives shared by the extractors."""
from __future__ import annotations

import unicodedata

APOSTROPHES = {"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'", "ʻ": "'", "′": "'"}


class _FoldTable(dict):
    """Code point -> folded character, computed once per character (str.translate calls it)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in APOSTROPHES:
            out = APOSTROPHES[ch]
        else:
            base = unicodedata.normalize("NFKD", ch)
            kept = "".join(c for c in base if not unicodedata.combining(c)).casefold()
            out = kept if len(kept) == 1 else (ch.casefold() if len(ch.casefold()) == 1 else ch)
        self[code] = out
        return out


_TABLE = _FoldTable()


def fold(s: str) -> str:
    """Casefolded, accent-free, apostrophe-normalised form: "Pékin" -> "pekin".

    Keeps the length of the string, so offsets found in the folded form are
    offsets in the original.
    """
    return s.translate(_TABLE)
