package io.thanosj.cli.tools;

import io.thanosj.model.ThanosException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The rows of {@code tools bucket inspect} and their three renderings: the ASCII table Thanos draws
 * with tablewriter (left and right borders, header centred, cells left-aligned), CSV and TSV.
 * Each row keeps a typed sort key per column, so sorting does not re-parse printed text.
 */
final class BlockTable {
    static final List<String> COLUMNS = List.of("ULID", "FROM", "UNTIL", "RANGE", "UNTIL-DOWN", "#SERIES", "#SAMPLES",
            "#CHUNKS", "COMP-LEVEL", "COMP-FAILED", "LABELS", "RESOLUTION", "SOURCE");

    /** One printed row and, per column, the value it sorts by (Long or String). */
    record Row(String[] cells, Comparable<?>[] keys) {
    }

    private final List<Row> rows = new ArrayList<>();

    void add(Row r) {
        rows.add(r);
    }

    List<Row> rows() {
        return rows;
    }

    /** Sorts by the named columns in turn, then by ULID, as Thanos's Table.Less does. */
    void sort(List<String> sortBy) {
        List<Integer> idx = new ArrayList<>();
        for (String c : sortBy) {
            int i = COLUMNS.indexOf(c);
            if (i < 0) {
                throw ThanosException.badData("flag --sort-by: column " + c + " not found; columns are " + String.join(", ", COLUMNS));
            }
            idx.add(i);
        }
        idx.add(0);
        Comparator<Row> cmp = (a, b) -> 0;
        for (int i : idx) {
            cmp = cmp.thenComparing((a, b) -> compareKeys(a.keys()[i], b.keys()[i]));
        }
        rows.sort(cmp);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareKeys(Comparable a, Comparable b) {
        return a.compareTo(b);
    }

    void printTable(PrintWriter out) {
        int[] width = new int[COLUMNS.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = displayWidth(COLUMNS.get(i));
        }
        for (Row r : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], displayWidth(r.cells()[i]));
            }
        }
        StringBuilder b = new StringBuilder("|");
        for (int i = 0; i < width.length; i++) {
            String h = COLUMNS.get(i);
            int gap = width[i] - displayWidth(h);
            // tablewriter centres headers with the smaller half of the gap on the left.
            b.append(' ').append(" ".repeat(gap / 2)).append(h).append(" ".repeat(gap - gap / 2)).append(" |");
        }
        out.println(b);
        b.setLength(0);
        b.append('|');
        for (int w : width) {
            b.append("-".repeat(w + 2)).append('|');
        }
        out.println(b);
        for (Row r : rows) {
            b.setLength(0);
            b.append('|');
            for (int i = 0; i < width.length; i++) {
                String c = r.cells()[i];
                b.append(' ').append(c).append(" ".repeat(width[i] - displayWidth(c))).append(" |");
            }
            out.println(b);
        }
    }

    void printSeparated(PrintWriter out, char sep) {
        out.print(csvLine(COLUMNS.toArray(new String[0]), sep));
        for (Row r : rows) {
            out.print(csvLine(r.cells(), sep));
        }
    }

    /** Go's encoding/csv: quote fields holding the separator, a quote, CR or LF, or a leading space. */
    private static String csvLine(String[] cells, char sep) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                b.append(sep);
            }
            String c = cells[i];
            boolean quote = !c.isEmpty() && (c.indexOf(sep) >= 0 || c.indexOf('"') >= 0 || c.indexOf('\r') >= 0
                    || c.indexOf('\n') >= 0 || c.charAt(0) == ' ' || c.charAt(0) == '\t');
            if (quote) {
                b.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                b.append(c);
            }
        }
        return b.append('\n').toString();
    }

    /** Code points, which equals the display width for the ASCII and Latin text of block metadata. */
    private static int displayWidth(String s) {
        return s.codePointCount(0, s.length());
    }

}
