"""Reading the dependency parse: clauses, subjects, objects, prepositions, the states a phrase
names. Shared by the trigger, argument and attribute stages.

    "MM. Xi et Poutine, reçus par le roi, ont signé un accord avec Riyad"
    subjects(signé) -> [Xi], codes_of(Xi) -> [CHN, RUS] (the coordination is in its phrase)
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

from veille.extract.events.lang import EventLanguage
from veille.extract.events.parties import STATE_KINDS, Parties
from veille.extract.time.vocab import vocab as time_vocab
from veille.text import fold

CLAUSE_BOUNDARIES = {"acl:relcl", "ccomp", "parataxis", "advcl", "csubj"}
OBJECT_DEPS = ("obj", "obl:arg", "iobj", "xcomp", "obl:mod", "obl", "nmod")


def lemma(token, lang: EventLanguage) -> str:
    """A token's lemma, lower case; a verb the lemmatizer left conjugated gets its infinitive."""
    lemma_ = (token.lemma_ or token.text).lower()
    if token.pos_ in ("VERB", "AUX") and not lemma_.endswith(lang.infinitive_endings):
        return first_group(lemma_, lang) or lemma_
    return lemma_


def first_group(word: str, lang: EventLanguage) -> str | None:
    """The -er verb a conjugated form most likely belongs to: "reproche", "approuvé" -> reprocher, approuver."""
    m = lang.first_group_form.match(word)
    return m.group(1) + lang.first_group_ending if m else None


def sentence_words(sent) -> str:
    """The sentence's folded words between spaces, computed once per sentence of a doc."""
    cache = sent.doc.user_data.setdefault("veille_sentence_words", {})
    key = (sent.start, sent.end)
    if key not in cache:
        cache[key] = " " + " ".join(fold(t.text) for t in sent) + " "
    return cache[key]


def sentence_of(token):
    """The sentence of a token (cached by extract_events: Token.sent walks the doc)."""
    cache = token.doc.user_data.get("veille_sents")
    return cache[token.i] if cache else token.sent


def subtree_ranges(token, descend: Callable[[Any, Any], bool]) -> list[tuple[int, int]]:
    """Character ranges of a token's subtree, going down from a word `t` only to the children
    `child` for which `descend(child, t)` holds."""
    ranges = []
    stack = [token]
    while stack:
        t = stack.pop()
        ranges.append((t.idx, t.idx + len(t.text)))
        stack.extend(child for child in t.children if descend(child, t))
    return ranges


def span_of(token, stop_at: set[str] = CLAUSE_BOUNDARIES) -> tuple[int, int]:
    ranges = subtree_ranges(token, lambda child, _: child.dep_ not in stop_at)
    return min(s for s, _ in ranges), max(e for _, e in ranges)


def case_of(token) -> str | None:
    """The folded preposition or subordinator that introduces a token's phrase ("d'" -> "d")."""
    for child in token.children:
        if child.dep_ in ("case", "mark"):
            return fold(child.text).rstrip("'’")
    return None


def merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def codes_of(token, parties: Parties, lang: EventLanguage, exclude: list[str] | None = None,
             skip: tuple[str, ...] = (), keep: tuple[str, ...] = ()) -> list[str]:
    """States named in a token's phrase, leaving out embedded clauses and topic phrases (but
    those introduced by a preposition of `keep`) and nested phrases introduced by one of `skip`."""

    def in_phrase(child, t) -> bool:
        if child.dep_ == "acl:relcl" and child.pos_ in ("NOUN", "PROPN") \
                and any(fold(g.text) in lang.inclusion_pronouns for g in child.children):
            return True   # "plusieurs dirigeants, dont les présidents nigérian et ghanéen": who they include
        if child.dep_ in CLAUSE_BOUNDARIES or child.dep_ == "acl":
            return False
        case = case_of(child) if child.i != token.i else None
        if child.i != token.i and (case in lang.topic_cases and case not in keep or case in skip):
            return False
        if child.i != token.i and child.dep_ == "nmod" and fold(child.lemma_ or child.text) in lang.response_nouns:
            return False  # "sur les voitures chinoises, en représailles aux subventions de Pékin": why, not whom
        if child.i != token.i and child.dep_ == "nmod" and fold(child.lemma_ or child.text) in lang.whereabouts_nouns:
            return False  # "la marine française au large de Djibouti": where it sails, not who
        if child.dep_ == "nmod" and fold(t.lemma_ or t.text) in lang.joining_nouns and case in lang.cases["dative"]:
            return False  # "la candidature de l'Éthiopie aux BRICS": what it joins, not who is backed
        if child.i != token.i and child.dep_ == "nmod" and child.pos_ == "PROPN" and lang.case_is(case, "of") \
                and (t.lemma_ or t.text).lower() in lang.agreements and any(
                    kind == "capital" for s, e, _, kind in parties.spans if child.idx <= s < child.idx + len(child.text)):
            return False  # "la déclaration d'Astana", "l'accord de Paris": named after where it was made
        place = parties.place_at(child.idx, child.idx + len(child.text)) if child.i != token.i else None
        # "l'ambassade de Chine à Washington": Washington is where, not who ("à la Chine" is who)
        return not (child.i != token.i and child.dep_ in ("nmod", "obl:mod") and lang.case_is(case, "place")
                    and place is not None and (place[1] not in STATE_KINDS or case in ("en", "dans")))

    codes: list[str] = []
    for start, end in merge_ranges(subtree_ranges(token, in_phrase)):
        for code in parties.codes(start, end):
            if code not in codes:
                codes.append(code)
    if not codes and token.pos_ in ("PROPN", "NOUN"):
        # a name the parser split ("New | Delhi", "New" hung elsewhere): the head word is part of it
        head_end = token.idx + len(token.text)
        codes = [code for s, e, code, _ in parties.spans if s < head_end and token.idx < e and e - s < 40]
        codes = list(dict.fromkeys(codes))
    word = fold(token.text).rstrip("'")
    if not codes and (word in lang.person_pronouns or (word in lang.object_pronouns and token.pos_ == "PRON")):
        person = parties.person_before(token.idx, exclude or [])
        if person:
            codes = [person]

    if not codes and fold(token.lemma_ or token.text) in lang.counterpart_nouns and exclude \
            and len(parties.pair) == 2 and exclude[0] in parties.pair \
            and not any(c.dep_ == "nummod" for c in token.children):   # "ses deux invités" are more than one
        # "Poutine a invité son homologue": in a story about two states, the other one's leader
        codes = [c for c in parties.pair if c != exclude[0]]
    return codes


def subjects(token, lang: EventLanguage, depth: int = 0) -> tuple[list, bool]:
    """The logical subjects of a verb: its own, else its governor's (xcomp, conj, advcl).

    Returns the subject tokens and whether they are passive subjects (then the
    agent, "par X", is the logical subject when there is one).
    """
    if not any(c.dep_ in ("nsubj", "csubj", "nsubj:pass") for c in token.children) and set_apart(token) \
            and token.head.i != token.i:
        # "La Chine a vivement réagi au sommet de Camp David, accusant Washington de...": a present
        # participle set apart by a comma is done by the subject of the clause it hangs on
        governor = token.head
        for _ in range(6):
            if governor.pos_ in ("VERB", "AUX") or governor.head.i == governor.i:
                break
            governor = governor.head
        if governor.i != token.i and governor.pos_ in ("VERB", "AUX"):
            return subjects(governor, lang, depth + 1)
    active = [c for c in token.children if c.dep_ in ("nsubj", "csubj")]
    if active and "Part" in token.morph.get("VerbForm") and any(c.dep_ == "obl:agent" for c in token.children) \
            and not any(c.dep_.startswith("aux") for c in token.children):
        return active, True  # "X, reçu par Y, ...": a bare participle with an agent is passive
    if active and token.dep_ == "acl:relcl" and fold(active[0].text) in lang.relative_pronouns and token.head.i != token.i:
        return [token.head], False  # "les établissements qui aideraient...": the antecedent acts
    if active:
        return active, False
    passive = [c for c in token.children if c.dep_ == "nsubj:pass"]
    if passive:
        # "est arrivé jeudi à Tokyo": a verb of motion takes "être" without being passive; a
        # passive has its passive auxiliary or its agent ("a été reçu", "reçu par Xi")
        voiced = any(c.dep_ in ("aux:pass", "obl:agent", "expl:pass") for c in token.children) \
            or "Pass" in token.morph.get("Voice") and not any(c.dep_ == "aux:tense" for c in token.children)
        if lemma(token, lang) in lang.motion_verbs and not any(c.dep_ == "obl:agent" for c in token.children):
            voiced = False       # "est arrivé mardi à Djibouti", whatever the tagger says
        return passive, voiced
    instrument = token.head
    for _ in range(2):     # "un paquet de mesures visant": the phrase's head is what is issued
        if instrument.dep_ == "nmod" and instrument.head.pos_ == "NOUN" and instrument.head.i != instrument.i:
            instrument = instrument.head
    if token.dep_ == "acl" and token.head.pos_ == "NOUN" and fold(token.head.text) in lang.instrument_nouns \
            and depth < 3 and instrument.head.i != instrument.i and instrument.head.pos_ in ("VERB", "AUX"):
        # "a signé un décret imposant une surtaxe", "un arrêté interdisant ... a été publié par X":
        # the act is done by whoever signs or issues the instrument
        issuer = instrument.head
        if instrument.dep_ == "nsubj:pass":
            agents = [c for c in issuer.children if c.dep_ == "obl:agent" or lang.case_is(case_of(c), "by")]
            return (agents, False) if agents else ([], False)
        return subjects(issuer, lang, depth + 1)
    if token.dep_ == "acl" and "Part" in token.morph.get("VerbForm") and token.head.pos_ in ("NOUN", "PROPN"):
        # "Blinken, reçu à Pékin par Xi": the noun a past participle describes is its passive
        # subject; "l'ambassade, affirmant que...": a present participle's is its active one
        return [token.head], "Past" in token.morph.get("Tense")
    if token.dep_ == "xcomp" and token.head.i != token.i and lemma(token.head, lang) in lang.object_control_verbs:
        controller = [c for c, dep in objects(token.head, lang) if dep == "obj" and c.i < token.i]
        if controller:
            return controller, False   # "a autorisé la Pologne à livrer": Poland delivers
    if depth < 3 and token.dep_ == "conj" and "Fin" in token.morph.get("VerbForm") \
            and "Inf" in token.head.morph.get("VerbForm") and token.head.head.i != token.head.i:
        # "X appelle Y à rouvrir sa frontière et exhorte Z à ...": the parser joins the second finite
        # verb to the infinitive; it is coordinated with the verb that governs the infinitive
        governor = token.head
        for _ in range(3):
            if "Inf" not in governor.morph.get("VerbForm") or governor.head.i == governor.i:
                break
            governor = governor.head
        return subjects(governor, lang, depth + 1)
    if depth < 3 and token.dep_ in ("xcomp", "conj", "advcl", "acl", "ccomp") and token.head.i != token.i:
        found, passive = subjects(token.head, lang, depth + 1)
        # "doit être reçu par Xi": the governor lends its subject, the voice is the verb's own
        return found, any(c.dep_ == "aux:pass" for c in token.children) if found else passive
    return [], False


def set_apart(token) -> bool:
    """A present participle after a comma: "..., accusant Washington de vouloir bâtir une alliance"."""
    return "Part" in token.morph.get("VerbForm") and "Pres" in token.morph.get("Tense") and token.i > 0 \
        and token.doc[token.i - 1].text == ","


def subject(token, lang: EventLanguage):
    found, passive = subjects(token, lang)
    return (found[0] if found else None), passive


def is_reflexive(token, lang: EventLanguage) -> bool:
    return any(fold(c.text) in lang.reflexive_clitics and c.dep_.startswith(("expl", "obj", "iobj"))
               for c in token.children)


@lru_cache(maxsize=1)
def time_nouns() -> frozenset[str]:
    """Folded nouns of days, months, parts of days and time units ("vendredi", "veille", "mois"),
    from the time layer's vocabulary."""
    v = time_vocab()
    words = set(v.months) | set(v.weekdays) | set(v.day_parts) | set(v.units)
    words |= set(day_offsets())
    return frozenset(words)


@lru_cache(maxsize=None)
def day_offsets() -> dict[str, int]:
    """Folded nouns of a day counted from another ("veille": -1, "lendemain": 1), from the time
    layer's vocabulary ("la veille" -> veille)."""
    return {phrase.split()[-1].split("'")[-1]: days for phrase, days in time_vocab().relative_days.items()}


def objects(token, lang: EventLanguage | None = None) -> list[tuple[object, str]]:
    """(complement, its relation) of a verb; a complement the parser hung under a day word
    ("a rejeté vendredi les accusations", "accusations" under "vendredi") is the verb's."""
    out = []
    for c in token.children:
        day_word = fold(c.lemma_ or c.text) in time_nouns() and c.i > token.i
        if c.dep_ not in OBJECT_DEPS and not day_word:
            continue
        if c.dep_ in OBJECT_DEPS:
            # "exhorte Washington à cesser": a name the parser made a predicate is the object (a
            # capital inside the sentence is a name even when the tagger took it for a verb:
            # "a appelé Rabat à...", Rabat read as "rabattre")
            named = c.pos_ in ("NOUN", "PROPN") or (c.text[:1].isupper() and c.i > c.sent.start)
            out.append((c, "obj" if c.dep_ == "xcomp" and named else c.dep_))
            if c.dep_ == "obj":
                # "condamnant « fermement » ce tir": the parser may take a quoted word for the
                # object and hang the real one beside it
                out += [(g, "obj") for g in c.children if g.dep_ in ("appos", "dep") and g.pos_ in ("NOUN", "PROPN")]
        if day_word:
            # "a sanctionné mardi des entreprises chinoises": "des" after a day word is an article;
            # "a exhorté mercredi Islamabad et New Delhi": the list goes on under the day word
            weekday = fold(c.lemma_ or c.text) in time_vocab().weekdays
            out += [(g, "obj" if case_of(g) is None or weekday and lang is not None and lang.case_is(case_of(g), "of")
                     else g.dep_)
                    for g in c.children if g.dep_ in ("nmod", "obj", "conj")]
    return out


def left_window_codes(token, parties: Parties, lang: EventLanguage) -> list[str]:
    """Parties named between the clause's start (sentence start or last comma) and the verb.

    A fallback when the parse did not attach the subject ("MM. Xi et Poutine ont signé").
    """
    sent = sentence_of(token)
    start = sent.start_char
    for t in sent:
        if t.i >= token.i:
            break
        if t.text in (",", ";", ":", "«", "»"):
            start = t.idx + 1
        elif t.dep_ == "mark" or fold(t.text) in lang.clause_marks:
            start = t.idx + len(t.text)  # a subordinate clause does not reach back over its conjunction
    verb_start = min([token.idx] + [c.idx for c in token.children if c.dep_.startswith(("aux", "expl")) and c.i < token.i])
    return parties.codes(start, verb_start)


def par_window(token, parties: Parties, lang: EventLanguage) -> list[str]:
    """States in an agent phrase right after a nominal trigger ("l'invasion de l'Ukraine par les forces russes")."""
    sent = sentence_of(token)
    for t in sent[token.i - sent.start + 1: token.i - sent.start + 10]:
        if t.text in (",", ";", ".", "(", ")"):
            break
        if lang.case_is(t.lower_, "by"):
            end = t.idx + 60
            for u in sent[t.i - sent.start + 1:]:
                if u.text in (",", ";", ".") or u.idx > end:
                    end = u.idx
                    break
            return parties.codes(t.idx, end)
    return []


def located_in(token, parties: Parties, lang: EventLanguage) -> list[str]:
    """States a target that names none belongs to: where it is based ("des entreprises établies
    en Chine"), who backs it ("des pirates soutenus par l'État chinois"), or what it is aimed at
    ("les restrictions visant les banques biélorusses")."""
    codes: list[str] = []
    for t in token.subtree:
        if t.dep_ != "acl":
            continue
        settled = lemma(t, lang) in lang.settled_verbs
        aiming = lemma(t, lang) in lang.targeting_verbs
        for child in t.children:
            case = case_of(child)
            if child.dep_ == "obl:agent" or child.dep_.startswith("obl") and (
                    lang.case_is(case, "by") or settled and lang.case_is(case, "place")) \
                    or aiming and child.dep_ in ("obj", "obl:arg"):   # "visant des entités": "des" read as a preposition
                codes += [c for c in codes_of(child, parties, lang) if c not in codes]
    return codes


def governed_by(token, markers: frozenset[str]) -> bool:
    """Whether a preposition of `markers` governs the token or its near heads ("depuis l'invasion").

    Compared with accents: folded, "dès" would be "des", the most common article."""
    t = token
    for _ in range(3):
        case = next((c.text.lower() for c in t.children if c.dep_ in ("case", "mark")), None)
        if case in markers:
            return True
        if t.head.i == t.i:
            break
        t = t.head
    return False
