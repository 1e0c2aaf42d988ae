package io.thanosj.shipper;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code thanos.shipper.json}: the ULIDs of blocks already uploaded, in Thanos's format
 * ({@code {"version": 1, "uploaded": [...]}}, tab-indented like Go's encoder), so that Thanos and
 * we can take over each other's data directory.
 */
final class ShipperMeta {
    static final String DEFAULT_FILENAME = "thanos.shipper.json";
    static final int VERSION_1 = 1;
    private static final JsonFactory JSON = new JsonFactory();

    private ShipperMeta() {}

    /** The uploaded ULIDs; throws NOT_FOUND when the file does not exist, BAD_DATA when unreadable. */
    static List<String> read(Path file) {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ThanosException(ErrorCode.NOT_FOUND, "read " + file + ": file does not exist");
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "read " + file + ": " + e, e);
        }
        int version = -1;
        List<String> uploaded = new ArrayList<>();
        try (JsonParser p = JSON.createParser(b)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken t = p.nextToken();
                if (f.equals("version")) {
                    version = p.getIntValue();
                } else if (f.equals("uploaded") && t == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.VALUE_STRING) {
                        uploaded.add(p.getText());
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw ThanosException.badData("parse " + file + " as JSON: " + e.getMessage());
        }
        if (version != VERSION_1) {
            throw ThanosException.badData("read " + file + ": unexpected meta file version " + version);
        }
        return uploaded;
    }

    /** Replaces the file atomically: temporary file, fsync, rename, fsync of the directory. */
    static void write(Path file, List<String> uploaded) {
        StringBuilder sb = new StringBuilder("{\n\t\"version\": 1,\n\t\"uploaded\": ");
        if (uploaded.isEmpty()) {
            sb.append("null"); // Go encodes the empty (nil) slice so.
        } else {
            sb.append("[\n");
            for (int i = 0; i < uploaded.size(); i++) {
                sb.append("\t\t\"").append(uploaded.get(i)).append('"').append(i + 1 < uploaded.size() ? ",\n" : "\n");
            }
            sb.append("\t]");
        }
        sb.append("\n}\n");
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException ignored) {
                // Some platforms cannot open directories; the rename is done either way.
            }
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "write " + file + ": " + e, e);
        }
    }
}
