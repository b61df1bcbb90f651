"""/api/codebook: what each code veille writes means, in English or French."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from veille.api import models
from veille.codebook import codebook as read_codebook

router = APIRouter(tags=["codebook"])

Lang = Annotated[Literal["en", "fr"], Query(description="Language of the labels and definitions: en or fr.")]


@router.get("/codebook", response_model=models.Codebook)
def codebook(lang: Lang = "en"):
    """PLOVER categories, event types (with their category), CONSULT modes, event statuses, sectors,
    and for figures their kinds, relations, statuses and metrics: each code with a label and a
    definition (resources/codebook.yaml, read once)."""
    return read_codebook(lang)
