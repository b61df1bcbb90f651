"""The database: migrations, content-hash ids, versions, transactions."""
from __future__ import annotations

import pytest

from veille.records import Article, Entity, Event, Measurement, Period, Quote, Record, Timex
from veille.store import Store, migrations


def record(text: str = "La Chine et la Russie ont signé un accord lundi à Pékin.", source: str = "s1",
           url: str | None = "https://presse.example/2024/05/13/accord") -> Record:
    metadata = {"url": url, "identity": url} if url else {}
    doc = Article(text=text, source=source, language="fr", published="2024-05-13", published_precision="day",
                  metadata=metadata)
    return Record(
        doc=doc,
        entities=(Entity(id="Q148", name="China", type="COUNTRY", country="CHN", mentions=((3, 8),)),),
        timexes=(Timex(start=36, end=41, text="lundi", type="DATE", begin="2024-05-13", end_date="2024-05-13", granularity="day"),),
        measurements=(Measurement(start=0, end=5, text="22 accords", value=22, unit="count", kind="count", metric="agreements"),),
        events=(Event(type="SUPPORT", actor=("CHN", "RUS"), date=Period("2024-05-13", "2024-05-13"), evidence=(0, len(text))),),
        quotes=(Quote(speaker="Q15031", text="x", start=0, end=1),),
    )


def test_migrations_are_ordered_recorded_and_applied_once(tmp_path):
    names = [f"{n:03d}_{name}" for n, name, _ in migrations()]
    assert names == sorted(names) and len(names) >= 2
    with Store(tmp_path / "a.duckdb") as store:
        assert store.schema_version() == migrations()[-1][0]
        assert store.migrate() == []


def test_same_article_twice_changes_nothing(tmp_path):
    with Store(tmp_path / "a.duckdb") as store:
        first = store.put(record())
        before = store.counts()
        again = store.put(record())
        assert (first.outcome, again.outcome) == ("new", "unchanged")
        assert store.counts() == before
        assert before["articles"] == 1 and before["events"] == 1 and before["entities"] == 1


def test_corrected_text_is_a_new_version(tmp_path):
    with Store(tmp_path / "a.duckdb") as store:
        v1 = store.put(record())
        v2 = store.put(record(text="La Chine et la Russie ont signé deux accords lundi à Pékin."))
        assert (v2.outcome, v2.version) == ("version", 2)
        assert [r["id"] for r in store.articles()] == [v2.article_id]
        assert {r["id"] for r in store.articles(latest_only=False)} == {v1.article_id, v2.article_id}


def test_same_outlet_without_identity_keeps_two_articles(tmp_path):
    """An outlet name in `source` is no identity: two texts of one outlet are two articles."""
    with Store(tmp_path / "a.duckdb") as store:
        a = store.put(record(source="lemonde.fr", url=None))
        b = store.put(record(text="La France et l'Algérie ont renoué le dialogue mardi à Alger.", source="lemonde.fr",
                             url=None))
        assert (a.outcome, b.outcome) == ("new", "new")
        assert {r["id"] for r in store.articles()} == {a.article_id, b.article_id}


def test_same_text_from_another_outlet_is_kept_as_a_reprint(tmp_path):
    with Store(tmp_path / "a.duckdb") as store:
        first = store.put(record(source="agence", url="https://agence.example/depeche"))
        again = store.put(record(source="journal", url="https://journal.example/monde/depeche"))
        twice = store.put(record(source="journal", url="https://journal.example/monde/depeche"))
        assert (first.outcome, again.outcome, twice.outcome) == ("new", "reprint", "unchanged")
        assert again.article_id == first.article_id
        assert [(r["outlet"], r["url"]) for r in store.reprints(first.article_id)] == \
            [("journal.example", "https://journal.example/monde/depeche")]
        assert store.counts()["articles"] == 1


def test_record_round_trips_through_the_database(tmp_path):
    r = record()
    with Store(tmp_path / "a.duckdb") as store:
        store.put(r)
        assert store.record(r.doc.id) == r
        assert store.record(r.doc.id[:10]) == r
        assert list(store.records()) == [r]


def test_failed_write_leaves_nothing_half_written(tmp_path, monkeypatch):
    with Store(tmp_path / "a.duckdb") as store:
        store.put(record())
        before = store.counts()
        bad = record(text="Un autre article, qui échouera au milieu de son écriture.", source="s2")
        original = store._insert

        def half(rec, *args):
            original(rec, *args)
            raise RuntimeError("crash after the layers were written")

        monkeypatch.setattr(store, "_insert", half)
        with pytest.raises(RuntimeError):
            store.put(bad)
        assert store.counts() == before
        assert not store.has(bad.doc.id)


def test_database_survives_reopening(tmp_path):
    path = tmp_path / "a.duckdb"
    with Store(path) as store:
        store.put(record())
    with Store(path) as store:
        assert store.counts()["articles"] == 1
    with Store(path, read_only=True) as store:
        assert store.counts()["records"] == 1


def test_put_many_is_one_transaction_and_falls_back_one_by_one(tmp_path, monkeypatch):
    recs = [record(text=f"Article numéro {i} sur le gaz russe livré à la Chine.", source=f"s{i}",
                   url=f"https://presse.example/{i}") for i in range(5)]
    with Store(tmp_path / "a.duckdb") as store:
        results = store.put_many(recs + [recs[0]])
        assert [r.outcome for r in results] == ["new"] * 5 + ["unchanged"]
        assert store.counts()["articles"] == 5
        bad = [record(text=f"Autre article {i}, assez long pour compter.", source=f"t{i}") for i in range(3)]
        original = store._insert

        def fail_on_second(rec, *args):
            if rec.doc.source == "t1":
                raise RuntimeError("disk full")
            original(rec, *args)

        monkeypatch.setattr(store, "_insert", fail_on_second)
        with pytest.raises(RuntimeError):
            store.put_many(bad)
        # the batch rolled back, then t0 went in alone before t1 failed alone; t1 left no trace
        assert store.has(bad[0].doc.id) and not store.has(bad[1].doc.id)
        assert store.counts()["articles"] == 6
