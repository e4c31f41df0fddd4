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

# What a record's ENI, subnet and scope say depends on these fields alone: worked out once per
# distinct combination (``ctx``), joined to the records by them.
CTX_KEYS = ("account_id", "vpc_id", "region", "interface_id", "subnet_id", "instance_id")
# The rest of a pair's key: with ``ctx_id`` (one per distinct ``CTX_KEYS``) they name a pair.
ADDRESS_KEYS = (
    "srcaddr",
    "dstaddr",
    "pkt_srcaddr",
    "pkt_dstaddr",
    "pkt_src_aws_service",
    "pkt_dst_aws_service",
)
PAIR_KEYS = (*CTX_KEYS, *ADDRESS_KEYS)
# A record on a workload's ENI: any ENI but a NAT gateway's (whose records are its legs).
WORKLOAD_ROW = "(p.interface_id IS NULL OR p.interface_id NOT IN (SELECT eni_id FROM s_nat_enis))"
CTX_JOIN = " AND ".join(f"c.{k} IS NOT DISTINCT FROM p.{k}" for k in CTX_KEYS)
_SCOPE_JOIN = " AND ".join(
    f"cs.{k} IS NOT DISTINCT FROM p.{k}" for k in ("vpc_id", "account_id", "region")
)

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
    # Per distinct (account, VPC, region, ENI, subnet, instance) of the workload records (not
    # on a NAT gateway's ENI: those are legs, ``attribution``): its ENI's or named subnet, and
    # whether the record's ids agree with the snapshot.
    f"""CREATE OR REPLACE TEMP TABLE ctx AS
    SELECT CAST(row_number() OVER () AS INTEGER) AS ctx_id, c.*,
      e.eni_id IS NOT NULL AS known_eni, e.subnet_id AS eni_subnet,
      rs.subnet_id AS named_subnet,
      -- The snapshot's subnet of the record's own ENI or subnet-id must be in the VPC,
      -- region and account the record names: the same id elsewhere is something else.
      (c.vpc_id IS NULL OR c.vpc_id = own.vpc_id)
        AND (c.region IS NULL OR c.region = own.region)
        AND (c.account_id IS NULL OR EXISTS (
          SELECT 1 FROM s_vpc_accounts va
          WHERE va.vpc_id = own.vpc_id AND va.account_id = c.account_id)) AS consistent,
      coalesce(e.instance_id, c.instance_id) AS src_instance,
      c.vpc_id IS NULL OR c.vpc_id IN (SELECT vpc_id FROM s_vpc_accounts) AS vpc_known,
      c.account_id IS NULL
        OR c.account_id IN (SELECT account_id FROM s_vpc_accounts) AS account_known,
      c.region IS NULL OR EXISTS (
        SELECT 1 FROM s_vpc_accounts va WHERE va.region = c.region
          AND (c.account_id IS NULL OR va.account_id = c.account_id)) AS region_known
    FROM (SELECT DISTINCT {", ".join(CTX_KEYS)} FROM pairs p WHERE {WORKLOAD_ROW}) c
    LEFT JOIN s_enis e ON e.eni_id = c.interface_id
    LEFT JOIN s_subnets rs ON rs.subnet_id = c.subnet_id
    LEFT JOIN s_subnets own ON own.subnet_id = coalesce(e.subnet_id, rs.subnet_id)""",
    # For records matched by address (no known ENI, no subnet-id): per scope and address,
    # how many subnets in that scope hold it.
    """CREATE OR REPLACE TEMP TABLE scope_candidates AS
    WITH s AS (
      SELECT DISTINCT vpc_id, account_id, region FROM ctx
      WHERE NOT known_eni AND subnet_id IS NULL)
    SELECT s.vpc_id, s.account_id, s.region, h.a, count(DISTINCT h.subnet_id) AS n,
      min(h.subnet_id) AS subnet_id
    FROM s JOIN addr_home h
      ON (s.vpc_id IS NULL OR h.vpc_id = s.vpc_id)
      AND (s.account_id IS NULL OR h.account_id = s.account_id)
      AND (s.region IS NULL OR h.region = s.region)
    GROUP BY ALL""",
    # Workload-ENI pairs (not a NAT gateway's ENI): the source subnet, or why there is none;
    # the direction (which address is in that subnet), the remote, the route table. The
    # record's ENI, subnet and scope travel as ``ctx_id`` (one per distinct ``CTX_KEYS``).
    f"""CREATE OR REPLACE TEMP VIEW w_base AS
    WITH m AS (
      SELECT c.ctx_id, {", ".join(f"p.{k}" for k in ADDRESS_KEYS)}, p.bytes, p.accepted,
        p.records, p.malformed,
        CASE
          WHEN (c.known_eni OR c.named_subnet IS NOT NULL) AND NOT c.consistent THEN NULL
          WHEN c.known_eni THEN c.eni_subnet
          WHEN p.subnet_id IS NOT NULL THEN c.named_subnet
          WHEN NOT (c.vpc_known AND c.account_known AND c.region_known) THEN NULL
          WHEN cs.n = 1 THEN cs.subnet_id
          WHEN cs.n IS NULL AND cd.n = 1 THEN cd.subnet_id
        END AS src_subnet,
        CASE
          WHEN (c.known_eni OR c.named_subnet IS NOT NULL) AND NOT c.consistent
            THEN 'conflicting-ids'
          WHEN c.known_eni THEN NULL
          WHEN p.subnet_id IS NOT NULL THEN
            CASE WHEN c.named_subnet IS NULL THEN 'subnet-not-in-snapshot' END
          WHEN NOT c.vpc_known THEN 'vpc-not-in-snapshot'
          WHEN NOT c.account_known THEN 'account-not-in-snapshot'
          WHEN NOT c.region_known THEN 'region-not-in-snapshot'
          WHEN cs.n > 1 OR (cs.n IS NULL AND cd.n > 1) THEN 'address-ambiguous'
          WHEN cs.n IS NULL AND cd.n IS NULL THEN 'address-in-no-subnet'
        END AS match_reason
      FROM (SELECT * FROM pairs p WHERE {WORKLOAD_ROW}) p JOIN ctx c ON {CTX_JOIN}
      LEFT JOIN scope_candidates cs ON {_SCOPE_JOIN} AND cs.a = p.srcaddr
      LEFT JOIN scope_candidates cd ON {_SCOPE_JOIN.replace("cs.", "cd.")} AND cd.a = p.dstaddr),
    d AS (
      SELECT m.*,
        CASE WHEN so.a IS NOT NULL THEN 'out' WHEN si.a IS NOT NULL THEN 'in' END AS direction
      FROM m
      LEFT JOIN local_subnet so ON so.a = m.srcaddr AND so.subnet_id = m.src_subnet
      LEFT JOIN local_subnet si ON si.a = m.dstaddr AND si.subnet_id = m.src_subnet)
    SELECT d.*, sn.route_table_id,
      CASE direction WHEN 'out' THEN dstaddr WHEN 'in' THEN srcaddr END AS local_remote,
      CASE direction WHEN 'out' THEN srcaddr WHEN 'in' THEN dstaddr END AS local_addr,
      CASE direction WHEN 'out' THEN pkt_dst_aws_service
                     WHEN 'in' THEN pkt_src_aws_service END AS svc_hint
    FROM d LEFT JOIN s_subnets sn ON sn.subnet_id = d.src_subnet""",
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
