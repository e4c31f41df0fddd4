"""The size AWS allows an endpoint policy.

PrivateLink Guide, "Control access to VPC endpoints using endpoint policies" → "Considerations"
(https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html): "The maximum
size of an endpoint policy is 20,480 characters (including white space)." AWS refuses a larger
one, so a candidate over the limit is reported and ``policy suggest`` never writes one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

ENDPOINT_POLICY_MAX_CHARACTERS = 20_480


def policy_text(document: Mapping[str, object]) -> str:
    """A decoded policy as vpcpath writes it (``policy suggest``): two-space indented JSON."""
    return json.dumps(document, indent=2)


def policy_characters(document: str | bytes | Mapping[str, object]) -> int:
    """Characters AWS counts: the text as given (white space included), or as vpcpath writes it."""
    if isinstance(document, bytes):
        return len(document.decode("utf-8", errors="replace"))
    if isinstance(document, str):
        return len(document)
    return len(policy_text(document))


def over_limit_message(characters: int) -> str | None:
    """Why the policy cannot be an endpoint policy, or None when it fits."""
    if characters <= ENDPOINT_POLICY_MAX_CHARACTERS:
        return None
    return (
        f"the policy is {characters:,} characters, over AWS's limit of "
        f"{ENDPOINT_POLICY_MAX_CHARACTERS:,} for an endpoint policy (white space included): "
        "AWS refuses it"
    )
