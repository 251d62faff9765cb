"""Datasette over the notices database, with the project's metadata and SQL functions.

Datasette runs as its own process (``python -m datasette serve``): the nightly job keeps
writing the same file, so the database is served *mutable*, which in Datasette means
read-only ``mode=ro`` connections that see each new commit (WAL lets them read while the job
writes). ``--immutable`` would be wrong: Datasette would cache row counts and never see new
notices. Only a database in a folder this process cannot write is served immutable: there no
job can write either, and ``mode=ro`` cannot open a WAL file (``store.open_read_only``).
Serving writes nothing: an older schema is refused, not migrated.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from pipeline.store import open_read_only

HERE = Path(__file__).parent / "datasette"
METADATA = HERE / "metadata.json"
PLUGINS_DIR = HERE / "plugins"  # notices_sql.py: SQL functions; notices_pages.py: the pages
TEMPLATES_DIR = HERE / "templates"  # the home page and the canned query page, in Vietnamese
STATIC_DIR = HERE / "static"  # notices.css, served at /notices-static/ (metadata extra_css_urls)
DATABASE_NAME = "notices"  # the name metadata.json describes; also the contract's URLs

# Limits for a small public server: queries stop after 3 s, pages stay light, long bodies
# are cut in HTML (the JSON keeps them whole).
SETTINGS: dict[str, object] = {
    "sql_time_limit_ms": 3000,
    "max_returned_rows": 2000,
    "default_page_size": 50,
    "facet_time_limit_ms": 500,
    # Suggested facets try every column of the page's rows: 1-2 s per page on 100,000 notices,
    # where the configured facets and the search itself take a tenth of that.
    "suggest_facets": False,
    "truncate_cells_html": 300,
    "num_sql_threads": 3,
    "default_cache_ttl": 60,
}


def metadata_for(db_path: str | os.PathLike[str], metadata: Path = METADATA) -> Path:
    """The metadata file to use for ``db_path``. Datasette names a database after its file,
    so a database not called ``notices.db`` gets a copy of the metadata under its own name."""
    name = Path(db_path).stem
    if name == DATABASE_NAME:
        return metadata
    data = json.loads(metadata.read_text("utf-8"))
    data["databases"] = {name: data["databases"][DATABASE_NAME]}
    handle, path = tempfile.mkstemp(prefix=f"notices-{name}-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False)
    return Path(path)


def datasette_command(db_path: str | os.PathLike[str], host: str = "127.0.0.1",
                      port: int = 8001, *, settings: Mapping[str, object] | None = None,
                      extra_args: Sequence[str] = (), immutable: bool = False) -> list[str]:
    """The command line that serves ``db_path``; handy to print or to run elsewhere."""
    command = [sys.executable, "-m", "datasette", "serve",
               *(["--immutable", str(db_path)] if immutable else [str(db_path)]),
               "--metadata", str(metadata_for(db_path)), "--plugins-dir", str(PLUGINS_DIR),
               "--template-dir", str(TEMPLATES_DIR), "--static", f"notices-static:{STATIC_DIR}",
               "--host", host, "--port", str(port)]
    for name, value in {**SETTINGS, **(settings or {})}.items():
        if isinstance(value, bool):
            value = "on" if value else "off"
        command += ["--setting", name, str(value)]
    return command + list(extra_args)


def ready_to_serve(db_path: str | os.PathLike[str]) -> bool:
    """Check the file before serving it, writing nothing: ``open_read_only`` refuses a missing
    path, a folder, a file that is not a notices database or one with an older schema
    (``UserError``). Returns whether to serve it ``immutable``: in a folder no one can write,
    where Datasette's ``mode=ro`` connections cannot open a WAL database and no job can
    change it (see ``open_read_only``)."""
    open_read_only(db_path).close()
    return not os.access(Path(db_path).absolute().parent, os.W_OK)


def serve(db_path: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 8001, *,
          settings: Mapping[str, object] | None = None, extra_args: Sequence[str] = (),
          replace_process: bool = True, check: bool = True,
          immutable: bool = False) -> subprocess.Popen[bytes]:
    """Serve the database with Datasette, read-only (after ``ready_to_serve``, unless the
    caller has done that: ``check=False``).

    With ``replace_process`` (the CLI) this process becomes Datasette and never returns;
    otherwise Datasette starts in the background and the ``Popen`` is returned for the caller
    to stop.
    """
    if check:
        immutable = ready_to_serve(db_path) or immutable
    command = datasette_command(db_path, host, port, settings=settings, extra_args=extra_args,
                                immutable=immutable)
    if replace_process:
        os.execv(command[0], command)
    return subprocess.Popen(command)
