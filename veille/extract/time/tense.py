"""Sentences of a text and the tense cues in them.

A date without a year ("en mars", "jeudi") is read as the most recent one in a
past sentence and as the next one in a future sentence. The cue nearest to the
date decides ("a déclaré M. Xi en septembre" is past even if the sentence goes
on with "devrait"); past wins ties and a sentence without cues is past, as news
mostly reports what happened.
"""
from __future__ import annotations

import bisect
import re

from veille.text import APOSTROPHES

from .vocab import Vocab, fold_text, vocab

PAST, FUTURE = "past", "future"

_END = re.compile(r"[.!?…]+[\"»”')\]]*\s+(?=[«\"“(\[]?\s*[A-ZÀ-ÖØ-Þ0-9])|\n")
_WORD_BEFORE = re.compile(r"(\S+)$")


def _words(words) -> str:
    forms = sorted({str(w).translate(APOSTROPHES) for w in words}, key=lambda w: (-len(w), w))
    return "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in forms)


class TenseCues:
    """The compiled cue patterns of one vocabulary."""

    def __init__(self, v: Vocab):
        t = v.tense
        self.abbreviations = {a.rstrip(".") for a in v.abbreviations}
        self.future_words = re.compile(rf"(?<!\w)(?:{_words(t['future_words'])})(?!\w)", re.I)
        self.past_words = re.compile(rf"(?<!\w)(?:{_words(t['past_words'])})(?!\w)", re.I)
        endings = "|".join(re.escape(e) for e in t["future_endings"])
        self.future_endings = re.compile(rf"(?<!\w)\w+(?:{endings})(?!\w)")
        self.not_future = {fold_text(w) for w in t["not_future"]}
        past_endings = "|".join(re.escape(e) for e in t["past_endings"])
        self.past_endings = re.compile(rf"(?<!\w)\w+(?<!r)(?:{past_endings})(?!\w)")

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
        text = text.translate(APOSTROPHES)
        found = [(m.start(), m.end(), FUTURE) for m in self.future_words.finditer(text)]
        found += [(m.start(), m.end(), PAST) for m in self.past_words.finditer(text)]
        found += [(m.start(), m.end(), PAST) for m in self.past_endings.finditer(text)]
        for m in self.future_endings.finditer(text):
            word = m.group()
            if len(word) >= 3 and not word[0].isupper() and fold_text(word) not in self.not_future:
                found.append((m.start(), m.end(), FUTURE))
        return sorted(found)


class Sentences:
    """The sentences of one text, to look up the tense around a span.

    "Le ministre se rendra jeudi à Pékin." -> direction of "jeudi" is future.
    """

    def __init__(self, text: str, cues: TenseCues | None = None):
        cues = cues or CUES
        self.starts = cues.sentence_starts(text)
        self._cues = cues.cues(text)
        self._cue_starts = [c[0] for c in self._cues]

    def index(self, pos: int) -> int:
        """The number of the sentence holding offset `pos`."""
        return bisect.bisect_right(self.starts, pos) - 1

    def bounds(self, pos: int) -> tuple[int, int]:
        """Start and end offsets of the sentence holding `pos`."""
        i = self.index(pos)
        end = self.starts[i + 1] if i + 1 < len(self.starts) else None
        return self.starts[i], end if end is not None else 1 << 62

    def direction(self, start: int, end: int) -> tuple[str, bool]:
        """(past or future, whether a cue said so): the tense of the cue nearest to
        `start..end` in its sentence; (past, False) when the sentence has no cue."""
        lo, hi = self.bounds(start)
        first = bisect.bisect_left(self._cue_starts, lo)
        best, best_distance = PAST, None
        for cue_start, cue_end, tense in self._cues[first:]:
            if cue_start >= hi:
                break
            distance = max(0, cue_start - end, start - cue_end)
            if best_distance is None or distance < best_distance or (
                    distance == best_distance and tense == PAST):
                best, best_distance = tense, distance
        return best, best_distance is not None


CUES = TenseCues(vocab())
