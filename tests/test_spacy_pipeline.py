"""The extractor as spaCy components, and the displaCy page of `notices show`."""
import json
from pathlib import Path

from click.testing import CliRunner

from extractors.spacy_pipeline import make_pipeline
from pipeline.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
SEED = json.loads((FIXTURES / "dev" / "seed-cchc-2024-08.json").read_text(encoding="utf-8"))


def test_doc_ents_and_task_spans():
    nlp = make_pipeline()
    assert nlp.pipe_names == ["notices_extractor", "notices_entities", "notices_tasks"]
    doc = nlp.make_doc(SEED["text"])
    doc._.published = SEED["published"]
    doc = nlp(doc)
    refs = [e for e in doc.ents if e.label_ == "REF"]
    assert {e._.canonical for e in refs} >= {"97/KH-SKHCN", "844/SKHCN-VP", "2731/UBND-KGVX"}
    assert any(e.text == "844/SKHCN_VP" and e._.canonical == "844/SKHCN-VP" for e in refs)
    dates = {(e._.value, e._.role) for e in doc.ents if e.label_ == "DATE"}
    assert ("2024-08-26", "deadline") in dates and ("2023-12-28", "issued") in dates
    orgs = {e._.canonical for e in doc.ents if e.label_ == "ORG"}
    assert "Văn phòng Sở" in orgs and "Sở Nội vụ" in orgs
    tasks = doc.spans["tasks"]
    assert [s.label_ for s in tasks] == [f"TASK {i}" for i in range(1, 7)]
    assert tasks[4]._.lead_units == ["Văn phòng Sở"] and tasks[4]._.deadline == "2024-09"


def test_show_writes_a_page_with_every_entity(tmp_path):
    src = tmp_path / "seed.txt"
    src.write_text(SEED["text"].replace("Sở Nội vụ", "Sở Nội vụ <script>alert(1)</script>"), encoding="utf-8")
    out = tmp_path / "seed.html"
    result = CliRunner().invoke(main, ["show", str(src), "--published", "2024-08-22", "--html", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    for label in ("REF", "DATE", "ORG"):
        assert f">{label}<" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_the_own_number_is_an_own_entity_not_a_reference():
    gold = json.loads((FIXTURES / "dev" / "dev-05-cong-van-de-xuat-nhiem-vu.json").read_text(encoding="utf-8"))
    nlp = make_pipeline()
    doc = nlp.make_doc(gold["text"])
    doc._.published = gold["published"]
    doc = nlp(doc)
    [own] = doc.spans["document"]
    assert (own.text, own.label_, own._.canonical, own._.doc_type) == ("912/SKHCN-QLKH", "OWN", "912/SKHCN-QLKH", "Công văn")
    assert "912/SKHCN-QLKH" not in {e._.canonical for e in doc.ents if e.label_ == "REF"}
    assert own in list(doc.ents)
