"""Short plain-text summaries of a database: what the demo and `notices status` print."""
from __future__ import annotations

from .store import Store


def database_summary(store: Store, top: int = 5) -> str:
    """Notices, cited directives, tasks, and the most-cited directives."""
    db = store.db
    notices = db["notices"].count
    cited = db.execute("select count(distinct document_id) from citations").fetchone()[0]
    citations = db["citations"].count
    unregistered = db.execute("select count(*) from unregistered_directives").fetchone()[0]
    tasks = db["tasks"].count
    with_deadline = db.execute("select count(*) from tasks where deadline is not null").fetchone()[0]
    lines = [f"{notices} notices · {cited} cited directives ({citations} citations, {unregistered} not in the register)"
             f" · {tasks} tasks ({with_deadline} with a deadline) · {db['units'].count} units"]
    files = dict(db.execute("select status, count(*) from attachments group by status").fetchall())
    if files:
        found = db.execute("select count(*) from citations where attachment_id is not null").fetchone()[0]
        lines.append(f"{sum(files.values())} attached files ("
                     + ", ".join(f"{n} {status}" for status, n in sorted(files.items()))
                     + f") · {found} citations found in them")
    rows = db.execute("select number, doc_type, citations, notices from directive_citations limit ?", [top]).fetchall()
    if rows:
        lines.append("most-cited directives:")
        for number, doc_type, n_citations, n_notices in rows:
            lines.append(f"  {number:<24} {doc_type or '':<18} {n_citations} citations in {n_notices} notices")
    return "\n".join(lines)


def run_status(store: Store, runs: int = 10) -> str:
    """The last runs (when, how long, pages, new, changed, failed) and the open fetch errors."""
    lines = [f"{'started (UTC)':<20} {'secs':>6} {'status':<17} {'req':>5} {'pages':>5} {'new':>4} "
             f"{'chg':>4} {'fail':>4}  base URL"]
    for r in store.db.execute("""
            select started_at, round((julianday(finished_at) - julianday(started_at)) * 86400, 1),
                   status, requests, pages_fetched, new, changed, failed, base_url
            from scrape_runs order by id desc limit ?""", [runs]):
        started, secs, status, req, pages, new, changed, failed, base = (
            "-" if value is None else value for value in r)  # a run killed early has no figures
        lines.append(f"{started[:19]:<20} {secs:>6} {status:<17} {req:>5} "
                     f"{pages:>5} {new:>4} {changed:>4} {failed:>4}  {base}")
    failures = store.open_failures()
    lines.append(f"open fetch errors: {len(failures)}")
    for f in failures:
        lines.append(f"  {f.url}  [{f.kind or '-'}] {f.reason} (last tried {f.at})")
    queued = store.queued_urls()
    if queued:  # only a killed run leaves any: the next run visits them first
        lines.append(f"pages queued by an unfinished run: {len(queued)} (the next run visits them first)")
    return "\n".join(lines)
