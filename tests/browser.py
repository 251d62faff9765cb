"""Headless Chromium for the tests that look at pages as a person would: the DOM after the
browser parsed a page (``dump_dom``), a screenshot (``screenshot``) and its pixels (``pixels``,
a small PNG reader, so no imaging library is needed).

Chromium is Debian's package (``make chromium`` installs it; ``.ci/run`` does so on CI).
``NOTICES_CHROMIUM`` names another binary.

Run as a module it renders the audit page and the report of a database into ``docs/`` (the
screenshots the README shows):

    python -m tests.browser --db data/db/notices.db --out docs --today 2024-09-20
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib
from pathlib import Path

import numpy as np

BAR_RGB = (0x1F, 0x5F, 0xA8)  # the bars of the charts and the links (--accent in pipeline/pages.py)
CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Headless, offline and quiet: no sandbox (CI runs as root), no GPU, no first-run or
# background traffic, so a page can only show what is in its file.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars", "--mute-audio", "--force-device-scale-factor=1"]


class Browser:
    """One headless Chromium tab driven over the DevTools protocol (websocket-client): open a
    URL, ask the page what a person sees (``evaluate``: ``innerText`` holds only visible text,
    ``getComputedStyle`` what CSS did), take a screenshot of the whole page. For the pages
    Datasette serves, whose CSS hides columns and whose width matters."""

    def __init__(self, chromium: str, width: int = 1366, height: int = 900) -> None:
        import websocket  # a test dependency

        self.width, self.height, self._id, self._events = width, height, 0, []
        # Chromium's helpers may still write there as it exits: cleaning up is best effort.
        self._profile = tempfile.TemporaryDirectory(prefix="notices-chromium-", ignore_cleanup_errors=True)
        self._process = subprocess.Popen(
            [chromium, *FLAGS, f"--user-data-dir={self._profile.name}", "--remote-debugging-port=0",
             "--remote-allow-origins=*", f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self._profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError("chromium did not open its DevTools port")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            page = next(t for t in json.load(response) if t["type"] == "page")
        self._ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.send("Page.enable")
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=False)

    def __enter__(self) -> "Browser":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if getattr(self, "_ws", None):
            self._ws.close()
        self._process.terminate()
        self._process.wait(timeout=20)
        self._profile.cleanup()

    def send(self, method: str, **params: object) -> dict:
        self._id += 1
        self._ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            message = json.loads(self._ws.recv())
            if message.get("id") == self._id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._events.append(message.get("method"))

    def open(self, url: str) -> None:
        """Load ``url`` and wait for its load event."""
        self._events.clear()
        self.send("Page.navigate", url=url)
        while "Page.loadEventFired" not in self._events:
            self._events.append(json.loads(self._ws.recv()).get("method"))

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def visible_text(self) -> str:
        return " ".join((self.evaluate("document.body.innerText") or "").split())

    def overflow(self) -> int:
        """Pixels the page is wider than the window (0: no horizontal scroll bar)."""
        return self.evaluate("document.documentElement.scrollWidth - window.innerWidth")

    def screenshot(self, out: Path, height: int | None = None) -> Path:
        """A PNG of the page from the top, ``height`` pixels tall (default: the whole page)."""
        full = self.evaluate("document.documentElement.scrollHeight")
        clip = {"x": 0, "y": 0, "width": self.width, "height": min(height or full, full), "scale": 1}
        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True, clip=clip)["data"]
        out.write_bytes(base64.b64decode(data))
        return out


def find_chromium() -> str | None:
    for name in filter(None, (os.environ.get("NOTICES_CHROMIUM"), *CANDIDATES)):
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_or_skip() -> str:
    """Chromium for a test module: skip it, saying why, where none is found; fail instead where
    CI installed it (NOTICES_REQUIRE_CHROMIUM), since missing there is a failure."""
    import pytest

    found = find_chromium()
    if found is None:
        if os.environ.get("NOTICES_REQUIRE_CHROMIUM"):
            raise RuntimeError("NOTICES_REQUIRE_CHROMIUM is set but no chromium was found")
        pytest.skip("headless Chromium not found: `make chromium` installs Debian's package "
                    "(or set NOTICES_CHROMIUM to a binary)", allow_module_level=True)
    return found


def _run(chromium: str, args: list[str], page: Path) -> bytes:
    with tempfile.TemporaryDirectory(prefix="notices-chromium-") as profile:
        done = subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()],
                              capture_output=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"chromium exited {done.returncode}: {done.stderr.decode(errors='replace')[-2000:]}")
    return done.stdout


def dump_dom(chromium: str, page: Path) -> str:
    """The page's DOM as the browser built it, serialized."""
    return _run(chromium, ["--dump-dom"], page).decode("utf-8")


def screenshot(chromium: str, page: Path, out: Path, width: int = 1200, height: int = 1400) -> Path:
    """A PNG of the top ``width`` x ``height`` pixels of the page."""
    _run(chromium, [f"--screenshot={out.resolve()}", f"--window-size={width},{height}"], page)
    if not out.exists():
        raise RuntimeError(f"chromium wrote no screenshot to {out}")
    return out


def pixels(png: Path) -> np.ndarray:
    """The RGB pixels (height x width x 3) of an 8-bit RGB or RGBA PNG, as Chromium writes them."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{png} is not a PNG"
    at, compressed = 8, bytearray()
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunk = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            assert depth == 8 and colour in (2, 6) and not interlace, "only 8-bit RGB(A), not interlaced"
        elif kind == b"IDAT":
            compressed += chunk
        at += 12 + length
    bpp = 3 if colour == 2 else 4
    raw = np.frombuffer(zlib.decompress(bytes(compressed)), dtype=np.uint8).reshape(height, width * bpp + 1)
    kinds = raw[:, 0]
    filtered = raw[:, 1:].reshape(height, width, bpp).astype(np.int32)
    # Undo the row filters. A pixel depends on its left, upper and upper-left neighbours, so
    # all pixels of one anti-diagonal (x + y = d) can be decoded at once from the two before:
    # a few thousand vector steps instead of a Python loop over every pixel.
    out = np.zeros((height + 1, width + 1, bpp), dtype=np.int32)  # a zero row and column first
    for d in range(width + height - 1):
        ys = np.arange(max(0, d - width + 1), min(height, d + 1))
        xs = d - ys
        left, up, up_left = out[ys + 1, xs], out[ys, xs + 1], out[ys, xs]
        p = left + up - up_left
        pa, pb, pc = np.abs(p - left), np.abs(p - up), np.abs(p - up_left)
        paeth = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, up, up_left))
        kind = kinds[ys][:, None]
        guess = np.select([kind == 1, kind == 2, kind == 3, kind == 4],
                          [left, up, (left + up) // 2, paeth], 0)
        out[ys + 1, xs + 1] = (filtered[ys, xs] + guess) & 255
    return out[1:, 1:, :3].astype(np.uint8)


def share_of(image: np.ndarray, rgb: tuple[int, int, int], tolerance: int = 12) -> float:
    """The share of pixels within ``tolerance`` of a colour."""
    close = np.abs(image.astype(np.int32) - np.array(rgb)).max(axis=2) <= tolerance
    return float(close.mean())


def datasette_screenshots(chromium: str, db: str, out: Path, today: str | None) -> None:
    """The Datasette pages the README shows, from a `notices serve` on a free port."""
    from urllib.parse import quote

    from tests.servers import free_port, running

    notices = str(Path(sys.executable).with_name("notices"))
    port = free_port()
    process = subprocess.Popen([notices, "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    as_of = f"as_of={today}" if today else ""
    pages = [("datasette-home.png", "/", 1150),
             ("datasette-overdue.png", f"/notices/tasks_overdue?{as_of}&unit=van+phong+so", 820),
             ("dashboard.png", f"/-/dashboard?{as_of}", None),
             ("unit-page.png", f"/-/unit?name={quote('Văn phòng Sở')}&{as_of}", 1250)]
    with running(process, f"http://127.0.0.1:{port}") as base, Browser(chromium, 1366, 900) as browser:
        for name, path, height in pages:
            browser.open(base + path)
            print(browser.screenshot(out / name, height))


def main() -> None:
    ap = argparse.ArgumentParser(description="Screenshots of the audit page, the report and Datasette for docs/.")
    ap.add_argument("--db", default="data/db/notices.db")
    ap.add_argument("--out", default="docs")
    ap.add_argument("--number", default="97/KH-SKHCN")
    ap.add_argument("--today", default=None, help="the report's day, YYYY-MM-DD")
    a = ap.parse_args()
    chromium = find_chromium()
    if chromium is None:
        sys.exit("no chromium: run `make chromium` first")
    notices = str(Path(sys.executable).with_name("notices"))
    out = Path(a.out)
    with tempfile.TemporaryDirectory() as tmp:
        audit_page, report = Path(tmp) / "audit.html", Path(tmp) / "report.html"
        audit_page.write_bytes(subprocess.run([notices, "audit", a.number, "--db", a.db, "--format", "html"],
                                              check=True, capture_output=True).stdout)
        subprocess.run([notices, "report", str(report), "--db", a.db, *(["--today", a.today] if a.today else [])],
                       check=True)
        print(screenshot(chromium, audit_page, out / "audit-page.png", 1200, 1250))
        print(screenshot(chromium, report, out / "report.png", 1200, 2400))
    datasette_screenshots(chromium, a.db, out, a.today)


if __name__ == "__main__":
    main()
