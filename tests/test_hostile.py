"""Nothing lost, nothing hung, nothing let in: what a careless user and an attacker tried.

Every input here is small and made at test time (bombs, deep pages, slow servers); each case
failed before the fixes of issue 13.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import httpx
import pytest

from conftest import veille
from veille.errors import DatabaseUnavailable, IngestError
from veille.ingest import articles
from veille.settings import Settings
from veille.store import Store

BODY = ("Le président algérien a reçu lundi à Alger le ministre français des Affaires étrangères, "
        "venu relancer une coopération économique suspendue depuis l'été dernier.")


def read(targets, **settings):
    got = list(articles([str(t) for t in targets], Settings(**settings)))
    return [a for a in got if not isinstance(a, IngestError)], [e for e in got if isinstance(e, IngestError)]


def jsonl(path: Path, lines: list[dict]) -> Path:
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    return path


# -- identity: nothing silently lost --------------------------------------------------------------

def ingest_into(db: Path, *targets: Path):
    from veille.workflow import ingest

    with Store(db) as store:
        return ingest([str(t) for t in targets], Settings(db=db), store)


@pytest.mark.model
def test_an_outlet_name_in_source_does_not_make_a_second_article_a_version(tmp_path):
    feed = jsonl(tmp_path / "gdelt.jsonl", [
        {"source": "lemonde.fr", "url": "https://www.lemonde.example/a", "text": BODY, "published": "2024-05-13"},
        {"source": "lemonde.fr", "url": "https://www.lemonde.example/b", "published": "2024-05-14",
         "text": "Ankara et Athènes ont signé mardi une déclaration sur les migrations en mer Égée."}])
    report = ingest_into(tmp_path / "db.duckdb", feed)
    assert (report.new, report.versions) == (2, 0)
    with Store(tmp_path / "db.duckdb", read_only=True) as store:
        assert len(store.articles()) == 2


@pytest.mark.model
def test_a_new_version_needs_the_same_url_or_id(tmp_path):
    first = jsonl(tmp_path / "v1.jsonl", [{"source": "x", "id": "dep-42", "text": BODY}])
    second = jsonl(tmp_path / "v2.jsonl", [{"source": "y", "id": "dep-42", "text": BODY + " Il repart mardi."}])
    assert ingest_into(tmp_path / "db.duckdb", first).new == 1
    report = ingest_into(tmp_path / "db.duckdb", second)
    assert (report.new, report.versions) == (0, 1)
    with Store(tmp_path / "db.duckdb", read_only=True) as store:
        assert [a["version"] for a in store.articles()] == [2]


@pytest.mark.model
def test_identical_text_from_another_outlet_is_kept_with_its_outlet(tmp_path):
    from conftest import list_copy_groups

    feed = jsonl(tmp_path / "wire.jsonl", [
        {"source": "agence", "url": "https://agence.example/depeche-1", "text": BODY, "published": "2024-05-13"},
        {"source": "journal", "url": "https://journal.example/monde/depeche", "text": BODY,
         "published": "2024-05-14"}])
    report = ingest_into(tmp_path / "db.duckdb", feed)
    assert (report.new, report.reprints, report.unchanged) == (1, 1, 0)
    again = ingest_into(tmp_path / "db.duckdb", feed)
    assert (again.new, again.reprints, again.unchanged) == (0, 0, 2)
    with Store(tmp_path / "db.duckdb", read_only=True) as store:
        aid = store.articles()[0]["id"]
        assert [(r["outlet"], r["published"]) for r in store.reprints(aid)] == [("journal.example", "2024-05-14")]
        groups = list_copy_groups(store)
    assert len(groups) == 1 and groups[0]["articles"] == 2
    assert groups[0]["outlet_names"] == ["agence.example", "journal.example"]


# -- one bad line, one bad page ----------------------------------------------------------------------

def test_a_nul_byte_refuses_its_line_not_the_file(tmp_path):
    lines = [json.dumps({"source": f"s{i}", "text": BODY + f" Dépêche {i}."}, ensure_ascii=False).encode()
             for i in range(5)]
    lines[2] = b'{"source": "s2", "text": "Alger \x00 Paris"}'
    (tmp_path / "mixed.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    got, errors = read([tmp_path / "mixed.jsonl"])
    assert [a.source for a in got] == ["s0", "s1", "s3", "s4"]
    assert len(errors) == 1 and errors[0].source.endswith("mixed.jsonl:3") and "binary" in errors[0].reason


def test_json_fields_of_the_wrong_type_get_a_clear_error_or_a_sensible_value(tmp_path):
    feed = jsonl(tmp_path / "types.jsonl", [
        {"source": "a", "text": 12345},
        {"source": "b", "title": ["Titre en français", "Title in English"], "text": BODY},
        {"source": "c", "title": {"fr": "x"}, "text": BODY}])
    got, errors = read([feed])
    assert [a.title for a in got] == ["Titre en français"]
    reasons = {e.source.rsplit(":", 1)[1]: e.reason for e in errors}
    assert reasons["1"] == "field 'text' is a int, not a string"
    assert reasons["3"] == "field 'title' is a dict, not a string"


def _nested_page(depth: int, paragraphs: int) -> str:
    opening = "".join("<div>" for _ in range(depth))
    body = "".join(f"<p>Paragraphe {i} : la commission mixte a examiné le dossier du gazoduc et des visas.</p>"
                   for i in range(paragraphs))
    return f"<!doctype html><html><body><article>{opening}{body}{'</div>' * depth}</article></body></html>"


def test_a_deep_page_is_read_whole(tmp_path):
    nested = "".join(f"<div><p>Paragraphe {i} : la commission mixte a examiné le dossier des visas.</p>"
                     for i in range(300)) + "</div>" * 300
    (tmp_path / "deep.html").write_text(f"<!doctype html><html><body><article>{nested}</article></body></html>",
                                        encoding="utf-8")
    got, errors = read([tmp_path / "deep.html"])
    assert not errors and got[0].text.count("Paragraphe") == 300
    assert not [f for f in got[0].flags if f["kind"] == "html_truncated"]


def test_a_page_deeper_than_the_parser_reads_is_flagged_or_refused(tmp_path):
    (tmp_path / "abyss.html").write_text(_nested_page(3000, 40), encoding="utf-8")
    got, errors = read([tmp_path / "abyss.html"])
    if got:
        assert any(f["kind"] == "html_truncated" for f in got[0].flags)
    else:
        assert errors and errors[0].source.endswith("abyss.html")


@pytest.mark.parametrize("encoding,bom", [("utf-32", True), ("utf-32-le", False), ("utf-32-be", False),
                                          ("utf-16-le", False), ("utf-16-be", False)])
def test_wide_encodings_decode_right_and_say_so_without_a_mark(tmp_path, encoding, bom):
    text = "Coopération franco-algérienne\n\n" + BODY
    (tmp_path / "wide.txt").write_bytes(text.encode(encoding))
    got, errors = read([tmp_path / "wide.txt"])
    assert not errors and "Alger" in got[0].text and "coopération" in got[0].text.lower()
    flagged = [f for f in got[0].flags if f["kind"] == "encoding"]
    assert bool(flagged) is not bom


def test_mixed_utf8_and_latin1_decode_each_part_and_are_flagged(tmp_path):
    data = ("Pékin accueille Alger.\n\n" + BODY).encode("utf-8") + " Le ministre a évoqué l'été.".encode("cp1252")
    (tmp_path / "mixed.txt").write_bytes(data)
    got, errors = read([tmp_path / "mixed.txt"])
    assert not errors
    assert "Pékin" in (got[0].title or "") + got[0].text and got[0].text.endswith("évoqué l'été.")
    assert any(f["kind"] == "encoding" and "mixed" not in f["text"] or "Windows-1252" in f["text"]
               for f in got[0].flags)


# -- size limits after decompression, and honest messages -------------------------------------------

def _warc(pages: list[tuple[str, bytes]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for uri, payload in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(payload),
                                                      http_headers=headers))
    return buf.getvalue()


def test_a_warc_bomb_is_refused_by_its_decompressed_size(tmp_path):
    page = f"<html><body><p>{BODY}</p></body></html>".encode()
    bomb = b"<html><body>" + b" " * 8_000_000 + b"</body></html>"
    (tmp_path / "bomb.warc.gz").write_bytes(_warc([("https://a.example/1", page), ("https://a.example/2", bomb)]))
    assert (tmp_path / "bomb.warc.gz").stat().st_size < 200_000
    got, errors = read([tmp_path / "bomb.warc.gz"], max_input_bytes=1_000_000)
    assert [a.source for a in got] == ["https://a.example/1"]
    assert errors and "max_input_bytes" in errors[0].reason


def test_gzip_of_plain_text_is_read_as_text(tmp_path):
    (tmp_path / "note.txt.gz").write_bytes(gzip.compress(("Titre\n\n" + BODY).encode()))
    got, errors = read([tmp_path / "note.txt.gz"])
    assert not errors and "Alger" in got[0].text


def test_a_gzip_bomb_of_text_is_refused(tmp_path):
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a " * 3_000_000))
    got, errors = read([tmp_path / "bomb.txt.gz"], max_input_bytes=1_000_000)
    assert not got and "max_input_bytes" in errors[0].reason


def test_garbage_called_warc_is_not_a_warc(tmp_path):
    (tmp_path / "junk.warc").write_bytes(b"this is not an archive at all\n" * 20)
    got, errors = read([tmp_path / "junk.warc"])
    assert not got and errors[0].reason.startswith("not a WARC archive")
    (tmp_path / "junk2.warc.gz").write_bytes(gzip.compress(b"hello world\n" * 20))
    got, errors = read([tmp_path / "junk2.warc.gz"])
    assert not got and errors[0].reason.startswith("not a WARC archive")


def test_file_urls_are_read(tmp_path):
    (tmp_path / "a.txt").write_text("Titre\n\n" + BODY, encoding="utf-8")
    got, errors = read([(tmp_path / "a.txt").as_uri()])
    assert not errors and "Alger" in got[0].text


# -- symbolic links ---------------------------------------------------------------------------------

def test_links_out_of_an_ingested_folder_are_not_followed(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0 mot de passe très secret qui ne doit jamais être ingéré", encoding="utf-8")
    folder = tmp_path / "crawl"
    folder.mkdir()
    (folder / "ok.txt").write_text("Titre\n\n" + BODY, encoding="utf-8")
    (folder / "shadow.txt").symlink_to(secret)
    (folder / "inner.txt").symlink_to(folder / "ok.txt")
    got, errors = read([folder])
    assert [Path(a.source).name for a in got] == ["ok.txt"]        # inner.txt is ok.txt: read once
    assert [Path(e.source).name for e in errors] == ["shadow.txt"] and "out of the folder" in errors[0].reason
    got, errors = read([folder], follow_symlinks=True)               # asked for
    assert sorted(Path(a.source).name for a in got) == ["ok.txt", "shadow.txt"] and not errors


# -- downloads: size, decompression, deadline -------------------------------------------------------

class _Pages(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        page = f"<html><body><article><p>{BODY}</p></article></body></html>".encode()
        if self.path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b" " * 100_000)
        elif self.path == "/bomb":
            body = gzip.compress(b"<html><body>" + b" " * 5_000_000 + b"</body></html>")
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for b in page:
                self.wfile.write(bytes([b]))
                self.wfile.flush()
                time.sleep(0.3)
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        else:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(page)


@pytest.fixture(scope="module")
def pages():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_downloads_are_limited_after_decompression_and_in_time(pages):
    got, errors = read([f"{pages}/ok", f"{pages}/big", f"{pages}/bomb", f"{pages}/loop"], max_input_bytes=1_000_000)
    assert [a.source for a in got] == [f"{pages}/ok"]
    reasons = {e.source.rsplit("/", 1)[1]: e.reason for e in errors}
    assert "max_input_bytes" in reasons["big"] and "max_input_bytes" in reasons["bomb"]
    assert "redirect" in reasons["loop"]
    t0 = time.monotonic()
    got, errors = read([f"{pages}/slow"], http_timeout=2.0)
    assert time.monotonic() - t0 < 6 and not got and "took more than 2 s" in errors[0].reason


@pytest.mark.model
def test_what_was_read_before_a_failing_url_is_stored(tmp_path, pages):
    (tmp_path / "a.txt").write_text("Titre\n\n" + BODY, encoding="utf-8")
    from veille.workflow import ingest

    with Store(tmp_path / "db.duckdb") as store:
        report = ingest([str(tmp_path / "a.txt"), f"{pages}/slow"], Settings(http_timeout=1.0), store)
        assert report.new == 1 and len(report.errors) == 1
        assert store.counts()["articles"] == 1


# -- the database: read-only readers, clear set-up errors, a full disk ------------------------------

def _hold(db: Path, read_only: bool) -> subprocess.Popen:
    code = (f"import duckdb, sys, time; c = duckdb.connect({str(db)!r}, read_only={read_only}); "
            "print('held', flush=True); time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("small") / "db.duckdb"
    feed = jsonl(db.parent / "a.jsonl", [{"source": "s", "url": "https://s.example/1", "text": BODY,
                                          "published": "2024-05-13"}])
    result = veille("ingest", str(feed), "--db", str(db), "--quiet")
    assert result.returncode == 0, result.stderr
    return db


@pytest.mark.model
def test_readers_share_the_database_with_a_read_only_server(small_db):
    holder = _hold(small_db, read_only=True)
    try:
        for command in ("events", "figures", "conflicts", "series", "copies", "articles"):
            result = veille(command, "--db", str(small_db))
            assert result.returncode == 0, (command, result.stderr)
        result = veille("ingest", str(small_db.parent / "a.jsonl"), "--db", str(small_db), "--quiet")
        assert result.returncode == 2 and "in use by another process" in result.stderr
        assert "Traceback" not in result.stderr
    finally:
        holder.kill()


@pytest.mark.model
def test_readers_get_one_clear_sentence_when_a_writer_holds_the_database(small_db):
    holder = _hold(small_db, read_only=False)
    try:
        result = veille("events", "--db", str(small_db))
        assert result.returncode == 2 and "being written by another process" in result.stderr
        assert "Traceback" not in result.stderr
    finally:
        holder.kill()


def test_reading_a_database_that_is_not_there_creates_nothing(tmp_path):
    result = veille("articles", "--db", str(tmp_path / "typo" / "x.duckdb"))
    assert result.returncode == 2 and "no database at" in result.stderr
    assert not (tmp_path / "typo").exists()


def test_a_read_only_file_system_is_said_plainly(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise duckdb.IOException('IO Error: Cannot open file "x.duckdb": Read-only file system')

    monkeypatch.setattr(duckdb, "connect", refuse)
    with pytest.raises(DatabaseUnavailable, match="file system is read-only"):
        Store(tmp_path / "x.duckdb")


@pytest.mark.model
def test_a_full_disk_names_the_article_and_loses_nothing(tmp_path, monkeypatch):
    from veille.workflow import ingest

    first = jsonl(tmp_path / "a.jsonl", [{"source": "a", "url": "https://a.example/1", "text": BODY}])
    second = jsonl(tmp_path / "b.jsonl", [{"source": "b", "url": "https://b.example/2",
                                           "text": "Ankara et Athènes ont signé mardi un accord sur les migrations."}])
    db = tmp_path / "db.duckdb"
    with Store(db) as store:
        assert ingest([str(first)], Settings(db=db), store).ok
        before = store.counts()

        def full(*args, **kwargs):
            raise duckdb.IOException("IO Error: Could not write file: No space left on device")

        monkeypatch.setattr(Store, "_insert", full)
        report = ingest([str(second)], Settings(db=db), store)
        assert not report.ok
        stored = [e for e in report.errors if e.source == "b"]
        assert stored and "the disk is full" in stored[0].reason
        monkeypatch.undo()
        assert store.counts() == before


# -- strict JSON ------------------------------------------------------------------------------------

@pytest.mark.model
def test_a_400_digit_number_yields_strict_json(tmp_path):
    (tmp_path / "big.txt").write_text("Titre\n\nLe commerce a atteint " + "9" * 400 + " dollars en 2024, selon "
                                      "les douanes.", encoding="utf-8")
    result = veille("extract", str(tmp_path / "big.txt"))
    assert result.returncode == 0, result.stderr

    def refuse(name):
        raise ValueError(f"non-standard JSON constant {name}")

    record = json.loads(result.stdout, parse_constant=refuse)
    assert all(m["value"] < 1e40 for m in record["measurements"])


# -- the server: token first, bodies counted, hosts checked -----------------------------------------

@pytest.fixture()
def writable_api(small_db, tmp_path):
    import shutil

    from veille.api import create_app, running
    from veille.api.app import served_hosts

    db = tmp_path / "w.duckdb"
    shutil.copy(small_db, db)
    app = create_app(db, token="clé-secrète-é", hosts=served_hosts("127.0.0.1"))
    with running(app) as base:
        yield base


def _raw_post(base: str, headers: list[str], chunks: int, chunk_bytes: int = 1_000_000) -> str:
    """A chunked POST written by hand (no Content-Length), sent until the server stops reading;
    the status line of its answer."""
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=30)
    try:
        head = ["POST /api/articles HTTP/1.1", f"Host: {host}", "Content-Type: application/json",
                "Transfer-Encoding: chunked", *headers, "", ""]
        sock.sendall("\r\n".join(head).encode("utf-8"))
        for _ in range(chunks):
            try:
                sock.sendall(f"{chunk_bytes:x}\r\n".encode() + b" " * chunk_bytes + b"\r\n")
            except OSError:
                break              # the server answered and closed: it read no more
        return sock.recv(4096).decode("latin-1").split("\r\n", 1)[0]
    finally:
        sock.close()


@pytest.mark.model
def test_a_chunked_post_without_token_is_refused_before_its_body(writable_api):
    assert " 401 " in _raw_post(writable_api, [], chunks=50)


@pytest.mark.model
def test_a_chunked_post_over_the_cap_is_refused_as_it_arrives(writable_api):
    token = "Authorization: Bearer clé-secrète-é"
    assert " 413 " in _raw_post(writable_api, [token], chunks=40)


@pytest.mark.model
def test_a_non_ascii_token_works_and_concurrent_posts_all_succeed(writable_api):
    def post(i: int) -> int:
        article = {"source": f"c{i}", "url": f"https://c.example/{i}",
                   "text": f"Le Japon et l'Inde ont tenu leur dialogue numéro {i} mardi à Tokyo sur la défense."}
        return httpx.post(f"{writable_api}/api/articles", json={"articles": [article]}, timeout=120,
                          headers={"Authorization": "Bearer clé-secrète-é".encode("utf-8")}).status_code

    results: list[int] = []
    threads = [threading.Thread(target=lambda i=i: results.append(post(i))) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * 8


def test_the_host_header_must_name_this_server(small_db):
    from veille.api import create_app, running
    from veille.api.app import served_hosts

    with running(create_app(small_db, hosts=served_hosts("127.0.0.1"))) as base:
        assert httpx.get(f"{base}/api/meta").status_code == 200
        assert httpx.get(f"{base}/api/meta", headers={"Host": "localhost:8000"}).status_code == 200
        refused = httpx.get(f"{base}/api/meta", headers={"Host": "attacker.example"})
        assert refused.status_code == 400 and "unknown host" in refused.json()["detail"]
    with running(create_app(small_db, hosts=served_hosts("127.0.0.1", ("veille.lan",)))) as base:
        assert httpx.get(f"{base}/api/meta", headers={"Host": "veille.lan"}).status_code == 200


def test_the_token_comes_from_a_file_or_the_environment(small_db, tmp_path):
    exe = Path(sys.executable).with_name("veille")
    (tmp_path / "token").write_text("jeton-de-fichier\n", encoding="utf-8")
    for extra, env, token in ((["--token-file", str(tmp_path / "token")], {}, "jeton-de-fichier"),
                              ([], {"VEILLE_TOKEN": "jeton-env"}, "jeton-env")):
        server = subprocess.Popen([str(exe), "serve", "--db", str(small_db), "--port", "0", *extra],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env={**os.environ, **env})
        try:
            line = server.stdout.readline()
            base = line.split("veille dashboard: ", 1)[1].split()[0].rstrip("/")
            wrong = httpx.post(f"{base}/api/articles", json={"articles": []}, headers={"Authorization": "Bearer no"})
            assert wrong.status_code == 401
            assert token not in " ".join(server.args)
        finally:
            server.terminate()
            server.wait(timeout=10)
