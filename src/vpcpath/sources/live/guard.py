"""The read-only guard: a botocore hook that refuses any mutating call before it is sent.

DESIGN.md "Safety": collection is read-only, enforced in code. The hook runs on
``before-parameter-build`` (before the parameters are even validated) and again on
``before-call`` (the last event before the request is signed and sent), registered first so
that no other handler can answer the call instead. It refuses every operation whose name does
not start with ``Describe``, ``Get`` or ``List`` — except the STS ``AssumeRole`` that reading
other accounts needs — by raising :class:`~vpcpath.errors.ReadOnlyViolation`, so nothing leaves
the process. It also records the IAM action of every call it lets through, which the manifest
lists and a test compares with ``required-permissions.json``.
"""

from __future__ import annotations

import threading
from typing import Any

from botocore.client import BaseClient
from botocore.model import OperationModel

from vpcpath.errors import ReadOnlyViolation

READ_ONLY_PREFIXES = ("Describe", "Get", "List")
# Calls collection needs that are not Describe/Get/List, as (IAM service prefix, operation).
# AssumeRole creates temporary credentials and changes nothing in the account.
# https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
COLLECTION_EXCEPTIONS = frozenset({("sts", "AssumeRole")})

_EVENTS = ("before-parameter-build", "before-call")


def is_read_only(service: str, operation: str) -> bool:
    """True when the guard lets ``service:operation`` through."""
    return operation.startswith(READ_ONLY_PREFIXES) or (service, operation) in COLLECTION_EXCEPTIONS


# Where the IAM service prefix differs from the API's signing name (Service Authorization
# Reference, "Actions, resources, and condition keys for Amazon CloudWatch": prefix
# ``cloudwatch``, while the API signs as ``monitoring``).
_IAM_PREFIX = {"monitoring": "cloudwatch"}


def iam_action(model: OperationModel) -> str:
    # The signing name is the IAM service prefix for ec2, sts, organizations and pricing.
    signing = model.service_model.signing_name
    return f"{_IAM_PREFIX.get(signing, signing)}:{model.name}"


class ReadOnlyGuard:
    """Install on every client the collector creates; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._used: set[str] = set()

    def install(self, client: BaseClient) -> None:
        for event in _EVENTS:
            client.meta.events.register_first(
                event, self._check, unique_id=f"vpcpath-read-only-guard-{event}"
            )

    def _check(self, model: OperationModel, **_: Any) -> None:
        service = model.service_model.signing_name
        if not is_read_only(service, model.name):
            raise ReadOnlyViolation(
                f"refused {service}:{model.name}: vpcpath reads AWS and never changes it; "
                f"only {'/'.join(READ_ONLY_PREFIXES)}* calls (and sts:AssumeRole) are allowed"
            )
        with self._lock:
            self._used.add(iam_action(model))

    @property
    def used_actions(self) -> frozenset[str]:
        """The IAM actions of every call let through so far (refused ones are not counted)."""
        with self._lock:
            return frozenset(self._used)
