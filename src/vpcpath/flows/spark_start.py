"""Starting the Spark engine's session: the options a user can give (``SparkOptions``) and
the settings the engine chooses (see docs/spark.md).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from typing import Any

from vpcpath.errors import FlowLogError

# The driver JVM's options in local mode (unless the user gives Java options).
LOCAL_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:-DontCompileHugeMethods"


@dataclass(frozen=True, slots=True, kw_only=True)
class SparkOptions:
    master: str | None = None  # None: $SPARK_MASTER, else local[*]
    shuffle_partitions: int | None = None  # None: 2 per local core, Spark's default on a cluster
    parser: str | None = None  # auto, jvm or sql (spark_jvm); None: $VPCPATH_SPARK_PARSER


def spark_session(options: SparkOptions) -> tuple[Any, bool]:
    """The SparkSession to use and whether this call started it (and so must stop it)."""
    require_pyspark()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active, False
    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        raise FlowLogError(
            "--engine spark needs Java 17 or later: set JAVA_HOME or put java on PATH"
        )
    master = options.master or os.environ.get("SPARK_MASTER") or "local[*]"
    builder = (
        SparkSession.builder.master(master)
        .appName("vpcpath flows")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")  # the CLI draws its own progress
    )
    partitions = options.shuffle_partitions
    if partitions is None and master.startswith("local"):
        partitions = 2 * (os.cpu_count() or 1)
    if partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(partitions))
    if master.startswith("local") and not _java_options_given():
        # One JVM does everything and runs once: HotSpot's optimising compiler (C2) would
        # spend the first seconds competing with the scan for the cores; the quick
        # compiler alone starts the run about twice as fast (benchmarks/README.md). The
        # scan's generated code is one method longer than HotSpot compiles by default
        # (8,000 bytecodes): interpreted, each record costs a quarter more. A cluster's
        # long-lived executors keep both compilers (see docs/spark.md for the second).
        builder = builder.config("spark.driver.extraJavaOptions", LOCAL_JAVA_OPTIONS)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # pyspark raises its own types, or RuntimeError from py4j
        raise FlowLogError(f"cannot start Spark ({master}): {exc}") from exc
    session.sparkContext.setLogLevel("ERROR")
    return session, True


def require_pyspark() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise FlowLogError(
            "--engine spark needs pyspark: pip install 'vpcpath[spark]' (or use --engine duckdb)"
        ) from exc


def _java_options_given() -> bool:
    submit = os.environ.get("PYSPARK_SUBMIT_ARGS", "")
    return "extraJavaOptions" in submit or "--driver-java-options" in submit
