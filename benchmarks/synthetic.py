"""Realistic synthetic notices for the scale benchmarks, and archives of them.

Every notice is a real template of the gold corpora (``tests/fixtures/dev`` and ``synth``: Sở,
huyện, xã, hospitals, companies) recombined and varied, so the extractor has real work:

- its task list may be swapped for another notice's (with the sentence that introduces it);
- every document number it cites is renumbered in the same shape (97/KH-SKHCN, 30/2020/NĐ-CP,
  57-NQ/TW, 844/SKHCN-VP ...), often with another issuer, sometimes written as people type
  them (QD for QĐ, an underscore, lower case);
- its units are swapped for other units with the same head (Phòng ..., UBND huyện ..., Sở ...)
  taken from every corpus, so thousands of notices name hundreds of units of many agencies;
- the whole text moves to another year (dates of every form move with it: 15/8/2024,
  "tháng 9/2024", "quý III/2024", "6 tháng đầu năm 2024"), published on a random day of it;
- it belongs to one of a dozen portals of the province (``SITES``).

Pages are rendered in the portal's markup (``tests/portal_pages.py``) and written through
``pipeline.archive.Archive`` exactly as the crawler writes them. Generation is deterministic:
notice ``i`` is the same on every machine.

    python benchmarks/synthetic.py OUT_DIR N     # an archive of N pages (2 processes)
"""
from __future__ import annotations

import json
import random
import re
import sys
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from pipeline.archive import Archive  # noqa: E402
from pipeline.models import FetchedPage  # noqa: E402
from tests import portal_pages  # noqa: E402
from tests.portal import CATEGORIES, MockPortal, PortalArticle  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
SITES = [
    "sokhcn.quangtri.gov.vn", "snnmt.quangtri.gov.vn", "stc.quangtri.gov.vn", "snv.quangtri.gov.vn",
    "syt.quangtri.gov.vn", "stttt.quangtri.gov.vn", "giolinh.quangtri.gov.vn", "vinhlinh.quangtri.gov.vn",
    "trieuphong.quangtri.gov.vn", "camlo.quangtri.gov.vn", "trieuco.quangtri.gov.vn", "quangbinh.gov.vn",
]
ISSUERS = ["UBND", "SKHCN", "SNN", "STC", "SNV", "SYT", "STTTT", "SCT", "SXD", "SGDĐT", "BQLKKT", "VPUBND",
           "HĐND", "BCĐ", "SKHĐT", "STNMT"]
TYPES = ["QĐ", "KH", "TB", "BC", "CT", "HD", "KL", "TTr", "NQ"]
YEARS = range(2016, 2026)
ITEM = re.compile(r"^(?:\d{1,2}|[a-zđ]|[IVX]{1,4})[.)]\s")
YEAR = re.compile(r"(?<!\d)(19[89]\d|20[0-3]\d)(?!\d)")
GENERATOR_VERSION = 1  # bump when the output changes: cached archives are rebuilt


@dataclass
class Template:
    title: str
    paragraphs: list[str]
    published: date
    numbers: list[str]  # canonical numbers it cites
    units: list[str]  # unit names it mentions (canonical names and aliases)


def load_templates(fixtures: Path = FIXTURES) -> list[Template]:
    templates = []
    for path in sorted(fixtures.glob("*/*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if "text" not in gold:
            continue  # tests/fixtures/real keeps no text (third-party documents)
        title, _, rest = gold["text"].partition("\n")
        names = [n for u in gold["units"] for n in [u["name"], *u.get("aliases", [])]]
        templates.append(Template(title.strip(), [p for p in rest.strip("\n").split("\n\n") if p.strip()],
                                  date.fromisoformat(gold["published"]),
                                  sorted({r["number"] for r in gold["references"]}, key=len, reverse=True),
                                  sorted(set(names), key=len, reverse=True)))
    return templates


def _head(name: str) -> str:
    """What a unit may be swapped with: the same head noun (and level: "UBND huyện")."""
    words = name.split()
    return " ".join(words[:2]) if words[0] in ("UBND", "Ủy", "Phòng", "Sở", "Bộ", "Ban", "Cục") else words[0]


class Generator:
    def __init__(self, templates: list[Template] | None = None) -> None:
        self.templates = templates or load_templates()
        self.units_by_head: dict[str, list[str]] = {}
        for t in self.templates:
            for name in t.units:
                if len(name.split()) >= 2:
                    self.units_by_head.setdefault(_head(name), []).append(name)
        for names in self.units_by_head.values():
            names[:] = sorted(set(names))

    def notice(self, i: int) -> tuple[str, PortalArticle]:
        """(site, article) of synthetic notice ``i``."""
        rng = random.Random(i)
        base, donor = rng.sample(self.templates, 2)
        year = rng.choice(YEARS)
        published = date(year, rng.randint(1, 12), rng.randint(1, 28))
        # Each part moves by its own template's distance to the new year.
        parts = [(base, [base.title, *base.paragraphs])]
        donor_items = _task_list(donor.paragraphs)
        own = _task_list(base.paragraphs)
        if donor_items and rng.random() < 0.5:
            start = base.paragraphs.index(own[0]) + 1 if own else len(base.paragraphs) + 1
            parts = [(base, parts[0][1][:start]), (donor, donor_items), (base, parts[0][1][start + len(own):])]
        tokens: dict[str, str] = {}
        texts = []
        for template, paragraphs in parts:
            text = "\n\n".join(paragraphs)
            shift = year - template.published.year
            text = self._renumber(rng, text, template.numbers, year, shift, tokens)
            text = self._swap_units(rng, text, template.units)
            texts.append(YEAR.sub(lambda m: str(min(2030, int(m[1]) + shift)), text))
        text = "\n\n".join(t for t in texts if t)
        for token, number in tokens.items():
            text = text.replace(token, number)
        title, _, body = text.partition("\n\n")
        site = SITES[rng.randrange(len(SITES))]
        category = sorted(CATEGORIES)[rng.randrange(len(CATEGORIES))]
        return site, PortalArticle(str(1800000000000 + i), category, title, body.split("\n\n"), published)

    def _renumber(self, rng: random.Random, text: str, numbers: list[str], year: int, shift: int,
                  tokens: dict[str, str]) -> str:
        """Each cited number becomes a new one of the same shape, behind a placeholder so the
        year shift that follows leaves the years of the new numbers alone."""
        for number in numbers:
            if number in text:
                token = f"\x00{len(tokens)}\x00"
                tokens[token] = _typed(rng, _new_number(rng, number, year, shift))
                text = text.replace(number, token)
        return text

    def _swap_units(self, rng: random.Random, text: str, units: list[str]) -> str:
        for name in dict.fromkeys(units):
            others = self.units_by_head.get(_head(name), [])
            if len(name.split()) >= 2 and len(others) > 1 and rng.random() < 0.6 and name in text:
                text = text.replace(name, rng.choice(others))
        return text


def _task_list(paragraphs: list[str]) -> list[str]:
    """The longest run of list items, with the paragraph that introduces it."""
    best: list[int] = []
    run: list[int] = []
    for k, p in enumerate(paragraphs + [""]):
        if ITEM.match(p):
            run.append(k)
            continue
        if len(run) > len(best):
            best = run
        run = []
    if len(best) < 2:
        return []
    first = max(0, best[0] - 1)
    return paragraphs[first:best[-1] + 1]


def _new_number(rng: random.Random, number: str, year: int, shift: int) -> str:
    """A number of the same shape; a year in it moves with the text (its issue date does)."""
    n = str(rng.randint(1, 3800))
    if m := re.fullmatch(r"(\d+)-([A-ZĐ]+)/(\w+)", number):  # 57-NQ/TW
        return f"{rng.randint(1, 80):02d}-{m[2]}/{m[3]}"
    if m := re.fullmatch(r"(\d+)/(\d{4})/(.+)", number):  # 30/2020/NĐ-CP, 29/2013/QH13
        return f"{rng.randint(1, 180):02d}/{min(year, int(m[2]) + shift)}/{m[3]}"
    if m := re.fullmatch(r"(\d+)/([A-ZĐa-z]+)-(.+)", number):
        if m[2] in TYPES or m[2] in ("QĐ", "TB", "KH"):  # 97/KH-SKHCN: a type and an issuer
            issuer = m[3] if rng.random() < 0.4 else rng.choice(ISSUERS)
            kind = m[2] if rng.random() < 0.6 else rng.choice(TYPES)
            return f"{n}/{kind}-{issuer}"
        return f"{n}/{rng.choice(ISSUERS)}-{m[3]}"  # 844/SKHCN-VP: a letter
    return number  # a shape we do not vary (standards, odd forms)


def _typed(rng: random.Random, number: str) -> str:
    """Now and then written the way people type it."""
    roll = rng.random()
    if roll < 0.04:
        return number.replace("Đ", "D")
    if roll < 0.07:
        return number.replace("-", "_", 1)
    if roll < 0.09:
        return number.lower()
    return number


# --- archives ---------------------------------------------------------------------------------

def page_of(site: str, article: PortalArticle, portals: dict[str, MockPortal]) -> FetchedPage:
    portal = portals.setdefault(site, MockPortal())
    portal.articles = {article.article_id: article}  # "other news" of one: rendering stays O(1)
    html = portal_pages.article(portal, article)
    fetched = datetime.combine(article.published + timedelta(days=1), time(1, 0), timezone.utc)
    url = f"https://{site}{portal.article_path(article)}"
    return FetchedPage(url=url, final_url=url, status=200, headers={"Content-Type": "text/html; charset=utf-8"},
                       body=html.encode("utf-8"), fetched_at=fetched.isoformat(timespec="microseconds"))


def _write_range(args: tuple[str, int, int]) -> int:
    raw_dir, start, stop = args
    generator, archive, portals = Generator(), Archive(raw_dir), {}
    for i in range(start, stop):
        site, article = generator.notice(i)
        archive.put(page_of(site, article, portals), "article", article.article_id)
    return stop - start


def build_archive(raw_dir: str | Path, n: int, processes: int = 2) -> Path:
    """An archive of ``n`` synthetic article pages under ``raw_dir`` (reused when complete)."""
    raw_dir = Path(raw_dir)
    marker = raw_dir / ".complete"
    stamp = json.dumps({"n": n, "version": GENERATOR_VERSION})
    if marker.exists() and marker.read_text() == stamp:
        return raw_dir
    if raw_dir.exists():
        import shutil

        shutil.rmtree(raw_dir)
    raw_dir.mkdir(parents=True)
    step = 1000
    with Pool(processes) as pool:
        pool.map(_write_range, [(str(raw_dir), s, min(n, s + step)) for s in range(0, n, step)])
    marker.write_text(stamp)
    return raw_dir


if __name__ == "__main__":
    out, count = sys.argv[1], int(sys.argv[2])
    print(f"{build_archive(out, count)}: {count} pages")
