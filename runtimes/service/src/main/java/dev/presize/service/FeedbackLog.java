package dev.presize.service;

import dev.presize.spi.PresizeException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The append-only residual log ({@code <dataDir>/feedback.jsonl}, one JSON object per line) with group commit:
 * handlers enqueue a line and wait for it to be durable; one writer thread takes everything queued, writes it and
 * calls {@code fsync} once per batch, then completes the batch. Under load batches grow, so fsyncs stay few. The
 * queue is bounded: when it is full {@link #append} says so at once (the handler answers 429).
 */
final class FeedbackLog implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(FeedbackLog.class.getName());
  static final String FILE = "feedback.jsonl";

  private record Pending(byte[] line, CompletableFuture<Void> done) {}

  private final Path file;
  private final FileChannel channel;
  private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(10_000);
  private final Thread writer;
  private volatile boolean closed;

  FeedbackLog(Path dataDir) {
    this.file = dataDir.resolve(FILE);
    try {
      Files.createDirectories(dataDir);
      this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw PresizeException.launder("open feedback log", file.toString(), e);
    }
    this.writer = new Thread(this::run, "presize-feedback-writer");
    writer.setDaemon(true);
    writer.start();
  }

  Path file() {
    return file;
  }

  /**
   * Queues one line (without its newline) and returns a future completed when it is on disk, or null when the
   * queue is full.
   */
  CompletableFuture<Void> append(byte[] line) {
    if (closed) {
      return CompletableFuture.failedFuture(new IOException("the feedback log is closed"));
    }
    Pending p = new Pending(line, new CompletableFuture<>());
    return queue.offer(p) ? p.done() : null;
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, 4095);
        write(batch);
      } catch (InterruptedException e) {
        if (!closed) {
          LOG.log(Level.WARNING, "feedback writer interrupted while open; continuing");
        }
      } catch (Throwable t) {
        // Never let the writer die: fail this batch (handlers answer 500) and go on.
        LOG.log(Level.ERROR, "file=" + file + " feedback batch of " + batch.size() + " failed: " + t);
        for (Pending p : batch) {
          p.done().completeExceptionally(t);
        }
      } finally {
        batch.clear();
      }
    }
  }

  private void write(List<Pending> batch) throws IOException {
    int size = 0;
    for (Pending p : batch) {
      size += p.line().length + 1;
    }
    ByteBuffer buf = ByteBuffer.allocate(size);
    for (Pending p : batch) {
      buf.put(p.line()).put((byte) '\n');
    }
    buf.flip();
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
    channel.force(false);
    for (Pending p : batch) {
      p.done().complete(null);
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      writer.join(5_000);
      channel.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "file=" + file + " close failed: " + e);
    }
  }
}
