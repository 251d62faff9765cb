"""A mock Liferay portal on 127.0.0.1: the markup of ``tests/fixtures/site/*.html``, real HTTP.

    with MockPortal.from_fixtures() as portal:          # seed + every dev/*.json notice
        portal.base_url                                  # "http://127.0.0.1:PORT"
        portal.inject(portal.listing_path(cat), Fault.error(503, retry_after="2"))
        ... crawl ...
        portal.paths()                                   # every path+query requested, in order

Routes (as on the real site, as far as it is known):
    /robots.txt                                             ``robots_txt`` (or ``robots_status``)
    /                                                       home: the category menu + register link
    /danh-sach-tin/-/view-category/1/{categoryId}?cur=N     listing, ``per_page`` items, newest first
    /chi-tiet-tin/-/view-article/1/{categoryId}/{articleId} article
    /van-ban-chi-dao-dieu-hanh?cur=N                        the register table

Content hooks: ``add_article``, ``change_article``, ``off_site_links`` (links to other hosts put
among the articles of every listing page). Concurrency: ``meter`` counts the requests in progress
per host (share one ``HostMeter`` between portals on one host), ``latency`` holds each request open
that long, and ``on_request(path)`` runs as each request arrives (a test can make two portals wait
for each other). Faults (``inject(path, Fault...)``) replace or damage the response of one
path (with query, or without to hit every page of it) for ``times`` requests (None: always):
``Fault.error`` (503 + Retry-After, 500, 429...), ``Fault.not_found``, ``Fault.truncated``, ``Fault.stall``,
``Fault.reset`` (the connection dropped before the headers or in the middle of the body),
``Fault.redirect`` (another host, a loop), ``Fault.oversized``, ``Fault.encoded`` (windows-1258
declared only in <meta>, or a UTF-8 BOM), ``Fault.gzip`` (Content-Encoding: gzip), ``Fault.raw``
(any bytes). ``faults_served`` counts the responses a fault replaced or damaged. Extend by adding a
Fault kind and a branch in ``_Handler._apply``.
"""
from __future__ import annotations

import gzip
import json
import socket
import struct
import threading
import time
from dataclasses import dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, urlsplit

from . import portal_pages as pages  # the page templates, kept apart from the machinery
from .portal_faults import Fault, encode_cp1258  # noqa: F401 (re-exported: tests import them from here)

FIXTURES = Path(__file__).parent / "fixtures"
SEED_ARTICLE_ID = "1724300000003"  # the id the sample listing gives the seed notice

CATEGORIES = {  # the menu of the sample pages
    "1663228888101": "Tin hoạt động",
    "1663228888354": "Cải cách hành chính",
    "1663228888412": "Đưa nghị quyết của Đảng vào cuộc sống",
    "1663228888530": "Thông báo",
}


@dataclass
class PortalArticle:
    article_id: str
    category_id: str
    title: str
    paragraphs: list[str]  # a "\n" inside a paragraph is rendered as <br>
    published: date

    @property
    def body(self) -> str:
        """The body text a correct parser must return: non-blank paragraphs, blank-line separated."""
        return "\n\n".join(p.strip() for p in self.paragraphs if p.strip())


@dataclass
class RegisterRow:
    number: str
    issued: date
    doc_type: str
    summary: str
    document_id: str


class HostMeter:
    """Requests in progress per host, and the most ever at once: what politeness is about.

    A request counts from its arrival until just before its response is written, so the next
    request of a polite client (sent after reading the response) can never overlap it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.active: dict[str, int] = {}
        self.peak: dict[str, int] = {}

    def enter(self, host: str) -> None:
        with self._lock:
            self.active[host] = self.active.get(host, 0) + 1
            self.peak[host] = max(self.peak.get(host, 0), self.active[host])

    def leave(self, host: str) -> None:
        with self._lock:
            self.active[host] -= 1


@dataclass
class Seen:
    path: str  # path and query
    user_agent: str


class MockPortal:
    def __init__(self, per_page: int = 2, register_per_page: int = 3, gzip_bodies: bool = False,
                 meter: HostMeter | None = None) -> None:
        self.meter = meter or HostMeter()
        self.latency = 0.0  # seconds each request is held open (makes overlaps observable)
        self.on_request: Callable[[str], None] | None = None
        self.per_page = per_page
        self.register_per_page = register_per_page
        self.gzip_bodies = gzip_bodies
        self.categories = dict(CATEGORIES)
        self.articles: dict[str, PortalArticle] = {}
        self.register: list[RegisterRow] = []
        self.robots_txt = "User-agent: *\nDisallow: /private/\n"
        self.robots_status = 200
        self.off_site_links: list[str] = []
        # A redesign of the article pages: CSS classes renamed ({"news-detail": "art-view"}), so the
        # profile's selectors miss and the generic fallback must read them.
        self.renamed_classes: dict[str, str] = {}
        self.log: list[Seen] = []
        self.faults_served = 0  # responses a fault replaced or damaged
        self._faults: dict[str, list[Fault]] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()  # ends stalls when the portal stops
        self._server: ThreadingHTTPServer | None = None

    # --- content ---------------------------------------------------------------------------

    @classmethod
    def from_fixtures(cls, fixtures: Path = FIXTURES, **kwargs: object) -> MockPortal:
        """The seed notice and every gold notice, spread over the categories, plus a register."""
        portal = cls(**kwargs)  # type: ignore[arg-type]
        rotation = ["1663228888101", "1663228888354", "1663228888530"]
        for i, path in enumerate(sorted((fixtures / "dev").glob("*.json"))):
            notice = json.loads(path.read_text(encoding="utf-8"))
            title, _, rest = notice["text"].partition("\n")
            if notice["id"].startswith("seed"):
                article_id, category_id = SEED_ARTICLE_ID, "1663228888354"
            elif "nghi-quyet" in notice["id"]:
                article_id, category_id = str(1700000000100 + i), "1663228888412"
            else:
                article_id, category_id = str(1700000000100 + i), rotation[i % len(rotation)]
            portal.add_article(title.strip(), rest.strip("\n").split("\n\n"),
                               date.fromisoformat(notice["published"]), category_id, article_id)
        rows = [("844/SKHCN-VP", "2024-08-13", "Công văn", "V/v triển khai thực hiện Quyết định của UBND tỉnh Quảng Trị về đánh giá, chấm điểm chỉ số cải cách hành chính"),
                ("75/KH-SKHCN", "2024-07-31", "Kế hoạch", "Kiểm tra công tác cải cách hành chính tại các phòng, đơn vị của Sở Khoa học và Công nghệ năm 2024"),
                ("20/TB-SKHCN", "2024-02-22", "Thông báo", "Ý kiến Kết luận của Giám đốc Sở tại buổi làm việc triển khai biện pháp khắc phục tồn tại, hạn chế công tác CCHC"),
                ("07/TB-SKHCN", "2024-01-29", "Thông báo", "Ý kiến Kết luận của Giám đốc Sở về công tác CCHC năm 2024"),
                ("15/KH-SKHCN", "2024-01-12", "Kế hoạch", "Khắc phục các tiêu chí đánh giá chấm điểm chỉ số CCHC năm 2023"),
                ("97/KH-SKHCN", "2023-12-28", "Kế hoạch", "Cải cách hành chính năm 2024")]
        for i, (number, issued, doc_type, summary) in enumerate(rows):
            portal.register.append(RegisterRow(number, date.fromisoformat(issued), doc_type, summary, str(1723500000101 + i)))
        return portal

    def add_article(self, title: str, paragraphs: list[str], published: date, category_id: str,
                    article_id: str | None = None) -> PortalArticle:
        with self._lock:
            article_id = article_id or str(1800000000000 + len(self.articles))
            article = PortalArticle(article_id, category_id, title, list(paragraphs), published)
            self.articles[article_id] = article
            return article

    def change_article(self, article_id: str, *, title: str | None = None, paragraphs: list[str] | None = None) -> None:
        with self._lock:
            article = self.articles[article_id]
            article.title = title if title is not None else article.title
            article.paragraphs = list(paragraphs) if paragraphs is not None else article.paragraphs

    def listing(self, category_id: str) -> list[PortalArticle]:
        """A category's articles, newest first (the order a listing shows them)."""
        items = [a for a in self.articles.values() if a.category_id == category_id]
        return sorted(items, key=lambda a: (a.published, a.article_id), reverse=True)

    # --- paths -----------------------------------------------------------------------------

    @staticmethod
    def article_path(article: PortalArticle) -> str:
        return f"/chi-tiet-tin/-/view-article/1/{article.category_id}/{article.article_id}"

    @staticmethod
    def listing_path(category_id: str, page: int = 1) -> str:
        path = f"/danh-sach-tin/-/view-category/1/{category_id}"
        return path if page == 1 else f"{path}?cur={page}"

    @staticmethod
    def register_path(page: int = 1) -> str:
        return "/van-ban-chi-dao-dieu-hanh" if page == 1 else f"/van-ban-chi-dao-dieu-hanh?cur={page}"

    def pages_of(self, category_id: str) -> int:
        return max(1, -(-len(self.listing(category_id)) // self.per_page))

    # --- server ----------------------------------------------------------------------------

    @property
    def host(self) -> str:
        assert self._server is not None, "portal not started"
        return self._server.server_address[0]

    @property
    def base_url(self) -> str:
        assert self._server is not None, "portal not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self, port: int = 0, host: str = "127.0.0.1") -> MockPortal:
        """Serve on ``host`` (any 127.x.y.z is loopback on Linux: distinct hosts, distinct sites)."""
        self._stopping.clear()
        handler = type("BoundHandler", (_Handler,), {"portal": self})
        self._server = _QuietServer((host, port), handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> MockPortal:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- faults and the request log -----------------------------------------------------------

    def inject(self, path: str, fault: Fault) -> None:
        """Apply ``fault`` to requests of ``path`` (exact path+query, or a bare path for all queries)."""
        with self._lock:
            self._faults.setdefault(path, []).append(fault)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def take_fault(self, path_and_query: str) -> Fault | None:
        with self._lock:
            for key in (path_and_query, urlsplit(path_and_query).path):
                faults = self._faults.get(key)
                if faults:
                    fault = faults[0]
                    self.faults_served += 1
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            faults.pop(0)
                    return fault
        return None

    def paths(self) -> list[str]:
        with self._lock:
            return [seen.path for seen in self.log]

    def count(self, path: str) -> int:
        return self.paths().count(path)

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()

    # --- pages -------------------------------------------------------------------------------

    def render(self, path_and_query: str) -> tuple[int, str]:
        """(status, html) of a route, or (404, ...)."""
        parts = urlsplit(path_and_query)
        path = parts.path.removeprefix("/vi") or "/"
        page = int(parse_qs(parts.query).get("cur", ["1"])[0] or 1)
        with self._lock:
            if path in ("/", "/trang-chu"):
                return 200, pages.home(self)
            if path.startswith("/danh-sach-tin/-/view-category/1/"):
                category_id = path.rsplit("/", 1)[-1]
                if category_id in self.categories and 1 <= page <= self.pages_of(category_id):
                    return 200, pages.listing(self, category_id, page)
            if path.startswith("/chi-tiet-tin/-/view-article/1/"):
                article = self.articles.get(path.rsplit("/", 1)[-1])
                if article is not None and path == self.article_path(article):
                    html = pages.article(self, article)
                    for old, new in self.renamed_classes.items():
                        html = html.replace(f'class="{old}"', f'class="{new}"')
                    return 200, html
            if path == "/van-ban-chi-dao-dieu-hanh":
                return 200, pages.register(self, page)
        return 404, pages.not_found()


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that timed out on a stalled page closes its socket: expected, not news


class _Handler(BaseHTTPRequestHandler):
    portal: MockPortal
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms ACK stall

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        portal = self.portal
        self._host = portal.host
        portal.meter.enter(self._host)
        self._counted = True
        try:
            if portal.on_request is not None:
                portal.on_request(self.path)
            if portal.latency:
                time.sleep(portal.latency)
            self._serve()
        finally:
            self._answered()

    def _answered(self) -> None:
        """The request stops counting as in progress (before the response goes out)."""
        if getattr(self, "_counted", False):
            self._counted = False
            self.portal.meter.leave(self._host)

    def _serve(self) -> None:
        portal = self.portal
        with portal._lock:
            portal.log.append(Seen(self.path, self.headers.get("User-Agent", "")))
        fault = portal.take_fault(self.path)
        if urlsplit(self.path).path == "/robots.txt" and fault is None:
            body = portal.robots_txt.encode("utf-8") if portal.robots_status == 200 else b"error"
            return self._send(portal.robots_status, body, "text/plain; charset=utf-8")
        if fault is not None and self._apply(fault):
            return
        status, page = portal.render(self.path)
        self._send(status, page.encode("utf-8"), "text/html; charset=utf-8")

    def _apply(self, fault: Fault) -> bool:
        """Serve ``fault``; True when the response is done, False to go on with the normal page."""
        if fault.kind == "status":
            self._send(fault.status, f"<html><body>HTTP {fault.status}</body></html>".encode(), "text/html", fault.headers)
        elif fault.kind == "redirect":
            self._send(fault.status, b"", "text/html", {"Location": fault.location})
        elif fault.kind == "raw":
            self._send(fault.status, fault.body, fault.headers["Content-Type"])
        elif fault.kind == "stall":
            self.portal._stopping.wait(fault.seconds)
            return False
        elif fault.kind == "reset" and not fault.declare_length:
            self._reset()
        else:
            status, page = self.portal.render(self.path)
            if fault.kind in ("truncate", "reset"):
                body = page.encode("utf-8")
                self._answered()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                if fault.kind == "reset":
                    self._reset()
            elif fault.kind == "gzip":
                self._send(status, page.encode("utf-8"), "text/html; charset=utf-8", compress=True)
            elif fault.kind == "oversize":
                body = page.encode("utf-8")
                body = body.replace(b"</body>", b"<!--" + b"x" * max(0, fault.size - len(body)) + b"--></body>")
                self._send(status, body, "text/html; charset=utf-8", length=fault.declare_length)
            elif fault.kind == "encode":
                if fault.bom:
                    body = b"\xef\xbb\xbf" + _undeclared(page).encode("utf-8")
                else:
                    declared = page.replace("charset=utf-8", f"charset={_label(fault.encoding)}")
                    body = encode_cp1258(declared) if fault.encoding == "cp1258" else declared.encode(fault.encoding)
                self._send(status, body, "text/html")
            else:
                raise ValueError(f"unknown fault kind {fault.kind!r}")
        return True

    def _reset(self) -> None:
        """Close the socket with RST instead of FIN (SO_LINGER 0): what a crashed server or a
        middlebox dropping the connection looks like to the client."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None,
              length: bool = True, compress: bool = False) -> None:
        self._answered()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        gzip_ok = "gzip" in self.headers.get("Accept-Encoding", "")
        if (compress or self.portal.gzip_bodies and gzip_ok) and body:
            body = gzip.compress(body)
            self.send_header("Content-Encoding", "gzip")
        if length:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.close_connection = True  # the body ends when the connection does
        self.end_headers()
        self.wfile.write(body)


def _label(encoding: str) -> str:
    return {"cp1258": "windows-1258"}.get(encoding, encoding)


def _undeclared(page: str) -> str:
    """The page without its <meta> charset declaration."""
    return page.replace('<meta content="text/html; charset=utf-8" http-equiv="content-type" />\n', "")
