package io.thanosj.prometheus;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.ThanosException;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.store.SeriesSet;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The label sets of a {@code /api/v1/series} response, parsed one at a time from the stream
 * (for {@code skip_chunks} requests), without chunks.
 */
final class SeriesApiSeriesSet implements SeriesSet {
    private final InputStream body;
    private final String source;
    private final LabelsBuilder scratch = new LabelsBuilder();
    private JsonParser parser;
    private boolean done;
    private Labels labels;

    SeriesApiSeriesSet(InputStream body, String source) {
        this.body = body;
        this.source = source;
    }

    @Override
    public boolean next() {
        if (done) {
            return false;
        }
        try {
            if (parser == null) {
                parser = PromClient.JSON.createParser(body);
                JsonToken t = PromClient.seekData(parser);
                if (t != JsonToken.START_ARRAY) {
                    done = true;
                    close();
                    if (t == null || t == JsonToken.VALUE_NULL) {
                        return false;
                    }
                    throw new ThanosException(ErrorCode.INTERNAL, "read series from " + source + ": data is not an array");
                }
            }
            JsonToken t = parser.nextToken();
            if (t != JsonToken.START_OBJECT) {
                done = true;
                close();
                return false;
            }
            scratch.reset();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                scratch.set(name, parser.getText());
            }
            labels = scratch.build();
            return true;
        } catch (IOException e) {
            done = true;
            close();
            throw PromClient.bad(java.net.URI.create(source), "read series from", e);
        }
    }

    @Override
    public Labels labels() {
        return labels;
    }

    @Override
    public List<AggrChunk> chunks() {
        return List.of();
    }

    @Override
    public List<String> warnings() {
        return List.of();
    }

    @Override
    public void close() {
        done = true;
        try {
            if (parser != null) {
                parser.close();
            }
            body.close();
        } catch (IOException ignored) {
            // Aborting the exchange is all closing does.
        }
    }
}
