"""The attribution of ``attribution.py`` and ``workload_match.py``, as Trino common table
expressions over the flow pairs ``p`` and the inlined snapshot tables (``athena_sql``).

The same steps under the same names, with what Trino lacks written out in standard SQL:

- addresses are fixed-width hex strings (``athena_sql.address_key``: 8 digits for IPv4, 32
  for IPv6) instead of DuckDB's UHUGEINT, so ``BETWEEN`` compares them within a family;
- DuckDB's ASOF joins become range joins: route pieces and address classes partition the
  space, so the piece an ASOF join finds holds the address exactly when a ``BETWEEN`` join
  finds it. The class of an address depends on the address alone, so it is looked up once
  per distinct address (``addr``), through a bucket column that gives Trino an equi-join;
- correlated subqueries become joins over distinct keys, ``arg_min`` a ``row_number``,
  ``GROUP BY ALL`` the list of columns.

Every expression here parses as Trino and transpiles to DuckDB with sqlglot; the tests run
the transpiled query and require the DuckDB engine's rows.
"""

from __future__ import annotations

from vpcpath.flows.scan_rules import KEY_NAMES

PAIR_KEYS = ", ".join(KEY_NAMES)

# The first 16 bits of an address: an equal bucket is what lets Trino hash-join an address to
# the ranges that may hold it.
_HEX = "'0123456789abcdef'"


def bucket_sql(key: str) -> str:
    return " + ".join(
        f"(strpos({_HEX}, substr({key}, {i + 1}, 1)) - 1) * {16 ** (3 - i)}" for i in range(4)
    )


_OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_GROUPS = "'^([0-9a-f]{1,4}(:[0-9a-f]{1,4})*)?$'"


def _padded(side: str) -> str:
    return (
        f"CASE WHEN {side} = '' THEN '' ELSE"
        f" array_join(transform(split({side}, ':'), g -> lpad(g, 4, '0')), '') END"
    )


def _groups(side: str) -> str:
    return f"CASE WHEN {side} = '' THEN 0 ELSE cardinality(split({side}, ':')) END"


# Each distinct address string once: its family and key, as ``snapshot_tables.ADDRESS_MACROS``
# parse them (dotted quads without leading zeros; IPv6 with at most one ``::``; else NULL).
ADDRESS_STEPS: tuple[str, ...] = (
    """addr_text AS (
    SELECT DISTINCT a FROM (
      SELECT srcaddr AS a FROM p UNION ALL SELECT dstaddr FROM p
      UNION ALL SELECT pkt_srcaddr FROM p UNION ALL SELECT pkt_dstaddr FROM p) AS t
    WHERE a IS NOT NULL)""",
    """addr_sides AS (
    SELECT a, lower(a) AS x,
      CASE WHEN strpos(a, ':') > 0 THEN 6 WHEN strpos(a, '.') > 0 THEN 4 END AS fam,
      CASE WHEN strpos(a, '::') > 0 THEN split_part(lower(a), '::', 1) ELSE lower(a) END AS l,
      CASE WHEN strpos(a, '::') > 0 THEN split_part(lower(a), '::', 2) ELSE '' END AS r
    FROM addr_text)""",
    f"""addr_keys AS (
    SELECT a, fam, CASE
      WHEN fam = 4 AND regexp_like(a, '^{_OCTET}(\\.{_OCTET}){{3}}$') THEN lower(lpad(to_base(
        CAST(split_part(a, '.', 1) AS BIGINT) * 16777216
        + CAST(split_part(a, '.', 2) AS BIGINT) * 65536
        + CAST(split_part(a, '.', 3) AS BIGINT) * 256
        + CAST(split_part(a, '.', 4) AS BIGINT), 16), 8, '0'))
      WHEN fam = 6 AND regexp_like(x, '^[0-9a-f:]{{2,39}}$')
        AND cardinality(split(x, '::')) <= 2
        AND regexp_like(l, {_GROUPS}) AND regexp_like(r, {_GROUPS})
        AND CASE WHEN strpos(x, '::') > 0 THEN {_groups("l")} + {_groups("r")} <= 8
                 ELSE {_groups("l")} = 8 END
      THEN {_padded("l")} || lpad('',
        CAST(4 * (8 - {_groups("l")} - {_groups("r")}) AS INTEGER), '0')
        || {_padded("r")}
      END AS v
    FROM addr_sides)""",
    f"""addr_v AS (SELECT a, fam, v, {bucket_sql("v")} AS b FROM addr_keys)""",
    f"""class_buckets AS (
    SELECT c.*, u.b FROM s_classes c
    CROSS JOIN UNNEST(sequence({bucket_sql("c.lo")},
                               {bucket_sql("c.hi")})) AS u(b))""",
    """addr_in_vpc AS (
    SELECT v.a, count(c.lo) > 0 AS in_vpc FROM addr_v v
    LEFT JOIN s_vpc_cidrs c ON c.family = v.fam AND v.v BETWEEN c.lo AND c.hi GROUP BY v.a)""",
    """addr_private AS (
    SELECT v.a, count(c.lo) > 0 AS is_private FROM addr_v v
    LEFT JOIN s_private_ranges c ON c.family = v.fam AND v.v BETWEEN c.lo AND c.hi
    GROUP BY v.a)""",
    """addr AS (
    SELECT v.a, v.fam, v.v, iv.in_vpc, ip.is_private,
      cl.service AS cls_service, cl.region AS cls_region,
      cl.gateway_service, cl.gateway_region
    FROM addr_v v
    JOIN addr_in_vpc iv ON iv.a = v.a JOIN addr_private ip ON ip.a = v.a
    LEFT JOIN class_buckets cl ON cl.family = v.fam AND cl.b = v.b
      AND v.v BETWEEN cl.lo AND cl.hi)""",
    """addr_subnet_vpc AS (
    SELECT a.a, c.vpc_id, c.subnet_id
    FROM addr a JOIN s_subnet_cidrs c ON c.family = a.fam AND a.v BETWEEN c.lo AND c.hi)""",
)

# ``workload_match.MATCH_STEPS``.
MATCH_STEPS: tuple[str, ...] = (
    """addr_home AS (
    SELECT x.a, x.vpc_id, x.subnet_id, sn.region, va.account_id
    FROM addr_subnet_vpc x JOIN s_subnets sn ON sn.subnet_id = x.subnet_id
    JOIN s_vpc_accounts va ON va.vpc_id = x.vpc_id)""",
    """addr_subnet_region AS (
    SELECT a, region, min(subnet_id) AS subnet_id FROM addr_home
    GROUP BY a, region HAVING count(DISTINCT subnet_id) = 1)""",
    """w_candidates AS (
    SELECT pair_id, side, count(DISTINCT subnet_id) AS n, min(subnet_id) AS subnet_id
    FROM (
      SELECT p.pair_id, 'src' AS side, h.subnet_id FROM p JOIN addr_home h ON h.a = p.srcaddr
      WHERE (p.vpc_id IS NULL OR h.vpc_id = p.vpc_id)
        AND (p.account_id IS NULL OR h.account_id = p.account_id)
        AND (p.region IS NULL OR h.region = p.region)
      UNION ALL
      SELECT p.pair_id, 'dst', h.subnet_id FROM p JOIN addr_home h ON h.a = p.dstaddr
      WHERE (p.vpc_id IS NULL OR h.vpc_id = p.vpc_id)
        AND (p.account_id IS NULL OR h.account_id = p.account_id)
        AND (p.region IS NULL OR h.region = p.region)) AS scoped
    GROUP BY pair_id, side)""",
    """vpc_account AS (SELECT DISTINCT vpc_id, account_id FROM s_vpc_accounts)""",
    """account_region AS (SELECT DISTINCT account_id, region FROM s_vpc_accounts)""",
    """w_base AS (
    SELECT p.*, e.eni_id IS NOT NULL AS known_eni, e.subnet_id AS eni_subnet,
      rs.subnet_id AS named_subnet,
      (p.vpc_id IS NULL OR p.vpc_id = own.vpc_id)
        AND (p.region IS NULL OR p.region = own.region)
        AND (p.account_id IS NULL OR oa.vpc_id IS NOT NULL) AS consistent,
      coalesce(e.instance_id, p.instance_id) AS src_instance,
      p.vpc_id IS NULL OR p.vpc_id IN (SELECT vpc_id FROM s_vpc_accounts) AS vpc_known,
      p.account_id IS NULL
        OR p.account_id IN (SELECT account_id FROM s_vpc_accounts) AS account_known,
      p.region IS NULL OR CASE WHEN p.account_id IS NULL
        THEN p.region IN (SELECT region FROM s_vpc_accounts)
        ELSE ar.region IS NOT NULL END AS region_known,
      cs.n AS src_n, cs.subnet_id AS src_candidate,
      cd.n AS dst_n, cd.subnet_id AS dst_candidate,
      s.fam AS sfam, s.v AS sv, d.fam AS dfam, d.v AS dv
    FROM p
    LEFT JOIN addr s ON s.a = p.srcaddr
    LEFT JOIN addr d ON d.a = p.dstaddr
    LEFT JOIN s_nat_enis n ON n.eni_id = p.interface_id
    LEFT JOIN s_enis e ON e.eni_id = p.interface_id
    LEFT JOIN s_subnets rs ON rs.subnet_id = p.subnet_id
    LEFT JOIN s_subnets own ON own.subnet_id = coalesce(e.subnet_id, rs.subnet_id)
    LEFT JOIN vpc_account oa ON oa.vpc_id = own.vpc_id AND oa.account_id = p.account_id
    LEFT JOIN account_region ar ON ar.account_id = p.account_id AND ar.region = p.region
    LEFT JOIN w_candidates cs ON cs.pair_id = p.pair_id AND cs.side = 'src'
    LEFT JOIN w_candidates cd ON cd.pair_id = p.pair_id AND cd.side = 'dst'
    WHERE n.eni_id IS NULL)""",
    """w0 AS (
    SELECT w_base.*,
      CASE
        WHEN (known_eni OR named_subnet IS NOT NULL) AND NOT consistent THEN NULL
        WHEN known_eni THEN eni_subnet
        WHEN subnet_id IS NOT NULL THEN named_subnet
        WHEN NOT (vpc_known AND account_known AND region_known) THEN NULL
        WHEN src_n = 1 THEN src_candidate
        WHEN src_n IS NULL AND dst_n = 1 THEN dst_candidate
      END AS src_subnet,
      CASE
        WHEN (known_eni OR named_subnet IS NOT NULL) AND NOT consistent THEN 'conflicting-ids'
        WHEN known_eni THEN NULL
        WHEN subnet_id IS NOT NULL THEN
          CASE WHEN named_subnet IS NULL THEN 'subnet-not-in-snapshot' END
        WHEN NOT vpc_known THEN 'vpc-not-in-snapshot'
        WHEN NOT account_known THEN 'account-not-in-snapshot'
        WHEN NOT region_known THEN 'region-not-in-snapshot'
        WHEN src_n > 1 OR (src_n IS NULL AND dst_n > 1) THEN 'address-ambiguous'
        WHEN src_n IS NULL AND dst_n IS NULL THEN 'address-in-no-subnet'
      END AS match_reason
    FROM w_base)""",
)

# ``attribution.STEPS`` after the match, down to ``attributed``.
ATTRIBUTION_STEPS: tuple[str, ...] = (
    """w_side AS (
    SELECT w0.pair_id,
      max(CASE WHEN c.family = w0.sfam AND w0.sv BETWEEN c.lo AND c.hi THEN 1 ELSE 0 END)
        AS src_in,
      max(CASE WHEN c.family = w0.dfam AND w0.dv BETWEEN c.lo AND c.hi THEN 1 ELSE 0 END)
        AS dst_in
    FROM w0 LEFT JOIN s_subnet_cidrs c ON c.subnet_id = w0.src_subnet
    GROUP BY w0.pair_id)""",
    """w1 AS (
    SELECT w0.*,
      CASE WHEN ws.src_in = 1 THEN 'out' WHEN ws.dst_in = 1 THEN 'in' END AS direction
    FROM w0 JOIN w_side ws ON ws.pair_id = w0.pair_id)""",
    """w_r AS (
    SELECT w1.*, sn.route_table_id, sn.zone AS src_zone,
      CASE direction WHEN 'out' THEN dstaddr WHEN 'in' THEN srcaddr END AS local_remote,
      CASE direction WHEN 'out' THEN srcaddr WHEN 'in' THEN dstaddr END AS local_addr,
      CASE direction WHEN 'out' THEN dfam WHEN 'in' THEN sfam END AS rfam,
      CASE direction WHEN 'out' THEN dv WHEN 'in' THEN sv END AS rv,
      CASE direction WHEN 'out' THEN pkt_dst_aws_service
                     WHEN 'in' THEN pkt_src_aws_service END AS svc_hint
    FROM w1 LEFT JOIN s_subnets sn ON sn.subnet_id = w1.src_subnet)""",
    """w AS (
    SELECT r.*,
      coalesce(r.match_reason, CASE
        WHEN r.src_subnet IS NULL THEN 'source-unknown'
        WHEN r.direction IS NULL THEN 'no-local-address'
        WHEN rt.hi IS NULL THEN 'no-route' END) AS unattributed_reason,
      rt.verdict, rt.nat_gateway_id, rt.transit_gateway_id,
      ra.cls_service, ra.cls_region, ra.gateway_service, ra.gateway_region
    FROM w_r r
    LEFT JOIN s_routes rt ON rt.route_table_id = r.route_table_id AND rt.family = r.rfam
      AND r.rv BETWEEN rt.lo AND rt.hi
    LEFT JOIN addr ra ON ra.a = r.local_remote)""",
    """n0 AS (
    SELECT p.*, n.nat_gateway_id, g.connectivity, g.vpc_id AS nat_vpc, g.region AS nat_region,
      s.fam AS sfam, s.v AS sv, d.fam AS dfam, d.v AS dv, ps.v AS psv, pd.v AS pdv,
      s.in_vpc AS s_in_vpc, d.in_vpc AS d_in_vpc,
      s.is_private AS s_private, d.is_private AS d_private,
      si.addr IS NOT NULL AS src_is_nat, di.addr IS NOT NULL AS dst_is_nat,
      p.pkt_srcaddr IS NOT NULL AND p.pkt_dstaddr IS NOT NULL AS has_pkt
    FROM p JOIN s_nat_enis n ON n.eni_id = p.interface_id
    LEFT JOIN s_nats g ON g.nat_gateway_id = n.nat_gateway_id
    LEFT JOIN addr s ON s.a = p.srcaddr LEFT JOIN addr d ON d.a = p.dstaddr
    LEFT JOIN addr ps ON ps.a = p.pkt_srcaddr LEFT JOIN addr pd ON pd.a = p.pkt_dstaddr
    LEFT JOIN (SELECT DISTINCT nat_gateway_id, family, addr FROM s_nat_ips) si
      ON si.nat_gateway_id = n.nat_gateway_id AND si.family = s.fam AND si.addr = s.v
    LEFT JOIN (SELECT DISTINCT nat_gateway_id, family, addr FROM s_nat_ips) di
      ON di.nat_gateway_id = n.nat_gateway_id AND di.family = d.fam AND di.addr = d.v)""",
    """n1 AS (
    SELECT n0.*,
      CASE
        WHEN has_pkt AND dst_is_nat AND pdv IS DISTINCT FROM dv THEN 'client-out'
        WHEN has_pkt AND src_is_nat AND psv IS DISTINCT FROM sv THEN 'client-in'
        WHEN has_pkt AND src_is_nat THEN 'internet-out'
        WHEN has_pkt AND dst_is_nat THEN 'internet-in'
        WHEN dst_is_nat AND (s_in_vpc OR (connectivity = 'public' AND s_private))
          THEN 'client-out'
        WHEN src_is_nat AND (d_in_vpc OR (connectivity = 'public' AND d_private))
          THEN 'client-in'
        WHEN src_is_nat THEN 'internet-out'
        WHEN dst_is_nat THEN 'internet-in'
        ELSE 'other'
      END AS leg
    FROM n0)""",
    """n_c AS (
    SELECT n1.*,
      CASE leg WHEN 'client-out' THEN srcaddr WHEN 'client-in' THEN dstaddr END AS workload,
      CASE WHEN has_pkt AND leg = 'client-out' THEN pkt_dstaddr
           WHEN has_pkt AND leg = 'client-in' THEN pkt_srcaddr END AS remote,
      CASE WHEN has_pkt AND leg = 'client-out' THEN pkt_dst_aws_service
           WHEN has_pkt AND leg = 'client-in' THEN pkt_src_aws_service END AS svc_hint
    FROM n1)""",
    # The workload's ENI: the one with that private IP in the NAT gateway's region,
    # preferring the NAT's own VPC (clients of other VPCs come through a TGW).
    """n_eni AS (
    SELECT workload, nat_vpc, nat_region, eni_id FROM (
      SELECT k.workload, k.nat_vpc, k.nat_region, i.eni_id, row_number() OVER (
          PARTITION BY k.workload, k.nat_vpc, k.nat_region
          ORDER BY CASE WHEN i.vpc_id IS DISTINCT FROM k.nat_vpc THEN 1 ELSE 0 END, i.eni_id
        ) AS pick
      FROM (SELECT DISTINCT workload, nat_vpc, nat_region FROM n_c) k
      JOIN addr wa ON wa.a = k.workload
      JOIN s_eni_ips i ON i.family = wa.fam AND i.addr = wa.v AND i.region = k.nat_region
    ) AS ranked WHERE pick = 1)""",
    """n AS (
    SELECT c.*, ra.fam AS rfam, ra.v AS rv, ne.eni_id AS src_eni,
      coalesce(e.subnet_id, xv.subnet_id, xs.subnet_id) AS src_subnet,
      e.instance_id AS src_instance,
      ra.cls_service, ra.cls_region, ra.gateway_service, ra.gateway_region
    FROM n_c c
    LEFT JOIN addr ra ON ra.a = c.remote
    LEFT JOIN n_eni ne ON ne.workload = c.workload AND ne.nat_region = c.nat_region
      AND coalesce(ne.nat_vpc, '') = coalesce(c.nat_vpc, '')
    LEFT JOIN s_enis e ON e.eni_id = ne.eni_id
    LEFT JOIN addr_subnet_vpc xv ON xv.a = c.workload AND xv.vpc_id = c.nat_vpc
    LEFT JOIN addr_subnet_region xs ON xs.a = c.workload AND xs.region = c.nat_region)""",
    """nat_mode AS (
    SELECT nat_gateway_id,
      count(*) FILTER (WHERE leg LIKE 'client-%' AND has_pkt AND bytes > 0) > 0 AS direct
    FROM n GROUP BY nat_gateway_id)""",
    """n_used AS (
    SELECT n.*, m.direct FROM n JOIN nat_mode m ON m.nat_gateway_id = n.nat_gateway_id
    WHERE has_pkt OR NOT m.direct)""",
    """logged AS (
    SELECT DISTINCT local_addr AS a FROM w
    WHERE local_addr IS NOT NULL AND records > malformed
    UNION
    SELECT DISTINCT wa.a FROM p JOIN s_eni_ips i ON i.eni_id = p.interface_id
    JOIN addr wa ON wa.fam = i.family AND wa.v = i.addr
    WHERE p.records > p.malformed)""",
    """tgw_to_nat AS (
    SELECT route_table_id, nat_gateway_id, min(transit_gateway_id) AS transit_gateway_id
    FROM s_routes GROUP BY route_table_id, nat_gateway_id)""",
    """attributed AS (
    SELECT nat_gateway_id, src_subnet, src_eni, src_instance, src_zone, service,
      service_region, gateway_service, gateway_region, evidence, transit_gateway_id,
      sum(bytes) FILTER (WHERE direction = 'out') AS to_bytes,
      sum(bytes) FILTER (WHERE direction = 'in') AS from_bytes
    FROM (
      SELECT nat_gateway_id, src_subnet, interface_id AS src_eni, src_instance, src_zone,
        coalesce(svc_hint, cls_service) AS service, cls_region AS service_region,
        gateway_service, gateway_region, 'workload-eni' AS evidence, transit_gateway_id,
        direction, bytes
      FROM w
      WHERE verdict = 'nat-gateway' AND bytes > 0
        AND nat_gateway_id NOT IN (SELECT nat_gateway_id FROM nat_mode WHERE direct)
      UNION ALL
      SELECT n.nat_gateway_id, src_subnet, src_eni, src_instance, sn.zone,
        CASE WHEN has_pkt THEN coalesce(svc_hint, cls_service) END,
        CASE WHEN has_pkt THEN cls_region END, gateway_service, gateway_region,
        CASE WHEN has_pkt THEN 'nat-eni-pkt' ELSE 'nat-eni' END,
        CASE WHEN sn.vpc_id IS DISTINCT FROM n.nat_vpc THEN tn.transit_gateway_id END,
        CASE leg WHEN 'client-out' THEN 'out' ELSE 'in' END, bytes
      FROM n_used n
      LEFT JOIN s_subnets sn ON sn.subnet_id = n.src_subnet
      LEFT JOIN tgw_to_nat tn ON tn.route_table_id = sn.route_table_id
        AND tn.nat_gateway_id = n.nat_gateway_id
      WHERE leg IN ('client-out', 'client-in') AND bytes > 0
        AND (n.direct OR workload NOT IN (SELECT a FROM logged))) AS parts
    GROUP BY nat_gateway_id, src_subnet, src_eni, src_instance, src_zone, service,
      service_region, gateway_service, gateway_region, evidence, transit_gateway_id)""",
)
