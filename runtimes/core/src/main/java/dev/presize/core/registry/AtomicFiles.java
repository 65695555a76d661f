package dev.presize.core.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;

/**
 * Durable file operations the registry is built on: write to a temporary name, fsync, rename atomically, fsync
 * the directory. After a crash (even SIGKILL or power loss) a reader sees either the old or the new file.
 */
public final class AtomicFiles {

  /** Prefix of every temporary file or directory the registry creates; readers ignore such names. */
  public static final String TEMP_PREFIX = ".tmp-";

  private AtomicFiles() {}

  /** A fresh temporary name inside {@code dir}, e.g. {@code .tmp-current-1b2c...}. */
  public static Path tempIn(Path dir, String what) {
    return dir.resolve(TEMP_PREFIX + what + "-" + UUID.randomUUID());
  }

  /**
   * Replaces {@code target} with {@code bytes}: writes a temporary file in {@code tempDir} (same file system),
   * fsyncs it, renames it over the target atomically and fsyncs the target's directory.
   */
  public static void writeAtomically(Path target, byte[] bytes, Path tempDir) throws IOException {
    Path tmp = tempIn(tempDir, target.getFileName().toString());
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      moveAtomically(tmp, target);
    } finally {
      Files.deleteIfExists(tmp); // only left if the move failed
    }
  }

  /** Renames atomically (replacing an existing file) and fsyncs the target's directory. */
  public static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system of " + to + " cannot rename atomically: registry state could be torn "
          + "by a crash, so the registry refuses to run there", e);
    }
    fsyncDirectory(to.getParent());
  }

  /** Copies a file and fsyncs the copy (the target must not exist). */
  public static void copyDurably(Path from, Path to) throws IOException {
    try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long size = in.size();
      long done = 0;
      while (done < size) {
        done += in.transferTo(done, size - done, out);
      }
      out.force(true);
    }
  }

  /** Fsyncs a directory, so the names created, renamed or deleted in it survive a power loss. */
  public static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** Deletes a file or a directory tree; a missing path is fine. */
  public static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
        if (exc instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE; // deleted concurrently: that is what we want
        }
        throw exc;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        if (exc != null && !(exc instanceof NoSuchFileException)) {
          throw exc;
        }
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
