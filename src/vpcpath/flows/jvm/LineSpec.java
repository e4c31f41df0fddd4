/* What the parser needs to know of one flow-log format (vpcpath.flows.spark_fast.line_spec). */
package vpcpath.flows;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

final class LineSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How many fields a line has. */
    final int fields;
    /** The fields that must hold an integer or '-' (every numeric field, bytes included). */
    final int[] numeric;
    /** The pair key columns' names, and each one's field (-1: the format lacks it). */
    final String[] keyNames;
    final int[] keyFields;
    final int bytes;
    final int action;
    final int status;
    final int start;
    final int end;
    /** Files of several origins: the key also holds the origin number its file's name starts with. */
    final boolean byOrigin;
    /** How many pairs a task holds before it emits them and starts again (about 90 MiB). */
    final int maxPairs;
    /** The header line's bytes, or null (files without a header). */
    final byte[] header;

    private LineSpec(Map<String, String> values, String header) {
        fields = Integer.parseInt(values.get("fields"));
        numeric = ints(values.get("numeric"));
        String[] keys = values.get("keys").split(",");
        keyNames = new String[keys.length];
        keyFields = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            String[] pair = keys[i].split(":");
            keyNames[i] = pair[0];
            keyFields[i] = Integer.parseInt(pair[1]);
        }
        bytes = Integer.parseInt(values.get("bytes"));
        action = Integer.parseInt(values.get("action"));
        status = Integer.parseInt(values.get("status"));
        start = Integer.parseInt(values.get("start"));
        end = Integer.parseInt(values.get("end"));
        byOrigin = "1".equals(values.get("origin"));
        maxPairs = Integer.parseInt(values.getOrDefault("pairs", String.valueOf(1 << 19)));
        this.header = header == null ? null : header.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code fields=14;numeric=0,5,...;keys=account_id:1,vpc_id:-1,...;bytes=9;action=12;
     * status=13;start=10;end=11;origin=0[;pairs=N]}: field positions from 0, -1 when absent.
     */
    static LineSpec parse(String spec, String header) {
        Map<String, String> values = new HashMap<>();
        for (String part : spec.split(";")) {
            int eq = part.indexOf('=');
            values.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return new LineSpec(values, header);
    }

    private static int[] ints(String text) {
        if (text == null || text.isEmpty()) {
            return new int[0];
        }
        String[] parts = text.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Integer.parseInt(parts[i]);
        }
        return out;
    }
}
