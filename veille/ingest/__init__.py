"""Ingestion: inputs -> cleaned `Article` records, before any NLP.

    for item in articles(["feed.xml", "corpus/"], settings):
        if isinstance(item, IngestError): report(item)
        else: store(item)
"""
from __future__ import annotations

from typing import Iterator

from veille.errors import IngestError
from veille.ingest.clean import clean_text, split_headline
from veille.ingest.dates import choose_published
from veille.ingest.language import detect_language
from veille.ingest.sources import RawArticle, read_inputs
from veille.records import Article
from veille.settings import Settings

__all__ = ["articles", "prepare", "RawArticle", "IngestError"]


_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "article", "tr"}


def is_full_page(html: str) -> bool:
    head = html[:4096].lower()
    return "<html" in head or "<body" in head or "<!doctype" in head


def fragment_text(html: str) -> str:
    """Text of an HTML fragment (a feed entry's content), one paragraph per block."""
    from lxml import etree, html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(root, "script", "style", with_tail=False)
    parts: list[str] = []

    def walk(el) -> None:
        block = isinstance(el.tag, str) and el.tag.lower() in _BLOCKS
        if block:
            parts.append("\n\n")
        if el.text and isinstance(el.tag, str):
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n\n")

    walk(root)
    return "".join(parts)


def _extract_html(raw: RawArticle) -> tuple[str, dict]:
    import trafilatura

    if not is_full_page(raw.body):
        text = fragment_text(raw.body)
        if not text.strip():
            raise IngestError(raw.source, "no article text found in the HTML")
        return text, {}
    doc = trafilatura.bare_extraction(
        raw.body, url=raw.meta.get("url"), with_metadata=True, include_comments=False,
        include_tables=False, favor_precision=True,
        date_extraction_params={"extensive_search": False, "original_date": True,
                                "max_date": "2200-12-31"},
    )
    if doc is None or not (doc.text or "").strip():
        raise IngestError(raw.source, "no article text found in the HTML")
    page = {"title": doc.title, "author": doc.author, "published": doc.date,
            "site": doc.sitename, "url": doc.url}
    text = doc.text
    if doc.title and text.startswith(doc.title):
        text = text[len(doc.title):].lstrip("\n")
    return text, {k: v for k, v in page.items() if v}


def prepare(raw: RawArticle, settings: Settings) -> Article:
    """Clean one raw article, detect its language and publication date.

    Raises IngestError naming the article when it is empty, too large, or
    states a publication date that does not parse.
    """
    page: dict = {}
    body = raw.body
    if len(body) > settings.max_article_chars * 4:
        raise IngestError(raw.source, f"input of {len(body)} characters is too large for one article "
                                      f"(max_article_chars={settings.max_article_chars})")
    if raw.is_html:
        body, page = _extract_html(raw)
    cleaned = clean_text(body)
    title = raw.meta.get("title") or page.get("title")
    text = cleaned.text
    if not raw.is_html:
        headline, rest = split_headline(text)
        if headline and (title is None or headline == title):
            title, text = headline, rest
            cleaned.flags = [dict(f, start=f["start"] - (len(cleaned.text) - len(rest)),
                                  end=f["end"] - (len(cleaned.text) - len(rest)))
                             for f in cleaned.flags if f["start"] >= len(cleaned.text) - len(rest)]
    if len(text.strip()) < settings.min_article_chars:
        raise IngestError(raw.source, "empty article: no text left after cleaning")
    if len(text) > settings.max_article_chars:
        raise IngestError(raw.source, f"article of {len(text)} characters is larger than "
                                      f"max_article_chars ({settings.max_article_chars})")
    metadata = {k: v for k, v in raw.meta.items() if k not in ("title", "published", "language") and v}
    metadata.update({k: v for k, v in page.items() if k not in ("title", "published") and k not in metadata})
    metadata.update(cleaned.metadata)
    candidates = {
        "input": raw.meta.get("published"),
        "page": page.get("published"),
        "crawl_header": cleaned.metadata.get("crawl_date") or raw.meta.get("crawl_date"),
    }
    published, precision, step = choose_published(candidates, text, settings.published_order, raw.source)
    language = raw.meta.get("language") or detect_language(text, settings.languages)
    return Article(
        text=text, source=raw.source, title=title, language=language,
        published=published, published_precision=precision, published_from=step,
        metadata=metadata, removed=tuple(cleaned.removed), flags=tuple(cleaned.flags),
    )


def articles(targets: list[str], settings: Settings) -> Iterator[Article | IngestError]:
    """Every article of the named inputs, cleaned, or the error that stopped it."""
    for item in read_inputs(targets, settings):
        if isinstance(item, IngestError):
            yield item
            continue
        try:
            yield prepare(item, settings)
        except IngestError as exc:
            yield exc
        except Exception as exc:  # a bug or a library failure on odd input: name the article, go on
            yield IngestError(item.source, f"could not be prepared: {type(exc).__name__}: {exc}")
