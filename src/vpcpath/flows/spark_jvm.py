"""The Spark engine's JVM line parser (``jvm/*.java``, built by ``spark_jar``): choosing it,
loading it into the driver, and what it is told of each format.

The parser reads each text file's lines as bytes (split as Spark's text source splits
them), sums the plainly valid lines per flow pair within each task, and hands every other
line on raw; the SQL rules of ``spark_readers`` judge those in a second statement, run
only when there is such a line (``rules_needed``), so malformed reasons, examples and
header lines are the SQL path's own. ``parser``:
``"jvm"`` (required: an error when it cannot be had), ``"sql"`` (the SQL rules alone), or
``"auto"`` (the JVM parser when ``javac`` can build it, else the SQL rules).
"""

from __future__ import annotations

import contextlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vpcpath.errors import FlowLogError
from vpcpath.flows.fields import USED_COLUMNS, is_numeric
from vpcpath.flows.readers import FileFormat
from vpcpath.flows.scan_rules import KEY_NAMES
from vpcpath.flows.spark_jar import ENTRY_CLASS, JarBuild, build_jar

PARSERS = ("auto", "jvm", "sql")
PARSER_ENV = "VPCPATH_SPARK_PARSER"


@dataclass(frozen=True, slots=True, kw_only=True)
class ParserChoice:
    """The parser asked for (``auto``/``jvm``/``sql``), the jar when the JVM one is wanted
    and could be built, and why not otherwise."""

    wanted: str
    jar: Path | None = None
    reason: str = ""


def choose_parser(asked: str | None) -> ParserChoice:
    """``asked`` (``SparkOptions.parser``), else ``$VPCPATH_SPARK_PARSER``, else ``auto``;
    for ``auto``/``jvm``, the jar built (FlowLogError for ``jvm`` without one)."""
    wanted = (asked or os.environ.get(PARSER_ENV) or "auto").strip().lower()
    if wanted not in PARSERS:
        raise FlowLogError(
            f"unknown Spark parser {wanted!r} (${PARSER_ENV}): choose auto, jvm or sql"
        )
    if wanted == "sql":
        return ParserChoice(wanted=wanted, reason="the SQL rules were asked for")
    built = _build()
    if built.jar is None and wanted == "jvm":
        raise FlowLogError(f"the Spark engine's JVM parser cannot be built: {built.reason}")
    return ParserChoice(wanted=wanted, jar=built.jar, reason=built.reason)


def _build() -> JarBuild:
    try:
        import pyspark
    except ImportError:
        return JarBuild(jar=None, reason="no pyspark")
    jars = Path(pyspark.__file__).parent / "jars"
    return build_jar(jars, str(pyspark.__version__))


# The parser loaded in a driver JVM: (the gateway's id, the jar's name, which names its
# sources) -> the ``FlowLines`` object. Loaded once per JVM: py4j remembers a method by its
# class's name, so the same class loaded again (by another class loader) could not be called.
_LOADED: dict[tuple[int, str], Any] = {}


def load_parser(spark: Any, jar: Path) -> Any:
    """The parser object in the driver JVM (``FlowLines``), from ``jar``, which is added to
    the session's jars (``SparkContext.addJar``, unless it is there): the executors fetch it
    from the driver. Not ``spark.jars`` at the session's start: that setting would replace
    the jars the user gives (``--jars``)."""
    context = spark.sparkContext
    listed = context._jsc.sc().listJars()
    if not any(str(listed.apply(i)).endswith("/" + jar.name) for i in range(listed.size())):
        context._jsc.sc().addJar(str(jar))
    key = (id(context._gateway), jar.name)
    if key not in _LOADED:
        _LOADED[key] = _load(context, jar)
    return _LOADED[key]


def _load(context: Any, jar: Path) -> Any:
    jvm, gateway = context._jvm, context._gateway
    urls = gateway.new_array(jvm.java.net.URL, 1)
    urls[0] = jvm.java.io.File(str(jar)).toURI().toURL()
    parent = jvm.java.lang.Thread.currentThread().getContextClassLoader()
    loader = jvm.java.net.URLClassLoader(urls, parent)
    constructor = loader.loadClass(ENTRY_CLASS).getDeclaredConstructor(
        gateway.new_array(jvm.java.lang.Class, 0)
    )
    return constructor.newInstance(gateway.new_array(jvm.java.lang.Object, 0))


# How many pairs a task holds before it emits them and empties its table (None: the
# parser's own limit, about half a million).
TASK_PAIRS: int | None = None


def line_spec(fmt: FileFormat, *, by_origin: bool) -> str:
    """What ``LineSpec.parse`` reads: the field count and positions (-1: absent)."""
    index = {name: i for i, name in enumerate(fmt.fields)}
    fields = {col.name: col.field for col in USED_COLUMNS}

    def at(field: str) -> int:
        return index.get(field, -1)

    numeric = ",".join(str(i) for i, name in enumerate(fmt.fields) if is_numeric(name))
    keys = ",".join(f"{name}:{at(fields[name])}" for name in KEY_NAMES)
    parts = {
        "fields": len(fmt.fields),
        "numeric": numeric,
        "keys": keys,
        "bytes": at("bytes"),
        "action": at("action"),
        "status": at("log-status"),
        "start": at("start"),
        "end": at("end"),
        "origin": int(by_origin),
    }
    if TASK_PAIRS is not None:
        parts["pairs"] = TASK_PAIRS
    return ";".join(f"{name}={value}" for name, value in parts.items())


def handed_on_sql(view: str) -> str:
    """The lines the parser handed on, as ``spark_readers.text_lines`` gives lines."""
    return f"SELECT CAST(raw AS STRING) AS raw, source_file FROM {view} WHERE raw IS NOT NULL"


def parse_lines(
    parser: Any, spark: Any, paths: list[str], spec: str, header: str | None
) -> tuple[Any, Any, threading.Thread]:
    """The parser's rows over the text files ``paths`` as a DataFrame, the cached rows behind
    it (a JavaRDD: ``unpersist`` it once the statement has run), and the thread reading them
    (``start_reading``: started before the DataFrame is made; join it before unpersisting).
    A few files per task (two tasks per core at most), each task summing its files' pairs in
    one table."""
    from pyspark.sql.classic.dataframe import DataFrame

    tasks = 2 * max(int(spark.sparkContext.defaultParallelism), 1)
    rows = parser.scan(spark._jsparkSession, "\n".join(paths), spec, header, tasks)
    reading = start_reading(rows)
    return DataFrame(parser.frame(spark._jsparkSession, rows, spec), spark), rows, reading


def rules_needed(parser: Any, rows: Any, header: str | None, headers: int) -> bool:
    """Whether the SQL rules have anything to judge among the lines the parser handed on
    (``rows``, read): a line other than the header, or more header lines than the files'
    own ``headers`` (the extra ones count as malformed). Otherwise their part of the
    statement gives no row (``spark_readers.pair_table_sql``: the header lines' group, less
    one per file, keeps no record), and leaving it out spares Spark planning it."""
    other, header_lines = (int(n) for n in parser.handedOn(rows, header))
    return other > 0 or header_lines > headers


def start_reading(rows: Any) -> threading.Thread:
    """Start the job that reads the files into the parser's cached rows while this process
    makes and plans the statement over them: planning is one thread of the driver, reading
    runs in the executors, and the statement's tasks then find the rows cached (or wait for
    them). A failure is left to the statement, which meets it in the same file."""

    def read() -> None:
        with contextlib.suppress(Exception):  # Py4JJavaError: the statement reports it
            rows.count()

    thread = threading.Thread(target=read, name="vpcpath-spark-read", daemon=True)
    thread.start()
    return thread
