package io.thanosj.objstore;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import io.thanosj.model.Utf8Order;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A bucket in a local directory (Thanos's FILESYSTEM type, for tests and demos). Objects are
 * files; uploads go to a hidden temporary file that is renamed into place, so readers never see
 * half an object. Empty directories are pruned on delete and never listed.
 */
final class FilesystemBucket implements Bucket {
    static final String TYPE = "filesystem";
    private static final String TMP_PREFIX = ".thanosj-upload-";

    private final Path root;

    FilesystemBucket(Path directory) {
        this.root = directory.toAbsolutePath().normalize();
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw ThanosException.badData("objstore config: filesystem: field directory: " + root + " is not a directory");
        }
    }

    static Bucket fromConfig(ConfigNode c) {
        c.allowOnly("directory");
        return new FilesystemBucket(Path.of(c.requiredString("directory")));
    }

    private Path resolve(String name) {
        if (name.isEmpty()) {
            throw ThanosException.badData("filesystem bucket " + root + ": object name is empty");
        }
        Path p = root.resolve(name).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw ThanosException.badData("filesystem bucket " + root + ": object name " + name + " is outside the bucket");
        }
        return p;
    }

    private ThanosException ioError(String what, String name, IOException e) {
        return new ThanosException(ErrorCode.INTERNAL,
                "filesystem bucket " + root + ": " + what + " " + name + ": " + e, e);
    }

    @Override
    public void iter(String dir, boolean recursive, Consumer<String> visitor) {
        String d = dir;
        while (d.endsWith(DIR_DELIM)) {
            d = d.substring(0, d.length() - 1);
        }
        Path p = d.isEmpty() ? root : resolve(d);
        try {
            walk(p, d.isEmpty() ? "" : d + DIR_DELIM, recursive, visitor);
        } catch (IOException e) {
            throw ioError("list", dir, e);
        }
    }

    private void walk(Path dir, String prefix, boolean recursive, Consumer<String> visitor) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path e : entries) {
                String file = e.getFileName().toString();
                if (file.startsWith(TMP_PREFIX)) {
                    continue;
                }
                if (Files.isDirectory(e)) {
                    if (!isEmptyDir(e)) {
                        names.add(file + DIR_DELIM);
                    }
                } else {
                    names.add(file);
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return;
        }
        // Sort by the emitted names ("a/" after "a.b"), which is the key order S3 and GCS list in.
        names.sort(Utf8Order::compare);
        for (String n : names) {
            if (recursive && n.endsWith(DIR_DELIM)) {
                walk(dir.resolve(n.substring(0, n.length() - 1)), prefix + n, true, visitor);
            } else {
                visitor.accept(prefix + n);
            }
        }
    }

    private static boolean isEmptyDir(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path e : entries) {
                if (!e.getFileName().toString().startsWith(TMP_PREFIX)) {
                    return false;
                }
            }
            return true;
        } catch (NoSuchFileException e) {
            return true;
        }
    }

    @Override
    public InputStream get(String name) {
        return getRange(name, 0, -1);
    }

    @Override
    public InputStream getRange(String name, long offset, long length) {
        Ranges.check(name(), name, offset, length);
        Path p = resolve(name);
        if (Files.isDirectory(p)) {
            throw new ObjectNotFoundException(name(), name);
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(p, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(name(), name);
        } catch (IOException e) {
            throw ioError("open", name, e);
        }
        try {
            long size = ch.size();
            long start = Math.min(offset, size);
            long n = length < 0 ? size - start : Math.min(length, size - start);
            ch.position(start);
            return Ranges.limit(Channels.newInputStream(ch), n);
        } catch (IOException e) {
            try {
                ch.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw ioError("read", name, e);
        }
    }

    @Override
    public boolean exists(String name) {
        return Files.isRegularFile(resolve(name));
    }

    @Override
    public ObjectAttributes attributes(String name) {
        try {
            BasicFileAttributes a = Files.readAttributes(resolve(name), BasicFileAttributes.class);
            if (a.isDirectory()) {
                throw new ObjectNotFoundException(name(), name);
            }
            return new ObjectAttributes(a.size(), a.lastModifiedTime().toInstant());
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(name(), name);
        } catch (IOException e) {
            throw ioError("stat", name, e);
        }
    }

    @Override
    public void upload(String name, InputStream in) {
        Path target = resolve(name);
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = target.resolveSibling(TMP_PREFIX + UUID.randomUUID());
            Files.copy(in, tmp);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (FileAlreadyExistsException e) {
            throw new ThanosException(ErrorCode.BAD_DATA, "filesystem bucket " + root + ": upload " + name
                    + ": a parent of it is an object, not a directory: " + e.getFile(), e);
        } catch (IOException e) {
            throw ioError("upload", name, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The upload error is what the caller needs; a stray hidden file is never listed.
                }
            }
        }
    }

    @Override
    public void delete(String name) {
        Path p = resolve(name);
        try {
            if (Files.isDirectory(p)) {
                return;
            }
            Files.deleteIfExists(p);
            // Prune directories left empty so that they disappear from listings, as in object stores.
            for (Path d = p.getParent(); d != null && !d.equals(root) && d.startsWith(root); d = d.getParent()) {
                if (!isEmptyDir(d)) {
                    break;
                }
                try {
                    Files.deleteIfExists(d);
                } catch (java.nio.file.DirectoryNotEmptyException raced) {
                    break;
                }
            }
        } catch (IOException e) {
            throw ioError("delete", name, e);
        }
    }

    @Override
    public String name() {
        return "fs: " + root;
    }

    @Override
    public void close() {
    }
}
