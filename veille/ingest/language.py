"""Language detection with lingua, restricted to the configured languages."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4)
def _detector(languages: tuple[str, ...]):
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    chosen = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in languages]
    return LanguageDetectorBuilder.from_languages(*chosen).with_minimum_relative_distance(0.05).build()


def detect_language(text: str, languages: tuple[str, ...]) -> str | None:
    """ISO 639-1 code of the text's language, or None when lingua cannot tell.

    >>> detect_language("La Chine et la Russie ont signé un accord.", ("fr", "en"))
    'fr'
    """
    sample = text[:3000]
    if len(sample.strip()) < 3:
        return None
    found = _detector(tuple(languages)).detect_language_of(sample)
    return found.iso_code_639_1.name.lower() if found else None
