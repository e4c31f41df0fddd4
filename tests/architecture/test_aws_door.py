"""One door to AWS and the network: no client, session or request is made outside it.

Every boto3/botocore client comes from ``sources/live/session.py`` (the guarded factory that
registers the call, refuses undeclared ones, sets retries and translates errors), and every
public download from ``sources/live/public_files.py``. botocore's errors are caught only in
``sources/``, where they become the project's exceptions. The scan reads every module's source
(imports inside functions count too), so a shortcut cannot hide in a lazy import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import vpcpath

PACKAGE = Path(vpcpath.__file__).parent
FACTORY = "sources/live/session.py"
PUBLIC_FILES = "sources/live/public_files.py"

# Modules that open connections or make clients, and where each may be imported.
NETWORK_MODULES: dict[str, frozenset[str]] = {
    "boto3": frozenset(),  # the factory builds on botocore; boto3's shortcuts bypass it
    "botocore.session": frozenset({FACTORY}),
    "urllib.request": frozenset({PUBLIC_FILES}),
    "http.client": frozenset(),
    "socket": frozenset(),
    "urllib3": frozenset(),
    "requests": frozenset(),
    "httpx": frozenset(),
    "aiohttp": frozenset(),
}
# Calls that make a client or a session whatever they were imported as.
CLIENT_CALLS = frozenset({"create_client", "Session", "resource", "urlopen"})


def _relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _imported(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _called(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                names.add(func.attr)
            elif isinstance(func, ast.Name):
                names.add(func.id)
    return names


def door_violations(path: Path, relative: str) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    imported = _imported(tree)
    for name in sorted(imported):
        for module, allowed in NETWORK_MODULES.items():
            if (name == module or name.startswith(module + ".")) and relative not in allowed:
                found.append(f"{relative} imports {name}")
        if name.startswith("botocore") and not relative.startswith("sources/"):
            found.append(f"{relative} imports {name}: botocore's errors are translated in sources/")
    if relative not in (FACTORY, PUBLIC_FILES):
        for call in sorted(_called(tree) & CLIENT_CALLS):
            found.append(f"{relative} calls {call}(): clients come from AwsSession only")
    return found


def test_no_client_or_request_is_made_outside_the_factory() -> None:
    violations = [
        v for path in sorted(PACKAGE.rglob("*.py")) for v in door_violations(path, _relative(path))
    ]
    assert not violations, "\n".join(violations)


def test_the_factory_and_the_downloader_are_where_this_test_says() -> None:
    factory = (PACKAGE / FACTORY).read_text(encoding="utf-8")
    assert "create_client(" in factory and "self._guard.install(client)" in factory
    assert "urlopen(" in (PACKAGE / PUBLIC_FILES).read_text(encoding="utf-8")


def test_this_scan_sees_each_kind_of_shortcut(tmp_path: Path) -> None:
    """The scan must be able to fail: one fabricated module per way around the door."""
    cases = {
        "import boto3\nboto3.client('s3')\n": "imports boto3",
        "def f():\n    from boto3 import client\n": "imports boto3.client",
        "import botocore.session\n": "imports botocore.session",
        "from botocore.exceptions import ClientError\n": "botocore's errors are translated",
        "import urllib.request\n": "imports urllib.request",
        "from urllib import request\n": "imports urllib.request",
        "def f(s):\n    return s.create_client('ec2')\n": "calls create_client()",
        "def f(b):\n    return b.Session()\n": "calls Session()",
    }
    for source, expected in cases.items():
        module = tmp_path / "shortcut.py"
        module.write_text(source, encoding="utf-8")
        found = door_violations(module, "flows/shortcut.py")
        assert any(expected in v for v in found), (source, found)
    clean = tmp_path / "clean.py"
    clean.write_text("from urllib.parse import urlsplit\n", encoding="utf-8")
    assert door_violations(clean, "routing/clean.py") == []
