"""Disjoint range tables: overlapping address ranges turned into sorted, non-overlapping pieces.

DuckDB looks an address up in a table of non-overlapping ``[lo, hi]`` ranges with one ASOF
join (the last range with ``lo <= address``, then ``address <= hi``): a merge of two sorted
inputs, n log n in the number of distinct addresses, where ``address BETWEEN lo AND hi``
against overlapping ranges compares every address with every range. The snapshot's ranges
overlap: organisations reuse the same VPC and subnet CIDRs across VPCs, accounts and regions,
so the tables are built here, once per run, from the snapshot:

- ``covered``: the union of ranges (is an address in any VPC of the snapshot?);
- ``pieces``: each piece with every range holding it, duplicates kept (which subnets hold an
  address? the members of its one piece).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Hashable, Iterable
from typing import TypeVar

T = TypeVar("T", bound=Hashable)


def pieces(ranges: Iterable[tuple[int, int, T]]) -> list[tuple[int, int, tuple[T, ...]]]:
    """Sorted, non-overlapping ``(lo, hi, members)`` covering every address of ``ranges``
    (``hi`` inclusive); ``members``: the values of every range holding the piece, sorted,
    one per range (a value given twice for overlapping ranges appears twice). Adjacent pieces
    with the same members are merged; addresses in no range are in no piece."""
    starts: dict[int, list[T]] = {}
    ends: dict[int, list[T]] = {}
    for lo, hi, value in ranges:
        if lo > hi:
            raise ValueError(f"empty range [{lo}, {hi}]")
        starts.setdefault(lo, []).append(value)
        ends.setdefault(hi + 1, []).append(value)
    active: Counter[T] = Counter()
    out: list[tuple[int, int, tuple[T, ...]]] = []
    bounds = sorted(starts.keys() | ends.keys())
    for here, following in itertools.pairwise(bounds):
        for value in ends.get(here, ()):
            active[value] -= 1
            if not active[value]:
                del active[value]
        active.update(starts.get(here, ()))
        if not active:
            continue
        members = tuple(sorted(active.elements(), key=repr))
        if out and out[-1][1] + 1 == here and out[-1][2] == members:
            out[-1] = (out[-1][0], following - 1, members)
        else:
            out.append((here, following - 1, members))
    return out


def covered(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The union of ``ranges`` as sorted, non-overlapping, non-adjacent ``(lo, hi)``."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if lo > hi:
            raise ValueError(f"empty range [{lo}, {hi}]")
        if out and lo <= out[-1][1] + 1:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out
