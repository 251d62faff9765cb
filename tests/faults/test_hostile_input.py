"""Hostile input never crashes ``notices extract`` beyond its clear exit 2: the library functions
under hypothesis at volume (random text and tag soup), the CLI in-process on random stdin, a
table of shapes that take parsers down (deep nesting, enormous lines, floods of tags) through the
CLI, and real ``notices extract`` processes on a sample of generated files.

``NOTICES_FUZZ_EXAMPLES=5000 make test`` runs the hypothesis tests with that many random examples
(by default: 200 each, from a fixed seed, so ``make test`` is repeatable)."""
from __future__ import annotations

import json
import os
import subprocess
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors import extract
from pipeline.cli import main
from pipeline.htmltext import ParseError, decode_html
from pipeline.parse import notice_text, parse_article
from tests.faults.hostile import SHAPES, html_page, notice_text as text_strategy, sample_files
from tests.faults.support import FIGURES, NOTICES, SAFETY
from tests.portal import encode_cp1258

URL = "https://sokhcn.quangtri.gov.vn/chi-tiet-tin/-/view-article/1/1663228888354/1724300000003"
EXAMPLES = int(os.environ.get("NOTICES_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="NOTICES_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
KEYS = {"title", "published", "text", "document", "references", "dates", "units", "tasks"}


def check_extraction(out: dict) -> None:
    """The contract's promises about offsets, for any input."""
    text = out["text"]
    assert set(out) == KEYS and text == unicodedata.normalize("NFC", text)
    own = [out["document"]] if out["document"] else []
    for mention in out["references"] + out["dates"] + own:
        assert text[mention["start"]:mention["end"]] == mention["text"]
    for unit in out["units"]:
        assert all(0 <= s < e <= len(text) for s, e in unit["mentions"])
    for task in out["tasks"]:
        assert 0 <= task["start"] < task["end"] <= len(text)


@FUZZ
@given(text_strategy, st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())))
def test_the_extractor_takes_any_text(text, published):
    FIGURES["hostile inputs (hypothesis examples)"] += 1
    check_extraction(extract(text, published).to_dict())


@FUZZ
@given(html_page)
def test_any_page_parses_or_says_why(profile, body):
    FIGURES["hostile inputs (hypothesis examples)"] += 1
    try:
        notice = parse_article(body, URL, profile)
    except ParseError as e:
        assert str(e) and "\n" not in str(e)
        return
    assert notice.title and notice.body
    check_extraction(extract(notice_text(notice.title, notice.body), None, notice.title).to_dict())


def check_extract_result(result) -> None:
    """The contract for any input: the JSON (that keeps the contract), or exit 2 with one line."""
    FIGURES["notices extract crashes (exit not 0 or 2)"] += result.exit_code not in (0, 2)
    assert result.exit_code in (0, 2), result.exc_info
    if result.exit_code == 0:
        check_extraction(json.loads(result.stdout))
    else:
        assert result.stdout == "" and result.stderr.count("\n") == 1


@FUZZ
@given(st.one_of(st.binary(max_size=3000), html_page, text_strategy.map(lambda t: t.encode("utf-8", "replace"))))
def test_notices_extract_on_any_stdin_prints_json_or_exits_2(data):
    FIGURES["hostile inputs (hypothesis examples)"] += 1
    result = CliRunner().invoke(main, ["extract", "-"], input=data)
    check_extract_result(result)


def run_extract(paths: list[Path]) -> list[subprocess.CompletedProcess]:
    """``notices extract`` on each file, as real processes, two at a time."""
    done = []
    for i in range(0, len(paths), 2):
        procs = [subprocess.Popen([NOTICES, "extract", str(p)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for p in paths[i:i + 2]]
        for p in procs:
            out, err = p.communicate(timeout=SAFETY)
            done.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    return done


def check_process(proc: subprocess.CompletedProcess) -> None:
    FIGURES["extract processes on hostile files"] += 1
    FIGURES["notices extract crashes (exit not 0 or 2)"] += proc.returncode not in (0, 2)
    assert proc.returncode in (0, 2), proc.stderr.decode(errors="replace")[-3000:]
    if proc.returncode == 0:
        check_extraction(json.loads(proc.stdout))
    else:
        assert proc.stdout == b"" and proc.stderr.decode().count("\n") == 1


TEXT = "Thông báo số 12/TB-SKHCN ngày 15/8/2024 của Ủy ban nhân dân tỉnh"


@pytest.mark.parametrize("body, headers", [
    (f'<meta charset="utf-16"><p>{TEXT}</p>'.encode(), {}),  # UTF-8 under a UTF-16 tag
    (f'<meta charset="utf-16"><p>{TEXT}</p>!'.encode(), {}),  # the same, odd length
    (f'<meta charset="x-no-such"><p>{TEXT}</p>'.encode(), {}),
    (f'<meta charset="windows-1258"><p>{TEXT}</p>'.encode(), {}),  # UTF-8 under a stale cp1258 tag
    (f"<p>{TEXT}</p>".encode(), {"Content-Type": "text/html; charset=iso-8859-1"}),  # and header
    (encode_cp1258(f"<p>{TEXT}</p>"), {"Content-Type": "text/html; charset=utf-8"}),  # cp1258 under UTF-8
    (encode_cp1258(f'<meta charset="windows-1258"><p>{TEXT}</p>'), {}),  # cp1258, declared
    (f"<p>{TEXT}</p>".encode("utf-16"), {}),  # with its BOM
])
def test_charsets_declared_wrong_or_not_at_all(body, headers):
    """Mis-declared pages come out as the words they hold, not as mojibake."""
    assert TEXT in decode_html(body, headers)


@pytest.mark.parametrize("name, data", SHAPES, ids=[name for name, _ in SHAPES])
def test_shapes_that_take_parsers_down(tmp_path, name, data):
    path = tmp_path / ("page.html" if data.lstrip().startswith(b"<") else "notice.txt")
    path.write_bytes(data)
    result = CliRunner().invoke(main, ["extract", str(path)])
    FIGURES["hostile shapes through notices extract"] += 1
    check_extract_result(result)


def test_a_sample_of_generated_files(tmp_path):
    paths = []
    for name, data in sample_files(seed=20240822, count=8):
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    for proc in run_extract(paths):
        check_process(proc)
