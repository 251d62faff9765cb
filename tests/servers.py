"""Real local servers for tests: a free port, JSON and pages over HTTP, and a server process
that is waited for and stopped."""
from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def url_of(base: str, path: str, **params: object) -> str:
    return f"{base}{path}?{urllib.parse.urlencode(params)}" if params else base + path


def get_json(base: str, path: str, **params: object) -> dict:
    with urllib.request.urlopen(url_of(base, path, **params), timeout=10) as response:
        return json.load(response)


def get_text(base: str, path: str, **params: object) -> str:
    with urllib.request.urlopen(url_of(base, path, **params), timeout=10) as response:
        assert response.status == 200, path
        return response.read().decode("utf-8")


def wait_until_up(process: subprocess.Popen, base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            get_json(base, "/-/versions.json")
            return
        except OSError:
            assert process.poll() is None, "the server exited"
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)


@contextlib.contextmanager
def running(process: subprocess.Popen, base: str) -> Iterator[str]:
    """Wait for a Datasette process to answer at ``base``, yield ``base``, stop it."""
    try:
        wait_until_up(process, base)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
