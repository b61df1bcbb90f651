"""The codebook: what each code veille writes means (PLOVER categories, types, modes and statuses,
sectors, figure metrics, kinds, relations and statuses), in English and in French, from
resources/codebook.yaml, loaded once.

    codebook("fr")["kinds"]["type"][0] -> {"code": "AGREE", "label": "S'engager",
                                            "definition": "...", "category": "verbal_cooperation"}
"""
from __future__ import annotations

from functools import lru_cache

from veille.resources import load

LANGUAGES = ("en", "fr")


@lru_cache(maxsize=None)
def codebook(lang: str = "en") -> dict:
    """`{"lang": lang, "kinds": {kind: [{code, label, definition[, category]}]}}`, kinds and codes in
    the file's order. Raises ValueError for a language the codebook is not written in."""
    if lang not in LANGUAGES:
        raise ValueError(f"no codebook in {lang!r}; it is written in {', '.join(LANGUAGES)}")
    kinds = {}
    for kind, codes in load("codebook.yaml").items():
        kinds[kind] = [{"code": code, **entry[lang], **({"category": entry["category"]} if "category" in entry else {})}
                       for code, entry in codes.items()]
    return {"lang": lang, "kinds": kinds}
