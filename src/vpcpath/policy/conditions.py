"""Condition operators: parsing, validation of policy values, and evaluation.

Sources (IAM User Guide):
- "IAM JSON policy elements: Condition operators"
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
- "Creating a condition with multiple keys or values" (Conditions with multiple context keys or
  values) https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
- "Single-valued vs. multivalued context keys"
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
- "IAM policy elements: Variables and tags"
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from vpcpath.errors import PolicyError
from vpcpath.policy.matching import arn_matches, validate_arn_pattern
from vpcpath.policy.templates import ValueLookup, matches, parse_template, resolve


class BaseOperator(StrEnum):
    """Every condition operator IAM defines ("Condition operators", the category tables)."""

    STRING_EQUALS = "StringEquals"
    STRING_NOT_EQUALS = "StringNotEquals"
    STRING_EQUALS_IGNORE_CASE = "StringEqualsIgnoreCase"
    STRING_NOT_EQUALS_IGNORE_CASE = "StringNotEqualsIgnoreCase"
    STRING_LIKE = "StringLike"
    STRING_NOT_LIKE = "StringNotLike"
    NUMERIC_EQUALS = "NumericEquals"
    NUMERIC_NOT_EQUALS = "NumericNotEquals"
    NUMERIC_LESS_THAN = "NumericLessThan"
    NUMERIC_LESS_THAN_EQUALS = "NumericLessThanEquals"
    NUMERIC_GREATER_THAN = "NumericGreaterThan"
    NUMERIC_GREATER_THAN_EQUALS = "NumericGreaterThanEquals"
    DATE_EQUALS = "DateEquals"
    DATE_NOT_EQUALS = "DateNotEquals"
    DATE_LESS_THAN = "DateLessThan"
    DATE_LESS_THAN_EQUALS = "DateLessThanEquals"
    DATE_GREATER_THAN = "DateGreaterThan"
    DATE_GREATER_THAN_EQUALS = "DateGreaterThanEquals"
    BOOL = "Bool"
    BINARY_EQUALS = "BinaryEquals"
    IP_ADDRESS = "IpAddress"
    NOT_IP_ADDRESS = "NotIpAddress"
    ARN_EQUALS = "ArnEquals"
    ARN_LIKE = "ArnLike"
    ARN_NOT_EQUALS = "ArnNotEquals"
    ARN_NOT_LIKE = "ArnNotLike"
    NULL = "Null"


class SetOperator(StrEnum):
    """Set qualifiers for multivalued keys ("Single-valued vs. multivalued context keys")."""

    FOR_ALL_VALUES = "ForAllValues"
    FOR_ANY_VALUE = "ForAnyValue"


class OperatorFamily(StrEnum):
    STRING = "string"
    NUMERIC = "numeric"
    DATE = "date"
    BOOL = "bool"
    BINARY = "binary"
    IP = "ip"
    ARN = "arn"
    NULL = "null"


_B = BaseOperator
# Each negated operator and the positive operator whose match it negates. With several policy
# values a negated operator is a logical NOR of the positive matches ("Creating a condition
# with multiple keys or values": "If a single negated matching condition operator includes
# multiple values for a context key, those values are evaluated using a logical NOR").
_NEGATION_OF: dict[BaseOperator, BaseOperator] = {
    _B.STRING_NOT_EQUALS: _B.STRING_EQUALS,
    _B.STRING_NOT_EQUALS_IGNORE_CASE: _B.STRING_EQUALS_IGNORE_CASE,
    _B.STRING_NOT_LIKE: _B.STRING_LIKE,
    _B.NUMERIC_NOT_EQUALS: _B.NUMERIC_EQUALS,
    _B.DATE_NOT_EQUALS: _B.DATE_EQUALS,
    _B.NOT_IP_ADDRESS: _B.IP_ADDRESS,
    _B.ARN_NOT_EQUALS: _B.ARN_EQUALS,
    _B.ARN_NOT_LIKE: _B.ARN_LIKE,
}

_FAMILY: dict[BaseOperator, OperatorFamily] = {
    **{op: OperatorFamily.STRING for op in BaseOperator if op.value.startswith("String")},
    **{op: OperatorFamily.NUMERIC for op in BaseOperator if op.value.startswith("Numeric")},
    **{op: OperatorFamily.DATE for op in BaseOperator if op.value.startswith("Date")},
    **{op: OperatorFamily.ARN for op in BaseOperator if op.value.startswith("Arn")},
    _B.BOOL: OperatorFamily.BOOL,
    _B.BINARY_EQUALS: OperatorFamily.BINARY,
    _B.IP_ADDRESS: OperatorFamily.IP,
    _B.NOT_IP_ADDRESS: OperatorFamily.IP,
    _B.NULL: OperatorFamily.NULL,
}

# "You can use a policy variable for Condition values in any condition that involves the
# string operators or the ARN operators" ("Variables and tags", "Condition element").
_VARIABLE_FAMILIES = frozenset({OperatorFamily.STRING, OperatorFamily.ARN})

_BY_LOWER_NAME = {op.value.lower(): op for op in BaseOperator}
_SET_BY_LOWER_NAME = {op.value.lower(): op for op in SetOperator}


@dataclass(frozen=True, slots=True, kw_only=True)
class ConditionOperator:
    """A parsed condition operator such as ``ForAnyValue:StringLikeIfExists``."""

    base: BaseOperator
    set_operator: SetOperator | None = None
    if_exists: bool = False

    @property
    def name(self) -> str:
        prefix = f"{self.set_operator.value}:" if self.set_operator else ""
        return f"{prefix}{self.base.value}{'IfExists' if self.if_exists else ''}"

    @property
    def negated(self) -> bool:
        return self.base in _NEGATION_OF

    @property
    def family(self) -> OperatorFamily:
        return _FAMILY[self.base]

    @property
    def allows_variables(self) -> bool:
        return self.family in _VARIABLE_FAMILIES


def parse_operator(raw: str, *, path: str) -> ConditionOperator:
    """Parse an operator name. Names are matched without regard to case.

    ``...IfExists`` may follow any operator except Null ("...IfExists condition operators";
    IAM Access Analyzer reports "Null with if exists" as an error), and a set qualifier may
    precede any operator except Null.
    """
    set_operator: SetOperator | None = None
    name = raw
    qualifier, colon, rest = raw.partition(":")
    if colon:
        found = _SET_BY_LOWER_NAME.get(qualifier.lower())
        if found is None:
            raise PolicyError(f"{path}: unknown condition set operator {qualifier!r} in {raw!r}")
        set_operator, name = found, rest
    if_exists = False
    base = _BY_LOWER_NAME.get(name.lower())
    if base is None and name.lower().endswith("ifexists"):
        base = _BY_LOWER_NAME.get(name[: -len("IfExists")].lower())
        if_exists = True
    if base is None:
        raise PolicyError(f"{path}: unknown condition operator {raw!r}")
    if base is BaseOperator.NULL and (if_exists or set_operator is not None):
        raise PolicyError(f"{path}: the Null operator takes no IfExists or set qualifier")
    return ConditionOperator(base=base, set_operator=set_operator, if_exists=if_exists)


def validate_condition_values(
    operator: ConditionOperator, values: Sequence[str], *, variables: bool, path: str
) -> None:
    """Reject policy values the operator cannot compare (AWS rejects them too)."""
    family = operator.family
    for n, value in enumerate(values):
        where = f"{path}[{n}]" if len(values) > 1 else path
        if variables and "${" in value and family not in _VARIABLE_FAMILIES:
            raise PolicyError(
                f"{where}: policy variables are allowed only with String and Arn operators, "
                f"not with {operator.name}"
            )
        if family is OperatorFamily.STRING:
            parse_template(value, variables=variables, path=where)
        elif family is OperatorFamily.ARN:
            validate_arn_pattern(value, variables=variables, path=where)
        elif family is OperatorFamily.NUMERIC:
            if _number(value) is None:
                raise PolicyError(f"{where}: {value!r} is not a number ({operator.name})")
        elif family is OperatorFamily.DATE:
            if _date(value) is None:
                raise PolicyError(f"{where}: {value!r} is not an ISO 8601 date or epoch time")
        elif family in (OperatorFamily.BOOL, OperatorFamily.NULL):
            if value.lower() not in ("true", "false"):
                raise PolicyError(
                    f"{where}: {operator.name} takes 'true' or 'false', not {value!r}"
                )
        elif family is OperatorFamily.BINARY:
            if _binary(value) is None:
                raise PolicyError(f"{where}: {value!r} is not base-64 encoded ({operator.name})")
        elif family is OperatorFamily.IP and _network(value) is None:
            raise PolicyError(f"{where}: {value!r} is not an IP address or CIDR block")


def clause_holds(
    operator: ConditionOperator,
    policy_values: tuple[str, ...],
    request_values: tuple[str, ...] | None,
    lookup: ValueLookup,
    *,
    variables: bool,
) -> bool:
    """Whether one key's condition holds. ``request_values`` is None when the key is absent.

    Encodes, from "Condition operators": a key missing from the request makes the condition
    false, except that negated operators (StringNotLike, ArnNotLike, …) are then true, and
    ...IfExists is then true ("If the key that you specify in a policy condition is not present
    in the request context, the values do not match and the condition is false. If the policy
    condition requires that the key is not matched ... and the right key is not present, the
    condition is true"). Null tests presence alone. From "Single-valued vs. multivalued
    context keys": ForAllValues is true when the key is absent or empty, ForAnyValue is then
    false; otherwise ForAllValues needs every request value to match and ForAnyValue at least
    one.
    """
    if operator.base is BaseOperator.NULL:
        # "Null": true means the key must be absent (or null), false that it must be present.
        present = request_values is not None
        return any((value.lower() == "true") != present for value in policy_values)
    if request_values is None:
        if operator.if_exists:
            return True
        if operator.set_operator is SetOperator.FOR_ALL_VALUES:
            return True
        if operator.set_operator is SetOperator.FOR_ANY_VALUE:
            return False
        return operator.negated
    if operator.set_operator is None:
        # "Multivalued context keys require a condition set operator"; AWS does not document
        # the result without one, so vpcpath lets a plain operator match no key that holds
        # several values. A key with one value is compared as a single value.
        if len(request_values) != 1:
            return False
        return _value_holds(operator, policy_values, request_values[0], lookup, variables)
    results = (
        _value_holds(operator, policy_values, value, lookup, variables) for value in request_values
    )
    if operator.set_operator is SetOperator.FOR_ALL_VALUES:
        return all(results)
    return any(results)


def _value_holds(
    operator: ConditionOperator,
    policy_values: tuple[str, ...],
    request_value: str,
    lookup: ValueLookup,
    variables: bool,
) -> bool:
    """One request value against all policy values: OR for positive operators, NOR for negated.

    ("Creating a condition with multiple keys or values": "If a single condition operator
    includes multiple values for a context key, those values are evaluated using a logical
    OR"; negated operators use NOR.)
    """
    positive = _NEGATION_OF.get(operator.base, operator.base)
    matched = any(
        _single_match(positive, policy_value, request_value, lookup, variables)
        for policy_value in policy_values
    )
    return not matched if operator.negated else matched


def _single_match(
    base: BaseOperator, policy_value: str, request_value: str, lookup: ValueLookup, variables: bool
) -> bool:
    family = _FAMILY[base]
    if family is OperatorFamily.STRING:
        template = parse_template(policy_value, variables=variables, path="Condition")
        resolved = resolve(template, lookup)
        if resolved is None:  # a variable with no value matches nothing
            return False
        return matches(
            resolved,
            request_value,
            wildcards=base is BaseOperator.STRING_LIKE,
            ignore_case=base is BaseOperator.STRING_EQUALS_IGNORE_CASE,
        )
    if family is OperatorFamily.ARN:
        template = parse_template(policy_value, variables=variables, path="Condition")
        return arn_matches(template, request_value, lookup)
    if family is OperatorFamily.NUMERIC:
        policy_number, request_number = _number(policy_value), _number(request_value)
        if policy_number is None or request_number is None:
            return False
        return _ordering_holds(base, _ordering(request_number, policy_number))
    if family is OperatorFamily.DATE:
        policy_date, request_date = _date(policy_value), _date(request_value)
        if policy_date is None or request_date is None:
            return False
        return _ordering_holds(base, _ordering(request_date, policy_date))
    if family is OperatorFamily.BOOL:
        return policy_value.lower() == request_value.lower()
    if family is OperatorFamily.BINARY:
        decoded = _binary(request_value)
        return decoded is not None and decoded == _binary(policy_value)
    network = _network(policy_value)
    try:
        address = ipaddress.ip_address(request_value)
    except ValueError:
        return False
    return network is not None and address.version == network.version and address in network


def _ordering(request: Decimal | datetime, policy: Decimal | datetime) -> int:
    """-1, 0 or 1 as the request value is below, equal to or above the policy value."""
    if isinstance(request, Decimal) and isinstance(policy, Decimal):
        return (request > policy) - (request < policy)
    if isinstance(request, datetime) and isinstance(policy, datetime):
        return (request > policy) - (request < policy)
    raise TypeError("mixed comparison")  # pragma: no cover - callers pass one type


def _ordering_holds(base: BaseOperator, ordering: int) -> bool:
    name = base.value
    if name.endswith("GreaterThanEquals"):
        return ordering >= 0
    if name.endswith("GreaterThan"):
        return ordering > 0
    if name.endswith("LessThanEquals"):
        return ordering <= 0
    if name.endswith("LessThan"):
        return ordering < 0
    return ordering == 0


def _number(value: str) -> Decimal | None:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _date(value: str) -> datetime | None:
    """ISO 8601 (date or date-time, ``Z`` or offset) or epoch seconds.

    ("Condition operators", "Date condition operators".)
    """
    text = value.strip()
    if text.lstrip("-").isdigit():
        try:
            return datetime.fromtimestamp(int(text), tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _binary(value: str) -> bytes | None:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


def _network(value: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        return None
