"""A horizontal bar chart as inline SVG: no script, no network, escapes its labels."""

from __future__ import annotations

from html import escape

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 300
BAR_WIDTH = 420


def bar_chart(title: str, rows: list[tuple[str, float, str]], *, chart_id: str) -> str:
    """``rows``: (label, value, value text). Values scale to the largest; empty → a note."""
    if not rows:
        return (
            f'<figure class="chart" id="{escape(chart_id)}">'
            f"<figcaption>{escape(title)}</figcaption><p>nothing to chart</p></figure>"
        )
    top = max(v for _, v, _ in rows) or 1.0
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + 120
    parts = [
        f'<figure class="chart" id="{escape(chart_id)}">',
        f"<figcaption>{escape(title)}</figcaption>",
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
    ]
    for i, (label, value, text) in enumerate(rows):
        y = GAP + i * (BAR_HEIGHT + GAP)
        w = max(2.0, BAR_WIDTH * value / top) if value > 0 else 0.0
        baseline = y + BAR_HEIGHT * 0.7
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{baseline:.1f}" text-anchor="end" '
            f'class="label">{escape(label)}</text>'
            f'<rect class="bar" x="{LABEL_WIDTH}" y="{y}" width="{w:.1f}" '
            f'height="{BAR_HEIGHT}" rx="3"><title>{escape(label)}: {escape(text)}</title></rect>'
            f'<text x="{LABEL_WIDTH + w + 6:.1f}" y="{baseline:.1f}" class="value">'
            f"{escape(text)}</text>"
        )
    parts.append("</svg></figure>")
    return "".join(parts)
