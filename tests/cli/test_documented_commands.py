"""Every command that README.md and `make demo` print runs as printed, and exits as documented.

The commands run through bash in a scratch folder laid out like a checkout after `make demo`
(``.venv`` → this environment, ``~`` → a scratch home), with the venv's ``bin`` on PATH, as
README's "Quick start" says to set up.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

# Exit codes README documents for its examples (all others: 0, "answered").
EXPECTED_EXIT: dict[str, int] = {}
# Steps of README's examples that need the reader's own tools and files, and what stands in for
# them here (a plan of the test suite's own Terraform fixture instead of the reader's tfplan).
STAND_INS = {
    "terraform show -json tfplan > plan.json": (
        f"cp {REPO / 'tests' / 'terraform' / 'fixtures' / 'flat-plan.json'} plan.json"
    ),
}


def readme_commands() -> list[str]:
    """The ``$ …`` lines of README.md's code blocks (a trailing `` \\`` continues a line)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    commands: list[str] = []
    for block in re.findall(r"^```[a-z]*\n(.*?)^```", text, re.S | re.M):
        commands += [c for c in joined_lines(block) if c.startswith("$ ")]
    return [c[2:] for c in commands]


def joined_lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in re.sub(r" \\\n\s*", " ", text).splitlines()]


def demo_next_commands(demo_output: str) -> list[str]:
    _, found, rest = demo_output.partition("\nNext:\n")
    assert found, "make demo printed no Next: section"
    return [line for line in joined_lines(rest) if line]


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A folder like the checkout after `make demo`, and the environment of an activated venv."""
    folder = tmp_path_factory.mktemp("checkout")
    (folder / ".venv").symlink_to(sys.prefix)
    home = folder / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_CACHE_HOME", "COLUMNS")}
    env |= {"HOME": str(home), "PATH": f"{Path(sys.prefix) / 'bin'}:{env.get('PATH', '')}"}
    return folder, env


def run(
    command: str, checkout: tuple[Path, dict[str, str]], *, activated: bool = True
) -> subprocess.CompletedProcess[str]:
    folder, env = checkout
    if not activated:  # as after `make demo` in a fresh shell: the venv's bin not on PATH
        path = [p for p in env["PATH"].split(":") if Path(p) != Path(sys.prefix) / "bin"]
        env = env | {"PATH": ":".join(path)}
    return subprocess.run(
        ["bash", "-c", command],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def demo_output(checkout: tuple[Path, dict[str, str]]) -> str:
    done = run(".venv/bin/vpcpath demo", checkout, activated=False)  # what `make demo` runs
    assert done.returncode == 0, done.stderr
    return done.stdout


def as_run_here(command: str) -> str:
    """The README command with each step that needs the reader's own tools stood in for."""
    steps = command.split(" && ")
    for step in steps[:-1]:
        assert step in STAND_INS, f"README step with no stand-in in this test: {step!r}"
    return " && ".join([*(STAND_INS[s] for s in steps[:-1]), steps[-1]])


def test_readme_prints_commands_to_try() -> None:
    commands = readme_commands()
    assert len(commands) >= 4
    assert all(c.split(" && ")[-1].startswith("vpcpath ") for c in commands), commands


def test_demo_next_commands_run_as_printed(
    demo_output: str, checkout: tuple[Path, dict[str, str]]
) -> None:
    commands = demo_next_commands(demo_output)
    assert {"explain", "audit", "flows"} <= {c.split()[1] for c in commands}
    assert all(c.startswith(".venv/bin/vpcpath ") for c in commands), commands
    for command in commands:
        done = run(command, checkout, activated=False)
        assert done.returncode == 0, (command, done.stderr)
    html = (checkout[0] / "audit.html").read_text(encoding="utf-8")
    assert html.lower().startswith("<!doctype html>")


@pytest.mark.parametrize("command", readme_commands())
def test_readme_command_runs_as_printed(
    command: str, demo_output: str, checkout: tuple[Path, dict[str, str]]
) -> None:
    # demo_output: README's examples read the flow logs `make demo` generated.
    done = run(as_run_here(command), checkout)
    assert done.returncode == EXPECTED_EXIT.get(command, 0), (command, done.stderr)
    assert done.stdout.strip(), command


@pytest.mark.parametrize("doc", ["README.md", "CONTRIBUTING.md", "docs/architecture.md"])
def test_docs_link_only_files_a_clone_has(doc: str) -> None:
    text = (REPO / doc).read_text(encoding="utf-8")
    links = [t for t in re.findall(r"\]\(([^)\s]+)\)", text) if "://" not in t]
    assert links, doc
    for target in links:
        path = (REPO / doc).parent / target.split("#")[0]
        assert path.resolve().is_relative_to(REPO) and path.exists(), (doc, target)
    assert "../shared" not in text
