"""Sentences of a text and the tense cues in them.

A date without a year ("en mars", "jeudi") is read as the most recent one in a
past sentence and as the next one in a future sentence. A cue or a past
participle right before the date governs it ("le décret signé en mai prévoit",
"Arrivé mardi, il doit ..."). Otherwise the cue nearest to the date in its own
clause decides ("a déclaré M. Xi en septembre" is past even if the sentence goes
on with "devrait", or "que l'an prochain ..."); past wins ties and a sentence
without cues is past, as news mostly reports what happened.
"""
from __future__ import annotations

import bisect
import re

from veille.language import Language
from veille.text import fold, longest_first, spaced, straighten, words_regex

from .vocab import Vocab, from_vocab

PAST, FUTURE = "past", "future"

# a match starts only at the first mark of a run: started anywhere inside "……" it would scan the
# rest of the run from every position (quadratic on a long run)
_END = re.compile(r"(?<![.!?…])[.!?…]+[\"»”')\]]*\s+(?=[«\"“(\[]?\s*[A-ZÀ-ÖØ-Þ0-9])|\n")
_WORD_BEFORE = re.compile(r"(\S+)$")
# The word just before an offset, with only spaces after it.
_LAST_WORD = re.compile(r"(?<![^\W\d_])([^\W\d_]+)\s+$")
_OPENING = re.compile(r"[\s«\"“(\[]*")


def _as_written(word: str) -> str:
    """A cue word as the cue patterns match it: not folded (they run on the text as written)."""
    return straighten(word)


def _bounded(words) -> str:
    """An alternation of `words`, each a whole word where it begins or ends with a letter:
    ["que", ";"] matches "que" but not "quelque", and any ";"."""
    return "|".join((r"(?<!\w)" if re.match(r"\w", w) else "") + spaced(w)
                    + (r"(?!\w)" if re.search(r"\w$", w) else "") for w in longest_first(words, _as_written))


def tense_cues(lang: Language | None = None) -> TenseCues:
    """The tense cues of `lang`'s time vocabulary (French when None), compiled once per bundle."""
    return from_vocab(lang, "time.tense", TenseCues)


class TenseCues:
    """The compiled cue patterns of one vocabulary."""

    def __init__(self, v: Vocab):
        t = v.tense
        self.abbreviations = {a.rstrip(".") for a in v.abbreviations}
        self.future_words = words_regex(t["future_words"], _as_written, re.I)
        self.active_auxiliaries = words_regex(t["active_auxiliaries"], _as_written, re.I)
        self.past_words = words_regex(t["past_words"], _as_written, re.I)
        endings = "|".join(re.escape(e) for e in t["future_endings"])
        self.future_endings = re.compile(rf"(?<!\w)\w+(?:{endings})(?!\w)")
        self.not_future = {fold(w, hyphens=True) for w in t["not_future"]}
        past_endings = "|".join(re.escape(e) for e in t["past_endings"])
        # a past ending after these letters is the conditional: "signeraient"
        not_after = "".join(rf"(?<!{re.escape(c)})" for c in t["conditional_letters"])
        self.past_endings = re.compile(rf"(?<!\w)\w+{not_after}(?:{past_endings})(?!\w)")
        self.imperfect_endings = tuple(t["imperfect_endings"])
        self.conditional_endings = tuple(t["conditional_endings"])
        self.clause_openers = re.compile(_bounded(t["clause_openers"]), re.I)
        self.relative_openers = re.compile(_bounded(t["relative_openers"]), re.I)
        self.participle_endings = tuple(t["participle_endings"])
        self.participles = _inflected(t["participles"], t["participle_inflections"])
        self.not_participles = _inflected(t["not_participles"], t["noun_inflections"])
        self.not_participle_endings = tuple(t["not_participle_endings"])
        self.participle_links = {str(w).lower() for w in t["participle_links"]}
        self.infinitive_auxiliaries = {str(w).lower() for w in t["infinitive_auxiliaries"]}

    def sentence_starts(self, text: str) -> list[int]:
        """Offsets where sentences begin: "Il a dit lundi. Elle viendra." -> [0, 16]."""
        starts = [0]
        for m in _END.finditer(text):
            if text[m.start()] == ".":
                word = _WORD_BEFORE.search(text, max(0, m.start() - 12), m.start())
                word = word.group(1) if word else ""
                if word in self.abbreviations or (len(word) == 1 and word.isupper()):
                    continue
            starts.append(m.end())
        return starts

    def cues(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, past|future) of every tense cue: "se rendra" is future, "ont signé" past."""
        text = straighten(text)
        past = [(m.start(), m.end(), PAST) for m in self.past_words.finditer(text)]
        ends = {m.end() for m in self.active_auxiliaries.finditer(text)}
        # a future word that is the participle of a compound past tells a past act: "la visite,
        # reportée à jeudi" is to come, "a reporté jeudi sa visite" was done on Thursday
        found = [(m.start(), m.end(), PAST if any(m.start() - e in (1, 2) and not text[e:m.start()].strip()
                                                  for e in ends) else FUTURE)
                 for m in self.future_words.finditer(text)]
        found += past
        found += [(m.start(), m.end(), PAST) for m in self.past_endings.finditer(text)]
        for m in self.future_endings.finditer(text):
            word = m.group()
            if len(word) >= 3 and not word[0].isupper() and fold(word, hyphens=True) not in self.not_future:
                found.append((m.start(), m.end(), PAST if self.imperfect(word) else FUTURE))
        return sorted(found)

    def imperfect(self, word: str) -> bool:
        """An imperfect that ends like a conditional: "assurait", not "signerait" nor "saurait"."""
        word = word.lower()
        return word.endswith(self.imperfect_endings) and not word.endswith(self.conditional_endings)

    def participle(self, word: str, first: bool) -> bool:
        """A past participle by its form ("signé", "conclue", "arrivés", "mis"), not a noun
        ("année", "activité"); capitalised only as the first word of a sentence (`first`)."""
        if word[:1].isupper() and not first:
            return False
        word = word.lower()
        if word in self.not_participles:
            return False
        if word in self.participles:
            return True
        return (len(word) > 3 and word.endswith(self.participle_endings)
                and not word.endswith(self.not_participle_endings))

    def clause_breaks(self, text: str) -> tuple[list[int], list[int]]:
        """Offsets of the words that open another clause ("que", "lorsque", ";"), and of
        those that open a relative clause ("qui", "dont", "où")."""
        text = straighten(text)
        return ([m.start() for m in self.clause_openers.finditer(text)],
                [m.start() for m in self.relative_openers.finditer(text)])


class Sentences:
    """The sentences of one text, to look up the tense around a span.

    "Le ministre se rendra jeudi à Pékin." -> direction of "jeudi" is future.
    """

    def __init__(self, text: str, cues: TenseCues | None = None):
        self._text = text
        self._finder = cues or tense_cues()
        self.starts = self._finder.sentence_starts(text)
        self._cues: dict[int, list[tuple[int, int, str]]] = {}
        self._breaks: dict[int, tuple[list[int], list[int]]] = {}

    def _cues_of(self, index: int, lo: int, hi: int) -> list[tuple[int, int, str]]:
        if index not in self._cues:
            found = self._finder.cues(self._text[lo:hi])
            self._cues[index] = [(s + lo, e + lo, tense) for s, e, tense in found]
        return self._cues[index]

    def _breaks_of(self, index: int, lo: int, hi: int) -> tuple[list[int], list[int]]:
        if index not in self._breaks:
            clauses, relatives = self._finder.clause_breaks(self._text[lo:hi])
            self._breaks[index] = ([b + lo for b in clauses], [b + lo for b in relatives])
        return self._breaks[index]

    def index(self, pos: int) -> int:
        """The number of the sentence holding offset `pos`."""
        return bisect.bisect_right(self.starts, pos) - 1

    def bounds(self, pos: int) -> tuple[int, int]:
        """Start and end offsets of the sentence holding `pos`."""
        i = self.index(pos)
        end = self.starts[i + 1] if i + 1 < len(self.starts) else len(self._text)
        return self.starts[i], end

    def direction(self, start: int, end: int) -> tuple[str, bool]:
        """(past or future, whether a cue said so): the tense of the cue or participle
        governing `start..end`, else of the nearest cue before it in its clause with no comma
        between, else of the cue nearest to it in its clause (in its sentence when its clause
        has none); (past, False) when the sentence has no cue."""
        index = self.index(start)
        lo, hi = self.bounds(start)
        cues = self._cues_of(index, lo, hi)
        governing = self._governing(start, lo, cues)
        if governing:
            return governing, True
        clauses, relatives = self._breaks_of(index, lo, hi)
        own = [(s, e, tense) for s, e, tense in cues if not (
            _between(clauses, e, start) or _between(relatives, e, start) or _between(clauses, end, s))]
        # the verb that governs a date usually comes before it: "Biden accueillera Modi le 22 juin,
        # a fait savoir mercredi sa porte-parole" is future, whatever the attribution after it
        # ... unless a relative clause right after the date says what its noun is: "aux cérémonies
        # du 9 mai, qui marqueront l'anniversaire" is future though the invitation is past
        described = [(s, e, tense) for s, e, tense in cues if s >= end and _between(relatives, end, s)
                     and not _between(clauses, end, s) and s - end < 60]
        before = [(s, e, tense) for s, e, tense in own if e <= start and self._text.find(",", e, start) < 0]
        best, best_distance = PAST, None
        for cue_start, cue_end, tense in described[:1] or before or own or cues:
            distance = max(0, cue_start - end, start - cue_end)
            if best_distance is None or distance < best_distance or (
                    distance == best_distance and tense == PAST):
                best, best_distance = tense, distance
        return best, best_distance is not None

    def _word_before(self, pos: int, lo: int) -> re.Match | None:
        return _LAST_WORD.search(self._text, max(lo, pos - 40), pos)

    def _governing(self, start: int, lo: int, cues: list[tuple[int, int, str]]) -> str | None:
        """The tense of the cue or past participle right before `start`, if any:
        "se rendra jeudi" future, "Arrivé mardi" past, "devrait être signé en mai" future."""
        word = self._word_before(start, lo)
        if not word:
            return None
        tense = _cue_ending(cues, word.end(1))
        if tense:
            return tense
        first = _OPENING.fullmatch(self._text, lo, word.start(1)) is not None
        if self._text[word.start(1) - 1:word.start(1)] in ("'", "’") or not self._finder.participle(
                word.group(1), first):
            return None
        pos, infinitive = word.start(1), False
        while aux := self._word_before(pos, lo):
            tense = _cue_ending(cues, aux.end(1))
            if tense:
                return tense
            link = aux.group(1).lower()
            if link not in self._finder.participle_links:
                break
            infinitive = infinitive or link in self._finder.infinitive_auxiliaries
            pos = aux.start(1)
        return None if infinitive else PAST


def _cue_ending(cues: list[tuple[int, int, str]], end: int) -> str | None:
    return next((tense for _, cue_end, tense in cues if cue_end == end), None)


def _between(breaks: list[int], lo: int, hi: int) -> bool:
    """Whether a clause opens at an offset in lo..hi."""
    i = bisect.bisect_left(breaks, lo)
    return i < len(breaks) and breaks[i] < hi


def _inflected(words, endings) -> frozenset:
    """Lower-case `words` with their `endings` added, an ending's first letter shared with the
    word's last: ("mis",) with ("", "e", "s", "es") -> mis, mise, mises."""
    out = set()
    for w in words:
        w = str(w).lower()
        out.update(w + (e[1:] if e and w.endswith(e[0]) else e) for e in endings)
    return frozenset(out)
