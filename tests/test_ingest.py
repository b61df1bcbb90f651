"""Ingestion of every input kind, and a clear error for every kind of bad input."""
from __future__ import annotations

import gzip
import io
import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from veille.errors import IngestError
from veille.ingest import articles
from veille.settings import Settings

BODY = ("Vladimir Poutine est arrivé jeudi à Pékin pour une visite d'État de deux jours, "
        "la première depuis le début de son nouveau mandat. Les deux dirigeants doivent "
        "signer une déclaration conjointe sur leur partenariat stratégique.")

HTML = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Poutine à Pékin - Le Quotidien</title>
<meta name="author" content="Jeanne Martin">
<meta property="article:published_time" content="2024-05-16T09:30:00+02:00">
<meta property="og:site_name" content="Le Quotidien">
</head><body>
<nav><ul><li>Accueil</li><li>Monde</li><li>Économie</li></ul></nav>
<div class="cookie">Nous utilisons des cookies pour améliorer votre expérience.</div>
<article><h1>Poutine à Pékin</h1>
<p>{body}</p>
<p>Le commerce entre les deux pays a atteint un niveau record l'an dernier, selon les douanes chinoises, qui publient leurs chiffres chaque mois.</p>
</article>
<aside>Articles liés : la météo de demain ; les résultats sportifs</aside>
<footer>© Le Quotidien 2024 - Mentions légales - Contact</footer>
</body></html>"""

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Le Fil Asie</title><link>https://fil.example/</link><description>x</description>
<item><title>Premier article</title><link>https://fil.example/a1.html</link>
<pubDate>Thu, 16 May 2024 08:00:00 +0000</pubDate><guid>a1</guid>
<content:encoded><![CDATA[<p>{body}</p>]]></content:encoded></item>
<item><title>Second article</title><link>https://fil.example/a2.html</link>
<pubDate>Fri, 17 May 2024 10:00:00 +0000</pubDate><guid>a2</guid>
<description>Le président russe s'est rendu vendredi à Harbin, dans le nord-est de la Chine, pour l'ouverture d'une exposition commerciale consacrée aux échanges entre les deux pays.</description></item>
</channel></rss>"""


def run(targets, **settings) -> tuple[list, list[IngestError]]:
    got = list(articles([str(t) for t in targets], Settings(**settings)))
    return [a for a in got if not isinstance(a, IngestError)], [e for e in got if isinstance(e, IngestError)]


def write_warc(path, pages, truncate: bool = False) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    writer.write_record(writer.create_warcinfo_record("test.warc.gz", {"software": "veille tests"}))
    for uri, html in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            uri, "response", payload=io.BytesIO(html.encode("utf-8")), http_headers=headers,
            warc_headers_dict={"WARC-Date": "2024-05-16T10:00:00Z"}))
    image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://x.example/logo.png", "response",
                                                  payload=io.BytesIO(b"\x89PNG\r\n"), http_headers=image))
    data = buf.getvalue()
    path.write_bytes(data[: len(data) * 2 // 3] if truncate else data)


# -- every kind of input ------------------------------------------------------

def test_plain_text_file(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    got, errors = run([tmp_path / "a.txt"])
    assert not errors
    assert got[0].text == BODY and got[0].language == "fr" and got[0].source.endswith("a.txt")
    assert got[0].published is None and got[0].published_from is None


def test_folder_of_text_files_in_stable_order(tmp_path):
    for name in ("b.txt", "a.txt", "sub/c.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(BODY + " " + name, encoding="utf-8")
    got, errors = run([tmp_path])
    assert not errors
    assert [a.source.split("/")[-1] for a in got] == ["a.txt", "b.txt", "c.txt"]


def test_html_page_main_text_and_metadata(tmp_path):
    (tmp_path / "page.html").write_text(HTML.format(body=BODY), encoding="utf-8")
    [a], errors = run([tmp_path / "page.html"])
    assert not errors
    assert "Poutine est arrivé jeudi" in a.text
    assert "cookies" not in a.text and "Mentions légales" not in a.text and "Accueil" not in a.text
    assert a.title.startswith("Poutine à Pékin")
    assert a.published == "2024-05-16" and a.published_precision == "day" and a.published_from == "page"
    assert a.metadata["author"] == "Jeanne Martin" and a.metadata["site"] == "Le Quotidien"


def test_jsonl_articles_with_metadata(tmp_path):
    lines = [
        {"text": BODY, "source": "wire/1", "title": "T1", "published": "2024-05-16", "language": "fr"},
        {"html": HTML.format(body=BODY + " Version web."), "url": "https://q.example/2.html"},
    ]
    (tmp_path / "in.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    got, errors = run([tmp_path / "in.jsonl"])
    assert not errors
    assert got[0].source == "wire/1" and got[0].published == "2024-05-16" and got[0].published_from == "input"
    assert got[1].source == "https://q.example/2.html" and "Version web" in got[1].text


def test_rss_feed_entries_with_dates(tmp_path):
    (tmp_path / "feed.xml").write_text(RSS.format(body=BODY), encoding="utf-8")
    got, errors = run([tmp_path / "feed.xml"])
    assert not errors
    assert [a.source for a in got] == ["https://fil.example/a1.html", "https://fil.example/a2.html"]
    assert [a.published for a in got] == ["2024-05-16", "2024-05-17"]
    assert got[0].title == "Premier article" and "Harbin" in got[1].text


def test_atom_feed(tmp_path):
    atom = f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
    <title>Fil</title><id>urn:x</id><updated>2024-05-16T00:00:00Z</updated>
    <entry><title>Un</title><link href="https://fil.example/u.html"/><id>urn:u</id>
    <updated>2024-05-16T08:00:00Z</updated><content type="html">&lt;p&gt;{BODY}&lt;/p&gt;</content></entry></feed>"""
    (tmp_path / "feed.atom").write_text(atom, encoding="utf-8")
    [a], errors = run([tmp_path / "feed.atom"])
    assert not errors and a.published == "2024-05-16" and "Pékin" in a.text


def test_warc_html_responses_only(tmp_path):
    write_warc(tmp_path / "crawl.warc.gz", [("https://q.example/1.html", HTML.format(body=BODY)),
                                            ("https://q.example/2.html", HTML.format(body=BODY + " Suite."))])
    got, errors = run([tmp_path / "crawl.warc.gz"])
    assert not errors
    assert [a.source for a in got] == ["https://q.example/1.html", "https://q.example/2.html"]
    assert got[0].published == "2024-05-16"


def test_url_fetched_from_a_local_server(tmp_path):
    (tmp_path / "page.html").write_text(HTML.format(body=BODY), encoding="utf-8")
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *a, **k: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/page.html"
        [a], errors = run([url])
        missing, errors2 = run([url.replace("page.html", "nope.html")])
    finally:
        server.shutdown()
    assert not errors and a.source == url and "Pékin" in a.text
    assert not missing and "404" in errors2[0].reason and errors2[0].source.endswith("nope.html")


# -- cleaning -------------------------------------------------------------------

@pytest.mark.parametrize("debris", ["Partager sur Facebook Partager sur X • Imprimer", "Accueil > Monde > Asie",
                                    "Monde › Asie-Pacifique › Japon"])
def test_a_first_line_of_debris_is_neither_kept_nor_taken_for_the_title(tmp_path, debris):
    (tmp_path / "page.txt").write_text(f"{debris}\nLe Japon et l'Inde renforcent leur dialogue naval\n\n{BODY}\n",
                                       encoding="utf-8")
    [a], errors = run([tmp_path / "page.txt"])
    assert not errors and a.title == "Le Japon et l'Inde renforcent leur dialogue naval"
    assert debris in a.removed and debris not in a.text

def test_debris_removed_and_metadata_moved(tmp_path):
    raw = (" date 2024-05 Titre de la dépêche sans point final\n\n1:20\n• Copié\n"
           "Jeanne Martin (à Pékin) / Crédit photo : LI WEI / XINHUA VIA AFP\n"
           f"{BODY}\n\nRestez informé avec des mises à jour gratuites\n\n"
           "Les deux parties ont salué les résultats [the agreement] obtenus lors de de la visite.\n"
           "ttn-fr-12\n(Reportage de Jean Dupont ; Rédaction de Paul Durand)")
    (tmp_path / "scraped.txt").write_text(raw, encoding="utf-8")
    [a], errors = run([tmp_path / "scraped.txt"])
    assert not errors
    assert a.text.startswith("Vladimir Poutine est arrivé")
    for debris in ("1:20", "Copié", "Crédit", "Restez informé", "ttn-fr", "Reportage", "date 2024"):
        assert debris not in a.text
    assert a.title == "Titre de la dépêche sans point final"
    assert a.metadata["byline"] == "Jeanne Martin (à Pékin)"
    assert a.metadata["photo_credit"] == "LI WEI / XINHUA VIA AFP"
    assert a.metadata["crawl_tag"] == "ttn-fr-12"
    assert a.metadata["credits"] == "Reportage de Jean Dupont ; Rédaction de Paul Durand"
    assert a.published == "2024-05" and a.published_precision == "month" and a.published_from == "crawl_header"
    kinds = {f["kind"]: f for f in a.flags}
    assert set(kinds) == {"untranslated_bracket", "doubled_word"}
    for flag in a.flags:
        assert a.text[flag["start"]:flag["end"]] == flag["text"]
    assert "[the agreement]" in a.text and "de de" in a.text  # flagged, not changed


def test_white_space_normalised(tmp_path):
    (tmp_path / "ws.txt").write_text("  Le   commerce\u00a0bilatéral a\tprogressé  fortement.  \n\n\n\nSecond   paragraphe ici, assez long pour compter. ", encoding="utf-8")
    [a], _ = run([tmp_path / "ws.txt"])
    assert a.text == "Le commerce bilatéral a progressé fortement.\n\nSecond paragraphe ici, assez long pour compter."


def test_dateline_gives_the_date_when_nothing_else_does(tmp_path):
    (tmp_path / "d.txt").write_text("MOSCOU, 12 mars 2024 (AFP) - " + BODY, encoding="utf-8")
    [a], _ = run([tmp_path / "d.txt"])
    assert (a.published, a.published_precision, a.published_from) == ("2024-03-12", "day", "dateline")


def test_input_date_wins_over_page_date(tmp_path):
    line = {"html": HTML.format(body=BODY), "source": "s", "published": "2024-05-20"}
    (tmp_path / "x.jsonl").write_text(json.dumps(line), encoding="utf-8")
    [a], _ = run([tmp_path / "x.jsonl"])
    assert a.published == "2024-05-20" and a.published_from == "input"


# -- bad input: a clear error naming the input, and the batch goes on -----------

def test_empty_file(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    got, [e] = run([tmp_path / "empty.txt"])
    assert not got and e.source.endswith("empty.txt") and "empty" in e.reason


def test_blank_article(tmp_path):
    (tmp_path / "blank.txt").write_text("   \n\n 1:20\n• Copié\n", encoding="utf-8")
    got, [e] = run([tmp_path / "blank.txt"])
    assert "empty article" in e.reason


def test_binary_file(tmp_path):
    (tmp_path / "img.txt").write_bytes(bytes(range(256)) * 40)
    got, [e] = run([tmp_path / "img.txt"])
    assert e.source.endswith("img.txt") and "binary" in e.reason


def test_huge_text_file_is_refused_clearly(tmp_path):
    big = tmp_path / "huge.txt"
    big.write_text(("Le commerce entre la Chine et la Russie progresse. " * 1_000_000)[:50_000_000], encoding="utf-8")
    got, [e] = run([big])
    assert not got and e.source.endswith("huge.txt") and "larger than max_article_chars" in e.reason or "too large" in e.reason


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_legacy_encodings(tmp_path, encoding):
    text = "Pékin et Moscou ont signé un accord « historique » sur l'énergie et l'agriculture, a annoncé le ministère."
    (tmp_path / "old.txt").write_bytes(text.encode(encoding))
    [a], errors = run([tmp_path / "old.txt"])
    assert not errors and a.text == text


def test_malformed_html_still_yields_text_or_a_clear_error(tmp_path):
    (tmp_path / "bad.html").write_text(f"<html><body><p>{BODY}<div><p>non fermé <b>gras", encoding="utf-8")
    (tmp_path / "junk.html").write_text("<html><<<>>></html>", encoding="utf-8")
    got, errors = run([tmp_path / "bad.html", tmp_path / "junk.html"])
    assert "Poutine est arrivé" in got[0].text
    assert errors[0].source.endswith("junk.html") and ("no article text" in errors[0].reason or "empty article" in errors[0].reason)


def test_jsonl_with_a_broken_line_in_the_middle(tmp_path):
    good = json.dumps({"text": BODY, "source": "ok-1"})
    (tmp_path / "x.jsonl").write_text("\n".join([good, '{"text": "cassé', good.replace("ok-1", "ok-2"), "[1, 2]"]), encoding="utf-8")
    got, errors = run([tmp_path / "x.jsonl"])
    assert [a.source for a in got] == ["ok-1", "ok-2"]
    assert [e.source.rsplit(":", 1)[1] for e in errors] == ["2", "4"]
    assert "invalid JSON" in errors[0].reason


def test_feed_that_is_not_xml(tmp_path):
    (tmp_path / "feed.xml").write_text("ceci n'est pas un flux { ] <", encoding="utf-8")
    got, [e] = run([tmp_path / "feed.xml"])
    assert e.source.endswith("feed.xml") and "feed" in e.reason


def test_truncated_warc_keeps_complete_records(tmp_path):
    pages = [(f"https://q.example/{i}.html", HTML.format(body=BODY + f" Numéro {i}." + " Texte." * 300)) for i in range(4)]
    write_warc(tmp_path / "cut.warc.gz", pages, truncate=True)
    got, errors = run([tmp_path / "cut.warc.gz"])
    assert 1 <= len(got) < 4
    assert errors and errors[-1].source.endswith("cut.warc.gz") and "truncated" in errors[-1].reason


def test_path_that_does_not_exist(tmp_path):
    got, [e] = run([tmp_path / "nope.txt"])
    assert e.source.endswith("nope.txt") and "no such file" in e.reason


@pytest.mark.parametrize("bad", ["2023-02-31", "demain matin", "31/31/2031", "0000-01-01", "2023-13"])
def test_input_date_that_does_not_parse(tmp_path, bad):
    (tmp_path / "x.jsonl").write_text(json.dumps({"text": BODY, "source": "s1", "published": bad}), encoding="utf-8")
    got, [e] = run([tmp_path / "x.jsonl"])
    assert not got and e.source == "s1" and "publication date" in e.reason


def test_one_bad_input_does_not_stop_the_batch(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_text(BODY + " Fin.", encoding="utf-8")
    got, errors = run([tmp_path])
    assert len(got) == 2 and len(errors) == 1


def test_gzip_text_is_not_taken_for_text(tmp_path):
    (tmp_path / "x.bin").write_bytes(gzip.compress(b"hello"))
    got, [e] = run([tmp_path / "x.bin"])
    assert not got and e.source.endswith("x.bin")


def member_ends(data: bytes) -> set[int]:
    """Offsets where the gzip members of a WARC end: a cut there leaves a whole, shorter WARC."""
    import zlib

    ends, pos = set(), 0
    while pos < len(data):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        inflater.decompress(data[pos:])
        pos = len(data) - len(inflater.unused_data)
        ends.add(pos)
    return ends


@pytest.mark.parametrize("keep", [0.05, 0.35, 0.5, 0.97])
def test_warc_cut_anywhere_is_reported(tmp_path, keep):
    pages = [(f"https://q.example/{i}.html", HTML.format(body=BODY + f" Numéro {i}." + " Texte." * 200)) for i in range(3)]
    write_warc(tmp_path / "full.warc.gz", pages)
    data = (tmp_path / "full.warc.gz").read_bytes()
    cut = int(len(data) * keep)
    while cut in member_ends(data):  # record ids are random, so a fixed fraction can land between records
        cut -= 1
    (tmp_path / "cut.warc.gz").write_bytes(data[:cut])
    got, errors = run([tmp_path / "cut.warc.gz"])
    assert len(got) <= 3  # the complete records before the cut are kept (the last record is an image)
    assert errors and errors[-1].source.endswith("cut.warc.gz") and "truncated" in errors[-1].reason


def test_complete_warc_is_not_reported_truncated(tmp_path):
    write_warc(tmp_path / "full.warc.gz", [("https://q.example/1.html", HTML.format(body=BODY))])
    got, errors = run([tmp_path / "full.warc.gz"])
    assert len(got) == 1 and not errors
