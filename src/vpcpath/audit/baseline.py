"""Accepted findings: ids a team has decided to live with, each with a reason and an expiry.

A checked-in TOML file (``.vpcpath.toml`` or ``--baseline FILE``)::

    [[accepted]]
    id = "cross-az-nat:subnet-0a1b2c3d4e5f67890"
    reason = "single NAT gateway in dev; accepted until the VPC is rebuilt"
    expires = 2027-03-31          # optional (a TOML date); on that day it is a finding again

A suppressed finding is counted and listed as suppressed, never dropped; an entry past its
expiry suppresses nothing and is reported as expired; an entry that matches no finding is
reported as stale so the file does not rot.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from vpcpath.audit.findings import Finding
from vpcpath.errors import SourceError

DEFAULT_BASELINE = ".vpcpath.toml"


@dataclass(frozen=True, slots=True, kw_only=True)
class Accepted:
    id: str
    reason: str
    expires: date | None = None
    source: str = ""  # file:entry number, for messages

    def expired(self, today: date) -> bool:
        return self.expires is not None and today >= self.expires


@dataclass(frozen=True, slots=True, kw_only=True)
class Suppressed:
    finding: Finding
    accepted: Accepted


@dataclass(frozen=True, slots=True, kw_only=True)
class BaselineOutcome:
    findings: tuple[Finding, ...]  # still reported (expired entries included)
    suppressed: tuple[Suppressed, ...] = ()
    expired: tuple[Accepted, ...] = ()  # entries past their date whose finding is back
    stale: tuple[Accepted, ...] = ()  # entries that match no finding
    source: str = ""  # the baseline file, or "" when none was read


def read_baseline(path: Path) -> tuple[Accepted, ...]:
    """Parse ``path``; SourceError naming the file and entry when it is malformed."""
    try:
        with path.open("rb") as handle:
            doc = tomllib.load(handle)
    except OSError as exc:
        raise SourceError(f"{path}: cannot read the baseline ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"{path}: not valid TOML ({exc})") from exc
    entries = doc.get("accepted", [])
    if not isinstance(entries, list):
        raise SourceError(f"{path}: `accepted` must be an array of tables ([[accepted]])")
    accepted: list[Accepted] = []
    for n, entry in enumerate(entries, start=1):
        where = f"{path}: [[accepted]] entry {n}"
        if not isinstance(entry, dict):
            raise SourceError(f"{where} is not a table")
        ident, reason, expires = entry.get("id"), entry.get("reason"), entry.get("expires")
        if not isinstance(ident, str) or ":" not in ident:
            raise SourceError(f'{where}: `id` must be a finding id like "s3-via-nat:vpc-…"')
        if not isinstance(reason, str) or not reason.strip():
            raise SourceError(f"{where} ({ident}): `reason` is required — say why it is accepted")
        if expires is not None and (not isinstance(expires, date) or hasattr(expires, "hour")):
            raise SourceError(f"{where} ({ident}): `expires` must be a date like 2027-03-31")
        unknown = sorted(set(entry) - {"id", "reason", "expires"})
        if unknown:
            raise SourceError(f"{where} ({ident}): unknown key(s) {', '.join(unknown)}")
        accepted.append(Accepted(id=ident, reason=reason, expires=expires, source=f"{path}:{n}"))
    return tuple(accepted)


def apply_baseline(
    findings: Sequence[Finding],
    accepted: Sequence[Accepted],
    today: date,
    source: str = "",
    aliases: Mapping[str, str] | None = None,
) -> BaselineOutcome:
    """``aliases`` maps a finding id to another name it may be accepted under (for a
    Terraform plan, ``<check>:<address>``, which survives the apply that gives real ids)."""
    by_id = {a.id: a for a in accepted}
    kept: list[Finding] = []
    suppressed: list[Suppressed] = []
    expired: list[Accepted] = []
    matched: set[str] = set()
    for finding in findings:
        entry = by_id.get(finding.id) or by_id.get((aliases or {}).get(finding.id, ""))
        if entry is None:
            kept.append(finding)
            continue
        matched.add(entry.id)
        if entry.expired(today):
            kept.append(finding)
            expired.append(entry)
        else:
            suppressed.append(Suppressed(finding=finding, accepted=entry))
    return BaselineOutcome(
        findings=tuple(kept),
        suppressed=tuple(suppressed),
        expired=tuple(expired),
        stale=tuple(a for a in accepted if a.id not in matched),
        source=source,
    )
