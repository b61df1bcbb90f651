"""bytes -> str: charset detection, and refusal of binary data.

What decoding had to guess is said, never hidden: `decode_noted` returns notes
(`encoding`, and `guessed` or `mixed`) that ingestion turns into a flag on the
article, so that a text read from UTF-16 without a byte-order mark, or from a
file mixing UTF-8 and Windows-1252, can be checked.
"""
from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from veille.errors import IngestError

# UTF-32 before UTF-16: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_LEGACY = ["cp1252", "latin_1", "iso8859_15", "cp1251", "koi8_r", "gb18030"]


def _cp1252_byte(error: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler: an undecodable byte of a UTF-8 text read as Windows-1252 (Latin-1
    for the five bytes Windows-1252 leaves undefined)."""
    bad = error.object[error.start:error.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad), error.end


codecs.register_error("veille-cp1252", _cp1252_byte)


def wide_unicode(data: bytes) -> str | None:
    """"utf-32-le", "utf-32-be", "utf-16-le" or "utf-16-be" for text in those encodings without a
    byte-order mark, judged by where its zero bytes fall; None otherwise.

    >>> wide_unicode("Pékin et Moscou".encode("utf-16-le"))
    'utf-16-le'
    """
    head = data[:8192]
    n = len(head) - len(head) % 4
    if n < 8:
        return None
    head = head[:n]

    def zero_share(offset: int, step: int) -> float:
        column = head[offset::step]
        return column.count(0) / len(column)

    for name, zeros, nonzero in (("utf-32-le", (1, 2, 3), 0), ("utf-32-be", (0, 1, 2), 3)):
        if all(zero_share(i, 4) > 0.95 for i in zeros) and zero_share(nonzero, 4) < 0.2:
            return name
    if zero_share(1, 2) > 0.6 and zero_share(0, 2) < 0.1:
        return "utf-16-le"
    if zero_share(0, 2) > 0.6 and zero_share(1, 2) < 0.1:
        return "utf-16-be"
    return None


def looks_binary(data: bytes) -> bool:
    """True for data that is not text: NUL bytes or many control characters."""
    head = data[:65536]
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(head) > 0.02


def _valid_utf8_sequences(data: bytes) -> int:
    """How many multi-byte UTF-8 characters `data` holds (0 for plain ASCII or a legacy charset)."""
    text = data.decode("utf-8", errors="ignore")
    return sum(1 for ch in text if ord(ch) > 127)


def decode_noted(data: bytes, source: str, declared: str | None = None) -> tuple[str, dict]:
    """Text of `data` and what decoding guessed: BOM, then UTF-16/32 by their zero bytes, then the
    declared charset, then UTF-8, then UTF-8 mixed with Windows-1252, then detection.

    Latin-1 and Windows-1252 French ("Pékin" as b"P\\xe9kin") decode correctly; a file whose
    lines mix UTF-8 and Windows-1252 decodes each part right, with the note `mixed`.
    Raises IngestError for binary data.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), {}
    wide = wide_unicode(data)
    if wide:
        text = data.decode(wide, errors="replace")
        return text, {"encoding": wide, "guessed": "no byte-order mark: read by where its zero bytes fall"}
    if looks_binary(data):
        raise IngestError(source, "binary data, not text")
    if declared:
        try:
            return data.decode(declared), {}
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8"), {}
    except UnicodeDecodeError:
        pass
    if _valid_utf8_sequences(data):
        text = data.decode("utf-8", errors="veille-cp1252")
        return text, {"encoding": "utf-8+cp1252", "mixed": "UTF-8 with Windows-1252 bytes: each part decoded as such"}
    best = from_bytes(data[:1_000_000], cp_isolation=_LEGACY).best()
    encoding = best.encoding if best else "cp1252"
    try:
        return data.decode(encoding), {"encoding": encoding}
    except (LookupError, UnicodeDecodeError):
        return data.decode("cp1252", errors="replace"), {"encoding": "cp1252",
                                                         "guessed": "undecodable bytes replaced"}


def decode(data: bytes, source: str, declared: str | None = None) -> str:
    """Text of `data` (see decode_noted). Raises IngestError for binary data."""
    return decode_noted(data, source, declared)[0]
