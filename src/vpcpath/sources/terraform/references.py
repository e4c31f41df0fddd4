"""Follow a configuration expression's ``references`` to the resource instances it names.

An attribute unknown until apply (``vpc_id = aws_vpc.this[0].id`` in a plan of new
infrastructure) still says in ``configuration`` which resources it references. Terraform lists
each reference with its shorter prefixes (``aws_vpc.this[0].id``, ``aws_vpc.this[0]``,
``aws_vpc.this``), plus ``count.index``/``each.key`` and the variables the expression reads.

The terraform-aws-modules/vpc layout writes ``element(aws_route_table.private[*].id,
var.single_nat_gateway ? 0 : count.index)``: Terraform's ``element`` wraps the index around the
list's length (Terraform docs, "element Function"), so with a single route table (or NAT
gateway) every instance gets index 0 — ``count.index % len(list)`` gives the right instance
(https://developer.hashicorp.com/terraform/language/functions/element)
for both layouts. ``var.X`` inside a module follows the caller's argument, ``module.M.out``
follows the module's output; locals are not in the JSON and cannot be followed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vpcpath.sources.terraform.document import TfDocument, TfInstance, module_key, parent_module

_RESOURCE_REF = re.compile(
    r"^(?P<data>data\.)?(?P<type>[a-z][a-z0-9_]*)\.(?P<name>[A-Za-z_][A-Za-z0-9_-]*)"
    r'(?:\[(?P<index>"(?:[^"\\]|\\.)*"|\d+|count\.index|each\.key|each\.value|\*)\])?'
    r"(?:\.(?P<attr>[A-Za-z_][A-Za-z0-9_]*))?"
)
_MODULE_REF = re.compile(
    r'^module\.(?P<name>[A-Za-z0-9_-]+)(?:\[(?P<index>"(?:[^"\\]|\\.)*"|\d+)\])?'
    r"(?:\.(?P<output>[A-Za-z_][A-Za-z0-9_-]*))?"
)
_MAX_DEPTH = 8


@dataclass(frozen=True, slots=True)
class Scope:
    """Where an expression is evaluated: a module instance and the resource's own key."""

    module: str
    count_index: int | None = None
    each_key: str | None = None


@dataclass(frozen=True, slots=True)
class Target:
    instance: TfInstance
    attr: str | None  # the attribute referenced (id, main_route_table_id, …), if named


def expression_at(config: Mapping[str, Any] | None, path: Sequence[str | int]) -> Any:
    """The expression object at ``path`` (``("route", 0, "nat_gateway_id")``), or None."""
    node: Any = (config or {}).get("expressions")
    for step in path:
        if isinstance(step, int):
            if not isinstance(node, list) or not node:
                return None
            node = node[step] if step < len(node) else None
        elif isinstance(node, dict):
            node = node.get(step)
        else:
            return None
    return node if isinstance(node, dict) else None


def scope_of(instance: TfInstance) -> Scope:
    index = instance.index
    return Scope(
        module=instance.module,
        count_index=index if isinstance(index, int) else None,
        each_key=index if isinstance(index, str) else None,
    )


class References:
    """Resolves references against one document's instances."""

    def __init__(self, doc: TfDocument) -> None:
        self._doc = doc
        self._by_resource: dict[tuple[str, str, str], list[TfInstance]] = {}
        for inst in doc.instances:
            key = (inst.module, inst.mode, inst.resource)
            self._by_resource.setdefault(key, []).append(inst)
        for group in self._by_resource.values():
            group.sort(key=lambda i: (isinstance(i.index, str), str(i.index).zfill(12)))

    def instances_of(self, module: str, resource: str, mode: str = "managed") -> list[TfInstance]:
        return self._by_resource.get((module, mode, resource), [])

    def targets(
        self,
        instance: TfInstance,
        path: Sequence[str | int],
        types: Iterable[str],
        *,
        many: bool = False,
    ) -> list[Target]:
        """Instances of ``types`` that the expression at ``path`` references."""
        expr = expression_at(instance.config, path)
        refs = expr.get("references") if expr else None
        if not refs:
            return []
        return self._resolve(list(map(str, refs)), scope_of(instance), frozenset(types), many, 0)

    def _resolve(
        self, refs: list[str], scope: Scope, types: frozenset[str], many: bool, depth: int
    ) -> list[Target]:
        if depth > _MAX_DEPTH:
            return []
        keyed = "count.index" in refs or any(r.startswith("each.") for r in refs)
        found: dict[str, Target] = {}
        # Terraform adds each reference's shorter forms (``a.b[0].id``, ``a.b[0]``, ``a.b``):
        # only the longest names the index and the attribute.
        longest = [r for r in refs if not any(o.startswith((r + "[", r + ".")) for o in refs)]
        for ref in sorted(longest, key=len, reverse=True):
            for target in self._one(ref, refs, scope, types, many, keyed, depth):
                found.setdefault(target.instance.address, target)
            if found and not many:
                break
        return list(found.values())

    def _one(
        self,
        ref: str,
        refs: list[str],
        scope: Scope,
        types: frozenset[str],
        many: bool,
        keyed: bool,
        depth: int,
    ) -> list[Target]:
        if ref.startswith("var."):
            name = ref[4:].split(".")[0].split("[")[0]
            return self._through_variable(name, scope, types, many, keyed, depth)
        if ref.startswith("module."):
            return self._through_output(ref, scope, types, many, keyed, depth)
        match = _RESOURCE_REF.match(ref)
        if match is None or match.group("type") not in types:
            return []
        mode = "data" if match.group("data") else "managed"
        group = self.instances_of(
            scope.module, f"{match.group('type')}.{match.group('name')}", mode
        )
        if not group:
            return []
        attr = match.group("attr")
        index = match.group("index")
        if index is not None and index != "*":
            return [Target(i, attr) for i in _pick(group, index, scope)]
        if many and not keyed:
            return [Target(i, attr) for i in group]
        if len(group) == 1:
            return [Target(group[0], attr)]
        if "count.index" in refs and scope.count_index is not None:
            # element(list, count.index) wraps around the list (see the module docstring).
            return [Target(group[scope.count_index % len(group)], attr)]
        if scope.each_key is not None:
            same = [i for i in group if i.index == scope.each_key]
            if same:
                return [Target(same[0], attr)]
        return [Target(i, attr) for i in group] if many else []

    def _through_variable(
        self, name: str, scope: Scope, types: frozenset[str], many: bool, keyed: bool, depth: int
    ) -> list[Target]:
        if not scope.module:
            return []  # a root variable holds a value, not a reference
        call = self._doc.module_call(scope.module)
        expr = ((call or {}).get("expressions") or {}).get(name)
        refs = expr.get("references") if isinstance(expr, dict) else None
        if not refs:
            return []
        outer = parent_module(scope.module)
        return self._resolve(
            _carry(list(map(str, refs)), keyed),
            _scope_for(outer, scope, keyed),
            types,
            many,
            depth + 1,
        )

    def _through_output(
        self, ref: str, scope: Scope, types: frozenset[str], many: bool, keyed: bool, depth: int
    ) -> list[Target]:
        match = _MODULE_REF.match(ref)
        if match is None or match.group("output") is None:
            return []
        prefix = f"{scope.module}." if scope.module else ""
        base = f"{prefix}module.{match.group('name')}"
        child = base + (f"[{match.group('index')}]" if match.group("index") else "")
        modules = sorted(
            {
                i.module
                for i in self._doc.instances
                if i.module == child or i.module.startswith(child + "[")
            }
        )
        if len(modules) != 1:
            return []
        config = self._doc.module_config(modules[0])
        output = ((config or {}).get("outputs") or {}).get(match.group("output"))
        expr = output.get("expression") if isinstance(output, dict) else None
        refs = expr.get("references") if isinstance(expr, dict) else None
        if not refs:
            return []
        return self._resolve(
            _carry(list(map(str, refs)), keyed),
            Scope(
                module=modules[0],
                count_index=scope.count_index if keyed else None,
                each_key=scope.each_key if keyed else None,
            ),
            types,
            many,
            depth + 1,
        )


def _pick(group: list[TfInstance], index: str, scope: Scope) -> list[TfInstance]:
    if index == "count.index":
        if scope.count_index is None:
            return []
        return [group[scope.count_index % len(group)]]
    if index in ("each.key", "each.value"):
        return [i for i in group if i.index == scope.each_key]
    key: int | str = json.loads(index) if index.startswith('"') else int(index)
    return [i for i in group if i.index == key]


def _carry(refs: list[str], keyed: bool) -> list[str]:
    """An outer ``x[count.index]`` indexes the list the variable or output stands for."""
    return [*refs, "count.index"] if keyed and "count.index" not in refs else refs


def _scope_for(module: str, inner: Scope, keyed: bool) -> Scope:
    if keyed:
        return Scope(module=module, count_index=inner.count_index, each_key=inner.each_key)
    key = module_key(inner.module) if inner.module else None
    return Scope(
        module=module,
        count_index=key if isinstance(key, int) else None,
        each_key=key if isinstance(key, str) else None,
    )
