"""benchmarks/real.py: the study-set harness, on a gold file and a cached text of our own."""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import real  # noqa: E402

TEXT = """ỦY BAN NHÂN DÂN
TỈNH ĐÔNG HÀ
Số: 12/QĐ-UBND
Đông Hà, ngày 03 tháng 4 năm 2024
QUYẾT ĐỊNH
Căn cứ Công văn số 215/SVHTT&DL-QLVH ngày 03/4/2019 của Sở;
Căn cứ Kế hoạch số 112 KH/TWĐTN ngày 14/3/2017;
"""


def test_rules_and_baseline_scored_alike(tmp_path, capsys):
    gold, cache = tmp_path / "gold", tmp_path / "cache"
    gold.mkdir()
    cache.mkdir()
    (gold / "own-1.json").write_text(json.dumps({
        "id": "own-1", "url": None, "query": "q", "excerpt_hint": "h", "published": "2024-04-03",
        "references": [{"number": "215/SVHTT&DL-QLVH", "doc_type": "Công văn", "issued": "2019-04-03"},
                       {"number": "112-KH/TWĐTN", "doc_type": "Kế hoạch", "issued": "2017-03-14"}],
        "optional_references": [],
        "document": {"number": "12/QĐ-UBND", "doc_type": "Quyết định", "issued": "2024-04-03"},
    }, ensure_ascii=False), encoding="utf-8")
    (gold / "own-2.json").write_text(json.dumps({"id": "own-2", "references": [], "document": None}),
                                     encoding="utf-8")  # no cached text: skipped and named
    (cache / "own-1.txt").write_text(TEXT, encoding="utf-8")

    ev, _, missing = real.score(gold, cache, real.rules)
    t = ev.fields["references"]
    assert (t.tp, t.fp, t.fn) == (2, 0, 0)  # the own number counts neither way
    assert ev.doc_type.value == 1.0 and ev.issued.value == 1.0
    assert ev.fields["dates"].tp + ev.fields["dates"].fp == 0  # dates not annotated: not scored
    assert missing == ["own-2"]

    ev, _, _ = real.score(gold, cache, real.bare_regex)
    t = ev.fields["references"]
    assert t.tp == 1 and t.fn == 1  # the regex misses the Party number written with a space

    assert real.main([str(cache), "--gold", str(gold)]) == 0
    out = capsys.readouterr().out
    assert "== rules" in out and "== bare regex baseline" in out and "own-2" in out


def test_missing_cache_folder_is_one_line(tmp_path, capsys):
    assert real.main([str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err.count("\n") == 1
