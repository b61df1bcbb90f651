"""French numbers: parse them, and find number expressions in a text with their offsets.

`find_numbers("près de 800 entreprises")` gives one `Number` (value 800.0, qualifier
"nearly"); `parse_number("42,64 milliards")` gives 42640000000.0. The vocabulary
(scale words, abbreviations, qualifiers, approximate nouns, the words of ranges) is the
`figures.yaml` of a language bundle (French by default), built once per bundle into a
`NumberLanguage`; number words are read by text2num in the bundle's language.

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
from text_to_num import text2num

from veille.language import Language, default as default_language
from veille.text import (alternation, fold, folded_table, folded_words, phrase_alternation, phrases_ending,
                         words_ending, words_regex)


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


@dataclass(frozen=True)
class NumberLanguage:
    """The words and patterns of one language's numbers, built once per bundle."""

    code: str
    scale_words: dict[str, float]
    scale_abbreviations: dict[str, float]
    qualifiers: dict[str, str]
    approximate_nouns: dict[str, float]
    approximate_noun_scales: dict[str, float]
    vague_determiners: frozenset[str]
    definite_determiners: frozenset[str]
    definite_articles: frozenset[str]
    indefinite_articles: frozenset[str]
    percent_sign_words: frozenset[tuple[str, ...]]
    adjective_number_words: frozenset[str]
    adjective_followers: tuple[str, ...]     # what follows a number word read as an adjective
    digits: re.Pattern
    words: re.Pattern
    one_word: re.Pattern
    approximate: re.Pattern
    qualifier: re.Pattern
    percent_after: re.Pattern
    range_gap: re.Pattern
    between_end: re.Pattern          # "entre " before the low end of a range
    from_end: re.Pattern             # "de " before the low end of a range
    change_from_end: re.Pattern      # "passé de ": two values, not a range
    continuation: re.Pattern         # between the parts of one amount: "un milliard deux cents millions"


def number_language(lang: Language | None = None) -> NumberLanguage:
    """The number vocabulary of a bundle (None: the default one), built once per bundle."""
    return (lang or default_language()).cached("numbers", _build)


def _build(lang: Language) -> NumberLanguage:
    v = lang.data("figures")
    g = v["grammar"]
    scale_words = folded_table(v["scale_words"], float)
    scale_abbreviations = {k: float(x) for k, x in v["scale_abbreviations"].items()}
    qualifiers = folded_table(v["qualifiers"])
    approximate_nouns = folded_table(v["approximate_nouns"], float)
    noun_scales = folded_table(v["approximate_noun_scales"], float)
    vague = folded_words(v["vague_determiners"])
    definite_articles = folded_words(v["definite_articles"])
    indefinite_articles = folded_words(v["indefinite_articles"])
    scales = alternation(scale_words)
    any_scale = alternation(set(scale_words) | set(scale_abbreviations))
    half = rf"(?P<half>\s+(?:{alternation(v['half_words'])}))?"
    and_ = alternation(g["and"])
    number_word = alternation(v["number_words"])
    determiners = alternation(indefinite_articles | definite_articles | vague)
    return NumberLanguage(
        code=lang.code, scale_words=scale_words, scale_abbreviations=scale_abbreviations, qualifiers=qualifiers,
        approximate_nouns=approximate_nouns, approximate_noun_scales=noun_scales, vague_determiners=vague,
        definite_determiners=folded_words(v["definite_determiners"]),
        definite_articles=definite_articles, indefinite_articles=indefinite_articles,
        percent_sign_words=frozenset(tuple(fold(p).split()) for p in v["percent_sign_words"]),
        adjective_number_words=folded_words(v["adjective_number_words"]),
        adjective_followers=tuple(f" {fold(w)} " for w in g["and"]) + (", ",),
        # Run on folded text, where U+00A0 and U+202F have become plain spaces.
        digits=re.compile(
            r"(?:(?<![\w.,:/+\u2212=%?&#-])(?P<sign>[+\u2212-])(?=\d)|(?<![\w.,:/+\u2212=%?&#])(?<![^\W\d_]-))"
            r"(?P<num>\d{1,3}(?: \d{3})+(?:,\d+)?(?!\d)"
            r"|\d{1,3}(?:,\d{3}){2,}(?![\d,])"
            r"|\d{1,3}(?:['\u2019]\d{3})+(?![\d'\u2019])"
            r"|\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d.])"
            r"|\d+(?:,\d+)+(?!\d)"
            r"|\d+\.\d+(?!\d)"
            r"|\d+(?!\d))"
            rf"(?!:\d|(?:{alternation(v['hour_separators'])})\d"
            rf"|(?:{alternation(v['ordinal_suffixes'])})(?!\w)|\.\d|°|%[0-9a-f]{{2}})"
            rf"(?:\s*(?P<scale>{any_scale})(?!\w){half})?"),
        words=re.compile(
            rf"(?<![\w-])(?:{number_word})(?:(?:\s*-\s*(?:{and_})\s*-\s*|\s+(?:{and_})\s+|-|\s+)(?:{number_word}))*"
            rf"(?!\w)(?!-[^a-z])(?:\s*(?P<scale>{scales})(?!\w){half})?"),
        one_word=words_regex(v["number_words"]),
        approximate=re.compile(
            rf"(?<!\w)(?:(?P<det>{determiners})\s+)?"
            rf"(?P<noun>{alternation(approximate_nouns)})"
            rf"(?P<pl>{alternation(v['plural_endings'])})?(?!\w)"
            rf"(?:\s+(?:{alternation(g['of'])})\s*(?P<scale>{alternation(noun_scales)})(?!\w))?"),
        qualifier=phrases_ending(qualifiers),
        percent_after=re.compile(rf"(?<!\s)\s*+(?:{phrase_alternation(v['percent_signs'])})"),
        range_gap=re.compile(rf"^\s*(?:(?P<and>{and_})|(?P<to>{alternation(g['to'])})|-|\u2013|\u2014)\s*$"),
        between_end=re.compile(rf"(?<!\w)(?:{alternation(v['between_before'])})\s+$"),
        from_end=words_ending(g["of"]),
        change_from_end=phrases_ending(g["change_from"]),
        continuation=re.compile(rf"^(?:\s+|\s+(?:{and_})\s+)$"),
    )


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


def _scale_of(nl: NumberLanguage, folded: str | None, original: str | None) -> float | None:
    if not folded:
        return None
    if folded in nl.scale_words:
        return nl.scale_words[folded]
    return nl.scale_abbreviations.get(original or "")


def _words_value(nl: NumberLanguage, words: str) -> float | None:
    try:
        return float(text2num(words, nl.code))
    except (ValueError, TypeError):
        return None


def qualifier_before(nl: NumberLanguage, folded: str, pos: int) -> tuple[int, str] | None:
    """The approximation word ending just before `pos` ("près de 800"), as (start, qualifier)."""
    m = nl.qualifier.search(folded, max(0, pos - 40), pos)
    if not m:
        return None
    return m.start(), nl.qualifiers.get(re.sub(r"\s+", " ", folded[m.start():m.end()].strip()).replace("' ", "'"))


def _with_qualifier(nl: NumberLanguage, folded: str, n: Number) -> Number:
    q = qualifier_before(nl, folded, n.num_start)
    if q is None or q[1] is None:
        return n
    return Number(q[0], n.num_start, n.end, n.value, n.value_max, q[1], n.scale, n.words, n.sign)


def _digit_numbers(nl: NumberLanguage, text: str, folded: str) -> list[Number]:
    out = []
    for m in nl.digits.finditer(folded):
        d = _decimal(m.group("num"))
        if d is None:
            continue
        scale = None
        end = m.end()
        if m.group("scale"):
            scale = _scale_of(nl, m.group("scale"), text[m.start("scale"):m.end("scale")])
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


def _word_numbers(nl: NumberLanguage, folded: str, taken: list[tuple[int, int]]) -> list[Number]:
    out = []
    for m in nl.words.finditer(folded):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        core_end = m.start("scale") if m.group("scale") else m.end()
        core = folded[m.start():core_end].rstrip()
        tokens = list(nl.one_word.finditer(folded, m.start(), m.start() + len(core)))
        value = None
        while tokens:
            value = _words_value(nl, folded[m.start():tokens[-1].end()])
            if value is not None:
                break
            tokens.pop()
        if value is None or not tokens:
            continue
        partial = tokens[-1].end() < m.start() + len(core)
        end = tokens[-1].end()
        scale = None
        if m.group("scale") and not partial:
            scale = nl.scale_words[m.group("scale")]
            end = m.end("scale")
        single = len(tokens) == 1
        word = folded[m.start():tokens[0].end()]
        if single and word in nl.indefinite_articles and scale is None and not nl.percent_after.match(folded, end):
            continue                     # an article, unless a percentage: "de un pour cent"
        before = folded[max(0, m.start() - 12):m.start()].split()
        if before and (before[-1], word) in nl.percent_sign_words:
            continue                     # "pour cent"
        if single and value <= 10 and scale is None and before and before[-1] in nl.definite_determiners:
            continue
        if single and word in nl.adjective_number_words and folded[end:end + 4] in nl.adjective_followers:
            continue                     # "neuf et": new, not nine
        v = Decimal(repr(value)) * Decimal(repr(scale)) if scale else Decimal(repr(value))
        if scale and m.group("half") and not partial:
            v += Decimal(repr(scale)) / 2
            end = m.end("half")
        out.append(Number(m.start(), m.start(), end, float(v), scale=scale, words=True))
    return out


def _approx_numbers(nl: NumberLanguage, folded: str) -> list[Number]:
    out = []
    for m in nl.approximate.finditer(folded):
        base = nl.approximate_nouns[m.group("noun")]
        det = m.group("det")
        plural = bool(m.group("pl"))
        if plural or det in nl.vague_determiners:
            value, qualifier = 2 * base, "several"
        else:
            value, qualifier = base, "about"
        scale = None
        if m.group("scale"):
            scale = nl.approximate_noun_scales[m.group("scale")]
            value *= scale
        if det in nl.definite_articles:
            start = m.start("noun")
        else:
            start = m.start()
        out.append(Number(start, start, m.end(), float(value), qualifier=qualifier, scale=scale, words=True))
    return out


def _merge_ranges(nl: NumberLanguage, folded: str, numbers: list[Number]) -> list[Number]:
    out: list[Number] = []
    i = 0
    while i < len(numbers):
        a = numbers[i]
        b = numbers[i + 1] if i + 1 < len(numbers) else None
        if b is not None and b.qualifier is None:
            gap = nl.range_gap.match(folded[a.end:b.num_start])
            before = folded[max(0, a.start - 30):a.start]
            ok = False
            if gap:
                if gap.lastgroup == "and":
                    ok = bool(nl.between_end.search(before))
                elif gap.lastgroup == "to":
                    ok = bool(nl.from_end.search(before)) and not nl.change_from_end.search(before)
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


def _merge_scaled(nl: NumberLanguage, folded: str, numbers: list[Number]) -> list[Number]:
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
                and nl.continuation.match(folded[a.end:n.num_start])
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


def find_numbers(text: str, folded: str | None = None, lang: Language | None = None) -> list[Number]:
    """Every number expression of `text`, in order, with its approximation word and range.

    "entre 10 et 12 milliards" -> one Number(value=1e10, value_max=1.2e10);
    "une trentaine de pays" -> Number(value=30, qualifier="about").
    `folded` may pass `fold(text)` when the caller already has it; `lang` is the language
    bundle to read (None: the default one).
    """
    if not text:
        return []
    return numbers_in(number_language(lang), text, fold(text) if folded is None else folded)


def numbers_in(nl: NumberLanguage, text: str, folded: str) -> list[Number]:
    """`find_numbers` with the vocabulary already built and the text already folded."""
    approx = _approx_numbers(nl, folded)
    digits = [n for n in _digit_numbers(nl, text, folded)
              if not any(a.start < n.end and n.start < a.end for a in approx)]
    taken = [(n.start, n.end) for n in approx + digits]
    words = _word_numbers(nl, folded, taken)
    found = sorted(approx + digits + words, key=lambda n: n.start)
    found = [_with_qualifier(nl, folded, n) for n in _merge_scaled(nl, folded, found)]
    return _merge_ranges(nl, folded, found)


def parse_number(s: str, lang: Language | None = None) -> float | None:
    """The value of a number expression, or None when `s` is not exactly one number.

    "42,64 milliards" -> 42640000000.0; "1 500" -> 1500.0; "vingt-deux" -> 22.0;
    "une trentaine" -> 30.0; "+82,3" -> 82.3; "1.234" -> 1234.0; "3,5,6" -> None.
    """
    if not isinstance(s, str):
        return None
    stripped = s.strip()
    found = find_numbers(stripped, lang=lang)
    if len(found) != 1:
        return None
    n = found[0]
    if n.start != 0 or stripped[n.end:].strip():
        return None
    return n.value
