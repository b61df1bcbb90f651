"""`veille bench`: speed and memory of the whole pipeline against spaCy alone.

Articles are made by cycling the demo corpus with varied numbers and dates, so
that no two texts are equal (ids are content hashes; nothing is cached). The
same texts go through (1) the spaCy French pipeline alone and (2) the full
pipeline: cleaning, NLP, every extractor and storage into a fresh DuckDB.
Articles are generated lazily, so memory must not grow with their number.
"""
from __future__ import annotations

import multiprocessing as mp
import random
import re
import resource
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator

from veille.errors import IngestError
from veille.ingest import prepare
from veille.ingest.sources import RawArticle, read_inputs
from veille.settings import Settings

_NUMBER = re.compile(r"\d+(?:,\d+)?")


@dataclass
class BenchResult:
    articles: int
    processes: int
    words: int
    tokens: int
    spacy_seconds: float
    full_seconds: float
    storage_seconds: float
    peak_rss_mb_main: float
    peak_rss_mb_workers: float

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.full_seconds if self.full_seconds else 0.0

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.full_seconds if self.full_seconds else 0.0

    @property
    def ratio(self) -> float:
        return self.full_seconds / self.spacy_seconds if self.spacy_seconds else 0.0

    def to_dict(self) -> dict:
        d = asdict(self)
        d.update(articles_per_second=round(self.articles_per_second, 2),
                 tokens_per_second=round(self.tokens_per_second, 1), ratio_full_to_spacy=round(self.ratio, 3),
                 words_per_article=round(self.words / self.articles, 1) if self.articles else 0)
        return d


def demo_raw_articles(settings: Settings) -> list[RawArticle]:
    from veille.resources import demo_corpus

    found = [item for item in read_inputs([str(demo_corpus())], settings) if isinstance(item, RawArticle)]
    if not found:
        raise IngestError(str(demo_corpus()), "the demo corpus holds no article")
    return found


def varied(raws: list[RawArticle], n: int, seed: int = 7) -> Iterator[RawArticle]:
    """`n` raw articles cycling `raws`, each with its numbers and date changed."""
    rng = random.Random(seed)
    for i in range(n):
        base = raws[i % len(raws)]

        def jiggle(m: re.Match) -> str:
            digits = m.group(0)
            if len(digits) == 4 and digits.startswith(("19", "20")):
                return digits  # keep years: dates stay plausible
            return str(rng.randint(2, 999)) + ("," + str(rng.randint(1, 9)) if "," in digits else "")

        body = _NUMBER.sub(jiggle, base.body)
        meta = dict(base.meta)
        day = date(2020, 1, 1) + timedelta(days=rng.randint(0, 2000))
        meta["published"] = day.isoformat()
        yield RawArticle(source=f"bench/{i:06d}-{Path(base.source).name}", body=body, is_html=base.is_html, meta=meta)


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024.0


# Worker-process state: the pipeline is built once per process.
_worker_pipeline = None
_worker_settings: Settings | None = None


def _worker_init(settings: Settings) -> None:
    global _worker_pipeline, _worker_settings
    from veille.pipeline import Pipeline

    _worker_settings = settings
    _worker_pipeline = Pipeline(settings)


def _worker_run(chunk: list[RawArticle]) -> list[tuple[dict, int]]:
    articles = [prepare(raw, _worker_settings) for raw in chunk]
    return [(rec.to_dict(), len(rec.doc.text.split())) for rec in _worker_pipeline.run(articles)]


def _chunks(items: Iterator[RawArticle], size: int) -> Iterator[list[RawArticle]]:
    chunk: list[RawArticle] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_bench(n: int, processes: int, settings: Settings) -> BenchResult:
    """Time spaCy alone, then the full pipeline, over the same `n` articles."""
    from veille.nlp import load_model
    from veille.pipeline import PIPELINE_VERSION
    from veille.records import Record
    from veille.store import Store

    raws = demo_raw_articles(settings)
    model = settings.model_for("fr")
    nlp = load_model(model)

    # spaCy alone on the cleaned texts (cleaning is part of the full pipeline only)
    def cleaned_texts() -> Iterator[str]:
        for raw in varied(raws, n):
            yield prepare(raw, settings).text

    tokens = 0
    start = time.perf_counter()
    for doc in nlp.pipe(cleaned_texts(), batch_size=settings.batch_size, n_process=processes):
        tokens += len(doc)
    spacy_seconds = time.perf_counter() - start

    words = 0
    storage = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "bench.duckdb") as store:
            start = time.perf_counter()
            if processes <= 1:
                from veille.workflow import extract

                stream = ((rec, len(rec.doc.text.split()))
                          for rec in extract((prepare(r, settings) for r in varied(raws, n)), settings)
                          if not isinstance(rec, IngestError))
                results: Iterator = stream
                pool = None
            else:
                ctx = mp.get_context("fork")
                pool = ctx.Pool(processes, initializer=_worker_init, initargs=(settings,))
                results = ((Record.from_dict(d), count)
                           for chunk in pool.imap(_worker_run, _chunks(varied(raws, n), settings.batch_size))
                           for d, count in chunk)
            pending: list = []
            for record, count in results:
                words += count
                pending.append(record)
                if len(pending) >= settings.batch_size:
                    t0 = time.perf_counter()
                    store.put_many(pending, PIPELINE_VERSION)
                    storage += time.perf_counter() - t0
                    pending = []
            t0 = time.perf_counter()
            store.put_many(pending, PIPELINE_VERSION)
            storage += time.perf_counter() - t0
            if pool is not None:
                pool.close()
                pool.join()
            full_seconds = time.perf_counter() - start
    return BenchResult(articles=n, processes=processes, words=words, tokens=tokens,
                       spacy_seconds=round(spacy_seconds, 3), full_seconds=round(full_seconds, 3),
                       storage_seconds=round(storage, 3),
                       peak_rss_mb_main=round(_peak_mb(resource.RUSAGE_SELF), 1),
                       peak_rss_mb_workers=round(_peak_mb(resource.RUSAGE_CHILDREN), 1))


class PeakMemory:
    """Peak resident memory of this process (bytes, `.peak`) while a block runs, sampled every
    20 ms: what the benchmark scripts report for one step, not for the whole process."""

    def __enter__(self):
        import psutil

        self.proc, self.peak, self.running = psutil.Process(), 0, True

        def sample():
            while self.running:
                self.peak = max(self.peak, self.proc.memory_info().rss)
                time.sleep(0.02)

        self.thread = threading.Thread(target=sample, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
