/*
 * One task of the parser: each line of its files is either plainly valid (summed into its
 * pair) or handed on raw; the task's pairs follow its last line.
 */
package vpcpath.flows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.LineRecordReader;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.SerializableConfiguration;

final class PairSums implements FlatMapFunction<Iterator<String>, Row> {
    private static final long serialVersionUID = 1L;
    private final LineSpec spec;
    private final Broadcast<SerializableConfiguration> conf;

    PairSums(LineSpec spec, Broadcast<SerializableConfiguration> conf) {
        this.spec = spec;
        this.conf = conf;
    }

    @Override
    public Iterator<Row> call(Iterator<String> paths) {
        return new Task(spec, paths, conf.value().value());
    }

    /**
     * The rows of one task: lines handed on as they come, then the pairs (sooner, and the
     * table emptied, whenever it holds the spec's maxPairs: Spark adds the partial sums up).
     */
    static final class Task implements Iterator<Row> {
        private static final long DASH = Long.MIN_VALUE;
        private static final byte[] ACCEPT = ascii("ACCEPT");
        private static final byte[] NODATA = ascii("NODATA");
        private static final byte[] SKIPDATA = ascii("SKIPDATA");

        private final LineSpec spec;
        private final Iterator<String> paths;
        private final Configuration conf;
        private final PairTable pairs = new PairTable();
        private final int[] starts;
        private final int[] ends;
        private final long[] numbers;
        private byte[] line;
        private byte[] key = new byte[512];
        private LineRecordReader reader;
        private String path;
        private String file;
        private byte[] origin;
        private Row pending;
        private boolean drained;
        private int flushing; // pairs to emit before reading on
        private int emitted;

        Task(LineSpec spec, Iterator<String> paths, Configuration conf) {
            this.spec = spec;
            this.paths = paths;
            this.conf = conf;
            starts = new int[spec.fields];
            ends = new int[spec.fields];
            numbers = new long[spec.fields];
        }

        @Override
        public boolean hasNext() {
            if (pending != null || emitted < flushing) {
                return true;
            }
            if (flushing > 0) {
                pairs.clear();
                flushing = 0;
                emitted = 0;
            }
            try {
                while (!drained) {
                    if (reader == null) {
                        if (!paths.hasNext()) {
                            drained = true;
                            break;
                        }
                        open(paths.next());
                    } else if (reader.nextKeyValue()) {
                        Text text = reader.getCurrentValue();
                        pending = take(text.getBytes(), text.getLength());
                        if (pending != null) {
                            return true;
                        }
                        if (pairs.size() >= spec.maxPairs) {
                            flushing = pairs.size();
                            return true;
                        }
                    } else {
                        reader.close();
                        reader = null;
                    }
                }
            } catch (IOException e) {
                close();
                throw new UncheckedIOException("cannot read " + path + ": " + e, e);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
            flushing = pairs.size();
            return emitted < flushing;
        }

        /** The file's lines as Spark's text source reads them (HadoopFileLinesReader). */
        private void open(String next) throws IOException {
            path = next;
            Path hadoopPath = new Path(next);
            file = hadoopPath.getName();
            int dash = file.indexOf('-');
            origin = ascii(dash < 0 ? file : file.substring(0, dash));
            long length = hadoopPath.getFileSystem(conf).getFileStatus(hadoopPath).getLen();
            FileSplit split = new FileSplit(hadoopPath, 0, length, new String[0]);
            TaskAttemptID attempt = new TaskAttemptID(new TaskID(new JobID(), TaskType.MAP, 0), 0);
            reader = new LineRecordReader();
            reader.initialize(split, new TaskAttemptContextImpl(conf, attempt));
        }

        private void close() {
            if (reader != null) {
                try {
                    reader.close();
                } catch (IOException ignored) {
                    // the read already failed; that error is the one reported
                }
                reader = null;
            }
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            if (pending != null) {
                Row out = pending;
                pending = null;
                return out;
            }
            return pairRow(emitted++);
        }

        /** Sums the line into its pair and returns null, or returns the line handed on. */
        private Row take(byte[] bytes, int length) {
            if (length == 0) {
                return null; // empty lines are no records (the SQL rules skip them too)
            }
            line = bytes;
            if (!plainlyValid(length)) {
                return handedOn(java.util.Arrays.copyOf(bytes, length), file);
            }
            add(length);
            return null;
        }

        /**
         * The right number of fields, none empty, ASCII without control characters, every
         * numeric field '-' or the plain spelling of a number below 10^18, not the header.
         */
        private boolean plainlyValid(int length) {
            int last = spec.fields - 1;
            int field = 0;
            starts[0] = 0;
            for (int i = 0; i < length; i++) {
                byte b = line[i];
                if (b == ' ') {
                    if (field == last) {
                        return false;
                    }
                    ends[field++] = i;
                    starts[field] = i + 1;
                } else if (b < 0x20) { // a control character, or any byte of a non-ASCII one
                    return false;
                }
            }
            ends[field] = length;
            if (field != last) {
                return false;
            }
            for (int f = 0; f <= last; f++) {
                if (ends[f] == starts[f]) {
                    return false;
                }
            }
            for (int f : spec.numeric) {
                long number = number(starts[f], ends[f]);
                if (number == -1) {
                    return false;
                }
                numbers[f] = number;
            }
            byte[] header = spec.header;
            return header == null || length != header.length
                || !java.util.Arrays.equals(line, 0, length, header, 0, length);
        }

        /** The field's number, DASH for '-', or -1 when it is not plainly one. */
        private long number(int from, int to) {
            int width = to - from;
            if (width == 1 && line[from] == '-') {
                return DASH;
            }
            if (width > 18 || (width > 1 && line[from] == '0')) {
                return -1;
            }
            long value = 0;
            for (int i = from; i < to; i++) {
                int digit = line[i] - '0';
                if (digit < 0 || digit > 9) {
                    return -1;
                }
                value = value * 10 + digit;
            }
            return value;
        }

        private void add(int length) {
            if (key.length < length + origin.length + spec.keyFields.length + 1) {
                key = new byte[2 * (length + origin.length + spec.keyFields.length + 1)];
            }
            int size = 0;
            if (spec.byOrigin) {
                System.arraycopy(origin, 0, key, 0, origin.length);
                size = origin.length;
                key[size++] = ' ';
            }
            for (int f : spec.keyFields) {
                if (f >= 0) {
                    int width = ends[f] - starts[f];
                    System.arraycopy(line, starts[f], key, size, width);
                    size += width;
                    key[size++] = ' ';
                }
            }
            int pair = pairs.find(key, size);
            boolean nodata = spec.status >= 0 && is(spec.status, NODATA);
            boolean skipdata = spec.status >= 0 && is(spec.status, SKIPDATA);
            boolean accepted = spec.action >= 0 && is(spec.action, ACCEPT) && !nodata && !skipdata;
            long bytes = spec.bytes >= 0 ? numbers[spec.bytes] : DASH;
            long start = spec.start >= 0 ? numbers[spec.start] : DASH;
            long end = spec.end >= 0 ? numbers[spec.end] : DASH;
            pairs.add(pair, accepted, nodata, skipdata, bytes, start, end);
        }

        private boolean is(int field, byte[] text) {
            int from = starts[field];
            return ends[field] - from == text.length
                && java.util.Arrays.equals(line, from, ends[field], text, 0, text.length);
        }

        private Row handedOn(byte[] raw, String name) {
            Object[] values = new Object[2 + spec.keyNames.length + FlowLines.TOTALS.length];
            values[0] = raw;
            values[1] = name;
            return RowFactory.create(values);
        }

        private Row pairRow(int pair) {
            Object[] values = new Object[2 + spec.keyNames.length + FlowLines.TOTALS.length];
            byte[] arena = pairs.arena();
            int at = pairs.keyStart(pair);
            if (spec.byOrigin) {
                int space = indexOf(arena, at, ' ');
                values[1] = new String(arena, at, space - at, java.nio.charset.StandardCharsets.US_ASCII);
                at = space + 1;
            }
            for (int k = 0; k < spec.keyFields.length; k++) {
                if (spec.keyFields[k] >= 0) {
                    int space = indexOf(arena, at, ' ');
                    boolean dash = space - at == 1 && arena[at] == '-';
                    values[2 + k] = dash ? null
                        : new String(arena, at, space - at, java.nio.charset.StandardCharsets.US_ASCII);
                    at = space + 1;
                }
            }
            pairs.totals(pair, values, 2 + spec.keyNames.length);
            return RowFactory.create(values);
        }

        private static int indexOf(byte[] bytes, int from, char c) {
            int i = from;
            while (bytes[i] != c) {
                i++;
            }
            return i;
        }

        private static byte[] ascii(String text) {
            return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }
}
