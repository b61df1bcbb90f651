"""Small text primitives shared by the extractors."""
from __future__ import annotations

import unicodedata

APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'"})


def fold(s: str) -> str:
    """Casefolded, accent-free, apostrophe-normalised form: "Pékin" -> "pekin".

    Keeps the length of the string for Latin text, so offsets found in the folded
    form are offsets in the original.
    """
    out = []
    for ch in s.translate(APOSTROPHES):
        base = unicodedata.normalize("NFKD", ch)
        kept = "".join(c for c in base if not unicodedata.combining(c)).casefold()
        out.append(kept if len(kept) == 1 else ch.casefold() if len(ch.casefold()) == 1 else ch)
    return "".join(out)
