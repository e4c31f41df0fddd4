"""A Spark standalone cluster on 127.0.0.1 for one test: a master and one worker, started
from the pyspark installation (``bin/spark-class``), on free ports, small memory, and
always stopped — process groups killed — when the test ends, passed or failed."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

STARTUP_SECONDS = 120  # a loaded two-core machine starts two JVMs in 5-30 s


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def spark_home() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent


def cluster_env(work: Path) -> dict[str, str]:
    """The environment of the daemons, and of a driver that should use only this machine."""
    return {
        **os.environ,
        "SPARK_HOME": str(spark_home()),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_LOG_DIR": str(work / "logs"),
        "SPARK_WORKER_DIR": str(work / "worker"),
        "SPARK_DAEMON_MEMORY": "256m",
        "SPARK_NO_DAEMONIZE": "1",
    }


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End the process and everything it started (the worker's executors): its group."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=wait)
            return


def _alive_workers(ui_port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{ui_port}/json/", timeout=5) as page:
            state = json.load(page)
    except OSError:
        return 0
    return int(state.get("aliveworkers", 0))


def _log_tail(work: Path) -> str:
    return "\n".join(
        f"--- {log.name}\n" + log.read_text(errors="replace")[-3000:]
        for log in sorted(work.glob("*.out"))
    )


@contextmanager
def standalone_cluster(work: Path) -> Iterator[str]:
    """``spark://127.0.0.1:PORT`` of a running master with one registered worker."""
    work.mkdir(parents=True, exist_ok=True)
    env = cluster_env(work)
    spark_class = str(spark_home() / "bin" / "spark-class")
    port, ui_port = free_port(), free_port()
    master_url = f"spark://127.0.0.1:{port}"
    processes: list[subprocess.Popen[bytes]] = []
    try:
        master = [spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1"]
        master += ["--port", str(port), "--webui-port", str(ui_port)]
        processes.append(_start(master, env, work / "master.out"))
        worker = [spark_class, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1"]
        worker += ["--port", str(free_port()), "--webui-port", str(free_port())]
        worker += ["--cores", "1", "--memory", "512m", master_url]
        processes.append(_start(worker, env, work / "worker.out"))
        deadline = time.monotonic() + STARTUP_SECONDS
        while _alive_workers(ui_port) < 1:
            exited = [p.args for p in processes if p.poll() is not None]
            if exited or time.monotonic() > deadline:
                raise RuntimeError(f"no Spark worker registered ({exited}):\n{_log_tail(work)}")
            time.sleep(0.5)
        yield master_url
    finally:
        for process in reversed(processes):
            _stop(process)
