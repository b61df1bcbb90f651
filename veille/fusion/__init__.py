"""Fusion across articles: near-copies, fused events, figure groups and their conflicts.

`fuse(store, article_ids)` takes newly stored articles into the fusion tables
(migration 003_fusion.sql), recomputing only what they touch; `veille.read`
lists the result. Pure parts: `copies.near_copies`, `events.same_event`,
`figures.figure_key`, `figures.conflict`, `claims.claim_of`.
"""
from __future__ import annotations

from veille.fusion.update import FusionReport, fuse, rebuild

__all__ = ["FusionReport", "fuse", "rebuild"]
