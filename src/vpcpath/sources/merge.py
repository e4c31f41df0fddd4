"""The same resource listed twice is one resource: merge rules for the snapshot loader.

A real snapshot lists some objects more than once: two saved answers of one account, a VPC
peering connection listed by the requester's and the accepter's account, a transit gateway
peering attachment listed from the transit gateway of each region. The parsers describe the
object, not who listed it (see ``wire.parse_peering``), so most copies are equal; a peering
attachment is seen mirrored (each side names its own transit gateway and the other as the
resource). Only copies that really contradict each other are reported.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any, TypeVar, cast

from vpcpath.model import TransitGatewayAttachment

T = TypeVar("T")


def merge_copies(first: T, second: T) -> tuple[T, str | None]:
    """The one record two copies describe, or the first copy and how the second contradicts it."""
    if first == second:
        return first, None
    if isinstance(first, TransitGatewayAttachment) and isinstance(second, TransitGatewayAttachment):
        merged = _mirrored_peering(first, second)
        if merged is not None:
            return cast(T, merged), None
    return first, f"listed twice with different {_differences(first, second)}; kept the first copy"


def _mirrored_peering(
    one: TransitGatewayAttachment, other: TransitGatewayAttachment
) -> TransitGatewayAttachment | None:
    """A TGW peering attachment seen from both transit gateways.

    Transit Gateway Guide, "Transit gateway peering attachments"
    (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-peering.html): the attachment is created
    on one transit gateway and accepted on the other; describe-transit-gateway-attachments in
    each region lists it with that region's transit gateway as ``TransitGatewayId`` and the
    peer as ``ResourceId``.
    """
    if not (one.resource_type == other.resource_type == "peering"):
        return None
    if (one.transit_gateway_id, one.resource_id) != (other.resource_id, other.transit_gateway_id):
        return None
    if one.state != other.state:
        return None
    peer_region = other.region if other.region != one.region else one.peer_region
    return replace(one, peer_region=peer_region)


def _differences(first: Any, second: Any) -> str:
    names = [
        f.name
        for f in fields(first)
        if f.init and getattr(first, f.name) != getattr(second, f.name)
    ]
    if not names:
        return "content"
    shown = ", ".join(
        f"{name} ({getattr(first, name)!s} vs {getattr(second, name)!s})" for name in names[:3]
    )
    return shown + (f" and {len(names) - 3} more fields" if len(names) > 3 else "")
