"""bytes -> str: charset detection, and refusal of binary data."""
from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from veille.errors import IngestError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def looks_binary(data: bytes) -> bool:
    """True for data that is not text: NUL bytes or many control characters."""
    head = data[:65536]
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(head) > 0.02


def decode(data: bytes, source: str, declared: str | None = None) -> str:
    """Text of `data`: BOM, then the declared charset, then UTF-8, then detection.

    Latin-1 and Windows-1252 French ("Pékin" as b"P\\xe9kin") decode correctly.
    Raises IngestError for binary data.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if looks_binary(data):
        raise IngestError(source, "binary data, not text")
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:1_000_000], cp_isolation=["cp1252", "latin_1", "iso8859_15", "cp1251", "koi8_r", "gb18030", "utf_16"]).best()
    encoding = best.encoding if best else "cp1252"
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return data.decode("cp1252", errors="replace")
