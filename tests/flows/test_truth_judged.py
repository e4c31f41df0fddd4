"""The generator's truth, judged from the raw files: every routing and classification decision
it rests on is decided again by ``raw_oracle`` from the sample's describe JSON and
ip-ranges.json, without vpcpath's loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.flows.raw_oracle import RawEstate
from vpcpath.flows.synthetic import generate
from vpcpath.model import Snapshot
from vpcpath.sources.sample_estate import sample_path


@pytest.mark.parametrize("mode", ["v2-vpc", "v5-nat"])
def test_the_truths_decisions_agree_with_the_raw_files(
    sample: Snapshot, tmp_path: Path, mode: str
) -> None:
    truth = generate(sample, tmp_path, records=20_000, mode=mode, records_per_file=10_000)
    raw = RawEstate(sample_path())
    judged = {key: raw.nat_for(*key) for key in truth.routes}
    # Through a transit gateway to the egress VPC's NAT: the truth names a NAT gateway.
    via_transit = {key for key, nat in judged.items() if nat and nat.startswith("tgw:")}
    assert via_transit and all(truth.routes[key] is not None for key in via_transit)
    direct = {key: nat for key, nat in judged.items() if key not in via_transit}
    through_nat = [key for key, nat in direct.items() if nat is not None]
    assert len(through_nat) > 100 and len(direct) > len(through_nat)  # both kinds judged
    assert direct == {key: truth.routes[key] for key in direct}
    assert {address: raw.classify(address) for address in truth.classes} == truth.classes
