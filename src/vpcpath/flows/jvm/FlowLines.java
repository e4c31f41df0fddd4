/*
 * The Spark engine's line parser (vpcpath.flows.engine_spark, parser "jvm"): reads the lines
 * of flow-log text files as Spark's text source reads them (bytes, never Java strings),
 * accepts the lines that are plainly valid, and sums them per flow pair within each task.
 * Every other line is handed on raw, for the SQL rules (vpcpath.flows.spark_readers) to judge.
 * Compiled at run time against the installed pyspark's jars (vpcpath.flows.spark_jar).
 */
package vpcpath.flows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;

public final class FlowLines {
    /** The totals of each pair row, in this order after the key columns. */
    static final String[] TOTALS = {
        "records", "accepted", "nodata", "skipdata", "bytes_high", "bytes_low",
        "first_start", "last_end",
    };

    /**
     * The rows of the text files {@code paths} (one per line, read as Spark's text source reads
     * them: Hadoop's LineRecordReader, the codec chosen by the file's name): one per line handed
     * on (raw and source_file, the file's name, set; the rest null) and one per pair of each
     * task (raw null; source_file the origin number of its files when the spec says so).
     * Cached (read for the pairs, by {@link #handedOn}, and for the SQL rules when needed);
     * {@link #frame} makes them a DataFrame, and the caller unpersists them when done.
     *
     * @param paths the files, one a line
     * @param spec see {@link LineSpec#parse}
     * @param header the header line of the files (a line equal to it is handed on), or null
     * @param tasks how many tasks read the files
     */
    public JavaRDD<Row> scan(SparkSession session, String paths, String spec, String header,
                             int tasks) {
        SparkContext context = session.sparkContext();
        List<String> files = Arrays.asList(paths.split("\n"));
        Broadcast<SerializableConfiguration> conf = SerializableConfiguration.broadcast(context);
        return JavaSparkContext.fromSparkContext(context)
            .parallelize(files, Math.max(1, Math.min(tasks, files.size())))
            .mapPartitions(new PairSums(LineSpec.parse(spec, header), conf))
            .setName("vpcpath flow-log lines")
            .persist(StorageLevel.MEMORY_AND_DISK());
    }

    /**
     * How many of {@link #scan}'s rows are lines handed on: {lines other than the header line,
     * lines equal to it}. Read from the cached rows, so the statement over them can leave the
     * SQL rules out when they have nothing to judge.
     *
     * @param header the header line given to {@link #scan}, or null
     */
    public long[] handedOn(JavaRDD<Row> rows, String header) {
        byte[] wanted = header == null ? null : header.getBytes(StandardCharsets.UTF_8);
        return rows
            .filter(row -> !row.isNullAt(0))
            .map(row -> wanted != null && Arrays.equals((byte[]) row.get(0), wanted)
                ? new long[] {0, 1} : new long[] {1, 0})
            .fold(new long[] {0, 0}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
    }

    /** {@link #scan}'s rows as a DataFrame (its schema needs only the spec's key names). */
    public Dataset<Row> frame(SparkSession session, JavaRDD<Row> rows, String spec) {
        org.apache.spark.sql.classic.SparkSession classic =
            (org.apache.spark.sql.classic.SparkSession) session;
        return classic.createDataFrame(rows, schema(LineSpec.parse(spec, null).keyNames));
    }

    static StructType schema(String[] keyNames) {
        StructField[] fields = new StructField[2 + keyNames.length + TOTALS.length];
        int i = 0;
        fields[i++] = DataTypes.createStructField("raw", DataTypes.BinaryType, true);
        fields[i++] = DataTypes.createStructField("source_file", DataTypes.StringType, true);
        for (String key : keyNames) {
            fields[i++] = DataTypes.createStructField(key, DataTypes.StringType, true);
        }
        for (String total : TOTALS) {
            fields[i++] = DataTypes.createStructField(total, DataTypes.LongType, true);
        }
        return DataTypes.createStructType(fields);
    }
}
