"""The ``notices`` command: a thin layer of click commands over the library.

Imports of heavy modules happen inside the commands, so ``notices extract`` starts fast.
"""
from __future__ import annotations

import errno
import functools
import json
import sys
from datetime import date

import click

from . import checks, config, exits
from .exits import NoticesGroup, UserError


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def _output_file(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An output file's folder must exist and be writable ("-": stdout, where the command allows it)."""
    return value if value in (None, "-") else str(checks.output_file(value))


@click.group(cls=NoticesGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="notices")
def main() -> None:
    """Scrape, extract and audit the official notices of Vietnamese provincial agencies."""


def needs_extractor(f):
    """At start-up of a command that extracts, before any page is read: the extractor's pinned
    data is there and is the pinned one (extractors/gazetteer.py), else one line and exit 78,
    not a failure on every page."""
    @functools.wraps(f)
    def checked(*args, **kwargs):
        from extractors.gazetteer import WordListError, vietnamese_words

        try:
            vietnamese_words()
        except WordListError as e:
            raise UserError(str(e), exits.EXTRACTOR_UNUSABLE) from None  # one line, through NoticesGroup
        return f(*args, **kwargs)
    return checked


def _read_notice(path: str, published: str | None, ocr: str = "auto") -> tuple[str | None, str | None, str]:
    """(title, publication date, body text) of a notice file; exit 2 with one line if unreadable."""
    from .inputs import InputError, decode_text, published_line, read_input

    try:
        raw = read_input(path)
        if raw.attachment:
            from .attach import UnreadableAttachment, read_attachment
            try:
                return None, published, read_attachment(raw.data, ocr=ocr).text
            except UnreadableAttachment as e:
                raise InputError(f"{path}: {e.reason}") from None
        if not raw.is_html:
            text = decode_text(raw)
            page_published, text = published_line(text)
            return None, published or (page_published.isoformat() if page_published else None), text
        from .parse import ParseError, body_text_from_html, notice_text

        try:
            title, page_published, body = body_text_from_html(raw.data)
        except ParseError as e:
            raise InputError(f"{path}: {e}") from None
        return title, published or (page_published.isoformat() if page_published else None), notice_text(title, body)
    except InputError as e:
        raise UserError(str(e)) from None


@main.command()
@click.argument("path")
@click.option("--published", callback=_iso_date, help="Publication date YYYY-MM-DD (else read from the page).")
@click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="PDF/image attachments: OCR pages without a text layer (auto), every page, or none.")
@needs_extractor
def extract(path: str, published: str | None, ocr: str) -> None:
    """Print the extraction of one notice (HTML page, text, or a PDF, DOCX, DOC or image
    attachment, told apart by content; - is stdin) as JSON."""
    from extractors import extract as run_extract

    title, published, text = _read_notice(path, published, ocr)
    click.echo(json.dumps(run_extract(text, published, title).to_dict(), ensure_ascii=False, indent=1))


@main.command()
@click.argument("path")
@click.option("--published", callback=_iso_date, help="Publication date YYYY-MM-DD (else read from the page).")
@click.option("--html", "html_out", required=True, callback=_output_file,
              help="Write a displaCy page with every entity highlighted to this file.")
@needs_extractor
def show(path: str, published: str | None, html_out: str) -> None:
    """Write a page that shows what the extractor found in one notice, for checking by eye."""
    from pathlib import Path

    from extractors.spacy_pipeline import render_html

    title, published, text = _read_notice(path, published)
    Path(html_out).write_text(render_html(text, published, title), encoding="utf-8")
    click.echo(f"wrote {html_out}")


def _reporter(unit: str, quiet: bool):
    """Progress of a long job on stderr: a bar on a terminal, lines and one closing line elsewhere."""
    from .progress import Reporter

    return Reporter(unit, quiet=quiet)


def db_option(f):
    return click.option("--db", default=config.DEFAULT_DB, envvar="NOTICES_DB", show_default=True,
                        help="SQLite database [env NOTICES_DB].")(f)


def raw_dir_option(f):
    return click.option("--raw-dir", default=config.DEFAULT_RAW_DIR, envvar="NOTICES_RAW_DIR", show_default=True,
                        help="Raw archive directory [env NOTICES_RAW_DIR].")(f)


def crawl_options(f):
    f = click.option("--base-url", default=config.DEFAULT_BASE_URL, envvar="NOTICES_BASE_URL", show_default=True,
                     help="Portal to crawl; only its host is ever requested [env NOTICES_BASE_URL].")(f)
    f = click.option("--delay", type=click.FloatRange(min=0), default=config.DEFAULT_DELAY, envvar="NOTICES_DELAY",
                     show_default=True, help="Seconds between two requests to the host [env NOTICES_DELAY].")(f)
    f = click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=config.DEFAULT_TIMEOUT,
                     envvar="NOTICES_TIMEOUT", show_default=True,
                     help="Seconds to wait for a connection or a read; a whole body gets three times that "
                          "[env NOTICES_TIMEOUT].")(f)
    f = click.option("--backoff", type=click.FloatRange(min=0), default=config.DEFAULT_BACKOFF,
                     envvar="NOTICES_BACKOFF", show_default=True,
                     help="Seconds before the first retry of a failed request, doubled for each next one "
                          "[env NOTICES_BACKOFF].")(f)
    f = click.option("--max-bytes", type=click.IntRange(min=1), default=config.DEFAULT_MAX_BYTES,
                     envvar="NOTICES_MAX_BYTES", show_default=True,
                     help="Larger pages are refused and recorded in fetch_errors [env NOTICES_MAX_BYTES].")(f)
    f = click.option("--max-attachment-bytes", type=click.IntRange(min=1), default=config.DEFAULT_MAX_ATTACHMENT_BYTES,
                     envvar="NOTICES_MAX_ATTACHMENT_BYTES", show_default=True,
                     help="Larger attached files (PDF, DOCX, DOC, images) are refused and recorded in fetch_errors "
                          "[env NOTICES_MAX_ATTACHMENT_BYTES].")(f)
    f = click.option("--attachment-timeout", type=click.FloatRange(min=0, min_open=True),
                     default=config.DEFAULT_READ_TIMEOUT, envvar="NOTICES_ATTACHMENT_TIMEOUT", show_default=True,
                     help="Seconds a converter (LibreOffice) or the OCR of one page may take; a file that takes "
                          "longer is recorded as unreadable [env NOTICES_ATTACHMENT_TIMEOUT].")(f)
    f = click.option("--refresh", is_flag=True, help="Refetch known articles the crawl meets, to find changed ones.")(f)
    f = click.option("--full", is_flag=True, help="Walk every page of every listing (a backfill).")(f)
    f = click.option("--discover", is_flag=True, help="Fetch the home page to look for new categories.")(f)
    f = click.option("-q", "--quiet", is_flag=True, help="Print only the summary.")(f)
    return raw_dir_option(db_option(f))


def _check_job_paths(db: str, raw_dir: str) -> None:
    """Before a job locks or writes anything: the database and the raw archive must be usable."""
    checks.database_to_write(db)
    checks.raw_dir_to_write(raw_dir)


def _exit_code(stats) -> int:
    """0 all fine, 1 some pages failed, 3 the portal gave no HTTP answer at all (README)."""
    if stats.status == "unreachable":
        return exits.UNREACHABLE
    return exits.SOME_FAILED if stats.failed else exits.OK


def _scrape(db, raw_dir, base_url, delay, refresh, full, discover, quiet, timeout, backoff, max_bytes,
            max_attachment_bytes, attachment_timeout):
    from .jobs import ScrapeOptions, scrape

    opts = ScrapeOptions(base_url=base_url, db=db, raw_dir=raw_dir, delay=delay, refresh=refresh, full=full,
                         discover=discover, timeout=timeout, backoff=backoff, max_bytes=max_bytes,
                         max_attachment_bytes=max_attachment_bytes, read_timeout=attachment_timeout)
    with _reporter("pages", quiet) as progress:
        stats = scrape(opts, progress)
    click.echo(f"{stats.new} new, {stats.changed} changed, {stats.unchanged} unchanged, {stats.failed} failed; "
               f"{stats.pages_fetched} pages, {stats.requests} requests to {base_url} "
               f"({stats.register_rows} register rows{_files(stats)})")
    if stats.status == "unreachable":
        click.echo(f"{click.get_current_context().command_path}: {stats.message}", err=True)
    elif stats.generic_pages and stats.message:
        click.echo(f"warning: {stats.message}", err=True)
    return _exit_code(stats)


def _files(stats) -> str:
    return f", {stats.attachments} attached files" if stats.attachments else ""


@main.command()
@crawl_options
@needs_extractor
def scrape(**kwargs) -> None:
    """Crawl a portal: listings, then new articles; archive, extract and load them."""
    from .jobs import close_interrupted_runs, run_lock

    checks.base_url(kwargs["base_url"])
    _check_job_paths(kwargs["db"], kwargs["raw_dir"])
    with run_lock(kwargs["db"], "scrape"):  # one writing job at a time, as nightly
        close_interrupted_runs(kwargs["db"])
        code = _scrape(**kwargs)
    sys.exit(code)


EXIT_ALREADY_RUNNING = exits.LOCKED  # kept for importers; the table is in pipeline/exits.py
EXIT_UNREACHABLE = exits.UNREACHABLE  # the portal could not be reached at all


@main.command()
@crawl_options
@click.option("--portals", type=click.Path(exists=True, dir_okay=False), envvar="NOTICES_PORTALS",
              help="A TOML file of portals to crawl (instead of --base-url), hosts in parallel [env NOTICES_PORTALS].")
@needs_extractor
def nightly(portals: str | None, **kwargs) -> None:
    """The scheduled job: an incremental scrape under a lock, one summary row per run (per portal)."""
    from .jobs import close_interrupted_runs, run_lock

    listed = _load_portals(portals) if portals else None  # a bad file stops the run before anything
    if listed is None:
        checks.base_url(kwargs["base_url"])
    _check_job_paths(kwargs["db"], kwargs["raw_dir"])
    with run_lock(kwargs["db"]):  # AlreadyRunning: exit 75
        close_interrupted_runs(kwargs["db"])  # holding the lock, a run still "running" is dead
        code = _nightly_portals(listed, **kwargs) if listed is not None else _scrape(**kwargs)
    sys.exit(code)


def _load_portals(portals_file: str):
    from .portals import PortalsError, load_portals

    try:
        return load_portals(portals_file)
    except PortalsError as e:
        raise UserError(str(e)) from None


def _nightly_portals(portals, db, raw_dir, base_url, delay, refresh, full, discover, quiet, timeout, backoff,
                     max_bytes, max_attachment_bytes, attachment_timeout):
    from .jobs import ScrapeOptions
    from .portals import crawl_portals

    opts = ScrapeOptions(db=db, raw_dir=raw_dir, delay=delay, refresh=refresh, full=full, discover=discover,
                         timeout=timeout, backoff=backoff, max_bytes=max_bytes,
                         max_attachment_bytes=max_attachment_bytes, read_timeout=attachment_timeout)
    with _reporter("pages", quiet) as progress:
        runs = crawl_portals(portals, opts, progress)
    for run in runs:
        s = run.stats
        click.echo(f"{run.portal.label}: failed: {run.error}" if s is None else
                   f"{run.portal.label}: {s.new} new, {s.changed} changed, {s.unchanged} unchanged, {s.failed} failed; "
                   f"{s.pages_fetched} pages, {s.requests} requests ({s.register_rows} register rows{_files(s)})")
        if s is not None and s.status == "unreachable":
            click.echo(f"notices nightly: {run.portal.label}: {s.message}", err=True)
    # Every other portal ran; cron should still hear about one that could not be reached (3),
    # or one that crashed or lost pages (1).
    if any(run.stats is not None and run.stats.status == "unreachable" for run in runs):
        return exits.UNREACHABLE
    if any(run.stats is None or run.stats.failed for run in runs):
        return exits.SOME_FAILED
    return exits.OK


@main.command()
@db_option
@raw_dir_option
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary.")
@click.option("--workers", type=click.IntRange(min=1),
              help="Extract in N processes while this one writes (the fast rebuild; see README).")
@click.option("--dask", "dask_scheduler", metavar="ADDRESS|local",
              help="Extract on a Dask cluster (scheduler address, or 'local' for one on this machine).")
@needs_extractor
def reparse(db: str, raw_dir: str, quiet: bool, workers: int | None, dask_scheduler: str | None) -> None:
    """Rebuild the database from the raw archive alone, without touching the network."""
    checks.raw_dir_to_read(raw_dir)  # a typo must not leave an empty database behind
    checks.database_to_write(db)
    with _reporter("archived pages", quiet) as progress:
        stats = _reparse(db, raw_dir, workers, dask_scheduler, progress)
    click.echo(f"{stats.new} notice versions loaded from {raw_dir}, {stats.register_rows} register rows, "
               f"{stats.failed} failed")


def _reparse(db, raw_dir, workers, dask_scheduler, progress):
    from .jobs import reparse as run_reparse

    if workers or dask_scheduler:
        from .dask_rebuild import DaskMissing
        from .rebuild import rebuild

        try:  # both hold the lock: AlreadyRunning is exit 75
            stats = rebuild(db, raw_dir, workers=workers or 2, dask=dask_scheduler, progress=progress)
        except DaskMissing as e:
            raise UserError(str(e)) from None
    else:
        stats = run_reparse(db, raw_dir, progress=progress)
    return stats


@main.command()
@db_option
@click.option("--top", default=5, show_default=True, type=click.IntRange(min=0),
              help="How many of the most-cited directives to list.")
def summary(db: str, top: int) -> None:
    """Notices, cited directives, tasks and the most-cited directives of the database."""
    from .store import Store
    from .summary import database_summary

    with Store.reader(db) as store:
        click.echo(database_summary(store, top))


@main.command()
@db_option
@click.option("--runs", default=10, show_default=True, type=click.IntRange(min=0),
              help="How many recent runs to show.")
def status(db: str, runs: int) -> None:
    """The last scrape runs and the fetch errors waiting for a retry."""
    from .store import Store
    from .summary import run_status

    with Store.reader(db) as store:
        click.echo(run_status(store, runs))


@main.command()
@click.argument("number")
@db_option
@click.option("--year", type=int, help="The issue year, for a number reused in several years.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv", "html"]), default="text", show_default=True,
              help="html: a self-contained page of the trail (the audit page).")
@click.option("--depth", type=click.IntRange(1, 10), default=1, show_default=True,  # 10: pipeline.chain.MAX_DEPTH
              help="Follow the citation chain this many steps each way (what cites its citers; what its bases cite).")
def audit(number: str, db: str, year: int | None, fmt: str, depth: int) -> None:
    """The trail of one directive: where it is on file, what cites it (notices and documents,
    oldest first), what it cites, and the tasks that carry it.

    NUMBER may be typed in any spelling: 1820/QD-UBND, "97 /kh- skhcn", 01820/QĐUBND, "1820 QD UBND",
    or pasted as the whole citation: "Quyết định số 1820/QĐ-UBND ngày 24/7/2024"."""
    from .audit import FORMATS, UnknownNumber
    from .audit import audit as run_audit
    from .typed import NotANumber

    try:
        trail = run_audit(db, number, year, depth)
    except NotANumber as e:
        click.echo(f"notices audit: {e}", err=True)
        sys.exit(2)
    except UnknownNumber as e:
        raise UserError(str(e), exits.SOME_FAILED) from None
    click.echo(FORMATS[fmt](trail), nl=False)


@main.command()
@click.argument("out", callback=_output_file)
@db_option
@click.option("--today", callback=_iso_date, help="Measure deadlines against this day YYYY-MM-DD (default: today).")
@click.option("--top", default=15, show_default=True, type=click.IntRange(min=0),
              help="How many of the most-cited directives to list.")
@click.option("--graph-top", default=8, show_default=True, type=click.IntRange(min=0),
              help="How many of them to draw in the citation graph.")
def report(out: str, db: str, today: str | None, top: int, graph_top: int) -> None:
    """Write a self-contained HTML audit report (inline CSS and SVG, opens offline) to OUT (- is stdout)."""
    from .report import write_report
    from .views import DUE_SOON_DAYS

    written = write_report(db, out, date.fromisoformat(today) if today else None, top, graph_top)
    t = written.totals
    click.echo(f"wrote {'the report to stdout' if out == '-' else out}: {t['notices']} notices · {t['directives']} cited directives "
               f"({t['unregistered']} not in the register) · tasks on {written.today}: "
               f"{t['overdue']} overdue, {t['due_soon']} due within {DUE_SOON_DAYS} days", err=out == "-")


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Host to listen on.")
@click.option("-p", "--port", default=8001, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
def serve(db: str, host: str, port: int) -> None:
    """Browse the database in Datasette (read-only), with canned queries and full-text search."""
    from .serve import ready_to_serve
    from .serve import serve as run_serve

    immutable = ready_to_serve(db)  # refuses what it cannot serve (exit 2); writes nothing
    problem = _cannot_listen(host, port)
    if problem:
        raise UserError(problem)
    where = f"http://{host}:{port}/" if port else f"a free port of {host} (Datasette prints it)"
    how = "immutable (its folder is read-only)" if immutable else "read-only"
    click.echo(f"Datasette on {where} serving {db} {how}", err=True)
    run_serve(db, host, port, check=False, immutable=immutable)


def _cannot_listen(host: str, port: int) -> str | None:
    """Why Datasette could not listen on host:port (checked before saying it serves), or None."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OverflowError):
        return f"cannot listen on host {host!r}: no such address"
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is already in use; choose another with --port"
            return f"cannot listen on {host}:{port} ({e.strerror or e})"
    return None


@main.command()
@click.argument("url")
@click.option("--profile", "profile_name", default="liferay", show_default=True,
              help="A bundled profile name or a profile TOML file to try on the page.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=config.DEFAULT_TIMEOUT,
              envvar="NOTICES_TIMEOUT", show_default=True, help="Seconds to wait for a connection or a read.")
def probe(url: str, profile_name: str, timeout: float) -> None:
    """Fetch one page of a portal (politely: robots.txt, its host only) and show what the site
    profile finds there: the selector behind each field, and where the generic fallback stepped in."""
    import re

    from .fetch import FetchError, Fetcher
    from .probe import probe as run_probe
    from .profile import load_profile
    from .urls import host_key

    if host_key(url) is None:
        click.echo(f"notices probe: {url!r} is not an http(s) URL with a host", err=True)
        sys.exit(2)
    try:
        profile = load_profile(profile_name)
    except (OSError, ValueError, KeyError, re.error) as e:
        click.echo(f"notices probe: cannot load profile {profile_name!r} ({e})", err=True)
        sys.exit(2)
    with Fetcher(url, timeout=timeout, retries=1) as fetcher:
        if not fetcher.allowed(url):
            problem = fetcher.robots_problem.get(host_key(url))
            if problem and fetcher.log and not fetcher.log[-1].status:  # robots.txt never came: the host did not answer
                click.echo(f"notices probe: could not reach the portal: {problem}", err=True)
                sys.exit(EXIT_UNREACHABLE)
            why = f" ({problem})" if problem else ""
            click.echo(f"notices probe: robots.txt of the portal does not allow {url} to our user agent{why}",
                       err=True)
            sys.exit(1)
        try:
            report = run_probe(fetcher, url, profile)
        except FetchError as e:
            click.echo(f"notices probe: could not fetch {url}: {e.reason}", err=True)
            sys.exit(1 if e.status else EXIT_UNREACHABLE)  # the portal answered, or was never reached
    click.echo(report.render(), nl=False)


# The accuracy the design brief asks of the extractor (brief/DESIGN.md, "Targets").
TARGETS = {"references": 0.98, "references.doc_type": 0.95, "references.issued": 0.95, "dates": 0.92,
           "units": 0.90, "tasks": 0.95, "task_leads": 0.90, "tasks.deadline": 0.95}


@main.command(name="eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option("-v", "--verbose", is_flag=True, help="List each miss and each extra item.")
@click.option("--check", is_flag=True, help="Exit 1 when a target of the design brief is not met.")
@needs_extractor
def eval_command(gold_dir: str, verbose: bool, check: bool) -> None:
    """Score the extractor against a gold folder (precision / recall / F1 per field)."""
    from extractors import extract as run_extract
    from extractors.evaluate import GoldError, evaluate, report

    try:
        ev = evaluate(gold_dir, lambda text, published: run_extract(text, published).to_dict())
    except GoldError as e:
        raise UserError(str(e)) from None
    click.echo(report(ev, verbose))
    short = ev.bounds_met(TARGETS)
    if short:
        click.echo("below target: " + ", ".join(short))
        if check:
            sys.exit(1)


if __name__ == "__main__":
    main()
