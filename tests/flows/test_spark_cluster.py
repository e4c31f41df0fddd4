"""``--engine spark`` on a real cluster: a standalone master and one worker on this machine,
so the inputs, the engine's temporary folder and the pair table travel between separate
JVMs (driver, master, worker, executor) as they do on EMR, Dataproc or any cluster, and
the result is the DuckDB engine's JSON document, byte for byte.

Skipped only when Java is missing (CI installs it: ``.ci/run``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.flows.spark_cluster import cluster_env, standalone_cluster
from vpcpath.flows.spark_jar import find_javac
from vpcpath.flows.spark_jvm import PARSER_ENV
from vpcpath.flows.synthetic import Truth

pytestmark = pytest.mark.spark

VPCPATH = [sys.executable, "-m", "vpcpath"]


def flows(folder: Path, env: dict[str, str], *engine: str) -> tuple[int, str, str]:
    done = subprocess.run(
        [*VPCPATH, "flows", "--sample", str(folder), "--json", *engine],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.returncode, done.stdout, done.stderr


def test_standalone_cluster_gives_duckdbs_json(tmp_path: Path, v2_logs: tuple[Path, Truth]) -> None:
    pytest.importorskip("pyspark")
    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        pytest.skip("no Java: the Spark cluster needs Java 17 or later (.ci/run installs it)")
    folder, truth = v2_logs
    env = cluster_env(tmp_path / "cluster")
    # The driver: this machine's loopback, and an executor as small as Spark allows.
    env["PYSPARK_SUBMIT_ARGS"] = (
        "--conf spark.executor.memory=512m --conf spark.driver.host=127.0.0.1"
        " --conf spark.driver.bindAddress=127.0.0.1 pyspark-shell"
    )
    env.pop("SPARK_MASTER", None)
    # The JVM parser's jar travels to the executor (the SQL rules without javac).
    env[PARSER_ENV] = "jvm" if find_javac() is not None else "sql"
    code, duck, err = flows(folder, env)
    assert code == 0, err
    with standalone_cluster(tmp_path / "cluster") as master:
        code, spark, err = flows(folder, env, "--engine", "spark", "--spark-master", master)
        assert code == 0, err
        applications = sorted((tmp_path / "cluster" / "worker").glob("app-*/*/stderr"))
    assert applications, "no executor ran on the worker"
    assert spark == duck
    doc = json.loads(spark)
    assert doc["totals"]["nat_bytes"] == truth.nat_bytes
    assert doc["input"]["records"] == truth.records
