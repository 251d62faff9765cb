"""The scorer: a gold notice and a prediction with known counts, and the dev corpus at its bounds."""
from pathlib import Path

from click.testing import CliRunner

from extractors import extract
from extractors.evaluate import Evaluation, evaluate, report, score_notice
from pipeline.cli import TARGETS, main

DEV = Path(__file__).parent / "fixtures" / "dev"

GOLD = {
    "id": "g1", "published": "2024-08-22", "text": "...",
    "references": [{"number": "97/KH-SKHCN", "doc_type": "Kế hoạch", "issued": "2023-12-28"},
                   {"number": "2410/QĐ-UBND", "doc_type": "Quyết định", "issued": "2021-09-14"},
                   {"number": "2410/QĐ-UBND", "doc_type": "Quyết định", "issued": "2022-10-28"}],
    "optional_references": ["TCVN ISO 9001:2015"],
    "dates": [{"value": "2024-08-15", "role": "event"}, {"value": "2024-09", "role": "deadline"}],
    "units": [{"name": "Văn phòng Sở", "aliases": ["Văn phòng"]}, {"name": "UBND tỉnh", "aliases": ["Ủy ban nhân dân tỉnh"]}],
    "optional_units": ["Giám đốc Sở"],
    "tasks": [{"ordinal": "1", "lead_units": ["Văn phòng Sở"], "deadline": "2024-09"},
              {"ordinal": "2", "lead_units": ["UBND tỉnh"], "deadline": None}],
}
PRED = {
    "references": [{"number": "97 /kh- skhcn", "doc_type": "Kế hoạch", "issued": None},  # match, issued wrong
                   {"number": "2410/QD-UBND", "doc_type": "Công văn", "issued": "2021-09-14"},  # match, type wrong
                   {"number": "TCVN ISO 9001:2015", "doc_type": "Tiêu chuẩn", "issued": None},  # optional
                   {"number": "5/TB-SKHCN", "doc_type": "Thông báo", "issued": None}],  # extra
    "dates": [{"value": "2024-08-15", "role": "event"}, {"value": "2024-09", "role": "event"},
              {"value": "2024", "role": "other"}],  # bare year: neither way
    "units": [{"name": "Văn phòng"}, {"name": "Uỷ ban nhân dân tỉnh"}, {"name": "Giám đốc Sở"}, {"name": "Sở Nội vụ"}],
    "tasks": [{"ordinal": "1", "lead_units": ["Văn phòng"], "deadline": "2024-09"},
              {"ordinal": "3", "lead_units": [], "deadline": None}],
}


def test_known_scores():
    ev = Evaluation()
    score_notice(GOLD, PRED, ev)
    refs = ev.fields["references"]
    assert (refs.tp, refs.fp, refs.fn) == (2, 1, 1)
    assert (ev.doc_type.right, ev.doc_type.total) == (1, 2)
    assert (ev.issued.right, ev.issued.total) == (1, 2)
    dates = ev.fields["dates"]
    assert (dates.tp, dates.fp, dates.fn) == (1, 1, 1)
    assert ev.fields["dates_value"].f1 == 1.0
    units = ev.fields["units"]
    assert (units.tp, units.fp, units.fn) == (2, 1, 0)
    tasks = ev.fields["tasks"]
    assert (tasks.tp, tasks.fp, tasks.fn) == (1, 1, 1)
    leads = ev.fields["task_leads"]
    assert (leads.tp, leads.fp, leads.fn) == (1, 0, 1)
    assert ev.deadline.value == 0.5
    assert round(refs.f1, 3) == 0.667
    text = report(ev, verbose=True)
    assert "references   P=0.667 R=0.667 F1=0.667 doc_type=0.500 issued=0.500" in text
    assert "units extra: sở nội vụ" in text


def test_dev_corpus_meets_the_design_targets():
    ev = evaluate(DEV, lambda text, published: extract(text, published).to_dict())
    assert ev.files == 12
    assert ev.bounds_met(TARGETS) == [], report(ev, verbose=True)


def test_eval_command_prints_one_line_per_field():
    result = CliRunner().invoke(main, ["eval", str(DEV), "--check"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines[:6]] == [
        "references", "dates", "dates_value", "units", "tasks", "task_leads"]
    assert "doc_type=" in lines[0] and "deadline=" in lines[4]


def test_the_own_document_is_scored_where_gold_has_the_key():
    ev = Evaluation()
    cases = [  # gold document, predicted document
        ({"number": "912/SKHCN-QLKH"}, {"number": "912/skhcn_qlkh"}),  # right (any spelling)
        ({"number": "912/SKHCN-QLKH"}, None),  # missed
        (None, None),  # right: neither names one
        (None, {"number": "07/TB-SKHCN"}),  # invented
        ({"number": "20/TB-SKHCN"}, {"number": "07/TB-SKHCN"}),  # wrong, not invented
    ]
    for gold, pred in cases:
        score_notice({"text": "", "document": gold}, {"document": pred}, ev)
    score_notice({"text": ""}, {"document": {"number": "1/TB-X"}}, ev)  # no key: not scored
    assert (ev.document.right, ev.document.total, ev.invented) == (2, 5, 1)
    assert "document     right=0.400 on 5 files, invented=1" in report(ev)


def test_dev_names_its_own_documents():
    ev = evaluate(DEV, lambda text, published: extract(text, published).to_dict())
    assert (ev.document.value, ev.invented) == (1.0, 0)
