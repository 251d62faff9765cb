"""Charts as inline SVG, drawn and laid out here: a bar chart of counts and a bipartite graph
of which notices cite which directives. No library and no script, so a report stays one file
that opens offline. Every label is escaped (``pipeline.pages.esc``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from pipeline.pages import clip, esc, safe_href, safe_url

# Colour of each directive in the graph (and of its edges), so a reader can follow its lines.
PALETTE = ["#1f5fa8", "#c2410c", "#2e7d32", "#7b1fa2", "#00838f", "#b3261e", "#5d4037",
           "#ad1457", "#827717", "#37474f"]
CHAR_WIDTH = 0.56  # of the font size: an average Vietnamese letter in a sans-serif font


def nice_step(top: float, ticks: int = 5) -> int:
    """A tick step of 1, 2 or 5 times a power of ten that cuts 0..top in at most ``ticks``."""
    raw = max(top, 1) / ticks
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return int(factor * power)
    return int(10 * power)


def bar_chart(labels: list[str], values: list[int], *, title: str, width: int = 960,
              height: int = 280, color: str = PALETTE[0], unit: str = "") -> str:
    """Vertical bars, one per label, with a y axis, grid lines and the value over each bar."""
    left, right, top = 44, 12, 22
    plot_w, n = width - left - right, max(len(values), 1)
    slot = plot_w / n
    # A label needs about 58 px: with more bars than that, every k-th bar is labelled.
    every = max(1, math.ceil(n / max(plot_w // 58, 1)))
    plot_h = height - top - 28
    step = nice_step(max(values, default=0))
    y_max = max(step, math.ceil(max(values, default=0) / step) * step)
    bar_w = max(slot * 0.72, 1.5)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="{esc(title)}">',
             f"<title>{esc(title)}</title>"]
    for tick in range(0, y_max + 1, step):
        y = top + plot_h * (1 - tick / y_max)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                     f'stroke="#d9dee5" stroke-width="1"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
                     f'fill="#5b6675">{tick}</text>')
    for i, (label, value) in enumerate(zip(labels, values)):
        x = left + i * slot + (slot - bar_w) / 2
        h = plot_h * value / y_max
        y = top + plot_h - h
        parts.append(f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                     f'height="{h:.1f}" fill="{color}"><title>{esc(label)}: {value}{esc(unit)}'
                     f"</title></rect>")
        cx = x + bar_w / 2
        if value and slot >= 14:
            parts.append(f'<text x="{cx:.1f}" y="{y - 4:.1f}" font-size="11" text-anchor="middle" '
                         f'fill="#1d2733">{value}</text>')
        if i % every == 0:
            parts.append(f'<text x="{cx:.1f}" y="{top + plot_h + 16:.1f}" font-size="11" '
                         f'text-anchor="middle" fill="#5b6675">{esc(label)}</text>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" '
                 f'y2="{top + plot_h}" stroke="#5b6675" stroke-width="1"/>')
    parts.append("</svg>")
    return "\n".join(parts)


@dataclass
class GraphNode:
    key: object
    label: str  # shown (clipped to fit)
    tooltip: str = ""  # the whole text, on hover
    href: str | None = None  # an http(s) link for the node's label


@dataclass
class GraphEdge:
    left: object  # GraphNode.key of a left node
    right: object  # GraphNode.key of a right node
    weight: int = 1  # mentions: drawn thicker
    same: bool = False  # not a citation: the right node (a notice) IS the left document (dashed)


def barycenter_order(left: list[GraphNode], right: list[GraphNode],
                     edges: list[GraphEdge]) -> list[GraphNode]:
    """The right column ordered by the mean row of the left nodes each one links to (ties keep
    their order): the classic one-sided crossing reduction, with the left column fixed."""
    row = {node.key: i for i, node in enumerate(left)}
    linked: dict[object, list[int]] = {}
    for edge in edges:
        if edge.left in row:
            linked.setdefault(edge.right, []).append(row[edge.left])
    def centre(item: tuple[int, GraphNode]) -> tuple[float, int]:
        rows = linked.get(item[1].key)
        return (sum(rows) / len(rows) if rows else len(left), item[0])
    return [node for _, node in sorted(enumerate(right), key=centre)]


def _label(x: float, y: float, node: GraphNode, chars: int, anchor: str, cls: str) -> str:
    text = esc(clip(node.label, chars))
    tip = f"<title>{esc(node.tooltip or node.label)}</title>"
    body = (f'<text class="{cls}" x="{x:.1f}" y="{y + 4:.1f}" font-size="12" '
            f'text-anchor="{anchor}" fill="#1d2733">{tip}{text}</text>')
    href = safe_url(node.href)
    return f'<a href="{esc(href)}">{body}</a>' if href else body


def bipartite_graph(left: list[GraphNode], right: list[GraphNode], edges: list[GraphEdge], *,
                    title: str, headings: tuple[str, str] = ("", ""), width: int = 960,
                    row: int = 30) -> str:
    """Left nodes (directives) in one column, right nodes (notices) in another, a curve for
    each edge. The right column is ordered to cut crossings; each left node and its edges
    share a colour."""
    right = barycenter_order(left, right, edges)
    top = 34 if any(headings) else 12
    rows = max(len(left), len(right), 1)
    height = top + 12 + rows * row
    x_left, x_right = 210, 540
    def ys(count: int) -> list[float]:
        offset = top + (rows - count) * row / 2 + row / 2  # the shorter column is centred
        return [offset + i * row for i in range(count)]
    y_left = {n.key: y for n, y in zip(left, ys(len(left)))}
    y_right = {n.key: y for n, y in zip(right, ys(len(right)))}
    colour = {n.key: PALETTE[i % len(PALETTE)] for i, n in enumerate(left)}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="{esc(title)}">',
             f"<title>{esc(title)}</title>"]
    for x, text, anchor in ((x_left + 6, headings[0], "end"), (x_right - 6, headings[1], "start")):
        if text:
            parts.append(f'<text x="{x}" y="16" font-size="12" font-weight="600" '
                         f'text-anchor="{anchor}" fill="#5b6675">{esc(text)}</text>')
    middle = (x_left + x_right) / 2
    for edge in edges:
        if edge.left not in y_left or edge.right not in y_right:
            continue
        y1, y2 = y_left[edge.left], y_right[edge.right]
        if edge.same:
            parts.append(f'<path class="edge same" d="M{x_left},{y1:.1f} C{middle},{y1:.1f} {middle},'
                         f'{y2:.1f} {x_right},{y2:.1f}" fill="none" stroke="#5b6675" '
                         f'stroke-dasharray="5 4" stroke-width="1.5"/>')
            continue
        parts.append(f'<path class="edge" d="M{x_left},{y1:.1f} C{middle},{y1:.1f} {middle},'
                     f'{y2:.1f} {x_right},{y2:.1f}" fill="none" stroke="{colour[edge.left]}" '
                     f'stroke-opacity="0.6" stroke-width="{1.5 + 1.5 * (edge.weight - 1):.1f}"/>')
    label_chars = int((x_left - 20) / (12 * CHAR_WIDTH))
    for node in left:
        y = y_left[node.key]
        parts.append(f'<circle cx="{x_left}" cy="{y:.1f}" r="5" fill="{colour[node.key]}"/>')
        parts.append(_label(x_left - 10, y, node, label_chars, "end", "directive"))
    label_chars = int((width - x_right - 14) / (12 * CHAR_WIDTH))
    for node in right:
        y = y_right[node.key]
        parts.append(f'<circle cx="{x_right}" cy="{y:.1f}" r="4" fill="#5b6675"/>')
        parts.append(_label(x_right + 10, y, node, label_chars, "start", "notice"))
    parts.append("</svg>")
    return "\n".join(parts)


def stacked_bars(labels: list[str], series: list[tuple[str, str, list[int]]], *, title: str,
                 width: int = 960, row: int = 24, label_width: int = 300,
                 hrefs: list[str | None] | None = None) -> str:
    """Horizontal bars, one row per label, each cut into the ``series`` (name, colour, values)
    side by side, with a legend above and the total after each bar; a label may link."""
    top, right = 30, 40
    plot_w = width - label_width - right
    totals = [sum(values[i] for _, _, values in series) for i in range(len(labels))]
    step = nice_step(max(totals, default=0))
    x_max = max(step, math.ceil(max(totals, default=0) / step) * step)
    height = top + max(len(labels), 1) * row + 22
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="{esc(title)}">',
             f"<title>{esc(title)}</title>"]
    x = label_width
    for name, colour, _ in series:  # the legend
        parts.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="16" font-size="12" fill="#1d2733">{esc(name)}</text>')
        x += 24 + len(name) * 12 * CHAR_WIDTH
    for tick in range(0, x_max + 1, step):
        tx = label_width + plot_w * tick / x_max
        parts.append(f'<line x1="{tx:.1f}" y1="{top - 4}" x2="{tx:.1f}" y2="{height - 20}" '
                     f'stroke="#d9dee5" stroke-width="1"/>')
        parts.append(f'<text x="{tx:.1f}" y="{height - 6}" font-size="11" text-anchor="middle" '
                     f'fill="#5b6675">{tick}</text>')
    chars = int((label_width - 12) / (12 * CHAR_WIDTH))
    for i, label in enumerate(labels):
        y = top + i * row
        text = (f'<text class="label" x="{label_width - 8}" y="{y + row / 2 + 4:.1f}" font-size="12" '
                f'text-anchor="end" fill="#1d2733"><title>{esc(label)}</title>{esc(clip(label, chars))}</text>')
        href = safe_href(hrefs[i]) if hrefs else None
        parts.append(f'<a href="{esc(href)}">{text}</a>' if href else text)
        x = float(label_width)
        for name, colour, values in series:
            if values[i]:
                w = plot_w * values[i] / x_max
                parts.append(f'<rect class="bar" x="{x:.1f}" y="{y + 4}" width="{w:.1f}" '
                             f'height="{row - 8}" fill="{colour}"><title>{esc(label)} · {esc(name)}: '
                             f"{values[i]}</title></rect>")
                x += w
        parts.append(f'<text x="{x + 5:.1f}" y="{y + row / 2 + 4:.1f}" font-size="11" '
                     f'fill="#5b6675">{totals[i]}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
