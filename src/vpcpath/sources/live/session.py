"""The one door to AWS: sessions that hand out guarded clients, with retries set.

Every AWS client vpcpath uses — the collector's, ``flows s3://``'s, ``audit --cloudwatch``'s,
``prices refresh``'s and ``apply``'s — comes from :class:`AwsSession`, which installs the
:class:`~vpcpath.sources.live.guard.CallGuard` on it; there is no other way in (a test scans the
source tree for clients made anywhere else). :meth:`AwsSession.from_profile` is read-only;
:meth:`AwsSession.for_apply` also lets through the writes ``apply`` declares
(``calls.APPLY_CALLS``) and nothing more. Errors of botocore are translated into the project's
exception tree by ``aws_errors``. The AWS configuration is honoured as the SDKs define it
(docs/architecture.md "Safety"): ``--profile`` / ``AWS_PROFILE``, ``AWS_ENDPOINT_URL`` (which is
how the
tests reach a moto server over HTTP), credentials, regions and the retry settings.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import botocore.session
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import BotoCoreError

from vpcpath import __version__
from vpcpath.sources.live.aws_errors import translate_aws_error
from vpcpath.sources.live.calls import APPLY_CALLS
from vpcpath.sources.live.guard import CallGuard, ReadOnlyGuard

# Throttling is normal when reading a large estate. Standard mode retries throttling errors and
# 5xx answers with jittered exponential backoff and a retry quota; AWS recommends it, and keeps
# adaptive mode (which also rate-limits the client after a throttle) for special cases. Adaptive
# is used when the AWS configuration asks for it.
# https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html ("Retry
# behavior": retry_mode, max_attempts). Ten attempts keep a call that is throttled 30 % of the
# time from failing (0.3^10 ≈ 6e-6); max_attempts counts the first attempt.
RetryMode = Literal["standard", "adaptive"]
DEFAULT_RETRY_MODE: RetryMode = "standard"
DEFAULT_MAX_ATTEMPTS = 10
DEFAULT_HOME_REGION = "us-east-1"
ROLE_SESSION_NAME = "vpcpath-snapshot"


@dataclass(frozen=True, slots=True, kw_only=True)
class RetrySettings:
    mode: RetryMode
    max_attempts: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CallerIdentity:
    account: str
    arn: str


def resolve_retry_settings(
    scoped_config: Mapping[str, object], environ: Mapping[str, str]
) -> RetrySettings:
    """The AWS configuration's retry mode and attempts when set, else standard with 10.

    ``AWS_RETRY_MODE`` / ``AWS_MAX_ATTEMPTS`` win over the profile's ``retry_mode`` /
    ``max_attempts``, as in the SDKs. ``legacy`` (and anything else) becomes ``standard``:
    legacy mode has no retry quota and retries fewer kinds of error.
    """
    configured = str(environ.get("AWS_RETRY_MODE") or scoped_config.get("retry_mode") or "")
    mode: RetryMode = DEFAULT_RETRY_MODE
    if configured == "adaptive":
        mode = "adaptive"
    attempts_text = environ.get("AWS_MAX_ATTEMPTS") or scoped_config.get("max_attempts")
    try:
        attempts = int(str(attempts_text)) if attempts_text else DEFAULT_MAX_ATTEMPTS
    except ValueError:
        attempts = DEFAULT_MAX_ATTEMPTS
    return RetrySettings(mode=mode, max_attempts=max(1, attempts))


class AwsSession:
    """One set of credentials; hands out guarded clients (thread-safe, one per service/region)."""

    def __init__(
        self,
        session: botocore.session.Session,
        *,
        guard: CallGuard,
        retries: RetrySettings,
        home_region: str,
        profile: str | None = None,
        expires_at: datetime | None = None,
    ) -> None:
        self._session = session
        self._guard = guard
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str], BaseClient] = {}
        self.retries = retries
        self.home_region = home_region
        self.profile = profile
        self.expires_at = expires_at  # assumed-role credentials expire; None = refreshed by SDK

    @classmethod
    def from_profile(
        cls,
        profile: str | None,
        *,
        guard: ReadOnlyGuard | None = None,
        retries: RetrySettings | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> AwsSession:
        """The read-only session of ``profile`` (None: the default chain, ``AWS_PROFILE``, …)."""
        return cls._configured(profile, guard or ReadOnlyGuard(), retries, environ)

    @classmethod
    def for_apply(
        cls,
        profile: str | None,
        *,
        retries: RetrySettings | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> AwsSession:
        """The session of ``apply``: the declared reads and ``calls.APPLY_CALLS``, no more."""
        return cls._configured(profile, CallGuard(writes=APPLY_CALLS), retries, environ)

    @classmethod
    def _configured(
        cls,
        profile: str | None,
        guard: CallGuard,
        retries: RetrySettings | None,
        environ: Mapping[str, str] | None,
    ) -> AwsSession:
        session = botocore.session.Session(profile=profile)
        try:
            scoped = session.get_scoped_config()
            region = session.get_config_variable("region")
        except BotoCoreError as exc:  # ProfileNotFound, a malformed config file, …
            raise translate_aws_error(exc, action="AWS configuration", where="") from exc
        return cls(
            session,
            guard=guard,
            retries=retries or resolve_retry_settings(scoped, environ or os.environ),
            home_region=str(region or DEFAULT_HOME_REGION),
            profile=profile,
        )

    @property
    def guard(self) -> CallGuard:
        return self._guard

    def client(self, service: str, region: str) -> BaseClient:
        """The guarded client of ``service`` in ``region`` (one per pair, shared by threads)."""
        key = (service, region)
        with self._lock:  # botocore sessions are not thread-safe; clients are
            client = self._clients.get(key)
            if client is None:
                config = Config(
                    # total_max_attempts counts the first attempt, as AWS_MAX_ATTEMPTS does;
                    # Config's "max_attempts" would count retries only.
                    retries={
                        "mode": self.retries.mode,
                        "total_max_attempts": self.retries.max_attempts,
                    },
                    user_agent_extra=f"vpcpath/{__version__}",
                )
                try:
                    client = self._session.create_client(service, region_name=region, config=config)
                except BotoCoreError as exc:
                    raise translate_aws_error(
                        exc, action=f"the {service} client for {region}", where=""
                    ) from exc
                self._guard.install(client)
                self._clients[key] = client
        return client

    def with_credentials(
        self, *, access_key: str, secret_key: str, token: str, expires_at: datetime | None
    ) -> AwsSession:
        """A session like this one (same profile settings, endpoint, retries) with other keys."""
        session = botocore.session.Session(profile=self.profile)
        # Share the loader: it caches the parsed API models (EC2's is large), so reading many
        # accounts parses them once.
        session.register_component("data_loader", self._session.get_component("data_loader"))
        session.set_credentials(access_key, secret_key, token)
        return AwsSession(
            session,
            guard=self._guard,
            retries=self.retries,
            home_region=self.home_region,
            profile=self.profile,
            expires_at=expires_at,
        )
