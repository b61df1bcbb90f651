"""Records round-trip through their veille/1 JSON form."""
from __future__ import annotations

import json

from hypothesis import given, strategies as st

from veille.records import (EVENT_STATUSES, EVENT_TYPES, Article, Entity, Event, Measurement, Period,
                            Quote, Record, Timex, text_id)

day = st.dates().map(lambda d: d.isoformat())
small = st.text(max_size=40)
span = st.tuples(st.integers(0, 10_000), st.integers(0, 10_000))

articles = st.builds(Article, text=st.text(min_size=1, max_size=200), source=small,
                     title=st.none() | small, language=st.sampled_from(["fr", "en", None]),
                     published=st.none() | day, published_precision=st.sampled_from(["day", None]),
                     metadata=st.dictionaries(st.sampled_from(["byline", "url"]), small),
                     removed=st.lists(small, max_size=3).map(tuple))
entities = st.builds(Entity, id=small, name=small, type=st.sampled_from(["PERSON", "COUNTRY"]),
                     country=st.none() | st.sampled_from(["CHN", "RUS"]),
                     mentions=st.lists(span, max_size=3).map(tuple))
timexes = st.builds(Timex, start=st.integers(0, 999), end=st.integers(0, 999), text=small,
                    type=st.sampled_from(["DATE", "PERIOD", "DURATION"]), begin=st.none() | day,
                    end_date=st.none() | day, value=st.none() | st.just("P4D"))
periods = st.none() | st.builds(Period, begin=day, end=day)
measurements = st.builds(Measurement, start=st.integers(0, 999), end=st.integers(0, 999), text=small,
                         value=st.floats(allow_nan=False, allow_infinity=False, width=32),
                         unit=st.sampled_from(["USD", "%", "count"]), kind=st.sampled_from(["amount", "percent"]),
                         from_=st.none() | st.just("CHN"), period=periods,
                         usd=st.none() | st.floats(0, 1e12))
events = st.builds(Event, type=st.sampled_from(EVENT_TYPES), actor=st.lists(st.sampled_from(["CHN", "RUS"]), max_size=2).map(tuple),
                   status=st.sampled_from(EVENT_STATUSES), date=periods, evidence=st.none() | span,
                   sectors=st.lists(st.sampled_from(["energy", "trade"]), max_size=2).map(tuple))
quotes = st.builds(Quote, speaker=st.none() | small, text=small, start=st.integers(0, 99), end=st.integers(0, 99))
records = st.builds(Record, doc=articles, entities=st.lists(entities, max_size=3).map(tuple),
                    timexes=st.lists(timexes, max_size=3).map(tuple),
                    measurements=st.lists(measurements, max_size=3).map(tuple),
                    events=st.lists(events, max_size=3).map(tuple), quotes=st.lists(quotes, max_size=2).map(tuple))


@given(records)
def test_record_json_round_trip(record):
    again = Record.from_dict(json.loads(json.dumps(record.to_dict())))
    assert again == record


def test_record_has_the_veille1_shape():
    r = Record(doc=Article(text="Bonjour.", source="x/1.txt", published="2024-01-02", published_precision="day"))
    d = r.to_dict()
    assert d["format"] == "veille/1"
    assert set(d) >= {"doc", "entities", "timexes", "measurements", "events"}
    assert d["doc"]["id"] == text_id("Bonjour.") and len(d["doc"]["id"]) == 64
    assert {"id", "source", "title", "language", "published", "published_precision", "text"} <= set(d["doc"])
