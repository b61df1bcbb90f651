"""Attributes of an event: status (PLOVER's auxiliary modes), date, place, sectors, count.

    "La Chine ne signera pas l'accord" -> negated (the negation wins over the future)
    "Arrivé lundi à Pékin, il a signé mardi" -> the signing is dated Tuesday, not Monday
"""
from __future__ import annotations

from veille.extract.events.context import Context
from veille.extract.events.lang import EventLanguage, Trigger
from veille.extract.events.parties import STATE_KINDS
from veille.extract.events.syntax import CLAUSE_BOUNDARIES, lemma, sentence_words
from veille.extract.time.vocab import vocab as time_vocab
from veille.records import Period, Timex
from veille.text import fold


def status(token, trigger: Trigger, lang: EventLanguage) -> str:
    """occurred, future, hypothetical or negated, from the verb chain's morphology and words."""
    chain = [token]
    head = token
    if trigger.pos == "NOUN":
        # a noun takes the mood of its verb only when the verb just carries it ("n'a pas effectué
        # de visite"), not when the noun is a circumstance of another act ("la visite n'a pas permis")
        if token.dep_ in ("obj", "nsubj:pass", "obl:arg", "nmod") and token.head.pos_ in ("VERB", "AUX") \
                and lemma(token.head, lang) in lang.light_verbs:
            chain.append(token.head)
            head = token.head
            for _ in range(2):     # "Pékin pourrait imposer un blocus": the mood of the verbs above it
                if head.dep_ != "xcomp" or head.head.i == head.i:
                    break
                head = head.head
                chain.append(head)
    else:
        for _ in range(3):
            if head.dep_ in ("xcomp", "obj", "nmod", "obl", "obl:arg", "obl:mod") and head.head.i != head.i:
                head = head.head
                chain.append(head)
            else:
                break
    words = {fold(c.text) for t in chain for c in t.children if c.dep_ in ("advmod", "det", "cc")}
    words |= {fold(g.text) for t in chain for c in t.children if c.dep_ == "advmod"
              for g in c.children if g.dep_ == "advmod"}      # "n'ont pas encore entamé": "pas" under "encore"
    words |= {fold(d.text) for c in token.children if c.dep_ in ("obj", "nsubj", "nsubj:pass")
              for d in c.children if d.dep_ == "det"}
    negators = words & lang.negation
    from veille.extract.events.triggers import planned

    if trigger.pos == "VERB" and not negators and planned(token, lang):
        return "future"        # "son intention de se rendre à Addis-Abeba"
    if negators and trigger.pos == "VERB" and len(chain) > 1 and token.dep_ == "xcomp" \
            and lemma(chain[1], lang) in lang.open_heads:
        return "hypothetical"  # "n'a pas exclu de livrer des armes": left open
    if negators - lang.needs_ne or (negators and any(
            fold(c.text) in lang.negation_particles for t in chain for c in t.children if c.dep_ == "advmod")):
        return "negated"  # "plus" and "point" negate only with "ne": "les plus demandées" does not
    for t in chain[1:]:
        if lemma(t, lang) == lang.obligation_verb and any(fold(c.text) in lang.still_to_do for c in t.children):
            return "negated"
    if trigger.pos == "VERB" and any(c.dep_ in ("mark", "case") and fold(c.text) in lang.negating_marks
                                     for c in token.children):
        return "negated"  # "sans signer la déclaration"
    if any(c.dep_ == "mark" and fold(c.text) in lang.condition_marks for t in chain for c in t.children):
        return "hypothetical"  # "si Kiev refusait le plan": a condition, not a fact
    if token.dep_ == "xcomp" and lemma(token.head, lang) in lang.negating_heads:
        return "negated"  # "s'est abstenu de condamner"
    if trigger.pos == "VERB" and lang.conditional_ending.search(token.lower_) \
            and not lang.imperfect_ending.search(token.lower_) \
            and "Cnd" not in token.morph.get("Mood") and "Imp" not in token.morph.get("Tense"):
        return "hypothetical"  # the tagger missed the mood: "fournirait"
    # a simple finite verb's tense by its form: the tagger reads "fourniront" as a present and
    # "fournit" as a future
    simple = trigger.pos == "VERB" and _simple_finite(token)
    if simple and lang.future_ending.search(token.lower_):
        return "future"
    for t in chain:
        morph = t.morph
        aux_lemmas = {lemma(c, lang) for c in t.children if c.dep_.startswith("aux")}
        own_future = "Fut" in morph.get("Tense") and not (t.i == token.i and simple)
        if "Cnd" in morph.get("Mood") or any("Cnd" in c.morph.get("Mood") for c in t.children if c.dep_.startswith("aux")):
            if lemma(t, lang) in lang.hypothetical_aux or aux_lemmas & lang.hypothetical_aux:
                return "hypothetical"
            if t.i != token.i and lemma(t, lang) in lang.future_aux:
                return "future"
            return "hypothetical"
        if own_future or any("Fut" in c.morph.get("Tense") for c in t.children if c.dep_.startswith("aux")):
            return "future"
        if t.i != token.i and (lemma(t, lang) in lang.future_aux or lemma(t, lang) in lang.hypothetical_aux):
            return "future" if lemma(t, lang) in lang.future_aux else "hypothetical"
        if lang.near_future_aux in aux_lemmas and "Inf" in token.morph.get("VerbForm"):
            return "future"
    if trigger.pos == "NOUN":
        for child in token.children:
            if fold(child.text) in lang.future_adjectives:
                return "future"
        if trigger.type == "CONSULT" and _future_verb(_governing_verb(token), lang):
            return "future"      # "se retrouveront en marge du sommet": a meeting still to come
    if trigger.pos == "VERB" and (pluperfect(token) or token.dep_ == "xcomp" and pluperfect(token.head)):
        return "historical"      # "New Delhi avait rejeté jeudi dernier", "avait affirmé avoir testé": background
    return "occurred"


def _governing_verb(noun, reach: int = 2):
    """The verb a noun is a circumstance of, through at most `reach` nouns ("en marge du sommet")."""
    t = noun
    for _ in range(reach):
        if t.head.i == t.i or t.dep_ not in ("obl", "obl:mod", "obl:arg", "nmod"):
            return None
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            return t
    return None


def _simple_finite(verb) -> bool:
    """A finite verb without auxiliary, whose tense the tagger swaps ("fourniront" read as a
    present, "fournit" as a future): its form tells its tense."""
    return "Fin" in verb.morph.get("VerbForm") and not any(c.dep_.startswith("aux") for c in verb.children)


def _future_verb(verb, lang: EventLanguage) -> bool:
    """Whether a verb is in the future: a simple form by its ending, else by its auxiliary's tense
    or its own."""
    if verb is None:
        return False
    if _simple_finite(verb):
        return bool(lang.future_ending.search(verb.lower_))
    return "Fut" in verb.morph.get("Tense") or any("Fut" in c.morph.get("Tense") for c in verb.children
                                                    if c.dep_.startswith("aux"))


def pluperfect(token) -> bool:
    """A past participle whose tense auxiliary is in the imperfect ("avait rejeté", "s'étaient
    entretenus"): what the article recalls as background."""
    return "Part" in token.morph.get("VerbForm") and any(
        c.dep_ == "aux:tense" and "Imp" in c.morph.get("Tense") for c in token.children)


def _other_clause(timex: Timex, token, sent) -> bool:
    """Whether a time expression sits in a clause that does not govern the trigger.

    "Arrivé lundi à Pékin, il a signé mardi...": "lundi" dates the arrival, not the signing.
    """
    at = next((t for t in sent if t.idx <= timex.start < t.idx + len(t.text)), None)
    if at is None:
        return False
    governing = {token.i} | {a.i for a in token.ancestors}
    t = at
    while t.head.i != t.i and t.i not in governing:
        if t.dep_ in CLAUSE_BOUNDARIES or t.dep_ == "acl" and t.pos_ in ("VERB", "AUX"):
            return True          # a participle has its own time: "la levée des restrictions imposées en 2019"
        t = t.head
    top = at
    while top.head.i != top.i and timex.start <= top.head.idx < timex.end:
        top = top.head
    if top.head.i == token.i:
        return False             # the date is a complement of the trigger itself
    # a subordinate clause opened between the trigger and the date holds the date even where the
    # parser hangs it on a noun: "a critiqué ce choix, estimant malvenu qu'il soit allé, la
    # semaine précédente, à Minsk"
    return any(m.dep_ == "mark" and m.pos_ == "SCONJ" and token.i < m.i and token.i < m.head.i < at.i
               for m in sent if m.i < at.i)


def _in_complement(timex: Timex, token) -> bool:
    """Whether a time expression lies in a verb's infinitive complement ("a proposé d'organiser
    une rencontre en juin"): it dates what is promised, not the promise."""
    for child in token.children:
        if child.dep_ in ("xcomp", "ccomp") and child.pos_ in ("VERB", "AUX"):
            start, end = min(t.idx for t in child.subtree), max(t.idx + len(t.text) for t in child.subtree)
            if start <= timex.start and timex.end <= end:
                return True
    return False


def _horizon(timex: Timex, ctx: Context | None = None) -> bool:
    """"d'ici à 2030", "jusqu'en 2027", "avant 2030": a deadline or an end, not the day of an act."""
    words = fold(timex.text)
    marks = time_vocab().markers
    if any(words.startswith(fold(w) + " ") or words.startswith(fold(w)) and w.endswith("'")
           for w in (*marks.get("by", ()), *marks.get("until", ()))):
        return True
    before = ctx.folded[max(0, timex.start - 12):timex.start].split() if ctx is not None else []
    return bool(before) and before[-1] in ctx.lang.deadline_marks


def _own_verb(timex: Timex, token, sent) -> bool:
    """Whether the trigger is the nearest verb above the time expression (or holds it in its
    own phrase): "négocier d'ici à l'automne" is dated by it, "leurs entretiens" before "se sont
    fixé pour objectif de porter les échanges à 500 milliards d'ici à 2030" is not."""
    at = next((t for t in sent if t.idx <= timex.start < t.idx + len(t.text)), None)
    if at is None:
        return False
    t = at
    while t.head.i != t.i:
        if t.i == token.i:
            return True
        if t.pos_ in ("VERB", "AUX") and t.i != at.i:
            return False
        t = t.head
    return t.i == token.i


def date_near(token, sent, ctx: Context, promise: bool = False, settled: bool = False) -> Period | None:
    """The date of the sentence that dates this trigger: the nearest one in a governing clause. A
    deadline ("d'ici à 2030", "avant 2030") never dates an act told as done (`settled`)."""
    candidates = [t for t in ctx.timexes if t.start >= sent.start_char and t.end <= sent.end_char
                  and t.type != "DURATION" and t.begin and not (promise and _in_complement(t, token))
                  and not fold(t.text).startswith(ctx.lang.since_words) and not _after_since(t, ctx)
                  and not (_horizon(t, ctx) and (settled or not _own_verb(t, token, sent)))]
    # a date of the trigger's own clauses first ("est arrivé vendredi à Séoul" in a sentence that
    # also says "qui quittera ses fonctions à la fin du mois"); else a date still to come wherever
    # it sits: a plan's date is often told apart ("propose une rencontre au sommet de Kazan,
    # prévu du 22 au 24 octobre")
    own = [t for t in candidates if not _other_clause(t, token, sent)] or \
        [t for t in candidates if ctx.published and t.begin > ctx.published]
    candidates = own or ([] if candidates and ctx.story_date else candidates)
    if not candidates:
        return None
    best = min(candidates, key=lambda t: min(abs(t.start - token.idx), abs(t.end - token.idx)))
    return Period(best.begin, best.end_date or best.begin)


def _after_since(timex, ctx: Context) -> bool:
    """Whether a since word stands right before a timex ("venu à Athènes pour la première fois
    depuis 2019"): the start of a span, not an act's date, unless a "when" clause says what
    happened then ("depuis mars 2011, lorsque la guerre a éclaté en Syrie")."""
    before = ctx.folded[max(0, timex.start - 16):timex.start].split()
    after = ctx.folded[timex.end:timex.end + 16].replace(",", " ").split()
    return bool(before) and before[-1] in ctx.lang.since_words and not (after and after[0] in ctx.lang.when_words)


def _date_of_words(words, ctx: Context) -> Period | None:
    """The first date within some words: a timex, else a bare year as its whole year."""
    from veille.extract.events.triggers import YEAR

    start, end = min(t.idx for t in words), max(t.idx + len(t.text) for t in words)
    inside = [t for t in ctx.timexes if start <= t.start and t.end <= end and t.begin and t.type != "DURATION"]
    if inside:
        return Period(inside[0].begin, inside[0].end_date or inside[0].begin)
    year = next((t.text for t in words if YEAR.fullmatch(t.text)), None)
    return Period(f"{year}-01-01", f"{year}-12-31") if year else None


def complement_date(verb, ctx: Context) -> Period | None:
    """The date a verb's complements state ("remontait à 2012")."""
    return next((d for c in verb.children if c.dep_.startswith("obl")
                 for d in [_date_of_words(list(c.subtree), ctx)] if d), None)


def participle_date(noun, ctx: Context) -> Period | None:
    """The date of the participle that tells a noun's act ("l'accord signé en 1995", "l'accord
    de pêche conclu en 2019", where the parser hangs it on the complement it follows)."""
    from veille.extract.events.triggers import noun_options

    # a complement that tells an act of its own keeps its participle ("la levée des restrictions
    # imposées en 2018": the lifting is not of 2018)
    holders = [noun] + [c for c in noun.children if c.dep_ == "nmod" and not noun_options(c, ctx.lang)]
    return next((d for h in holders for p in h.children
                 if p.dep_ == "acl" and p.pos_ == "VERB" and "Part" in p.morph.get("VerbForm") and p.i > noun.i
                 and (h.i == noun.i or p.i == h.i + 1)
                 for d in [complement_date(p, ctx)] if d), None)


def phrase_date(token, ctx: Context) -> Period | None:
    """The date a noun's own phrase gives ("les contrats-cadres du 8 juin 2018", "le traité de
    2001": the whole year)."""
    from veille.extract.events.triggers import phrase_tokens

    return _date_of_words(phrase_tokens(token), ctx)


def location(sent, ctx: Context, within: tuple[int, int]) -> tuple[str, str | None] | None:
    """A place introduced by "à", "au", "lors du sommet de", in the clause, else the sentence."""
    before_words = tuple(f"{gap}{w}" for w in ctx.lang.cases["place_before"] for gap in (" ", "'"))
    for start, end in (within, (sent.start_char, sent.end_char)):
        for s, e, name, kind, state in ctx.parties.places:
            if s < start or e > end or kind in ("state", "country", "region"):
                continue
            before = " " + ctx.folded[max(0, s - 20):s].rstrip()
            if before.endswith(before_words):
                return name, state
    return None


def sectors(sent, ctx: Context) -> tuple[str, ...]:
    """Sectors whose cue words the sentence holds."""
    words = sentence_words(sent)
    return tuple(name for name, cues in ctx.lang.sectors if any(f" {cue} " in words for cue in cues))


def count(token, lang: EventLanguage) -> int | None:
    """How many agreements a signing names ("22 accords"), two or more."""
    for obj in [token, *token.children]:
        if lemma(obj, lang) in lang.agreements or obj.text.lower() in lang.agreements:
            for child in obj.children:
                if child.dep_ == "nummod" or child.like_num:
                    # the token alone, not the view's numbers: those skip a small number after a
                    # definite determiner ("les deux accords"), which is a count here
                    try:
                        from text_to_num import text2num

                        n = int(child.text) if child.text.isdigit() else int(text2num(child.text.lower(), lang.code))
                        return n if n >= 2 else None
                    except (ValueError, TypeError):
                        return None
    return None


def state_of_places(ctx: Context, spans: list[tuple[int, int]], exclude: list[str]) -> list[str]:
    """States of the places (cities, regions) named in the first of `spans` that names any."""
    for start, end in spans:
        found = list(dict.fromkeys(state for s, e, name, kind, state in ctx.parties.places
                                   if s >= start and e <= end and state and kind not in STATE_KINDS
                                   and state not in exclude))
        if found:
            return found
    return []
