"""Every check proves itself: the registry's checks, each with a must-trigger and a must-not
scenario (``check_scenarios.py``), run through the whole audit."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from tests.audit.check_scenarios import SCENARIOS
from tests.audit.scenarios import Built, build, load
from vpcpath.audit.catalogue import CHECKS
from vpcpath.audit.engine import audit
from vpcpath.pricing.table import load_bundled_prices

PRICES = load_bundled_prices()
CHECK_IDS = [check.info.id for check in CHECKS]


def _ids_of(check: str, knobs: Mapping[str, object], tmp_path: Path) -> tuple[Built, list[str]]:
    built = build(**knobs)  # type: ignore[arg-type]  # knobs are build()'s keyword arguments
    report = audit(load(built, tmp_path), PRICES, org_id=SCENARIOS[check].org_id)
    return built, sorted(f.id for f in report.findings if f.check == check)


def test_every_registered_check_has_its_scenarios() -> None:
    assert sorted(SCENARIOS) == sorted(CHECK_IDS)


@pytest.mark.parametrize("check", CHECK_IDS)
def test_the_bad_scenario_triggers_exactly_the_expected_findings(
    check: str, tmp_path: Path
) -> None:
    scenario = SCENARIOS[check]
    built, found = _ids_of(check, scenario.bad, tmp_path)
    assert found == scenario.expected(built)


@pytest.mark.parametrize("check", CHECK_IDS)
def test_the_good_scenarios_do_not_trigger_it(check: str, tmp_path: Path) -> None:
    scenario = SCENARIOS[check]
    for index, knobs in enumerate((scenario.good, *scenario.good_variants)):
        _, found = _ids_of(check, knobs, tmp_path / str(index))
        assert found == [], knobs
