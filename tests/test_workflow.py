"""The streaming workflow: one bad article is named, the others come out once each."""
from __future__ import annotations

from veille.errors import IngestError
from veille.records import Article, Record
from veille.settings import Settings
from veille.workflow import extract


class FlakyPipeline:
    """Fails on articles whose text says so, like an extractor meeting odd input."""

    def run(self, articles):
        for article in articles:
            yield self.run_one(article)

    def run_one(self, article):
        if "panne" in article.text:
            raise ValueError("odd input")
        return Record(doc=article)


def test_failure_mid_batch_yields_every_article_once():
    texts = [f"Article numéro {i}." for i in range(10)]
    texts[4] = "Article en panne."
    items = [Article(text=t, source=f"s{i}") for i, t in enumerate(texts)]
    items.insert(7, IngestError("bad-input", "unreadable"))
    out = list(extract(items, Settings(batch_size=4), pipeline=FlakyPipeline()))
    records = [x.doc.source for x in out if isinstance(x, Record)]
    errors = [(x.source, x.reason) for x in out if isinstance(x, IngestError)]
    assert records == [f"s{i}" for i in range(10) if i != 4]
    assert errors[0][0] == "s4" and "odd input" in errors[0][1]
    assert ("bad-input", "unreadable") in errors
