"""The one place vpcpath downloads a public file over HTTPS (no AWS credentials involved).

Today that is AWS's ``ip-ranges.json`` (AWS General Reference, "AWS IP address ranges",
https://ip-ranges.amazonaws.com/ip-ranges.json). Like the AWS clients of ``session.py``, the
download is made here and nowhere else (a test scans the source tree for ``urllib``), and its
failures — DNS, refused connections, timeouts, HTTP errors — leave as
:class:`~vpcpath.errors.NetworkError` with one line that names the address.
"""

from __future__ import annotations

import urllib.error
import urllib.request

from vpcpath import __version__
from vpcpath.errors import NetworkError

DEFAULT_TIMEOUT = 10.0  # seconds without an answer before giving up


def download_public_file(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The body of ``url`` (``https://`` or ``http://``); NetworkError when it cannot be had."""
    if not url.startswith(("https://", "http://")):
        raise NetworkError(f"{url}: only http(s) addresses are downloaded")
    request = urllib.request.Request(url, headers={"User-Agent": f"vpcpath/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body: bytes = response.read()
    except urllib.error.HTTPError as exc:
        raise NetworkError(f"{url}: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise NetworkError(f"{url}: cannot connect ({exc.reason})") from exc
    except (OSError, TimeoutError) as exc:
        raise NetworkError(f"{url}: {exc}") from exc
    return body
