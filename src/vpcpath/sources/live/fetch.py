"""One AWS call, every page merged, its errors sorted into "denied" (a skip) and "failed".

botocore retries throttling and 5xx answers itself (see ``session.py``); what reaches this
module is final. A refusal (``AccessDenied``, ``UnauthorizedOperation``, …) becomes
:class:`Denied`, which the collector records as a skip; anything else becomes an
:class:`~vpcpath.errors.AwsError` (``aws_errors.translate_aws_error``), raised ``from`` it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.client import BaseClient
from botocore.exceptions import BotoCoreError, ClientError

from vpcpath.errors import AwsError
from vpcpath.sources.live.aws_errors import DENIED_CODES, error_code, translate_aws_error
from vpcpath.sources.live.calls import AwsCall

_DROPPED_KEYS = frozenset({"ResponseMetadata", "NextToken", "NextMarker"})


class Denied(Exception):
    """AWS refused the call; the collector turns this into a recorded skip."""

    def __init__(self, action: str, code: str, message: str) -> None:
        super().__init__(f"{action}: {code}: {message}")
        self.action = action
        self.code = code
        self.message = message


class Gone(Exception):
    """The resource asked about was deleted between two calls (``…NotFound``)."""


@dataclass(frozen=True, slots=True)
class Answer:
    body: dict[str, Any]  # the raw response, pages merged, without ResponseMetadata/NextToken
    requests: int  # pages fetched (retries not counted)


def fetch(
    client: BaseClient,
    call: AwsCall,
    params: dict[str, Any],
    *,
    where: str,
    page_size: int | None = None,
) -> Answer:
    """Run ``call`` with ``params``; ``where`` (account/region) prefixes error messages.

    ``page_size`` asks for smaller pages than AWS's default (None: AWS's default).
    """
    try:
        if call.paginated:
            body: dict[str, Any] = {}
            pages = 0
            sized = page_size and call.sized_pages
            config = {"PaginationConfig": {"PageSize": page_size}} if sized else {}
            for page in client.get_paginator(call.method).paginate(**params, **config):
                pages += 1
                merge_page(body, page)
            return Answer(body=body, requests=pages)
        response = getattr(client, call.method)(**params)
        return Answer(body=_clean(response), requests=1)
    except ClientError as exc:
        raise classify(exc, call.iam_action, where) from exc
    except BotoCoreError as exc:
        raise translate_aws_error(exc, action=call.iam_action, where=where) from exc


def merge_page(merged: dict[str, Any], page: dict[str, Any]) -> None:
    """Lists are concatenated across pages; other values are kept from the first page."""
    for key, value in page.items():
        if key in _DROPPED_KEYS:
            continue
        if isinstance(value, list):
            merged.setdefault(key, []).extend(value)
        else:
            merged.setdefault(key, value)


def _clean(response: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in response.items() if k not in _DROPPED_KEYS}


def classify(exc: ClientError, action: str, where: str) -> Denied | Gone | AwsError:
    code = error_code(exc)
    message = str(exc.response.get("Error", {}).get("Message", "")).strip()
    if code in DENIED_CODES:
        return Denied(action, code, message)
    if code.endswith(".NotFound"):  # e.g. InvalidVpcID.NotFound: deleted while we read
        return Gone(f"{where}: {action}: {code}: {message}")
    return translate_aws_error(exc, action=action, where=where)
