"""Money and bytes for people: $1,845.20, 41.2 TiB."""

from __future__ import annotations


def usd(value: float | None) -> str:
    if value is None:
        return "—"
    return f"${value:,.2f}"


def size(num_bytes: int | None) -> str:
    if num_bytes is None:
        return "—"
    value = float(num_bytes)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if value < 1024 or unit == "PiB":
            return f"{value:,.0f} {unit}" if unit == "B" else f"{value:,.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")
