package io.thanosj.objstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.ThanosException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TestFilesystemBucket extends BucketContract {
    @TempDir
    Path dir;

    @Override
    protected Bucket newBucket() {
        return new FilesystemBucket(dir.resolve("bkt"));
    }

    @Override
    protected long multipartSize() {
        return 3 * 1024 * 1024 + 17;
    }

    @Test
    void namesCannotEscapeTheDirectory() {
        assertThatThrownBy(() -> bucket.upload("../escape", text("x")))
                .isInstanceOf(ThanosException.class).hasMessageContaining("outside the bucket");
        assertThatThrownBy(() -> bucket.get("a/../../x")).hasMessageContaining("outside the bucket");
        assertThat(Files.exists(dir.resolve("escape"))).isFalse();
    }

    @Test
    void deletePrunesEmptyDirectoriesAndIgnoresHiddenUploads() throws Exception {
        bucket.upload("a/b/c", text("x"));
        Files.writeString(dir.resolve("bkt/a/.thanosj-upload-inflight"), "partial");
        assertThat(list("a", false)).containsExactly("a/b/");
        bucket.delete("a/b/c");
        assertThat(Files.exists(dir.resolve("bkt/a/b"))).isFalse();
        assertThat(list("", false)).isEmpty();
    }

    @Test
    void configNeedsDirectoryAndRejectsAFile() throws Exception {
        assertThatThrownBy(() -> BucketFactory.createUninstrumented("type: FILESYSTEM\nconfig: {}\n", Sleeper.SYSTEM, true))
                .hasMessage("objstore config: filesystem: missing field directory");
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> BucketFactory.createUninstrumented("type: FILESYSTEM\nconfig:\n  directory: " + file + "\n",
                Sleeper.SYSTEM, true)).hasMessageContaining("is not a directory");
        Bucket b = BucketFactory.createUninstrumented("type: filesystem\nconfig:\n  directory: " + dir + "\nprefix: p\n",
                Sleeper.SYSTEM, true);
        b.upload("x", text("1"));
        assertThat(Files.readString(dir.resolve("p/x"))).isEqualTo("1");
        assertThat(b.name()).isEqualTo("fs: " + dir);
    }
}
