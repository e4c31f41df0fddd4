"""Which accounts to read, and through which role: --role-arn, --accounts, --organization."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from vpcpath.errors import AwsError, UsageError
from vpcpath.sources.live.calls import ORGANIZATION_ACCOUNTS_CALL
from vpcpath.sources.live.fetch import Denied, Gone, fetch
from vpcpath.sources.live.session import AwsSession, CallerIdentity

ACCOUNT_PLACEHOLDER = "{account}"
ACCOUNT_ID_RE = re.compile(r"^\d{12}$")
_ROLE_ARN_RE = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}|\{account\}):role/[\w+=,.@/-]+$")


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountTarget:
    account_id: str
    role_arn: str | None  # None: read with the caller's own credentials
    name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OrganizationAccount:
    account_id: str
    name: str | None
    state: str  # ACTIVE, SUSPENDED, PENDING_CLOSURE, …


def check_account_flags(
    *, role_arn: str | None, accounts: Sequence[str], organization: bool
) -> None:
    """Raise UsageError for a combination that cannot be collected as asked."""
    for account in accounts:
        if not ACCOUNT_ID_RE.match(account):
            raise UsageError(f"--accounts: {account!r} is not a 12-digit account id")
    if accounts and organization:
        raise UsageError("give --accounts or --organization, not both")
    if role_arn is None:
        if accounts or organization:
            raise UsageError(
                "--accounts and --organization read other accounts through a role: add "
                "--role-arn 'arn:aws:iam::{account}:role/NAME'"
            )
        return
    if not _ROLE_ARN_RE.match(role_arn):
        raise UsageError(
            f"--role-arn: {role_arn!r} is not a role ARN "
            "(arn:aws:iam::123456789012:role/NAME, or {account} in place of the id)"
        )
    has_placeholder = ACCOUNT_PLACEHOLDER in role_arn
    if has_placeholder and not (accounts or organization):
        raise UsageError("--role-arn with {account} needs --accounts or --organization")
    if not has_placeholder and (accounts or organization):
        raise UsageError(
            "--role-arn names one account; put {account} in place of the id to read "
            "--accounts or --organization"
        )


def account_targets(
    *,
    caller: CallerIdentity,
    role_arn: str | None,
    accounts: Sequence[str],
    organization_accounts: Sequence[OrganizationAccount] | None,
) -> tuple[AccountTarget, ...]:
    """The accounts to read, in order; the caller's own account uses the caller's credentials.

    Reading the caller's account directly avoids needing the role there too: the management
    account of an organization usually has no ``OrganizationAccountAccessRole``.
    """
    if role_arn is None:
        return (AccountTarget(account_id=caller.account, role_arn=None),)
    if ACCOUNT_PLACEHOLDER not in role_arn:
        match = _ROLE_ARN_RE.match(role_arn)
        account = match.group(1) if match else caller.account
        return (AccountTarget(account_id=account, role_arn=role_arn),)
    if organization_accounts is not None:
        wanted = [(a.account_id, a.name) for a in organization_accounts if a.state == "ACTIVE"]
    else:
        wanted = [(a, None) for a in accounts]
    targets: dict[str, AccountTarget] = {}
    for account, name in wanted:
        targets.setdefault(
            account,
            AccountTarget(
                account_id=account,
                role_arn=None
                if account == caller.account
                else role_arn.replace(ACCOUNT_PLACEHOLDER, account),
                name=name,
            ),
        )
    return tuple(targets.values())


def list_organization_accounts(session: AwsSession) -> tuple[OrganizationAccount, ...]:
    """Every account of the caller's organization (organizations:ListAccounts, all pages).

    ``State`` replaces the deprecated ``Status`` field; either is read.
    https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html
    """
    client = session.client("organizations", session.home_region)
    try:
        answer = fetch(client, ORGANIZATION_ACCOUNTS_CALL, {}, where="organization")
    except (Denied, Gone) as exc:
        # Without the account list there is nothing to read: fatal, not a skip.
        raise AwsError(
            f"cannot list the organization's accounts ({exc}); run from the management "
            "account or a delegated administrator, or name them with --accounts"
        ) from exc
    found = []
    for raw in answer.body.get("Accounts", []):
        found.append(
            OrganizationAccount(
                account_id=str(raw["Id"]),
                name=str(raw["Name"]) if raw.get("Name") else None,
                state=str(raw.get("State") or raw.get("Status") or "ACTIVE"),
            )
        )
    return tuple(sorted(found, key=lambda a: a.account_id))
