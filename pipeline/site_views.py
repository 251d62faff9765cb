"""Views that show which portal (site) a document or a unit appears on.

Why views and not a ``site`` column on ``documents`` and ``units``: both are shared across the
province by design. 1820/QĐ-UBND of the UBND tỉnh is one directive whether the Sở KH&CN or a
huyện cites it, and "UBND tỉnh" is one unit; identity stays (key, year) and name. The site is
carried by what ties them to a notice (``citations``, ``unit_mentions`` → ``notices.site``; a
register row has its own ``site``), so these views are always right, cost the writers nothing
and never depend on load order (a stored "first site" would).

Datasette shows them as tables with a ``site`` facet: which portals cite a directive, how often,
first and last; which units each portal names. A relative name such as "Văn phòng Sở" is one
unit row for every Sở that writes it; ``unit_sites`` tells them apart by site.
"""
from __future__ import annotations

SITE_VIEWS: dict[str, str] = {
    "document_sites": """
select d.id as document_id, d.number, d.year, d.doc_type, n.site,
       count(c.id) as citations, count(distinct c.notice_id) as notices,
       min(n.published) as first_cited, max(n.published) as last_cited,
       exists (select 1 from register_entries r
               where r.document_id = d.id and r.site = n.site) as in_site_register
from citations c
join documents d on d.id = c.document_id
join notices n on n.id = c.notice_id
group by d.id, n.site
""",
    "unit_sites": """
select u.id as unit_id, u.name, u.kind, n.site,
       count(m.id) as mentions, count(distinct m.notice_id) as notices,
       min(n.published) as first_mentioned, max(n.published) as last_mentioned
from unit_mentions m
join units u on u.id = m.unit_id
join notices n on n.id = m.notice_id
group by u.id, n.site
""",
}
