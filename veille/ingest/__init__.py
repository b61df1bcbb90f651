"""Ingestion: inputs -> cleaned `Article` records, before any NLP.

    for item in articles(["feed.xml", "corpus/"], settings):
        if isinstance(item, IngestError): report(item)
        else: store(item)
"""
from __future__ import annotations

from typing import Iterable, Iterator

from veille.errors import IngestError
from veille.ingest.clean import clean_text, split_headline
from veille.ingest.dates import TEXT_STEPS, choose_published
from veille.ingest.language import detect_language
from veille.ingest.sources import RawArticle, read_inputs
from veille.language import Language, bundle_for
from veille.records import Article
from veille.settings import Settings

__all__ = ["articles", "prepare", "RawArticle", "IngestError"]


_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "article", "tr"}


def is_full_page(html: str) -> bool:
    head = html[:4096].lower()
    return "<html" in head or "<body" in head or "<!doctype" in head


def _html_parser():
    from lxml import html as lxml_html

    # huge_tree: libxml2 otherwise stops reading at depth 256 and drops the rest without a word
    return lxml_html.HTMLParser(huge_tree=True)


def _depth(root) -> int:
    from lxml import etree

    depth = deepest = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


class _TextCounter:
    """Characters of text in markup, outside scripts and styles (a linear scan, no tree)."""

    def __init__(self):
        from html.parser import HTMLParser

        counter = self

        class Parser(HTMLParser):
            def handle_starttag(self, tag, attrs):
                if tag in ("script", "style"):
                    counter.skip += 1

            def handle_endtag(self, tag):
                if tag in ("script", "style") and counter.skip:
                    counter.skip -= 1

            def handle_data(self, data):
                if not counter.skip:
                    counter.chars += len(data.strip())

        self.skip = 0
        self.chars = 0
        self.parser = Parser(convert_charrefs=True)

    def count(self, html: str) -> int:
        self.parser.feed(html)
        self.parser.close()
        return self.chars


def _unread_share(html: str, root) -> float:
    """The share of the page's text the parsed tree lacks (libxml2 stops past depth 2048 even with
    huge_tree); checked only for deep trees, where it can happen."""
    if _depth(root) < 1000:
        return 0.0
    total = _TextCounter().count(html)
    read = sum(len(t.strip()) for t in root.itertext())
    return max(0.0, 1 - read / total) if total else 0.0


def _truncation_flag(share: float) -> dict:
    return {"kind": "html_truncated", "start": 0, "end": 0,
            "text": f"the page nests deeper than the HTML parser reads: {share:.0%} of its text was not read"}


def fragment_text(html: str) -> str:
    """Text of an HTML fragment (a feed entry's content), one paragraph per block."""
    from lxml import etree, html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div", parser=_html_parser())
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


def _extract_html(raw: RawArticle) -> tuple[str, dict, list[dict]]:
    """Main text, page metadata and flags (a page too deep to read whole) of an HTML article."""
    import trafilatura
    from lxml import etree, html as lxml_html

    if not is_full_page(raw.body):
        text = fragment_text(raw.body)
        if not text.strip():
            raise IngestError(raw.source, "no article text found in the HTML")
        return text, {}, []
    try:
        tree = lxml_html.document_fromstring(raw.body, parser=_html_parser())
    except (etree.ParserError, ValueError) as exc:
        raise IngestError(raw.source, f"unreadable HTML: {exc}")
    unread = _unread_share(raw.body, tree)
    flags = [_truncation_flag(unread)] if unread > 0.05 else []
    doc = trafilatura.bare_extraction(
        tree, url=raw.meta.get("url"), with_metadata=True, include_comments=False,
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
    return text, {k: v for k, v in page.items() if v}, flags


def prepare(raw: RawArticle, settings: Settings) -> Article:
    """Clean one raw article, detect its language and publication date.

    Raises IngestError naming the article when it is empty, too large, or
    states a publication date that does not parse.
    """
    page: dict = {}
    input_flags: list[dict] = []
    body = raw.body
    if len(body) > settings.max_article_chars * 4:
        raise IngestError(raw.source, f"input of {len(body)} characters is too large for one article "
                                      f"(max_article_chars={settings.max_article_chars})")
    if raw.is_html:
        body, page, input_flags = _extract_html(raw)
    notes = raw.meta.get("decoding") or {}
    if notes.get("guessed") or notes.get("mixed"):
        input_flags.append({"kind": "encoding", "start": 0, "end": 0,
                            "text": f"read as {notes.get('encoding')}: {notes.get('guessed') or notes.get('mixed')}"})
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
    if raw.key:
        metadata["identity"] = raw.key
    metadata.update({k: v for k, v in page.items() if k not in ("title", "published") and k not in metadata})
    metadata.update(cleaned.metadata)
    candidates = {
        "input": raw.meta.get("published"),
        "page": page.get("published"),
        "url": raw.meta.get("url") or page.get("url") or (raw.source if "://" in raw.source else None),
        "crawl_header": cleaned.metadata.get("crawl_date") or raw.meta.get("crawl_date"),
    }
    language = raw.meta.get("language") or detect_language(text, settings.languages)
    order, words = _date_reading(settings, language)
    published, precision, step, note = choose_published(candidates, text, order, raw.source, words)
    if note:
        kind = "published_estimated" if note.startswith("estimated") else "published_note"
        input_flags.append({"kind": kind, "start": 0, "end": 0, "text": note})
    return Article(
        text=text, source=raw.source, title=title, language=language,
        published=published, published_precision=precision, published_from=step,
        metadata=metadata, removed=tuple(cleaned.removed), flags=tuple(input_flags) + tuple(cleaned.flags),
    )


def _date_reading(settings: Settings, code: str | None) -> tuple[tuple[str, ...], Language | None]:
    """The date steps an article's language allows and the bundle they read: a language veille
    has no words for has no dateline or text step (its words are not French)."""
    lang = bundle_for(code)
    if lang is None:
        return tuple(s for s in settings.published_order if s not in TEXT_STEPS), None
    return settings.published_order, lang


def articles(targets: list[str], settings: Settings) -> Iterator[Article | IngestError]:
    """Every article of the named inputs, cleaned, or the error that stopped it."""
    return prepared(read_inputs(targets, settings), settings)


def prepared(raws: Iterable[RawArticle | IngestError], settings: Settings) -> Iterator[Article | IngestError]:
    """Each raw article cleaned, or the error that stopped it; the reader's own errors pass through."""
    for item in raws:
        if isinstance(item, IngestError):
            yield item
            continue
        try:
            yield prepare(item, settings)
        except IngestError as exc:
            yield exc
        except Exception as exc:  # a bug or a library failure on odd input: name the article, go on
            yield IngestError(item.source, f"could not be prepared: {type(exc).__name__}: {exc}")
