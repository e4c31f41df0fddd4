"""The call guard: a botocore hook that refuses any call vpcpath did not declare, before it goes.

docs/architecture.md "Safety": collection is read-only, enforced in code. The hook runs on
``before-parameter-build`` (before the parameters are even validated) and again on
``before-call`` (the last event before the request is signed and sent), registered first so
that no other handler can answer the call instead. It lets through only the calls declared in
``calls.py``: the reads (``Describe``/``Get``/``List`` operations, the STS ``AssumeRole`` that
reading other accounts needs, and ``SearchTransitGatewayRoutes``) and — for an apply session
only — the writes ``apply`` declares. Anything else raises
:class:`~vpcpath.errors.ReadOnlyViolation` (a write) or :class:`~vpcpath.errors.UndeclaredAwsCall`
(a read no list names), so nothing leaves the process and ``required-permissions.json`` cannot
miss a call. It also records the IAM action of every
call it lets through, which the manifest lists and a test compares with that file.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from botocore.client import BaseClient
from botocore.model import OperationModel

from vpcpath.errors import ReadOnlyViolation, UndeclaredAwsCall
from vpcpath.sources.live.calls import READ_CALLS, AwsCall

READ_ONLY_PREFIXES = ("Describe", "Get", "List")
# Calls collection needs that are not Describe/Get/List, as (IAM service prefix, operation).
# AssumeRole creates temporary credentials and changes nothing in the account.
# https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
# SearchTransitGatewayRoutes only reads a transit gateway route table's routes.
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SearchTransitGatewayRoutes.html
COLLECTION_EXCEPTIONS = frozenset({("sts", "AssumeRole"), ("ec2", "SearchTransitGatewayRoutes")})

_EVENTS = ("before-parameter-build", "before-call")


def is_read_only(service: str, operation: str) -> bool:
    """True when ``service:operation`` reads and changes nothing."""
    return operation.startswith(READ_ONLY_PREFIXES) or (service, operation) in COLLECTION_EXCEPTIONS


def _by_operation(calls: Iterable[AwsCall]) -> dict[tuple[str, str], AwsCall]:
    return {(c.service, c.operation): c for c in calls}


class CallGuard:
    """Install on every client the factory creates; thread-safe.

    ``writes`` are the mutating calls this guard lets through besides the declared reads:
    none for every command but ``apply`` (``AwsSession.for_apply``).
    """

    def __init__(self, *, writes: Iterable[AwsCall] = ()) -> None:
        self._lock = threading.Lock()
        self._used: set[str] = set()
        self._reads = _by_operation(c for c in READ_CALLS if is_read_only(c.service, c.operation))
        self._writes = _by_operation(writes)

    @property
    def allows_writes(self) -> bool:
        return bool(self._writes)

    def install(self, client: BaseClient) -> None:
        for event in _EVENTS:
            client.meta.events.register_first(
                event, self._check, unique_id=f"vpcpath-call-guard-{event}"
            )

    def _check(self, model: OperationModel, **_: Any) -> None:
        # The client name (``cloudwatch``), not the signing name (``monitoring``).
        service = model.service_model.service_name
        key = (service, model.name)
        call = self._reads.get(key) or self._writes.get(key)
        if call is None:
            if is_read_only(service, model.name):
                raise UndeclaredAwsCall(
                    f"refused {service}:{model.name}: not a call vpcpath declares "
                    "(sources/live/calls.py), so required-permissions.json would not list it"
                )
            if self._writes:
                allowed = ", ".join(sorted(c.iam_action for c in self._writes.values()))
                raise ReadOnlyViolation(
                    f"refused {service}:{model.name}: apply only adds ({allowed})"
                )
            raise ReadOnlyViolation(
                f"refused {service}:{model.name}: vpcpath reads AWS and never changes it; "
                f"only {'/'.join(READ_ONLY_PREFIXES)}* calls (and sts:AssumeRole) are allowed"
            )
        with self._lock:
            self._used.add(call.iam_action)

    @property
    def used_actions(self) -> frozenset[str]:
        """The IAM actions of every call let through so far (refused ones are not counted)."""
        with self._lock:
            return frozenset(self._used)


class ReadOnlyGuard(CallGuard):
    """The guard of every command but ``apply``: declared reads only."""

    def __init__(self) -> None:
        super().__init__(writes=())
