"""The library side of the commands: extract and ingest, never printing.

Both stream: articles are read, cleaned and parsed in batches, so memory does
not grow with the number of articles. One bad article yields an IngestError
naming it, and the batch goes on.
"""
from __future__ import annotations

import errno
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
    reprints: int = 0               # stored texts published again elsewhere: kept as reprints
    # articles stored but not extracted, by language: veille has no bundle for it
    not_extracted: dict[str, int] = field(default_factory=dict)
    stored_ids: list[str] = field(default_factory=list)      # articles new or in a new version
    errors: list[IngestError] = field(default_factory=list)
    fusion: FusionReport | None = None

    def count(self, result) -> None:
        """Count what storing one article did (a store.PutResult)."""
        if result.outcome == "new":
            self.new += 1
        elif result.outcome == "version":
            self.versions += 1
        elif result.outcome == "reprint":
            self.reprints += 1
        else:
            self.unchanged += 1

    @property
    def stored(self) -> int:
        return self.new + self.versions

    @property
    def ok(self) -> bool:
        return not self.errors


def extracted(record: Record) -> bool:
    """Whether veille reads the article's language (else it is stored, not extracted)."""
    from veille.language import bundle_for

    return bundle_for(record.doc.language) is not None


def storage_error(source: str, exc: BaseException) -> IngestError:
    """An article that could not be stored, with the cause said plainly (a full disk, a
    read-only file) rather than as the database's own words."""
    text = str(exc)
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC or "No space left on device" in text \
            or "disk is full" in text.lower():
        return IngestError(source, "could not be stored: the disk is full (free some space and ingest again; "
                                   "nothing of this article was written)")
    if "read-only" in text.lower() or isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES):
        return IngestError(source, f"could not be stored: the database cannot be written ({text})")
    return IngestError(source, f"could not be stored: {type(exc).__name__}: {exc}")


def _record_error(store: Store, error: IngestError) -> None:
    """Keep the error in the database when it can still be written (not when the disk is full)."""
    try:
        store.record_error(error.source, error.reason)
    except Exception:
        pass


@dataclass(frozen=True)
class IngestStep:
    """Where an ingest run is, for a progress bar: `done` of the inputs' `total` articles gone
    through (`total` None when the inputs do not say: a URL, a WARC archive), and what the last
    step gave: the record stored, an error naming its article, or None (the start, or an article
    stored before and unchanged). A storage error comes as a step of its own with `done` unchanged."""

    done: int
    total: int | None
    item: Record | IngestError | None = None


Progress = Callable[[IngestStep], None]


def ingest(targets: list[str], settings: Settings, store: Store, progress: Progress | None = None) -> IngestReport:
    """Ingest the named inputs into `store`, a transaction per batch of articles (each article
    alone if the batch fails), then fuse them with the articles already there (one transaction).
    With `progress`, the inputs are counted first (`veille.ingest.count`) and `progress` gets
    the total, then every step."""
    total = None
    if progress is not None:
        from veille.ingest.count import count_articles

        total = count_articles(targets, settings)
    return ingest_articles(read_articles(targets, settings), settings, store, progress, total)


def ingest_articles(items: Iterable[Article | IngestError], settings: Settings, store: Store,
                    progress: Progress | None = None, total: int | None = None) -> IngestReport:
    """Ingest articles already read (`veille.ingest.articles`, or a watched source's new entries)
    as `ingest` does: stored in batches, then fused in one transaction. `progress` gets an
    `IngestStep` at the start (`done` 0 of `total`, when known) and after every article."""
    report = IngestReport()
    done = 0

    def step(item: Record | IngestError | None, counted: bool = True) -> None:
        nonlocal done
        done += counted
        if progress is not None:
            progress(IngestStep(done, total, item))

    if progress is not None:
        progress(IngestStep(0, total))

    def not_stored(items: Iterable[Article | IngestError]) -> Iterator[Article | IngestError]:
        for item in items:
            if isinstance(item, Article):
                try:
                    seen = store.sight(item)
                except Exception as exc:
                    yield storage_error(item.source, exc)
                    continue
                if seen is not None:
                    count(seen)
                    step(None)
                    continue
            yield item

    count = report.count

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
                    error = storage_error(record.doc.source, exc)
                    report.errors.append(error)
                    _record_error(store, error)
                    step(error, counted=False)
        for record, result in zip(pending, results):
            count(result)
            if result.outcome in ("new", "version"):
                report.stored_ids.append(result.article_id)
            if result.outcome in ("new", "version") and not extracted(record):
                language = record.doc.language or "unknown"
                report.not_extracted[language] = report.not_extracted.get(language, 0) + 1
        pending.clear()

    for item in extract(not_stored(items), settings):
        if isinstance(item, IngestError):
            report.errors.append(item)
            _record_error(store, item)
            if pending:
                store_pending()       # what was read before a failing input is stored now
        else:
            pending.append(item)
            if len(pending) >= settings.batch_size:
                store_pending()
        step(item)
    if pending:
        store_pending()
    from veille.fusion import fuse

    try:
        # one fusion call for the run: every stored article not yet fused (also those a failed run left)
        report.fusion = fuse(store)
    except Exception as exc:
        cause = storage_error("fusion", exc).reason.removeprefix("could not be stored: ")
        report.errors.append(IngestError("fusion", f"fusion across articles failed (rolled back, nothing of it "
                                                   f"written): {cause}"))
    return report
