"""JSON contracts of docs/contracts.md as JSON Schema files shipped in the package; tests
validate."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema


@cache
def _schema(name: str) -> dict[str, Any]:
    text = (resources.files("vpcpath.report") / "schemas" / f"{name}.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


def assert_contract(doc: dict[str, Any], name: str) -> None:
    """Raise when ``doc`` breaks the contract ``name`` (e.g. ``explain-1``)."""
    jsonschema.validate(doc, _schema(name))
