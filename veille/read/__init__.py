"""The one read layer: read-only queries over a veille database, each returning `veille/1`
shapes as plain dicts. The command line, the HTTP API and the exports all list through it, so
that `veille figures --format json`, `/api/figures` and `veille export --what figures` give the
same rows in the same order.

Every function takes a DuckDB connection (or cursor) first; list functions take
`Filters` and `Page` and return `{"items", "total", "limit", "offset"}`. The
fusion tables (migration 003) are optional: without them the fused lists are
empty and the per-article ones still answer.
"""
from __future__ import annotations

from veille.read.articles import get_article, list_articles
from veille.read.common import Filters, Page
from veille.read.copies import list_copies
from veille.read.entities import get_entity, list_entities
from veille.read.events import event_histogram, get_event, list_article_events, list_events
from veille.read.figures import get_figure, list_conflicts, list_figures, list_measurements, list_series
from veille.read.graphs import event_map, network
from veille.read.meta import fusion_ready, overview
from veille.read.quotes import list_quotes

__all__ = ["Filters", "Page", "event_histogram", "event_map", "fusion_ready", "get_article", "get_entity", "get_event",
           "get_figure", "list_article_events", "list_articles", "list_conflicts", "list_copies", "list_entities",
           "list_events", "list_figures", "list_measurements", "list_quotes", "list_series", "network", "overview"]
