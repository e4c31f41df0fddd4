"""The one place a flow record is matched to a workload of the snapshot (SQL over the pairs).

A record belongs to the network interface it was logged on, in the VPC, account and region
that own that interface (VPC User Guide, "Flow log records" → "Available fields":
``interface-id``, ``vpc-id``, ``subnet-id``, ``account-id``, ``region``). Organisations reuse
private CIDRs across VPCs, accounts and regions, so an address alone names a workload only
within the network the record belongs to. In order:

1. ``interface-id`` of an ENI in the snapshot: that ENI's subnet.
2. ``subnet-id``: that subnet if the snapshot has it; else the record is not attributed.
   In both cases the record's own ``vpc-id``, ``account-id`` and ``region``, where it has
   them, must agree with the snapshot's for that subnet; an id that does is the same object.
3. ``vpc-id`` / ``account-id`` / ``region`` (the record's fields; for text files without
   ``account-id`` or ``region``, what the file's S3 path states) set the scope: a VPC, account
   or region the snapshot does not hold means the record is not attributed. Within the scope,
   the subnet whose CIDR holds ``srcaddr`` (else ``dstaddr``) — only when exactly one does.

What is not attributed keeps its reason (``REASONS``) and is reported with its ACCEPT records
and bytes, never guessed onto a subnet.
"""

from __future__ import annotations

# Why a workload record was not attributed: code → what the report says.
REASONS: dict[str, str] = {
    "conflicting-ids": (
        "the record's VPC, account or region differs from the snapshot's for its ENI or subnet"
    ),
    "subnet-not-in-snapshot": "the record's subnet-id is not in the snapshot",
    "vpc-not-in-snapshot": "the record's vpc-id is not in the snapshot",
    "account-not-in-snapshot": "the record's account is not in the snapshot",
    "region-not-in-snapshot": "the record's region is not in the snapshot (for its account)",
    "address-ambiguous": "several subnets in the record's scope hold its address",
    "address-in-no-subnet": "no subnet in the record's scope holds either address",
    "source-unknown": "the record's ENI has no subnet in the snapshot",
    "no-local-address": "neither address is in the source subnet",
    "no-route": "the source subnet's route table has no route to the remote",
}

MATCH_STEPS: tuple[str, ...] = (
    # Every (address, subnet) of the snapshot with the VPC's accounts and region.
    """CREATE OR REPLACE TEMP TABLE addr_home AS
    SELECT x.a, x.vpc_id, x.subnet_id, sn.region, va.account_id
    FROM addr_subnet_vpc x JOIN s_subnets sn USING (subnet_id)
    JOIN s_vpc_accounts va ON va.vpc_id = x.vpc_id""",
    # The one subnet holding an address within a region (a NAT gateway's clients).
    """CREATE OR REPLACE TEMP TABLE addr_subnet_region AS
    SELECT a, region, min(subnet_id) AS subnet_id FROM addr_home
    GROUP BY a, region HAVING count(DISTINCT subnet_id) = 1""",
    # For each pair: how many subnets in its scope hold its source / destination address.
    """CREATE OR REPLACE TEMP TABLE w_candidates AS
    WITH scoped AS (
      SELECT p.pair_id, 'src' AS side, h.subnet_id FROM p JOIN addr_home h ON h.a = p.srcaddr
      WHERE (p.vpc_id IS NULL OR h.vpc_id = p.vpc_id)
        AND (p.account_id IS NULL OR h.account_id = p.account_id)
        AND (p.region IS NULL OR h.region = p.region)
      UNION ALL
      SELECT p.pair_id, 'dst', h.subnet_id FROM p JOIN addr_home h ON h.a = p.dstaddr
      WHERE (p.vpc_id IS NULL OR h.vpc_id = p.vpc_id)
        AND (p.account_id IS NULL OR h.account_id = p.account_id)
        AND (p.region IS NULL OR h.region = p.region))
    SELECT pair_id, side, count(DISTINCT subnet_id) AS n, min(subnet_id) AS subnet_id
    FROM scoped GROUP BY ALL""",
    # Workload-ENI pairs (not a NAT gateway's ENI): the source subnet, or why there is none.
    """CREATE OR REPLACE TEMP TABLE w0 AS
    WITH base AS (
      SELECT p.*, e.eni_id IS NOT NULL AS known_eni, e.subnet_id AS eni_subnet,
        rs.subnet_id AS named_subnet,
        -- The snapshot's subnet of the record's own ENI or subnet-id must be in the VPC,
        -- region and account the record names: the same id elsewhere is something else.
        (p.vpc_id IS NULL OR p.vpc_id = own.vpc_id)
          AND (p.region IS NULL OR p.region = own.region)
          AND (p.account_id IS NULL OR EXISTS (
            SELECT 1 FROM s_vpc_accounts va
            WHERE va.vpc_id = own.vpc_id AND va.account_id = p.account_id)) AS consistent,
        coalesce(e.instance_id, p.instance_id) AS src_instance,
        p.vpc_id IS NULL OR p.vpc_id IN (SELECT vpc_id FROM s_vpc_accounts) AS vpc_known,
        p.account_id IS NULL
          OR p.account_id IN (SELECT account_id FROM s_vpc_accounts) AS account_known,
        p.region IS NULL OR EXISTS (
          SELECT 1 FROM s_vpc_accounts va WHERE va.region = p.region
            AND (p.account_id IS NULL OR va.account_id = p.account_id)) AS region_known,
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
      LEFT JOIN w_candidates cs ON cs.pair_id = p.pair_id AND cs.side = 'src'
      LEFT JOIN w_candidates cd ON cd.pair_id = p.pair_id AND cd.side = 'dst'
      WHERE n.eni_id IS NULL)
    SELECT base.*,
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
    FROM base""",
)

# Per reason: ACCEPT records, their bytes, and up to five ids the records name.
UNATTRIBUTED_SQL = """
SELECT unattributed_reason, CAST(sum(accepted) AS VARCHAR), CAST(sum(bytes) AS VARCHAR),
  list(DISTINCT named ORDER BY named) FILTER (WHERE named IS NOT NULL)
FROM (
  SELECT *, CASE unattributed_reason
      WHEN 'vpc-not-in-snapshot' THEN vpc_id WHEN 'subnet-not-in-snapshot' THEN subnet_id
      WHEN 'account-not-in-snapshot' THEN account_id
      WHEN 'region-not-in-snapshot' THEN region END AS named
  FROM w WHERE unattributed_reason IS NOT NULL AND accepted > 0)
GROUP BY 1 ORDER BY sum(bytes) DESC, 1
"""

# Records that belong to a workload or NAT gateway of the snapshot (status lines included).
MATCHED_SQL = """
SELECT CAST((SELECT coalesce(sum(records - malformed), 0) FROM w WHERE src_subnet IS NOT NULL)
  + (SELECT coalesce(sum(records - malformed), 0) FROM n) AS VARCHAR)
"""
