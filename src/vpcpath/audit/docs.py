"""Generate ``docs/checks.md`` from the checks' metadata: ``python -m vpcpath.audit.docs``."""

from __future__ import annotations

import sys

from vpcpath.audit.catalogue import CHECKS


def checks_markdown() -> str:
    lines = [
        "# Audit checks",
        "",
        "Generated from the checks' metadata by `python -m vpcpath.audit.docs > docs/checks.md`;",
        "do not edit by hand. Finding ids are `<check>:<resource>` and stable across runs.",
        "A check that crashes produces an `internal-error:<check>` finding instead.",
        "",
        "| check | severity | title |",
        "| --- | --- | --- |",
    ]
    lines += [
        f"| [`{c.info.id}`](#{c.info.id}) | {c.info.severity} | {c.info.title} |" for c in CHECKS
    ]
    for check in CHECKS:
        info = check.info
        lines += [
            "",
            f"## {info.id}",
            "",
            f"**{info.title}** — severity `{info.severity}`",
            "",
            info.description,
            "",
            f"**Fix:** {info.remediation}",
            "",
            f"**AWS documentation:** <{info.doc_url}>",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(checks_markdown())
