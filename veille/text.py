"""Small text primitives shared by the extractors: the one fold, and the one way to turn a list of
words into a regex alternation."""
from __future__ import annotations

import re
import unicodedata
from typing import Callable, Iterable

APOSTROPHES = {"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'", "ʻ": "'", "′": "'"}
# The Unicode hyphens the time grammar reads as "-" ("2023‑2024"); fold() maps U+2011 to U+2010.
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})
NEVER = r"(?!x)x"      # the alternation of no words: matches nothing
_STRAIGHT = str.maketrans(APOSTROPHES)


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


def fold(s: str, *, hyphens: bool = False) -> str:
    """Casefolded, accent-free, apostrophe-normalised form: "Pékin" -> "pekin".

    Keeps the length of the string, so offsets found in the folded form are
    offsets in the original. `hyphens` adds the second step, `fold_hyphens`.
    """
    folded = s.translate(_TABLE)
    return fold_hyphens(folded) if hyphens else folded


def straighten(s: str) -> str:
    """`s` with its typographic apostrophes written "'" and nothing else changed ("s’est" ->
    "s'est"): for patterns that run on the text as written."""
    return s.translate(_STRAIGHT)


def fold_hyphens(folded: str) -> str:
    """The second step of `fold`, on a folded text: U+2010 and U+2011 written "-". Only the time
    grammar takes it ("2023‑2024" is a range there); the figure and entity patterns were written
    against the plain fold, where those hyphens are not "-"."""
    return folded.translate(_HYPHENS)


def folded_words(words: Iterable) -> frozenset[str]:
    """A bundle's word list folded, to look folded words up in: ["Été"] -> {"ete"}."""
    return frozenset(fold(str(w)) for w in words)


def folded_table(table: dict, value: Callable = lambda x: x) -> dict:
    """A bundle's table with its keys folded, each value read by `value`: {"Août": 8} -> {"aout": 8}."""
    return {fold(str(k)): value(x) for k, x in table.items()}


def longest_first(words: Iterable, form: Callable[[str], str] = fold) -> list[str]:
    """The distinct `form`s of `words`, stripped, longest first (a regex alternation tries them in
    that order, so "d'ici à" wins over "d'ici"), ties in alphabetical order."""
    return sorted({form(str(w)).strip() for w in words} - {""}, key=lambda w: (-len(w), w))


def spaced(phrase: str, space: str = r"\s+") -> str:
    """`phrase` as a regex, each run of spaces in it matching `space`: "d'ici a" -> "d'ici\\s+a"."""
    return space.join(re.escape(part) for part in phrase.split())


def alternation(words: Iterable, form: Callable[[str], str] = fold, space: str = r"\s+") -> str:
    """A bare regex alternation of the folded `words`, longest first, a space matching any run of
    spaces (`space`); the pattern around it says where words end:
    ["et demi", "et"] -> "et\\s+demi|et"; no words -> a pattern that matches nothing."""
    return "|".join(spaced(w, space) for w in longest_first(words, form)) or NEVER


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
    """A regex alternation of folded phrases, longest first, each a whole word at its ends.

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
    return "|".join(alts) or NEVER


def words_regex(words: Iterable, form: Callable[[str], str] = fold, flags: int = 0) -> re.Pattern:
    """One of `words` (an `alternation`) as a whole word: `words_regex(["mille"]).search("deux mille")`."""
    return re.compile(rf"(?<!\w)(?:{alternation(words, form)})(?!\w)", flags)


def words_ending(words: Iterable) -> re.Pattern:
    """One of `words` (an `alternation`), a whole word, closing the searched text, spaces after it
    aside: `words_ending(["par"]).search(folded, 0, pos)`."""
    return re.compile(rf"(?<!\w)(?:{alternation(words)})\s*$")


def phrases_regex(phrases: Iterable[str]) -> re.Pattern:
    """`phrase_alternation` compiled: `phrases_regex(["plus de"]).search("plus  de 5")`."""
    return re.compile(f"(?:{phrase_alternation(phrases)})")


def phrases_ending(phrases: Iterable[str]) -> re.Pattern:
    """One of the phrases closing the searched text, spaces after it aside: what stands right
    before a position, `phrases_ending(["près de"]).search(folded, 0, pos)`."""
    return re.compile(f"(?:{phrase_alternation(phrases)})\\s*$")
