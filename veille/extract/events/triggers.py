"""Triggers: the words of a sentence that name a PLOVER event, and the readings that hold.

    "Pékin a levé vendredi son embargo" -> "levé" CONCEDE (lever + sanction object); the noun
    "embargo" is the object of that act, not an event of its own (`under_trigger`)
"""
from __future__ import annotations

import re

from veille.extract.events.lang import EventLanguage, Trigger
from veille.extract.events.syntax import (CLAUSE_BOUNDARIES, case_of, day_offsets, first_group, is_reflexive, lemma,
                                          sentence_of, sentence_words, time_nouns)
from veille.text import fold

ALLEGING = ("ACCUSE", "REQUEST", "THREATEN", "REJECT")
YEAR = re.compile(r"1[89]\d\d|20\d\d")


def phrase_tokens(token) -> list:
    """A noun's own phrase: its subtree without clauses or participles hanging on it."""
    out, stack = [], [token]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ not in CLAUSE_BOUNDARIES and c.dep_ != "acl")
    return out


def matches(token, trigger: Trigger, sent_words: str, lang: EventLanguage) -> bool:
    """Whether a trigger's conditions hold for this token in its sentence."""
    if trigger.reflexive and not is_reflexive(token, lang):
        return False
    if trigger.objects:
        # the words of its complements down to two levels ("relever son niveau d'alerte",
        # "saisir la Cour internationale de justice"), not participles or clauses hanging on them
        # ("adopter des mesures ... liées au programme de drones iranien" adopts no programme)
        around = []
        for c in token.children:
            if c.dep_ in ("obl:agent", "punct", "cc") or c.dep_.startswith(("aux", "csubj")) \
                    or c.dep_ == "nsubj" and token.pos_ in ("VERB", "AUX") or case_of(c) in lang.topic_cases:
                continue                 # a passive subject is what was done: "des accords ont été conclus";
                                         # "sur le plan économique" is no plan
            around.append(c)
            acts = noun_options(c, lang) if c.pos_ == "NOUN" else ()
            if acts and not any(t.type == trigger.type for t in acts) \
                    and lemma(c, lang) not in trigger.objects and fold(c.text) not in trigger.objects:
                continue         # "a annoncé la suspension de l'accord": the deal is what another act
                                 # is about, no object of the verb ("ajoutés à la liste noire" is one act)
            for g in c.children:
                if g.dep_ not in CLAUSE_BOUNDARIES and g.dep_ != "acl" \
                        or g.dep_ == "acl" and token.pos_ == "NOUN" and c.dep_ == "nmod" and g.i == c.i + 1:
                    # "l'accord de pêche conclu en 2019": the parser hangs the noun's participle on
                    # the complement it follows; the participle counts, not what hangs below it
                    around.append(g)
                    if g.dep_ == "acl":
                        continue
                    around += [h for h in g.children if h.dep_ not in CLAUSE_BOUNDARIES and h.dep_ != "acl"]
        if token.dep_ in ("acl", "amod") and token.head.i != token.i:
            around.append(token.head)  # "les accords conclus"
        for c in token.children:
            # "la plainte qu'elle avait déposée": the relative stands for the noun before it (however the
            # parser hangs its clause)
            if c.dep_ in ("obj", "nsubj:pass") and "Rel" in c.morph.get("PronType") and c.i > 0 \
                    and token.doc[c.i - 1].pos_ == "NOUN":
                around.append(token.doc[c.i - 1])
        near = {lemma(c, lang) for c in around} | {fold(c.text) for c in around}
        if not (near & {fold(o) for o in trigger.objects} or near & trigger.objects):
            return False
    if trigger.passive and not any(c.dep_ == "aux:pass" for c in token.children):
        return False  # "il attendait M. Xi au sommet" hosts; "est attendu à Varsovie" visits
    if trigger.needs_word and not any(f" {fold(w)} " in sent_words for w in trigger.needs_word):
        return False
    if trigger.dated and not any(YEAR.fullmatch(t.text) for t in phrase_tokens(token)):
        return False
    if trigger.headline and not (token.head.i == token.i and not any(
            t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm") for t in sentence_of(token))):
        return False  # "Accord gazier entre l'Algérie et l'Italie": a title's noun reports the deal
    if trigger.needs_case and not any(fold(g.text) in trigger.needs_case for g in _below(token, 3)
                                      if g.dep_ in ("case", "mark") and g.i > token.i):
        return False  # "appeler X à faire" asks; "appeler X « cher ami »" names (the parser may hang
                      # "à faire" under X, or under a word of X's phrase)
    if trigger.avoid_case and any(
            fold(g.text) in trigger.avoid_case for c in token.children for g in c.children if g.dep_ in ("case", "mark")):
        return False  # "appeler à la retenue" is no call
    # what is signed, or the act a verb introduces ("menacer de perdre": a risk, no threat)
    signed = [c for c in token.children if c.dep_ in ("obj", "nsubj:pass")
              or c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")]
    if token.dep_ in ("acl", "amod") and token.head.i != token.i:
        signed.append(token.head)
    if trigger.unless and any(fold(c.lemma_ or c.text) in trigger.unless or fold(c.text) in trigger.unless
                              for c in signed):
        return False  # "signer un décret" is no agreement, "menacer de perdre son rang" no threat
    return True


def participle_lemma(token, lang: EventLanguage) -> str | None:
    """The verb of a past participle the tagger took for a noun: "ont [...] approuvé" -> approuver."""
    if not lang.past_participle.search(token.lower_) or not any(c.dep_.startswith("aux") for c in token.children):
        return None
    return first_group(token.lower_, lang)


def finite_verb_lemma(token, lang: EventLanguage) -> str | None:
    """The verb of a finite form the tagger took for a noun: "Le président turc reproche à Athènes ...",
    parsed as a noun with a subject and no determiner -> reprocher. A proper name hung on it as a
    determiner is its subject ("Ankara juge insuffisantes les garanties")."""
    if token.pos_ != "NOUN" or any(c.dep_ == "det" and c.pos_ != "PROPN" for c in token.children) \
            or not any(c.i < token.i and (c.dep_ == "nsubj" or c.dep_ == "det" and c.pos_ == "PROPN")
                       for c in token.children):
        return None
    return first_group(token.lower_, lang)


def noun_options(token, lang: EventLanguage) -> tuple[Trigger, ...]:
    """The noun triggers a token's lemma or folded form names."""
    return lang.nouns.get(lemma(token, lang)) or lang.nouns.get(fold(token.text), ())


def find_triggers(sent, lang: EventLanguage) -> list[tuple[object, Trigger]]:
    """Every (token, reading) of a sentence whose conditions hold, the first reading per token."""
    words = sentence_words(sent)
    found = []
    for token in sent:
        options = ()
        if token.pos_ in ("VERB", "AUX"):
            options = lang.verbs.get(lemma(token, lang), ())
        elif token.pos_ in ("NOUN", "ADJ", "PROPN"):
            participle = (participle_lemma(token, lang) or finite_verb_lemma(token, lang)) if token.pos_ != "PROPN" else None
            options = lang.verbs.get(participle, ()) if participle else ()
            if not options and token.pos_ != "ADJ":
                options = noun_options(token, lang)
        for trigger in options:
            if matches(token, trigger, words, lang):
                found.append((token, trigger))
                break
    return found


def noun_trigger(token, lang: EventLanguage) -> Trigger | None:
    """The event a noun names, if it is a trigger ("invasion", "sanctions", "livraisons")."""
    if token.pos_ not in ("NOUN", "PROPN"):
        return None
    options = noun_options(token, lang)
    return options[0] if options else None


def is_purpose(token, lang: EventLanguage) -> bool:
    """"visant à intensifier", "pour renforcer": an aim, not an act."""
    if any(fold(c.text) in lang.purpose_marks for c in token.children if c.dep_ == "mark"):
        return True
    return token.dep_ in ("xcomp", "acl", "advcl") and lemma(token.head, lang) in lang.purpose_heads


def planned(token, lang: EventLanguage) -> bool:
    """Whether a verb is the infinitive of a plan ("son intention de se rendre à Addis-Abeba")."""
    return token.dep_ == "acl" and "Inf" in token.morph.get("VerbForm") and token.head.i != token.i \
        and fold(token.head.lemma_ or token.head.text) in lang.plan_nouns


def alleged(token, lang: EventLanguage) -> bool:
    """Whether a verb is the content of an accusation, demand, threat or denial that governs it."""
    if token.dep_ not in ("xcomp", "ccomp", "acl") or token.head.i == token.i:
        return False
    head = token.head
    lemma_ = lemma(head, lang)
    options = lang.verbs.get(lemma_, ()) if head.pos_ in ("VERB", "AUX") else \
        noun_options(head, lang) or lang.verbs.get(lemma_, ())
    return any(t.type in ALLEGING for t in options)


def under_trigger(token, lang: EventLanguage) -> bool:
    """Whether a noun trigger is the object of a verb whose own reading holds here ("a levé son
    embargo", "a refusé toute rencontre", "ont signé un accord"): the verb's event is the one
    reported, with the verb's roles. Under a verb none of whose readings hold ("ont effectué une
    patrouille commune"), the noun is the event."""
    if token.dep_ not in ("obj", "obl:arg", "nsubj:pass", "nmod") or token.head.i == token.i:
        return False
    head = token.head
    if fold(head.lemma_ or head.text) in day_offsets():
        return False       # "à la veille de la visite": an act of its own, a day from the clause's
    if head.pos_ == "NOUN" and token.dep_ == "nmod" and any(
            matches(head, t, sentence_words(sentence_of(head)), lang) for t in noun_options(head, lang)):
        return True        # "la suspension des sanctions": the easing is the event
    for _ in range(2):     # "verse une tranche d'aide": the noun may sit in the verb's object
        day_word = fold(head.lemma_ or head.text) in time_nouns()
        if head.pos_ in ("VERB", "AUX") or head.head.i == head.i \
                or head.dep_ not in ("obj", "obl:arg", "nsubj:pass", "nmod") and not day_word:
            break
        if not (fold(head.lemma_ or head.text) in time_nouns() or token.dep_ == "nmod"):
            break
        head = head.head
    if head.pos_ not in ("VERB", "AUX"):
        return False
    words = sentence_words(sentence_of(head))
    return any(matches(head, t, words, lang) for t in lang.verbs.get(lemma(head, lang), ()))


def promised(token, lang: EventLanguage) -> bool:
    """Whether an act is what a promise, offer or proposal governing it is about."""
    t = token
    if t.pos_ in ("NOUN", "PROPN"):
        if t.dep_ not in ("obj", "nsubj:pass") or t.head.i == t.i or lemma(t.head, lang) not in lang.light_verbs:
            return False
        t = t.head
    for _ in range(2):
        if t.dep_ != "xcomp" or t.head.i == t.i:
            return False
        t = t.head
        words = sentence_words(sentence_of(t))
        # the governing verb's promise reading must hold: "entend transférer" intends ("s'entendre"
        # agrees), it promises nothing
        if any(tr.type == "AGREE" and matches(t, tr, words, lang) for tr in lang.verbs.get(lemma(t, lang), ())):
            return True
    return False


def superlative(token, lang: EventLanguage) -> bool:
    """"les plus demandées": a participle after a superlative is an adjective."""
    doc = token.doc
    return token.i >= 2 and fold(doc[token.i - 1].text) in lang.superlative_adverbs \
        and fold(doc[token.i - 2].text) in lang.superlative_determiners


def signed_kind(token, lang: EventLanguage) -> str | None:
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
        if word in lang.deal_nouns or fold(noun.text) in lang.deal_nouns:
            return "deal"
        if word in lang.statement_nouns or fold(noun.text) in lang.statement_nouns:
            kind = kind or "statement"
        for child in noun.children:  # "une série d'accords", "un paquet de documents"
            if child.dep_ == "nmod" and (fold(child.lemma_) in lang.deal_nouns or fold(child.text) in lang.deal_nouns):
                return "deal"
    return kind


def _below(token, depth: int) -> list:
    """The tokens at most `depth` steps below a token in the parse."""
    out, level = [], [token]
    for _ in range(depth):
        level = [c for t in level for c in t.children]
        out += level
    return out
