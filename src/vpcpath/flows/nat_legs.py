"""Which leg of a NAT gateway's traffic a record on the NAT gateway's ENI is — one rule, used
by the engine's attribution (``attribution``) and by the Athena query (``athena_steps``).

A flow through a NAT gateway is logged twice on its ENI, in each direction: the client leg
(workload ↔ the NAT's private address) and the internet leg (the NAT's address ↔ the
remote). VPC User Guide, "Flow log record examples" → "NAT gateway"
(https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-records-examples.html): with
``pkt-srcaddr``/``pkt-dstaddr`` the client leg is the record whose packet address on the NAT
side differs from its header address (the packet still names the real remote); without them,
the record whose other end lies in a VPC of the snapshot — or, for a public NAT gateway, in
private ranges (a private NAT gateway's clients can be any routable address).

The rule reads these columns: ``has_pkt``, ``src_is_nat``, ``dst_is_nat``, ``s_in_vpc``,
``d_in_vpc``, ``s_private``, ``d_private``; the caller names the three it spells its own way.
"""

from __future__ import annotations

_LEG_WHENS = """
  WHEN has_pkt AND dst_is_nat AND {pkt_dst_differs} THEN 'client-out'
  WHEN has_pkt AND src_is_nat AND {pkt_src_differs} THEN 'client-in'
  WHEN has_pkt AND src_is_nat THEN 'internet-out'
  WHEN has_pkt AND dst_is_nat THEN 'internet-in'
  WHEN dst_is_nat AND (s_in_vpc OR ({connectivity} = 'public' AND s_private)) THEN 'client-out'
  WHEN src_is_nat AND (d_in_vpc OR ({connectivity} = 'public' AND d_private)) THEN 'client-in'
  WHEN src_is_nat THEN 'internet-out'
  WHEN dst_is_nat THEN 'internet-in'
  ELSE 'other'"""


def leg_whens(*, pkt_dst_differs: str, pkt_src_differs: str, connectivity: str) -> str:
    """The ``WHEN … THEN`` arms (and ``ELSE``) of the leg ``CASE``, in portable SQL.

    ``pkt_dst_differs``/``pkt_src_differs``: the caller's expression for "the packet's
    destination (source) address is not the header's"; ``connectivity``: its column holding
    the NAT gateway's ``public``/``private`` connectivity type.
    """
    return _LEG_WHENS.format(
        pkt_dst_differs=pkt_dst_differs,
        pkt_src_differs=pkt_src_differs,
        connectivity=connectivity,
    )
