"""Fusion in time: reports without a date of their own, undated figures, and batches whose
cost does not depend on the database (a batch recomputes only the regions it reaches, and
any split of a corpus into batches gives the rows of one go).

Articles are written for these tests (records built by hand, no model), and the fusion
test corpus (tests/gold/fusion: 90 articles on four relations, 40 % without a publication
date) is fused from its gold items in random batches.
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from dataclasses import replace

import pytest
from hypothesis import given, settings, strategies as st

from conftest import ROOT, list_conflicts, list_events, list_figures
from test_fusion import article, dump, ev, fig, fused
from veille.fusion import fuse
from veille.fusion.update import FusionReport
from veille.fusion.events import Cluster, Report, cluster_block, reach
from veille.read import Filters
from veille.records import Event, Period
from veille.store import Store

FUSION = ROOT / "tests" / "gold" / "fusion"
VISIT = "Le président russe a été reçu jeudi à Pékin par son homologue chinois pour une visite d'État de deux jours."


def visit(source, published, text=VISIT, fragment="a été reçu jeudi à Pékin", **kw):
    kw.setdefault("mode", "visit")
    return article(text, source, published, events=[(ev(**kw), fragment)])


def visits(store) -> list[dict]:
    return list_events(store, Filters(type="CONSULT"))


# -- events ------------------------------------------------------------------------------

def test_reach_of_a_report():
    assert reach(Event("CONSULT", ("IND",), ("USA",), date=Period("2024-06-22", None)), None) == ("2024-06-22", "2024-06-22")
    assert reach(Event("CONSULT", ("IND",), ("USA",)), "2024-06-23") == ("2024-06-09", "2024-06-24")
    assert reach(Event("CONSULT", ("IND",), ("USA",), status="future"), "2024-06-01")[1] == "2024-11-28"
    assert reach(Event("CONSULT", ("IND",), ("USA",)), "2024-06")[0] == "2024-05-18"      # a month: all of it
    assert reach(Event("CONSULT", ("IND",), ("USA",)), None) is None                       # no publication date
    assert reach(Event("CONSULT", ("IND",), ("USA",), status="historical"), "2024-06-23") is None
    assert reach(Event("CONSULT", ("IND",), ("USA",), date=Period("2014-01-01", "2024-12-31")), None) is None
    assert reach(Event("CONSULT", ("IND",), ("USA",)), "le 3 juin") is None                 # unreadable: loose


def test_an_undated_report_needs_a_link_to_join_a_dated_event(tmp_path):
    other = ("À Pékin, les deux dirigeants ont parlé de coopération énergétique et de sécurité régionale, "
             "a rapporté un journal local sans préciser quand.")
    records = [
        visit("fil/1", "2024-05-17", begin="2024-05-16", end="2024-05-17"),
        # no publication date, no date of its own, not a copy: it stands apart
        visit("blog/2", None, text=other, fragment="les deux dirigeants ont parlé", begin=None, location="Pékin"),
        # a near-copy of the first, undated: it joins it
        visit("reprise/3", None, text=VISIT + " Le texte a été repris.", begin=None),
    ]
    with fused(records, tmp_path) as store:
        events = sorted(visits(store), key=lambda e: -e["source_count"])
        assert [e["source_count"] for e in events] == [2, 1]
        assert {s["article_id"] for s in events[0]["sources"]} == {records[0].doc.id, records[2].doc.id}


def test_an_undated_report_joins_the_event_its_publication_date_allows(tmp_path):
    records = [
        visit("fil/1", "2024-05-17", begin="2024-05-16", end="2024-05-17"),
        visit("jour/2", "2024-05-18", text=VISIT.replace("jeudi", "cette semaine"),
              fragment="a été reçu cette semaine à Pékin", begin=None),
        visit("an/3", "2026-03-02", text="Le président russe a été reçu à Pékin, où il a signé deux accords.",
              fragment="a été reçu à Pékin", begin=None),
    ]
    with fused(records, tmp_path) as store:
        assert sorted(e["source_count"] for e in visits(store)) == [1, 2]


def test_a_visit_announced_under_way_and_recalled_is_one_event(tmp_path):
    records = [
        visit("annonce/1", "2024-05-10", text="Le président russe sera reçu jeudi à Pékin pour une visite d'État.",
              fragment="sera reçu jeudi à Pékin", status="future", begin="2024-05-16", end="2024-05-16"),
        visit("direct/2", "2024-05-16", begin="2024-05-16", end="2024-05-17"),
        visit("bilan/3", "2024-06-03", text="Lors de sa visite à Pékin en mai, le président russe avait signé des accords.",
              fragment="Lors de sa visite à Pékin en mai", status="historical", begin="2024-05-01", end="2024-05-31"),
        visit("autre/4", "2019-04-30", text="Le président russe a été reçu à Pékin en avril.",
              fragment="a été reçu à Pékin en avril", begin="2019-04-01", end="2019-04-30"),
    ]
    with fused(records, tmp_path) as store:
        events = sorted(visits(store), key=lambda e: -e["source_count"])
        assert [e["source_count"] for e in events] == [3, 1]
        assert events[0]["date"] == {"begin": "2024-05-16", "end": "2024-05-16"}


# -- figures -----------------------------------------------------------------------------

def tariff(source, published, rate, text=None):
    text = text or f"Washington applique désormais des droits de douane de {rate} % aux produits indiens."
    return article(text, source, published, figures=[fig(f"{rate} %", float(rate), "%", "percent", metric="tariffs",
                                                         from_="IND", to="USA", period=None)])


def test_undated_rates_months_apart_are_two_points_not_a_disagreement(tmp_path):
    records = [tariff("a/1", "2025-04-03", 26),
               tariff("a/2", "2025-04-10", 26, "Les exportateurs indiens font face à une surtaxe de 26 %, déplore leur fédération."),
               tariff("b/1", "2025-08-07", 50), tariff("b/2", None, 50, "Les produits indiens sont taxés à 50 % aux États-Unis, a dit un exportateur.")]
    with fused(records, tmp_path) as store:
        groups = sorted(list_figures(store, Filters(metric="tariffs")), key=lambda g: g["value"])
        assert [(g["value"], g["member_count"]) for g in groups] == [(26.0, 2), (50.0, 1), (50.0, 1)]
        assert list_conflicts(store) == []
    # stated the same week, they disagree
    records = [tariff("a/1", "2025-04-03", 26), tariff("c/1", "2025-04-05", 34)]
    with fused(records, tmp_path, "week.duckdb") as store:
        [group] = list_figures(store, Filters(metric="tariffs"))
        assert group["conflict"]


def test_what_lasts_is_one_point_however_far_apart_it_is_stated(tmp_path):
    def capacity(source, published):
        text = f"Le gazoduc aura une capacité de 50 milliards de mètres cubes par an, rappelle l'article {source}."
        return article(text, source, published, figures=[fig("50 milliards de mètres cubes", 50e9, "m3/an", "physical",
                                                             metric="capacity", from_="RUS", to="CHN", period=None)])
    with fused([capacity("a", "2024-02-09"), capacity("b", "2024-09-20"), capacity("c", None)], tmp_path) as store:
        [group] = list_figures(store, Filters(metric="capacity"))
        assert group["member_count"] == 3


def test_an_undated_figure_joins_the_recent_period_it_agrees_with(tmp_path):
    dated = article("Le commerce a atteint 240,1 milliards de dollars en 2023.", "douanes/1", "2024-01-12",
                    figures=[fig("240,1 milliards de dollars", 240.1e9)])
    recent = article("Le commerce atteint quelque 240 milliards de dollars, dit un ministre.", "presse/2", "2024-02-01",
                     figures=[fig("quelque 240 milliards de dollars", 240e9, qualifier="about", period=None)])
    late = article("Le commerce atteint quelque 240 milliards de dollars.", "presse/3", "2029-02-01",
                   figures=[fig("quelque 240 milliards de dollars", 240e9, qualifier="about", period=None)])
    with fused([dated, recent, late], tmp_path) as store:
        groups = list_figures(store, Filters(metric="trade_volume"))
        by_period = {(g["period"] or {}).get("begin"): g["member_count"] for g in groups}
        assert by_period == {"2023-01-01": 2, None: 1}


def test_an_article_that_sets_two_sources_side_by_side_reports_their_disagreement(tmp_path):
    text = ("Selon l'Institut national de statistique argentin, le commerce bilatéral a atteint 26,1 milliards de dollars "
            "en 2023. Selon le ministère brésilien du Commerce, il a atteint 28,6 milliards de dollars.")
    entities = [("indec", "Indec", "ORG", "Institut national de statistique argentin"),
                ("mdic", "MDIC", "ORG", "ministère brésilien du Commerce")]
    one = article(text, "presse/1", "2024-07-09", entities=entities,
                  figures=[fig("26,1 milliards de dollars", 26.1e9), fig("28,6 milliards de dollars", 28.6e9)])
    with fused([one], tmp_path) as store:
        [c] = list_conflicts(store)
        assert sorted(round(p["value"] / 1e9, 1) for p in c["positions"]) == [26.1, 28.6]
        assert {x["claim_source"] for p in c["positions"] for x in p["claims"]} == {"Indec", "MDIC"}


# -- batches -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus_records():
    from veille.fusion.evaluate import gold_records
    from veille.settings import Settings

    return gold_records(FUSION, Settings(), FUSION)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_fusion_corpus_in_random_batches_equals_it_in_one_go(corpus_records, tmp_path, seed):
    rng = random.Random(seed)
    shuffled = list(corpus_records)
    rng.shuffle(shuffled)
    whole = fused(corpus_records, tmp_path, "whole.duckdb")
    parts = fused(shuffled, tmp_path, "parts.duckdb", batches=rng.randint(3, 9))
    try:
        assert dump(parts) == dump(whole)
    finally:
        whole.close()
        parts.close()


def test_a_batch_reads_only_the_region_it_reaches(tmp_path):
    """Visits of the same two states every month for years: a batch of one more visit reads
    the few reports its dates reach, not the block."""
    rng = random.Random(5)
    words = ("énergie port accord banque réseau usine fret satellite pêche culture santé route gaz pétrole blé "
             "crédit rouble yuan frontière douane sommet ministre délégation traité").split()
    records = []
    for k in range(120):
        year, month = 2010 + k // 12, k % 12 + 1
        day = f"{year}-{month:02d}-10"
        tail = " ".join(rng.choice(words) for _ in range(40))
        text = f"Le président russe a été reçu à Pékin le 10 du mois. Au menu : {tail}."
        records.append(visit(f"v/{k}", day, text=text, fragment="a été reçu à Pékin", begin=day, end=day))
    store = fused(records, tmp_path, "years.duckdb")
    with store:
        last = records[-1]
        extra = visit("v/extra", "2019-12-11", text=last.doc.text + " Dépêche complétée.", fragment="a été reçu à Pékin",
                      begin="2019-12-10", end="2019-12-10")
        store.put(extra)
        report, calls = _region_reads(store)
        assert report.articles == 1
        assert calls and max(map(len, calls)) <= 3            # the December 2019 visit and its copy, not 120 reports
        assert len(visits(store)) == 120


def _region_reads(store) -> tuple[FusionReport, list[list]]:
    """Fuse what is pending, with the stored rows each region query of the events reads."""
    calls = []
    original = store.con.execute

    class Spy:
        def __getattr__(self, name):
            return getattr(store.con, name)

        def execute(self, sql, params=None):
            cur = original(sql, params) if params is not None else original(sql)
            if "fused_event_sources s JOIN hit" in sql:
                calls.append(cur.fetchall())
                cur = original(sql, params)
            return cur

    real, store.con = store.con, Spy()
    try:
        return fuse(store), calls
    finally:
        store.con = real


def test_a_batch_of_the_latest_news_reads_its_epoch_not_the_archive(tmp_path):
    """Three years of undated reports of talks between the same two states, one every four days:
    each one's reach (the two weeks before its publication) meets the next one's, so without
    epochs the region of one more report is the whole archive. Cut into years, a batch of
    the latest news reads the latest year only, and two halves still give one go."""
    rng = random.Random(11)
    words = "port accord banque réseau usine fret pêche santé route blé crédit douane traité".split()
    records = []
    start = date(2021, 1, 3)
    for k in range(270):
        day = (start + timedelta(days=4 * k)).isoformat()
        text = f"Les ministres ont parlé au téléphone. Au menu : {' '.join(rng.choice(words) for _ in range(40))}."
        records.append(article(text, f"t/{k}", day, events=[(ev("CONSULT", ("IND",), ("JPN",), begin=None,
                                                                    mode="call"), "ont parlé au téléphone")]))
    store = fused(records, tmp_path, "archive.duckdb")
    with store:
        last = records[-1]
        extra = article(last.doc.text + " Dépêche complétée.", "t/extra", last.doc.published,
                        events=[(ev("CONSULT", ("IND",), ("JPN",), begin=None, mode="call"), "ont parlé au téléphone")])
        store.put(extra)
        report, calls = _region_reads(store)
        assert report.articles == 1
        within = sum(1 for r in records if r.doc.published[:4] == last.doc.published[:4])
        read = {repr(row) for rows in calls for row in rows}
        assert calls and len(read) <= within + 2 < len(records) // 2
        assert sum(map(len, calls)) <= 3 * len(read)          # each hop asks for the weeks it adds
        blocks = {b for (b,) in store.con.execute("SELECT DISTINCT block FROM fused_events").fetchall()}
        assert blocks == {"CONSULT|IND+JPN@2021-01", "CONSULT|IND+JPN@2022-01", "CONSULT|IND+JPN@2023-01"}
        whole = dump(store)
    with fused(records + [extra], tmp_path, "halves.duckdb", batches=2) as halves:
        assert dump(halves) == whole


def test_an_undated_reprint_stored_before_its_dispatch_joins_it_when_it_comes(tmp_path):
    """A reprint without any date comes first: alone, it is in no year; when the dated
    dispatch it copies arrives, it is blocked by the dispatch's day and joins its event."""
    dispatch = visit("fil/1", "2024-05-17", begin="2024-05-16", end="2024-05-17")
    reprint = visit("reprise/3", None, text=VISIT + " Le texte a été repris.", begin=None)
    with fused([reprint, dispatch], tmp_path, "parts.duckdb", batches=2) as store:
        [event] = visits(store)
        assert event["source_count"] == 2
        assert {b for (b,) in store.con.execute("SELECT DISTINCT block FROM fused_event_sources").fetchall()} == {
            "CONSULT|CHN+RUS@2024-01"}
        parts = dump(store)
    with fused([dispatch, reprint], tmp_path, "whole.duckdb") as whole:
        assert dump(whole) == parts


def test_a_database_of_the_previous_release_is_migrated_and_fused_again(tmp_path):
    import duckdb

    from test_fusion import summit_articles
    from veille.store import migrations

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))             # the schema the previous release left (migrations 1-4)
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
                " applied_at TIMESTAMP DEFAULT current_timestamp)")
    for number, name, sql in migrations():
        if number < 5:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [number, name])
    con.close()
    records = summit_articles()
    with Store(path) as store:
        assert store.schema_version() == migrations()[-1][0]
        for r in records:
            store.put(r)
        fuse(store)
        before = dump(store)
        [(number, name, sql)] = [m for m in migrations() if m[0] == 5]
        store.con.execute(sql.split("CREATE INDEX")[0].split("ALTER TABLE")[0] +
                          sql[sql.index("DELETE FROM"):])            # 005 empties the fusion tables...
        assert store.con.execute("SELECT count(*) FROM fused_events").fetchone()[0] == 0
        assert fuse(store).articles == len(records)                   # ...and the next fuse takes all back
        assert dump(store) == before


# -- the fusion corpus and its cross-article truth ------------------------------------------

# Floors (precision, recall) measured on 2026-12-07 after the work of issue 15, a little below
# what was reached (gold items: events 0.930/0.846, figures 0.897/0.973, conflicts 1.0/0.333;
# pipeline: events 0.918/0.271, figures 0.966/0.299). Raise them as the fusion improves.
CORPUS_GOLD_FLOORS = {"events": (0.92, 0.84), "figures": (0.89, 0.97), "conflicts": (1.0, 0.33)}
CORPUS_PIPELINE_FLOORS = {"events": (0.9, 0.32), "figures": (0.95, 0.29)}


def _corpus_scores(records, tmp_path):
    from veille.fusion.evaluate import score_store

    with fused(records, tmp_path, "corpus.duckdb") as store:
        return score_store(store, FUSION)


def _below(scores, floors) -> dict:
    got = scores.to_dict()
    return {layer: (got[layer]["precision"], got[layer]["recall"], floor) for layer, floor in floors.items()
            if got[layer]["precision"] + 1e-9 < floor[0] or got[layer]["recall"] + 1e-9 < floor[1]}


def test_fusion_corpus_from_its_gold_items_stays_above_its_floors(corpus_records, tmp_path):
    scores = _corpus_scores(corpus_records, tmp_path)
    assert not _below(scores, CORPUS_GOLD_FLOORS), _below(scores, CORPUS_GOLD_FLOORS)
    t = scores.timeline
    assert t.real_events >= 100
    assert t.fragments <= 1.40 and t.coverage >= 0.89 and t.matched == 1.0


@pytest.mark.model
def test_fusion_corpus_from_the_pipeline_stays_above_its_floors(tmp_path):
    from veille.fusion.evaluate import pipeline_records
    from veille.settings import Settings

    scores = _corpus_scores(pipeline_records(FUSION, Settings(), FUSION), tmp_path)
    assert not _below(scores, CORPUS_PIPELINE_FLOORS), _below(scores, CORPUS_PIPELINE_FLOORS)
    assert scores.timeline.coverage_extracted >= 0.88 and scores.timeline.fragments <= 1.40
    assert scores.timeline.coverage >= 0.40   # the best fused event carries 41 % of a real event's articles (2026-12-07)


# -- the cluster index asks fewer clusters, and finds what asking them all finds -------------

def _cluster_all(block, reports):
    """The clustering as written before the index: every report asks every cluster."""
    ordered = sorted(reports, key=lambda r: (r.reach is None, r.rank))
    clusters = []
    for r in ordered:
        fits = [(c.sources, -i, c) for i, c in enumerate(clusters) if c.accepts(r)]
        if fits:
            max(fits, key=lambda fit: fit[:2])[2].add(r)
        else:
            c = Cluster(block)
            c.add(r)
            clusters.append(c)
    return clusters


@settings(max_examples=120, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 900), st.integers(0, 40), st.sampled_from(["occurred", "historical", "future"]),
                          st.booleans(), st.integers(0, 5), st.sampled_from([None, "Tokyo", "Séoul"])),
                min_size=1, max_size=40))
def test_the_cluster_index_gives_the_clusters_of_asking_every_cluster(items):
    start = date(2023, 11, 1)
    reports = []
    for k, (day, width, status, dated, group, place) in enumerate(items):
        begin = start + timedelta(days=day)
        period = Period(begin.isoformat(), (begin + timedelta(days=width)).isoformat()) if dated else None
        event = Event("CONSULT", ("JPN", "KOR"), (), status=status, date=period, location=place)
        published = (start + timedelta(days=day + 2)).isoformat() if k % 3 else None
        reports.append(Report(f"a{k}", 0, event, published=published, copy_group=f"g{group}"))
    fast = [[(r.article_id, r.idx) for r in c.reports] for c in cluster_block("b", reports)]
    slow = [[(r.article_id, r.idx) for r in c.reports] for c in _cluster_all("b", reports)]
    assert fast == slow


def test_with_equal_support_neither_side_of_a_disagreement_is_the_outlier(tmp_path):
    even = [tariff("a/1", "2025-04-03", 26), tariff("c/1", "2025-04-05", 34)]
    with fused(even, tmp_path, "even.duckdb") as store:
        [group] = list_figures(store, Filters(metric="tariffs"))
        assert group["conflict"] and not any(m["outlier"] for m in group["members"])
    uneven = even + [tariff("d/1", "2025-04-04", 26, "Washington applique une surtaxe de 26 % aux produits indiens, "
                                                     "confirme un second exportateur.")]
    with fused(uneven, tmp_path, "uneven.duckdb") as store:
        [group] = list_figures(store, Filters(metric="tariffs"))
        assert [m["value"] for m in group["members"] if m["outlier"]] == [34.0]
