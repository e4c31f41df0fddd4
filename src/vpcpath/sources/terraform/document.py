"""The JSON that ``terraform show -json`` prints, read into resource instances.

Terraform's "JSON Output Format" page (https://developer.hashicorp.com/terraform/internals/json-format):
a saved plan carries ``planned_values`` (what the resources will be), ``resource_changes``
(``before``/``after`` and ``after_unknown``, the attributes known only after apply),
``prior_state`` and ``configuration`` (the expressions, with the ``references`` each one
makes); a state carries ``values``. Both describe modules as a tree of ``root_module`` and
``child_modules``, each resource instance with its ``address``, ``type``, ``name``, ``index``
and ``values``. In a plan the planned values win; ``prior_state`` only fills attributes the
plan leaves out and does not mark unknown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from vpcpath.errors import SourceError

EXPECTED = (
    "expected the JSON that `terraform show -json` prints: for a saved plan "
    "(`terraform plan -out tfplan && terraform show -json tfplan`) an object with "
    "format_version and planned_values, for a state (`terraform show -json`) one with "
    "format_version and values"
)

_MODULE_CALL = re.compile(r'module\.([A-Za-z0-9_-]+)(?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?')


@dataclass(frozen=True, slots=True, kw_only=True)
class TfInstance:
    """One resource instance: ``module.vpc.aws_subnet.private[0]``."""

    address: str
    module: str  # "" for the root module, else "module.vpc" or "module.a.module.b[0]"
    mode: str  # managed | data
    type: str
    name: str
    index: int | str | None
    values: Mapping[str, Any]
    unknown: Mapping[str, Any]  # after_unknown: attribute → True, or nested for blocks
    config: Mapping[str, Any] | None  # the resource's block in ``configuration``
    action: str = ""  # create, update, no-op, … ("" in a state)

    @property
    def resource(self) -> str:
        """``type.name`` without module and index, as references name it."""
        return f"{self.type}.{self.name}"

    def is_unknown(self, attr: str) -> bool:
        return self.unknown.get(attr) is True


@dataclass(frozen=True, slots=True, kw_only=True)
class TfDocument:
    path: str
    kind: str  # "plan" or "state"
    terraform_version: str
    format_version: str
    instances: tuple[TfInstance, ...]
    configuration: Mapping[str, Any] = field(default_factory=dict)
    variables: Mapping[str, Any] = field(default_factory=dict)  # name → value
    # Terraform 1.8+ marks a plan it could not finish ("errored") or one that needs another
    # plan after apply ("complete": false, deferred changes).
    errored: bool = False
    complete: bool = True

    def module_config(self, module: str) -> Mapping[str, Any] | None:
        """The ``configuration`` block of a module instance address (None when absent)."""
        node: Any = self.configuration.get("root_module")
        for call in module_calls(module):
            calls = node.get("module_calls") if isinstance(node, dict) else None
            call_block = calls.get(call) if isinstance(calls, dict) else None
            node = call_block.get("module") if isinstance(call_block, dict) else None
        return node if isinstance(node, dict) else None

    def module_call(self, module: str) -> Mapping[str, Any] | None:
        """The ``module_calls`` entry that created a module (its source and arguments)."""
        calls = module_calls(module)
        if not calls:
            return None
        parent = self.module_config(parent_module(module))
        found = (parent or {}).get("module_calls", {}).get(calls[-1])
        return found if isinstance(found, dict) else None


def module_calls(module: str) -> list[str]:
    """``module.a.module.b["x"]`` → ``["a", "b"]``."""
    return _MODULE_CALL.findall(module)


def parent_module(module: str) -> str:
    """``module.a.module.b[0]`` → ``module.a``; a top-level module's parent is the root."""
    matches = list(_MODULE_CALL.finditer(module))
    if len(matches) <= 1:
        return ""
    return module[: matches[-1].start() - 1]


def module_key(module: str) -> int | str | None:
    """The count index or for_each key of the innermost module instance, if any."""
    matches = list(_MODULE_CALL.finditer(module))
    if not matches:
        return None
    text = matches[-1].group(0)
    if not text.endswith("]"):
        return None
    inner = text[text.index("[") + 1 : -1]
    return json.loads(inner) if inner.startswith('"') else int(inner)


def read_document(path: Path) -> TfDocument:
    """Read and recognise ``path``; SourceError (exit 3) when it is not what ``show`` prints."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not UTF-8 text (byte {exc.start}); {EXPECTED}") from exc
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        hint = ""
        if text.lstrip().startswith(("PK", "\x00")) or "\x00" in text[:64]:
            hint = " (this looks like a binary plan file: run `terraform show -json` on it)"
        raise SourceError(
            f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}{hint}; {EXPECTED}"
        ) from exc
    return parse_document(body, str(path))


def parse_document(body: Any, where: str) -> TfDocument:
    if not isinstance(body, dict):
        raise SourceError(f"{where}: the top level is a {type(body).__name__}; {EXPECTED}")
    if "lineage" in body and "serial" in body and "resources" in body:
        raise SourceError(
            f"{where}: this is a raw state file (terraform.tfstate), not `terraform show -json` "
            "output; run `terraform show -json > state.json` and check that file"
        )
    if "format_version" not in body:
        raise SourceError(f"{where}: no format_version key; {EXPECTED}")
    kind = "plan" if ("planned_values" in body or "resource_changes" in body) else "state"
    if kind == "state" and "values" not in body and len(body) > 2:
        raise SourceError(f"{where}: neither planned_values nor values; {EXPECTED}")
    config = body.get("configuration")
    variables = {
        k: v.get("value")
        for k, v in (body.get("variables") or {}).items()
        if isinstance(v, dict) and "value" in v
    }
    doc = TfDocument(
        path=where,
        kind=kind,
        terraform_version=str(body.get("terraform_version", "")),
        format_version=str(body["format_version"]),
        instances=(),
        configuration=config if isinstance(config, dict) else {},
        variables=variables,
        errored=body.get("errored") is True,
        complete=body.get("complete") is not False,
    )
    instances = tuple(_plan_instances(body, doc) if kind == "plan" else _state_instances(body, doc))
    return replace(doc, instances=instances)


def _walk(module: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if not isinstance(module, dict):
        return
    address = str(module.get("address", ""))
    resources = module.get("resources") or []
    if not isinstance(resources, list):
        raise SourceError(f"{where}: module {address or 'root'}: resources is not a list")
    for resource in resources:
        if isinstance(resource, dict) and "address" in resource and "type" in resource:
            yield address, resource
    for child in module.get("child_modules") or []:
        yield from _walk(child, where)


def _config_of(doc: TfDocument, module: str, mode: str, rtype: str, name: str) -> Any:
    node = doc.module_config(module)
    prefix = "data." if mode == "data" else ""
    for block in (node or {}).get("resources") or []:
        if isinstance(block, dict) and block.get("address") == f"{prefix}{rtype}.{name}":
            return block
    return None


def _instance(
    doc: TfDocument,
    module: str,
    raw: dict[str, Any],
    values: Mapping[str, Any],
    unknown: Mapping[str, Any],
    action: str,
) -> TfInstance:
    mode = str(raw.get("mode", "managed"))
    rtype, name = str(raw["type"]), str(raw.get("name", ""))
    index = raw.get("index")
    return TfInstance(
        address=str(raw["address"]),
        module=module,
        mode=mode,
        type=rtype,
        name=name,
        index=index if isinstance(index, (int, str)) and not isinstance(index, bool) else None,
        values=values,
        unknown=unknown,
        config=_config_of(doc, module, mode, rtype, name),
        action=action,
    )


def _plan_instances(body: dict[str, Any], doc: TfDocument) -> Iterator[TfInstance]:
    changes: dict[str, dict[str, Any]] = {}
    for rc in body.get("resource_changes") or []:
        if isinstance(rc, dict) and isinstance(rc.get("change"), dict):
            changes[str(rc.get("address"))] = rc
    prior: dict[str, Mapping[str, Any]] = {}
    prior_root = (body.get("prior_state") or {}).get("values", {}).get("root_module")
    for _, raw in _walk(prior_root, doc.path):
        prior[str(raw["address"])] = raw.get("values") or {}
    root = (body.get("planned_values") or {}).get("root_module")
    for module, raw in _walk(root, doc.path):
        address = str(raw["address"])
        change = changes.get(address, {}).get("change", {})
        unknown = change.get("after_unknown")
        unknown = unknown if isinstance(unknown, dict) else {}
        planned = raw.get("values")
        values: dict[str, Any] = dict(planned) if isinstance(planned, dict) else {}
        if not values and isinstance(change.get("after"), dict):
            values = dict(change["after"])
        for key, value in prior.get(address, {}).items():
            if key not in values and unknown.get(key) is not True:
                values[key] = value
        actions = change.get("actions") or []
        yield _instance(doc, module, raw, values, unknown, "-".join(map(str, actions)))


def _state_instances(body: dict[str, Any], doc: TfDocument) -> Iterator[TfInstance]:
    root = (body.get("values") or {}).get("root_module")
    for module, raw in _walk(root, doc.path):
        values = raw.get("values")
        yield _instance(doc, module, raw, values if isinstance(values, dict) else {}, {}, "")
