"""Who, not only which state (issue 19): every event, per article and fused, names the people and
bodies behind its codes, with their side, in the read layer and so in the API, the command line
and the exports; an entity's events are those it took part in. Articles written for these tests,
ingested through the real pipeline; the rule's corner cases on records built by hand."""
from __future__ import annotations

import json
import shutil

import httpx
import pytest

from conftest import veille
from veille import read
from veille.api import create_app, running
from veille.export import export
from veille.fusion import fuse
from veille.gazetteer import CARRIER_KINDS, gazetteer, party_bodies
from veille.read import Filters, Page
from veille.records import Article, Entity, Event, Record
from veille.settings import Settings
from veille.store import Store
from veille.workflow import ingest

ALL = Page(limit=1000)
MODI, KISHIDA, LULA = "Q1058", "fumio-kishida", "Q37181"
ALBANESE, PRABOWO, EU, GOYAL, KYODO = "anthony-albanese", "prabowo-subianto", "Q458", "piyush-goyal", "kyodo-news"

ARTICLES = [
    {"source": "https://quotidien.example/modi-tokyo", "published": "2024-03-12", "title": "Modi à Tokyo",
     "text": "Le Premier ministre indien Narendra Modi est arrivé lundi à Tokyo, où il a été reçu par son "
             "homologue japonais Fumio Kishida, en présence du président brésilien Lula. Les deux dirigeants ont "
             "évoqué le commerce."},
    {"source": "https://hebdo.example/modi-japon", "published": "2024-03-12", "title": "Modi au Japon",
     "text": "Narendra Modi a été accueilli lundi à Tokyo par Fumio Kishida pour une visite de deux jours, selon "
             "l'agence Kyodo. Le Japon et l'Inde veulent renforcer leur coopération."},
    {"source": "https://eco.example/ue-inde", "published": "2024-03-14", "title": "Accord UE-Inde",
     "text": "L'Union européenne a signé mercredi un accord commercial avec l'Inde, a annoncé à New Delhi le "
             "ministre indien du Commerce."},
    {"source": "https://asie.example/jakarta", "published": "2024-11-14", "title": "Albanese à Jakarta",
     "text": "Le président indonésien Prabowo Subianto a reçu jeudi à Jakarta le Premier ministre australien "
             "Anthony Albanese. Les deux hommes ont signé un accord de défense."},
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """The articles above, ingested and fused by `veille.workflow.ingest`."""
    folder = tmp_path_factory.mktemp("named")
    source = folder / "articles.jsonl"
    source.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES), encoding="utf-8")
    path = folder / "named.duckdb"
    with Store(path) as store:
        report = ingest([str(source)], Settings(db=path), store)
    assert report.ok, report.errors
    return path


@pytest.fixture(scope="module")
def con(db):
    with Store(db, read_only=True) as store:
        yield store.con


def sides(named: list[dict]) -> list[tuple[str, str]]:
    return [(p["id"], p["side"]) for p in named]


def article_event(con, url: str, type_: str) -> dict:
    [event] = [e for e in read.list_article_events(con, Filters(type=type_), ALL)["items"]
               if e["article"]["source"] == url]
    return event


# -- per article and fused -------------------------------------------------------------------------

def test_each_article_event_names_its_actors_and_recipients_in_the_order_of_the_sentence(con):
    modi = article_event(con, ARTICLES[0]["source"], "CONSULT")
    assert (modi["actor"], modi["recipient"]) == (["IND"], ["JPN"])
    assert sides(modi["named_parties"]) == [(MODI, "actor"), (KISHIDA, "recipient")]
    assert modi["named_parties"][0] == {"id": MODI, "name": "Narendra Modi", "type": "PERSON", "side": "actor"}
    jakarta = article_event(con, ARTICLES[3]["source"], "CONSULT")
    assert (jakarta["actor"], jakarta["recipient"]) == (["AUS"], ["IDN"])      # Albanese visits Prabowo
    assert sides(jakarta["named_parties"]) == [(PRABOWO, "recipient"), (ALBANESE, "actor")]


def test_a_person_of_a_third_state_or_an_agency_in_the_sentence_is_no_party(con):
    modi = article_event(con, ARTICLES[0]["source"], "CONSULT")
    assert "Lula" in modi["evidence_text"]                                       # named in the very sentence
    assert LULA not in {p["id"] for p in modi["named_parties"]}
    agency = article_event(con, ARTICLES[1]["source"], "CONSULT")
    assert "Kyodo" in agency["evidence_text"]
    assert sides(agency["named_parties"]) == [(MODI, "actor"), (KISHIDA, "recipient")]


def test_a_body_and_a_minister_named_by_his_title_act_for_their_codes(con):
    deal = article_event(con, ARTICLES[2]["source"], "COOPERATE")
    assert sorted(deal["actor"]) == ["EU", "IND"]
    assert sides(deal["named_parties"]) == [(EU, "actor"), (GOYAL, "actor")]


def test_a_sentence_that_names_nobody_lists_nobody(con):
    defence = article_event(con, ARTICLES[3]["source"], "COOPERATE")
    assert defence["named_parties"] == []


def test_the_fused_event_lists_the_union_of_its_reports_by_how_many_name_them(con):
    [visit] = read.list_events(con, Filters(type="CONSULT", parties=("IND", "JPN")), ALL)["items"]
    assert visit["source_count"] == 2
    assert visit["named_parties"] == [
        {"id": MODI, "name": "Narendra Modi", "type": "PERSON", "side": "actor", "sources": 2},
        {"id": KISHIDA, "name": "Fumio Kishida", "type": "PERSON", "side": "recipient", "sources": 2}]
    assert read.get_event(con, visit["event_id"]) == visit
    [deal] = read.list_events(con, Filters(type="COOPERATE", parties=("EU",)), ALL)["items"]
    assert [(p["id"], p["side"], p["sources"]) for p in deal["named_parties"]] == [(EU, "actor", 1),
                                                                                  (GOYAL, "actor", 1)]


# -- an entity's events --------------------------------------------------------------------------

def test_the_entity_filter_finds_the_events_a_person_took_part_in(con):
    for person in (MODI, KISHIDA):
        [visit] = read.list_events(con, Filters(entity=person), ALL)["items"]
        assert (visit["type"], visit["actor"], visit["recipient"]) == ("CONSULT", ["IND"], ["JPN"])
        reports = read.list_article_events(con, Filters(entity=person), ALL)["items"]
        assert len(reports) == 2 and all(person in {p["id"] for p in r["named_parties"]} for r in reports)
    modi = read.get_entity(con, MODI)
    assert modi["events"] == 1 and [p["code"] for p in modi["partners"]] == ["JPN"]
    [deal] = read.list_events(con, Filters(entity=EU), ALL)["items"]
    assert "EU" in deal["actor"]


def test_mentioned_beside_an_event_is_not_taking_part_in_it(con):
    assert read.list_events(con, Filters(entity=LULA), ALL)["total"] == 0
    assert read.list_article_events(con, Filters(entity=LULA), ALL)["total"] == 0
    assert read.get_entity(con, LULA)["events"] == 0
    tokyo = read.list_events(con, Filters(entity="Q1490"), ALL)["items"]     # a place: where it happened
    assert tokyo and all(e["location"] == "Tokyo" for e in tokyo)


# -- the rule, on records built by hand ----------------------------------------------------------

TEXT = ("Narendra Modi a rencontré Fumio Kishida et l'émissaire Jean Dupont à Tokyo, selon Kyodo, "
        "sous l'œil d'Amnesty International et de notre envoyé Paul Martin. Narendra Modi est reparti.")


def _spans(text: str, surface: str) -> tuple[tuple[int, int], ...]:
    start = text.index(surface)
    return ((start, start + len(surface)),)


def hand_record(event: Event) -> Record:
    sentence_end = TEXT.index(" Narendra Modi est reparti")
    entities = (
        Entity(MODI, "Narendra Modi", "PERSON", "IND", mentions=((0, 13), (sentence_end + 1, sentence_end + 14))),
        Entity(KISHIDA, "Fumio Kishida", "PERSON", "JPN", mentions=_spans(TEXT, "Fumio Kishida")),
        Entity("jean-dupont", "Jean Dupont", "PERSON", None, mentions=_spans(TEXT, "Jean Dupont")),
        Entity("Q1490", "Tokyo", "PLACE", "JPN", mentions=_spans(TEXT, "Tokyo")),
        Entity(KYODO, "Kyodo News", "ORG", "JPN", mentions=_spans(TEXT, "Kyodo")),     # an agency, as an actor
        Entity("amnesty-international", "Amnesty International", "ORG", None,
               mentions=_spans(TEXT, "Amnesty International")),
        Entity("paul-martin", "Paul Martin", "PERSON", None, mentions=_spans(TEXT, "Paul Martin"), role="reporter"),
    )
    doc = Article(text=TEXT, source="main/rencontre", language="fr", published="2024-03-12",
                  published_precision="day", metadata={"url": "https://main.example/rencontre"})
    return Record(doc=doc, entities=entities, events=(event,))


@pytest.mark.parametrize("actor, recipient, expected", [
    (("IND",), ("JPN",), [(MODI, "actor"), (KISHIDA, "recipient"), ("jean-dupont", "named")]),
    (("JPN",), ("IND",), [(MODI, "recipient"), (KISHIDA, "actor"), ("jean-dupont", "named")]),
    (("IND", "JPN"), (), [(MODI, "actor"), (KISHIDA, "actor"), ("jean-dupont", "named")]),
    (("IND",), ("IND", "JPN"), [(MODI, "named"), (KISHIDA, "recipient"), ("jean-dupont", "named")]),
    (("IND",), (), [(MODI, "actor"), ("jean-dupont", "named")]),
    (("CHN",), ("USA",), [("jean-dupont", "named")]),
], ids=["ind-jpn", "jpn-ind", "together", "both-sides", "one-state", "other-states"])
def test_the_side_is_the_side_of_the_state_and_never_a_guess(tmp_path, actor, recipient, expected):
    """Only the mentions inside the sentence count (not Modi's second one); a person of no known
    state is named without a side; an agency, a byline, a place and a body of no state and no code
    are never parties."""
    event = Event("CONSULT", actor, recipient, evidence=(0, TEXT.index(" Narendra Modi est reparti")))
    record = hand_record(event)
    names = {e.id: e.name for e in record.entities}
    with Store(tmp_path / "hand.duckdb") as store:
        store.put(record, "test")
        [item] = read.list_article_events(store.con, Filters(), ALL)["items"]
        assert sides(item["named_parties"]) == expected
        fuse(store)
        [fused] = read.list_events(store.con, Filters(), ALL)["items"]
        assert sides(fused["named_parties"]) == sorted(
            expected, key=lambda p: (["actor", "recipient", "named"].index(p[1]), names[p[0]]))
        took_part = {i for i, _ in expected}
        for person in (MODI, KISHIDA, "jean-dupont", "paul-martin"):
            assert read.list_events(store.con, Filters(entity=person), ALL)["total"] == (person in took_part), person
        for never_a_party in (KYODO, "amnesty-international"):       # found as before, by a mention
            assert read.list_events(store.con, Filters(entity=never_a_party), ALL)["total"] == 1


def test_the_read_layer_knows_the_bodies_and_the_carriers_the_gazetteer_knows():
    codes, carriers = party_bodies()
    gaz = gazetteer()
    assert codes == gaz.codes and codes[EU] == "EU"
    assert carriers == {i for i, e in gaz.entries.items() if e.kind in CARRIER_KINDS} and KYODO in carriers


# -- every database, every way out ---------------------------------------------------------------

def test_a_database_written_before_has_them_without_being_written(db, tmp_path):
    """Nothing is stored for them: a database as it was written answers them, opened read-only,
    and reading it changes no byte."""
    copy = tmp_path / "before.duckdb"
    shutil.copy(db, copy)
    before = copy.read_bytes()
    with Store(copy, read_only=True) as store:
        [visit] = read.list_events(store.con, Filters(type="CONSULT", parties=("IND",)), ALL)["items"]
        assert sides(visit["named_parties"]) == [(MODI, "actor"), (KISHIDA, "recipient")]
    assert copy.read_bytes() == before


def test_the_api_answers_and_describes_them(db):
    with running(create_app(db)) as base, httpx.Client(base_url=base, timeout=30) as client:
        events = client.get("/api/events", params={"entity": KISHIDA}).json()["items"]
        assert [sides(e["named_parties"]) for e in events] == [[(MODI, "actor"), (KISHIDA, "recipient")]]
        assert client.get(f"/api/events/{events[0]['event_id']}").json()["named_parties"] == events[0]["named_parties"]
        reports = client.get("/api/article-events", params={"entity": MODI}).json()["items"]
        assert len(reports) == 2 and all("sources" not in p for r in reports for p in r["named_parties"])
        assert client.get("/api/events", params={"entity": LULA}).json()["total"] == 0
        schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert "named_parties" in schemas["FusedEvent"]["properties"]
    assert "named_parties" in schemas["ArticleEvent"]["properties"]
    assert set(schemas["NamedParty"]["properties"]["side"]["enum"]) == {"actor", "recipient", "named"}
    assert "sources" in schemas["FusedNamedParty"]["required"]


def test_the_command_line_shows_them_and_the_exports_carry_them(db, tmp_path):
    listed = veille("events", "--db", str(db), "--format", "json", "-p", "AUS")
    assert listed.returncode == 0, listed.stderr
    visit = next(e for e in json.loads(listed.stdout) if e["type"] == "CONSULT")
    assert sides(visit["named_parties"]) == [(ALBANESE, "actor"), (PRABOWO, "recipient")]
    table = veille("events", "--db", str(db), "-p", "IND,JPN", "--type", "CONSULT", env={"COLUMNS": "200"})
    assert table.returncode == 0, table.stderr
    assert "Narendra Modi > Fumio Kishida" in table.stdout and "Lula" not in table.stdout
    with Store(db, read_only=True) as store:
        export(store.con, "events", "jsonl", tmp_path / "events.jsonl")
        export(store.con, "events", "csv", tmp_path / "events.csv")
    exported = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any(sides(e["named_parties"]) == [(MODI, "actor"), (KISHIDA, "recipient")] for e in exported)
    assert "named_parties" in (tmp_path / "events.csv").read_text(encoding="utf-8").splitlines()[0]
