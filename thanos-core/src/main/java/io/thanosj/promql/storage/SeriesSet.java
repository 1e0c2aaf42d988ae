package io.thanosj.promql.storage;

import io.thanosj.model.Labels;
import io.thanosj.model.SampleIterator;
import java.util.List;

/**
 * A forward-only cursor over series: {@code while (set.next()) { set.labels(); set.iterator(); }}.
 * The iterator is valid until the next call to {@link #next()}. Close releases resources such as a
 * gRPC stream; closing twice is harmless.
 */
public interface SeriesSet extends AutoCloseable {

    boolean next();

    Labels labels();

    SampleIterator iterator();

    /** Non-fatal problems met while selecting (e.g. a store that did not answer under partial response). */
    default List<String> warnings() {
        return List.of();
    }

    @Override
    default void close() {}

    SeriesSet EMPTY = new SeriesSet() {
        @Override
        public boolean next() {
            return false;
        }

        @Override
        public Labels labels() {
            throw new IllegalStateException("empty series set");
        }

        @Override
        public SampleIterator iterator() {
            return SampleIterator.EMPTY;
        }
    };
}
