"""The attribution of ``attribution.py`` and ``workload_match.py``, as Trino common table
expressions over the flow pairs ``p`` and the inlined snapshot tables (``athena_sql``).

Trino evaluates a WITH query again at every reference (it does not materialise it), and
Athena bills the bytes each evaluation scans. So the pairs are one stream through a chain in
which each step reads the step before it exactly once: one scan of the flow-log table. What
the DuckDB engine does with extra tables over all pairs is done per pair with joins to the
(small, inlined) snapshot tables, and what needs other pairs with window functions:

- ``nat_mode`` (does a NAT gateway attribute directly?) is a window over the rows of that
  NAT gateway; ``logged`` (does a workload address have records of its own?) a window over the
  addresses each pair contributes and asks about (``UNNEST`` of an array, one row per role);
- "how many subnets hold this address" joins the candidates, counts them with ``min``/``max``
  windows over the pair, and keeps one row of each pair;
- addresses are fixed-width hex strings (``athena_sql.address_key``: 8 digits for IPv4, 32
  for IPv6) instead of DuckDB's UHUGEINT; ASOF joins are range joins (route pieces and
  address classes partition the space, so the piece an ASOF join finds holds the address
  exactly when a ``BETWEEN`` join finds it), through a bucket column (the first 16 bits) that
  gives Trino an equi-join where the ranges are many.

Every expression here parses as Trino and transpiles to DuckDB with sqlglot; the tests run
the transpiled query and require the DuckDB engine's rows.
"""

from __future__ import annotations

from vpcpath.flows.nat_legs import leg_whens
from vpcpath.flows.scan_rules import KEY_NAMES

PAIR_KEYS = ", ".join(KEY_NAMES)
_LEG_WHENS = leg_whens(
    pkt_dst_differs="pd_v IS DISTINCT FROM d_v",
    pkt_src_differs="ps_v IS DISTINCT FROM s_v",
    connectivity="connectivity",
)
_HEX = "'0123456789abcdef'"
_OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_GROUPS = "'^([0-9a-f]{1,4}(:[0-9a-f]{1,4})*)?$'"
# The address columns of a pair and the prefix of the columns parsed from them.
_ADDRESSES = (("srcaddr", "s"), ("dstaddr", "d"), ("pkt_srcaddr", "ps"), ("pkt_dstaddr", "pd"))


def bucket_sql(key: str) -> str:
    """The first 16 bits of an address key, as an integer."""
    return " + ".join(
        f"(strpos({_HEX}, substr({key}, {i + 1}, 1)) - 1) * {16 ** (3 - i)}" for i in range(4)
    )


def _groups(side: str) -> str:
    return f"CASE WHEN {side} = '' THEN 0 ELSE cardinality(split({side}, ':')) END"


def _padded(side: str) -> str:
    return (
        f"CASE WHEN {side} = '' THEN '' ELSE"
        f" array_join(transform(split({side}, ':'), g -> lpad(g, 4, '0')), '') END"
    )


def _split(column: str, pre: str) -> str:
    x = f"lower({column})"
    return (
        f"CASE WHEN strpos({column}, ':') > 0 THEN 6 WHEN strpos({column}, '.') > 0 THEN 4"
        f" END AS {pre}_fam, {x} AS {pre}_x,"
        f" CASE WHEN strpos({x}, '::') > 0 THEN split_part({x}, '::', 1) ELSE {x} END AS {pre}_l,"
        f" CASE WHEN strpos({x}, '::') > 0 THEN split_part({x}, '::', 2) ELSE '' END AS {pre}_r"
    )


def _key(column: str, pre: str) -> str:
    """``snapshot_tables.ADDRESS_MACROS``'s parse: dotted quads without leading zeros, IPv6
    with at most one ``::``; anything else NULL."""
    x, left, right = f"{pre}_x", f"{pre}_l", f"{pre}_r"
    octets = " + ".join(
        f"CAST(split_part({column}, '.', {i + 1}) AS BIGINT) * {256 ** (3 - i)}" for i in range(4)
    )
    return f"""CASE
      WHEN {pre}_fam = 4 AND regexp_like({column}, '^{_OCTET}(\\.{_OCTET}){{3}}$')
        THEN lower(lpad(to_base({octets}, 16), 8, '0'))
      WHEN {pre}_fam = 6 AND regexp_like({x}, '^[0-9a-f:]{{2,39}}$')
        AND cardinality(split({x}, '::')) <= 2
        AND regexp_like({left}, {_GROUPS}) AND regexp_like({right}, {_GROUPS})
        AND CASE WHEN strpos({x}, '::') > 0 THEN {_groups(left)} + {_groups(right)} <= 8
                 ELSE {_groups(left)} = 8 END
      THEN {_padded(left)}
        || lpad('', CAST(4 * (8 - {_groups(left)} - {_groups(right)}) AS INTEGER), '0')
        || {_padded(right)}
      END AS {pre}_v"""


# Snapshot-only tables derived from the inlined ones (cheap to evaluate at each reference).
LOOKUP_STEPS: tuple[str, ...] = (
    f"""class_buckets AS (
    SELECT c.*, u.b FROM s_classes c
    CROSS JOIN UNNEST(sequence({bucket_sql("c.lo")}, {bucket_sql("c.hi")})) AS u(b))""",
    # Every (subnet CIDR, account) of the snapshot, by bucket (``workload_match.addr_home``).
    f"""subnet_home AS (
    SELECT c.family, c.lo, c.hi, c.subnet_id, c.vpc_id, sn.region, va.account_id, u.b
    FROM s_subnet_cidrs c JOIN s_subnets sn ON sn.subnet_id = c.subnet_id
    JOIN s_vpc_accounts va ON va.vpc_id = c.vpc_id
    CROSS JOIN UNNEST(sequence({bucket_sql("c.lo")}, {bucket_sql("c.hi")})) AS u(b))""",
    """vpc_account AS (SELECT DISTINCT vpc_id, account_id FROM s_vpc_accounts)""",
    """account_region AS (SELECT DISTINCT account_id, region FROM s_vpc_accounts)""",
    """nat_ips AS (SELECT DISTINCT nat_gateway_id, family, addr FROM s_nat_ips)""",
    """tgw_to_nat AS (
    SELECT route_table_id, nat_gateway_id, min(transit_gateway_id) AS transit_gateway_id
    FROM s_routes GROUP BY route_table_id, nat_gateway_id)""",
)


def stream_steps() -> tuple[str, ...]:
    """The chain from the pairs ``p`` to ``attributed``; each step reads the previous once."""
    split = ",\n      ".join(_split(c, pre) for c, pre in _ADDRESSES)
    keys = ",\n      ".join(_key(c, pre) for c, pre in _ADDRESSES)
    buckets = ", ".join(f"{bucket_sql(f'{pre}_v')} AS {pre}_b" for _, pre in _ADDRESSES)
    return (
        f"pa AS (SELECT p.*,\n      {split}\n    FROM p)",
        f"pv AS (SELECT pa.*,\n      {keys}\n    FROM pa)",
        f"pb AS (SELECT pv.*, {buckets} FROM pv)",
        # One match at most per join: ids are unique, VPC space and private ranges merged.
        """pj AS (
    SELECT pb.*, nn.eni_id IS NOT NULL AS is_nat, nn.nat_gateway_id AS eni_nat,
      g.connectivity, g.vpc_id AS nat_vpc, g.region AS nat_region,
      e.eni_id IS NOT NULL AS known_eni, e.subnet_id AS eni_subnet,
      rs.subnet_id AS named_subnet,
      (pb.vpc_id IS NULL OR pb.vpc_id = own.vpc_id)
        AND (pb.region IS NULL OR pb.region = own.region)
        AND (pb.account_id IS NULL OR oa.vpc_id IS NOT NULL) AS consistent,
      coalesce(e.instance_id, pb.instance_id) AS w_instance,
      pb.vpc_id IS NULL OR pb.vpc_id IN (SELECT vpc_id FROM s_vpc_accounts) AS vpc_known,
      pb.account_id IS NULL
        OR pb.account_id IN (SELECT account_id FROM s_vpc_accounts) AS account_known,
      pb.region IS NULL OR CASE WHEN pb.account_id IS NULL
        THEN pb.region IN (SELECT region FROM s_vpc_accounts)
        ELSE ar.region IS NOT NULL END AS region_known,
      vs.lo IS NOT NULL AS s_in_vpc, vd.lo IS NOT NULL AS d_in_vpc,
      xs.lo IS NOT NULL AS s_private, xd.lo IS NOT NULL AS d_private,
      si.addr IS NOT NULL AS src_is_nat, di.addr IS NOT NULL AS dst_is_nat,
      pb.pkt_srcaddr IS NOT NULL AND pb.pkt_dstaddr IS NOT NULL AS has_pkt
    FROM pb
    LEFT JOIN s_nat_enis nn ON nn.eni_id = pb.interface_id
    LEFT JOIN s_nats g ON g.nat_gateway_id = nn.nat_gateway_id
    LEFT JOIN s_enis e ON e.eni_id = pb.interface_id
    LEFT JOIN s_subnets rs ON rs.subnet_id = pb.subnet_id
    LEFT JOIN s_subnets own ON own.subnet_id = coalesce(e.subnet_id, rs.subnet_id)
    LEFT JOIN vpc_account oa ON oa.vpc_id = own.vpc_id AND oa.account_id = pb.account_id
    LEFT JOIN account_region ar ON ar.account_id = pb.account_id AND ar.region = pb.region
    LEFT JOIN s_vpc_cidrs vs ON vs.family = pb.s_fam AND pb.s_v BETWEEN vs.lo AND vs.hi
    LEFT JOIN s_vpc_cidrs vd ON vd.family = pb.d_fam AND pb.d_v BETWEEN vd.lo AND vd.hi
    LEFT JOIN s_private_ranges xs ON xs.family = pb.s_fam AND pb.s_v BETWEEN xs.lo AND xs.hi
    LEFT JOIN s_private_ranges xd ON xd.family = pb.d_fam AND pb.d_v BETWEEN xd.lo AND xd.hi
    LEFT JOIN nat_ips si ON si.nat_gateway_id = nn.nat_gateway_id AND si.family = pb.s_fam
      AND si.addr = pb.s_v
    LEFT JOIN nat_ips di ON di.nat_gateway_id = nn.nat_gateway_id AND di.family = pb.d_fam
      AND di.addr = pb.d_v)""",
        # A NAT ENI pair's leg (``attribution`` n_legs), its workload and remote.
        f"""pl AS (
    SELECT pj.*, CASE WHEN NOT is_nat THEN NULL {_LEG_WHENS}
      END AS leg
    FROM pj)""",
        """pw AS (
    SELECT pl.*,
      CASE leg WHEN 'client-out' THEN s_fam WHEN 'client-in' THEN d_fam END AS wfam,
      CASE leg WHEN 'client-out' THEN s_v WHEN 'client-in' THEN d_v END AS wv,
      CASE leg WHEN 'client-out' THEN s_b WHEN 'client-in' THEN d_b END AS wb
    FROM pl)""",
        # Candidates that may be several: subnets in a workload record's scope holding its
        # addresses (``w_candidates``), the one subnet of a NAT client's address in the NAT's
        # region (``addr_subnet_region``), the client's ENI (preferring the NAT's own VPC).
        """pc AS (
    SELECT pw.*, hs.subnet_id AS hs_subnet, hd.subnet_id AS hd_subnet,
      hx.subnet_id AS hx_subnet,
      CASE WHEN i.eni_id IS NOT NULL THEN
        CASE WHEN i.vpc_id IS DISTINCT FROM pw.nat_vpc THEN '1' ELSE '0' END || i.eni_id
      END AS eni_pick
    FROM pw
    LEFT JOIN subnet_home hs ON NOT pw.is_nat AND hs.family = pw.s_fam AND hs.b = pw.s_b
      AND pw.s_v BETWEEN hs.lo AND hs.hi AND (pw.vpc_id IS NULL OR hs.vpc_id = pw.vpc_id)
      AND (pw.account_id IS NULL OR hs.account_id = pw.account_id)
      AND (pw.region IS NULL OR hs.region = pw.region)
    LEFT JOIN subnet_home hd ON NOT pw.is_nat AND hd.family = pw.d_fam AND hd.b = pw.d_b
      AND pw.d_v BETWEEN hd.lo AND hd.hi AND (pw.vpc_id IS NULL OR hd.vpc_id = pw.vpc_id)
      AND (pw.account_id IS NULL OR hd.account_id = pw.account_id)
      AND (pw.region IS NULL OR hd.region = pw.region)
    LEFT JOIN subnet_home hx ON pw.is_nat AND hx.family = pw.wfam AND hx.b = pw.wb
      AND pw.wv BETWEEN hx.lo AND hx.hi AND hx.region = pw.nat_region
    LEFT JOIN s_eni_ips i ON pw.is_nat AND i.family = pw.wfam AND i.addr = pw.wv
      AND i.region = pw.nat_region)""",
        """pn AS (
    SELECT pc.*,
      min(hs_subnet) OVER (PARTITION BY pair_id) AS src_min,
      max(hs_subnet) OVER (PARTITION BY pair_id) AS src_max,
      min(hd_subnet) OVER (PARTITION BY pair_id) AS dst_min,
      max(hd_subnet) OVER (PARTITION BY pair_id) AS dst_max,
      min(hx_subnet) OVER (PARTITION BY pair_id) AS region_min,
      max(hx_subnet) OVER (PARTITION BY pair_id) AS region_max,
      substr(min(eni_pick) OVER (PARTITION BY pair_id), 2) AS src_eni,
      row_number() OVER (PARTITION BY pair_id) AS copy
    FROM pc)""",
        # The source subnet: ``workload_match`` w0 for workload ENIs; for NAT client legs the
        # client's ENI, else the subnet holding its address in the NAT's VPC, else in its region.
        """ps AS (
    SELECT pn.*, e2.instance_id AS nat_client_instance, CASE
      WHEN pn.is_nat THEN coalesce(e2.subnet_id, xv.subnet_id,
                                CASE WHEN pn.region_min = pn.region_max THEN pn.region_min END)
      WHEN (pn.known_eni OR pn.named_subnet IS NOT NULL) AND NOT pn.consistent THEN NULL
      WHEN pn.known_eni THEN pn.eni_subnet
      WHEN pn.subnet_id IS NOT NULL THEN pn.named_subnet
      WHEN NOT (pn.vpc_known AND pn.account_known AND pn.region_known) THEN NULL
      WHEN pn.src_min = pn.src_max THEN pn.src_min
      WHEN pn.src_min IS NULL AND pn.dst_min = pn.dst_max THEN pn.dst_min
    END AS src_subnet
    FROM pn
    LEFT JOIN s_enis e2 ON e2.eni_id = pn.src_eni
    LEFT JOIN s_subnet_cidrs xv ON pn.is_nat AND xv.vpc_id = pn.nat_vpc
      AND xv.family = pn.wfam AND pn.wv BETWEEN xv.lo AND xv.hi
    WHERE pn.copy = 1)""",
        # Direction of a workload record: which of its addresses is in the source subnet.
        """pd AS (
    SELECT ps.*, sn.route_table_id, sn.zone AS src_zone, sn.vpc_id AS src_vpc,
      CASE WHEN ps.is_nat THEN NULL WHEN cs.lo IS NOT NULL THEN 'out'
           WHEN cd.lo IS NOT NULL THEN 'in' END AS direction
    FROM ps
    LEFT JOIN s_subnets sn ON sn.subnet_id = ps.src_subnet
    LEFT JOIN s_subnet_cidrs cs ON cs.subnet_id = ps.src_subnet AND cs.family = ps.s_fam
      AND ps.s_v BETWEEN cs.lo AND cs.hi
    LEFT JOIN s_subnet_cidrs cd ON cd.subnet_id = ps.src_subnet AND cd.family = ps.d_fam
      AND ps.d_v BETWEEN cd.lo AND cd.hi)""",
        # The remote (workload records: the address outside the subnet; NAT client legs with
        # pkt-* fields: the packet's other end), the service hint, the local address.
        """pr AS (
    SELECT pd.*,
      CASE WHEN is_nat THEN CASE WHEN NOT has_pkt THEN NULL
             WHEN leg = 'client-out' THEN pd_fam WHEN leg = 'client-in' THEN ps_fam END
           WHEN direction = 'out' THEN d_fam WHEN direction = 'in' THEN s_fam END AS rfam,
      CASE WHEN is_nat THEN CASE WHEN NOT has_pkt THEN NULL
             WHEN leg = 'client-out' THEN pd_v WHEN leg = 'client-in' THEN ps_v END
           WHEN direction = 'out' THEN d_v WHEN direction = 'in' THEN s_v END AS rv,
      CASE WHEN is_nat THEN CASE WHEN NOT has_pkt THEN NULL
             WHEN leg = 'client-out' THEN pd_b WHEN leg = 'client-in' THEN ps_b END
           WHEN direction = 'out' THEN d_b WHEN direction = 'in' THEN s_b END AS rb,
      CASE WHEN is_nat AND NOT has_pkt THEN NULL
           WHEN leg = 'client-out' OR direction = 'out' THEN pkt_dst_aws_service
           WHEN leg = 'client-in' OR direction = 'in' THEN pkt_src_aws_service END AS svc_hint,
      CASE direction WHEN 'out' THEN s_v WHEN 'in' THEN d_v END AS local_v
    FROM pd)""",
        """pt AS (
    SELECT pr.*, rt.verdict, rt.nat_gateway_id AS route_nat,
      rt.transit_gateway_id AS route_tgw, tn.transit_gateway_id AS nat_tgw,
      cl.service AS cls_service, cl.region AS cls_region,
      cl.gateway_service, cl.gateway_region, ip.addr AS ip_addr,
      row_number() OVER (PARTITION BY pr.pair_id) AS first_ip
    FROM pr
    LEFT JOIN s_routes rt ON NOT pr.is_nat AND rt.route_table_id = pr.route_table_id
      AND rt.family = pr.rfam AND pr.rv BETWEEN rt.lo AND rt.hi
    LEFT JOIN tgw_to_nat tn ON pr.is_nat AND tn.route_table_id = pr.route_table_id
      AND tn.nat_gateway_id = pr.eni_nat
    LEFT JOIN class_buckets cl ON cl.family = pr.rfam AND cl.b = pr.rb
      AND pr.rv BETWEEN cl.lo AND cl.hi
    LEFT JOIN s_eni_ips ip ON pr.records > pr.malformed AND ip.eni_id = pr.interface_id)""",
        # ``logged``: a workload address with records of its own (its local address, or an IP
        # of the ENI it was logged on). Each pair asks about its client ('q') and offers what
        # it has ('c'); one window over the addresses answers every question.
        """pq AS (
    SELECT pt.*, u.entry,
      max(CASE WHEN substr(u.entry, 1, 1) = 'c' THEN 1 ELSE 0 END)
        OVER (PARTITION BY substr(u.entry, 3)) AS logged
    FROM pt CROSS JOIN UNNEST(ARRAY[
      CASE WHEN first_ip = 1 THEN 'q:' || coalesce(wv, '') END,
      CASE WHEN first_ip = 1 AND NOT is_nat AND records > malformed THEN 'c:' || local_v END,
      'c:' || ip_addr]) AS u(entry))""",
        """pf AS (
    SELECT pq.*, max(CASE WHEN is_nat AND leg LIKE 'client-%' AND has_pkt AND bytes > 0
                          THEN 1 ELSE 0 END)
        OVER (PARTITION BY CASE WHEN is_nat THEN eni_nat ELSE route_nat END) AS direct
    FROM pq WHERE substr(entry, 1, 2) = 'q:')""",
        """attributed AS (
    SELECT CASE WHEN is_nat THEN eni_nat ELSE route_nat END AS nat_gateway_id, src_subnet,
      CASE WHEN is_nat THEN src_eni ELSE interface_id END AS src_eni,
      CASE WHEN is_nat THEN nat_client_instance ELSE w_instance END AS src_instance, src_zone,
      CASE WHEN NOT is_nat OR has_pkt THEN coalesce(svc_hint, cls_service) END AS service,
      CASE WHEN NOT is_nat OR has_pkt THEN cls_region END AS service_region,
      gateway_service, gateway_region,
      CASE WHEN NOT is_nat THEN 'workload-eni' WHEN has_pkt THEN 'nat-eni-pkt'
           ELSE 'nat-eni' END AS evidence,
      CASE WHEN NOT is_nat THEN route_tgw WHEN src_vpc IS DISTINCT FROM nat_vpc THEN nat_tgw
      END AS transit_gateway_id,
      sum(bytes) FILTER (WHERE direction = 'out' OR leg = 'client-out') AS to_bytes,
      sum(bytes) FILTER (WHERE direction = 'in' OR leg = 'client-in') AS from_bytes
    FROM pf
    WHERE bytes > 0 AND CASE WHEN is_nat
      THEN leg IN ('client-out', 'client-in') AND (has_pkt OR direct = 0)
        AND (direct = 1 OR logged = 0)
      ELSE verdict = 'nat-gateway' AND direct = 0 END
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)""",
    )
