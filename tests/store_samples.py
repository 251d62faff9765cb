"""Real-looking Notice + Extraction records for the store, audit and serve tests.

The extractor is someone else's work in progress, so these records are built by hand: the
seed notice from its gold file (tests/fixtures/dev/seed-cchc-2024-08.json) with offsets
found in its text, and a few small notices written for the identity rules.
"""
from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from pathlib import Path

from extractors.models import DateMention, Extraction, Reference, Task, Unit
from extractors.numbers import canonical_number
from pipeline.models import Notice, RegisterEntry

FIXTURES = Path(__file__).parent / "fixtures"
SITE = "sokhcn.quangtri.gov.vn"


def find(text: str, needle: str, occurrence: int = 0) -> int:
    positions = [m.start() for m in re.finditer(re.escape(needle), text)]
    assert len(positions) > occurrence, f"{needle!r} not in text"
    return positions[occurrence]


def reference(text: str, written: str, doc_type: str | None, issued: str | None = None,
              issuer: str | None = None, occurrence: int = 0) -> Reference:
    """A mention of ``written`` as the extractor would report it: type words, number and the
    date written after it."""
    at = find(text, written, occurrence)
    start = text.rfind(doc_type, 0, at) if doc_type else at
    end = at + len(written)
    if m := re.match(r" ngày \d{1,2}/\d{1,2}/\d{4}", text[end:]):
        end += m.end()
    return Reference(number=canonical_number(written), doc_type=doc_type, issued=issued,
                     issuer=issuer, text=text[start:end], start=start, end=end,
                     number_start=at, number_end=at + len(written))


def date_mention(text: str, written: str, value: str, role: str, occurrence: int = 0) -> DateMention:
    at = find(text, written, occurrence)
    return DateMention(text=written, value=value, role=role, start=at, end=at + len(written))


def unit(text: str, name: str, *aliases: str, kind: str | None = None) -> Unit:
    spans = sorted({(m.start(), m.end()) for a in (name, *aliases)
                    for m in re.finditer(re.escape(a), text)})
    return Unit(name=name, mentions=spans, kind=kind)


def notice(article_id: str, title: str, body: str, published: date | None,
           category: str = "Cải cách hành chính") -> Notice:
    digest = hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()
    return Notice(site=SITE, article_id=article_id,
                  url=f"https://{SITE}/vi/news/tin-tuc/{article_id}.html", title=title,
                  published=published, category=category, body=body, content_hash=digest,
                  fetched_at="2024-08-23T01:00:00+00:00",
                  raw_path=f"article/{article_id}.html.gz")


# ------------------------------------------------------------------ the seed notice

SEED_TASKS = [  # ordinal, lead units, deadline, references cited inside the item
    ("1", [], None, ["15/KH-SKHCN", "07/TB-SKHCN", "20/TB-SKHCN", "844/SKHCN-VP"]),
    ("2", ["Phòng Quản lý Công nghệ và Đổi mới sáng tạo",
           "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng", "Văn phòng Sở",
           "Trung tâm Nghiên cứu, chuyển giao công nghệ và Đổi mới sáng tạo"], "2024-11-10", []),
    ("3", ["Phòng Quản lý Công nghệ và Đổi mới sáng tạo", "Phòng Quản lý Khoa học"],
     "2024-08-26", []),
    ("4", ["Trung tâm Nghiên cứu, chuyển giao công nghệ và Đổi mới sáng tạo"], "2024-11-15", []),
    ("5", ["Văn phòng Sở"], "2024-09", ["75/KH-SKHCN"]),
    ("6", ["Phòng Quản lý Công nghệ và Đổi mới sáng tạo"], "2024-11-15", ["2731/UBND-KGVX"]),
]


def seed() -> tuple[Notice, Extraction]:
    gold = json.loads((FIXTURES / "dev" / "seed-cchc-2024-08.json").read_text("utf-8"))
    text = gold["text"]
    title = text.split("\n", 1)[0]
    refs = [
        reference(text, "97/KH-SKHCN", "Kế hoạch", "2023-12-28"),
        reference(text, "1820/QĐ-UBND", "Quyết định", "2024-07-24", "Chủ tịch UBND tỉnh"),
        reference(text, "15/KH-SKHCN", "Kế hoạch", "2024-01-12"),
        reference(text, "07/TB-SKHCN", "Thông báo", "2024-01-29"),
        reference(text, "20/TB-SKHCN", "Thông báo", "2024-02-22"),
        reference(text, "844/SKHCN_VP", "Công văn", "2024-08-13"),
        reference(text, "75/KH-SKHCN", "Kế hoạch", "2024-07-31"),
        reference(text, "2731/UBND-KGVX", "Công văn", "2023-06-06"),
    ]
    dates = [
        date_mention(text, "Ngày 15/8/2024", "2024-08-15", "event"),
        date_mention(text, "7 tháng đầu năm 2024", "2024-01/2024-07", "period"),
        *[DateMention(text=r.text[r.text.index("ngày"):], value=r.issued, role="issued",
                      start=r.start + r.text.index("ngày"), end=r.end) for r in refs],
        date_mention(text, "trước ngày 10/11/2024", "2024-11-10", "deadline"),
        date_mention(text, "trước ngày 26/8/2024", "2024-08-26", "deadline"),
        date_mention(text, "trước ngày 15/11/2024", "2024-11-15", "deadline"),
        date_mention(text, "trong tháng 9/2024", "2024-09", "deadline"),
        date_mention(text, "trước ngày 15/11/2024", "2024-11-15", "deadline", occurrence=1),
    ]
    units = [
        unit(text, "Sở Khoa học và Công nghệ", kind="sở"),
        unit(text, "Ban Giám đốc Sở", kind="ban"),
        unit(text, "Văn phòng Sở", kind="văn phòng"),
        unit(text, "UBND tỉnh", kind="ubnd"),
        unit(text, "Phòng Quản lý Công nghệ và Đổi mới sáng tạo",
             "Quản lý Công nghệ và Đổi mới sáng tạo", kind="phòng"),
        unit(text, "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng",
             "Quản lý Tiêu chuẩn Đo lường Chất lượng", kind="phòng"),
        unit(text, "Phòng Quản lý Khoa học", "Quản lý Khoa học", kind="phòng"),
        unit(text, "Trung tâm Nghiên cứu, chuyển giao công nghệ và Đổi mới sáng tạo",
             kind="trung tâm"),
        unit(text, "Sở Nội vụ", kind="sở"),
    ]
    starts = [m.start() for m in re.finditer(r"(?m)^\d\. ", text)] + [len(text)]
    tasks = [Task(ordinal=o, text=text[starts[i]:starts[i + 1]].strip(), lead_units=leads,
                  deadline=deadline, references=cited, start=starts[i],
                  end=starts[i] + len(text[starts[i]:starts[i + 1]].rstrip()))
             for i, (o, leads, deadline, cited) in enumerate(SEED_TASKS)]
    tasks[5].support_units = ["Sở Nội vụ"]
    extraction = Extraction(title=title, published=gold["published"], text=text,
                            references=refs, dates=dates, units=units, tasks=tasks)
    return notice("20240822-cchc", title, text, date(2024, 8, 22)), extraction


# --------------------------------------------------- the same number in several years

def citing_2410(article_id: str, published: date | None, *years: str,
                undated: bool = False) -> tuple[Notice, Extraction]:
    """A notice citing Quyết định 2410/QĐ-UBND: once per year in ``years`` (each with its
    issue date), and once without a date when ``undated``."""
    issued = {"2021": ("15/9/2021", "2021-09-15"), "2022": ("20/10/2022", "2022-10-20")}
    parts = [f"Quyết định số 2410/QĐ-UBND ngày {issued[y][0]} của UBND tỉnh" for y in years]
    body = "Căn cứ " + "; ".join(parts) + "." if parts else ""
    if undated:
        body += "\n\nCác phòng triển khai theo Quyết định số 2410/QD-UBND về quy chế sáng kiến."
    body = body.strip()
    title = f"Thông báo triển khai quy chế sáng kiến ({article_id})"
    refs = [reference(body, "2410/QĐ-UBND", "Quyết định", issued[y][1], "UBND tỉnh", occurrence=i)
            for i, y in enumerate(years)]
    if undated:
        refs.append(reference(body, "2410/QD-UBND", "Quyết định"))
    extraction = Extraction(title=title, published=published and published.isoformat(),
                            text=body, references=refs)
    return notice(article_id, title, body, published, category="Tin tức"), extraction


def register_rows() -> list[RegisterEntry]:
    """Three rows of the register: two numbers the seed cites, one nobody cites."""
    base = f"https://{SITE}/vi/van-ban"
    return [
        RegisterEntry(site=SITE, number="97/KH-SKHCN", issued=date(2023, 12, 28),
                      doc_type="Kế hoạch", summary="Kế hoạch cải cách hành chính năm 2024",
                      file_url=f"{base}/97-kh-skhcn.pdf", detail_url=f"{base}/97", register_id="97"),
        RegisterEntry(site=SITE, number="1820/QD-UBND", issued=date(2024, 7, 24),
                      doc_type="Quyết định", summary="Quy định tiêu chí đánh giá chỉ số CCHC",
                      file_url=f"{base}/1820.pdf", detail_url=f"{base}/1820", register_id="1820"),
        RegisterEntry(site=SITE, number="12/QĐ-SKHCN", issued=date(2024, 1, 5),
                      doc_type="Quyết định", summary="Quy chế làm việc", file_url=None,
                      detail_url=f"{base}/12", register_id="12"),
    ]


def due_notice(today: date) -> tuple[Notice, Extraction]:
    """A notice published 10 days ago with one task due in 10 days, one 5 days overdue and
    one without a deadline, so the date-relative views have something to show."""
    from datetime import timedelta

    soon, late = today + timedelta(days=10), today - timedelta(days=5)
    items = [
        ("1", f"Văn phòng Sở tổng hợp báo cáo tình hình thực hiện trước ngày {soon:%d/%m/%Y}.",
         ["Văn phòng Sở"], soon.isoformat(), ["Phòng Quản lý Khoa học"]),
        ("2", f"Phòng Quản lý Khoa học rà soát đề xuất nhiệm vụ trước ngày {late:%d/%m/%Y}.",
         ["Phòng Quản lý Khoa học"], late.isoformat(), []),
        ("3", "Các phòng, đơn vị nghiên cứu, góp ý dự thảo quy chế.", [], None, []),
    ]
    body = "Giám đốc Sở yêu cầu:\n\n" + "\n\n".join(f"{o}. {t}" for o, t, *_ in items)
    tasks = []
    for ordinal, text, leads, deadline, support in items:
        start = find(body, f"{ordinal}. {text}")
        tasks.append(Task(ordinal=ordinal, text=f"{ordinal}. {text}", lead_units=leads,
                          deadline=deadline, references=[], start=start,
                          end=start + len(ordinal) + 2 + len(text), support_units=support))
    units = [unit(body, "Văn phòng Sở", kind="văn phòng"),
             unit(body, "Phòng Quản lý Khoa học", kind="phòng")]
    published = today - timedelta(days=10)
    title = "Thông báo kết luận giao ban tháng"
    extraction = Extraction(title=title, published=published.isoformat(), text=body,
                            units=units, tasks=tasks)
    return notice("due-" + today.isoformat(), title, body, published, category="Thông báo"), extraction
