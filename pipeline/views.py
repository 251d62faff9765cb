"""SQL views: the analysts' and auditors' questions, answerable from any SQLite client.

Datasette's canned queries (``pipeline/datasette/metadata.json``) are thin selects over these
views, so each question's SQL lives here once. "Today" is ``date('now', 'localtime')``: the
machine's local date, which for the agency is Vietnam time.
"""
from __future__ import annotations

_TODAY = "date('now', 'localtime')"
DUE_SOON_DAYS = 30  # "due soon": from today to this many days ahead (views and the report)
_SOON = f"date({_TODAY}, '+{DUE_SOON_DAYS} days')"

VIEWS: dict[str, str] = {
    # One row per citation, with its document and its notice: the citator's raw material.
    "citation_trail": """
select c.id as citation_id, d.id as document_id, d.number, d.key, d.year, d.doc_type,
       d.in_register, n.id as notice_id, n.published, n.title, n.url,
       c.number_as_written, c.issued as issued_as_written, c.sentence
from citations c
join documents d on d.id = c.document_id
join notices n on n.id = c.notice_id
""",
    # Every cited document with how often, by how many notices, and when.
    "directive_citations": """
select d.id as document_id, d.number, d.year, d.doc_type, d.issued, d.issuer_code,
       d.in_register, count(c.id) as citations, count(distinct c.notice_id) as notices,
       (select count(*) from task_references tr where tr.document_id = d.id) as tasks,
       min(n.published) as first_cited, max(n.published) as last_cited
from documents d
join citations c on c.document_id = d.id
join notices n on n.id = c.notice_id
group by d.id
order by notices desc, citations desc, d.number
""",
    # The auditors' gap list: directives the notices rely on that the register lacks.
    "unregistered_directives": """
select * from directive_citations where in_register = 0
""",
    "citations_per_month": """
select substr(n.published, 1, 7) as month, count(*) as citations,
       count(distinct c.notice_id) as notices, count(distinct c.document_id) as documents
from citations c
join notices n on n.id = c.notice_id
where n.published is not null
group by month
order by month
""",
    # One row per task with its notice and its units, names sorted so output is stable;
    # lead_unit_list is the same leads as a JSON array, for Datasette's array facet.
    "task_schedule": """
select t.id as task_id, t.notice_id, n.published, n.title as notice_title, n.url,
       t.ordinal, t.text, t.deadline, t.deadline_date,
       (select group_concat(name, '; ') from (
          select u.name from task_units tu join units u on u.id = tu.unit_id
          where tu.task_id = t.id and tu.role = 'lead' order by u.name)) as lead_units,
       (select group_concat(name, '; ') from (
          select u.name from task_units tu join units u on u.id = tu.unit_id
          where tu.task_id = t.id and tu.role = 'support' order by u.name)) as support_units,
       (select json_group_array(name) from (
          select u.name from task_units tu join units u on u.id = tu.unit_id
          where tu.task_id = t.id and tu.role = 'lead' order by u.name)) as lead_unit_list
from tasks t
join notices n on n.id = t.notice_id
""",
    "tasks_due_soon": f"""
select * from task_schedule
where deadline_date between {_TODAY} and {_SOON}
order by deadline_date, published, task_id
""",
    # "Overdue" means past its deadline: the portal never says whether a task was done.
    "tasks_overdue": f"""
select * from task_schedule
where deadline_date < {_TODAY}
order by deadline_date, published, task_id
""",
    "unit_workload": f"""
select u.id as unit_id, u.name as unit, u.kind,
       count(distinct case when tu.role = 'lead' then t.id end) as tasks_led,
       count(distinct case when tu.role = 'lead' and t.deadline_date
             between {_TODAY} and {_SOON} then t.id end) as due_30_days,
       count(distinct case when tu.role = 'lead' and t.deadline_date < {_TODAY}
             then t.id end) as overdue,
       count(distinct case when tu.role = 'lead' and t.deadline_date is null
             then t.id end) as no_deadline,
       count(distinct case when tu.role = 'support' then t.id end) as tasks_supported
from units u
join task_units tu on tu.unit_id = u.id
join tasks t on t.id = tu.task_id
group by u.id
order by tasks_led desc, u.name
""",
    # Which notices mention a unit, and how often.
    "unit_notices": """
select u.id as unit_id, u.name as unit, n.id as notice_id, n.published, n.title, n.url,
       count(*) as mentions
from unit_mentions m
join units u on u.id = m.unit_id
join notices n on n.id = m.notice_id
group by u.id, n.id
order by u.name, n.published desc
""",
}

# Which portal a document or unit appears on (many portals in one database).
from pipeline.site_views import SITE_VIEWS  # noqa: E402

VIEWS.update(SITE_VIEWS)

# Documents on file and the citations between documents.
from pipeline.document_views import DOCUMENT_VIEWS  # noqa: E402

VIEWS.update(DOCUMENT_VIEWS)
