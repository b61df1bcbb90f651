"""The library side of the commands: extract and ingest, never printing.

Both stream: articles are read, cleaned and parsed in batches, so memory does
not grow with the number of articles. One bad article yields an IngestError
naming it, and the batch goes on.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from veille.errors import IngestError
from veille.ingest import articles as read_articles
from veille.pipeline import PIPELINE_VERSION, Pipeline
from veille.records import Article, Record
from veille.settings import Settings
from veille.store import Store

if TYPE_CHECKING:
    from veille.fusion import FusionReport


def extract(items: Iterable[Article | IngestError], settings: Settings,
            pipeline: Pipeline | None = None) -> Iterator[Record | IngestError]:
    """Records of the articles in `items`, errors passed through in order."""
    pipeline = pipeline or Pipeline(settings)
    batch: list[Article] = []

    def flush() -> Iterator[Record | IngestError]:
        done = 0
        try:
            for record in pipeline.run(batch):
                done += 1
                yield record
        except Exception:
            # one article broke the batch: go on one by one from there, naming the culprit
            for article in batch[done:]:
                try:
                    yield pipeline.run_one(article)
                except Exception as exc:
                    yield IngestError(article.source, f"extraction failed: {type(exc).__name__}: {exc}")
        batch.clear()

    for item in items:
        if isinstance(item, IngestError):
            yield from flush()
            yield item
            continue
        batch.append(item)
        if len(batch) >= settings.batch_size:
            yield from flush()
    yield from flush()


def extract_inputs(targets: list[str], settings: Settings) -> Iterator[Record | IngestError]:
    """Records of every article in the named inputs."""
    return extract(read_articles(targets, settings), settings)


@dataclass
class IngestReport:
    """What one `ingest` run did."""

    new: int = 0
    unchanged: int = 0
    versions: int = 0
    errors: list[IngestError] = field(default_factory=list)
    fusion: FusionReport | None = None

    @property
    def stored(self) -> int:
        return self.new + self.versions

    @property
    def ok(self) -> bool:
        return not self.errors


def ingest(targets: list[str], settings: Settings, store: Store,
           progress: Callable[[Record | IngestError], None] | None = None) -> IngestReport:
    """Ingest the named inputs into `store`, a transaction per batch of articles (each article
    alone if the batch fails), then fuse them with the articles already there (one transaction)."""
    report = IngestReport()

    def not_stored(items: Iterable[Article | IngestError]) -> Iterator[Article | IngestError]:
        for item in items:
            if isinstance(item, Article) and store.has(item.id):
                report.unchanged += 1
                continue
            yield item

    pending: list[Record] = []

    def store_pending() -> None:
        try:
            results = store.put_many(pending, PIPELINE_VERSION)
        except Exception:
            results = []
            for record in pending:
                try:
                    results.append(store.put(record, PIPELINE_VERSION))
                except Exception as exc:
                    error = IngestError(record.doc.source, f"could not be stored: {type(exc).__name__}: {exc}")
                    report.errors.append(error)
                    if progress:
                        progress(error)
        for result in results:
            if result.outcome == "new":
                report.new += 1
            elif result.outcome == "version":
                report.versions += 1
            else:
                report.unchanged += 1
        pending.clear()

    for item in extract(not_stored(read_articles(targets, settings)), settings):
        if isinstance(item, IngestError):
            report.errors.append(item)
            store.record_error(item.source, item.reason)
        else:
            pending.append(item)
            if len(pending) >= settings.batch_size:
                store_pending()
        if progress:
            progress(item)
    if pending:
        store_pending()
    from veille.fusion import fuse

    try:
        # one fusion call for the run: every stored article not yet fused (also those a failed run left)
        report.fusion = fuse(store)
    except Exception as exc:
        report.errors.append(IngestError("fusion", f"fusion across articles failed: {type(exc).__name__}: {exc}"))
    return report
