"""The SQLite store: schema, one transaction per notice, idempotence, versions, the register,
document identity by (key, year) independent of load order, full-text search, run log."""
from __future__ import annotations

import dataclasses
import sqlite3
from datetime import date

import pytest
import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors import EXTRACTOR_VERSION
from pipeline.models import FetchFailure, RegisterEntry, RunStats
from pipeline.schema import MIGRATIONS
from pipeline.search import fts_query
from pipeline.store import Store
from tests.store_samples import SITE, citing_2410, reference, register_rows, seed

SEED_NUMBERS = {"97/KH-SKHCN", "1820/QĐ-UBND", "15/KH-SKHCN", "07/TB-SKHCN", "20/TB-SKHCN",
                "844/SKHCN-VP", "75/KH-SKHCN", "2731/UBND-KGVX"}


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "db" / "notices.db") as s:
        yield s


@pytest.fixture
def seeded(store):
    store.save_notice(*seed())
    return store


def rows(store: Store, sql: str) -> list[tuple]:
    return sorted((tuple(r) for r in store.db.execute(sql)), key=repr)


def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Every table by natural keys only: surrogate ids depend on insertion order."""
    return {
        "notices": rows(store, "select site, article_id, url, category, title, published, body,"
                        " content_hash, raw_path, extractor_version from notices"),
        "versions": rows(store, "select n.article_id, v.content_hash, v.raw_path from"
                         " notice_versions v join notices n on n.id = v.notice_id"),
        "documents": rows(store, "select number, key, year, type_code, doc_type, issuer_code,"
                          " issuer, issued, in_register, summary, file_url from documents"),
        "citations": rows(store, """
            select n.article_id, d.key, d.year, c.number, c.number_as_written, c.year_known,
                   c.doc_type, c.issued, c.issuer, c.mention, c.sentence, c.start, c.[end]
            from citations c join notices n on n.id = c.notice_id
            join documents d on d.id = c.document_id"""),
        "units": rows(store, "select name, kind from units"),
        "unit_mentions": rows(store, "select n.article_id, u.name, m.start, m.[end] from"
                              " unit_mentions m join notices n on n.id = m.notice_id"
                              " join units u on u.id = m.unit_id"),
        "tasks": rows(store, "select n.article_id, t.position, t.ordinal, t.text, t.deadline,"
                      " t.deadline_date, t.start, t.[end] from tasks t"
                      " join notices n on n.id = t.notice_id"),
        "task_units": rows(store, """
            select n.article_id, t.position, u.name, tu.role from task_units tu
            join tasks t on t.id = tu.task_id join notices n on n.id = t.notice_id
            join units u on u.id = tu.unit_id"""),
        "task_references": rows(store, """
            select n.article_id, t.position, d.key, d.year, tr.number, tr.citation_id is null
            from task_references tr join tasks t on t.id = tr.task_id
            join notices n on n.id = t.notice_id join documents d on d.id = tr.document_id"""),
        "dates": rows(store, "select n.article_id, x.text, x.value, x.role, x.start, x.[end],"
                      " x.date_start, x.date_end from dates x join notices n on n.id = x.notice_id"),
    }


# ---------------------------------------------------------------------- schema

def test_schema_tables_foreign_keys_and_pragmas(tmp_path):
    path = tmp_path / "deep" / "er" / "notices.db"  # parent folders are created
    with Store(path) as store:
        db = store.db
        tables = set(db.table_names())
        assert {"notices", "documents", "citations", "tasks", "units", "dates", "scrape_runs",
                "fetch_errors", "notice_versions", "unit_mentions", "task_units",
                "task_references", "register_entries", "notices_fts", "tasks_fts"} <= tables
        # the columns outside checks rely on (contract: "The database, as outside checks see it")
        for table, columns in {"notices": {"url", "title", "published", "category", "body"},
                               "documents": {"number"},
                               "citations": {"notice_id", "document_id"},
                               "tasks": {"notice_id", "ordinal", "deadline"}}.items():
            assert columns <= set(db[table].columns_dict), table
        fks = {(t.name, fk.column, fk.other_table) for t in db.tables for fk in t.foreign_keys}
        assert {("citations", "notice_id", "notices"), ("citations", "document_id", "documents"),
                ("tasks", "notice_id", "notices"), ("task_units", "unit_id", "units"),
                ("task_units", "task_id", "tasks"), ("task_references", "document_id", "documents"),
                ("dates", "notice_id", "notices"), ("unit_mentions", "unit_id", "units"),
                ("notice_versions", "notice_id", "notices"),
                ("fetch_errors", "run_id", "scrape_runs")} <= fks
        assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
        assert db.execute("pragma foreign_keys").fetchone()[0] == 1
        assert db.execute("pragma busy_timeout").fetchone()[0] == 30000
        assert db.execute("pragma synchronous").fetchone()[0] == 1  # NORMAL
        assert {"citation_trail", "directive_citations", "task_schedule", "unit_workload",
                "tasks_due_soon", "tasks_overdue", "citations_per_month"} <= set(db.view_names())
        migrations = db["_sqlite_migrations"].count
    with Store(path) as again:  # reopening migrates nothing twice
        assert again.db["_sqlite_migrations"].count == migrations


def test_a_failed_save_leaves_nothing(store):
    notice, extraction = seed()
    extraction.tasks[3].lead_units = [None]  # blows up halfway through the tasks
    with pytest.raises(Exception):
        store.save_notice(notice, extraction)
    assert all(n == 0 for n in store.counts().values())
    store.save_notice(*seed())  # and the connection is usable afterwards
    assert store.counts()["citations"] == 8


def test_readers_see_committed_data_while_a_write_is_open(seeded):
    # What Datasette does while the nightly job writes: WAL readers are never blocked.
    reader = sqlite3.connect(f"file:{seeded.path}?mode=ro", uri=True)
    with seeded._write():
        seeded.db.execute("delete from dates")
        assert reader.execute("select count(*) from dates").fetchone()[0] == 15
    reader.close()


# ------------------------------------------------------------------ one notice

def test_seed_notice_rows(seeded):
    db = seeded.db
    assert {r[0] for r in db.execute("select number from documents")} == SEED_NUMBERS
    written, sentence = db.execute("select number_as_written, sentence from citations"
                                   " where number = '844/SKHCN-VP'").fetchone()
    assert written == "844/SKHCN_VP"  # as the notice writes it
    assert sentence.startswith("1. Căn cứ nhiệm vụ được giao")
    assert "Công văn số 844/SKHCN_VP ngày 13/8/2024" in sentence
    body, start, end = db.execute("select n.body, c.start, c.[end] from citations c join notices n"
                                  " on n.id = c.notice_id where c.number = '1820/QĐ-UBND'").fetchone()
    assert body[start:end] == "Quyết định số 1820/QĐ-UBND ngày 24/7/2024"  # offsets into body
    documents = {r[0]: r[1:] for r in db.execute(
        "select number, year, doc_type, issued, type_code, issuer_code, issuer from documents")}
    assert documents["1820/QĐ-UBND"] == (2024, "Quyết định", "2024-07-24", "QĐ", "UBND",
                                         "Chủ tịch UBND tỉnh")
    assert documents["844/SKHCN-VP"] == (2024, "Công văn", "2024-08-13", None, "SKHCN", None)
    assert documents["97/KH-SKHCN"][:2] == (2023, "Kế hoạch")

    tasks = db.execute("select ordinal, deadline, deadline_date from tasks order by position").fetchall()
    assert tasks == [("1", None, None), ("2", "2024-11-10", "2024-11-10"),
                     ("3", "2024-08-26", "2024-08-26"), ("4", "2024-11-15", "2024-11-15"),
                     ("5", "2024-09", "2024-09-30"), ("6", "2024-11-15", "2024-11-15")]
    leads = rows(seeded, "select t.ordinal, u.name from task_units tu join tasks t on t.id = tu.task_id"
                         " join units u on u.id = tu.unit_id where tu.role = 'lead'")
    assert ("5", "Văn phòng Sở") in leads and ("3", "Phòng Quản lý Khoa học") in leads
    assert len(leads) == 9  # 4 + 2 + 1 + 1 + 1; item 1 names no unit
    assert rows(seeded, "select u.name from task_units tu join units u on u.id = tu.unit_id"
                        " where role = 'support'") == [("Sở Nội vụ",)]
    refs = rows(seeded, "select t.ordinal, d.number, tr.citation_id is not null from task_references"
                        " tr join tasks t on t.id = tr.task_id join documents d on d.id = tr.document_id")
    assert refs == sorted([("1", "15/KH-SKHCN", 1), ("1", "07/TB-SKHCN", 1), ("1", "20/TB-SKHCN", 1),
                           ("1", "844/SKHCN-VP", 1), ("5", "75/KH-SKHCN", 1),
                           ("6", "2731/UBND-KGVX", 1)], key=repr)
    period = db.execute("select date_start, date_end from dates where role = 'period'").fetchone()
    assert period == ("2024-01-01", "2024-07-31")
    for table in ("citations", "tasks", "dates", "unit_mentions"):
        assert {r[0] for r in db.execute(f"select extractor_version from {table}")} == {EXTRACTOR_VERSION}
    assert db.execute("select extractor_version from notices").fetchone()[0] == EXTRACTOR_VERSION


def test_saving_twice_changes_nothing(seeded):
    notice, extraction = seed()
    before = snapshot(seeded)
    documents = rows(seeded, "select id, number from documents")
    assert seeded.save_notice(notice, extraction) == 1
    assert snapshot(seeded) == before
    assert rows(seeded, "select id, number from documents") == documents  # ids stay put
    assert seeded.counts()["notice_versions"] == 1


def test_changed_notice_is_reversioned_and_its_rows_replaced(seeded):
    notice, extraction = seed()
    cut = extraction.tasks[5].start  # the notice loses item 6 and its Công văn 2731
    extraction.text = extraction.text[:cut].rstrip() + "\n\n6. Văn phòng Sở tổng hợp, báo cáo."
    extraction.references = [r for r in extraction.references if r.end <= cut]
    extraction.dates = [d for d in extraction.dates if d.end <= cut]
    extraction.units = [dataclasses.replace(u, mentions=[m for m in u.mentions if m[1] <= cut])
                        for u in extraction.units]
    extraction.tasks[5] = dataclasses.replace(
        extraction.tasks[5], text="6. Văn phòng Sở tổng hợp, báo cáo.", lead_units=["Văn phòng Sở"],
        deadline=None, references=[], support_units=[], end=len(extraction.text))
    changed = dataclasses.replace(notice, body=extraction.text, content_hash="changed",
                                  raw_path="article/20240822-cchc.v2.html.gz")

    assert seeded.save_notice(changed, extraction) == 1
    db = seeded.db
    assert set(rows(seeded, "select content_hash, raw_path from notice_versions")) == {
        ("changed", "article/20240822-cchc.v2.html.gz"),
        (notice.content_hash, "article/20240822-cchc.html.gz")}
    assert db.execute("select content_hash, raw_path from notices").fetchone() == (
        "changed", "article/20240822-cchc.v2.html.gz")
    assert "2731/UBND-KGVX" not in {r[0] for r in db.execute("select number from documents")}
    assert db["citations"].count == 7 and db["tasks"].count == 6
    assert db.execute("select deadline from tasks where ordinal = '6'").fetchone() == (None,)
    assert rows(seeded, "select u.name from task_units tu join tasks t on t.id = tu.task_id join"
                        " units u on u.id = tu.unit_id where t.ordinal = '6'") == [("Văn phòng Sở",)]
    assert not db.execute("select 1 from notices_fts where notices_fts match 'KGVX'").fetchall()
    assert db.execute("select count(*) from notices_fts where notices_fts match 'tong hop'").fetchone()[0] == 1


def test_content_hash_and_known_ids(seeded):
    notice, _ = seed()
    assert seeded.content_hash(SITE, notice.article_id) == notice.content_hash
    assert seeded.content_hash(SITE, "nope") is None
    assert seeded.known_article_ids(SITE) == {notice.article_id}
    assert seeded.known_article_ids("other.site") == set()


# -------------------------------------------------------------------- register

def test_register_marks_documents(seeded):
    assert seeded.save_register(register_rows()) == 3
    assert seeded.save_register(register_rows()) == 3  # idempotent
    documents = {r[0]: r[1:] for r in seeded.db.execute(
        "select number, in_register, summary, file_url, year from documents")}
    assert documents["1820/QĐ-UBND"][:3] == (1, "Quy định tiêu chí đánh giá chỉ số CCHC",
                                             "https://sokhcn.quangtri.gov.vn/vi/van-ban/1820.pdf")
    assert documents["97/KH-SKHCN"][0] == 1
    assert documents["12/QĐ-SKHCN"] == (1, "Quy chế làm việc", None, 2024)  # listed, never cited
    assert {n for n, v in documents.items() if v[0] == 0} == SEED_NUMBERS - {"97/KH-SKHCN", "1820/QĐ-UBND"}
    assert seeded.known_register_numbers(SITE) == {"97/KH-SKHCN", "1820/QĐ-UBND", "12/QĐ-SKHCN"}
    assert seeded.db["register_entries"].count == 3
    gaps = {r[0] for r in seeded.db.execute("select number from unregistered_directives")}
    assert gaps == SEED_NUMBERS - {"97/KH-SKHCN", "1820/QĐ-UBND"}


# ------------------------------------------------------- identity (key, year)

def numbers_by_year(store: Store) -> dict[str, int | None]:
    return {a: y for a, y in store.db.execute("""
        select n.article_id || ':' || c.number_as_written || ':' || c.start, d.year
        from citations c join notices n on n.id = c.notice_id
        join documents d on d.id = c.document_id where d.key = '2410/QDUBND'""")}


def test_same_number_two_years_and_undated_mentions(store):
    store.save_notice(*citing_2410("a-2023", date(2023, 3, 10), "2021", "2022", undated=True))
    store.save_notice(*citing_2410("a-2021", date(2021, 12, 1), undated=True))
    store.save_notice(*citing_2410("a-2020", date(2020, 1, 1), undated=True))
    assert rows(store, "select number, year, issued from documents") == sorted([
        ("2410/QĐ-UBND", 2021, "2021-09-15"), ("2410/QĐ-UBND", 2022, "2022-10-20"),
        ("2410/QĐ-UBND", None, None)], key=repr)
    years = {k.split(":")[0] + ":" + k.split(":")[1]: v for k, v in numbers_by_year(store).items()
             if "QD" in k}
    assert years == {"a-2023:2410/QD-UBND": 2022,  # latest year not after 2023
                     "a-2021:2410/QD-UBND": 2021,  # 2022 is after the notice
                     "a-2020:2410/QD-UBND": None}  # nothing that early: a year-NULL document
    assert rows(store, "select year_known from citations") == [(0,), (0,), (0,), (1,), (1,)]


def test_load_order_does_not_matter(tmp_path):
    loads = [("notice", seed()),
             ("notice", citing_2410("a-2023", date(2023, 3, 10), "2021", "2022", undated=True)),
             ("notice", citing_2410("a-2021", date(2021, 12, 1), undated=True)),
             ("notice", citing_2410("a-2022", date(2022, 6, 1), "2021")),
             ("notice", citing_2410("a-2020", date(2020, 1, 1), undated=True)),
             ("register", register_rows())]
    snapshots = []
    for i, order in enumerate([loads, loads[::-1], loads[2:] + loads[:2]]):
        with Store(tmp_path / f"{i}.db") as store:
            for kind, item in order:
                store.save_notice(*item) if kind == "notice" else store.save_register(item)
            assert store.resolve_undated() == 0  # save_notice already settled every key
            snapshots.append(snapshot(store))
    assert snapshots[0] == snapshots[1] == snapshots[2]
    assert len([d for d in snapshots[0]["documents"] if d[1] == "2410/QDUBND"]) == 3


def test_undated_first_then_dated_repoints_and_drops_placeholder(store):
    store.save_notice(*citing_2410("a-2023u", date(2023, 5, 1), undated=True))
    assert rows(store, "select year from documents") == [(None,)]
    store.save_notice(*citing_2410("a-2022", date(2022, 11, 1), "2022"))
    assert rows(store, "select year from documents") == [(2022,)]
    assert set(numbers_by_year(store).values()) == {2022}
    # the dated mention disappears again: the undated one falls back to a placeholder
    store.save_notice(*citing_2410("a-2022", date(2022, 11, 1)))
    assert rows(store, "select year from documents") == [(None,)]


def test_resolve_undated_repairs_stale_pointers(store):
    store.save_notice(*citing_2410("a-2022", date(2022, 11, 1), "2022"))
    store.save_notice(*citing_2410("a-2023u", date(2023, 5, 1), undated=True))
    with store._write():  # as a crash-era database or a hand edit might leave it
        placeholder = store.db.execute("insert into documents (number, key, year, in_register)"
                                       " values ('2410/QĐ-UBND', '2410/QDUBND', null, 0)").lastrowid
        store.db.execute("update citations set document_id = ? where year_known = 0", [placeholder])
    assert store.resolve_undated() == 1
    assert rows(store, "select year from documents") == [(2022,)]
    assert store.resolve_undated() == 0


def test_spellings_of_one_number_are_one_document(store):
    notice, extraction = citing_2410("a", date(2024, 3, 1), "2022")
    body = extraction.text + "\n\nXem thêm Quyết định số 02410/QĐUBND ngày 20/10/2022."
    extraction.text = body
    extraction.references.append(reference(body, "02410/QĐUBND", "Quyết định", "2022-10-20"))
    store.save_notice(dataclasses.replace(notice, body=body), extraction)
    assert rows(store, "select number, year from documents") == [("2410/QĐ-UBND", 2022)]
    assert store.db["citations"].count == 2


# ---------------------------------------------------------------- full text

SEARCH = "select id from notices where id in (select rowid from notices_fts where notices_fts match escape_fts(?))"


@pytest.mark.parametrize("query, found", [
    ("cai cach hanh chinh", True), ("cải cách hành chính", True), ("đổi mới", True),
    ("ĐỔI MỚI", True), ("doi moi", True), ("Doi Moi sang tao", True), ("quang tri", True),
    ("khong ton tai", False), ("doi moi khong ton tai", False), ("\"doi moi sang tao\"", True),
    ("\"moi doi\"", False), ("phong quan ly khoa hoc", True), ("don vi", True), ("đơn vị", True),
])
def test_full_text_with_and_without_diacritics(seeded, query, found):
    # The SQL Datasette runs for ?_search= (escaped mode), with escape_fts as the project's
    # Datasette plugin installs it.
    seeded.db.conn.create_function("escape_fts", 1, fts_query)
    assert bool(seeded.db.execute(SEARCH, [query]).fetchall()) is found


def test_task_full_text(seeded):
    hits = seeded.db.execute("select t.ordinal from tasks t where t.id in (select rowid from"
                             " tasks_fts where tasks_fts match ?)", [fts_query("bao cao sang kien")]).fetchall()
    assert hits == [("2",)]


def test_tables_hold_no_search_copies(seeded):
    for table in ("notices", "tasks"):
        assert "search_text" not in seeded.db[table].columns_dict
    # the indexes read the tables' own text: nothing is stored twice
    for fts in ("notices_fts", "tasks_fts"):
        assert 'content="' in seeded.db[fts].schema


def test_a_database_with_search_copies_is_migrated(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    MIGRATIONS.apply(old, stop_before="m003_search_without_copies")
    old["notices"].insert({"site": SITE, "article_id": "1", "url": "u", "title": "Đổi mới",
                           "body": "Kế hoạch cải cách hành chính", "content_hash": "h",
                           "search_text": "doi moi\nke hoach cai cach hanh chinh"})
    old.close()
    with Store(path) as store:
        assert "search_text" not in store.db["notices"].columns_dict
        store.save_notice(*seed())
        found = {r[0] for r in store.db.execute(
            SEARCH.replace("escape_fts(?)", "?"), [fts_query("doi moi")])}
        assert found == {1, 2}


# ------------------------------------------------------------- failures, runs

def test_failures_are_recorded_bumped_and_cleared(store):
    run_id = store.start_run("https://sokhcn.quangtri.gov.vn")
    store.record_failure(FetchFailure(url="https://x/a", reason="timeout", kind="article",
                                      at="2024-08-01T00:00:00+00:00"), run_id=run_id)
    store.record_failure(FetchFailure(url="https://x/a", reason="HTTP 503", status=503,
                                      at="2024-08-02T00:00:00+00:00"))
    store.record_failure(FetchFailure(url="https://x/b", reason="parse: no title", kind="article"))
    row = store.db.execute("select reason, status, kind, first_seen, last_seen, attempts, run_id"
                           " from fetch_errors where url = 'https://x/a'").fetchone()
    assert row == ("HTTP 503", 503, "article", "2024-08-01T00:00:00+00:00",
                   "2024-08-02T00:00:00+00:00", 2, run_id)
    assert [f.url for f in store.open_failures()] == ["https://x/a", "https://x/b"]
    assert store.clear_failure("https://x/a") is True
    assert store.clear_failure("https://x/a") is False
    assert [f.url for f in store.open_failures()] == ["https://x/b"]


def test_runs(store):
    first = store.start_run("https://sokhcn.quangtri.gov.vn")
    second = store.start_run("https://sokhcn.quangtri.gov.vn")
    store.finish_run(first, RunStats(started_at="ignored", requests=12, pages_fetched=10, new=3,
                                     changed=1, unchanged=6, failed=1, register_rows=20,
                                     status="ok", message="3 new"))
    store.finish_run(second, RunStats(started_at="ignored", status="running"))
    runs = store.last_runs(5)
    assert [r["id"] for r in runs] == [second, first]
    assert runs[1]["new"] == 3 and runs[1]["status"] == "ok" and runs[1]["finished_at"]
    assert runs[0]["status"] == "ok"  # finished, so no longer "running"
    assert len(store.last_runs(1)) == 1


def test_same_article_id_on_two_sites_is_two_notices(seeded):
    notice, extraction = seed()
    other = dataclasses.replace(notice, site="other.example")
    assert seeded.save_notice(other, extraction) == 2
    assert seeded.counts()["notices"] == 2
    assert seeded.counts()["documents"] == 8  # cited twice, still one document each
    assert {r[0] for r in seeded.db.execute("select citations from directive_citations")} == {2}


# ------------------------------------------- incremental settling = from scratch

PUBLISHED = [date(2020, 6, 1), date(2021, 12, 1), date(2022, 6, 1), date(2023, 3, 10), None]
ISSUED = {"2021": date(2021, 9, 15), "2022": date(2022, 10, 20), None: None}
version = st.tuples(st.sampled_from(PUBLISHED), st.sets(st.sampled_from(["2021", "2022"])),
                    st.booleans())
operation = st.one_of(
    st.tuples(st.just("notice"), st.sampled_from(["n1", "n2", "n3"]), version),
    st.tuples(st.just("register"), st.sampled_from(["2021", "2022", None])))


def apply(store: Store, op) -> None:
    if op[0] == "notice":
        _, article, (published, years, undated) = op
        store.save_notice(*citing_2410(article, published, *sorted(years), undated=undated))
    else:
        store.save_register([RegisterEntry(site=SITE, number="2410/QD-UBND", issued=ISSUED[op[1]],
                                           doc_type="Quyết định", summary=f"register {op[1]}",
                                           file_url=None, detail_url=None)])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=1, max_size=8))
def test_any_history_ends_where_a_fresh_load_does(tmp_path_factory, operations):
    """Whatever order notices (and their later edits) and register rows arrive in, the
    database equals a fresh load of the final versions, and the full sweep finds nothing."""
    folder = tmp_path_factory.mktemp("history")
    with Store(folder / "incremental.db") as store:
        for op in operations:
            apply(store, op)
        incremental = snapshot(store)
        assert store.resolve_undated() == 0
        assert snapshot(store) == incremental
    final = {op[1]: op for op in operations if op[0] == "notice"}
    registers = {op[1]: op for op in operations if op[0] == "register"}
    with Store(folder / "fresh.db") as fresh:
        for op in [*registers.values(), *sorted(final.values())]:
            apply(fresh, op)
        expected = snapshot(fresh)
    assert incremental["documents"] == expected["documents"]
    assert incremental["citations"] == expected["citations"]
    assert incremental["task_references"] == expected["task_references"]


def test_a_bulk_load_remembers_unit_ids_and_forgets_those_a_failed_save_wrote(store):
    """In ``batch()`` the loader writes a unit once and reuses its id (the kind still follows
    the latest non-null one); a save that fails rolls its units back, and the next notice that
    names them writes them again, so every mention points at a unit that exists."""
    from extractors.models import Extraction, Task, Unit
    from tests.store_samples import notice

    body = "Phòng Kế hoạch và Phòng Tổ chức họp."

    def saved(article_id: str, units: list[Unit], tasks: list[Task] = ()) -> None:
        store.save_notice(notice(article_id, "Họp", body, date(2024, 8, 1)),
                          Extraction(title="Họp", published="2024-08-01", text=body, units=units,
                                     tasks=list(tasks)), settle=False)

    with store.batch():
        saved("1", [Unit("Phòng Kế hoạch", [(0, 14)], None)])
        broken = Task("1", ["not text"], [], None, [], 0, 5)  # cannot be bound: the save fails late
        with pytest.raises(sqlite3.Error):
            saved("2", [Unit("Phòng Tổ chức", [(18, 31)], "phòng")], [broken])
        saved("3", [Unit("Phòng Tổ chức", [(18, 31)], None), Unit("Phòng Kế hoạch", [(0, 14)], "phòng")])
        saved("4", [Unit("Phòng Kế hoạch", [(0, 14)], None)])
    assert rows(store, "select name, kind from units") == [("Phòng Kế hoạch", "phòng"), ("Phòng Tổ chức", None)]
    assert rows(store, "select n.article_id, u.name from unit_mentions m join notices n on n.id = m.notice_id"
                       " join units u on u.id = m.unit_id") == [
        ("1", "Phòng Kế hoạch"), ("3", "Phòng Kế hoạch"), ("3", "Phòng Tổ chức"), ("4", "Phòng Kế hoạch")]
    assert store.db.execute("pragma foreign_key_check").fetchall() == []
    assert rows(store, "select article_id from notices") == [("1",), ("3",), ("4",)]
