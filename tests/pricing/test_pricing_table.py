"""The bundled price table, reading and writing table files, and the cache preference."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from vpcpath.errors import PricingError
from vpcpath.pricing import (
    PRICE_FIELDS,
    PriceTable,
    RegionPrices,
    cached_prices_path,
    default_cache_dir,
    load_bundled_prices,
    load_prices,
    price_table_to_json,
    read_price_table,
    write_price_table,
)

REQUIRED_REGIONS = {
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-1",
    "ap-northeast-1",
    "sa-east-1",
}
# Every region of the commercial partition ("aws") at the table's date.
COMMERCIAL_REGIONS = REQUIRED_REGIONS | {
    "us-west-1",
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ap-northeast-2",
    "ap-northeast-3",
    "ca-central-1",
    "ca-west-1",
    "eu-central-2",
    "eu-west-2",
    "eu-west-3",
    "eu-south-1",
    "eu-south-2",
    "eu-north-1",
    "il-central-1",
    "me-south-1",
    "me-central-1",
    "mx-central-1",
}
# (low, high) USD a field may plausibly hold in any commercial region.
PLAUSIBLE = {
    "nat_gateway_hour": (0.04, 0.10),
    "nat_gateway_gb": (0.04, 0.10),
    "interface_endpoint_az_hour": (0.01, 0.02),
    "interface_endpoint_gb": (0.01, 0.01),
    "cross_az_gb": (0.01, 0.01),
    "internet_egress_gb": (0.09, 0.16),
    "transit_gateway_gb": (0.02, 0.02),
    "inter_region_gb": (0.02, 0.15),
}


def prices(value: float) -> RegionPrices:
    return RegionPrices(**dict.fromkeys(PRICE_FIELDS, value))


def table(date: str, *, origin: str = "test", value: float = 0.5) -> PriceTable:
    return PriceTable(
        source="a test table",
        date=date,
        regions=MappingProxyType({"us-east-1": prices(value), "eu-west-1": prices(value)}),
        origin=origin,
        notes=("written by a test",),
    )


def bundled_document() -> dict[str, Any]:
    return price_table_to_json(load_bundled_prices())


def write_document(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


# --- the bundled table ---------------------------------------------------------------------


def test_bundled_table_says_where_and_when_its_prices_come_from() -> None:
    bundled = load_bundled_prices()
    assert bundled.origin == "bundled"
    assert bundled.date == "2026-11-01"
    for page in (
        "https://aws.amazon.com/vpc/pricing/",
        "https://aws.amazon.com/ec2/pricing/on-demand/",
        "https://aws.amazon.com/privatelink/pricing/",
        "https://aws.amazon.com/transit-gateway/pricing/",
    ):
        assert page in bundled.source
    assert "vpcpath prices refresh" in bundled.notes[0]
    assert "list prices" in bundled.notes[0]
    assert bundled.refreshed == {}


def test_bundled_file_declares_currency_and_gb() -> None:
    raw = Path(__file__).resolve().parents[2] / "src/vpcpath/pricing/data/prices.json"
    document = json.loads(raw.read_text(encoding="utf-8"))
    assert document["currency"] == "USD"
    assert document["gb"] == "2^30 bytes"
    assert document["date"] == "2026-11-01"
    assert isinstance(document["notes"], str)


def test_bundled_table_covers_every_commercial_region() -> None:
    regions = set(load_bundled_prices().regions)
    assert regions >= REQUIRED_REGIONS
    assert regions == COMMERCIAL_REGIONS


@pytest.mark.parametrize("name", PRICE_FIELDS)
def test_every_bundled_price_is_positive_and_plausible(name: str) -> None:
    low, high = PLAUSIBLE[name]
    for region, region_prices in load_bundled_prices().regions.items():
        value = getattr(region_prices, name)
        assert isinstance(value, float), (region, name)
        assert 0 < low <= value <= high, (region, name, value)


def test_nat_gateway_hour_and_gb_prices_are_equal_everywhere() -> None:
    # AWS sets both NAT gateway rates to the same figure in every region.
    for region, region_prices in load_bundled_prices().regions.items():
        assert region_prices.nat_gateway_hour == region_prices.nat_gateway_gb, region


@pytest.mark.parametrize(
    ("region", "nat", "egress"),
    [
        ("us-east-1", 0.045, 0.09),
        ("eu-west-1", 0.048, 0.09),
        ("eu-central-1", 0.052, 0.09),
        ("ap-southeast-1", 0.059, 0.12),
        ("ap-northeast-1", 0.062, 0.114),
        ("sa-east-1", 0.093, 0.15),
    ],
)
def test_bundled_list_prices(region: str, nat: float, egress: float) -> None:
    region_prices = load_bundled_prices().for_region(region)
    assert region_prices.nat_gateway_hour == nat
    assert region_prices.nat_gateway_gb == nat
    assert region_prices.internet_egress_gb == egress
    assert region_prices.cross_az_gb == 0.01
    assert region_prices.transit_gateway_gb == 0.02


def test_bundled_us_east_1_interface_endpoint() -> None:
    region_prices = load_bundled_prices().for_region("us-east-1")
    assert region_prices.interface_endpoint_az_hour == 0.01
    assert region_prices.interface_endpoint_gb == 0.01


def test_unknown_region_names_the_table_and_the_known_regions() -> None:
    bundled = load_bundled_prices()
    with pytest.raises(PricingError) as caught:
        bundled.for_region("xx-east-9")
    message = str(caught.value)
    assert message.startswith("no prices for region xx-east-9 in AWS public list prices: ")
    assert "(2026-11-01); known: af-south-1, ap-east-1, ap-east-2, " in message
    assert message.endswith("us-east-1, us-east-2, us-west-1, us-west-2")


def test_kept_fields_of_a_bundled_table_are_all_fields() -> None:
    assert load_bundled_prices().kept_fields("us-east-1") == PRICE_FIELDS


# --- reading table files -------------------------------------------------------------------


def test_round_trip_through_a_file(tmp_path: Path) -> None:
    original = replace(
        table("2026-11-20"),
        refreshed=MappingProxyType({"us-east-1": ("nat_gateway_hour", "cross_az_gb")}),
    )
    path = tmp_path / "prices.json"
    write_price_table(original, path)
    read = read_price_table(path)
    assert read.origin == str(path)
    assert (read.source, read.date, read.notes) == (original.source, "2026-11-20", original.notes)
    assert dict(read.regions) == dict(original.regions)
    assert dict(read.refreshed) == {"us-east-1": ("nat_gateway_hour", "cross_az_gb")}
    assert read.kept_fields("us-east-1") == tuple(
        name for name in PRICE_FIELDS if name not in ("nat_gateway_hour", "cross_az_gb")
    )


def test_invalid_json_names_file_and_position(tmp_path: Path) -> None:
    path = tmp_path / "prices.json"
    path.write_text('{\n  "source": "x",\n  "date": 2026-11-01\n}\n', encoding="utf-8")
    with pytest.raises(PricingError) as caught:
        read_price_table(path)
    assert str(caught.value) == (
        f"{path}: not valid JSON at line 3 column 15 (character 33): Expecting ',' delimiter"
    )


def test_missing_field_names_file_region_and_field(tmp_path: Path) -> None:
    document = bundled_document()
    del document["regions"]["eu-west-1"]["nat_gateway_gb"]
    path = write_document(tmp_path / "prices.json", document)
    with pytest.raises(PricingError) as caught:
        read_price_table(path)
    assert str(caught.value) == f"{path}: regions.eu-west-1: missing field 'nat_gateway_gb'"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("0.045", "'0.045' is not a number"),
        (True, "True is not a number"),
        (-0.01, "-0.01 is not a price (finite, >= 0)"),
    ],
)
def test_bad_price_names_the_field(tmp_path: Path, value: object, why: str) -> None:
    document = bundled_document()
    document["regions"]["sa-east-1"]["internet_egress_gb"] = value
    path = write_document(tmp_path / "prices.json", document)
    with pytest.raises(PricingError) as caught:
        read_price_table(path)
    assert str(caught.value) == f"{path}: regions.sa-east-1.internet_egress_gb: {why}"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("date"), "date: missing, or not a non-empty string"),
        (lambda d: d.pop("source"), "source: missing, or not a non-empty string"),
        (lambda d: d.update(regions={}), "regions: missing, or not a non-empty object"),
        (lambda d: d.update(schema="vpcpath.prices/2"), "schema: 'vpcpath.prices/2' is not"),
        (lambda d: d.update(currency="EUR"), "currency: 'EUR', expected 'USD'"),
        (lambda d: d.update(refreshed={"mars-1": []}), "refreshed.mars-1: no such region"),
    ],
)
def test_malformed_table_names_what_is_wrong(tmp_path: Path, change: Any, message: str) -> None:
    document = bundled_document()
    change(document)
    path = write_document(tmp_path / "prices.json", document)
    with pytest.raises(PricingError, match=r"^" + str(path).replace(".", r"\.") + ": ") as caught:
        read_price_table(path)
    assert message in str(caught.value)


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "prices.json"
    with pytest.raises(PricingError, match="cannot read price table") as caught:
        read_price_table(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert isinstance(caught.value.__cause__, FileNotFoundError)


# --- writing -------------------------------------------------------------------------------


def test_write_creates_folders_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "vpcpath" / "prices.json"
    write_price_table(table("2026-11-20"), path)
    write_price_table(table("2026-11-21"), path)
    assert read_price_table(path).date == "2026-11-21"
    assert sorted(p.name for p in path.parent.iterdir()) == ["prices.json"]


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "prices.json"
    write_price_table(table("2026-11-20"), path)

    def no_space(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(PricingError) as caught:
        write_price_table(table("2026-11-21"), path)
    assert str(caught.value) == (
        f"{path}: cannot write price table: [Errno 28] No space left on device"
    )
    assert read_price_table(path).date == "2026-11-20"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prices.json"]


def test_write_into_a_file_that_is_not_a_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(PricingError, match="cannot write price table"):
        write_price_table(table("2026-11-20"), blocker / "prices.json")


# --- which table load_prices picks ---------------------------------------------------------


def test_default_cache_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "vpcpath"
    assert cached_prices_path() == tmp_path / "xdg" / "vpcpath" / "prices.json"


@pytest.mark.parametrize("xdg", [None, "", "relative/cache"])
def test_default_cache_dir_without_usable_xdg(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, xdg: str | None
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert default_cache_dir() == tmp_path / ".cache" / "vpcpath"


def test_load_prices_without_a_cache_is_the_bundled_table(tmp_path: Path) -> None:
    loaded = load_prices(tmp_path)
    assert loaded.origin == "bundled"
    assert loaded == load_bundled_prices()


def test_load_prices_prefers_a_refreshed_cache(tmp_path: Path) -> None:
    path = tmp_path / "prices.json"
    write_price_table(table("2026-11-20", value=0.7), path)
    loaded = load_prices(tmp_path)
    assert loaded.origin == str(path)
    assert loaded.date == "2026-11-20"
    assert loaded.for_region("eu-west-1").nat_gateway_gb == 0.7


def test_load_prices_reads_the_xdg_cache_by_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    write_price_table(table("2026-12-01"), tmp_path / "vpcpath" / "prices.json")
    assert load_prices().origin == str(tmp_path / "vpcpath" / "prices.json")


def test_bundled_table_newer_than_the_cache_wins(tmp_path: Path) -> None:
    write_price_table(table("2026-10-31"), tmp_path / "prices.json")
    assert load_prices(tmp_path).origin == "bundled"


def test_unreadable_cache_falls_back_and_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "prices.json"
    path.write_text("{ truncated", encoding="utf-8")
    reported: list[PricingError] = []
    loaded = load_prices(tmp_path, on_unreadable=reported.append)
    assert loaded.origin == "bundled"
    assert [str(error) for error in reported] == [
        f"{path}: not valid JSON at line 1 column 3 (character 2): "
        "Expecting property name enclosed in double quotes"
    ]
