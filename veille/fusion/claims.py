"""Who says it: the source a sentence attributes a figure or an event to.

"selon les douanes chinoises", "d'après les statistiques publiées par
l'Administration générale des douanes", "le Kremlin s'est vanté", ", a indiqué
Iouri Ouchakov": the cue words are data (the language bundle's claims.yaml, read
through `claim_language`), the source is the record's entity the cue points at,
else the words it points at. When a sentence names no source, the caller falls
back to the article's outlet.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from veille.fusion.data import folded
from veille.language import Language, default, saying_forms
from veille.records import Entity
from veille.text import alternation, fold, folded_words, straighten

SOURCE_TYPES = ("ORG", "PERSON", "COUNTRY", "PLACE")
_BOUNDARY = re.compile(r"[,;:()«»\"\n]|\s[-–—]\s")
_SENTENCE_END = re.compile(r"[.!?…](?:[\s»\")]+|$)|\n+")


@dataclass(frozen=True)
class Claim:
    """Who a sentence says the claim comes from.

    `kind` is "cited" (the article cites it: "selon X"), "speaker" (X says it:
    "X a déclaré"), or "outlet" (the article itself, no source named);
    `entity` is the entity id when the source is one of the record's entities.
    """

    source: str
    kind: str
    entity: str | None = None


@dataclass(frozen=True)
class ClaimLanguage:
    """The cues of one language that tell who says something (its bundle's claims.yaml), folded."""

    source_markers: re.Pattern          # "selon": the cited source follows
    speaker_verbs: re.Pattern           # "a déclaré": its subject is the source
    same_source: tuple[str, ...]        # "la même source": the source named before
    source_pronouns: frozenset[str]     # "selon lui": the sentence's speaker
    source_window: int
    determiners: frozenset[str]
    elided: tuple[str, ...]             # determiners glued to the next word ("l'")
    auxiliaries: frozenset[str]
    past_auxiliaries: frozenset[str]
    passive_auxiliaries: frozenset[str]
    subject_pronouns: frozenset[str]
    clause_words: re.Pattern
    reporting: re.Pattern               # "que": reported speech, not an incise


def claim_language(lang: Language | None = None) -> ClaimLanguage:
    """The claim cues of a bundle (default: French), built once per bundle."""
    return (lang or default()).cached("claims", _build)


def _words(words: Iterable[str]) -> str:
    """An alternation of folded words, longest first; a space in a cue matches one space only."""
    return alternation(words, space=r"\ ")


def _build(lang: Language) -> ClaimLanguage:
    data = lang.data("claims")

    def whole_words(words: list[str]) -> re.Pattern:
        return re.compile(r"(?<![\w'])(?:" + _words(words) + r")(?![\w'])")

    def folded_set(key: str) -> frozenset[str]:
        return folded_words(data[key])

    determiners = folded_set("determiners")
    return ClaimLanguage(
        source_markers=whole_words(data["source_markers"]), speaker_verbs=whole_words(saying_forms(lang)),
        same_source=tuple(fold(w) for w in data["same_source_phrases"]),
        source_pronouns=folded_set("source_pronouns"), source_window=int(data["source_window"]),
        determiners=determiners, elided=tuple(sorted(w for w in determiners if w.endswith("'"))),
        auxiliaries=folded_set("auxiliaries"), past_auxiliaries=folded_set("past_auxiliaries"),
        passive_auxiliaries=folded_set("passive_auxiliaries"), subject_pronouns=folded_set("subject_pronouns"),
        clause_words=whole_words(data["clause_words"]),
        reporting=re.compile(r"(?<![\w'])(?:" + _words(data["reporting_conjunctions"]) + ")"))


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the sentence holding text[start:end] (a simple splitter on . ! ? and new lines).

    The fallback for a stored item with no evidence sentence: fusion reads stored text, with no
    parse to take the article view's sentences from."""
    begin = 0
    for m in _SENTENCE_END.finditer(text, 0, max(start, 0)):
        begin = m.end()
    m = _SENTENCE_END.search(text, max(end, start))
    stop = m.start() + 1 if m and text[m.start()] in ".!?…" else (m.start() if m else len(text))
    return begin, min(stop, len(text))


def _mentions(entities: Iterable[Entity], lo: int, hi: int, end: int | None = None) -> list[tuple[int, int, Entity]]:
    """Mentions of possible sources starting in [lo, hi) (and ending by `end`, default hi)."""
    found = []
    for e in entities:
        if e.type not in SOURCE_TYPES or e.role != "actor":
            continue
        for s, t in e.mentions:
            if lo <= s < hi and t <= (hi if end is None else end):
                found.append((s, t, e))
    return sorted(found, key=lambda x: (x[0], x[1], x[2].id))


def _phrase(text: str, cues: ClaimLanguage, words: int = 6) -> str | None:
    """The first words of `text`, without leading determiners: "les douanes russes" -> "douanes russes"."""
    tokens = re.findall(r"[\w'’-]+", text)
    while tokens and straighten(tokens[0].lower()) in cues.determiners:
        tokens = tokens[1:]
    if tokens:
        tokens[0] = tokens[0][_elision(tokens[0], cues):]
    phrase = " ".join(tokens[:words]).strip()
    return phrase or None


def _elision(word: str, cues: ClaimLanguage) -> int:
    """The length of the elided determiner `word` begins with ("l'Administration" -> 2), else 0."""
    start = straighten(word.lower())
    return next((len(e) for e in cues.elided if start.startswith(e)), 0)


def _is_verb_here(fold_text: str, start: int, cues: ClaimLanguage) -> bool:
    """False when the cue word is a noun here ("l'annonce", "ce chiffre")."""
    before = fold_text[max(0, start - 12):start]
    m = re.search(r"([\w']+)\s*$", before)
    if not m:
        return True
    word = m.group(1)
    if word in cues.passive_auxiliaries:
        return False          # passive: "aucun contrat n'a été annoncé"
    return word not in cues.determiners and not word.endswith(cues.elided) and not before.endswith("'")


def claim_of(text: str, sentence: tuple[int, int], span: tuple[int, int], entities: Iterable[Entity] = (),
             previous: Claim | None = None, lang: Language | None = None) -> Claim | None:
    """The source the sentence gives for the item at `span`, or None when it names none; the cues
    are those of `lang`, the bundle of the article's language (default: French).

    >>> t = "Les échanges ont atteint 240,1 milliards de dollars, selon les douanes chinoises."
    >>> claim_of(t, (0, len(t)), (25, 51)).source
    'douanes chinoises'
    """
    cues = claim_language(lang)
    s0, s1 = sentence
    entities = tuple(entities)
    ft = folded(text)
    candidates: list[tuple[int, Claim]] = []
    figure_mid = (span[0] + span[1]) / 2

    for m in cues.source_markers.finditer(ft, s0, s1):
        after = ft[m.end():s1].lstrip(" ,")
        where = m.end() + (len(ft[m.end():s1]) - len(after))
        if any(after.startswith(p) for p in cues.same_source):
            if previous is not None:
                candidates.append((abs(m.start() - figure_mid), previous))
            continue
        first = re.match(r"[\w']+", after)
        if first and first.group(0) in cues.source_pronouns:
            who = _speaker_of_sentence(text, ft, (s0, s1), entities, cues) or previous
            if who:
                candidates.append((abs(m.start() - figure_mid), who))
            continue
        hits = _mentions(entities, where, min(s1, where + cues.source_window), s1)
        stop = _BOUNDARY.search(text, where, s1)
        hits = [h for h in hits if not stop or h[0] < stop.start()] or hits[:1]
        if hits:
            _, _, e = hits[0]
            candidates.append((abs(m.start() - figure_mid), Claim(text[hits[0][0]:hits[0][1]], "cited", e.id)))
        else:
            phrase = _phrase(text[where:stop.start() if stop else s1], cues)
            if phrase:
                candidates.append((abs(m.start() - figure_mid), Claim(phrase, "cited")))

    for m in cues.speaker_verbs.finditer(ft, s0, s1):
        if not _is_verb_here(ft, m.start(), cues):
            continue
        before = text[s0:m.start()].rstrip()
        stop = _BOUNDARY.search(text, m.end(), s1)
        reported = cues.reporting.search(ft[m.end():stop.start() if stop else s1])
        if (before.endswith(",") or not before) and not reported:
            # incise: "…, souligne le Kremlin" / "…, a indiqué Iouri Ouchakov"
            stop = _BOUNDARY.search(text, m.end(), s1)
            end = stop.start() if stop else s1
            hits = _mentions(entities, m.end(), end)
            if hits:
                claim = Claim(text[hits[0][0]:hits[0][1]], "speaker", hits[0][2].id)
            else:
                phrase = _phrase(text[m.end():end], cues)
                claim = Claim(phrase, "speaker") if phrase else None
        else:
            claim = _subject_before(text, ft, s0, m.start(), entities, cues)
        if claim:
            candidates.append((abs(m.start() - figure_mid), claim))

    if not candidates:
        return None
    return min(candidates, key=lambda c: c[0])[1]


def _speaker_of_sentence(text: str, ft: str, sentence: tuple[int, int], entities: tuple[Entity, ...],
                         cues: ClaimLanguage) -> Claim | None:
    """The subject of the sentence's verb of saying, if it has one ("M. Xi a souligné … selon lui")."""
    for m in cues.speaker_verbs.finditer(ft, *sentence):
        if _is_verb_here(ft, m.start(), cues):
            who = _subject_before(text, ft, sentence[0], m.start(), entities, cues)
            if who:
                return who
    hits = [h for h in _mentions(entities, sentence[0], sentence[1]) if h[2].type in ("PERSON", "ORG")]
    return Claim(text[hits[0][0]:hits[0][1]], "speaker", hits[0][2].id) if hits else None


def _subject_before(text: str, ft: str, s0: int, cue: int, entities: tuple[Entity, ...],
                    cues: ClaimLanguage) -> Claim | None:
    """The subject of a verb of saying: the entity (or words) of its clause before the cue.

    When only auxiliaries stand between the last comma and the verb ("Blinken,
    reçu à Pékin, avait déclaré"), the subject is in the sentence's first clause.
    """
    clause_start = s0
    for b in _BOUNDARY.finditer(text, s0, cue):
        clause_start = b.end()
    words = [w for w in re.findall(r"[\w']+", ft[clause_start:cue]) if w not in cues.auxiliaries]
    if not words and clause_start > s0:
        first = _BOUNDARY.search(text, s0, cue)
        clause_start, cue = s0, (first.start() if first else cue)
    hits = _mentions(entities, clause_start, cue)
    if hits:
        s, t, e = hits[-1]
        return Claim(text[s:t], "speaker", e.id)
    words = re.findall(r"[\w'’-]+", text[clause_start:cue])
    if not words or len(words) > 8:
        return None
    if straighten(words[-1].lower()) in cues.past_auxiliaries:
        words = words[:-1]
    phrase = _phrase(" ".join(words), cues)
    if not phrase or phrase.lower() in cues.subject_pronouns or cues.clause_words.search(folded(phrase)):
        return None
    return Claim(phrase, "speaker")


def claims_in(text: str, items: list[tuple[tuple[int, int], tuple[int, int] | None]],
              entities: Iterable[Entity], lang: Language | None = None) -> list[Claim | None]:
    """The claim of each item (span, evidence sentence or None), in article order, read with the
    cues of `lang` (the bundle of the article's language; default: French).

    "la même source" resolves to the last source named before it in the article.
    """
    entities = tuple(entities)
    order = sorted(range(len(items)), key=lambda i: items[i][0])
    out: list[Claim | None] = [None] * len(items)
    previous: Claim | None = None
    last_sentence: tuple[int, int] | None = None
    ft = folded(text)
    for i in order:
        span, sentence = items[i]
        sentence = sentence or sentence_around(text, *span)
        if last_sentence is not None and last_sentence != sentence and sentence[0] > last_sentence[0]:
            # sources named in sentences between the last item and this one count as "previous" too
            gap = (last_sentence[1], sentence[0])
            between = _last_claim_in(text, ft, gap, entities, previous, lang)
            previous = between or previous
        claim = claim_of(text, sentence, span, entities, previous, lang)
        out[i] = claim
        previous = claim or previous
        last_sentence = sentence
    return out


def _last_claim_in(text: str, ft: str, gap: tuple[int, int], entities: tuple[Entity, ...],
                   previous: Claim | None, lang: Language | None) -> Claim | None:
    if gap[1] - gap[0] < 3:
        return None
    found = None
    start = gap[0]
    while start < gap[1]:
        s0, s1 = sentence_around(text, start, start)
        s0, s1 = max(s0, gap[0]), min(s1, gap[1])
        if s1 <= s0:
            break
        found = claim_of(text, (s0, s1), (s1, s1), entities, found or previous, lang) or found
        start = s1 + 1
    return found
