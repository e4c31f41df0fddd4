"""The Spark engine's line parser as a jar: built from the Java sources shipped beside this
module (``jvm/*.java``) when the engine starts, with the JDK's ``javac`` against the jars of
the installed pyspark, and kept in the user's cache folder.

The jar's name holds the SHA-256 of the sources and the Spark version, so a jar built from
other sources, or against another Spark, is never used; it is written to a temporary file
and renamed into place, so processes building it at once each see a whole jar or none.
Without ``javac`` (a JRE only) or when the build fails, there is no jar, and the reason why.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

SOURCES = Path(__file__).parent / "jvm"
ENTRY_CLASS = "vpcpath.flows.FlowLines"
_BUILD_SECONDS = 300


@dataclass(frozen=True, slots=True, kw_only=True)
class JarBuild:
    """The jar (None when none could be had) and, without one, why."""

    jar: Path | None
    reason: str = ""


def find_javac() -> Path | None:
    """``$JAVA_HOME/bin/javac``, else ``javac`` on PATH."""
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = Path(home) / "bin" / "javac"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("javac")
    return Path(found) if found else None


def cache_folder() -> Path:
    """``$XDG_CACHE_HOME/vpcpath``, else ``~/.cache/vpcpath``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vpcpath"


def source_files(sources: Path = SOURCES) -> list[Path]:
    return sorted(sources.glob("*.java"))


def cache_key(spark_version: str, sources: Path = SOURCES) -> str:
    """The SHA-256 of the sources (names and bytes) and the Spark version."""
    digest = hashlib.sha256()
    for path in source_files(sources):
        for part in (path.name.encode(), path.read_bytes()):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
    digest.update(spark_version.encode())
    return digest.hexdigest()


def jar_path(spark_version: str, sources: Path = SOURCES) -> Path:
    return cache_folder() / f"flowlines-{cache_key(spark_version, sources)}.jar"


def build_jar(spark_jars: Path, spark_version: str, sources: Path = SOURCES) -> JarBuild:
    """The cached jar for ``spark_version`` (whose jars are in ``spark_jars``), built when
    missing."""
    target = jar_path(spark_version, sources)
    if target.is_file():
        return JarBuild(jar=target)
    javac = find_javac()
    if javac is None:
        return JarBuild(jar=None, reason="no javac (a JDK) on PATH or in $JAVA_HOME/bin")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".build-") as work:
            classes = Path(work) / "classes"
            command = [
                str(javac),
                "--release",
                "17",
                "-nowarn",
                "-encoding",
                "UTF-8",
                "-cp",
                str(spark_jars / "*"),
                "-d",
                str(classes),
                *(str(p) for p in source_files(sources)),
            ]
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=_BUILD_SECONDS, check=False
            )
            if done.returncode != 0:
                lines = (done.stderr or done.stdout).strip().splitlines()
                return JarBuild(jar=None, reason=f"javac failed: {' '.join(lines[:3])[:300]}")
            packed = Path(work) / "flowlines.jar"
            _pack(classes, packed)
            packed.replace(target)
    except (OSError, subprocess.SubprocessError) as exc:
        return JarBuild(jar=None, reason=f"cannot build the parser's jar: {exc}")
    return JarBuild(jar=target)


def _pack(classes: Path, jar: Path) -> None:
    """A jar of the compiled classes (a zip with a manifest first), the same bytes each time."""
    with zipfile.ZipFile(jar, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr(_entry("META-INF/MANIFEST.MF"), "Manifest-Version: 1.0\r\n\r\n")
        for path in sorted(classes.rglob("*.class")):
            out.writestr(_entry(path.relative_to(classes).as_posix()), path.read_bytes())


def _entry(name: str) -> zipfile.ZipInfo:
    return zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
