"""Fake arXiv and DBLP servers on 127.0.0.1, answering in the real formats from real papers.

The arXiv fake answers Atom as export.arxiv.org does: an ``opensearch:totalResults`` header,
entries whose ids carry a version, titles and abstracts wrapped with a newline and two spaces,
``arxiv:primary_category``, ``arxiv:comment``, ``arxiv:journal_ref`` and ``arxiv:doi``. It reads
``search_query`` (``ti:"phrase"`` or ``ti:word OR ti:word``) and ``id_list``. The DBLP fake answers
``/search/publ/api?q=...&format=json&h=N`` in DBLP's JSON shape: a paper's CoRR copy next to its
venue, a single author as an object, disambiguation numbers, and no ``hit`` key without hits.

Each server can be told, per test, to fail: ``server.queue`` holds behaviours for the next
requests (``"500"``, ``"429"``, ``"503"``, ``"hang"``, ``"malformed"``), ``server.default`` the
behaviour after that. ``closed_port_url()`` gives a URL where nothing listens.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

from .real_papers import PAPERS, RealPaper


def words(text: str) -> list[str]:
    """Lower-case words, as both search engines tokenise titles."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.findall(r"[^\W_]+", folded)


def wrap(text: str, indent: str = "  ") -> str:
    """arXiv's line wrapping: a newline and two spaces every 70 characters or so."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) > 70:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return f"\n{indent}".join([*lines, line])


# --- arXiv -----------------------------------------------------------------------------------


def arxiv_matches(query: str, id_list: str) -> list[RealPaper]:
    """The papers arXiv would return for a search_query and id_list."""
    if id_list:
        wanted = {re.sub(r"v\d+$", "", i) for i in id_list.split(",")}
        return [p for p in PAPERS if re.sub(r"v\d+$", "", p.arxiv_id) in wanted]
    phrase = re.fullmatch(r'ti:"([^"]*)"', query)
    if phrase:
        needle = " ".join(words(phrase.group(1)))
        return [p for p in PAPERS if needle and f" {needle} " in f" {' '.join(words(p.title))} "]
    terms = [t.removeprefix("ti:") for t in query.split(" OR ") if t.startswith("ti:")]
    scored = [(sum(t in words(p.title) for t in terms), p) for p in PAPERS]
    return [p for count, p in sorted(scored, key=lambda s: -s[0]) if count]


def atom_entry(paper: RealPaper) -> str:
    """One ``<entry>`` as arXiv writes it."""
    ns = 'xmlns:arxiv="http://arxiv.org/schemas/atom"'
    parts = [
        f"<id>http://arxiv.org/abs/{paper.arxiv_id}</id>",
        f"<updated>{paper.updated}</updated>",
        f"<published>{paper.published}</published>",
        f"<title>{escape(wrap(paper.title))}</title>",
        f"<summary>  {escape(wrap(paper.summary))}\n</summary>",
        *(f"<author>\n      <name>{escape(a)}</name>\n    </author>" for a in paper.authors),
    ]
    if paper.doi:
        parts.append(f"<arxiv:doi {ns}>{escape(paper.doi)}</arxiv:doi>")
    if paper.comment:
        parts.append(f"<arxiv:comment {ns}>{escape(wrap(paper.comment))}</arxiv:comment>")
    if paper.journal_ref:
        parts.append(f"<arxiv:journal_ref {ns}>{escape(paper.journal_ref)}</arxiv:journal_ref>")
    parts += [
        f'<link href="http://arxiv.org/abs/{paper.arxiv_id}" rel="alternate" type="text/html"/>',
        f'<link title="pdf" href="http://arxiv.org/pdf/{paper.arxiv_id}" rel="related" '
        'type="application/pdf"/>',
        f'<arxiv:primary_category {ns} term="{paper.primary}" '
        'scheme="http://arxiv.org/schemas/atom"/>',
        f'<category term="{paper.primary}" scheme="http://arxiv.org/schemas/atom"/>',
    ]
    return "  <entry>\n    " + "\n    ".join(parts) + "\n  </entry>\n"


def atom_feed(query_text: str, papers: list[RealPaper], start: int, size: int) -> bytes:
    """A whole answer: the feed header with opensearch counts, then the entries."""
    opensearch = 'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"'
    page = papers[start : start + size]
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f'  <link href={quoteattr("http://arxiv.org/api/query?" + query_text)} rel="self" '
        'type="application/atom+xml"/>\n'
        f'  <title type="html">ArXiv Query: {escape(query_text)}</title>\n'
        "  <id>http://arxiv.org/api/3e0Zb8nGkDmzm1Bv8nfPVqaHZMo</id>\n"
        "  <updated>2025-03-20T00:00:00-04:00</updated>\n"
        f"  <opensearch:totalResults {opensearch}>{len(papers)}</opensearch:totalResults>\n"
        f"  <opensearch:startIndex {opensearch}>{start}</opensearch:startIndex>\n"
        f"  <opensearch:itemsPerPage {opensearch}>{size}</opensearch:itemsPerPage>\n"
    )
    return (head + "".join(atom_entry(p) for p in page) + "</feed>\n").encode()


# --- DBLP ------------------------------------------------------------------------------------


def dblp_answer(q: str, h: int) -> bytes:
    """DBLP's JSON for a query: every record whose title has all the query's words."""
    terms = words(q)
    infos = [
        i for p in PAPERS for i in p.dblp if terms and all(t in words(i["title"]) for t in terms)
    ]
    hits: dict[str, Any] = {
        "@total": str(len(infos)),
        "@computed": str(len(infos)),
        "@sent": str(min(len(infos), h)),
        "@first": "0",
    }
    if infos:  # With no hits, DBLP leaves the `hit` key out entirely.
        hits["hit"] = [
            {"@score": "10", "@id": str(n), "info": info, "url": f"URL#{n}"}
            for n, info in enumerate(infos[:h])
        ]
    result = {
        "query": f"{q}*",
        "status": {"@code": "200", "text": "OK"},
        "time": {"@unit": "msecs", "text": "1.23"},
        "completions": {"@total": "0", "@computed": "0", "@sent": "0"},
        "hits": hits,
    }
    return json.dumps({"result": result}).encode()


# --- the servers ------------------------------------------------------------------------------


class FakeServer:
    """A loopback HTTP server whose answers a test can script."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.queue: list[str] = []
        self.default = "ok"
        self.requests: list[tuple[float, dict[str, str]]] = []
        self.user_agents: list[str] = []
        self.stop = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        path = "/api/query" if kind == "arxiv" else "/search/publ/api"
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.answer(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def behaviour(self) -> str:
        return self.queue.pop(0) if self.queue else self.default

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        split = urlsplit(handler.path)
        params = {k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        self.requests.append((time.monotonic(), params))
        self.user_agents.append(handler.headers.get("User-Agent", ""))
        behaviour = self.behaviour()
        if behaviour == "hang":
            self.stop.wait(10)
            return
        if behaviour in ("429", "503"):
            self.send(handler, int(behaviour), b"slow down", {"Retry-After": "1"})
        elif behaviour == "500":
            self.send(handler, 500, b"<html>Internal Server Error</html>")
        elif behaviour == "malformed":
            broken = b"<feed><entry><title>broken" if self.kind == "arxiv" else b'{"result": {"hits'
            self.send(handler, 200, broken)
        elif self.kind == "arxiv":
            self.send(handler, 200, self.arxiv(split.query, params))
        else:
            self.send(handler, 200, dblp_answer(params.get("q", ""), int(params.get("h", "30"))))

    def arxiv(self, query_text: str, params: dict[str, str]) -> bytes:
        found = arxiv_matches(params.get("search_query", ""), params.get("id_list", ""))
        start, size = int(params.get("start", "0")), int(params.get("max_results", "10"))
        return atom_feed(query_text, found, start, size)

    def send(
        self,
        handler: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        headers: dict[str, str] | None = None,
    ) -> None:
        kind = "application/atom+xml" if self.kind == "arxiv" else "application/json"
        handler.send_response(status)
        handler.send_header("Content-Type", f"{kind}; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)

    def queries(self) -> list[dict[str, str]]:
        """The parameters of every request so far."""
        return [params for _, params in self.requests]


@contextmanager
def running(kind: str) -> Iterator[FakeServer]:
    """A fake server of ``kind`` (``arxiv`` or ``dblp``), serving in a thread."""
    server = FakeServer(kind)
    thread = threading.Thread(target=server.httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        server.httpd.shutdown()
        server.httpd.server_close()


def closed_port_url(path: str = "/api/query") -> str:
    """A loopback URL where nothing listens: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"
