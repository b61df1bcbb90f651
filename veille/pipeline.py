"""Article -> Record: every extraction layer, in one place, for every command.

`veille extract`, `veille ingest`, `veille eval`, `veille bench` and the Spark
job all call `Pipeline.run`, so the database always holds what `extract` prints.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from veille.language import Language, bundle_for, default as default_language
from veille.nlp import load_model
from veille.records import Article, Record
from veille.settings import Settings

PIPELINE_VERSION = "veille-0.1"


@dataclass
class Pipeline:
    """Runs the layers over articles; the NLP model loads on first use."""

    settings: Settings

    def run(self, articles: Iterable[Article]) -> Iterator[Record]:
        """One record per article, in order; NLP runs in batches."""
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= self.settings.batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def run_one(self, article: Article) -> Record:
        return next(iter(self._run_batch([article])))

    def _run_batch(self, batch: list[Article]) -> Iterator[Record]:
        by_model: dict[str, list[int]] = {}
        for i, article in enumerate(batch):
            model = self.settings.model_for(article.language)
            if model and bundle_for(article.language):
                by_model.setdefault(model, []).append(i)
        docs: dict[int, object] = {}
        for model, indexes in by_model.items():
            nlp = load_model(model)
            for i, doc in zip(indexes, nlp.pipe((batch[i].text for i in indexes), batch_size=len(indexes))):
                docs[i] = doc
        for i, article in enumerate(batch):
            yield self.extract(article, docs.get(i))

    def extract(self, article: Article, doc=None) -> Record:
        """The record of one article, given its parse (None: the doc layer only)."""
        lang = bundle_for(article.language)
        if doc is None or lang is None:
            return Record(doc=article)
        return extract_layers(article, doc, lang)


def extract_layers(article: Article, doc, lang: Language | None = None) -> Record:
    """Every layer of one parsed article, each from the layers before it, read with the bundle
    of its language (French by default), all from one view of the article (`veille.extract.view`)."""
    from veille.extract.entities import extract_entities
    from veille.extract.events import extract_events
    from veille.extract.measurements import extract_measurements
    from veille.extract.measurements.acts import direct_by_acts
    from veille.extract.timexes import extract_timexes
    from veille.extract.view import article_view

    lang = lang or default_language()
    view = article_view(article.text, doc, lang)
    published = article.published
    entities, places = extract_entities(doc, published, lang=lang, view=view)
    estimated = any(f.get("kind") == "published_estimated" for f in article.flags)
    timexes = extract_timexes(article.text, published, article.published_precision, estimated=estimated, lang=lang,
                              view=view)
    measurements = extract_measurements(article.text, (), places, timexes, published, lang=lang, view=view)
    events, quotes = extract_events(doc, entities, places, timexes,
                                    published if article.published_precision == "day" else None, lang, view=view)
    measurements = direct_by_acts(measurements, events)
    return Record(doc=article, entities=tuple(entities), timexes=tuple(timexes),
                  measurements=tuple(measurements), events=tuple(events), quotes=tuple(quotes))
