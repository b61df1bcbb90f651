"""Events: PLOVER-coded acts read from French clauses with the dependency parse.

    "Vladimir Poutine et Xi Jinping ont signé jeudi à Pékin une déclaration conjointe."
    -> SUPPORT, actor [CHN, RUS], recipient [], date = that Thursday, location Beijing

A trigger (verb or noun lemma of resources/fr/events.yaml) gives the type and how
its arguments map to roles; subjects, objects and complements are mapped to
states through the entity layer (names, capitals as metonyms, demonyms, people
and the state they serve). Status follows PLOVER's auxiliary modes: negation,
future and conditional auxiliaries, background recalled by the article.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

from veille.extract.time.vocab import vocab as time_vocab
from veille.gazetteer import gazetteer
from veille.records import Entity, Event, Period, PlaceRef, Quote, Timex
from veille.resources import load
from veille.text import fold

CLAUSE_BOUNDARIES = {"acl:relcl", "ccomp", "parataxis", "advcl", "csubj"}
SUBJECTS = {"nsubj", "nsubj:pass", "csubj"}
STATE_KINDS = {"state", "country"}
RELATIVES = {"qui", "lequel", "laquelle", "lesquels", "lesquelles"}
PRONOUNS = {"il", "elle", "celui-ci", "celle-ci", "ce dernier", "cette dernière"}
HISTORICAL_DAYS = 90
ANTECEDENT_CHARS = 1200     # how far back a reply looks for the act it answers
PHYSICAL = ("ASSAULT", "COERCE", "RETREAT")
REPLIES = ("REJECT", "ACCUSE", "PROTEST", "THREATEN", "CONCEDE", "RETREAT")


@dataclass(frozen=True)
class Trigger:
    lemma: str
    type: str
    roles: str
    pos: str
    mode: str | None = None
    reflexive: bool = False
    objects: frozenset[str] = frozenset()
    needs_word: frozenset[str] = frozenset()
    needs_case: frozenset[str] = frozenset()
    unless: frozenset[str] = frozenset()
    agreement: bool = False
    needs_place: bool = False
    background_only: bool = False


@dataclass(frozen=True)
class Vocabulary:
    verbs: dict[str, tuple[Trigger, ...]]
    nouns: dict[str, tuple[Trigger, ...]]
    agreements: frozenset[str]
    material: frozenset[str]
    multilateral: tuple[str, ...]
    phone: tuple[str, ...]
    negation: frozenset[str]
    needs_ne: frozenset[str]
    future_aux: frozenset[str]
    hypothetical_aux: frozenset[str]
    historical_markers: frozenset[str]
    speech_verbs: frozenset[str]
    still_to_do: frozenset[str]
    sectors: tuple[tuple[str, tuple[str, ...]], ...]
    pair_nouns: frozenset[str]
    metonym_bodies: dict[str, str]
    light_verbs: frozenset[str]
    purpose_heads: frozenset[str]
    purpose_marks: frozenset[str]
    topic_cases: frozenset[str]
    object_pronouns: frozenset[str]
    deal_nouns: frozenset[str]
    statement_nouns: frozenset[str]
    settled_verbs: frozenset[str]
    negating_heads: frozenset[str]
    counterpart_nouns: frozenset[str]


def _trigger(row: dict, pos: str) -> Trigger:
    return Trigger(lemma=row["lemma"], type=row["type"], roles=row.get("roles", "directed"), pos=pos,
                   mode=row.get("mode"), reflexive=bool(row.get("reflexive")),
                   objects=frozenset(row.get("object") or ()), needs_word=frozenset(row.get("needs_word") or ()),
                   needs_case=frozenset(fold(w) for w in row.get("needs_case") or ()),
                   unless=frozenset(fold(w) for w in row.get("unless") or ()),
                   agreement=bool(row.get("agreement")), needs_place=bool(row.get("needs_place")),
                   background_only=bool(row.get("background_only")))


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data = load("fr/events.yaml")
    verbs: dict[str, list[Trigger]] = {}
    nouns: dict[str, list[Trigger]] = {}
    for row in data["verbs"]:
        verbs.setdefault(row["lemma"], []).append(_trigger(row, "VERB"))
    for row in data["nouns"]:
        nouns.setdefault(row["lemma"], []).append(_trigger(row, "NOUN"))
    return Vocabulary(
        verbs={k: tuple(v) for k, v in verbs.items()}, nouns={k: tuple(v) for k, v in nouns.items()},
        agreements=frozenset(data["agreements"]), material=frozenset(data["material_words"]),
        multilateral=tuple(fold(w) for w in data["multilateral_words"]),
        phone=tuple(fold(w) for w in data["phone_words"]),
        negation=frozenset(data["negation"]), needs_ne=frozenset(data["needs_ne"]), future_aux=frozenset(data["future_aux"]),
        hypothetical_aux=frozenset(data["hypothetical_aux"]),
        historical_markers=frozenset(data["historical_markers"]),
        speech_verbs=frozenset(data["speech_verbs"]), still_to_do=frozenset(fold(w) for w in data["still_to_do"]),
        sectors=tuple((name, tuple(fold(w) for w in words)) for name, words in data["sectors"].items()),
        pair_nouns=frozenset(fold(w) for w in data["pair_nouns"]),
        metonym_bodies={fold(k): v for k, v in data["metonym_bodies"].items()},
        light_verbs=frozenset(data["light_verbs"]), purpose_heads=frozenset(data["purpose_heads"]),
        purpose_marks=frozenset(fold(w) for w in data["purpose_marks"]),
        topic_cases=frozenset(fold(w) for w in data["topic_cases"]),
        object_pronouns=frozenset(fold(w) for w in data["object_pronouns"]),
        deal_nouns=frozenset(fold(w) for w in data["deal_nouns"]),
        statement_nouns=frozenset(fold(w) for w in data["statement_nouns"]),
        settled_verbs=frozenset(data["settled_verbs"]), negating_heads=frozenset(data["negating_heads"]),
        counterpart_nouns=frozenset(fold(w) for w in data["counterpart_nouns"]),
    )


# -- who is who ---------------------------------------------------------------------

@dataclass
class Parties:
    """Maps character spans of the text to the states (or bodies) they designate."""

    spans: list[tuple[int, int, str, str]] = field(default_factory=list)   # start, end, code, kind
    places: list[tuple[int, int, str, str, str | None]] = field(default_factory=list)  # start, end, name, kind, state
    persons: list[tuple[int, int, str]] = field(default_factory=list)      # start, end, state
    pair: tuple[str, ...] = ()                                              # the story's two states

    def codes(self, start: int, end: int, kinds: frozenset[str] | None = None) -> list[str]:
        found = []
        for s, e, code, kind in self.spans:
            if s >= start and e <= end and (kinds is None or kind in kinds) and code not in found:
                found.append(code)
        return found

    def place_at(self, start: int, end: int) -> tuple[str, str, str | None] | None:
        for s, e, name, kind, state in self.places:
            if s >= start and e <= end:
                return name, kind, state
        return None

    def person_before(self, offset: int, exclude: list[str] | tuple = ()) -> str | None:
        before = [p for p in self.persons if p[1] <= offset and p[2] not in exclude]
        return before[-1][2] if before else None


PAIR = re.compile(r"\b(?:les|des|aux|leurs|ces)\s+deux\s+([a-zéèêàâîôûç' -]{3,30})", re.IGNORECASE)


def _main_pair(places: list[PlaceRef], entities: list[Entity]) -> tuple[str, ...]:
    """The two states an article is most about: most mentioned by name, capital, demonym or person."""
    counts: dict[str, int] = {}
    for ref in places:
        if len(ref.code) == 3 and ref.kind in ("name", "capital", "demonym"):
            counts[ref.code] = counts.get(ref.code, 0) + 1
    for ent in entities:
        if ent.type == "PERSON" and ent.country and ent.role == "actor":
            counts[ent.country] = counts.get(ent.country, 0) + len(ent.mentions)
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:2]
    return tuple(code for code, _ in top) if len(top) == 2 else ()


def build_parties(entities: list[Entity], places: list[PlaceRef], text: str = "",
                  vocab: Vocabulary | None = None) -> Parties:
    gaz = gazetteer()
    parties = Parties()
    bodies = (vocab.metonym_bodies if vocab else {})
    for ref in places:
        if ref.kind == "capital" and ref.entity_id and fold(text[ref.start:ref.end]) in bodies:
            parties.spans.append((ref.start, ref.end, bodies[fold(text[ref.start:ref.end])], "body"))
        elif ref.kind in ("name", "capital", "demonym") and (len(ref.code) == 3 or ref.code.isupper() and "-" not in ref.code):
            parties.spans.append((ref.start, ref.end, ref.code, ref.kind))
    pair = _main_pair(places, entities)
    parties.pair = pair
    if vocab and pair:
        for m in PAIR.finditer(text):
            words = m.group(1).split()
            noun = fold(words[0])
            if noun in vocab.pair_nouns or fold(" ".join(words[:2])) in vocab.pair_nouns:
                end = m.start(1) + len(words[0])
                for code in pair:
                    parties.spans.append((m.start(), end, code, "pair"))
    for ent in entities:
        if ent.role != "actor":
            continue
        entry = gaz.entries.get(ent.id)
        for s, e in ent.mentions:
            if ent.type == "PERSON" and ent.country:
                parties.spans.append((s, e, ent.country, "person"))
                parties.persons.append((s, e, ent.country))
            elif ent.type == "ORG":
                kind = entry.kind if entry else None
                body = gaz.codes.get(ent.id)
                if body:
                    parties.spans.append((s, e, body, "body"))
                elif ent.country and kind not in ("news_agency", "media"):
                    parties.spans.append((s, e, ent.country, "org"))
            if ent.type in ("PLACE", "COUNTRY"):
                state = ent.country if ent.type == "PLACE" else ent.country
                kind = (entry.kind if entry else None) or ent.type.lower()
                parties.places.append((s, e, ent.name, kind, state))
    parties.spans.sort()
    parties.places.sort()
    parties.persons.sort()
    return parties


# -- clause helpers ---------------------------------------------------------------------

def _subtree_range(token, stop_at: set[str] = CLAUSE_BOUNDARIES) -> list[tuple[int, int]]:
    """Character ranges of a token's subtree, without embedded clauses."""
    ranges = []
    stack = [token]
    while stack:
        t = stack.pop()
        ranges.append((t.idx, t.idx + len(t.text)))
        for child in t.children:
            if child.dep_ not in stop_at:
                stack.append(child)
    return ranges


def _span_of(token, stop_at: set[str] = CLAUSE_BOUNDARIES) -> tuple[int, int]:
    ranges = _subtree_range(token, stop_at)
    return min(s for s, _ in ranges), max(e for _, e in ranges)


def _case(token) -> str | None:
    for child in token.children:
        if child.dep_ in ("case", "mark"):
            return fold(child.text)
    return None


def _codes_of(token, parties: Parties, exclude: list[str] | None = None, skip: tuple[str, ...] = ()) -> list[str]:
    """States named in a token's phrase, leaving out embedded clauses and topic phrases
    (and nested phrases introduced by a preposition of `skip`)."""
    vocab = vocabulary()
    ranges = []
    stack = [token]
    while stack:
        t = stack.pop()
        ranges.append((t.idx, t.idx + len(t.text)))
        for child in t.children:
            if child.dep_ in CLAUSE_BOUNDARIES or child.dep_ == "acl":
                continue
            if child is not token and (_case(child) in vocab.topic_cases or _case(child) in skip):
                continue
            place = parties.place_at(child.idx, child.idx + len(child.text)) if child is not token else None
            if child is not token and child.dep_ in ("nmod", "obl:mod") and _case(child) in ("a", "au", "aux", "en", "dans") \
                    and place is not None and (place[1] not in STATE_KINDS or _case(child) in ("en", "dans")):
                continue  # "l'ambassade de Chine à Washington": Washington is where, not who ("à la Chine" is who)
            stack.append(child)
    codes: list[str] = []
    for start, end in _merge_ranges(ranges):
        for code in parties.codes(start, end):
            if code not in codes:
                codes.append(code)
    word = fold(token.text).rstrip("'")
    if not codes and (word in PRONOUNS or (word in vocab.object_pronouns and token.pos_ == "PRON")):
        person = parties.person_before(token.idx, exclude or [])
        if person:
            codes = [person]
    if not codes and fold(token.lemma_ or token.text) in vocab.counterpart_nouns and exclude \
            and len(parties.pair) == 2 and exclude[0] in parties.pair:
        # "Poutine a invité son homologue": in a story about two states, the other one's leader
        codes = [c for c in parties.pair if c != exclude[0]]
    return codes


def _merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def _subjects(token, depth: int = 0) -> tuple[list, bool]:
    """The logical subjects of a verb: its own, else its governor's (xcomp, conj, advcl).

    Returns the subject tokens and whether they are passive subjects (then the
    agent, "par X", is the logical subject when there is one).
    """
    active = [c for c in token.children if c.dep_ in ("nsubj", "csubj")]
    if active and "Part" in token.morph.get("VerbForm") and any(c.dep_ == "obl:agent" for c in token.children) \
            and not any(c.dep_.startswith("aux") for c in token.children):
        return active, True  # "X, reçu par Y, ...": a bare participle with an agent is passive
    if active and token.dep_ == "acl:relcl" and fold(active[0].text) in RELATIVES and token.head is not token:
        return [token.head], False  # "les établissements qui aideraient...": the antecedent acts
    if active:
        return active, False
    passive = [c for c in token.children if c.dep_ == "nsubj:pass"]
    if passive:
        return passive, True
    if token.dep_ == "acl" and "Part" in token.morph.get("VerbForm") and token.head.pos_ in ("NOUN", "PROPN"):
        # "Blinken, reçu à Pékin par Xi": the noun a past participle describes is its passive
        # subject; "l'ambassade, affirmant que...": a present participle's is its active one
        return [token.head], "Past" in token.morph.get("Tense")
    if depth < 3 and token.dep_ in ("xcomp", "conj", "advcl", "acl", "ccomp") and token.head is not token:
        subjects, passive = _subjects(token.head, depth + 1)
        # "doit être reçu par Xi": the governor lends its subject, the voice is the verb's own
        return subjects, any(c.dep_ == "aux:pass" for c in token.children) if subjects else passive
    return [], False


def _subject(token):
    subjects, passive = _subjects(token)
    return (subjects[0] if subjects else None), passive


def _is_reflexive(token) -> bool:
    return any(fold(c.text) in ("se", "s'", "s", "nous", "vous", "m'", "t'") and c.dep_.startswith(("expl", "obj", "iobj"))
               for c in token.children)


OBJECT_DEPS = ("obj", "obl:arg", "iobj", "xcomp", "obl:mod", "obl", "nmod")


@lru_cache(maxsize=1)
def _time_nouns() -> frozenset[str]:
    """Folded nouns of days, months, parts of days and time units ("vendredi", "veille", "mois"),
    from the time layer's vocabulary."""
    v = time_vocab()
    words = set(v.months) | set(v.weekdays) | set(v.day_parts) | set(v.units)
    words |= {phrase.split()[-1].split("'")[-1] for phrase in v.relative_days}  # "la veille" -> veille
    return frozenset(words)


def _objects(token) -> list[tuple[object, str]]:
    """(complement, its relation) of a verb; a complement the parser hung under a day word
    ("a rejeté vendredi les accusations", "accusations" under "vendredi") is the verb's."""
    out = []
    for c in token.children:
        if c.dep_ not in OBJECT_DEPS:
            continue
        # "exhorte Washington à cesser": a name the parser made a predicate is the object
        out.append((c, "obj" if c.dep_ == "xcomp" and c.pos_ in ("NOUN", "PROPN") else c.dep_))
        if fold(c.lemma_ or c.text) in _time_nouns():
            out += [(g, "obj" if _case(g) is None else g.dep_) for g in c.children if g.dep_ in ("nmod", "obj")]
    return out


CONDITIONAL = re.compile(r"r(?:ait|aient)$")
IMPERFECT = re.compile(r"(?:a|u|o)r(?:ait|aient)$")
FIRST_GROUP = re.compile(r"(.{3,}?)(?:e|es|ent|é|ée|és|ées)$")


def _first_group(word: str) -> str | None:
    """The -er verb a conjugated form most likely belongs to: "reproche", "approuvé" -> reprocher, approuver."""
    m = FIRST_GROUP.match(word)
    return m.group(1) + "er" if m else None


def _lemma(token) -> str:
    lemma = (token.lemma_ or token.text).lower()
    if token.pos_ in ("VERB", "AUX") and not lemma.endswith(("er", "ir", "re")):
        return _first_group(lemma) or lemma  # the lemmatizer left a conjugated form
    return lemma


def _sentence_words(sent) -> str:
    """The sentence's folded words between spaces, computed once per sentence of a doc."""
    cache = sent.doc.user_data.setdefault("veille_sentence_words", {})
    key = (sent.start, sent.end)
    if key not in cache:
        cache[key] = " " + " ".join(fold(t.text) for t in sent) + " "
    return cache[key]


# -- status -----------------------------------------------------------------------

def _status(token, trigger: Trigger, vocab: Vocabulary) -> str:
    chain = [token]
    head = token
    if trigger.pos == "NOUN":
        # a noun takes the mood of its verb only when the verb just carries it ("n'a pas effectué
        # de visite"), not when the noun is a circumstance of another act ("la visite n'a pas permis")
        if token.dep_ in ("obj", "nsubj:pass", "obl:arg") and _lemma(token.head) in vocab.light_verbs:
            chain.append(token.head)
    else:
        for _ in range(3):
            if head.dep_ in ("xcomp", "obj", "nmod", "obl", "obl:arg", "obl:mod") and head.head is not head:
                head = head.head
                chain.append(head)
            else:
                break
    words = {fold(c.text) for t in chain for c in t.children if c.dep_ in ("advmod", "det", "cc")}
    words |= {fold(d.text) for c in token.children if c.dep_ in ("obj", "nsubj", "nsubj:pass")
              for d in c.children if d.dep_ == "det"}
    negators = words & vocab.negation
    if negators - vocab.needs_ne or (negators and any(
            fold(c.text) in ("ne", "n'", "n") for t in chain for c in t.children if c.dep_ == "advmod")):
        return "negated"  # "plus" and "point" negate only with "ne": "les plus demandées" does not
    for t in chain[1:]:
        if _lemma(t) == "devoir" and any(fold(c.text) in vocab.still_to_do for c in t.children):
            return "negated"
    if any(c.dep_ == "mark" and fold(c.text) in ("si", "s'", "s") for t in chain for c in t.children):
        return "hypothetical"  # "si Kiev refusait le plan": a condition, not a fact
    if token.dep_ == "xcomp" and _lemma(token.head) in vocab.negating_heads:
        return "negated"  # "s'est abstenu de condamner"
    if trigger.pos == "VERB" and CONDITIONAL.search(token.lower_) and not IMPERFECT.search(token.lower_) \
            and "Cnd" not in token.morph.get("Mood") and "Imp" not in token.morph.get("Tense"):
        return "hypothetical"  # the tagger missed the mood: "fournirait"
    for t in chain:
        morph = t.morph
        aux_lemmas = {_lemma(c) for c in t.children if c.dep_.startswith("aux")}
        if "Cnd" in morph.get("Mood") or any("Cnd" in c.morph.get("Mood") for c in t.children if c.dep_.startswith("aux")):
            if _lemma(t) in vocab.hypothetical_aux or aux_lemmas & vocab.hypothetical_aux:
                return "hypothetical"
            if t is not token and _lemma(t) in vocab.future_aux:
                return "future"
            return "hypothetical"
        if "Fut" in morph.get("Tense") or any("Fut" in c.morph.get("Tense") for c in t.children if c.dep_.startswith("aux")):
            return "future"
        if t is not token and (_lemma(t) in vocab.future_aux or _lemma(t) in vocab.hypothetical_aux):
            return "future" if _lemma(t) in vocab.future_aux else "hypothetical"
        if aux_lemmas & {"aller"} and "Inf" in token.morph.get("VerbForm"):
            return "future"
    if trigger.pos == "NOUN":
        for child in token.children:
            if fold(child.text) in ("prochain", "prochaine", "future", "futur", "prevu", "prevue"):
                return "future"
    return "occurred"


# -- the extractor ------------------------------------------------------------------

@dataclass
class Context:
    text: str
    parties: Parties
    timexes: list[Timex]
    published: str | None
    story_date: Period | None
    story_place: tuple[str, str | None] | None
    vocab: Vocabulary
    pair: tuple[str, ...] = ()


def _story_date(timexes: list[Timex], text: str, published: str | None) -> Period | None:
    """The day the story reports: the first day-precise date of its lead, else publication day."""
    lead_end = max(300, text.find("\n") if text.find("\n") > 0 else 300)
    for t in timexes:
        if t.start > lead_end:
            break
        if t.type == "DATE" and t.granularity == "day" and t.begin:
            return Period(t.begin, t.end_date or t.begin)
    if published and len(published) == 10:
        return Period(published, published)
    return None


def _story_place(parties: Parties) -> tuple[str, str | None] | None:
    for s, e, name, kind, state in parties.places:
        if kind in ("city", "port", "capital", "municipality"):
            return name, state
    return None


def _other_clause(timex: Timex, token, sent) -> bool:
    """Whether a time expression sits in a clause that does not govern the trigger.

    "Arrivé lundi à Pékin, il a signé mardi...": "lundi" dates the arrival, not the signing.
    """
    at = next((t for t in sent if t.idx <= timex.start < t.idx + len(t.text)), None)
    if at is None:
        return False
    governing = {token.i} | {a.i for a in token.ancestors}
    t = at
    while t.head is not t and t.i not in governing:
        if t.dep_ in CLAUSE_BOUNDARIES:
            return True
        t = t.head
    return False


def _in_complement(timex: Timex, token) -> bool:
    """Whether a time expression lies in a verb's infinitive complement ("a proposé d'organiser
    une rencontre en juin"): it dates what is promised, not the promise."""
    for child in token.children:
        if child.dep_ in ("xcomp", "ccomp") and child.pos_ in ("VERB", "AUX"):
            start, end = min(t.idx for t in child.subtree), max(t.idx + len(t.text) for t in child.subtree)
            if start <= timex.start and timex.end <= end:
                return True
    return False


def _date_near(token, sent, ctx: Context, promise: bool = False) -> Period | None:
    candidates = [t for t in ctx.timexes if t.start >= sent.start_char and t.end <= sent.end_char
                  and t.type != "DURATION" and t.begin and not (promise and _in_complement(t, token))]
    # a date still to come is kept wherever it sits: a plan's date is often told apart
    # ("propose une rencontre au sommet de Kazan, prévu du 22 au 24 octobre")
    own = [t for t in candidates if (ctx.published and t.begin > ctx.published) or not _other_clause(t, token, sent)]
    candidates = own or ([] if candidates and ctx.story_date else candidates)
    if not candidates:
        return None
    best = min(candidates, key=lambda t: min(abs(t.start - token.idx), abs(t.end - token.idx)))
    return Period(best.begin, best.end_date or best.begin)


def _location(token, sent, ctx: Context, within: tuple[int, int]) -> tuple[str, str | None] | None:
    """A place introduced by "à", "au", "lors du sommet de", in the clause, else the sentence."""
    for start, end in (within, (sent.start_char, sent.end_char)):
        for s, e, name, kind, state in ctx.parties.places:
            if s < start or e > end or kind in ("state", "country", "region"):
                continue
            before = fold(ctx.text[max(0, s - 20):s])
            if before.rstrip().endswith((" a", " au", " aux", " de", " du", "a", " en")):
                return name, state
    return None


def _sectors(sent, ctx: Context) -> tuple[str, ...]:
    words = _sentence_words(sent)
    found = []
    for name, cues in ctx.vocab.sectors:
        if any(f" {cue} " in words for cue in cues):
            found.append(name)
    return tuple(found)


def _count(token) -> int | None:
    for obj in [token, *token.children]:
        if _lemma(obj) in vocabulary().agreements or obj.text.lower() in vocabulary().agreements:
            for child in obj.children:
                if child.dep_ == "nummod" or child.like_num:
                    try:
                        from text_to_num import text2num

                        n = int(child.text) if child.text.isdigit() else int(text2num(child.text.lower(), "fr"))
                        return n if n >= 2 else None
                    except (ValueError, TypeError):
                        return None
    return None


def _matches(token, trigger: Trigger, sent_words: str) -> bool:
    if trigger.reflexive and not _is_reflexive(token):
        return False
    if trigger.objects:
        agents = {c.i for a in token.children if a.dep_ == "obl:agent" for c in a.subtree}
        around = [c for c in token.subtree if c.i != token.i and c.i not in agents]
        if token.dep_ in ("acl", "amod") and token.head is not token:
            around.append(token.head)  # "les accords conclus"
        near = {_lemma(c) for c in around} | {fold(c.text) for c in around}
        if not (near & {fold(o) for o in trigger.objects} or near & trigger.objects):
            return False
    if trigger.needs_word and not any(f" {fold(w)} " in sent_words for w in trigger.needs_word):
        return False
    if trigger.needs_case and not any(
            fold(g.text) in trigger.needs_case for c in token.children for g in c.children if g.dep_ in ("case", "mark")):
        return False  # "appeler X à faire" asks; "appeler X « cher ami »" names
    signed = [c for c in token.children if c.dep_ in ("obj", "nsubj:pass")]
    if token.dep_ in ("acl", "amod") and token.head is not token:
        signed.append(token.head)
    if trigger.unless and any(fold(c.lemma_ or c.text) in trigger.unless or fold(c.text) in trigger.unless
                              for c in signed):
        return False  # "signer un décret" is no agreement
    return True


PARTICIPLE = re.compile(r"(?:é|ée|és|ées)$")


def _participle_lemma(token) -> str | None:
    """The verb of a past participle the tagger took for a noun: "ont [...] approuvé" -> approuver."""
    if not PARTICIPLE.search(token.lower_) or not any(c.dep_.startswith("aux") for c in token.children):
        return None
    return _first_group(token.lower_)


def _noun_options(token, vocab: Vocabulary) -> tuple[Trigger, ...]:
    """The noun triggers a token's lemma or folded form names."""
    return vocab.nouns.get(_lemma(token)) or vocab.nouns.get(fold(token.text), ())


def find_triggers(sent, vocab: Vocabulary) -> list[tuple[object, Trigger]]:
    words = _sentence_words(sent)
    found = []
    for token in sent:
        options = ()
        if token.pos_ in ("VERB", "AUX"):
            options = vocab.verbs.get(_lemma(token), ())
        elif token.pos_ in ("NOUN", "ADJ", "PROPN"):
            participle = _participle_lemma(token) if token.pos_ != "PROPN" else None
            options = vocab.verbs.get(participle, ()) if participle else ()
            if not options and token.pos_ != "ADJ":
                options = _noun_options(token, vocab)
        for trigger in options:
            if _matches(token, trigger, words):
                found.append((token, trigger))
                break
    return found


def _sentence_of(token):
    """The sentence of a token (cached by extract_events: Token.sent walks the doc)."""
    cache = token.doc.user_data.get("veille_sents")
    return cache[token.i] if cache else token.sent


def _left_window_codes(token, parties: Parties) -> list[str]:
    """Parties named between the clause's start (sentence start or last comma) and the verb.

    A fallback when the parse did not attach the subject ("MM. Xi et Poutine ont signé").
    """
    sent = _sentence_of(token)
    start = sent.start_char
    for t in sent:
        if t.i >= token.i:
            break
        if t.text in (",", ";", ":", "«", "»"):
            start = t.idx + 1
        elif t.dep_ == "mark" or fold(t.text) in ("que", "qu'", "si", "lorsque", "quand"):
            start = t.idx + len(t.text)  # a subordinate clause does not reach back over its conjunction
    verb_start = min([token.idx] + [c.idx for c in token.children if c.dep_.startswith(("aux", "expl")) and c.i < token.i])
    return parties.codes(start, verb_start)


def _par_window(token, parties: Parties) -> list[str]:
    """States in a "par ..." phrase right after a nominal trigger ("l'invasion de l'Ukraine par les forces russes")."""
    sent = _sentence_of(token)
    for t in sent[token.i - sent.start + 1: token.i - sent.start + 10]:
        if t.text in (",", ";", ".", "(", ")"):
            break
        if t.lower_ == "par":
            end = t.idx + 60
            for u in sent[t.i - sent.start + 1:]:
                if u.text in (",", ";", ".") or u.idx > end:
                    end = u.idx
                    break
            return parties.codes(t.idx, end)
    return []


def _located_in(token, parties: Parties, vocab: Vocabulary) -> list[str]:
    """States where a target that names none is based: "des entreprises établies en Chine"."""
    codes: list[str] = []
    for t in token.subtree:
        if t.dep_ == "acl" and _lemma(t) in vocab.settled_verbs:
            for child in t.children:
                if child.dep_.startswith("obl") and _case(child) in ("en", "a", "au", "aux", "dans"):
                    codes += [c for c in parties.codes(child.idx, child.idx + len(child.text)) if c not in codes]
    return codes


def _is_purpose(token, vocab: Vocabulary) -> bool:
    """"visant à intensifier", "pour renforcer": an aim, not an act."""
    if any(fold(c.text) in vocab.purpose_marks for c in token.children if c.dep_ == "mark"):
        return True
    return token.dep_ in ("xcomp", "acl", "advcl") and _lemma(token.head) in vocab.purpose_heads


ALLEGING = ("ACCUSE", "REQUEST", "THREATEN", "REJECT")


def _alleged(token, vocab: Vocabulary) -> bool:
    """Whether a verb is the content of an accusation, demand, threat or denial that governs it."""
    if token.dep_ not in ("xcomp", "ccomp", "acl") or token.head is token:
        return False
    head = token.head
    lemma = _lemma(head)
    options = vocab.verbs.get(lemma, ()) if head.pos_ in ("VERB", "AUX") else \
        _noun_options(head, vocab) or vocab.verbs.get(lemma, ())
    return any(t.type in ALLEGING for t in options)


def _noun_trigger(token, vocab: Vocabulary) -> Trigger | None:
    """The event a noun names, if it is a trigger ("invasion", "sanctions", "livraisons")."""
    if token.pos_ not in ("NOUN", "PROPN"):
        return None
    options = _noun_options(token, vocab)
    return options[0] if options else None


def _under_trigger(token, vocab: Vocabulary) -> bool:
    """Whether a noun trigger is the object of a verb trigger of the sentence ("a levé son
    embargo", "a refusé toute rencontre"): the verb's event is the one reported."""
    if token.dep_ not in ("obj", "obl:arg", "nsubj:pass") or token.head is token:
        return False
    head = token.head
    if head.pos_ in ("NOUN", "ADJ") and fold(head.lemma_ or head.text) in _time_nouns():
        head = head.head
    if head.pos_ not in ("VERB", "AUX") or _lemma(head) not in vocab.verbs:
        return False
    noun = _noun_trigger(token, vocab)
    # a light verb carries the noun's own event ("imposer des sanctions"); one that is a trigger
    # of another type reports its own ("lever un embargo" is CONCEDE, not SANCTION)
    return _lemma(head) not in vocab.light_verbs or (
        noun is not None and all(t.type != noun.type for t in vocab.verbs[_lemma(head)]))


def _promised(token, vocab: Vocabulary) -> bool:
    """Whether an act is what a promise, offer or proposal governing it is about."""
    t = token
    if t.pos_ in ("NOUN", "PROPN"):
        if t.dep_ not in ("obj", "nsubj:pass") or t.head is t or _lemma(t.head) not in vocab.light_verbs:
            return False
        t = t.head
    for _ in range(2):
        if t.dep_ != "xcomp" or t.head is t:
            return False
        t = t.head
        if any(tr.type == "AGREE" for tr in vocab.verbs.get(_lemma(t), ())):
            return True
    return False


def _roles(token, trigger: Trigger, ctx: Context) -> tuple[list[str], list[str]]:
    """(actors, recipients) of a trigger, by its kind of roles."""
    parties = ctx.parties
    actors: list[str] = []
    recipients: list[str] = []
    place_states: list[str] = []
    co: list[str] = []
    if trigger.pos == "VERB":
        subjects, passive = _subjects(token)
        subject_codes = [c for subject in subjects for c in _codes_of(subject, parties)]
        object_codes: list[str] = []
        complement_codes: list[str] = []
        for child, dep in _objects(token):
            case = _case(child)
            # "a salué la hausse de ses échanges avec le Brésil": the partner of a thing praised
            # or blamed is not the target
            codes = _codes_of(child, parties, exclude=subject_codes,
                              skip=("avec",) if trigger.roles == "directed" else ())
            act = _noun_trigger(child, ctx.vocab) if trigger.roles == "directed" and dep in ("obj", "obl:arg") else None
            if act is not None:
                # "a condamné l'invasion russe de l'Ukraine": who is blamed is who did the act
                doers, _ = _roles(child, act, ctx)
                codes = [c for c in doers if c not in subject_codes] or codes
            if case in ("avec", "aupres de") or case == "aupres":
                co += codes
            elif case in ("a", "au", "en", "aux", "vers") and any(parties.place_at(*_span_of(child))
                                                                  for _ in [0]) and trigger.roles == "visit":
                place_states += codes
            elif (dep in ("obj", "iobj") or case in ("contre", "envers")
                  or (dep == "obl:arg" and case in (None, "a", "au", "aux", "de", "d", "du", "des"))):
                if trigger.roles == "directed" and dep in ("obj", "iobj") and \
                        parties.codes(*_span_of(child), kinds=frozenset({"pair"})):
                    return [], []  # "a appelé les deux pays à...": an appeal to itself as well, no one's act on another
                object_codes += codes or (_located_in(child, parties, ctx.vocab) if trigger.roles == "directed" else [])
            elif dep == "xcomp" and trigger.roles == "directed" and child.pos_ in ("VERB", "AUX"):
                complement_codes += [c for g in child.children if g.dep_ in ("obj", "iobj", "obl:arg")
                                     for c in _codes_of(g, parties, exclude=subject_codes)]
        if not object_codes:
            # "exhorte Pékin à cesser" names its target; "accuse [X] de livrer des armes à Y" does not make Y one
            object_codes = complement_codes
        syntactic_codes = list(subject_codes)
        if passive:
            agents = [c for c in token.children if c.dep_ == "obl:agent" or (_case(c) == "par" and c.dep_.startswith("obl"))]
            agent_codes = [c for a in agents for c in _codes_of(a, parties)]
        if passive and not (trigger.roles == "reciprocal" and not agent_codes):
            # "sont convenues de" is no passive: a reciprocal verb keeps its subject without an agent
            object_codes = [c for c in subject_codes if c not in agent_codes] + [c for c in object_codes if c not in agent_codes]
            subject_codes = agent_codes
        named = [t for t in subjects if fold(t.text) not in PRONOUNS and t.pos_ != "PRON"]
        if len(subject_codes) < (2 if trigger.roles == "reciprocal" else 1) and not (named and not syntactic_codes):
            # the parse may have missed the subject ("MM. Xi et Poutine ont signé"); a subject it
            # found that names no state ("les établissements étrangers qui...") is left alone
            for code in _left_window_codes(token, parties):
                if code not in subject_codes and (trigger.roles == "reciprocal" or code not in object_codes):
                    subject_codes.append(code)
        if trigger.roles == "reciprocal":
            actors = subject_codes + co + [c for c in object_codes if trigger.type == "CONSULT"]
        elif trigger.roles == "host":
            actors, recipients = object_codes + co, subject_codes
        elif trigger.roles == "visit":
            actors, recipients = subject_codes, place_states or object_codes
        else:
            actors, recipients = subject_codes, object_codes + co
    else:
        of, by, between, to, adjective = [], [], [], [], []
        for child in token.children:
            case = _case(child)
            codes = _codes_of(child, parties)
            if trigger.roles == "reciprocal" and (
                    (child.dep_ == "det" and fold(child.text) in ("leur", "leurs", "nos"))
                    or (child.dep_ == "amod" and fold(child.lemma_ or child.text) in ("bilateral", "bilaterale"))):
                between += list(ctx.pair)
                continue
            if child.dep_ == "amod":
                codes = parties.codes(child.idx, child.idx + len(child.text))
                adjective += codes
                if trigger.type not in ("ASSAULT", "COERCE"):
                    of += codes
            elif case in ("de", "du", "des", "d"):
                of += codes
            elif case == "par":
                by += codes
            elif case in ("entre", "avec"):
                between += codes
            elif case in ("a", "au", "en", "aux", "contre", "vers"):
                to += codes
        if trigger.roles == "host":
            actors, recipients = of + to, []
            verb = token.head
            if token.dep_ in ("obj", "nsubj:pass") and verb.pos_ in ("VERB", "AUX") \
                    and _lemma(verb) in ctx.vocab.light_verbs:
                # "Xi lui a réservé un accueil fastueux": the subject hosts, the one received is the visitor
                subject, _ = _subject(verb)
                recipients = _codes_of(subject, parties) if subject is not None else []
                actors += [c for child in verb.children if child is not token
                           and (child.dep_ in ("iobj", "obl:arg") or _case(child) in ("a", "au", "aux"))
                           for c in _codes_of(child, parties, exclude=recipients)]
            return list(dict.fromkeys(c for c in actors if c not in recipients)), list(dict.fromkeys(recipients))
        if trigger.roles == "visit":
            actors, recipients = of, to
        elif trigger.roles == "reciprocal":
            actors = of + between + to
        elif trigger.type in ("ASSAULT", "COERCE"):
            # "l'invasion russe de l'Ukraine", "les frappes russes contre...": the adjective names
            # the doer, "de" the victim; "par" the doer when there is one
            by = by or _par_window(token, parties) or adjective
            actors, recipients = by, [c for c in of + to if c not in by]
        else:
            actors, recipients = of + by, to
        if not actors and token.head is not token and token.dep_ in ("obj", "nsubj", "obl:arg", "obl:mod", "obl"):
            verb = token.head
            if verb.pos_ in ("VERB", "AUX") and _lemma(verb) in ctx.vocab.light_verbs and token.dep_ != "nsubj":
                subject, _ = _subject(verb)
                if subject is not None and subject is not token:
                    actors = _codes_of(subject, parties)
                    if not recipients and trigger.roles != "reciprocal":
                        # "a commencé la guerre en Ukraine": the complement may hang on the verb
                        recipients = [c for child in verb.children if child is not token
                                      and _case(child) in ("en", "contre", "a", "au", "aux", "vers")
                                      for c in _codes_of(child, parties) if c not in actors]
    actors = list(dict.fromkeys(actors))
    recipients = [c for c in dict.fromkeys(recipients) if c not in actors]
    return actors, recipients


def _event_from(token, trigger: Trigger, sent, ctx: Context, quote_speaker: str | None,
                history: list[Event] = ()) -> Event | None:
    if trigger.pos == "VERB" and _is_purpose(token, ctx.vocab):
        return None
    if trigger.pos == "VERB" and _alleged(token, ctx.vocab):
        return None  # "leur reproche d'avoir livré": the delivery is what is alleged, not an act reported
    if trigger.pos == "NOUN" and _under_trigger(token, ctx.vocab):
        return None
    if _promised(token, ctx.vocab):
        return None  # "a proposé d'organiser une rencontre": the proposal (AGREE) is the event
    if trigger.pos == "VERB" and (any(c.dep_ == "det" for c in token.children) or _superlative(token)):
        return None  # "les plus demandées": a participle used as an adjective or a noun
    appositive = "Pres" in token.morph.get("Tense") and token.i > 0 and token.doc[token.i - 1].text == ","
    if trigger.pos == "VERB" and token.dep_ in ("amod", "acl") and not appositive and not any(
            c.dep_ in ("obl:agent", "aux:pass", "aux:tense") or _case(c) == "par" for c in token.children):
        # a participle describing a noun ("une délégation fournie", "les pays refusant de payer"),
        # unless set apart as what its noun did ("l'ambassade, dénonçant les sanctions, ...")
        return None
    actors, recipients = _roles(token, trigger, ctx)
    if not actors and not recipients and trigger.agreement and ctx.pair and not _has_active_subject(token) and \
            set(ctx.parties.codes(sent.start_char, sent.end_char)) <= set(ctx.pair) and \
            set(ctx.pair) <= set(ctx.parties.codes(_previous_sentence_start(sent), sent.end_char)):
        # "des accords ont été signés": between the article's two states, unless others are named
        actors = list(ctx.pair)
    if not actors:
        # an act with no known doer ("l'invasion de l'Ukraine") cannot be coded reliably
        return None
    if trigger.background_only:
        return None
    vocab = ctx.vocab
    words = _sentence_words(sent)
    event_type, mode = trigger.type, trigger.mode
    if trigger.agreement:
        signed = _signed_kind(token, vocab)
        if signed == "deal" or (signed is None and any(f" {w} " in words for w in vocab.material)):
            event_type = "COOPERATE"
    status = _status(token, trigger, vocab)
    if trigger.agreement and status in ("future", "hypothetical"):
        event_type = "AGREE"  # a signing to come is a promise (PLOVER), deal or statement alike
    if event_type == "CONSULT":
        if any(f" {w} " in words for w in vocab.phone):
            mode = "phone"
        elif mode is None and any(f" {w} " in words for w in vocab.multilateral) and len(actors) + len(recipients) > 2:
            mode = "multilateral"
    clause = _span_of(token)
    date_ = _date_near(token, sent, ctx, promise=event_type == "AGREE" and trigger.pos == "VERB")
    confidence = 0.8 if date_ else 0.6
    if date_ is None:
        date_ = ctx.story_date
    place = _location(token, sent, ctx, clause)
    if event_type == "CONSULT" and mode in (None, "visit") and place and place[1]:
        host = place[1]
        parties_all = actors + recipients
        if host in parties_all and len(parties_all) == 2:
            actors = [c for c in parties_all if c != host]
            recipients = [host]
            mode = "visit"
    if event_type == "CONSULT" and mode == "visit" and not recipients and place and place[1] and place[1] not in actors:
        recipients = [place[1]]
    if trigger.roles == "visit" and not recipients:
        return None
    if not recipients and event_type in PHYSICAL:
        # "ont frappé des installations à Kharkiv": the state where the act lands
        for start, end in (clause, (sent.start_char, sent.end_char)):
            recipients = list(dict.fromkeys(state for s_, e_, name, kind, state in ctx.parties.places
                                            if s_ >= start and e_ <= end and state and kind not in STATE_KINDS
                                            and state not in actors))
            if recipients:
                break
    if not recipients and trigger.roles == "directed" and event_type in REPLIES:
        recipients = [c for c in _antecedent(actors, sent.start_char, history) if c not in actors]
    if (not recipients and len(actors) == 1 and trigger.roles in ("directed", "host") and ctx.pair
            and actors[0] in ctx.pair and event_type not in ("ASSAULT", "MOBILIZE", "PROTEST", "SUPPORT")):
        # a one-sided act by one of the article's two states, with no target named in the clause:
        # in a bilateral story it is aimed at the other when that one is named close by
        other = next(c for c in ctx.pair if c != actors[0])
        start = max(ctx.text.rfind("\n", 0, sent.start_char), 0)
        if other in ctx.parties.codes(start, sent.end_char):
            recipients = [other]
    if place is None and ctx.story_place and date_ and ctx.story_date and date_ == ctx.story_date:
        name, state = ctx.story_place
        if state is None or state in actors + recipients:
            place = ctx.story_place
    if status == "occurred" and date_ and ctx.published and len(ctx.published) == 10 and date_.end:
        try:
            gap = date.fromisoformat(ctx.published) - date.fromisoformat(date_.end)
        except ValueError:
            gap = timedelta(0)
        if gap.days > HISTORICAL_DAYS:
            status = "historical"
    if trigger.pos == "NOUN" and status == "occurred" and _governed_by(token, vocab.historical_markers):
        status = "historical"
    if status == "occurred" and date_ and ctx.published and date_.begin and date_.begin > ctx.published and len(ctx.published) == 10:
        status = "future"
    if event_type == "SUPPORT" and trigger.roles == "directed" and not recipients:
        return None  # praise of a thing ("a salué le niveau des échanges") backs no one
    if event_type == "COOPERATE" and trigger.roles == "reciprocal" and len(set(actors)) < 2:
        return None  # joint action needs two parties; "il doit inaugurer l'Expo" alone is a ceremony
    if event_type == "CONSULT" and len(set(actors) | set(recipients)) < 2 and not (
            set(actors) & set(gazetteer().codes.values())):
        return None  # a meeting needs two parties (or a body's members); "rencontrer des étudiants" is not diplomacy
    reciprocal = trigger.roles == "reciprocal" and event_type not in ("ASSAULT", "SANCTION", "ACCUSE")
    if reciprocal or (event_type == "CONSULT" and mode != "visit"):
        actors, recipients = sorted(set(actors) | set(recipients)), []
    return Event(type=event_type, actor=tuple(actors), recipient=tuple(recipients), mode=mode, status=status,
                 date=date_, location=place[0] if place else None,
                 sectors=_sectors(sent, ctx) if event_type not in ("ASSAULT",) else (),
                 count=_count(token) if trigger.agreement else None,
                 evidence=(sent.start_char, sent.end_char), confidence=confidence,
                 trigger=token.text, source=quote_speaker)


def _previous_sentence_start(sent) -> int:
    sents = sent.doc.user_data.get("veille_sents")
    if sents and sent.start > 0:
        return sents[sent.start - 1].start_char
    return sent.start_char


def _superlative(token) -> bool:
    doc = token.doc
    return token.i >= 2 and doc[token.i - 1].lower_ in ("plus", "moins") and doc[token.i - 2].lower_ in ("le", "la", "les")


def _has_active_subject(token) -> bool:
    """"Les participants ont adopté...": a named doer who is no state (the pair default would guess wrong)."""
    subjects, passive = _subjects(token) if token.pos_ in ("VERB", "AUX") else ([], False)
    return bool(subjects) and not passive and not any(fold(s.text) in PRONOUNS for s in subjects)


def _antecedent(actors: list[str], before: int, history: list[Event]) -> list[str]:
    """Who last acted on these actors, a little before: the target of their reply.

    "Washington a imposé des sanctions à des entreprises chinoises. [...] Pékin a
    rejeté ces accusations": the rejection answers the United States.
    """
    for ev in reversed(history):
        if ev.evidence[0] >= before or before - ev.evidence[1] > ANTECEDENT_CHARS:
            continue
        if set(ev.recipient) & set(actors) and not set(ev.actor) & set(actors) and ev.actor:
            return list(ev.actor)
    return []


def _signed_kind(token, vocab: Vocabulary) -> str | None:
    """"deal" or "statement": what a signing verb or noun has as its object."""
    candidates = [c for c in token.children if c.dep_ in ("obj", "nsubj:pass", "nmod", "obl:arg")]
    # "un communiqué ainsi qu'une série d'accords": a second object the parser hung on the verb
    # (it keeps its "ainsi que", "et") or conjoined to the first; deals among them make it material
    candidates += [c for c in token.children if c.dep_ in ("obl", "obl:mod", "conj") and c.pos_ in ("NOUN", "PROPN")
                   and any(g.dep_ == "cc" for g in c.children)]
    candidates += [c for noun in list(candidates) for c in noun.children if c.dep_ == "conj"]
    if token.pos_ in ("VERB", "AUX") and token.dep_ in ("acl", "acl:relcl") and token.head.pos_ == "NOUN":
        candidates.append(token.head)
    kind = None
    for noun in candidates:
        word = fold(noun.lemma_ or noun.text)
        if word in vocab.deal_nouns or fold(noun.text) in vocab.deal_nouns:
            return "deal"
        if word in vocab.statement_nouns or fold(noun.text) in vocab.statement_nouns:
            kind = kind or "statement"
        for child in noun.children:  # "une série d'accords", "un paquet de documents"
            if child.dep_ == "nmod" and (fold(child.lemma_) in vocab.deal_nouns or fold(child.text) in vocab.deal_nouns):
                return "deal"
    return kind


def _governed_by(token, markers: frozenset[str]) -> bool:
    """Whether a preposition of `markers` governs the token or its near heads ("depuis l'invasion").

    Compared with accents: folded, "dès" would be "des", the most common article."""
    t = token
    for _ in range(3):
        case = next((c.text.lower() for c in t.children if c.dep_ in ("case", "mark")), None)
        if case in markers:
            return True
        if t.head is t:
            break
        t = t.head
    return False


def merge_events(events: list[Event]) -> list[Event]:
    """One event per act within an article: same type, parties and overlapping dates."""
    merged: list[Event] = []
    for ev in events:
        for i, kept in enumerate(merged):
            if (kept.type == ev.type and set(kept.actor) == set(ev.actor) and set(kept.recipient) == set(ev.recipient)
                    and (kept.date is None or ev.date is None or kept.date.overlaps(ev.date))):
                merged[i] = replace(
                    kept, sectors=tuple(dict.fromkeys(kept.sectors + ev.sectors)),
                    location=kept.location or ev.location, count=kept.count or ev.count,
                    mode=kept.mode or ev.mode, confidence=min(0.95, max(kept.confidence, ev.confidence) + 0.05),
                    date=kept.date if kept.date and (ev.date is None or _width(kept.date) <= _width(ev.date)) else ev.date)
                break
        else:
            merged.append(ev)
    return merged


def _width(p: Period) -> int:
    try:
        return (date.fromisoformat(p.end or p.begin) - date.fromisoformat(p.begin)).days
    except (TypeError, ValueError):
        return 10**6


# -- quotes -------------------------------------------------------------------------

QUOTE_PAIRS = (("«", "»"), ("“", "”"), ('"', '"'))


def find_quotes(doc, entities: list[Entity], vocab: Vocabulary) -> list[Quote]:
    """Direct quotes (« ... ») with the speaker named around them."""
    text = doc.text
    quotes = []
    for opening, closing in QUOTE_PAIRS:
        pos = 0
        while True:
            s = text.find(opening, pos)
            if s < 0:
                break
            e = text.find(closing, s + 1)
            if e < 0:
                break
            inner = text[s + 1:e].strip()
            pos = e + 1
            if len(inner.split()) < 4:
                continue
            quotes.append(Quote(speaker=_speaker_near(doc, e + 1, entities, vocab), text=inner, start=s, end=e + 1))
    return sorted(quotes, key=lambda q: q.start)


def _speaker_near(doc, offset: int, entities: list[Entity], vocab: Vocabulary) -> str | None:
    span = doc.char_span(offset, min(len(doc.text_with_ws), offset + 160), alignment_mode="expand")
    if span is None:
        return None
    for token in span:
        if _lemma(token) in vocab.speech_verbs and token.pos_ in ("VERB", "AUX"):
            subject, _ = _subject(token)
            if subject is not None:
                who = _entity_at(subject, entities)
                if who:
                    return who
            break
        if token.text in (".", "\n"):
            break
    return None


def _entity_at(token, entities: list[Entity]) -> str | None:
    start, end = _span_of(token)
    for ent in entities:
        if ent.type == "PERSON" and any(s >= start and e <= end for s, e in ent.mentions):
            return ent.id
    if fold(token.text) in PRONOUNS:
        before = [(s, ent.id) for ent in entities if ent.type == "PERSON" for s, _ in ent.mentions if s < token.idx]
        if before:
            return max(before)[1]
    return None


def extract_events(doc, entities: list[Entity], places: list[PlaceRef], timexes: list[Timex],
                   published: str | None) -> tuple[list[Event], list[Quote]]:
    """Events and quotes of a parsed article."""
    vocab = vocabulary()
    text = doc.text
    parties = build_parties(entities, places, text, vocab)
    ctx = Context(text=text, parties=parties, timexes=sorted(timexes, key=lambda t: t.start),
                  published=published, story_date=None, story_place=_story_place(parties), vocab=vocab,
                  pair=_main_pair(places, entities))
    ctx.story_date = _story_date(ctx.timexes, text, published)
    quotes = find_quotes(doc, entities, vocab)
    events: list[Event] = []
    sentences = list(doc.sents)
    doc.user_data["veille_sents"] = [sent for sent in sentences for _ in range(len(sent))]
    for sent in sentences:
        quote = next((q for q in quotes if q.start <= sent.start_char and sent.end_char <= q.end + 2), None)
        for token, trigger in find_triggers(sent, vocab):
            ev = _event_from(token, trigger, sent, ctx, quote.speaker if quote else None, events)
            if ev is not None:
                events.append(ev)
    return merge_events(events), quotes
