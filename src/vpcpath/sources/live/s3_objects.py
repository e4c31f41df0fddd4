"""Flow-log objects in S3: listed and downloaded through a client of the guarded factory.

The source side of ``flows s3://bucket/prefix``: ``flows`` asks this module for the objects
under a prefix and for each object's bytes in a local file, and never holds a client. The calls
(``ListObjectsV2``, and ``GetObject`` for a download) are declared in
``calls.py``, so ``required-permissions.json`` lists ``s3:ListBucket`` and ``s3:GetObject``.
Errors leave as the project's exceptions: a bucket or key that does not exist is bad input
(:class:`~vpcpath.errors.FlowLogError`, exit 3); AWS refusing or failing is an
:class:`~vpcpath.errors.AwsError` (exit 5).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from botocore.exceptions import BotoCoreError, ClientError

from vpcpath.errors import FlowLogError, SourceError
from vpcpath.sources.live.aws_errors import error_code, translate_aws_error
from vpcpath.sources.live.calls import S3_GET_CALL, S3_LIST_CALL

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

    from vpcpath.sources.live.session import AwsSession

# S3 error codes that mean the input is not there (bad input), not AWS refusing.
# https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html ("List of error codes").
_MISSING_CODES = frozenset({"NoSuchBucket", "NoSuchKey", "InvalidBucketName"})
_CHUNK = 1 << 20  # bytes read from a download's body at a time


@dataclass(frozen=True, slots=True, kw_only=True)
class S3Object:
    bucket: str
    key: str
    size: int


class S3Objects:
    """Lists and downloads objects with the session's S3 client (thread-safe)."""

    def __init__(self, session: AwsSession) -> None:
        self._session = session
        self._client: S3Client | None = None

    @classmethod
    def from_profile(cls, profile: str | None) -> S3Objects:
        from vpcpath.sources.live.session import AwsSession

        return cls(AwsSession.from_profile(profile))

    def _s3(self) -> S3Client:
        # S3 answers for a bucket of any region from any regional endpoint (botocore follows
        # the redirect), so one client in the home region serves every bucket.
        if self._client is None:
            client = self._session.client(S3_LIST_CALL.service, self._session.home_region)
            self._client = cast("S3Client", client)
        return self._client

    def list_objects(self, bucket: str, prefix: str) -> list[S3Object]:
        """Every object under ``prefix`` (all pages), in S3's key order."""
        where = f"s3://{bucket}/{prefix}"
        found: list[S3Object] = []
        try:
            paginator = self._s3().get_paginator("list_objects_v2")
            for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
                for obj in page.get("Contents", ()):
                    found.append(
                        S3Object(bucket=bucket, key=str(obj["Key"]), size=int(obj.get("Size", 0)))
                    )
        except ClientError as exc:
            if error_code(exc) in _MISSING_CODES:
                raise FlowLogError(f"{where}: cannot list objects: {exc}") from exc
            raise translate_aws_error(exc, action=S3_LIST_CALL.iam_action, where=where) from exc
        except BotoCoreError as exc:
            raise translate_aws_error(exc, action=S3_LIST_CALL.iam_action, where=where) from exc
        return found

    def download(self, bucket: str, key: str, target: Path) -> None:
        """The object's bytes into ``target``; nothing is left at ``target`` when it fails."""
        where = f"s3://{bucket}/{key}"
        try:
            body = self._s3().get_object(Bucket=bucket, Key=key)["Body"]
            with target.open("wb") as out:
                for chunk in body.iter_chunks(_CHUNK):
                    out.write(chunk)
        except ClientError as exc:
            target.unlink(missing_ok=True)
            if error_code(exc) in _MISSING_CODES:
                raise FlowLogError(f"{where}: no such object (deleted since the listing?)") from exc
            raise translate_aws_error(exc, action=S3_GET_CALL.iam_action, where=where) from exc
        except BotoCoreError as exc:
            target.unlink(missing_ok=True)
            raise translate_aws_error(exc, action=S3_GET_CALL.iam_action, where=where) from exc
        except OSError as exc:
            target.unlink(missing_ok=True)
            raise SourceError(f"{where}: cannot write {target} ({exc.strerror or exc})") from exc
