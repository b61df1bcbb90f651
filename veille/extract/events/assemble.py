"""Assembling one event from a trigger: its roles, type, status, date, place, sectors, count, and
the checks that say it is no event at all.

    "Pékin et Moscou ont signé jeudi un contrat de livraison de gaz" -> signer + a deal of
    material exchange: COOPERATE, actor [CHN, RUS], dated that Thursday
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from veille.extract.events import attributes
from veille.extract.events.arguments import (after_reported_clause, antecedent, clause_tokens, has_active_subject,
                                             linear_parties, mediators, own_date, roles)
from veille.extract.events.context import Context
from veille.extract.events.lang import Trigger
from veille.extract.events.syntax import (case_of, codes_of, day_offsets, governed_by, lemma, objects, sentence_of,
                                          sentence_words, set_apart, span_of, subject)
from veille.extract.events.triggers import (ALLEGING, alleged, is_purpose, matches, planned, promised, signed_kind, superlative,
                                            under_trigger)
from veille.gazetteer import gazetteer
from veille.records import Event
from veille.text import fold

HISTORICAL_DAYS = 90
SAYING = ("AGREE", "ACCUSE", "REJECT", "REQUEST", "THREATEN", "SUPPORT")
PHYSICAL = ("ASSAULT", "COERCE", "RETREAT", "AID")   # acts that land where they are aimed
REPLIES = ("REJECT", "ACCUSE", "PROTEST", "THREATEN", "CONCEDE", "RETREAT")
TRANSFERS = ("AID", "COOPERATE")  # what is delivered or supplied goes to someone
TRANSFER_REACH = 500                # how far back a transfer with no receiver looks for the last one


def last_receiver(before: int, history: list[Event]) -> list[str]:
    """The recipients of the last aid told within TRANSFER_REACH characters before `before`."""
    for ev in reversed(history):
        if ev.evidence[1] <= before + 1 and before - ev.evidence[1] <= TRANSFER_REACH:
            if ev.type == "AID" and ev.recipient:   # after aid only: trade goes to many buyers
                return list(ev.recipient)
    return []


def _date_of_antecedent(token, parties: list[str], sent, ctx: Context, history, reach: int = 400):
    """The day of the last act of the same parties just before this sentence, when the act's subject
    stands for them ("ils", "les deux hommes"), else None."""
    doer, _ = subject(token, ctx.lang)
    if doer is None or not parties:
        return None
    anaphor = fold(doer.text) in ctx.lang.plural_pronouns or fold(doer.text) in ctx.lang.person_pronouns or any(
        kind == "pair" and s <= doer.idx < e for s, e, _, kind in ctx.parties.spans)
    if not anaphor:
        return None
    for ev in reversed(history):
        if ev.evidence[1] <= sent.start_char and sent.start_char - ev.evidence[1] <= reach:
            same = sorted(set(ev.actor) | set(ev.recipient)) == parties
            return ev.date if same and ev.date and ev.date.begin == ev.date.end else None
    return None


def _stated_date(token, trigger: Trigger, event_type: str, status: str, sent, ctx: Context, history,
                 parties: list[str]):
    """The date the text gives an act, or None: the nearest date of its clause, else its noun's
    phrase, its participle or its dating verb, else the day of an anaphor's antecedent."""
    # what is promised, alleged or asked has its own date: "lui reproche d'être devenue, depuis
    # 2022, un acheteur" is a reproach made now
    date_ = attributes.date_near(token, sent, ctx, promise=trigger.pos == "VERB" and event_type in SAYING,
                                 settled=status == "occurred")
    if trigger.dated:
        date_ = attributes.phrase_date(token, ctx) or date_
    if trigger.pos == "NOUN":
        # "l'accord signé en 1995", "les sanctions décidées en 2014": the participle's date
        date_ = attributes.participle_date(token, ctx) or date_
    if trigger.pos == "NOUN" and token.dep_ == "nsubj" and lemma(token.head, ctx.lang) in ctx.lang.dating_verbs:
        # "la dernière visite d'un président égyptien à Ankara remontait à 2012": dated by its verb
        date_ = attributes.complement_date(token.head, ctx) or date_
    if date_ is None and trigger.pos == "VERB":
        # "Le président kényan a reçu samedi son homologue éthiopien. Les deux hommes sont convenus
        # de ...": an undated act of the parties just named by an anaphor happens when they met
        date_ = _date_of_antecedent(token, parties, sent, ctx, history)
    return date_


def not_an_act(token, trigger: Trigger, ctx: Context) -> bool:
    """Whether the trigger names no act of its own here: an aim, an allegation, a promise's
    content, the object of another trigger, or a participle used as an adjective."""
    lang = ctx.lang
    if trigger.pos == "VERB" and is_purpose(token, lang):
        return True
    if trigger.pos == "VERB" and token.dep_ == "xcomp" and token.head.i != token.i \
            and lemma(token.head, lang) in lang.permission_verbs:
        return True  # "a autorisé la Pologne à livrer des chars": allowed, not done
    if trigger.pos == "VERB" and alleged(token, lang):
        return True  # "leur reproche d'avoir livré": the delivery is what is alleged, not an act reported
    if trigger.pos == "VERB" and any(after_reported_clause(c) and any(t.type in ALLEGING for t in lang.verbs.get(lemma(c, lang), ()))
                                     for c in token.children if c.pos_ == "VERB"):
        return True  # "X soutient les rebelles, a accusé Kinshasa": what the incise alleges
    if trigger.pos == "NOUN" and under_trigger(token, lang) and not _recalled(token, ctx):
        return True
    if trigger.pos == "NOUN" and any(c.dep_ == "det" and fold(c.text) in lang.any_determiners for c in token.children):
        return True  # "en réponse à toute nouvelle expulsion", "s'oppose à tout déploiement": any such act, none told
    if trigger.pos == "NOUN" and token.dep_ == "nmod" and token.head.pos_ == "NOUN" \
            and case_of(token) in lang.topic_cases:
        return True  # "des données d'alerte sur les tirs de missiles", "un débat sur les sanctions": a topic
    if trigger.pos == "NOUN" and token.dep_ in ("obj", "obl:arg") and token.head.pos_ in ("VERB", "AUX") \
            and is_purpose(token.head, lang):
        return True  # "pour éviter les droits de douane américains": an aim, no duty imposed
    if promised(token, lang) and not _decided_measure(token, trigger, lang):
        return True  # "a proposé d'organiser une rencontre": the proposal (AGREE) is the event
    if trigger.pos == "VERB" and lemma(token, lang) in lang.decision_verbs and any(
            c.dep_ == "xcomp" and any(t.type in lang.decided_types and matches(c, t, sentence_words(sentence_of(c)), lang)
                                      for t in lang.verbs.get(lemma(c, lang), ()))
            for c in token.children):
        return True  # "a décidé de lever les contrôles": the measure decided is the event
    if trigger.pos == "VERB" and (any(c.dep_ == "det" and c.pos_ != "PROPN" for c in token.children)
                                  or superlative(token, lang)):
        return True  # "les plus demandées": a participle used as an adjective or a noun
    appositive = set_apart(token)
    # "a signé un décret imposant une surtaxe": what an enacted text does, its signer does;
    # "les restrictions imposées en 2019": a participle with its own date is an act recalled
    enacted = "Pres" in token.morph.get("Tense") and token.dep_ == "acl" and (
        token.head.dep_ in ("obj", "nsubj:pass") or fold(token.head.text) in lang.instrument_nouns) \
        or token.dep_ == "acl" and own_date(token, ctx)
    if trigger.pos == "VERB" and token.dep_ in ("amod", "acl") and not appositive and not enacted \
            and not planned(token, lang) and not any(
            c.dep_ in ("obl:agent", "aux:pass", "aux:tense") or lang.case_is(case_of(c), "by") for c in token.children):
        # a participle describing a noun ("une délégation fournie", "les pays refusant de payer"),
        # unless set apart as what its noun did ("l'ambassade, dénonçant les sanctions, ...")
        return True
    return False


def _recalled(noun, ctx: Context) -> bool:
    """Whether a noun under another act tells an act of its own, recalled with its date ("s'appuie
    sur l'accord conclu en 2019", "ont levé les sanctions de 2014"), unless a participle of its that
    is a trigger tells that act ("a dénoncé l'accord signé la semaine dernière")."""
    end = span_of(noun)[1]
    if not any(t.start >= noun.idx and t.end <= end and t.begin and t.type != "DURATION"
               and (t.end_date or t.begin) < (ctx.published or "9999") for t in ctx.timexes):
        return False                     # "les patrouilles communes menées depuis 2019": still going on
    words = sentence_words(sentence_of(noun))
    return not any(c.dep_ == "acl" and any(matches(c, t, words, ctx.lang) for t in ctx.lang.verbs.get(lemma(c, ctx.lang), ()))
                   for c in noun.children)


def events_from(token, trigger: Trigger, sent, ctx: Context, quote_speaker: str | None,
                history: list[Event] = ()) -> list[Event]:
    """The events a trigger reports in its sentence: none, one, or one per visitor and
    destination of a visit ("Les présidents sénégalais et ivoirien sont arrivés à Addis-Abeba":
    two visits)."""
    event = event_from(token, trigger, sent, ctx, quote_speaker, history)
    if event is None:
        return []
    visit = event.type == "CONSULT" and event.mode == "visit" and trigger.roles in ("visit", "host") \
        and event.recipient
    if visit and len(event.actor) > 1:
        return [replace(event, actor=(a,)) for a in event.actor]
    if visit and len(event.recipient) > 1:
        return [replace(event, recipient=(r,), date=_date_of_destination(token, r, sent, ctx) or event.date)
                for r in event.recipient]
    return [event]


def _day_offset(noun) -> int | None:
    """The days between a noun's act and its clause when a day word governs it ("au lendemain de
    la signature": the signing is the day before), by the parse or, where the parser hangs the
    noun elsewhere, by the words just before it ("lendemain de la")."""
    offsets = day_offsets()
    found = offsets.get(fold(noun.head.lemma_ or noun.head.text))
    if found is None:
        before = noun.doc[max(noun.sent.start, noun.i - 3):noun.i]
        for i in range(len(before) - 1, -1, -1):
            word = fold(before[i].lemma_ or before[i].text)
            if word in offsets and all(t.pos_ in ("ADP", "DET") for t in before[i + 1:]) and len(before) - i > 1:
                found = offsets[word]
                break
    return found


def _date_of_destination(token, code: str, sent, ctx: Context):
    """The date nearest the place of one destination of a tour ("lundi à Paris, puis mardi à Londres")."""
    from veille.records import Period

    spans = [(s, e) for s, e, c, _ in ctx.parties.spans if c == code and sent.start_char <= s < sent.end_char]
    spans += [(s, e) for s, e, _, _, state in ctx.parties.places if state == code and sent.start_char <= s < sent.end_char]
    dated = [t for t in ctx.timexes if sent.start_char <= t.start < sent.end_char and t.begin and t.type != "DURATION"]
    if not spans or len(dated) < 2:
        return None
    where = min(spans)[0]
    best = min(dated, key=lambda t: abs(t.start - where))
    return Period(best.begin, best.end_date or best.begin)


def event_from(token, trigger: Trigger, sent, ctx: Context, quote_speaker: str | None,
               history: list[Event] = ()) -> Event | None:
    """The event a trigger reports in its sentence, or None."""
    if not_an_act(token, trigger, ctx):
        return None
    actors, recipients = roles(token, trigger, ctx)
    if not actors and trigger.type == "SANCTION" and token.dep_ == "acl" and "Past" in token.morph.get("Tense") \
            and own_date(token, ctx):
        # "la levée des restrictions imposées en 2018 sur le canola chinois": the measure recalled
        # was imposed by whoever lifts it, on whomever it is lifted for
        lifted = next((ev for ev in reversed(history) if ev.type == "CONCEDE"
                       and ev.evidence == (sent.start_char, sent.end_char)), None)
        if lifted is not None:
            actors, recipients = list(lifted.actor), list(lifted.recipient)
    if trigger.party_object and not any(codes_of(c, ctx.parties, ctx.lang) for c, dep in objects(token, ctx.lang)
                                        if dep == "obj"):
        return None                      # "a appelé son invité « un ami »": no party called
    if not actors and not recipients and trigger.agreement and ctx.pair and not has_active_subject(token, ctx) and \
            set(ctx.parties.codes(sent.start_char, sent.end_char)) <= set(ctx.pair) and \
            set(ctx.pair) <= set(ctx.parties.codes(_previous_sentence_start(sent), sent.end_char)):
        # "des accords ont été signés": between the article's two states, unless others are named
        actors = list(ctx.pair)
    if not actors:
        # an act with no known doer ("l'invasion de l'Ukraine") cannot be coded reliably
        return None
    if trigger.background_only:
        return None
    lang = ctx.lang
    words = sentence_words(sent)
    event_type, mode = trigger.type, trigger.mode
    joint = trigger.joint is not None and len(set(actors) | set(recipients if trigger.roles == "reciprocal" else ())) >= 2
    if joint:
        event_type = trigger.joint       # "les marines grecque et française se sont entraînées": cooperation
    elif trigger.joint is not None and trigger.roles == "reciprocal":
        recipients = []                  # one state's exercise: a show of force (MOBILIZE) aimed at no one named
    if event_type == "CONSULT" and trigger.roles == "visit" and trigger.pos == "VERB":
        who, _ = subject(token, lang)
        if who is not None and fold(who.lemma_ or who.text) in lang.force_nouns:
            # "le premier contingent de soldats français est arrivé en Roumanie": a deployment, by
            # the state whose forces they are (not the body whose mission they serve)
            event_type, mode = "MOBILIZE", None
            bodies = gazetteer().body_codes
            actors = [c for c in actors if c not in bodies] or actors
    if event_type == "MOBILIZE" and not joint:
        # "ont survolé la péninsule aux côtés de chasseurs sud-coréens", "a mené l'exercice avec les
        # États-Unis": a show of force done with another state is joint military cooperation
        partners = [c for t in clause_tokens(token) if t.i != token.i
                    and (lang.case_is(case_of(t), "with") and t.head.i == token.i and not _after_facing(t, lang)
                         or fold(t.lemma_ or t.text) in lang.with_nouns)
                    for c in codes_of(t, ctx.parties, lang) if c not in actors]
        # "sa frontière avec l'Azerbaïdjan" is no partner: only "avec" on the act itself, or "aux côtés de"
        partners += [c for c in linear_parties(token, ctx).get("alongside", []) if c not in actors + partners]
        if partners:
            event_type, joint = "COOPERATE", True
            actors, recipients = actors + [c for c in partners if c not in actors], []
    if trigger.agreement and not (trigger.pos == "VERB" and lemma(token, lang) in lang.adopting_verbs):
        signed = signed_kind(token, lang)
        if signed == "deal" or (signed is None and any(f" {w} " in words for w in lang.material)):
            event_type = "COOPERATE"
    status = attributes.status(token, trigger, lang)
    if trigger.agreement and status in ("future", "hypothetical"):
        event_type = "AGREE"  # a signing to come is a promise (PLOVER), deal or statement alike
    if event_type == "CONSULT":
        if any(f" {w} " in words for w in lang.phone):
            mode = "phone"
        elif mode is None and any(f" {w} " in words for w in lang.multilateral) and len(actors) + len(recipients) > 2:
            mode = "multilateral"
        third = mediators(sent, ctx, actors + recipients)
        if trigger.pos == "NOUN" and trigger.roles == "reciprocal":
            third += [c for c in _host_of(token, ctx) if c not in actors + recipients + third]
        if trigger.roles == "host" and _hosts_meeting(token, lang):
            # "Oman a accueilli à Mascate des pourparlers entre l'Iran et les États-Unis": a third party
            third = [c for c in recipients if c not in actors] + third
            recipients = []
        if third and mode in (None, "visit", "multilateral"):
            actors, recipients, mode = actors + recipients + third, [], "third-party"
    clause = span_of(token)
    date_ = _stated_date(token, trigger, event_type, status, sent, ctx, history, sorted(set(actors) | set(recipients)))
    confidence = 0.8 if date_ else 0.6
    if date_ is None and status != "historical":
        date_ = ctx.story_date   # an act recalled ("avait refusé") happened before the story's day
    offset = _day_offset(token) if trigger.pos == "NOUN" else None
    if offset and date_ and date_.begin == date_.end:
        # the clause happens "à la veille de la visite" (the day before it), "au lendemain du tir"
        day = (date.fromisoformat(date_.begin) - timedelta(days=offset)).isoformat()
        date_ = replace(date_, begin=day, end=day)
    place = attributes.location(sent, ctx, clause)
    if event_type == "CONSULT" and mode in (None, "visit") and place and place[1]:
        host = place[1]
        parties_all = actors + recipients
        if host in parties_all and len(parties_all) == 2:
            # talks in one party's city: the other is visiting (a meeting keeps both as actors)
            if trigger.roles != "reciprocal":
                actors = [c for c in parties_all if c != host]
                recipients = [host]
            mode = "visit"
    if event_type == "CONSULT" and mode == "visit" and trigger.roles != "reciprocal" and not recipients \
            and place and place[1] and place[1] not in actors:
        recipients = [place[1]]
    if trigger.roles == "visit" and not recipients and trigger.needs_place and ctx.story_place \
            and ctx.story_place[1] and ctx.story_place[1] not in actors:
        recipients = [ctx.story_place[1]]    # "Arrivé le matin avec une douzaine de ministres": where the story is
    if trigger.roles == "visit" and not recipients:
        return None
    if not recipients and event_type in ("ASSAULT", "COERCE"):
        # "a saisi un pétrolier battant pavillon des Îles Marshall": the flag names the ship's state
        recipients = [c for t in sent if fold(t.text) in lang.flag_nouns
                      for c in ctx.parties.codes(t.idx + len(t.text), t.head.right_edge.idx + len(t.head.right_edge.text))
                      if c not in actors]
    if not recipients and event_type in PHYSICAL:
        # "ont frappé des installations à Kharkiv": the state where the act lands
        recipients = attributes.state_of_places(ctx, [clause, (sent.start_char, sent.end_char)], actors)
    if not recipients and event_type == "ASSAULT" and trigger.pos == "VERB":
        # "a bombardé des camps dans la province afghane de Khost": the state its object names
        recipients = list(dict.fromkeys(
            code for c in token.children if c.dep_ in ("obj", "obl:arg", "obl:mod", "obl")
            and not lang.case_is(case_of(c), "by") and not lang.case_is(case_of(c), "with")
            for code in ctx.parties.codes(c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text))
            if code not in actors))
    if not recipients and event_type in ("MOBILIZE", "ASSAULT", "COERCE", "PROTEST") and trigger.roles == "directed":
        # "a massé des troupes à sa frontière avec l'Azerbaïdjan", "à la frontière libanaise"
        recipients = [c for t in clause_tokens(token) if t.i != token.i and t.dep_.startswith(("obl", "nmod"))
                      and (lang.case_is(case_of(t), "against") or lang.case_is(case_of(t), "reason")
                           or fold(t.lemma_ or t.text) in lang.facing_nouns)
                      for c in codes_of(t, ctx.parties, lang) if c not in actors]
    if any(c in lang.venue_bodies for c in recipients):
        # a court or the WTO hears the case; its target is named in the topic of the clause
        recipients = [c for c in recipients if c not in lang.venue_bodies] or [
            c for t in clause_tokens(token) if case_of(t) in lang.topic_cases
            for c in codes_of(t, ctx.parties, lang, keep=tuple(lang.topic_cases)) if c not in actors]
    if not recipients and trigger.roles == "directed" and event_type in REPLIES:
        recipients = [c for c in antecedent(actors, token.idx, history) if c not in actors]
    if not recipients and trigger.roles == "directed" and trigger.pos == "VERB" and event_type in TRANSFERS:
        # "Les Pays-Bas livreront vingt-quatre F-16 à l'Ukraine. Le Danemark, qui fournira de son
        # côté dix-neuf appareils, ...": a transfer with no receiver named goes where the last one went
        recipients = [c for c in last_receiver(sent.start_char, history) if c not in actors]
    if (not recipients and len(actors) == 1 and trigger.roles in ("directed", "host") and ctx.pair
            and actors[0] in ctx.pair and event_type not in ("ASSAULT", "MOBILIZE", "PROTEST")):
        # a one-sided act by one of the article's two states, with no target named in the clause:
        # in a bilateral story it is aimed at the other when that one is named in the paragraph or
        # the one before ("Tokyo a salué lundi le plan", in a story about Tokyo and Seoul)
        other = next(c for c in ctx.pair if c != actors[0])
        start = _paragraph_start(ctx.text, _paragraph_start(ctx.text, sent.start_char) - 1)
        if other in ctx.parties.codes(start, sent.end_char) or any(
                state == other for s_, e_, _, _, state in ctx.parties.places if start <= s_ and e_ <= sent.end_char):
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
    if trigger.pos == "NOUN" and status == "occurred" and governed_by(token, lang.historical_markers):
        status = "historical"
    if status == "occurred" and date_ and ctx.published and date_.begin and date_.begin > ctx.published and len(ctx.published) == 10:
        status = "future"
    if status == "future" and date_ and ctx.published and len(ctx.published) == 10 and (date_.end or date_.begin or "9") < ctx.published:
        # "Le Japon va fournir des radars aux Philippines, a annoncé mardi Tokyo": the day is the
        # announcement's; an act still to come is not dated before the story
        date_ = None
    if event_type in ("SUPPORT", "CONCEDE", "SANCTION") and trigger.roles == "directed" and not recipients:
        return None  # praise of a thing ("a salué le niveau des échanges") backs no one; a duty lifted
                     # or imposed on no named state is domestic policy
    if event_type == "ASSAULT" and trigger.roles == "directed" and not recipients and len(set(actors)) < 2:
        return None  # an attack on no state ("a frappé le poteau", "a attaqué la séance") is no assault
    if event_type == "COOPERATE" and trigger.roles == "reciprocal" and len(set(actors)) < 2:
        return None  # joint action needs two parties; "il doit inaugurer l'Expo" alone is a ceremony
    if event_type == "CONSULT" and len(set(actors) | set(recipients)) < 2 and not (
            set(actors) & gazetteer().body_codes):
        return None  # a meeting needs two parties (or a body's members); "rencontrer des étudiants" is not diplomacy
    bodies = gazetteer().body_codes
    if sum(1 for c in set(actors) if c not in bodies) >= 2:
        # the members are named: they are the parties, not their body ("les ministres du Quad –
        # États-Unis, Inde, Japon et Australie –")
        actors = [c for c in actors if c not in bodies] if event_type in ("CONSULT", "SUPPORT", "AGREE") else actors
    reciprocal = (trigger.roles == "reciprocal" and event_type not in ("ASSAULT", "SANCTION", "ACCUSE", "MOBILIZE")) \
        or joint
    if reciprocal or (event_type == "CONSULT" and mode != "visit"):
        actors, recipients = sorted(set(actors) | set(recipients)), []
    if mode == "visit" and not recipients and trigger.roles != "reciprocal":
        mode = None                      # a meeting of its parties, wherever it is held
    if event_type == "CONSULT" and trigger.pos == "NOUN" and actors and set(actors) <= bodies \
            and fold(token.head.lemma_ or token.head.text) in lang.sideline_nouns:
        # "se sont rencontrés en marge du sommet de l'ASEAN": the body's own meeting, another
        # act than the one held on its sidelines
        mode = "multilateral"
    return Event(type=event_type, actor=tuple(actors), recipient=tuple(recipients), mode=mode, status=status,
                 date=date_, location=place[0] if place else None,
                 sectors=attributes.sectors(sent, ctx) if event_type not in ("ASSAULT",) else (),
                 count=attributes.count(token, lang) if trigger.agreement else None,
                 evidence=(sent.start_char, sent.end_char), confidence=confidence,
                 trigger=token.text, source=quote_speaker)


def headline_visit(sent, ctx: Context) -> Event | None:
    """A headline without a verb that puts a leader or state in another state's city: "Erdogan à
    Athènes pour relancer le dialogue" is a visit, on the day of publication."""
    lang = ctx.lang
    if any(t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm") for t in sent) or len(sent) > 20:
        return None
    root = sent.root
    visitors = [c for c in ctx.parties.codes(root.idx, root.idx + len(root.text))]
    if root.pos_ not in ("PROPN", "NOUN") or not visitors:
        return None
    for child in root.children:
        place = ctx.parties.place_at(child.idx, child.idx + len(child.text))
        if lang.case_is(case_of(child), "to") and place and place[2] and place[2] not in visitors:
            return Event(type="CONSULT", mode="visit", actor=tuple(visitors[:1]), recipient=(place[2],),
                         status="occurred", date=ctx.story_date, location=place[0],
                         evidence=(sent.start_char, sent.end_char), confidence=0.6, trigger=root.text)
    return None


def _host_of(token, ctx: Context) -> list[str]:
    """States that host a meeting named by a noun: the subject of the host verb it hangs under
    ("Oman a accueilli à Mascate des pourparlers entre l'Iran et les États-Unis")."""
    t = token
    for _ in range(3):
        if t.head.i == t.i:
            return []
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            if lemma(t, ctx.lang) in ctx.lang.host_readings:
                host, passive = subject(t, ctx.lang)
                return codes_of(host, ctx.parties, ctx.lang) if host is not None and not passive else []
            return []
    return []


def _decided_measure(token, trigger: Trigger, lang) -> bool:
    """Whether a measure (lifting, sanction, withdrawal) is what a state decided: "Le Japon a décidé
    jeudi de lever les contrôles" lifts them; it is no promise."""
    return trigger.pos == "VERB" and trigger.type in lang.decided_types and token.dep_ == "xcomp" \
        and token.head.i != token.i and lemma(token.head, lang) in lang.decision_verbs


def _after_facing(token, lang) -> bool:
    """Whether a complement's preposition follows a noun that faces a state ("à sa frontière avec
    l'Érythrée"): the phrase is the noun's, whatever the parse says."""
    first = token.left_edge
    return first.i > 0 and fold(first.doc[first.i - 1].lemma_ or first.doc[first.i - 1].text) in lang.facing_nouns


def _paragraph_start(text: str, pos: int) -> int:
    """Where the paragraph holding `pos` starts (0 for the first)."""
    pos = max(0, pos)
    while pos > 0 and text[pos - 1] == "\n":
        pos -= 1                     # from a blank line, into the paragraph before it
    return text.rfind("\n", 0, pos) + 1


def _hosts_meeting(token, lang) -> bool:
    """Whether a host verb's object is a meeting ("a accueilli des pourparlers"), not a visitor."""
    return any(c.dep_ in ("obj", "nsubj:pass") and (fold(c.lemma_ or c.text) in lang.meeting_nouns
                                                    or fold(c.text) in lang.meeting_nouns)
               for c in token.children)


def _previous_sentence_start(sent) -> int:
    sents = sent.doc.user_data.get("veille_sents")
    if sents and sent.start > 0:
        return sents[sent.start - 1].start_char
    return sent.start_char
