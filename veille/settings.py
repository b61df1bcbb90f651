"""One settings object: packaged defaults, then a user file, then the command line.

The user file is TOML, at `$VEILLE_CONFIG` or `~/.config/veille/config.toml`:

    db = "~/veille/press.duckdb"
    max_article_chars = 2000000
    published_order = ["input", "page", "url", "crawl_header", "dateline", "text"]

The database path comes, in this order, from `--db`, `$VEILLE_DB`, the user
file, then the per-user default `~/.local/share/veille/veille.duckdb`.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

PUBLISHED_STEPS = ("input", "page", "url", "crawl_header", "dateline", "text")


def default_db_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "veille" / "veille.duckdb"


def bundle_models() -> tuple[tuple[str, str], ...]:
    """(language, spaCy model) of every shipped language bundle that names one."""
    from veille.language import available, language

    return tuple((code, language(code).model) for code in available() if language(code).model)


@dataclass(frozen=True)
class Settings:
    """Validated settings, passed down explicitly to every stage."""

    db: Path = field(default_factory=default_db_path)
    # Inputs larger than this are refused with a clear error rather than parsed; the limit
    # counts decompressed bytes (gzip, WARC records) and downloaded bytes too.
    max_input_bytes: int = 200_000_000
    # Symbolic links met in an ingested folder are reported, not read, unless this is set;
    # even then only links that stay inside the folder are followed.
    follow_symlinks: bool = False
    # A single article's cleaned text above this is refused (a 50 MB "article" is not news).
    max_article_chars: int = 2_000_000
    # Articles shorter than this after cleaning are refused as empty.
    min_article_chars: int = 20
    # Publication date fallbacks, in order (see veille.ingest.dates).
    published_order: tuple[str, ...] = PUBLISHED_STEPS
    # Languages the detector chooses among (ISO 639-1).
    languages: tuple[str, ...] = ("fr", "en", "ru", "zh", "de", "es", "it", "pt", "ar", "uk", "ja", "ko", "tr", "nl", "pl")
    # spaCy model per language (default: the model each shipped language bundle pins);
    # articles in other languages get the doc layer only.
    models: tuple[tuple[str, str], ...] = field(default_factory=bundle_models)
    # Batch size for the NLP stage.
    batch_size: int = 32
    # Names `veille serve` answers to besides its loopback names and the address it is bound to
    # ("*": any; see veille.api.app.served_hosts).
    allowed_hosts: tuple[str, ...] = ()
    # HTTP fetches.
    http_timeout: float = 20.0
    user_agent: str = "veille/0.1 (+news analysis)"
    # Watching (`veille watch`, `veille serve --watch`): sources followed besides those named
    # on the command line (URLs of feeds or pages, folders), how often (seconds, or "15m"),
    # the new entries taken from one source in a round, and the fetches run at once.
    watch_sources: tuple[str, ...] = ()
    watch_every: float = 900.0
    watch_max_entries: int = 500
    watch_workers: int = 8

    def __post_init__(self) -> None:
        unknown = set(self.published_order) - set(PUBLISHED_STEPS)
        if unknown:
            raise ValueError(f"published_order: unknown steps {sorted(unknown)}; known: {list(PUBLISHED_STEPS)}")
        if self.max_article_chars <= self.min_article_chars:
            raise ValueError("max_article_chars must be larger than min_article_chars")

        if isinstance(self.watch_every, str):
            from veille.watch import parse_every

            object.__setattr__(self, "watch_every", parse_every(self.watch_every))
        if self.watch_max_entries < 1 or self.watch_workers < 1:
            raise ValueError("watch_max_entries and watch_workers must be at least 1")

    def model_for(self, language: str | None) -> str | None:
        return dict(self.models).get(language or "")

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with the given (non-None) values replaced."""
        given = {k: v for k, v in overrides.items() if v is not None}
        if "db" in given:
            given["db"] = Path(given["db"]).expanduser()
        return replace(self, **given)


def _coerce(name: str, value: Any) -> Any:
    if name == "db":
        return Path(str(value)).expanduser()
    if isinstance(value, list):
        return tuple(tuple(v) if isinstance(v, list) else v for v in value)
    if isinstance(value, dict):
        return tuple(value.items())
    return value


def load_settings(config: str | Path | None = None, **overrides: Any) -> Settings:
    """Defaults, then the user's TOML file, then `VEILLE_DB`, then explicit overrides."""
    values: dict[str, Any] = {}
    path = Path(config or os.environ.get("VEILLE_CONFIG") or Path.home() / ".config" / "veille" / "config.toml")
    if path.is_file():
        known = {f.name for f in fields(Settings)}
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        bad = set(data) - known
        if bad:
            raise ValueError(f"{path}: unknown settings {sorted(bad)}")
        values.update({k: _coerce(k, v) for k, v in data.items()})
    if os.environ.get("VEILLE_DB"):
        values["db"] = Path(os.environ["VEILLE_DB"]).expanduser()
    settings = Settings(**values)
    return settings.with_overrides(**overrides)
