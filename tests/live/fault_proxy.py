"""A loopback HTTP proxy in front of the moto server that injects AWS faults.

Requests are identified as AWS would: the service and region from the SigV4 credential scope of
the ``Authorization`` header, the operation from the ``Action=`` form field (EC2 and STS, query
protocols) or the ``X-Amz-Target`` header (Organizations, JSON protocol). A rule that matches
answers with a real-shaped error — throttling, a 5xx, or a denial — in that service's protocol;
everything else is forwarded to moto unchanged. Decisions use a seeded random generator, so a
run is repeatable.
"""

from __future__ import annotations

import http.client
import json
import random
import re
import threading
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

_SCOPE_RE = re.compile(r"Credential=[^/]+/\d{8}/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request")
_HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "server", "date"}


class Fault(StrEnum):
    THROTTLE = "throttle"
    SERVER_ERROR = "server-error"
    DENIED = "denied"
    # What EC2 answers a permitted request sent with DryRun=true (moto carries such requests
    # out for CreateVpcEndpoint instead); EC2 only.
    DRY_RUN = "dry-run"


@dataclass(frozen=True, slots=True, kw_only=True)
class FaultRule:
    fault: Fault
    operation: str | None = None  # API name; None: any
    service: str | None = None  # ec2, sts, organizations; None: any
    region: str | None = None
    body_contains: str | None = None  # e.g. an account id inside AssumeRole's RoleArn
    probability: float = 1.0
    times: int | None = None  # inject at most this many times (None: no limit)

    def matches(self, request: AwsRequest) -> bool:
        return (
            (self.operation is None or self.operation == request.operation)
            and (self.service is None or self.service == request.service)
            and (self.region is None or self.region == request.region)
            and (self.body_contains is None or self.body_contains in request.body)
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class AwsRequest:
    service: str
    region: str
    operation: str
    body: str


# (HTTP status, error code, message) per protocol and fault, as the services answer them.
# EC2: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
_EC2 = {
    Fault.THROTTLE: (503, "RequestLimitExceeded", "Request limit exceeded."),
    Fault.SERVER_ERROR: (500, "InternalError", "An internal error has occurred."),
    Fault.DENIED: (
        403,
        "UnauthorizedOperation",
        "You are not authorized to perform this operation.",
    ),
    Fault.DRY_RUN: (
        412,
        "DryRunOperation",
        "Request would have succeeded, but DryRun flag is set.",
    ),
}
_QUERY = {
    Fault.THROTTLE: (400, "Throttling", "Rate exceeded"),
    Fault.SERVER_ERROR: (500, "InternalFailure", "An internal error occurred."),
    Fault.DENIED: (403, "AccessDenied", "User is not authorized to perform: sts:AssumeRole"),
}
_JSON = {
    Fault.THROTTLE: (400, "TooManyRequestsException", "Rate exceeded."),
    Fault.SERVER_ERROR: (500, "ServiceException", "AWS Organizations can't complete the request."),
    Fault.DENIED: (400, "AccessDeniedException", "You don't have permissions to access this."),
}


def error_response(service: str, fault: Fault) -> tuple[int, str, bytes]:
    """(status, content type, body) of ``fault`` in ``service``'s wire protocol."""
    if service == "ec2":
        status, code, message = _EC2[fault]
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
            f"<Code>{code}</Code><Message>{message}</Message></Error></Errors>"
            "<RequestID>fault-proxy</RequestID></Response>"
        )
        return status, "text/xml", body.encode()
    if service == "organizations":
        status, code, message = _JSON[fault]
        doc = {"__type": code, "Message": message}
        return status, "application/x-amz-json-1.1", json.dumps(doc).encode()
    status, code, message = _QUERY[fault]
    body = (
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>'
        f"<Type>{'Sender' if status < 500 else 'Receiver'}</Type><Code>{code}</Code>"
        f"<Message>{message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>"
    )
    return status, "text/xml", body.encode()


def identify(headers: dict[str, str], body: bytes) -> AwsRequest:
    scope = _SCOPE_RE.search(headers.get("authorization", ""))
    region, service = (scope.group(1), scope.group(2)) if scope else ("", "")
    text = body.decode("utf-8", errors="replace")
    target = headers.get("x-amz-target", "")  # JSON protocol: "<Service>_<version>.<Operation>"
    operation = target.rsplit(".", 1)[-1] if target else parse_qs(text).get("Action", [""])[0]
    return AwsRequest(service=service, region=region, operation=operation, body=text)


class FaultProxy:
    def __init__(self, upstream: str, *, seed: int = 20240601) -> None:
        split = urlsplit(upstream)
        self._upstream = (split.hostname or "127.0.0.1", split.port or 80)
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self.rules: list[FaultRule] = []
        self.received: Counter[str] = Counter()  # operation → requests received
        self.injected: Counter[tuple[str, Fault]] = Counter()  # (operation, fault) → count
        self._fired: Counter[int] = Counter()  # rule index → injections
        # operation → (content type, body): answered here instead of by moto, for answers moto
        # cannot give (e.g. an account whose regions differ from moto's fixed list).
        self.answers: dict[str, tuple[str, bytes]] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def requests(self) -> int:
        with self._lock:
            return sum(self.received.values())

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def decide(self, request: AwsRequest) -> Fault | None:
        with self._lock:
            self.received[request.operation] += 1
            for index, rule in enumerate(self.rules):
                if not rule.matches(request) or self._random.random() >= rule.probability:
                    continue
                if rule.times is not None and self._fired[index] >= rule.times:
                    continue
                self._fired[index] += 1
                self.injected[(request.operation, rule.fault)] += 1
                return rule.fault
        return None

    def forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        conn = http.client.HTTPConnection(*self._upstream, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            conn.close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self._handle()

            def do_GET(self) -> None:
                self._handle()

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                request = identify(headers, body)
                fault = proxy.decide(request)
                if fault is None and request.operation in proxy.answers:
                    content_type, payload = proxy.answers[request.operation]
                    self._reply(200, [("Content-Type", content_type)], payload)
                    return
                if fault is not None:
                    status, content_type, payload = error_response(request.service, fault)
                    self._reply(status, [("Content-Type", content_type)], payload)
                    return
                status, upstream_headers, payload = proxy.forward(
                    self.command, self.path, dict(self.headers.items()), body
                )
                kept = [(k, v) for k, v in upstream_headers if k.lower() not in _HOP_HEADERS]
                self._reply(status, kept, payload)

            def _reply(self, status: int, headers: list[tuple[str, str]], payload: bytes) -> None:
                self.send_response(status)
                for key, value in headers:
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: object) -> None:
                return  # quiet: pytest shows failures, not every request

        return Handler
