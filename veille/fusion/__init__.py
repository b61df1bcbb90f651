"""Fusion across articles: near-copies, fused events, figure groups and their conflicts.

`fuse(store, article_ids)` takes newly stored articles into the fusion tables
(migration 003_fusion.sql), recomputing only what they touch; the query
functions read the result. Pure parts: `copies.near_copies`, `events.same_event`,
`figures.figure_key`, `figures.conflict`, `claims.claim_of`.
"""
from __future__ import annotations

from veille.fusion.query import (Filters, list_conflicts, list_copy_groups, list_events, list_figures,
                                 list_series)
from veille.fusion.update import FusionReport, fuse, rebuild

__all__ = ["Filters", "FusionReport", "fuse", "list_conflicts", "list_copy_groups", "list_events", "list_figures",
           "list_series", "rebuild"]
