"""Polite HTTP for one portal: ``Fetcher(base_url).get(url) -> FetchedPage``.

What it guarantees, whatever the server does:
- only the base URL's host is ever requested: redirects are followed by hand, one hop at a time,
  and a hop to another host, to a private address or round a loop is refused before it is made;
- robots.txt is read once per host through this same fetcher and obeyed;
- at least ``delay`` seconds pass between the end of one request and the start of the next;
- 5xx, 429, timeouts, broken connections and truncated bodies are retried with exponential
  backoff, honouring ``Retry-After``;
- a body larger than ``max_bytes`` is refused without being read to the end;
- every attempt is counted (``requests_made``) and logged (``log``), so tests and the run summary
  see exactly what the server saw.

The retry loop is ours rather than urllib3's ``Retry``: a truncated body only shows while we
stream it (after urllib3 has returned), every attempt must be counted and pass the politeness
delay, and each redirect hop must go through the host guard.
"""
from __future__ import annotations

import email.utils
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Iterator
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import requests

from .config import DEFAULT_DELAY, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, USER_AGENT
from .models import FetchedPage, FetchFailure
from .urls import absolute, host_key, is_private_address, same_host

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ROBOTS_PATH = "/robots.txt"
MAX_CRAWL_DELAY = 60.0  # a robots.txt Crawl-delay above this is read as this


class FetchError(Exception):
    """A page that could not be fetched; ``reason`` is one human-readable line."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status

    def to_failure(self, kind: str | None = None) -> FetchFailure:
        return FetchFailure(url=self.url, reason=self.reason, status=self.status, kind=kind, at=utc_now())


@dataclass
class RequestRecord:
    """One request as it went on the wire."""

    url: str
    status: int | None  # None when no response came (timeout, refused connection)
    outcome: str  # "ok", "redirect", "retry: ...", "error: ..."


class _Retryable(Exception):
    def __init__(self, reason: str, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after


@dataclass
class _Redirect:
    location: str
    status: int


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date); None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class Fetcher:
    def __init__(
        self,
        base_url: str,
        delay: float = DEFAULT_DELAY,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        user_agent: str = USER_AGENT,
        *,
        retries: int = 3,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        max_retry_after: float = 120.0,
        max_redirects: int = 5,
        obey_robots: bool = True,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if host_key(base_url) is None:
            raise ValueError(f"base URL must be http(s) with a host: {base_url!r}")
        self.base_url = base_url
        self.delay = delay
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.user_agent = user_agent
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self.max_redirects = max_redirects
        self.obey_robots = obey_robots
        self.session = session or requests.Session()
        self.session.headers.update(
            {"User-Agent": user_agent, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
             "Accept-Language": "vi,en;q=0.5"}
        )
        self._sleep = sleep
        self._clock = clock
        self._last_end: dict[tuple[str, int], float] = {}
        self._robots: dict[tuple[str, int], RobotFileParser] = {}
        self.robots_problem: dict[tuple[str, int], str] = {}  # why a host's robots.txt was not read
        self.log: list[RequestRecord] = []

    @property
    def requests_made(self) -> int:
        return len(self.log)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- public ------------------------------------------------------------------------

    def get(self, url: str) -> FetchedPage:
        """Fetch one page of the base host, following same-host redirects. Raises FetchError."""
        self._check_target(url, url)
        current, seen = url, {url}
        for _ in range(self.max_redirects + 1):
            result = self._with_retries(current)
            if isinstance(result, FetchedPage):
                result.url = url
                return result
            target = absolute(result.location, current)
            if target is None:
                raise FetchError(url, f"redirect to a non-http location refused: {result.location!r}", result.status)
            self._check_target(url, target, result.status)
            if target in seen:
                raise FetchError(url, f"redirect loop at {target}", result.status)
            seen.add(target)
            current = target
        raise FetchError(url, f"too many redirects (more than {self.max_redirects})")

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's host lets us fetch it (reads robots.txt once)."""
        if not self.obey_robots or urlsplit(url).path == ROBOTS_PATH:
            return True
        return self._robots_for(url).can_fetch(self.user_agent, url)

    # --- host guard and robots ---------------------------------------------------------

    def _check_target(self, asked: str, target: str, status: int | None = None) -> None:
        host = urlsplit(target).hostname or ""
        if not same_host(target, self.base_url):
            # Private addresses get their own reason: a redirect there is an SSRF attempt, not a move.
            what = "a private address" if is_private_address(host) else "another host"
            raise FetchError(asked, f"refused: {target} is on {what} ({host or 'no host'})", status)
        if not self.allowed(target):
            problem = self.robots_problem.get(host_key(target) or ("", 0))
            why = f"robots.txt unavailable ({problem}), not crawling this host" if problem else "disallowed by robots.txt"
            raise FetchError(asked, why, status)

    def _robots_for(self, url: str) -> RobotFileParser:
        key = host_key(url)
        assert key is not None
        if key not in self._robots:
            parts = urlsplit(url)
            robots_url = urlunsplit((parts.scheme, parts.netloc, ROBOTS_PATH, "", ""))
            parser = RobotFileParser(robots_url)
            # While robots.txt itself is being fetched (and maybe redirected on the same host),
            # the host counts as allowed; the real rules replace this below.
            parser.allow_all = True
            self._robots[key] = parser
            try:
                page = self.get(robots_url)
                parser.allow_all = False
                parser.parse(page.body.decode("utf-8", "replace").splitlines())
            except FetchError as err:
                parser.allow_all = False
                if err.status in (401, 403):
                    parser.disallow_all = True  # the host refuses us: take it as "keep out"
                    self.robots_problem[key] = err.reason
                elif err.status is not None and 400 <= err.status < 500:
                    parser.allow_all = True  # no robots.txt: everything is allowed
                else:
                    # 5xx or unreachable: RFC 9309 says assume complete disallow. We do, for this
                    # run only; the next run asks again. A server too sick to serve robots.txt is
                    # too sick to crawl, and the run records a clear failure instead of crashing.
                    parser.disallow_all = True
                    self.robots_problem[key] = err.reason
                parser.modified()
            crawl_delay = parser.crawl_delay(self.user_agent)
            if crawl_delay:
                self.delay = max(self.delay, min(float(crawl_delay), MAX_CRAWL_DELAY))
        return self._robots[key]

    # --- one URL, with retries ---------------------------------------------------------

    def _with_retries(self, url: str) -> FetchedPage | _Redirect:
        for attempt in range(self.retries + 1):
            try:
                return self._request(url)
            except _Retryable as err:
                attempts = attempt + 1
                if attempts > self.retries:
                    raise FetchError(url, f"{err.reason}; gave up on {url} after {attempts} attempts",
                                     err.status) from None
                if err.retry_after is not None:
                    if err.retry_after > self.max_retry_after:
                        # Waiting longer would stall the run; asking sooner would be rude. Give up
                        # on this page now: it is recorded and retried by the next run.
                        raise FetchError(
                            url, f"{err.reason}; server asked to wait {err.retry_after:.0f} s "
                            f"(more than {self.max_retry_after:.0f} s), retry next run", err.status,
                        ) from None
                    wait = err.retry_after
                else:
                    wait = min(self.backoff * 2**attempt, self.max_backoff)
                if wait > 0:
                    self._sleep(wait)
        raise AssertionError("unreachable")

    def _request(self, url: str) -> FetchedPage | _Redirect:
        key = host_key(url)
        assert key is not None
        self._wait_politely(key)
        status: int | None = None
        outcome = "error"
        try:
            try:
                resp = self.session.get(url, stream=True, allow_redirects=False, timeout=self.timeout)
            except requests.Timeout as err:
                outcome = "retry: timed out"
                what = "no connection" if isinstance(err, requests.ConnectTimeout) else "no answer"
                raise _Retryable(f"timed out: {what} from {_where(url)} within {self.timeout:g} s") from None
            except requests.ConnectionError as err:
                outcome = "retry: connection failed"
                raise _Retryable(connection_problem(err, url)) from None
            except requests.RequestException as err:
                outcome = f"error: {_short(err)}"
                raise FetchError(url, f"request failed: {_short(err)}") from None
            with resp:
                status = resp.status_code
                result, outcome = self._handle(url, resp)
                return result
        except _Retryable as err:
            if not outcome.startswith("retry"):
                outcome = f"retry: {err.reason}"
            raise
        except FetchError as err:
            outcome = f"error: {err.reason}"
            raise
        finally:
            self._last_end[key] = self._clock()
            self.log.append(RequestRecord(url=url, status=status, outcome=outcome))

    def _handle(self, url: str, resp: requests.Response) -> tuple[FetchedPage | _Redirect, str]:
        status = resp.status_code
        if status in REDIRECT_STATUSES:
            location = resp.headers.get("Location")
            if not location:
                raise FetchError(url, f"HTTP {status} redirect without a Location", status)
            return _Redirect(location, status), "redirect"
        if status == 429 or 500 <= status < 600:
            raise _Retryable(f"HTTP {status} {resp.reason or ''}".strip(), status,
                             parse_retry_after(resp.headers.get("Retry-After")))
        if status in (404, 410):
            raise FetchError(url, "not found (deleted?)", status)
        if not 200 <= status < 300:
            raise FetchError(url, f"HTTP {status} {resp.reason or ''}".strip(), status)
        body = self._read_body(url, resp)
        page = FetchedPage(url=url, final_url=url, status=status, headers=dict(resp.headers),
                           body=body, fetched_at=utc_now())
        return page, "ok"

    def _read_body(self, url: str, resp: requests.Response) -> bytes:
        status = resp.status_code
        declared = resp.headers.get("Content-Length", "").strip()
        expected = int(declared) if declared.isdigit() else None
        if expected is not None and expected > self.max_bytes:
            raise FetchError(url, f"page too large: {expected} bytes declared (limit {self.max_bytes})", status)
        chunks: list[bytes] = []
        total = 0
        # A server that trickles bytes never trips the per-read timeout; bound the whole body too.
        deadline = self._clock() + 3 * self.timeout
        try:
            for chunk in resp.iter_content(chunk_size=64 * 1024):
                total += len(chunk)
                if total > self.max_bytes:
                    raise FetchError(url, f"page too large: more than {self.max_bytes} bytes (limit)", status)
                chunks.append(chunk)
                if self._clock() > deadline:
                    raise _Retryable(f"body too slow (over {3 * self.timeout:.0f} s)", status)
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as err:
            raise _Retryable(f"truncated body: {_short(err)}", status) from None
        except (requests.ConnectionError, requests.Timeout) as err:
            raise _Retryable(f"connection broken while reading: {_short(err)}", status) from None
        body = b"".join(chunks)
        # urllib3 already checks Content-Length; check again for the identity case in case a
        # transport layer does not (the length then refers to exactly these bytes).
        if expected is not None and not resp.headers.get("Content-Encoding") and len(body) < expected:
            raise _Retryable(f"truncated body: {len(body)} of {expected} bytes", status)
        return body

    def _wait_politely(self, key: tuple[str, int]) -> None:
        last = self._last_end.get(key)
        if last is not None and self.delay > 0:
            wait = self.delay - (self._clock() - last)
            if wait > 0:
                self._sleep(wait)


def _where(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.hostname} port {port}"


def _causes(err: BaseException) -> Iterator[BaseException]:
    """The error and what lies under it: requests wraps urllib3, which wraps the socket's error
    (in ``__cause__``, ``__context__``, ``args`` or a ``MaxRetryError``'s ``reason``)."""
    seen: set[int] = set()
    todo: list[object] = [err]
    while todo:
        e = todo.pop(0)
        if not isinstance(e, BaseException) or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo += [e.__cause__, e.__context__, getattr(e, "reason", None), *e.args]


def connection_problem(err: requests.ConnectionError, url: str) -> str:
    """A sentence for a connection that never gave an HTTP answer, instead of urllib3's
    "HTTPConnectionPool(host=..., port=...): Max retries exceeded with url: ... (Caused by ...".
    """
    causes = list(_causes(err))
    where = _where(url)
    host = urlsplit(url).hostname
    if any(isinstance(e, socket.gaierror) or type(e).__name__ == "NameResolutionError" for e in causes):
        return f"could not connect: the host name {host} was not found (DNS)"
    if any(isinstance(e, ssl.SSLError) for e in causes) or isinstance(err, requests.exceptions.SSLError):
        text = " ".join(str(e) for e in causes)
        hint = " (is it an http port? try http://)" if "WRONG_VERSION_NUMBER" in text or "record layer" in text else ""
        return f"could not connect: the TLS (https) handshake with {where} failed{hint}"
    for kind, sentence in ((ConnectionRefusedError, f"{where} refused the connection"),
                           (ConnectionResetError, f"{where} reset the connection"),
                           (TimeoutError, f"no connection to {where} in time")):
        if any(isinstance(e, kind) for e in causes):
            return f"could not connect: {sentence}"
    if any(type(e).__name__ in ("RemoteDisconnected", "ProtocolError") for e in causes):
        return f"connection failed: {where} closed the connection without an answer"
    return f"connection failed: {where}: {_short(err)}"


def _short(err: BaseException) -> str:
    """The last line of an exception message, short enough for a log line."""
    text = str(err).strip().splitlines()[-1] if str(err).strip() else type(err).__name__
    return text if len(text) <= 200 else text[:197] + "..."
