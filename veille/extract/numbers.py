"""French numbers: parse them, and find number expressions in a text with their offsets.

`find_numbers("près de 800 entreprises")` gives one `Number` (value 800.0, qualifier
"nearly"); `parse_number("42,64 milliards")` gives 42640000000.0. The vocabulary
(scale words, abbreviations, qualifiers, approximate nouns) is in
`resources/fr/figures.yaml`; number words are read by text2num.

Choices, each tested in tests/test_numbers.py:

- The decimal mark is the comma ("42,64"). Thousands are grouped by spaces,
  no-break spaces (U+00A0), narrow no-break spaces (U+202F) or dots ("1 500 000",
  "1.500.000"). A dot followed by exactly three digits is therefore a thousands
  separator: "1.234" is 1234, never 1.234; any other dot is a decimal mark ("2.5").
- "3,5,6" (a list, not a number) is no number at all.
- "une dizaine" is 10 (qualifier "about"); "des / plusieurs / quelques dizaines"
  is 20, twice the noun, the least the plural can mean (qualifier "several").
  "des millions de dollars" is too vague and gives nothing.
- A lone "un" / "une" is an article, not a number, unless a scale follows
  ("un milliard"). A small number word after a definite determiner ("les deux
  pays") is a reference, not a figure, and is skipped.
- Ranges "entre 10 et 12 milliards", "de 5 à 7 %", "5-7 %": `value` is the low
  end, `value_max` the high end; the low end borrows the scale of the high end.
  "passé de 10 à 20" is two values, not a range.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Iterable

from text_to_num import text2num

from veille.resources import load
from veille.text import fold

_V = load("fr/figures.yaml")


def _atoms(phrase: str) -> tuple[str, ...]:
    """A folded phrase as regex atoms: `*` is the rest of a word, a space any run of spaces."""
    special = {"*": r"\w*", " ": r"\s+", "'": r"'\s*"}
    return tuple(special.get(c) or re.escape(c) for c in phrase)


def _trie_pattern(entries: list[tuple[tuple[str, ...], str, int]], depth: int) -> str:
    """Alternatives sharing their first atoms, factored: longer phrases are tried first."""
    ends = [tail for atoms, tail, _ in entries if len(atoms) == depth]
    groups: dict[str, list] = {}
    for e in entries:
        if len(e[0]) > depth:
            groups.setdefault(e[0][depth], []).append(e)
    branches = sorted(groups.items(), key=lambda kv: -max(n for _, _, n in kv[1]))
    alts = [atom + _trie_pattern(group, depth + 1) for atom, group in branches]
    alts += sorted(set(ends), key=len, reverse=True)
    if len(alts) == 1:
        return alts[0]
    return "(?:" + "|".join(alts) + ")"


def phrase_alternation(phrases: Iterable[str]) -> str:
    """A regex alternation of folded phrases, longest first.

    `*` stands for the rest of a word and a space for any run of spaces; word
    boundaries are added where a phrase starts or ends with a letter:
    ["augment*", "en hausse"] matches "augmentation" and "en  hausse". The
    phrases are factored by their common beginnings (a trie), which keeps long
    lists fast to search.
    """
    folded = {fold(str(p)).strip() for p in phrases if str(p).strip()}
    worded, other = [], []
    for p in folded:
        tail = r"(?!\w)" if p[-1].isalnum() or p.endswith("*") else ""
        (worded if p[0].isalnum() else other).append((_atoms(p), tail, len(p)))
    alts = []
    if worded:
        alts.append(r"(?<!\w)" + _trie_pattern(worded, 0))
    if other:
        alts.append(_trie_pattern(other, 0))
    return "|".join(alts) or r"(?!x)x"


def phrases_regex(phrases: Iterable[str]) -> re.Pattern:
    """`phrase_alternation` compiled: `phrases_regex(["plus de"]).search("plus  de 5")`."""
    return re.compile(f"(?:{phrase_alternation(phrases)})")


@dataclass(frozen=True, slots=True)
class Number:
    """A number expression found in a text.

    `start` includes an approximation word before the number ("près de"),
    `num_start` is where the number itself begins, `end` is after its scale word.
    """

    start: int
    num_start: int
    end: int
    value: float
    value_max: float | None = None
    qualifier: str | None = None
    scale: float | None = None
    words: bool = False
    sign: str | None = None


_SCALE_WORDS = {fold(k): float(v) for k, v in _V["scale_words"].items()}
_SCALE_ABBR = {k: float(v) for k, v in _V["scale_abbreviations"].items()}
_QUALIFIERS = {fold(k): v for k, v in _V["qualifiers"].items()}
_APPROX = {fold(k): float(v) for k, v in _V["approximate_nouns"].items()}
_VAGUE = {fold(w) for w in _V["vague_determiners"]}
_DEFINITE = {fold(w) for w in _V["definite_determiners"]}

_scale_alt = "|".join(
    re.escape(w) for w in sorted(set(_SCALE_WORDS) | {fold(a) for a in _SCALE_ABBR}, key=len, reverse=True)
)
# Run on folded text, where U+00A0 and U+202F have become plain spaces.
_DIGITS_RE = re.compile(
    r"(?:(?<![\w.,:/+\u2212=%?&#-])(?P<sign>[+\u2212-])(?=\d)|(?<![\w.,:/+\u2212=%?&#])(?<![^\W\d_]-))"
    r"(?P<num>\d{1,3}(?: \d{3})+(?:,\d+)?(?!\d)"
    r"|\d{1,3}(?:,\d{3}){2,}(?![\d,])"
    r"|\d{1,3}(?:['\u2019]\d{3})+(?![\d'\u2019])"
    r"|\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d.])"
    r"|\d+(?:,\d+)+(?!\d)"
    r"|\d+\.\d+(?!\d)"
    r"|\d+(?!\d))"
    r"(?!:\d|h\d|(?:e|er|ere|eme|emes|es|nd|nde|nds)(?!\w)|\.\d|°|%[0-9a-f]{2})"
    rf"(?:\s*(?P<scale>{_scale_alt})(?!\w)(?P<half>\s+et\s+demie?)?)?"
)
_WORD_ALT = "|".join(re.escape(fold(w)) for w in sorted(set(_V["number_words"]), key=len, reverse=True))
_WORDS_RE = re.compile(
    rf"(?<![\w-])(?:{_WORD_ALT})(?:(?:\s*-\s*et\s*-\s*|\s+et\s+|-|\s+)(?:{_WORD_ALT}))*(?!\w)(?!-[^a-z])"
    rf"(?:\s*(?P<scale>{'|'.join(re.escape(w) for w in sorted(_SCALE_WORDS, key=len, reverse=True))})"
    r"(?!\w)(?P<half>\s+et\s+demie?)?)?"
)
_ONE_WORD_RE = re.compile(rf"(?<!\w)(?:{_WORD_ALT})(?!\w)")
_APPROX_RE = re.compile(
    r"(?<!\w)(?:(?P<det>une|un|la|les|des|plusieurs|quelques)\s+)?"
    rf"(?P<noun>{'|'.join(re.escape(n) for n in sorted(_APPROX, key=len, reverse=True))})(?P<pl>s)?(?!\w)"
    r"(?:\s+(?:de|d')\s*(?P<scale>milliers|millions|milliards)(?!\w))?"
)
_QUALIFIER_RE = re.compile(f"(?:{phrase_alternation(_QUALIFIERS)})\\s*$")
_PERCENT_AFTER_RE = re.compile(rf"(?<!\s)\s*+(?:{phrase_alternation(_V['percent_signs'])})")
_RANGE_GAP_RE = re.compile(r"^\s*(?P<w>et|a|-|\u2013|\u2014)\s*$")


# More significant digits than any measure a news text states (and than a float holds).
MAX_DIGITS = 30


def _decimal(num: str) -> Decimal | None:
    """The value of a digit string in French notation, or None ("3,5,6"); thousands grouped by
    spaces, dots, apostrophes ("1'234'567", Swiss) or, two groups or more, commas ("1,234,567")."""
    s = num.replace(" ", "").replace("'", "").replace("\u2019", "")
    if re.fullmatch(r"\d{1,3}(?:,\d{3}){2,}", s):
        s = s.replace(",", "")
    if "," in s:
        if s.count(",") > 1:
            return None
        whole, frac = s.split(",")
        if "." in whole:
            if not re.fullmatch(r"\d{1,3}(?:\.\d{3})+", whole):
                return None
            whole = whole.replace(".", "")
        s = f"{whole}.{frac}"
    elif s.count(".") >= 1:
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s):
            s = s.replace(".", "")
        elif s.count(".") > 1:
            return None
    if len(s.replace(".", "").lstrip("0")) > MAX_DIGITS:
        return None          # a key, a serial, a pasted blob: no quantity has that many digits
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


def _scale_of(folded: str | None, original: str | None) -> float | None:
    if not folded:
        return None
    if folded in _SCALE_WORDS:
        return _SCALE_WORDS[folded]
    return _SCALE_ABBR.get(original or "")


def _words_value(words: str) -> float | None:
    try:
        return float(text2num(words, "fr"))
    except (ValueError, TypeError):
        return None


def qualifier_before(folded: str, pos: int) -> tuple[int, str] | None:
    """The approximation word ending just before `pos` ("près de 800"), as (start, qualifier)."""
    m = _QUALIFIER_RE.search(folded, max(0, pos - 40), pos)
    if not m:
        return None
    return m.start(), _QUALIFIERS.get(re.sub(r"\s+", " ", folded[m.start():m.end()].strip()).replace("' ", "'"))


def _with_qualifier(folded: str, n: Number) -> Number:
    q = qualifier_before(folded, n.num_start)
    if q is None or q[1] is None:
        return n
    return Number(q[0], n.num_start, n.end, n.value, n.value_max, q[1], n.scale, n.words, n.sign)


def _digit_numbers(text: str, folded: str) -> list[Number]:
    out = []
    for m in _DIGITS_RE.finditer(folded):
        d = _decimal(m.group("num"))
        if d is None:
            continue
        scale = None
        end = m.end()
        if m.group("scale"):
            scale = _scale_of(m.group("scale"), text[m.start("scale"):m.end("scale")])
            if scale is None:          # "5 m" (metres), not "5 M"
                end = m.end("num")
        value = d * Decimal(repr(scale)) if scale else d
        if scale and m.group("half"):
            value += Decimal(repr(scale)) / 2
        sign = m.group("sign")
        if sign in ("-", "\u2212"):
            value = -value
        out.append(Number(m.start(), m.start("num") if not sign else m.start(), end, float(value),
                          scale=scale, sign="-" if sign in ("-", "\u2212") else sign))
    return out


def _word_numbers(text: str, folded: str, taken: list[tuple[int, int]]) -> list[Number]:
    out = []
    for m in _WORDS_RE.finditer(folded):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        core_end = m.start("scale") if m.group("scale") else m.end()
        core = folded[m.start():core_end].rstrip()
        tokens = list(_ONE_WORD_RE.finditer(folded, m.start(), m.start() + len(core)))
        value = None
        while tokens:
            value = _words_value(folded[m.start():tokens[-1].end()])
            if value is not None:
                break
            tokens.pop()
        if value is None or not tokens:
            continue
        partial = tokens[-1].end() < m.start() + len(core)
        end = tokens[-1].end()
        scale = None
        if m.group("scale") and not partial:
            scale = _SCALE_WORDS[m.group("scale")]
            end = m.end("scale")
        single = len(tokens) == 1
        word = folded[m.start():tokens[0].end()]
        if single and word in ("un", "une") and scale is None and not _PERCENT_AFTER_RE.match(folded, end):
            continue                     # an article, unless a percentage: "de un pour cent"
        before = folded[max(0, m.start() - 12):m.start()].split()
        if word in ("cent", "cents") and before and before[-1] == "pour":
            continue
        if single and value <= 10 and scale is None and before and before[-1] in _DEFINITE:
            continue
        if single and word == "neuf" and folded[end:end + 4] in (" et ", ", "):
            continue
        v = Decimal(repr(value)) * Decimal(repr(scale)) if scale else Decimal(repr(value))
        if scale and m.group("half") and not partial:
            v += Decimal(repr(scale)) / 2
            end = m.end("half")
        out.append(Number(m.start(), m.start(), end, float(v), scale=scale, words=True))
    return out


def _approx_numbers(folded: str) -> list[Number]:
    out = []
    for m in _APPROX_RE.finditer(folded):
        base = _APPROX[m.group("noun")]
        det = m.group("det")
        plural = bool(m.group("pl"))
        if plural or det in _VAGUE:
            value, qualifier = 2 * base, "several"
        else:
            value, qualifier = base, "about"
        scale = None
        if m.group("scale"):
            scale = {"milliers": 1e3, "millions": 1e6, "milliards": 1e9}[m.group("scale")]
            value *= scale
        if det in ("la", "les"):
            start = m.start("noun")
        else:
            start = m.start()
        out.append(Number(start, start, m.end(), float(value), qualifier=qualifier, scale=scale, words=True))
    return out


def _merge_ranges(folded: str, numbers: list[Number]) -> list[Number]:
    out: list[Number] = []
    i = 0
    while i < len(numbers):
        a = numbers[i]
        b = numbers[i + 1] if i + 1 < len(numbers) else None
        if b is not None and b.qualifier is None:
            gap = _RANGE_GAP_RE.match(folded[a.end:b.num_start])
            before = folded[max(0, a.start - 30):a.start]
            ok = False
            if gap:
                w = gap.group("w")
                if w == "et":
                    ok = bool(re.search(r"(?<!\w)entre\s+$", before))
                elif w == "a":
                    ok = bool(re.search(r"(?<!\w)(?:de|d')\s*$", before)) and not re.search(
                        r"(?<!\w)pass\w*\s+(?:de|d')\s*$", before)
                else:
                    ok = folded[a.end:b.num_start] in ("-", "\u2013") and not a.words and not (
                        1800 <= a.value <= 2100 and 1800 <= b.value <= 2100)
            if ok:
                low = a.value * b.scale if (a.scale is None and b.scale) else a.value
                if low <= b.value:
                    out.append(Number(a.start, a.num_start, b.end, low, b.value, a.qualifier,
                                      b.scale or a.scale, a.words, a.sign))
                    i += 2
                    continue
        out.append(a)
        i += 1
    return out


_CONTINUE_RE = re.compile(r"^(?:\s+|\s+et\s+)$")


def _merge_scaled(folded: str, numbers: list[Number]) -> list[Number]:
    """A number with a scale word and a smaller number right after it are one amount:
    "un milliard deux cents millions" (1.2e9), "2 millions 300 000" (2.3e6),
    "cinquante et un millions cinq cent soixante-dix-huit mille trois cent deux"
    (51,578,302), "trois millions sept" (3,000,007); a lone digit or two after a digit
    amount are its decimals, as French speaks them: "2 milliards 5" (2.5e9)."""
    out: list[Number] = []
    for n in numbers:
        a = out[-1] if out else None
        if (a is not None and a.scale and a.value_max is None and n.qualifier is None and n.sign is None
                and n.value_max is None and 0 < n.value < a.scale and n.value == int(n.value)
                and _CONTINUE_RE.match(folded[a.end:n.num_start])
                and (n.scale is None or n.scale < a.scale)):
            text = folded[n.num_start:n.end]
            if not a.words and not n.words and n.scale is None and re.fullmatch(r"\d{1,2}", text):
                rest = n.value * a.scale / 10 ** len(text)          # "2 milliards 5": 2,5 milliards
            else:
                rest = n.value
            sign = -1 if a.value < 0 else 1
            out[-1] = Number(a.start, a.num_start, n.end, a.value + sign * rest, None, a.qualifier, a.scale,
                             a.words and n.words, a.sign)
            continue
        out.append(n)
    return out


def find_numbers(text: str, folded: str | None = None) -> list[Number]:
    """Every number expression of `text`, in order, with its approximation word and range.

    "entre 10 et 12 milliards" -> one Number(value=1e10, value_max=1.2e10);
    "une trentaine de pays" -> Number(value=30, qualifier="about").
    `folded` may pass `fold(text)` when the caller already has it.
    """
    if not text:
        return []
    folded = fold(text) if folded is None else folded
    approx = _approx_numbers(folded)
    digits = [n for n in _digit_numbers(text, folded)
              if not any(a.start < n.end and n.start < a.end for a in approx)]
    taken = [(n.start, n.end) for n in approx + digits]
    words = _word_numbers(text, folded, taken)
    found = sorted(approx + digits + words, key=lambda n: n.start)
    found = [_with_qualifier(folded, n) for n in _merge_scaled(folded, found)]
    return _merge_ranges(folded, found)


def parse_number(s: str) -> float | None:
    """The value of a French number expression, or None when `s` is not exactly one number.

    "42,64 milliards" -> 42640000000.0; "1 500" -> 1500.0; "vingt-deux" -> 22.0;
    "une trentaine" -> 30.0; "+82,3" -> 82.3; "1.234" -> 1234.0; "3,5,6" -> None.
    """
    if not isinstance(s, str):
        return None
    stripped = s.strip()
    found = find_numbers(stripped)
    if len(found) != 1:
        return None
    n = found[0]
    if n.start != 0 or stripped[n.end:].strip():
        return None
    return n.value
