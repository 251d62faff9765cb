"""Hostile input: hypothesis strategies for text and HTML, a table of shapes that broke real parsers
(deep nesting, enormous lines, floods of tags), and a seeded generator of files for the CLI."""
from __future__ import annotations

import random
import unicodedata

from hypothesis import strategies as st

# Pieces of real notices, so the fuzzer reaches the extractor's rules and not only its first regex.
PIECES = [
    "Quyết định số 1820/QĐ-UBND ngày 24/7/2024 của Chủ tịch UBND tỉnh", "Kế hoạch số 97/KH-SKHCN",
    "30/2020/NĐ-CP", "57-NQ/TW", "844/SKHCN_VP", "1961/QĐUBND", "số 5-2016", "TCVN ISO 9001:2015", "1/500",
    "trước ngày 26/8/2024", "ngày 15/8", "quý III/2024", "7 tháng đầu năm 2024", "từ ngày 12 đến ngày 15/9/2024",
    "tháng 9/2024", "Văn phòng Sở", "Phòng Quản lý Khoa học", "UBND các huyện: Gio Linh, Vĩnh Linh",
    "Các phòng: Quản lý Khoa học, Quản lý Công nghệ và Đổi mới sáng tạo", "chủ trì, phối hợp với", "Đề nghị", "Giao",
    "\n1. ", "\n2. ", "\na) ", "\nb) ", "\nIII. TỔ CHỨC THỰC HIỆN\n", "\n\n", "\n", ";", ",", " và ", "Sở Tài chính",
    "http://x.vn/1/2", "0233.3550 382", "Số: 12/TB-SKHCN",
]
# Characters that break naive text code: controls, zero-width, bidi, surrogate-free astral, NBSP.
ODD = "\x00\x01\x07\x0b\x0c\x1b\x7f\x85\u00a0\u00ad\u200b\u200e\u202e\u2028\u2029\ufeff\ufffd\U0001f600\u0301\u0323"

notice_text = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(max_size=30), st.text(alphabet=ODD, max_size=5),
              st.sampled_from(PIECES).map(lambda p: unicodedata.normalize("NFD", p)),
              st.sampled_from(PIECES).map(str.upper)),
    max_size=40,
).map("".join)

_TAGS = ["div", "p", "span", "table", "tr", "td", "ul", "li", "b", "a", "h3", "br", "script", "style", "iframe",
         "section", "article", "header", "footer", "nav", "svg", "math", "template", "textarea", "select", "title"]
_ATTRS = ['', ' class="news-content"', ' class="news-title"', ' id="news-content"', ' href="javascript:alert(1)"',
          ' onerror="alert(1)"', ' class="date-publish"', ' href="http://169.254.169.254/"', ' style="x"']
_JUNK = ["<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "&#0;", "&#xD800;", "&#99999999;", "&amp", "&nbsp;",
         "<?xml version='1.0'?>", "</", "<", ">", '<meta charset="windows-1258">', '<meta charset="utf-16">',
         '<meta http-equiv="content-type" content="text/html; charset=x-unknown">', "\x00"]

html_leaf = st.one_of(notice_text, st.sampled_from(_JUNK))
html_tree = st.recursive(
    html_leaf,
    lambda children: st.tuples(st.sampled_from(_TAGS), st.sampled_from(_ATTRS), st.lists(children, max_size=4),
                               st.booleans()).map(
        lambda t: f"<{t[0]}{t[1]}>{''.join(t[2])}" + (f"</{t[0]}>" if t[3] else "")),
    max_leaves=30,
)
html_page = st.tuples(html_tree, st.sampled_from(["utf-8", "cp1258", "utf-16", "latin-1"])).map(
    lambda t: t[0].encode(t[1], errors="replace"))


def deep(n: int, tag: str = "div", closed: bool = True) -> str:
    inner = "Thông báo số 12/TB-SKHCN ngày 15/8/2024"
    return "<html><body>" + f"<{tag}>" * n + inner + (f"</{tag}>" * n if closed else "") + "</body></html>"


# (name, bytes): shapes that took real parsers down, each small enough to try in a test.
SHAPES = [
    ("100,000 nested divs", deep(100_000).encode()),
    ("30,000 unclosed nested spans", deep(30_000, "span", closed=False).encode()),
    ("20,000 nested tables", ("<html><body>" + "<table><tr><td>" * 20_000 + "x</body></html>").encode()),
    ("300,000 sibling tags", ("<html><body><h3>Tiêu đề</h3><p>" + "<b>x</b>" * 300_000 + "</p></body></html>").encode()),
    ("a 2 MB line of text", ("Thông báo " + "1/2/3-" * 350_000).encode()),
    ("a 2 MB word in HTML", ("<html><body><h3>T</h3><p>" + "a" * 2_000_000 + "</p></body></html>").encode()),
    ("2,000 unit heads in a row", ("Thông báo\n\n" + "UBND " * 2_000).encode()),
    ("4,000 lettered items", "\n".join(f"{chr(97 + i % 26)}) Giao Sở Tài chính chủ trì" for i in range(4000)).encode()),
    ("NFD text", unicodedata.normalize("NFD", "Quyết định số 1820/QĐ-UBND ngày 24/7/2024 của Chủ tịch UBND tỉnh. "
                                              * 2000).encode()),
    ("control characters in HTML", b"<html><body><h3>T\x01\x02</h3><p>Th\x0b\x0c\x1b\x7f\xc2\x80 12/QD-UBND</p></body></html>"),
    ("NUL bytes", b"Thong bao\x00\x00\x00 12/QD-UBND"),
    ("a lone surrogate in UTF-8", b"<html><body><h3>T</h3><p>\xed\xa0\x80 12/QD-UBND</p></body></html>"),
    ("UTF-16 with a BOM", "\ufeffThông báo số 12/TB-SKHCN".encode("utf-16")),
    ("entities out of range", b"<html><body><h3>&#0;&#xD800;</h3><p>&#99999999;&#x110000; 12/QD-UBND</p></body></html>"),
    ("only markup", b"<html><head><title></title></head><body><div><span></span></div></body></html>"),
    ("a script in the body", b"<html><body><h3>T</h3><div class='news-content'><script>alert(1)</script>x</div></body></html>"),
]


def sample_files(seed: int, count: int) -> list[tuple[str, bytes]]:
    """``count`` (file name, bytes) made by a seeded generator: random bytes, tag soup, text with
    odd characters, truncated UTF-8, Vietnamese in the wrong encoding."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        kind = i % 5
        pieces = [rng.choice(PIECES + list(ODD)) for _ in range(rng.randint(0, 200))]
        text = "".join(pieces)
        if kind == 0:
            data, ext = rng.randbytes(rng.randint(0, 5000)), ".txt"
        elif kind == 1:
            tags = [f"<{rng.choice(_TAGS)}{rng.choice(_ATTRS)}>{rng.choice(PIECES)}" for _ in range(rng.randint(1, 300))]
            data, ext = ("<html><body>" + "".join(tags)).encode(), ".html"
        elif kind == 2:
            data, ext = text.encode("utf-8", "replace"), ".txt"
        elif kind == 3:
            raw = text.encode("utf-8", "replace")
            data, ext = raw[: rng.randint(0, len(raw))], rng.choice([".txt", ".html"])
        else:
            data, ext = ("<html><body><h3>T</h3><p>" + text + "</p>").encode("cp1258", "replace"), ".html"
        out.append((f"sample-{i:02d}{ext}", data))
    return out
