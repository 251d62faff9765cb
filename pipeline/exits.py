"""Exit codes and the one place that turns an error into one line on stderr and an exit code.

A cron wrapper reads the exit code; a person reads one line. Library code raises ``UserError``
(or a subclass: ``jobs.AlreadyRunning``) with a sentence; ``NoticesGroup`` (the ``notices``
command group) catches it, and everything else a user's input or environment can cause
(click's usage errors, Ctrl-C, a file system or SQLite refusal), prints ``notices CMD: message``
and exits with the code below. No command needs a try/except of its own for these.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import sys
import threading
from typing import Any

import click

OK = 0  # all fine
SOME_FAILED = 1  # the portal was reached but some pages failed (or: audit found no such number)
USAGE = 2  # bad usage or input: an option, a URL, a path, a file, a folder that cannot be used
UNREACHABLE = 3  # the portal could not be reached at all: no response to any request
EXTRACTOR_UNUSABLE = 78  # EX_CONFIG: the extractor's pinned word list is missing or another file
LOCKED = 75  # EX_TEMPFAIL: another run holds the lock on the database; cron may try again later
INTERRUPTED = 130  # 128 + SIGINT: Ctrl-C; the run is recorded "interrupted", the next one goes on
TERMINATED = 143  # 128 + SIGTERM (a service stop, timeout(1)): as Ctrl-C, the run recorded "interrupted"

DEBUG_ENV = "NOTICES_DEBUG"  # set it to see the traceback of an unexpected error


class UserError(Exception):
    """Something the user can fix: the message is one line, ``exit_code`` what the shell sees."""

    exit_code = USAGE

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the process is, so it unwinds as Ctrl-C does: the notice being
    written is rolled back and the run recorded "interrupted" (SIGKILL leaves it "running",
    for the next job to mark)."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


class _Reported(click.ClickException):
    """An error already turned into its line and code (click re-raises it to ``main``)."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def one_line(text: str) -> str:
    return " ".join(part.strip() for part in str(text).splitlines() if part.strip())


def _describe(err: BaseException) -> tuple[str, int]:
    """(message, exit code) of an error raised by a command."""
    if isinstance(err, UserError):
        return str(err), err.exit_code
    if isinstance(err, Terminated):
        return "terminated (SIGTERM)", TERMINATED
    if isinstance(err, KeyboardInterrupt):
        return "interrupted", INTERRUPTED
    if isinstance(err, OSError):
        where = f": {err.filename}" if err.filename else ""
        return f"{err.strerror or err}{where}", USAGE
    if isinstance(err, sqlite3.DatabaseError):
        return f"database error: {err}", USAGE
    return f"unexpected error: {type(err).__name__}: {err} (set {DEBUG_ENV}=1 to see where)", SOME_FAILED


class NoticesGroup(click.Group):
    """The ``notices`` group: every error of every command leaves as one line and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        on_main_thread = threading.current_thread() is threading.main_thread()
        before = signal.signal(signal.SIGTERM, _terminate) if on_main_thread else None
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except BaseException as err:  # noqa: BLE001 (the point: nothing escapes as a traceback)
            if os.environ.get(DEBUG_ENV) and not isinstance(err, (UserError, KeyboardInterrupt)):
                raise
            message, code = _describe(err)
            name = f"notices {ctx.invoked_subcommand}" if ctx.invoked_subcommand else "notices"
            raise _Reported(f"{name}: {one_line(message)}", code) from None
        finally:
            if on_main_thread:
                signal.signal(signal.SIGTERM, before)

    def main(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        kwargs["standalone_mode"] = False
        try:
            rv = super().main(*args, **kwargs)
        except _Reported as e:
            click.echo(e.message, err=True)
            sys.exit(e.exit_code)
        except click.UsageError as e:  # one line, not click's usage block
            where = e.ctx.command_path if e.ctx else "notices"
            click.echo(f"{where}: {one_line(e.format_message())} (see {where} --help)", err=True)
            sys.exit(e.exit_code)
        except click.ClickException as e:
            click.echo(f"notices: {one_line(e.format_message())}", err=True)
            sys.exit(e.exit_code)
        except click.Abort:  # Ctrl-C while click itself was reading the command line
            click.echo("notices: interrupted", err=True)
            sys.exit(INTERRUPTED)
        sys.exit(rv if isinstance(rv, int) else OK)
