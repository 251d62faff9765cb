"""The audit report: its SVG drawings, what it reads from a database, what it shows, and that
nothing from a notice reaches the page unescaped."""
from __future__ import annotations

import re
from datetime import date

import pytest
from click.testing import CliRunner

from extractors.models import Extraction, Task
from pipeline.cli import main
from pipeline.models import RegisterEntry
from pipeline.report import NO_LEAD, collect, render, write_report
from pipeline.store import Store
from pipeline.svg import GraphEdge, GraphNode, barycenter_order, bar_chart, bipartite_graph, nice_step
from tests.store_samples import SITE, citing_2410, notice, reference, register_rows, seed

TODAY = date(2024, 9, 1)


# ---------------------------------------------------------------------- drawings

@pytest.mark.parametrize("top, step", [(0, 1), (1, 1), (4, 1), (5, 1), (6, 2), (10, 2), (11, 5),
                                       (24, 5), (26, 10), (99, 20), (1000, 200)])
def test_nice_step(top, step):
    assert nice_step(top) == step


def test_bar_chart_draws_one_bar_per_label():
    svg = bar_chart(["2024-07", "2024-08", "<b>x</b>"], [2, 8, 0], title="Citations & more")
    heights = [float(h) for h in re.findall(r'<rect class="bar"[^>]* height="([\d.]+)"', svg)]
    assert len(heights) == 3 and heights[2] == 0
    assert heights[1] == pytest.approx(heights[0] * 4)
    assert "&lt;b&gt;x&lt;/b&gt;" in svg and "<b>" not in svg
    assert 'aria-label="Citations &amp; more"' in svg
    assert bar_chart([], [], title="empty").count("<rect") == 0


def node(key, label=None, href=None):
    return GraphNode(key, label or str(key), href=href)


@pytest.mark.parametrize("edges, order", [
    ([], ["x", "y", "z"]),  # nothing linked: as given
    ([("a", "z"), ("b", "y"), ("c", "x")], ["z", "y", "x"]),  # follows its left node
    ([("a", "y"), ("c", "y"), ("b", "x"), ("a", "z")], ["z", "x", "y"]),  # y: mean of rows 0 and 2, ties keep order
    ([("c", "x"), ("a", "z")], ["z", "x", "y"]),  # unlinked nodes go last
])
def test_barycenter_order(edges, order):
    left = [node(k) for k in "abc"]
    right = [node(k) for k in "xyz"]
    ordered = barycenter_order(left, right, [GraphEdge(a, b) for a, b in edges])
    assert [n.key for n in ordered] == order


def test_bipartite_graph():
    left = [node(1, "97/KH-SKHCN", "https://portal/97.pdf"), node(2, "<script>x</script>")]
    right = [node("n1", "2024-08-22 · Thông báo", "javascript:alert(1)"), node("n2", "B" * 300)]
    svg = bipartite_graph(left, right, [GraphEdge(1, "n1", 3), GraphEdge(2, "n1"), GraphEdge(2, "n2"),
                                        GraphEdge(9, "n2")], title="graph", headings=("Directive", "Notice"))
    assert svg.count('<path class="edge"') == 3  # the edge to an unknown node is left out
    assert 'stroke-width="4.5"' in svg  # three mentions: thicker
    assert '<a href="https://portal/97.pdf">' in svg and "javascript:" not in svg
    assert "&lt;script&gt;" in svg and "<script" not in svg
    assert f"<title>{'B' * 300}</title>" in svg and "B…</text>" in svg  # clipped, whole on hover
    assert ">Directive</text>" in svg and ">Notice</text>" in svg


# ---------------------------------------------------------------- the database

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "notices.db"
    with Store(path) as store:
        store.save_notice(*seed())
        store.save_register(register_rows() + [RegisterEntry(
            site=SITE, number="15/KH-SKHCN", issued=date(2024, 1, 12), doc_type="Kế hoạch",
            summary=f"Khắc phục {HOSTILE}", file_url="javascript:alert(2)", detail_url=None)])
        body = f"Triển khai Kế hoạch số 97/KH-SKHCN ngày 28/12/2023. {HOSTILE}\n\n1. Văn phòng Sở báo cáo {HOSTILE}."
        task = Task(ordinal="1", text=f"1. Văn phòng Sở báo cáo {HOSTILE}.", lead_units=[],
                    deadline="2024-09-10", references=[], start=body.index("1. "), end=len(body))
        early = Extraction(title=f"Triển khai {HOSTILE}", published="2024-06-05", text=body, tasks=[task],
                           references=[reference(body, "97/KH-SKHCN", "Kế hoạch", "2023-12-28")])
        store.save_notice(notice("20240605-x", early.title, body, date(2024, 6, 5)), early)
        store.save_notice(*citing_2410("a-2023", date(2023, 3, 10), "2021", "2022", undated=True))
    return path


def test_collect(db_path):
    report = collect(db_path, TODAY, top=5, graph_top=2)
    assert report.today == "2024-09-01" and report.source == str(db_path)
    t = report.totals
    assert (t["notices"], t["first_published"], t["last_published"]) == (3, "2023-03-10", "2024-08-22")
    assert (t["directives"], t["citations"], t["tasks"]) == (10, 12, 7)
    assert [d.number for d in report.most_cited][:1] == ["97/KH-SKHCN"] and len(report.most_cited) == 5
    top = report.most_cited[0]
    assert (top.notices, top.citations, top.in_register, top.summary) == (
        2, 2, True, "Kế hoạch cải cách hành chính năm 2024")
    assert {d.number for d in report.unregistered} >= {"75/KH-SKHCN", "2410/QĐ-UBND"}
    assert all(not d.in_register for d in report.unregistered)
    # every month from the first to the last citation, gaps as 0
    assert report.months[0] == ("2023-03", 3) and report.months[-1] == ("2024-08", 8)
    assert len(report.months) == 18 and dict(report.months)["2023-04"] == 0
    units = {u.unit: u for u in report.units}
    assert [t.deadline for t in units["Phòng Quản lý Khoa học"].overdue] == ["2024-08-26"]
    assert [t.deadline for t in units["Văn phòng Sở"].due_soon] == ["2024-09"]
    assert (units["Văn phòng Sở"].later, units["Văn phòng Sở"].no_deadline) == (1, 0)
    assert [t.deadline for t in units[NO_LEAD].due_soon] == ["2024-09-10"]
    assert units[NO_LEAD].no_deadline == 1
    assert (t["overdue"], t["due_soon"]) == (1, 2)
    # the graph: the two most-cited directives and the notices that cite them
    assert {link.document_id for link in report.graph_links} == {d.document_id for d in report.most_cited[:2]}
    assert [(d.number, d.year, d.notices, d.citations) for d in report.most_cited[:2]] == [
        ("97/KH-SKHCN", 2023, 2, 2), ("2410/QĐ-UBND", 2022, 1, 2)]
    assert [n.published for n in report.graph_notices] == ["2023-03-10", "2024-06-05", "2024-08-22"]


def test_render_shows_each_section(db_path):
    html = render(collect(db_path, TODAY))
    for heading in ("Most-cited directives", "Citations per month", "Deadlines per unit",
                    "Citation graph of the top directives", "Cited but not in the register"):
        assert re.search(f'<h2 id="[a-z-]+">{heading}</h2>', html), heading
    assert html.count('<rect class="bar"') == 18
    assert '<span class="badge warn">6 days late</span>' in html
    assert '<span class="badge soon">in 9 days</span>' in html
    # nothing to fetch: no external stylesheet, script, image or font
    assert not re.search(r'<link|<script|<img|<iframe| src="|@import|url\(', html)


def test_nothing_from_a_notice_reaches_the_page_unescaped(db_path):
    html = render(collect(db_path, TODAY))
    assert "<script" not in html and "<img" not in html and "javascript:" not in html
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
    # the templates (Jinja2) write a quote as &#34;, the SVG labels as &quot;
    shown = html.count(escaped) + html.count(escaped.replace("&quot;", "&#34;"))
    assert shown >= 3  # a notice title, a task, a register summary


def test_an_empty_database_gives_a_report(tmp_path):
    Store(tmp_path / "empty.db").close()
    html = render(collect(tmp_path / "empty.db", TODAY))
    assert "No citations." in html and "No tasks." in html and "none published yet" in html


def test_report_command(db_path, tmp_path):
    out = tmp_path / "out" / "report.html"
    out.parent.mkdir()  # the report's folder must exist: a typo in it creates nothing (exit 2)
    result = CliRunner().invoke(main, ["report", str(out), "--db", str(db_path), "--today", "2024-09-01"])
    assert result.exit_code == 0, result.output
    assert result.output == (f"wrote {out}: 3 notices · 10 cited directives (7 not in the register)"
                             " · tasks on 2024-09-01: 1 overdue, 2 due within 30 days\n")
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")
    missing = CliRunner().invoke(main, ["report", str(out), "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 2 and "no database at" in missing.output
    assert write_report(db_path, out, TODAY).totals["notices"] == 3
