"""Attribute the scanned flow pairs to NAT gateways, sources and services — without ever
counting a byte twice. Runs as SQL over the (small) pair table the scan produced.

The double-counting traps (docs/architecture.md "Flow-log semantics"): a flow through a NAT gateway
is
logged on the workload's ENI (with the real remote address) *and* twice on the NAT gateway's
ENI — the client leg (workload ↔ NAT private IP) and the internet leg (NAT private IP ↔
remote) — in each direction. The NAT gateway processes the bytes of each direction once
(https://aws.amazon.com/vpc/pricing/, "NAT Gateway pricing": per GB processed).

So each byte is taken from exactly one kind of record:

1. Workload-ENI records (any ENI that is not a NAT gateway's): the source's subnet comes from
   the snapshot (ENI → subnet, else the record's ``subnet-id``, else the one subnet whose CIDR
   holds the local address); the local side is the address inside that subnet: srcaddr local →
   ``bytes_to_destination``, dstaddr local → ``bytes_from_destination``. The routing model
   (``route_ranges``) says which path that subnet takes to the remote; bytes on a
   ``nat-gateway`` path are that NAT gateway's.
2. NAT-ENI client legs, for two cases only:
   - *direct*: the NAT gateway's records carry ``pkt-srcaddr``/``pkt-dstaddr`` (v3+; VPC User
     Guide, "Flow log record examples" → "NAT gateway"): the client leg then names both the
     workload and the real remote, so that NAT gateway is attributed from them for every
     source, and the routing model's answer for it is only a cross-check;
   - *coverage*: without pkt-* fields the client leg lacks the remote, so it is used only for
     workloads that have no records of their own in the input (service unknown).
   A client leg is the record whose other end is not the NAT's own address: with pkt-* fields,
   the record whose packet address differs from its header address on the NAT side; without,
   the record whose other address lies in a VPC of the snapshot (or in private ranges, for a
   public NAT gateway). Internet legs are only counted for the cross-check.
"""

from __future__ import annotations

from typing import Any

from vpcpath.flows.nat_legs import leg_whens
from vpcpath.flows.workload_match import ADDRESS_KEYS, MATCH_STEPS, PAIR_KEYS

_LEG_WHENS = leg_whens(
    pkt_dst_differs="NOT pkt_dst_same",
    pkt_src_differs="NOT pkt_src_same",
    connectivity="nat_connectivity",
)
# The rest of a pair's key beside ``ctx_id``, kept only for a pair without a verdict (else
# NULL: such pairs sum together).
_UNLESS_VERDICT = f"CASE WHEN verdict IS NULL THEN [{', '.join(ADDRESS_KEYS)}] END AS pair"

# The boundaries of every range table the address lookup reads: each range's start and the
# address after its end (none after the last address of the family).
_LAST = "CAST('340282366920938463463374607431768211455' AS UHUGEINT)"
_BOUNDS = "\n        UNION ALL ".join(
    f"SELECT family, lo AS b FROM {t} UNION ALL SELECT family, hi + 1 FROM {t} WHERE hi < {_LAST}"
    for t in ("d_vpc_ranges", "s_private_ranges", "d_subnet_pieces", "s_classes", "s_routes")
)

# Batches may repeat a pair (one key in several rows of ``pairs``), and nothing merges them
# first: every per-pair answer depends on the key alone, so the rows of one key land in the
# same group of ``w`` or ``n``, whose sums are those of the merged pair. Each pair's work is
# a few hash lookups (tables per distinct address, per distinct ENI/subnet/scope, per
# distinct route table and remote), never a scan of ranges per pair.
STEPS: tuple[str, ...] = (
    # Where a route table's piece may start: every piece start of every table. An address's
    # last start at or below it picks, in each table, the piece that may hold it.
    """CREATE OR REPLACE TEMP TABLE route_starts AS
    SELECT DISTINCT family, lo AS seg FROM s_routes""",
    """CREATE OR REPLACE TEMP TABLE route_seg AS
    WITH t AS (SELECT DISTINCT route_table_id, family FROM s_routes)
    SELECT t.route_table_id, s.family, s.seg, r.hi, r.verdict, r.nat_gateway_id,
      r.transit_gateway_id
    FROM t JOIN route_starts s ON s.family = t.family
    ASOF JOIN s_routes r
      ON r.route_table_id = t.route_table_id AND r.family = s.family AND s.seg >= r.lo""",
    # Every range table's boundaries (each start, each end + 1) cut the address space into
    # elementary pieces: inside one, every table gives every address the same answer (the
    # same last range starting at or below it, and it holds all or none of the piece), so
    # each piece is looked up once here and each address once, in this one table.
    f"""CREATE OR REPLACE TEMP TABLE addr_pieces AS
    WITH b AS (
      SELECT DISTINCT family, b FROM (
        {_BOUNDS})),
    p AS (
      SELECT b.family, b.b AS lo,
        coalesce(vr.hi >= b.b, false) AS in_vpc,
        coalesce(pr.hi >= b.b, false) AS is_private,
        CASE WHEN sp.hi >= b.b THEN sp.piece END AS subnet_piece, rs.seg AS route_seg,
        CASE WHEN cl.hi >= b.b THEN cl.service END AS cls_service,
        CASE WHEN cl.hi >= b.b THEN cl.region END AS cls_region,
        CASE WHEN cl.hi >= b.b THEN cl.gateway_service END AS gateway_service,
        CASE WHEN cl.hi >= b.b THEN cl.gateway_region END AS gateway_region
      FROM b
      ASOF LEFT JOIN d_vpc_ranges vr ON vr.family = b.family AND b.b >= vr.lo
      ASOF LEFT JOIN s_private_ranges pr ON pr.family = b.family AND b.b >= pr.lo
      ASOF LEFT JOIN d_subnet_pieces sp ON sp.family = b.family AND b.b >= sp.lo
      ASOF LEFT JOIN s_classes cl ON cl.family = b.family AND b.b >= cl.lo
      ASOF LEFT JOIN route_starts rs ON rs.family = b.family AND b.b >= rs.seg)
    SELECT p.*, CASE WHEN cls_service IS NOT NULL OR cls_region IS NOT NULL
        OR gateway_service IS NOT NULL OR gateway_region IS NOT NULL THEN CAST(dense_rank()
          OVER (ORDER BY cls_service, cls_region, gateway_service, gateway_region) AS INTEGER)
      END AS cls_id
    FROM p""",
    # A remote's class by number (NULL: no class), so that sums group by one integer.
    """CREATE OR REPLACE TEMP TABLE addr_classes AS
    SELECT DISTINCT cls_id, cls_service, cls_region, gateway_service, gateway_region
    FROM addr_pieces WHERE cls_id IS NOT NULL""",
    # Each distinct address string parsed once, and looked up once among those pieces (an
    # ASOF join: the last piece starting at or below it). A packet address that repeats a
    # header address of its record is already among them.
    """CREATE OR REPLACE TEMP TABLE addr AS
    WITH t AS (
      SELECT DISTINCT a FROM (
        SELECT srcaddr AS a FROM pairs UNION ALL SELECT dstaddr FROM pairs
        UNION ALL SELECT pkt_srcaddr FROM pairs
        WHERE pkt_srcaddr IS DISTINCT FROM srcaddr AND pkt_srcaddr IS DISTINCT FROM dstaddr
        UNION ALL SELECT pkt_dstaddr FROM pairs
        WHERE pkt_dstaddr IS DISTINCT FROM dstaddr AND pkt_dstaddr IS DISTINCT FROM srcaddr)
      WHERE a IS NOT NULL),
    v AS (SELECT a, ip_family(a) AS fam, ip_value(a) AS v FROM t)
    SELECT v.a, v.fam, v.v, coalesce(p.in_vpc, false) AS in_vpc,
      coalesce(p.is_private, false) AS is_private, p.subnet_piece, p.route_seg,
      p.cls_id
    FROM v ASOF LEFT JOIN addr_pieces p ON p.family = v.fam AND v.v >= p.lo""",
    # The subnets whose CIDR holds an address (for sources not known by their ENI): one per
    # VPC at most, since a VPC's subnets never overlap; VPCs may reuse the same CIDRs.
    """CREATE OR REPLACE TEMP TABLE addr_subnet_vpc AS
    SELECT a.a, m.vpc_id, m.subnet_id
    FROM addr a JOIN d_subnet_members m ON m.piece = a.subnet_piece""",
    """CREATE OR REPLACE TEMP TABLE local_subnet AS
    SELECT DISTINCT a, subnet_id FROM addr_subnet_vpc""",
    # Which workload each record belongs to (``workload_match``): w_base.
    *MATCH_STEPS,
    # ``w``: the workload-ENI pairs with their path (the route table's piece holding the
    # remote) and the remote's class, summed by everything the results tell apart; a pair
    # without a verdict stays a row of its own (``BUCKETS_SQL`` counts its records when its
    # bytes are not zero). Summed by numbers and short keys first (``ctx_id``, ``cls_id``),
    # named after.
    f"""CREATE OR REPLACE TEMP TABLE w AS
    WITH j AS (
      SELECT b.*, a.fam AS rfam, a.cls_id,
        CASE WHEN rt.hi >= a.v THEN rt.verdict END AS verdict,
        CASE WHEN rt.hi >= a.v THEN rt.nat_gateway_id END AS nat_gateway_id,
        CASE WHEN rt.hi >= a.v THEN rt.transit_gateway_id END AS transit_gateway_id,
        coalesce(b.match_reason, CASE
          WHEN b.src_subnet IS NULL THEN 'source-unknown'
          WHEN b.direction IS NULL THEN 'no-local-address'
          WHEN NOT coalesce(rt.hi >= a.v, false) THEN 'no-route' END) AS unattributed_reason
      FROM w_base b LEFT JOIN addr a ON a.a = b.local_remote
      LEFT JOIN route_seg rt ON rt.route_table_id = b.route_table_id
        AND rt.family = a.fam AND rt.seg = a.route_seg),
    g AS (
      SELECT ctx_id, src_subnet, direction, local_addr, svc_hint, rfam, cls_id,
        unattributed_reason, verdict, nat_gateway_id, transit_gateway_id, {_UNLESS_VERDICT},
        sum(bytes) AS bytes, sum(accepted) AS accepted, sum(records) AS records,
        sum(malformed) AS malformed
      FROM j GROUP BY ALL)
    SELECT c.account_id, c.vpc_id, c.region, c.interface_id, c.subnet_id, c.src_instance,
      g.src_subnet, g.direction, sn.zone AS src_zone, g.local_addr, g.svc_hint, g.rfam,
      g.unattributed_reason, g.verdict, g.nat_gateway_id, g.transit_gateway_id,
      k.cls_service, k.cls_region, k.gateway_service, k.gateway_region,
      g.bytes, g.accepted, g.records, g.malformed
    FROM g JOIN ctx c USING (ctx_id) LEFT JOIN s_subnets sn ON sn.subnet_id = g.src_subnet
    LEFT JOIN addr_classes k USING (cls_id)""",
    # NAT-ENI pairs: which leg, which workload, which remote. What a leg needs to know of its
    # two addresses is looked up for the few addresses it can be true of: per NAT gateway's
    # ENI, the address strings that are the NAT gateway's own and every address string of the
    # same value as one of them (a packet address that equals the header address); per
    # address in a VPC or in private ranges, which of the two.
    """CREATE OR REPLACE TEMP TABLE nat_info AS
    WITH own AS (
      SELECT i.nat_gateway_id, a.a, a.fam, a.v
      FROM addr a JOIN s_nat_ips i ON i.family = a.fam AND i.addr = a.v),
    twins AS (
      SELECT DISTINCT o.nat_gateway_id, t.a, t.fam, t.v
      FROM own o JOIN addr t ON t.fam = o.fam AND t.v = o.v),
    o AS (SELECT nat_gateway_id, list(DISTINCT a) AS own FROM own GROUP BY nat_gateway_id),
    -- An address is its family and value: an IPv6 text of an IPv4 address's value is another.
    t AS (
      SELECT nat_gateway_id, map_from_entries(list((a, {'f': fam, 'v': v}))) AS twin
      FROM twins GROUP BY nat_gateway_id)
    SELECT ne.eni_id, ne.nat_gateway_id, g.connectivity AS nat_connectivity, o.own, t.twin
    FROM s_nat_enis ne LEFT JOIN s_nats g USING (nat_gateway_id)
    LEFT JOIN o USING (nat_gateway_id) LEFT JOIN t USING (nat_gateway_id)""",
    """CREATE OR REPLACE TEMP TABLE addr_scope AS
    SELECT a, in_vpc, is_private FROM addr WHERE in_vpc OR is_private""",
    # NAT-ENI pairs with their leg, summed by everything the results tell apart (the remote
    # by its class); a pair of neither leg stays a row of its own (``BUCKETS_SQL``). The
    # header address on the far side is looked up only where the leg rule reads it: records
    # without pkt-* fields whose other end is the NAT gateway.
    f"""CREATE OR REPLACE TEMP TABLE n_legs AS
    WITH p AS (
      SELECT p.*, i.nat_gateway_id, i.nat_connectivity, i.twin,
        coalesce(list_contains(i.own, p.srcaddr), false) AS src_is_nat,
        coalesce(list_contains(i.own, p.dstaddr), false) AS dst_is_nat,
        p.pkt_srcaddr IS NOT NULL AND p.pkt_dstaddr IS NOT NULL AS has_pkt
      FROM pairs p JOIN nat_info i ON i.eni_id = p.interface_id),
    b AS (
      SELECT p.*,
        coalesce(sf.in_vpc, false) AS s_in_vpc, coalesce(df.in_vpc, false) AS d_in_vpc,
        coalesce(sf.is_private, false) AS s_private, coalesce(df.is_private, false) AS d_private,
        CASE WHEN NOT src_is_nat THEN false WHEN pkt_srcaddr = srcaddr THEN true
          ELSE coalesce(twin[srcaddr] = twin[pkt_srcaddr], false) END AS pkt_src_same,
        CASE WHEN NOT dst_is_nat THEN false WHEN pkt_dstaddr = dstaddr THEN true
          ELSE coalesce(twin[dstaddr] = twin[pkt_dstaddr], false) END AS pkt_dst_same
      FROM p
      LEFT JOIN addr_scope sf ON sf.a = CASE WHEN NOT has_pkt AND dst_is_nat THEN srcaddr END
      LEFT JOIN addr_scope df ON df.a = CASE WHEN NOT has_pkt AND src_is_nat THEN dstaddr END),
    l AS (
      SELECT b.*,
        CASE {_LEG_WHENS}
        END AS leg
      FROM b),
    r AS (
      SELECT nat_gateway_id, leg, has_pkt,
        CASE leg WHEN 'client-out' THEN srcaddr WHEN 'client-in' THEN dstaddr END AS workload,
        CASE WHEN has_pkt AND leg = 'client-out' THEN pkt_dstaddr
             WHEN has_pkt AND leg = 'client-in' THEN pkt_srcaddr END AS remote,
        CASE WHEN has_pkt AND leg = 'client-out' THEN pkt_dst_aws_service
             WHEN has_pkt AND leg = 'client-in' THEN pkt_src_aws_service END AS svc_hint,
        CASE WHEN leg = 'other' THEN [{", ".join(PAIR_KEYS)}] END AS other_pair,
        bytes, accepted, records, malformed
      FROM l),
    g AS (
      SELECT nat_gateway_id, leg, has_pkt, workload, svc_hint, ra.cls_id, other_pair,
        sum(bytes) AS bytes, sum(accepted) AS accepted, sum(records) AS records,
        sum(malformed) AS malformed
      FROM r LEFT JOIN addr ra ON ra.a = r.remote
      GROUP BY ALL)
    SELECT g.*, s.vpc_id AS nat_vpc, s.region AS nat_region
    FROM g LEFT JOIN s_nats s USING (nat_gateway_id)""",
    # The workload's ENI: the one with that private IP in the NAT gateway's region,
    # preferring the NAT's own VPC (clients of other VPCs come through a TGW). Worked out for
    # every workload of a client leg, with the NAT gateway's VPC.
    """CREATE OR REPLACE TEMP TABLE client_eni AS
    WITH k AS (
      SELECT DISTINCT l.workload, l.nat_vpc, l.nat_region FROM n_legs l
      WHERE l.workload IS NOT NULL)
    SELECT k.workload, k.nat_vpc, k.nat_region,
      arg_min(i.eni_id, (i.vpc_id IS DISTINCT FROM k.nat_vpc, i.eni_id)) AS src_eni
    FROM k JOIN addr wa ON wa.a = k.workload
    JOIN s_eni_ips i ON i.family = wa.fam AND i.addr = wa.v AND i.region = k.nat_region
    GROUP BY k.workload, k.nat_vpc, k.nat_region""",
    # ``n``: the legs with the workload's ENI and subnet (they depend on the workload and the
    # NAT gateway alone: looked up per sum) and the remote's class by name.
    """CREATE OR REPLACE TEMP TABLE n AS
    SELECT g.nat_gateway_id, g.nat_vpc, g.nat_region, g.leg, g.has_pkt, g.workload,
      g.svc_hint, k.cls_service, k.cls_region, k.gateway_service, k.gateway_region,
      g.bytes, g.accepted, g.records, g.malformed, ce.src_eni,
      coalesce(e.subnet_id, xv.subnet_id, xs.subnet_id) AS src_subnet,
      e.instance_id AS src_instance
    FROM n_legs g
    LEFT JOIN addr_classes k USING (cls_id)
    LEFT JOIN client_eni ce ON ce.workload = g.workload
      AND ce.nat_vpc IS NOT DISTINCT FROM g.nat_vpc AND ce.nat_region = g.nat_region
    LEFT JOIN s_enis e ON e.eni_id = ce.src_eni
    LEFT JOIN addr_subnet_vpc xv ON xv.a = g.workload AND xv.vpc_id = g.nat_vpc
    LEFT JOIN addr_subnet_region xs ON xs.a = g.workload AND xs.region = g.nat_region""",
    # Per NAT gateway: does it attribute directly (client legs with pkt-* fields)? Its records
    # without them then come from a second flow log of the same ENI (a VPC-level default-format
    # log, say): the same bytes again, so they are left out of the attribution and the check.
    """CREATE OR REPLACE TEMP TABLE nat_mode AS
    SELECT nat_gateway_id,
      count(*) FILTER (WHERE leg LIKE 'client-%' AND has_pkt AND bytes > 0) > 0 AS direct
    FROM n GROUP BY nat_gateway_id""",
    """CREATE OR REPLACE TEMP VIEW n_used AS
    SELECT n.*, m.direct FROM n JOIN nat_mode m USING (nat_gateway_id)
    WHERE has_pkt OR NOT m.direct""",
    # Workload addresses that have records of their own: their NAT bytes come from rule 1.
    """CREATE OR REPLACE TEMP TABLE logged AS
    SELECT DISTINCT local_addr AS a FROM w
    WHERE local_addr IS NOT NULL AND records > malformed
    UNION
    SELECT DISTINCT wa.a
    FROM (SELECT DISTINCT interface_id FROM w WHERE records > malformed) x
    JOIN s_eni_ips i ON i.eni_id = x.interface_id
    JOIN addr wa ON wa.fam = i.family AND wa.v = i.addr""",
    """CREATE OR REPLACE TEMP TABLE attributed AS
    SELECT nat_gateway_id, src_subnet, interface_id AS src_eni, src_instance, src_zone,
      coalesce(svc_hint, cls_service) AS service, cls_region AS service_region,
      gateway_service, gateway_region, 'workload-eni' AS evidence, transit_gateway_id,
      sum(bytes) FILTER (WHERE direction = 'out') AS to_bytes,
      sum(bytes) FILTER (WHERE direction = 'in') AS from_bytes
    FROM w
    WHERE verdict = 'nat-gateway' AND bytes > 0
      AND nat_gateway_id NOT IN (SELECT nat_gateway_id FROM nat_mode WHERE direct)
    GROUP BY ALL
    UNION ALL
    SELECT n.nat_gateway_id, src_subnet, src_eni, src_instance, sn.zone,
      CASE WHEN has_pkt THEN coalesce(svc_hint, cls_service) END,
      CASE WHEN has_pkt THEN cls_region END, gateway_service, gateway_region,
      CASE WHEN has_pkt THEN 'nat-eni-pkt' ELSE 'nat-eni' END,
      -- A workload of another VPC reached this NAT gateway through the transit gateway its
      -- table's path to the NAT crosses.
      CASE WHEN sn.vpc_id IS DISTINCT FROM n.nat_vpc THEN
        (SELECT min(rt.transit_gateway_id) FROM s_routes rt
         WHERE rt.route_table_id = sn.route_table_id AND rt.nat_gateway_id = n.nat_gateway_id)
      END,
      sum(bytes) FILTER (WHERE leg = 'client-out'),
      sum(bytes) FILTER (WHERE leg = 'client-in')
    FROM n_used n
    LEFT JOIN s_subnets sn ON sn.subnet_id = n.src_subnet
    WHERE leg IN ('client-out', 'client-in') AND bytes > 0
      AND (n.direct OR workload NOT IN (SELECT a FROM logged))
    GROUP BY ALL""",
)

ROWS_SQL = """
SELECT a.nat_gateway_id, g.region, a.src_subnet, a.src_eni, a.src_instance, a.service,
  a.service_region,
  CAST(sum(coalesce(a.to_bytes, 0)) AS VARCHAR), CAST(sum(coalesce(a.from_bytes, 0)) AS VARCHAR),
  CASE WHEN a.gateway_service IS NOT NULL AND a.gateway_region = g.region
       THEN a.gateway_service || '-gateway-endpoint' END AS avoidable_by,
  a.evidence,
  coalesce(g.zone IS NOT NULL AND a.src_zone IS NOT NULL AND g.zone <> a.src_zone, false),
  pr.nat_gateway_gb, a.transit_gateway_id
FROM attributed a
LEFT JOIN s_nats g ON g.nat_gateway_id = a.nat_gateway_id
LEFT JOIN s_prices pr ON pr.region = g.region
GROUP BY ALL
ORDER BY sum(coalesce(a.to_bytes, 0)) + sum(coalesce(a.from_bytes, 0)) DESC,
  1, 3, 4, 5, 6, 7, 11, 14
"""

COVERAGE_SQL = """
WITH ids AS (
  SELECT nat_gateway_id FROM n UNION SELECT nat_gateway_id FROM attributed
  UNION SELECT nat_gateway_id FROM w WHERE verdict = 'nat-gateway' AND bytes > 0),
seen AS (
  SELECT nat_gateway_id,
    sum(bytes) FILTER (WHERE leg LIKE 'client-%') AS client_bytes,
    sum(bytes) FILTER (WHERE leg LIKE 'internet-%') AS internet_bytes,
    sum(records - malformed) > 0 AS logged
  FROM n_used GROUP BY nat_gateway_id),
model AS (
  SELECT nat_gateway_id, sum(bytes) AS model_bytes FROM w
  WHERE verdict = 'nat-gateway' GROUP BY nat_gateway_id),
got AS (
  SELECT nat_gateway_id, sum(coalesce(to_bytes, 0) + coalesce(from_bytes, 0)) AS got_bytes
  FROM attributed GROUP BY nat_gateway_id)
SELECT ids.nat_gateway_id,
  CAST(coalesce(seen.client_bytes, 0) AS VARCHAR),
  CAST(coalesce(seen.internet_bytes, 0) AS VARCHAR),
  CAST(coalesce(got.got_bytes, 0) AS VARCHAR), CAST(coalesce(model.model_bytes, 0) AS VARCHAR),
  coalesce(seen.logged, false), coalesce(m.direct, false)
FROM ids LEFT JOIN seen USING (nat_gateway_id) LEFT JOIN model USING (nat_gateway_id)
LEFT JOIN got USING (nat_gateway_id) LEFT JOIN nat_mode m USING (nat_gateway_id)
ORDER BY ids.nat_gateway_id
"""

VERDICT_SQL = """
SELECT coalesce(verdict, 'unattributed'), CAST(sum(bytes) AS VARCHAR) FROM w
WHERE bytes > 0 GROUP BY ALL ORDER BY sum(bytes) DESC
"""

# In this order, always (a UNION ALL alone keeps none).
BUCKETS_SQL = """
SELECT name, records, bytes, detail FROM (
  SELECT 1 AS k, 'ipv6' AS name, CAST(coalesce(sum(records), 0) AS VARCHAR) AS records,
    CAST(coalesce(sum(bytes), 0) AS VARCHAR) AS bytes,
    CAST(coalesce(sum(bytes) FILTER (WHERE verdict = 'nat-gateway'), 0) AS VARCHAR) AS detail
  FROM w WHERE rfam = 6
  UNION ALL
  SELECT 2, 'unattributed', CAST(coalesce(sum(records), 0) AS VARCHAR),
    CAST(coalesce(sum(bytes), 0) AS VARCHAR), ''
  FROM w WHERE bytes > 0 AND verdict IS NULL
  UNION ALL
  SELECT 3, 'nat-eni-other', CAST(coalesce(sum(records), 0) AS VARCHAR),
    CAST(coalesce(sum(bytes), 0) AS VARCHAR), ''
  FROM n WHERE bytes > 0 AND leg = 'other')
ORDER BY k
"""

WINDOW_SQL = """
SELECT min(first_start), max(last_end), CAST(coalesce(sum(records), 0) AS VARCHAR),
  CAST(coalesce(sum(malformed), 0) AS VARCHAR), CAST(coalesce(sum(nodata), 0) AS VARCHAR),
  CAST(coalesce(sum(skipdata), 0) AS VARCHAR)
FROM pairs
"""


def run_attribution(con: Any) -> None:
    """Build the attribution tables (``attributed``, ``w``, ``n``, ``nat_mode``)."""
    for sql in STEPS:
        con.execute(sql)
