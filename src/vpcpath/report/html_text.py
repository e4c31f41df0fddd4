"""Text from AWS for HTML: escaped, with each resource id kept whole on one line."""

from __future__ import annotations

from html import escape

from vpcpath.report.audit_html_data import ID_PATTERN


def text_html(text: str) -> str:
    """``text`` escaped; ids (``vpc-…``, ``rtb-…``) in ``<span class="id">`` (no line break).

    Ids are letters, digits and hyphens only, so marking them up after escaping is safe.
    """
    return ID_PATTERN.sub(lambda m: f'<span class="id">{m.group()}</span>', escape(text))
