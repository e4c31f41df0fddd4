"""Address classification against AWS's full published ip-ranges.json (the corpus's copy)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.flows.test_classify import assert_matches_brute_force, assert_specific_service_wins
from vpcpath.model import IpRanges, Snapshot
from vpcpath.sources.ipranges import read_ip_ranges


@pytest.fixture(scope="module")
def real_ranges(corpus: Path) -> IpRanges:
    return read_ip_ranges(corpus / "ip-ranges-2026-07-24.json")


def test_real_ip_ranges_match_a_brute_force_lookup(real_ranges: IpRanges, sample: Snapshot) -> None:
    assert_matches_brute_force(real_ranges, sample, v4=150, v6=50)


def test_real_ip_ranges_specific_service_beats_ec2_beats_amazon(
    real_ranges: IpRanges, sample: Snapshot
) -> None:
    assert_specific_service_wins(real_ranges, sample)
