"""Arguments: who acts and on whom, read from the parse around a trigger.

    "Washington a imposé des sanctions à des entreprises chinoises"
    -> imposer carries "sanctions": actor USA (its subject), recipient CHN (its "à" complement)
"""
from __future__ import annotations

from veille.extract.events.context import Context
from veille.extract.events.lang import Trigger
from veille.extract.events.syntax import (CLAUSE_BOUNDARIES, case_of, codes_of, is_reflexive, left_window_codes, lemma,
                                          located_in, objects, par_window, sentence_of, span_of, subject, subjects,
                                          time_nouns)
from veille.extract.events.triggers import noun_trigger, planned
from veille.gazetteer import gazetteer
from veille.records import Event
from veille.text import fold

ANTECEDENT_CHARS = 1200     # how far back a reply looks for the act it answers
COUNTERPART_REACH = 800     # how far back "ses deux invités" looks for the act they shared
JUDGEMENTS = ("ACCUSE", "REJECT", "PROTEST", "SUPPORT")    # blame and praise: aimed at a doer


def roles(token, trigger: Trigger, ctx: Context) -> tuple[list[str], list[str]]:
    """(actors, recipients) of a trigger, by its kind of roles."""
    if trigger.pos == "VERB":
        actors, recipients = _verb_roles(token, trigger, ctx)
    else:
        actors, recipients = _noun_roles(token, trigger, ctx)
    envoy = next((c for c in token.children if fold(c.lemma_ or c.text) in ctx.lang.envoy_nouns
                  and c.dep_ in (("nmod",) if trigger.pos == "NOUN" else ("obj", "nsubj:pass"))), None)
    posted = posted_states(envoy, ctx) if envoy is not None else []
    if posted and trigger.target_of:
        # "l'ambassadeur des Pays-Bas à Ankara a été convoqué": the state where an envoy serves
        # summons or expels him
        actors = actors or posted
        recipients = [c for c in recipients if c not in posted]
    elif posted:
        # "Bamako rappelle son ambassadeur à Abidjan": recalled from the state where he serves
        recipients = recipients + [c for c in posted if c not in recipients and c not in actors]
    if trigger.type in ("CONCEDE", "SANCTION") and not (actors and recipients):
        # "la suspension des sanctions américaines contre le Venezuela", "les sanctions décidées par
        # Bruxelles contre Téhéran ont été levées" (or "prolongées"): easing or extending a measure
        # is done by the one who imposed it, for the one it hit
        deps = ("nmod",) if trigger.pos == "NOUN" else ("obj", "nsubj:pass")
        for child in token.children:
            eased = next((t for t in ctx.lang.nouns.get(lemma(child, ctx.lang), ()) if t.type == "SANCTION"), None)
            if eased is not None and child.dep_ in deps:
                by_, on = _noun_roles(child, eased, ctx)
                if by_ and on:
                    actors, recipients = by_, on
                break
    return actors, recipients


def _verb_roles(token, trigger: Trigger, ctx: Context) -> tuple[list[str], list[str]]:
    parties, lang = ctx.parties, ctx.lang
    place_states: list[str] = []
    co: list[str] = []
    found, passive = subjects(token, lang)
    subject_codes = [c for s in found for c in codes_of(s, parties, lang)]
    if len(found) == 1:
        subject_codes = _with_listed(found[0], subject_codes, ctx)
    if not found and planned(token, lang):
        # "Le président égyptien a indiqué son intention de se rendre à...": the plan's owner
        subject_codes = clause_subject_codes(token.head, ctx)
    if len(found) == 1 and any(c.dep_ == "conj" for c in found[0].children):
        # "Les États-Unis, le Japon et la Corée du Sud ont condamné": the parser may leave the
        # list's first member out of the subject, bare and set off by a comma before it
        first = found[0]
        for c in token.children:
            if c.i < first.i and c.pos_ == "PROPN" and case_of(c) is None and c.dep_ not in ("nsubj", "nsubj:pass") \
                    and c.doc[c.right_edge.i + 1].text == "," and c.right_edge.i + 2 <= first.left_edge.i:
                subject_codes = [x for x in codes_of(c, parties, lang) if x not in subject_codes] + subject_codes
    object_codes: list[str] = []
    complement_codes: list[str] = []
    dative_codes: list[str] = []
    for child, dep in objects(token, lang):
        case = case_of(child)
        if trigger.dative_target and lang.case_is(case, "dative") and dep.startswith(("obl", "iobj")) \
                and not _after_response(child, lang):
            # "reproche à New Delhi ses achats de pétrole": the dative names the target;
            # the parser may cut the name, so its head word and the words after it up to the next
            # complement count; "à 300 cibles, dont des entreprises établies en Chine": where they are
            named = codes_of(child, parties, lang, exclude=subject_codes) or located_in(child, parties, lang)
            dative_codes += [c for c in named if c not in dative_codes and c not in subject_codes]
            continue
        # "a salué la hausse de ses échanges avec le Brésil": the partner of a thing praised or
        # blamed is not the target; "a suspendu ses échanges avec Israël": of a thing cut, it is
        codes = codes_of(child, parties, lang, exclude=subject_codes,
                         skip=lang.cases["with"] if trigger.type in ("SUPPORT", "ACCUSE", "REJECT") else (),
                         keep=lang.target_cases.get(trigger.type, ()))
        act = noun_trigger(child, lang) if trigger.roles == "directed" and dep in ("obj", "obl:arg") else None
        if act is not None:
            # "a condamné l'invasion russe de l'Ukraine": who is blamed is who did the act;
            # "a condamné ce tir": the doer of the last such act told
            doers, _ = roles(child, act, ctx)
            if not doers and any(fold(d.text) in lang.demonstratives for d in child.children if d.dep_ == "det"):
                kinds = {t.type for t in lang.nouns.get(lemma(child, lang), (act,))}
                doers = next((list(ev.actor) for ev in reversed(ctx.history) if ev.type in kinds), [])
            codes = [c for c in doers if c not in subject_codes] or codes
        if lang.case_is(case, "with"):
            co += codes          # "signé avec Skopje"
        elif trigger.roles == "reciprocal" and lang.case_is(case, "between"):
            # "l'accord signé en 2021 entre Paris et Athènes": the parser may cut the list after
            # its first member; read on to its end
            co += codes + [c for c in linear_parties(token, ctx).get("between", []) if c not in codes]
        elif lang.case_is(case, "to") and parties.place_at(*span_of(child)) and trigger.roles == "visit":
            place_states += codes
        elif (dep in ("obj", "iobj") or lang.case_is(case, "against")
              or (dep == "obl:arg" and (case is None or lang.case_is(case, "argument")))):
            if trigger.roles == "directed" and dep in ("obj", "iobj") and set(subject_codes) & set(parties.pair) and any(
                    s <= child.idx < e for s, e, _, kind in parties.spans if kind == "pair"):
                return [], []  # Pékin "a appelé les deux pays à...": an appeal to itself as well, no one's act
                               # on another (a third state's appeal to both is aimed at both)
            if trigger.roles == "reciprocal" and dep == "obl:arg" and lang.case_is(case, "of"):
                continue             # "discuter de l'Ukraine": the topic of talks, not a party
            object_codes += codes or (located_in(child, parties, lang) if trigger.roles == "directed" else [])
        elif dep == "xcomp" and trigger.roles == "directed" and child.ent_type_ and codes and not trigger.denial:
            object_codes += codes    # "exhorte Accra à lever", the name tagged as a verb
        elif dep == "xcomp" and trigger.roles == "directed" and child.pos_ in ("VERB", "AUX", "ADJ") and not trigger.denial:
            # "exhorte Pékin à cesser", "se sont dits prêts à construire avec Washington des relations"
            complement_codes += [c for g in child.children
                                 if g.dep_ in ("obj", "iobj", "obl:arg") or lang.case_is(case_of(g), "with")
                                 for c in codes_of(g, parties, lang, exclude=subject_codes)]
            complement_codes += [c for x in child.children if x.dep_ == "xcomp" and x.pos_ in ("VERB", "AUX")
                                 for g in x.children
                                 if g.dep_ in ("obj", "iobj", "obl:arg") or lang.case_is(case_of(g), "with")
                                 for c in codes_of(g, parties, lang, exclude=subject_codes)]
    if dative_codes:
        object_codes = dative_codes
    if trigger.roles == "visit" and not place_states and not object_codes:
        # "effectuera la semaine prochaine une visite officielle en Mauritanie": the visit noun the
        # verb carries says where it goes
        for child, dep in objects(token, lang):
            act = noun_trigger(child, lang) if dep == "obj" else None
            if act is not None and act.roles == "visit":
                place_states += [c for c in roles(child, act, ctx)[1] if c not in subject_codes + place_states]
    if object_codes and not any(c.dep_ in ("nsubj", "nsubj:pass") for c in token.children) \
            and _in_incise(token, lang):
        # "« Nous prendrons des mesures », a prévenu mercredi le ministère chinois": after a quote
        # the speaker follows its verb, which the parser takes for an object (the subject found
        # above is the quote's)
        found, subject_codes, object_codes = [], object_codes, []
    elif object_codes and trigger.type in JUDGEMENTS and not any(c.dep_ in ("nsubj", "nsubj:pass") for c in token.children) \
            and after_reported_clause(token):
        # "Le Japon a déployé des destroyers près des îles, a protesté Pékin": the speaker follows
        # the verb that ends the sentence; what it judges is the act of the clause before
        doer, _ = subject(token.head, lang)
        found, subject_codes = [], object_codes
        object_codes = [c for c in codes_of(doer, parties, lang) if c not in subject_codes] if doer is not None else []
    if not object_codes and token.dep_ == "xcomp" and lemma(token.head, lang) in lang.object_control_verbs:
        # "a autorisé mercredi la Pologne à livrer des chars à l'Ukraine": the parser hangs the
        # infinitive's complements after it on the verb that governs it
        object_codes = [c for g in token.head.children if g.i > token.i and lang.case_is(case_of(g), "dative")
                        for c in codes_of(g, parties, lang, exclude=subject_codes)]
    if not object_codes and trigger.roles == "directed":
        # "a salué dimanche la sagesse de ses deux invités": the others of the last act done together
        for t in clause_tokens(token):
            if t.i > token.i and fold(t.lemma_ or t.text) in lang.counterpart_nouns and any(
                    c.dep_ == "nummod" and fold(c.text) in (lang.pair_number, *lang.group_numbers) for c in t.children):
                object_codes = [c for c in together_before(token.idx, ctx.history, reach=COUNTERPART_REACH)
                                if c not in subject_codes]
                break
    if not object_codes:
        # "exhorte Pékin à cesser" names its target; "accuse [X] de livrer des armes à Y" does not make Y one
        object_codes = complement_codes
    if not object_codes and trigger.roles == "directed" and trigger.type in JUDGEMENTS:
        object_codes = _judged_doers(token, ctx, subject_codes)
    if trigger.roles == "reciprocal":
        # "s'est entretenu au téléphone avec le Premier ministre japonais": the parser often hangs
        # the co-party on another complement; any "avec" phrase of the clause is one
        co += [c for t in clause_tokens(token) if t.i != token.i and t.head.i != token.i
               and (lang.case_is(case_of(t), "with") or fold(t.lemma_ or t.text) in lang.with_nouns)
               for c in codes_of(t, parties, lang) if c not in co]
    if trigger.roles == "reciprocal" and trigger.objects and len(set(subject_codes) | set(co) | set(object_codes)) < 2:
        # "a réuni mardi à Nairobi, sa capitale, les chefs d'État de l'Ouganda, du Rwanda et de la
        # Tanzanie": when the parse loses the object to an apposition, the phrase of the
        # people gathered is found by its noun, after the verb and within its sentence
        gathered = next((t for t in sentence_of(token) if t.i > token.i
                         and fold(t.lemma_ or t.text) in {fold(o) for o in trigger.objects}), None)
        if gathered is not None:
            co += [c for c in codes_of(gathered, parties, lang, exclude=subject_codes) if c not in co]
    syntactic_codes = list(subject_codes)
    agent_codes: list[str] = []
    if passive:
        agents = [c for c in token.children
                  if c.dep_ == "obl:agent" or (lang.case_is(case_of(c), "by") and c.dep_.startswith("obl"))]
        split = [agent_split(a, ctx) for a in agents]
        agent_codes = [c for doers, _ in split for c in doers]
        object_codes += [c for _, aimed in split for c in aimed if c not in object_codes]
        if not agent_codes:
            # "a été inculpé par un tribunal de New York": a state's body named by where it sits
            agent_codes = [state for a in agents if fold(a.lemma_ or a.text) in lang.authority_nouns
                           for s, e, _, _, state in parties.places
                           if state and a.left_edge.idx <= s and e <= a.right_edge.idx + len(a.right_edge.text)]
        if not agent_codes:
            # "ont été ajoutés à la liste noire du Trésor américain": the noun of the same act
            # among the complements names who did it
            for child in token.children:
                act = noun_trigger(child, lang) if child.dep_.startswith("obl") else None
                if act is not None and act.type == trigger.type:
                    agent_codes += [c for c in roles(child, act, ctx)[0] if c not in agent_codes]
        if not agent_codes:
            # "les blindés promis par la Suède ont été livrés à l'Ukraine": who promised the thing
            # delivered is who delivers it
            agent_codes = [c for s in found for p in s.children if p.dep_ == "acl"
                           for a in p.children if a.dep_ == "obl:agent" for c in codes_of(a, parties, lang)]
    if passive and not (trigger.roles in ("reciprocal", "visit") and not agent_codes):
        # "sont convenues de" is no passive: a reciprocal verb keeps its subject without an agent;
        # nor is "est attendu jeudi à Varsovie": the one expected is the visitor
        object_codes = [c for c in subject_codes if c not in agent_codes] + [c for c in object_codes if c not in agent_codes]
        subject_codes = agent_codes
    if not subject_codes and any(fold(t.text).rstrip("'") in lang.first_person for t in found):
        # "« Nous demandons à Pékin de cesser », a déclaré le porte-parole philippin": the speaker's state
        subject_codes = _speaker_codes(token, ctx)
    if not subject_codes and any(fold(t.text) in lang.plural_pronouns for t in found):
        # "Ils ont aussi décidé de se revoir": the parties of the last act done together, just before
        subject_codes = together_before(token.idx, ctx.history)
    if not subject_codes and any(fold(t.text) in lang.person_pronouns | lang.plural_pronouns for t in found) \
            and token.dep_ in CLAUSE_BOUNDARIES | {"acl"} and own_date(token, ctx):
        # "L'Australie a retiré la plainte qu'elle avait déposée en 2020": a pronoun subject of a
        # clause under another names that clause's subject when it is a state (no person was named);
        # only an act the clause dates is told apart ("qu'elles jugent illégales" restates the main one)
        subject_codes = [c for c in clause_subject_codes(token, ctx, reach=4, past_passives=True) if c not in object_codes]
    named = [t for t in found if fold(t.text) not in lang.person_pronouns and t.pos_ != "PRON"]
    known = set(subject_codes) | (set(co) if trigger.roles == "reciprocal" else set())
    if len(known) < (2 if trigger.roles == "reciprocal" else 1) and not (named and not syntactic_codes):
        # the parse may have missed the subject ("MM. Xi et Poutine ont signé"); a subject it
        # found that names no state ("les établissements étrangers qui...") is left alone
        for code in left_window_codes(token, parties, lang):
            if code not in subject_codes and (trigger.roles == "reciprocal" or code not in object_codes):
                subject_codes.append(code)
    if trigger.roles == "host" and not object_codes:
        # "a reçu samedi à Abou Dhabi le chancelier allemand": when the parse loses the object,
        # the first party after the verb outside a place phrase is the visitor
        object_codes = [c for c in linear_parties(token, ctx).get(None, []) if c not in subject_codes][:1]
    # "L'Égypte, admise en janvier comme membre": a past participle on its noun is passive
    participle = token.dep_ == "acl" and "Part" in token.morph.get("VerbForm") and "Past" in token.morph.get("Tense")
    if trigger.type == "SUPPORT" and (trigger.roles == "joined" or (passive or participle) and not agent_codes) \
            and any(fold(t.lemma_ or t.text) in lang.member_nouns for t in clause_tokens(token)):
        # "est devenue le 31e membre de l'OTAN", "a été admis comme onzième membre de l'ASEAN": the
        # body joined takes in the one who joins
        joiner = codes_of(token.head, parties, lang) if participle else object_codes if passive else subject_codes
        return _distinct(_body_joined(token, ctx, joiner), joiner)
    if trigger.roles == "directed" and not trigger.reflexive and not passive and len(set(subject_codes)) >= 2 \
            and is_reflexive(token, lang):
        # "Riyad et Abou Dhabi s'accusent mutuellement d'avoir armé des milices au Yémen": each
        # does it to the other; what the clause goes on to name is no third target
        return _distinct(subject_codes, [])
    if trigger.roles == "reciprocal":
        actors = subject_codes + co + [c for c in object_codes if trigger.type == "CONSULT"]
        recipients: list[str] = []
    elif trigger.roles == "host":
        actors, recipients = object_codes + co, subject_codes
    elif trigger.roles == "visit":
        actors, recipients = subject_codes, place_states or object_codes
    else:
        actors, recipients = subject_codes, object_codes + co
    return _distinct(actors, recipients)


def _noun_roles(token, trigger: Trigger, ctx: Context) -> tuple[list[str], list[str]]:
    parties, lang = ctx.parties, ctx.lang
    of, by, between, to, adjective = [], [], [], [], []
    # "l'accord de défense conclu en 2019 entre Paris et Athènes": the parser may hang the
    # participle on the noun's complement
    participles = [g for c in token.children if c.dep_ == "nmod" and c.pos_ == "NOUN" and not case_of(c) in lang.topic_cases
                   for g in c.children if g.dep_ == "acl"]
    for child in [*token.children, *participles]:
        if trigger.roles == "reciprocal" and child.dep_ == "acl" and child.pos_ == "VERB" and any(
                t.type == trigger.type for t in lang.verbs.get(lemma(child, lang), ())):
            # "le sommet réunissant les présidents turc, russe et iranien", "le sommet tenu à Manille
            # entre Ramaphosa, Lula et Modi": the participle names who met
            between += [c for g in child.children
                        if g.dep_ == "obj" or lang.case_is(case_of(g), "between") or lang.case_is(case_of(g), "with")
                        for c in codes_of(g, parties, lang)]
            continue
        if child.dep_ == "acl" and child.pos_ == "VERB" and "Part" in child.morph.get("VerbForm") \
                and lemma(child, lang) in lang.light_verbs and own_date(child, ctx):
            # "les sanctions décidées en 2014 par Bruxelles contre Téhéran", "l'accord conclu en 2019
            # entre Paris et Athènes": a dated participle that carries the act names its parties
            # (undated, "le reproche adressé à Athènes", it describes more than it reports)
            for g in child.children:
                gcase = case_of(g)
                if g.dep_ == "obl:agent" or lang.case_is(gcase, "by"):
                    doers, aimed = agent_split(g, ctx)
                    by += doers
                    to += aimed
                elif lang.case_is(gcase, "between") or (trigger.roles == "reciprocal" and lang.case_is(gcase, "with")):
                    between += codes_of(g, parties, lang)
                elif lang.case_is(gcase, "to") or lang.case_is(gcase, "against"):
                    to += codes_of(g, parties, lang)
            continue
        if (child.pos_ in ("VERB", "AUX") and not child.ent_type_) or child.dep_ in CLAUSE_BOUNDARIES:
            continue                     # "le reproche d'avoir livré des biens à des entités russes": a clause
        case = case_of(child)
        codes = codes_of(child, parties, lang)
        if trigger.roles == "reciprocal" and (
                (child.dep_ == "det" and fold(child.text) in lang.shared_determiners)
                or (child.dep_ == "amod" and fold(child.lemma_ or child.text) in lang.bilateral_adjectives)):
            between += list(ctx.pair)
            continue
        if child.dep_ == "amod":
            codes = parties.codes(child.idx, child.idx + len(child.text))
            adjective += codes
            if trigger.type not in ("ASSAULT", "COERCE"):
                of += codes
        elif case is None and child.dep_ in ("nmod", "appos", "flat:name") and child.pos_ == "PROPN":
            of += codes                  # "Sommet Inde-Japon", "la visite Macron"
        elif lang.case_is(case, "of") and trigger.target_of and (
                fold(child.lemma_ or child.text) in lang.authority_nouns
                or child.pos_ == "PROPN" and any(kind in ("name", "capital") for s, e, _, kind in parties.spans
                                                 if child.idx <= s < child.idx + len(child.text))):
            by += codes                  # "la liste noire du Trésor américain", "de Washington": whose it is
        elif lang.case_is(case, "of") and trigger.roles == "directed":
            # "une aide de 50 millions de dollars au Soudan": the parser hangs the receiver on the sum
            doers, aimed = agent_split(child, ctx)
            # "le gel des avoirs de la banque vénézuélienne par Londres": and the agent on a word below
            agents = [c for d in child.subtree if d.i != child.i and d.dep_ == "nmod" and lang.case_is(case_of(d), "by")
                      for c in codes_of(d, parties, lang)]
            of += [c for c in doers if c not in agents]
            by += agents
            to += aimed
        elif lang.case_is(case, "of"):
            of += codes
        elif lang.case_is(case, "by"):
            by += codes
        elif lang.case_is(case, "between"):
            between += codes
        elif lang.case_is(case, "to") or lang.case_is(case, "against"):
            to += codes
    if trigger.roles == "host":
        actors, recipients = of + to, []
        verb = token.head
        if token.dep_ in ("obj", "nsubj:pass") and verb.pos_ in ("VERB", "AUX") and lemma(verb, lang) in lang.light_verbs:
            # "Xi lui a réservé un accueil fastueux": the subject hosts, the one received is the visitor
            host, _ = subject(verb, lang)
            recipients = codes_of(host, parties, lang) if host is not None else []
            actors += [c for child in verb.children if child.i != token.i
                       and (child.dep_ in ("iobj", "obl:arg") or lang.case_is(case_of(child), "dative"))
                       for c in codes_of(child, parties, lang, exclude=recipients)]
        return list(dict.fromkeys(c for c in actors if c not in recipients)), list(dict.fromkeys(recipients))
    lin = linear_parties(token, ctx)
    if trigger.roles == "visit":
        # "la visite d'État du président brésilien au Japon": the parse often hangs the
        # destination on the visitor; the words after the noun say it plainly
        actors = of or lin.get("of", []) or lin.get(None, [])
        recipients = to or [c for c in lin.get("to", []) if c not in actors]
        if not actors:
            # "Modi a quitté New York au terme d'une visite aux États-Unis", "lors de sa visite":
            # the visitor is the subject of the clause the visit is a circumstance of (and where
            # the visit went, when the noun does not say, the clause's place)
            actors = [c for c in clause_subject_codes(token, ctx) if c not in recipients]
        if actors and not recipients:
            # "a quitté Washington au terme d'une visite de trois jours": the place a verb of leaving names
            verb = token.head
            for _ in range(3):
                if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
                    break
                verb = verb.head
            if verb.pos_ in ("VERB", "AUX") and lemma(verb, lang) in lang.departure_verbs:
                # a place named as such (a state, its capital), not a person received or a time
                named = [(s, e, c) for s, e, c, kind in parties.spans if kind in ("name", "capital")]
                recipients = [c for child in verb.children if child.i not in (token.i, *(a.i for a in token.ancestors))
                              and (child.dep_ == "obj" or child.dep_.startswith("obl")
                                   and (case_of(child) is None or lang.case_is(case_of(child), "to")))
                              for s, e, c in named if child.idx <= s < child.idx + len(child.text) and c not in actors]
    elif trigger.roles == "reciprocal":
        actors, recipients = of + between + to, []
        if len(set(actors)) < 2:
            actors += [c for role in (None, "of", "between", "with") for c in lin.get(role, []) if c not in actors]
        if len(set(actors)) < 2 and not trigger.agreement and (
                lang.case_is(case_of(token), "during") or lang.case_is(fold(token.head.text), "during")):
            # "Lors d'un entretien à Ankara, les ministres turc et iranien ont évoqué...": those who
            # met are the clause's subject
            actors += [c for c in clause_subject_codes(token, ctx) if c not in actors]
        elif len(set(actors)) == 1 and not trigger.agreement and actors[0] in lin.get("with", []):
            # "a déclaré le Premier ministre arménien lors d'une conférence de presse conjointe avec le
            # président azerbaïdjanais": who meets the one named "with" is the clause's subject
            actors += [c for c in clause_subject_codes(token, ctx) if c not in actors]
        if len(set(actors)) == 1 and trigger.agreement:
            # "Athènes invoque l'accord signé en 1995 avec Skopje": who invokes a pact with
            # another is party to it
            actors += [c for c in clause_subject_codes(token, ctx) if c not in actors]
        if len(set(actors)) < 2 and token.dep_ == "nsubj" and token.head.pos_ in ("VERB", "AUX"):
            # "Aucun contact n'a eu lieu entre Alger et Paris": the verb of a meeting's subject says
            # between whom it took place
            actors += [c for child in token.head.children if child.i != token.i
                       and (lang.case_is(case_of(child), "between") or lang.case_is(case_of(child), "with"))
                       for c in codes_of(child, parties, lang) if c not in actors]
    elif trigger.type in ("ASSAULT", "COERCE"):
        # "l'invasion russe de l'Ukraine", "les frappes russes contre...": the adjective names
        # the doer, "de" the victim; "par" the doer when there is one
        by = by or par_window(token, parties, lang) or adjective
        actors, recipients = by, [c for c in of + to if c not in by]
    elif trigger.target_of:
        # "l'expulsion de diplomates russes par la Pologne", "la convocation de l'ambassadeur espagnol à
        # Rabat", "le gel des avoirs iraniens", "la liste noire américaine des entreprises iraniennes":
        # the complement's state is the target; the agent, the adjective, or the state where envoys
        # serve acts (else the verb that carries the noun, below)
        listed = [c for c in of if c not in adjective]
        actors, recipients = by + adjective + [c for c in to if c not in listed], listed
    else:
        actors, recipients = of + by, to
        if not recipients and trigger.roles == "directed":
            # "un paquet de sanctions visant des entités iraniennes": whom the participle aims it at
            recipients = [c for c in located_in(token, parties, lang) if c not in actors]
        if not recipients and trigger.type == "REQUEST" and token.dep_ in ("obl", "obl:mod") \
                and lang.case_is(case_of(token), "dative"):
            # "à la demande de Paris, le Maroc a renforcé ...": asked of whoever did it
            recipients = [c for c in clause_subject_codes(token, ctx) if c not in actors]
        if not recipients and trigger.type in ("ACCUSE", "PROTEST") and lang.case_is(case_of(token), "reason"):
            # "malgré les protestations d'Athènes, la Turquie a envoyé un navire": blame the
            # clause's doer went ahead despite
            recipients = [c for c in clause_subject_codes(token, ctx) if c not in actors]
    verb, dep = token.head, token.dep_
    if dep == "nmod" and (fold(verb.lemma_ or verb.text) in time_nouns() or fold(verb.lemma_ or verb.text)
                          in lang.container_nouns) and verb.head.i != verb.i:
        # "ont entamé lundi des patrouilles": hung on the day word; "a adopté un paquet de
        # sanctions": on the word that counts them
        verb, dep = verb.head, verb.dep_
    if verb.i != token.i and dep in ("obj", "obl:arg", "obl:mod", "obl", "nsubj:pass") \
            and verb.pos_ in ("VERB", "AUX") and lemma(verb, lang) in lang.light_verbs:
        # a verb that carries the noun's act lends its arguments: "a imposé des sanctions à des
        # entreprises chinoises", "ont été ajoutés à la liste noire du Trésor américain"
        doer, passive = subject(verb, lang)
        if passive:
            agents = [c for c in verb.children if c.dep_ == "obl:agent" or lang.case_is(case_of(c), "by")]
            doers = [c for a in agents for c in codes_of(a, parties, lang)]
            targets = codes_of(doer, parties, lang) if doer is not None and doer.i != token.i else []
        else:
            doers = _with_listed(doer, codes_of(doer, parties, lang), ctx) if doer is not None and doer.i != token.i else []
            targets = [c for child in verb.children if child.i != token.i and child.dep_ in ("obj", "iobj")
                       for c in codes_of(child, parties, lang)]
        if not actors:
            actors = doers
        if not recipients and trigger.roles not in ("reciprocal", "visit"):
            # "a commencé la guerre en Ukraine": the complement may hang on the verb
            recipients = [c for c in targets if c not in actors] or [
                c for child in verb.children if child.i != token.i
                and (lang.case_is(case_of(child), "to") or lang.case_is(case_of(child), "against"))
                for c in codes_of(child, parties, lang) if c not in actors]
        elif trigger.roles == "reciprocal" and doers:
            actors += [c for c in doers if c not in actors]
    bodies = gazetteer().body_codes
    if trigger.type == "CONSULT" and trigger.roles == "reciprocal" and any(c in bodies for c in of):
        # "participera jeudi au sommet de la Cédéao à Abuja": a body's own meeting is the body's
        # (or the bodies': "sommet UA-UE"); the states named are its members only when listed with
        # it ("un sommet du Quad avec les dirigeants américain, indien et japonais"), then with
        # whoever attends
        listed = [c for c in between + lin.get("with", []) + lin.get("alongside", []) if c not in bodies]
        attending = clause_subject_codes(token, ctx, reach=6, past_passives=True) if len(set(listed)) >= 2 else []
        actors = [c for c in dict.fromkeys(actors) if c in bodies] + listed + [c for c in attending if c not in listed]
    return _distinct(actors, recipients)


def posted_states(envoy, ctx: Context) -> list[str]:
    """The states of the places an envoy's phrase says he serves in ("son ambassadeur à Abidjan",
    "l'ambassadeur des Pays-Bas à Ankara"), cities included."""
    states = []
    for child in envoy.children:
        if child.dep_ == "nmod" and ctx.lang.case_is(case_of(child), "place"):
            place = ctx.parties.place_at(child.idx, child.idx + len(child.text))
            if place is not None and place[2] and place[2] not in states:
                states.append(place[2])
    return states


def agent_split(agent, ctx: Context) -> tuple[list[str], list[str]]:
    """(doers, targets) of an agent phrase: "par l'UE contre la Biélorussie", "par le Canada à
    l'Iran", where the parser hangs the target on the agent."""
    lang = ctx.lang
    aimed = (*lang.cases["to"], *lang.cases["against"])
    return (codes_of(agent, ctx.parties, lang, skip=aimed),
            [c for n in agent.children if n.dep_ == "nmod" and case_of(n) in aimed
             for c in codes_of(n, ctx.parties, lang)])


def _body_joined(token, ctx: Context, joiner: list[str]) -> list[str]:
    """The body a member joins: the one named with "membre", else the body whose meeting the story
    told last, else one the sentence names."""
    lang, parties, bodies = ctx.lang, ctx.parties, gazetteer().body_codes
    body = [c for t in clause_tokens(token) if fold(t.lemma_ or t.text) in lang.member_nouns
            for g in t.subtree for c in codes_of(g, parties, lang) if c in bodies and c not in joiner]
    body = body or next((list(ev.actor) for ev in reversed(ctx.history) if ev.type == "CONSULT" and ev.actor
                         and all(c in bodies and c not in joiner for c in ev.actor)), [])
    body = body or [c for t in sentence_of(token) for c in codes_of(t, parties, lang) if c in bodies and c not in joiner]
    return list(dict.fromkeys(body))


def _judged_doers(token, ctx: Context, subject_codes: list[str]) -> list[str]:
    """Whom a blame or a praise is aimed at when no complement names a state: the doer of the act
    it is about, told another way than as its object."""
    lang, parties = ctx.lang, ctx.parties
    # "ont condamné mardi « sans réserve » ce tir": the parser may hang the act blamed anywhere in
    # the clause; an act named with a demonstrative is the last such act told
    doers = [c for t in clause_tokens(token) if t.i > token.i and t.pos_ == "NOUN"
             and any(fold(d.text) in lang.demonstratives for d in t.children if d.dep_ == "det")
             for c in _last_doers(t, ctx) if c not in subject_codes]
    if not doers and token.dep_ == "acl:relcl" and fold(token.head.text) in lang.clause_pronouns:
        # "Téhéran a annoncé un essai de missile, ce que Washington a condamné": the pronoun takes
        # up the clause before it, whose doer is the target
        doers = [c for c in clause_subject_codes(token.head, ctx, past_passives=True) if c not in subject_codes]
    if not doers:
        # "a protesté contre le fait que des avions turcs ont survolé ses îles": what is blamed is
        # told in a clause under a noun; its subject did it
        doers = [c for child, _ in objects(token, lang) for v in child.children
                 if v.dep_ in ("acl", "ccomp") and v.pos_ in ("VERB", "AUX")
                 and any(m.dep_ == "mark" for m in v.children)
                 for s in v.children if s.dep_ == "nsubj" for c in codes_of(s, parties, lang) if c not in subject_codes]
    return doers


def _after_response(child, lang) -> bool:
    """"en représailles aux achats de blé par Brasilia": a complement the parser hung on the verb
    right after a noun of response says what is answered, not whom the act is aimed at."""
    before = child.doc[child.left_edge.i - 1] if child.left_edge.i > 0 else None
    return before is not None and before.head.i == child.head.i and fold(before.lemma_ or before.text) in lang.response_nouns


def _in_incise(token, lang) -> bool:
    """Whether a verb opens an incise after a quote ("», a déclaré X"): a closing quote and a
    comma just before it, its auxiliary aside."""
    closing = {q for _, q in lang.quotes}
    before = [t for t in token.doc[max(token.sent.start, token.i - 4):token.i] if not t.dep_.startswith("aux")]
    return len(before) >= 2 and before[-1].text == "," and before[-2].text in closing


def after_reported_clause(token) -> bool:
    """Whether a verb is an incise that closes a sentence after the clause it reports, without
    quotes ("..., a protesté Pékin"): set off by a comma, under an earlier verb, last in its sentence."""
    before = [t for t in token.doc[max(token.sent.start, token.i - 4):token.i] if not t.dep_.startswith("aux")]
    rest = [t for t in token.doc[token.right_edge.i + 1:token.sent.end] if not t.is_punct]
    finite = "Fin" in token.morph.get("VerbForm") or any(c.dep_ == "aux:tense" for c in token.children)
    return finite and bool(before) and before[-1].text == "," and token.dep_ in ("advcl", "parataxis", "ccomp", "conj") \
        and token.head.i < token.i and token.head.pos_ in ("VERB", "AUX") and not rest


def _speaker_codes(token, ctx: Context) -> list[str]:
    """The states of whoever speaks the quote a token is in, named after it in the sentence
    ("..., a déclaré le porte-parole du département d'État")."""
    lang = ctx.lang
    sent = sentence_of(token)
    closing = {close for _, close in lang.quotes}
    after = [t for t in sent if t.i > token.i]
    end = next((i for i, t in enumerate(after) if t.text in closing), None)
    if end is None:
        return []
    for t in after[end + 1:end + 8]:
        if t.pos_ in ("VERB", "AUX") and lemma(t, lang) in lang.speech_verbs:
            speaker, _ = subject(t, lang)
            return codes_of(speaker, ctx.parties, lang) if speaker is not None else []
    return []


def _with_listed(subject_token, codes: list[str], ctx: Context) -> list[str]:
    """"La Corée du Sud, les États-Unis et le Japon ont lancé": when the parse cuts the list, the
    text before "et" (or the comma) that is only states, commas and articles is part of the subject."""
    if subject_token.left_edge.i < 2:
        return codes
    join = subject_token.doc[subject_token.left_edge.i - 1]
    if fold(join.text) not in ctx.lang.list_joins and join.text != ",":
        return codes
    listed = _listed_before(join, ctx)
    return listed + [c for c in codes if c not in listed]


def _listed_before(join, ctx: Context) -> list[str]:
    """The states of a list ending at the word `join` ("et") and starting the clause, when the
    list holds nothing but states, commas and articles; else none."""
    sent = sentence_of(join)
    start = sent.start_char
    for t in sent:
        if t.i >= join.i:
            break
        if t.text in (";", ":"):
            start = t.idx + 1
    end = join.idx
    inside = sorted((s, e, code) for s, e, code, _ in ctx.parties.spans if start <= s and e <= end)
    if not inside:
        return []
    rest, pos = [], start
    for s, e, _ in inside:
        rest.append(ctx.text[pos:s])
        pos = max(pos, e)
    rest.append(ctx.text[pos:end])
    words = fold(" ".join(rest)).replace(",", " ").replace("'", " ").split()
    if any(w not in ctx.lang.list_fillers for w in words):
        return []
    return list(dict.fromkeys(code for _, _, code in inside))


def linear_parties(token, ctx: Context, reach: int = 14) -> dict:
    """The parties named in the words right after a trigger, by the preposition before them
    (None: no preposition): {"of": [...], "to": [...], None: [...]}. Read left to right up to a
    verb, a clause-ending punctuation mark or `reach` words: robust where the parse is not
    ("visite d'État du président brésilien au Japon" -> of BRA, to JPN)."""
    lang, parties = ctx.lang, ctx.parties
    sent = sentence_of(token)
    out: dict = {}
    role, after_with_noun = None, False
    for n, t in enumerate(sent[token.i - sent.start + 1:]):
        if n >= reach and role != "between":
            break                        # a list "entre A, B et C" is read to its end
        if t.text == "," and role in ("between", "with"):
            continue                     # "entre Ramaphosa, Lula et Modi", "avec les dirigeants
                                         # américain, indien et japonais": one list
        if t.text in (",", ";", ":", "(", ")", "«", "»", ".") or (
                t.pos_ in ("VERB", "AUX") and t.dep_ != "amod" and not (t.dep_ == "acl" and (
                    t.head.i == token.i or t.head.dep_ == "nmod" and t.head.head.i == token.i))):
            break                        # "le sommet tenu samedi à Manille entre...", "l'accord de
                                         # défense conclu en 2019 entre...": its own participle goes on
        word = fold(t.text).rstrip("'’")
        if t.pos_ in ("ADP", "SCONJ") or t.dep_ == "case":
            if not (role == "alongside" and after_with_noun and lang.case_is(word, "of")):
                role = next((r for r in ("with", "between", "of", "by", "against", "to") if lang.case_is(word, r)), role)
            after_with_noun = False
            continue
        after_with_noun = word in lang.with_nouns
        if after_with_noun:
            role = "alongside"           # "aux côtés de chasseurs sud-coréens"
            continue
        # a name of several words ("Fumio Kishida") counts at its first word
        for code in [c for s, e, c, _ in parties.spans if t.idx <= s < t.idx + len(t.text)]:
            if code not in out.setdefault(role, []):
                out[role].append(code)
    return out


def clause_subject_codes(token, ctx: Context, reach: int = 4, past_passives: bool = False) -> list[str]:
    """The states the subject of the nearest verb above a noun names; with `past_passives`, of the
    first verb above it with an active subject ("le ministre a quitté Abuja au terme d'une
    visite marquée par un sommet": the minister)."""
    t = token
    for _ in range(reach):
        if t.head.i == t.i:
            return []
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            doer, passive = subject(t, ctx.lang)
            if doer is not None and not passive:
                return codes_of(doer, ctx.parties, ctx.lang)
            if not past_passives:
                return []
    return []


def clause_tokens(token):
    """The tokens of a trigger's clause: its subtree without embedded clauses."""
    out, stack = [], [token]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ not in CLAUSE_BOUNDARIES)
    return out


def mediators(sent, ctx: Context, exclude: list[str]) -> list[str]:
    """States whose mediation the sentence names ("sous la médiation du Kenya", "sous l'égide
    d'Oman", "présidé par les États-Unis"): third parties of the talks it reports."""
    lang = ctx.lang
    found: list[str] = []
    for t in sent:
        if fold(t.lemma_ or t.text) in lang.mediation_nouns or fold(t.text) in lang.mediation_nouns:
            for c in codes_of(t, ctx.parties, lang):
                if c not in exclude and c not in found:
                    found.append(c)
    return found


def own_date(token, ctx: Context) -> bool:
    """Whether a date stands within a verb's own clause ("les restrictions imposées en 2018")."""
    end = span_of(token)[1]
    return any(t.start >= token.idx and t.end <= end for t in ctx.timexes if t.begin and t.type != "DURATION")


def _distinct(actors: list[str], recipients: list[str]) -> tuple[list[str], list[str]]:
    actors = list(dict.fromkeys(actors))
    return actors, [c for c in dict.fromkeys(recipients) if c not in actors]


def has_active_subject(token, ctx: Context) -> bool:
    """"Les participants ont adopté...": a named doer who is no state (the pair default would guess wrong)."""
    found, passive = subjects(token, ctx.lang) if token.pos_ in ("VERB", "AUX") else ([], False)
    return bool(found) and not passive and not any(fold(s.text) in ctx.lang.person_pronouns for s in found)


def _last_doers(noun, ctx: Context) -> list[str]:
    """Who did the last act of the kind a noun names ("ce tir": the last firing told)."""
    act = noun_trigger(noun, ctx.lang)
    if act is None:
        return []
    readings = ctx.lang.nouns.get(lemma(noun, ctx.lang), (act,))
    kinds = {t.type for t in readings} | {t.joint for t in readings if t.joint}
    return next((list(ev.actor) for ev in reversed(ctx.history) if ev.type in kinds), [])


def together_before(before: int, history: list[Event], reach: int = 400) -> list[str]:
    """The actors of the last event done by two parties or more that ends within `reach`
    characters before `before`: whom a plural pronoun stands for."""
    for ev in reversed(history):
        if ev.evidence[1] <= before and before - ev.evidence[1] <= reach:
            return list(ev.actor) if len(ev.actor) >= 2 and not ev.recipient else []
    return []


def antecedent(actors: list[str], before: int, history: list[Event]) -> list[str]:
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
