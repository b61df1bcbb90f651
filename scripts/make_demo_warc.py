"""Build the demo web archive ``veille/resources/demo/archive.warc.gz``.

The archive holds what a crawl of two news pages would leave behind: a
``warcinfo`` record, the HTTP request for the first page, the two HTML
responses (articles 023 and 024, read from ``scripts/demo-warc-src/``), and a PNG
image response that ingestion must skip because it is not HTML.

Record ids and dates are fixed, so running the script twice gives the same
records.  Usage::

    .venv/bin/python scripts/make_demo_warc.py [--out PATH]
"""

from __future__ import annotations

import argparse
import io
import struct
import uuid
import zlib
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

DEMO = Path(__file__).resolve().parent.parent / "veille" / "resources" / "demo"

# (source file under scripts/demo-warc-src/, target URI, WARC-Date)
PAGES = [
    (
        "023_voitures-chinoises-russie.html",
        "https://auto-eurasie.example/marches/2024/01/15/023_voitures-chinoises-russie.html",
        "2024-01-15T08:12:40Z",
    ),
    (
        "024_forum-vladivostok.html",
        "https://pacifique-hebdo.example/forums/2024/09/06/024_forum-vladivostok.html",
        "2024-09-06T17:45:03Z",
    ),
]
IMAGE_URI = "https://pacifique-hebdo.example/media/2024/09/logo-forum.png"
IMAGE_DATE = "2024-09-06T17:45:04Z"


def record_id(key: str) -> str:
    """A stable WARC-Record-ID derived from ``key``."""
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'veille-demo:' + key)}>"


def tiny_png() -> bytes:
    """A valid 1x1 grey PNG, built here so the archive needs no binary input."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    pixels = zlib.compress(b"\x00\x80")  # filter byte + one grey pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def http_response(body: bytes, content_type: str, date: str) -> StatusAndHeaders:
    return StatusAndHeaders(
        "200 OK",
        [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("Date", date),
            ("Server", "nginx"),
        ],
        protocol="HTTP/1.1",
    )


def write_response(writer: WARCWriter, uri: str, body: bytes, content_type: str, date: str) -> None:
    """Write the HTTP response record that served `body` from `uri` on `date`."""
    response = writer.create_warc_record(
        uri,
        "response",
        payload=io.BytesIO(body),
        http_headers=http_response(body, content_type, date),
        warc_headers_dict={"WARC-Record-ID": record_id("response:" + uri), "WARC-Date": date},
    )
    writer.write_record(response)


def build(out: Path) -> None:
    with out.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="WARC/1.1")

        info = writer.create_warcinfo_record(
            out.name,
            {
                "software": "veille scripts/make_demo_warc.py (warcio)",
                "format": "WARC File Format 1.1",
                "description": "Demo crawl of two French news pages about Russia-China relations",
                "isPartOf": "veille-demo",
            },
        )
        info.rec_headers.replace_header("WARC-Record-ID", record_id("warcinfo"))
        info.rec_headers.replace_header("WARC-Date", PAGES[0][2])
        writer.write_record(info)

        for name, uri, date in PAGES:
            body = (Path(__file__).resolve().parent / "demo-warc-src" / name).read_bytes()
            if uri == PAGES[0][1]:
                path = uri.split("/", 3)[3]
                host = uri.split("/")[2]
                request = writer.create_warc_record(
                    uri,
                    "request",
                    payload=io.BytesIO(b""),
                    http_headers=StatusAndHeaders(
                        f"GET /{path} HTTP/1.1",
                        [("Host", host), ("User-Agent", "veille-demo-crawler/0.1"), ("Accept", "text/html")],
                        is_http_request=True,
                    ),
                    warc_headers_dict={"WARC-Record-ID": record_id("request:" + uri), "WARC-Date": date},
                )
                writer.write_record(request)
            write_response(writer, uri, body, "text/html; charset=utf-8", date)

        write_response(writer, IMAGE_URI, tiny_png(), "image/png", IMAGE_DATE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEMO / "archive.warc.gz")
    args = parser.parse_args()
    build(args.out)


if __name__ == "__main__":
    main()
