"""A horizontal bar chart in HTML and CSS: labels wrap between words, never inside an id.

Plain elements rather than SVG text, so a long label wraps inside its box instead of being
clipped at the edge of a drawing; bars are sized in percent of the largest value.
"""

from __future__ import annotations

from html import escape

from vpcpath.report.html_text import text_html


def bar_chart(
    title: str, rows: list[tuple[str, float, str]], *, chart_id: str, note: str = ""
) -> str:
    """``rows``: (label, value, value text), drawn in the order given; empty → a note."""
    parts = [
        f'<figure class="chart" id="{escape(chart_id)}">',
        f"<figcaption>{escape(title)}</figcaption>",
    ]
    if not rows:
        parts.append('<p class="muted">nothing to chart</p></figure>')
        return "".join(parts)
    top = max(v for _, v, _ in rows) or 1.0
    parts.append(f'<div class="bars" role="img" aria-label="{escape(title)}">')
    for label, value, text in rows:
        percent = max(0.5, 100 * value / top) if value > 0 else 0.0
        parts.append(
            f'<div class="bar-row"><div class="bar-label">{text_html(label)}</div>'
            f'<div class="bar-track"><div class="bar" style="width:{percent:.1f}%"></div></div>'
            f'<div class="bar-value">{escape(text)}</div></div>'
        )
    parts.append("</div>")
    if note:
        parts.append(f'<p class="muted chart-note">{escape(note)}</p>')
    parts.append("</figure>")
    return "".join(parts)
