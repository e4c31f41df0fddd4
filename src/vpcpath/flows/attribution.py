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

from vpcpath.flows.workload_match import MATCH_STEPS

_PAIR_KEYS = (
    "account_id, vpc_id, region, interface_id, subnet_id, instance_id, srcaddr, dstaddr,"
    " pkt_srcaddr, pkt_dstaddr, pkt_src_aws_service, pkt_dst_aws_service"
)

STEPS: tuple[str, ...] = (
    # Batches may repeat a pair: merge them.
    f"""CREATE OR REPLACE TEMP TABLE p AS
    SELECT {_PAIR_KEYS}, sum(bytes) AS bytes, sum(accepted) AS accepted,
           sum(records) AS records, sum(malformed) AS malformed,
           row_number() OVER () AS pair_id
    FROM pairs GROUP BY {_PAIR_KEYS}""",
    # Each distinct address string parsed once; flags used to tell client from internet legs.
    """CREATE OR REPLACE TEMP TABLE addr AS
    WITH t AS (
      SELECT DISTINCT a FROM (
        SELECT srcaddr AS a FROM p UNION ALL SELECT dstaddr FROM p
        UNION ALL SELECT pkt_srcaddr FROM p UNION ALL SELECT pkt_dstaddr FROM p)
      WHERE a IS NOT NULL),
    v AS (SELECT a, ip_family(a) AS fam, ip_value(a) AS v FROM t)
    SELECT v.*,
      EXISTS (SELECT 1 FROM s_vpc_cidrs c WHERE c.family = v.fam AND v.v BETWEEN c.lo AND c.hi)
        AS in_vpc,
      EXISTS (SELECT 1 FROM s_private_ranges c
              WHERE c.family = v.fam AND v.v BETWEEN c.lo AND c.hi) AS is_private
    FROM v""",
    # The subnets whose CIDR holds an address (for sources not known by their ENI): one per
    # VPC at most, since a VPC's subnets never overlap; VPCs may reuse the same CIDRs.
    """CREATE OR REPLACE TEMP TABLE addr_subnet_vpc AS
    SELECT a.a, c.vpc_id, c.subnet_id
    FROM addr a JOIN s_subnet_cidrs c ON c.family = a.fam AND a.v BETWEEN c.lo AND c.hi""",
    # Which workload each record belongs to (``workload_match``): w0.
    *MATCH_STEPS,
    """CREATE OR REPLACE TEMP TABLE w1 AS
    SELECT w0.*,
      CASE
        WHEN EXISTS (SELECT 1 FROM s_subnet_cidrs c WHERE c.subnet_id = w0.src_subnet
                     AND c.family = w0.sfam AND w0.sv BETWEEN c.lo AND c.hi) THEN 'out'
        WHEN EXISTS (SELECT 1 FROM s_subnet_cidrs c WHERE c.subnet_id = w0.src_subnet
                     AND c.family = w0.dfam AND w0.dv BETWEEN c.lo AND c.hi) THEN 'in'
      END AS direction
    FROM w0""",
    """CREATE OR REPLACE TEMP TABLE w AS
    WITH r AS (
      SELECT w1.*, sn.route_table_id, sn.zone AS src_zone,
        CASE direction WHEN 'out' THEN dstaddr WHEN 'in' THEN srcaddr END AS local_remote,
        CASE direction WHEN 'out' THEN srcaddr WHEN 'in' THEN dstaddr END AS local_addr,
        CASE direction WHEN 'out' THEN dfam WHEN 'in' THEN sfam END AS rfam,
        CASE direction WHEN 'out' THEN dv WHEN 'in' THEN sv END AS rv,
        CASE direction WHEN 'out' THEN pkt_dst_aws_service
                       WHEN 'in' THEN pkt_src_aws_service END AS svc_hint
      FROM w1 LEFT JOIN s_subnets sn ON sn.subnet_id = w1.src_subnet)
    SELECT r.*,
      coalesce(r.match_reason, CASE
        WHEN r.src_subnet IS NULL THEN 'source-unknown'
        WHEN r.direction IS NULL THEN 'no-local-address'
        WHEN rt.hi IS NULL OR rt.hi < r.rv THEN 'no-route' END) AS unattributed_reason,
      CASE WHEN rt.hi >= r.rv THEN rt.verdict END AS verdict,
      CASE WHEN rt.hi >= r.rv THEN rt.nat_gateway_id END AS nat_gateway_id,
      CASE WHEN rt.hi >= r.rv THEN rt.transit_gateway_id END AS transit_gateway_id,
      CASE WHEN cl.hi >= r.rv THEN cl.service END AS cls_service,
      CASE WHEN cl.hi >= r.rv THEN cl.region END AS cls_region,
      CASE WHEN cl.hi >= r.rv THEN cl.gateway_service END AS gateway_service,
      CASE WHEN cl.hi >= r.rv THEN cl.gateway_region END AS gateway_region
    FROM r
    ASOF LEFT JOIN s_routes rt
      ON rt.route_table_id = r.route_table_id AND rt.family = r.rfam AND r.rv >= rt.lo
    ASOF LEFT JOIN s_classes cl ON cl.family = r.rfam AND r.rv >= cl.lo""",
    # NAT-ENI pairs: which leg, which workload, which remote.
    """CREATE OR REPLACE TEMP TABLE n0 AS
    SELECT p.*, n.nat_gateway_id, g.connectivity, g.vpc_id AS nat_vpc, g.region AS nat_region,
      s.fam AS sfam, s.v AS sv, d.fam AS dfam, d.v AS dv, ps.v AS psv, pd.v AS pdv,
      s.in_vpc AS s_in_vpc, d.in_vpc AS d_in_vpc,
      s.is_private AS s_private, d.is_private AS d_private,
      EXISTS (SELECT 1 FROM s_nat_ips i WHERE i.nat_gateway_id = n.nat_gateway_id
              AND i.family = s.fam AND i.addr = s.v) AS src_is_nat,
      EXISTS (SELECT 1 FROM s_nat_ips i WHERE i.nat_gateway_id = n.nat_gateway_id
              AND i.family = d.fam AND i.addr = d.v) AS dst_is_nat,
      p.pkt_srcaddr IS NOT NULL AND p.pkt_dstaddr IS NOT NULL AS has_pkt
    FROM p JOIN s_nat_enis n ON n.eni_id = p.interface_id
    LEFT JOIN s_nats g ON g.nat_gateway_id = n.nat_gateway_id
    LEFT JOIN addr s ON s.a = p.srcaddr LEFT JOIN addr d ON d.a = p.dstaddr
    LEFT JOIN addr ps ON ps.a = p.pkt_srcaddr LEFT JOIN addr pd ON pd.a = p.pkt_dstaddr""",
    """CREATE OR REPLACE TEMP TABLE n1 AS
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
    FROM n0""",
    """CREATE OR REPLACE TEMP TABLE n AS
    WITH c AS (
      SELECT n1.*,
        CASE leg WHEN 'client-out' THEN srcaddr WHEN 'client-in' THEN dstaddr END AS workload,
        CASE WHEN has_pkt AND leg = 'client-out' THEN pkt_dstaddr
             WHEN has_pkt AND leg = 'client-in' THEN pkt_srcaddr END AS remote,
        CASE WHEN has_pkt AND leg = 'client-out' THEN pkt_dst_aws_service
             WHEN has_pkt AND leg = 'client-in' THEN pkt_src_aws_service END AS svc_hint
      FROM n1),
    r AS (
      SELECT c.*, ra.fam AS rfam, ra.v AS rv,
        -- The workload's ENI: the one with that private IP in the NAT gateway's region,
        -- preferring the NAT's own VPC (clients of other VPCs come through a TGW).
        (SELECT arg_min(i.eni_id, (i.vpc_id IS DISTINCT FROM c.nat_vpc, i.eni_id))
         FROM s_eni_ips i JOIN addr wa ON wa.a = c.workload
         WHERE i.family = wa.fam AND i.addr = wa.v AND i.region = c.nat_region) AS src_eni
      FROM c LEFT JOIN addr ra ON ra.a = c.remote)
    SELECT r.*, coalesce(e.subnet_id, xv.subnet_id, xs.subnet_id) AS src_subnet,
      e.instance_id AS src_instance,
      CASE WHEN cl.hi >= r.rv THEN cl.service END AS cls_service,
      CASE WHEN cl.hi >= r.rv THEN cl.region END AS cls_region,
      CASE WHEN cl.hi >= r.rv THEN cl.gateway_service END AS gateway_service,
      CASE WHEN cl.hi >= r.rv THEN cl.gateway_region END AS gateway_region
    FROM r
    LEFT JOIN s_enis e ON e.eni_id = r.src_eni
    LEFT JOIN addr_subnet_vpc xv ON xv.a = r.workload AND xv.vpc_id = r.nat_vpc
    LEFT JOIN addr_subnet_region xs ON xs.a = r.workload AND xs.region = r.nat_region
    ASOF LEFT JOIN s_classes cl ON cl.family = r.rfam AND r.rv >= cl.lo""",
    # Per NAT gateway: does it attribute directly (client legs with pkt-* fields)? Its records
    # without them then come from a second flow log of the same ENI (a VPC-level default-format
    # log, say): the same bytes again, so they are left out of the attribution and the check.
    """CREATE OR REPLACE TEMP TABLE nat_mode AS
    SELECT nat_gateway_id,
      count(*) FILTER (WHERE leg LIKE 'client-%' AND has_pkt AND bytes > 0) > 0 AS direct
    FROM n GROUP BY nat_gateway_id""",
    """CREATE OR REPLACE TEMP TABLE n_used AS
    SELECT n.*, m.direct FROM n JOIN nat_mode m USING (nat_gateway_id)
    WHERE has_pkt OR NOT m.direct""",
    # Workload addresses that have records of their own: their NAT bytes come from rule 1.
    """CREATE OR REPLACE TEMP TABLE logged AS
    SELECT DISTINCT local_addr AS a FROM w
    WHERE local_addr IS NOT NULL AND records > malformed
    UNION
    SELECT DISTINCT wa.a FROM p JOIN s_eni_ips i ON i.eni_id = p.interface_id
    JOIN addr wa ON wa.fam = i.family AND wa.v = i.addr
    WHERE p.records > p.malformed""",
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

BUCKETS_SQL = """
SELECT 'ipv6', CAST(coalesce(sum(records), 0) AS VARCHAR), CAST(coalesce(sum(bytes), 0) AS VARCHAR),
  CAST(coalesce(sum(bytes) FILTER (WHERE verdict = 'nat-gateway'), 0) AS VARCHAR)
FROM w WHERE rfam = 6
UNION ALL
SELECT 'unattributed', CAST(coalesce(sum(records), 0) AS VARCHAR),
  CAST(coalesce(sum(bytes), 0) AS VARCHAR), ''
FROM w WHERE bytes > 0 AND verdict IS NULL
UNION ALL
SELECT 'nat-eni-other', CAST(coalesce(sum(records), 0) AS VARCHAR),
  CAST(coalesce(sum(bytes), 0) AS VARCHAR), ''
FROM n WHERE bytes > 0 AND leg = 'other'
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
