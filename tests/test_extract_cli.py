"""`notices extract` through the CLI: the contract's JSON, and exit 2 with one line on bad input."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractors.normalize import normalize_text
from pipeline.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
SEED = json.loads((FIXTURES / "dev" / "seed-cchc-2024-08.json").read_text(encoding="utf-8"))


def run(args, input=None):
    return CliRunner().invoke(main, args, input=input)


def test_extract_text_file_prints_the_contract_json(tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(SEED["text"], encoding="utf-8")
    result = run(["extract", str(path), "--published", "2024-08-22"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {"title", "published", "text", "document", "references", "dates", "units", "tasks"}
    assert out["document"] is None  # a conclusion notice as the portal posts it: no header
    assert out["published"] == "2024-08-22"
    assert out["title"].startswith("Thông báo Ý kiến kết luận")
    assert {r["number"] for r in out["references"]} == {
        "97/KH-SKHCN", "1820/QĐ-UBND", "15/KH-SKHCN", "07/TB-SKHCN", "20/TB-SKHCN", "844/SKHCN-VP",
        "75/KH-SKHCN", "2731/UBND-KGVX"}
    for r in out["references"]:
        assert out["text"][r["start"]:r["end"]] == r["text"]
        assert set(r) == {"number", "doc_type", "issued", "issuer", "text", "start", "end"}
    for d in out["dates"]:
        assert out["text"][d["start"]:d["end"]] == d["text"]
        assert d["role"] in {"issued", "deadline", "event", "period", "other"}
    for u in out["units"]:
        assert all(isinstance(m, list) and len(m) == 2 for m in u["mentions"])
    assert [t["ordinal"] for t in out["tasks"]] == ["1", "2", "3", "4", "5", "6"]


def test_extract_stdin():
    result = run(["extract", "-", "--published", "2024-08-22"], input="Kế hoạch số 97/KH-SKHCN ngày 28/12/2023")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["references"][0]["issued"] == "2023-12-28"


@pytest.mark.parametrize("content,reason", [
    (b"", "empty"),
    (b"   \n\t \n", "empty"),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00", "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "corrupt image"),  # an image is read by OCR
    (b"Quy\xea\xd2t \xf0\xfe\xfa nh s\xf4 12/Q\xd0-UBND", "not UTF-8"),  # windows-1258 bytes
])
def test_bad_input_exits_2_with_one_line(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", str(path)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert reason in proc.stderr and proc.stderr.count("\n") == 1


def test_missing_file_and_bad_date_exit_2(tmp_path):
    assert run(["extract", str(tmp_path / "nope.txt")]).exit_code == 2
    path = tmp_path / "a.txt"
    path.write_text("Ngày 15/8/2024", encoding="utf-8")
    assert run(["extract", str(path), "--published", "22-08-2024"]).exit_code == 2


def test_nfd_input_gives_nfc_text(tmp_path):
    import unicodedata
    path = tmp_path / "nfd.txt"
    path.write_text(unicodedata.normalize("NFD", SEED["text"]), encoding="utf-8")
    out = json.loads(run(["extract", str(path), "--published", "2024-08-22"]).stdout)
    assert out["text"] == unicodedata.normalize("NFC", out["text"])
    assert len(out["references"]) >= 8


def test_extract_html_page_reads_title_date_and_body():
    result = run(["extract", str(FIXTURES / "site" / "detail-article.html")])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["published"] == "2024-08-22"
    assert out["title"] == SEED["text"].split("\n", 1)[0]
    assert out["text"] == normalize_text(SEED["text"])
    assert len({r["number"] for r in out["references"]}) == 8
    assert "Thống kê truy cập" not in out["text"] and "©" not in out["text"]


@pytest.mark.parametrize("kind", ["text", "html", "stdin", "html.gz"])
def test_one_size_cap_for_every_kind_of_input(tmp_path, kind):
    """The README's cap (50 MB, pipeline/inputs.py) holds for text, HTML, stdin and archived
    pages alike: one byte more is refused with one line and exit 2."""
    import gzip

    from pipeline.inputs import MAX_INPUT_BYTES

    assert MAX_INPUT_BYTES == 50 * 1024 * 1024  # the figure the README gives
    head = b"<html><body><p>" if kind.startswith("html") else b""
    data = head + b"x" * (MAX_INPUT_BYTES + 1 - len(head))
    path = tmp_path / f"big.{'txt' if kind in ('text', 'stdin') else kind}"
    path.write_bytes(gzip.compress(data, compresslevel=1) if kind == "html.gz" else data)
    args = ["extract", "-" if kind == "stdin" else str(path)]
    result = subprocess.run([str(Path(sys.executable).with_name("notices")), *args], capture_output=True,
                            input=data if kind == "stdin" else None, timeout=120)
    assert result.returncode == 2 and result.stdout == b""
    assert b"larger than 50 MB" in result.stderr and len(result.stderr.strip().splitlines()) == 1
