"""The event layer's part of a language bundle: triggers, cues and grammar words of one language,
built once from the bundle's `events.yaml` and passed to every stage.

    lang = language("fr")                      # or event_language(veille.language.language("fr"))
    lang.verbs["signer"][0].type  -> "SUPPORT"

The stages ask for concepts (`lang.cases["with"]`, `lang.person_pronouns`), never for words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from veille.language import Language, language as bundle
from veille.text import alternation, fold, folded_table, folded_words


@dataclass(frozen=True)
class Trigger:
    """One reading of a word as a PLOVER event: its type, mode and how its arguments map to roles
    (reciprocal, directed, host, visit), with the conditions under which it holds."""

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
    joint: str | None = None          # the type when two parties or more act together (exercises: COOPERATE)
    avoid_case: frozenset[str] = frozenset()   # the reading fails when a complement has this preposition
    party_object: bool = False        # the reading needs an object that names a party ("appeler son homologue")
    dated: bool = False               # the reading needs a year in the noun's own phrase ("le traité de 2001")
    headline: bool = False            # the reading needs the noun to head a verbless title ("Accord gazier entre...")
    denial: bool = False              # what its infinitive tells is the charge denied, whose parties are no target
                                      # ("a démenti avoir fourni des armes à la Russie")
    passive: bool = False             # the reading holds in the passive only ("est attendu à Varsovie")
    target_of: bool = False           # the "de" complement names the target, not the doer: envoys summoned or
                                      # expelled, assets frozen, firms blacklisted ("le gel des avoirs russes")
    dative_target: bool = False       # a party in the dative is the target, the object what is held against it
                                      # ("reprocher à New Delhi ses achats de pétrole iranien")


@dataclass(frozen=True)
class EventLanguage:
    """Everything language-specific the event stages read."""

    code: str
    verbs: dict[str, tuple[Trigger, ...]]
    nouns: dict[str, tuple[Trigger, ...]]
    agreements: frozenset[str]
    material: frozenset[str]
    multilateral: tuple[str, ...]
    phone: tuple[str, ...]
    negation: frozenset[str]
    needs_ne: frozenset[str]
    any_determiners: frozenset[str]    # "toute livraison": a noun of any such act, none yet
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
    adopting_verbs: frozenset[str]
    settled_verbs: frozenset[str]
    targeting_verbs: frozenset[str]
    negating_heads: frozenset[str]
    open_heads: frozenset[str]
    counterpart_nouns: frozenset[str]
    # grammar words, by concept
    relative_pronouns: frozenset[str]
    person_pronouns: frozenset[str]
    first_person: frozenset[str]
    plural_pronouns: frozenset[str]
    reflexive_clitics: frozenset[str]
    negation_particles: frozenset[str]
    condition_marks: frozenset[str]
    negating_marks: frozenset[str]
    motion_verbs: frozenset[str]
    deadline_marks: frozenset[str]
    list_joins: frozenset[str]
    list_fillers: frozenset[str]
    clause_marks: frozenset[str]
    obligation_verb: str
    near_future_aux: str
    future_adjectives: frozenset[str]
    superlative_adverbs: frozenset[str]
    superlative_determiners: frozenset[str]
    pair_phrase: re.Pattern
    group_phrase: re.Pattern
    group_numbers: dict[str, int]
    pair_number: str
    shared_determiners: frozenset[str]
    bilateral_adjectives: frozenset[str]
    cases: dict[str, tuple[str, ...]]
    conditional_ending: re.Pattern
    future_ending: re.Pattern
    imperfect_ending: re.Pattern
    first_group_form: re.Pattern
    first_group_ending: str
    past_participle: re.Pattern
    infinitive_endings: tuple[str, ...]
    quotes: tuple[tuple[str, str], ...]
    mediation_nouns: frozenset[str]
    meeting_nouns: frozenset[str]
    facing_nouns: frozenset[str]
    inclusion_pronouns: frozenset[str]  # "des dirigeants, dont les présidents X et Y": whom a group includes
    whereabouts_nouns: frozenset[str]  # "au large de Djibouti" nested in a phrase: where, not who
    departure_verbs: frozenset[str]  # "a quitté Washington au terme d'une visite": where it went
    plan_nouns: frozenset[str]  # "son intention de se rendre à": a plan, its act still to come
    envoy_nouns: frozenset[str]  # "son ambassadeur à Abidjan": where an envoy serves is a party
    with_nouns: frozenset[str]
    target_cases: dict[str, tuple[str, ...]]
    venue_bodies: frozenset[str]
    since_words: tuple[str, ...]
    dating_verbs: frozenset[str]
    object_control_verbs: frozenset[str]
    permission_verbs: frozenset[str]
    when_words: frozenset[str]
    demonstratives: frozenset[str]
    clause_pronouns: frozenset[str]
    sideline_nouns: frozenset[str]
    member_nouns: frozenset[str]
    flag_nouns: frozenset[str]
    host_readings: frozenset[str]
    instrument_nouns: frozenset[str]
    container_nouns: frozenset[str]
    response_nouns: frozenset[str]
    joining_nouns: frozenset[str]
    force_nouns: frozenset[str]
    authority_nouns: frozenset[str]
    decision_verbs: frozenset[str]
    decided_types: frozenset[str]

    def case_is(self, case: str | None, role: str) -> bool:
        """Whether a (folded) preposition introduces the given role: `case_is("avec", "with")`."""
        return case is not None and case in self.cases.get(role, ())


def _trigger(row: dict, pos: str) -> Trigger:
    return Trigger(lemma=row["lemma"], type=row["type"], roles=row.get("roles", "directed"), pos=pos,
                   mode=row.get("mode"), reflexive=bool(row.get("reflexive")),
                   objects=frozenset(row.get("object") or ()), needs_word=frozenset(row.get("needs_word") or ()),
                   needs_case=folded_words(row.get("needs_case") or ()),
                   unless=folded_words(row.get("unless") or ()),
                   agreement=bool(row.get("agreement")), needs_place=bool(row.get("needs_place")),
                   background_only=bool(row.get("background_only")), joint=row.get("joint"),
                   avoid_case=folded_words(row.get("avoid_case") or ()),
                   party_object=bool(row.get("party_object")), dated=bool(row.get("dated")), headline=bool(row.get("headline")), denial=bool(row.get("denial")),
                   dative_target=bool(row.get("dative_target")), passive=bool(row.get("passive")),
                   target_of=bool(row.get("target_of")))


def language(code: str = "fr") -> EventLanguage:
    """The event vocabulary of the shipped bundle `code`."""
    return event_language(bundle(code))


def event_language(lang: Language) -> EventLanguage:
    """The event vocabulary of a bundle, built once per bundle."""
    return lang.cached("events", _build)


def _build(lang: Language) -> EventLanguage:
    code = lang.code
    data = lang.data("events")
    g = data["grammar"]
    verbs: dict[str, list[Trigger]] = {}
    nouns: dict[str, list[Trigger]] = {}
    for row in data["verbs"]:
        verbs.setdefault(row["lemma"], []).append(_trigger(row, "VERB"))
    for row in data["nouns"]:
        nouns.setdefault(row["lemma"], []).append(_trigger(row, "NOUN"))
    # a reading with conditions is tried before one without: "expulser des ressortissants"
    # (COERCE) before "expulser" (SANCTION of diplomats), whatever the order of the file
    for table in (verbs, nouns):
        for readings in table.values():
            readings.sort(key=lambda t: not (t.objects or t.needs_word or t.needs_case or t.avoid_case
                                              or t.party_object or t.reflexive or t.dated))
    # matched on the text as written (case aside), so the words are not folded
    pair_words = alternation(g["pair_determiners"], form=str)
    return EventLanguage(
        code=code,
        verbs={k: tuple(v) for k, v in verbs.items()}, nouns={k: tuple(v) for k, v in nouns.items()},
        agreements=frozenset(data["agreements"]), material=frozenset(data["material_words"]),
        multilateral=tuple(fold(w) for w in data["multilateral_words"]),
        phone=tuple(fold(w) for w in data["phone_words"]),
        negation=frozenset(data["negation"]), needs_ne=frozenset(data["needs_ne"]), any_determiners=folded_words(data["any_determiners"]),
        future_aux=frozenset(data["future_aux"]), hypothetical_aux=frozenset(data["hypothetical_aux"]),
        historical_markers=frozenset(data["historical_markers"]),
        speech_verbs=frozenset(lang.data("claims")["saying_verbs"]),   # one list of verbs of saying
        still_to_do=folded_words(data["still_to_do"]),
        sectors=tuple((name, tuple(fold(w) for w in words)) for name, words in data["sectors"].items()),
        pair_nouns=folded_words(data["pair_nouns"]),
        metonym_bodies=folded_table(data["metonym_bodies"]),
        light_verbs=frozenset(data["light_verbs"]), purpose_heads=frozenset(data["purpose_heads"]),
        purpose_marks=folded_words(data["purpose_marks"]), topic_cases=folded_words(data["topic_cases"]),
        object_pronouns=folded_words(data["object_pronouns"]), deal_nouns=folded_words(data["deal_nouns"]),
        statement_nouns=folded_words(data["statement_nouns"]), adopting_verbs=frozenset(data["adopting_verbs"]),
        settled_verbs=frozenset(data["settled_verbs"]), targeting_verbs=frozenset(data["targeting_verbs"]), negating_heads=frozenset(data["negating_heads"]),
        open_heads=frozenset(data["open_heads"]),
        counterpart_nouns=folded_words(data["counterpart_nouns"]),
        relative_pronouns=folded_words(g["relative_pronouns"]), person_pronouns=folded_words(g["person_pronouns"]), first_person=folded_words(g["first_person"]), plural_pronouns=folded_words(g["plural_pronouns"]),
        reflexive_clitics=folded_words(g["reflexive_clitics"]), negation_particles=folded_words(g["negation_particles"]),
        condition_marks=folded_words(g["condition_marks"]), negating_marks=folded_words(g["negating_marks"]), motion_verbs=frozenset(g["motion_verbs"]), deadline_marks=folded_words(g["deadline_marks"]),
        list_joins=folded_words(g["list_joins"]), list_fillers=folded_words(g["list_fillers"]), clause_marks=folded_words(g["clause_marks"]),
        obligation_verb=g["obligation_verb"], near_future_aux=g["near_future_aux"],
        future_adjectives=folded_words(g["future_adjectives"]),
        superlative_adverbs=folded_words(g["superlative_adverbs"]),
        superlative_determiners=folded_words(g["superlative_determiners"]),
        pair_phrase=re.compile(rf"\b(?:{pair_words})\s+{re.escape(g['pair_number'])}\s+([^\W\d_][^\W\d_' -]{{2,29}})",
                               re.IGNORECASE),
        group_phrase=re.compile(
            rf"\b(?:{pair_words})\s+({alternation(g['group_numbers'], form=str)})\s+([^\W\d_][^\W\d_' -]{{2,29}})",
            re.IGNORECASE),
        group_numbers=folded_table(g["group_numbers"], int), pair_number=fold(g["pair_number"]),
        shared_determiners=folded_words(g["shared_determiners"]), bilateral_adjectives=folded_words(g["bilateral_adjectives"]),
        cases={role: tuple(fold(w) for w in words) for role, words in g["cases"].items()},
        conditional_ending=re.compile(g["conditional_ending"]), future_ending=re.compile(g["future_ending"]), imperfect_ending=re.compile(g["imperfect_ending"]),
        first_group_form=re.compile(g["first_group_form"]), first_group_ending=g["first_group_ending"],
        past_participle=re.compile(g["past_participle"]), infinitive_endings=tuple(g["infinitive_endings"]),
        quotes=tuple(tuple(pair) for pair in g["quotes"]),
        mediation_nouns=folded_words(data["mediation_nouns"]), meeting_nouns=folded_words(data["meeting_nouns"]),
        facing_nouns=folded_words(data["facing_nouns"]), whereabouts_nouns=folded_words(data["whereabouts_nouns"]),
        envoy_nouns=folded_words(data["envoy_nouns"]), plan_nouns=folded_words(data["plan_nouns"]),
        departure_verbs=frozenset(data["departure_verbs"]), inclusion_pronouns=folded_words(data["inclusion_pronouns"]), with_nouns=folded_words(data["with_nouns"]),
        target_cases={t: tuple(fold(w) for w in words) for t, words in data["target_cases"].items()},
        venue_bodies=frozenset(data["venue_bodies"]),
        since_words=tuple(fold(w) for w in data["since_words"]), dating_verbs=frozenset(data["dating_verbs"]), object_control_verbs=frozenset(data["object_control_verbs"]), permission_verbs=frozenset(data["permission_verbs"]), when_words=folded_words(data["when_words"]),
        demonstratives=folded_words(g["demonstratives"]),
        clause_pronouns=folded_words(g["clause_pronouns"]),
        sideline_nouns=folded_words(g["sideline_nouns"]),
        member_nouns=folded_words(g["member_nouns"]),
        flag_nouns=folded_words(g["flag_nouns"]),
        instrument_nouns=folded_words(data["instrument_nouns"]), container_nouns=folded_words(data["container_nouns"]), response_nouns=folded_words(data["response_nouns"]), joining_nouns=folded_words(data["joining_nouns"]), force_nouns=folded_words(data["force_nouns"]),
        authority_nouns=folded_words(data["authority_nouns"]),
        decision_verbs=frozenset(data["decision_verbs"]), decided_types=frozenset(data["decided_types"]),
        host_readings=frozenset(lemma_ for lemma_, readings in verbs.items() if any(r.roles == "host" for r in readings)),
    )
