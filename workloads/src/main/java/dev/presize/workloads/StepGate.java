package dev.presize.workloads;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The step-boundary handshake a checkpointable workload shares with {@code snapshot()}, which runs on another
 * thread: the worker reports each boundary where its state is consistent; a pending snapshot is written there, by
 * the worker, and handed to the waiting caller.
 *
 * <p>Between invocations the gate holds the settled state (the final state of the last invocation, or a restored
 * one), and a snapshot writes that. Steps are coarse (milliseconds), so one lock per boundary costs nothing.
 */
final class StepGate {

  /** Writes the worker's state; called on the worker thread at a boundary, so it sees a consistent state. */
  @FunctionalInterface
  interface StateWriter {
    void write(DataOutputStream out) throws IOException;
  }

  private final Object lock = new Object();
  private boolean running;
  private long steps;
  private long holdAtStep = -1;
  private CompletableFuture<byte[]> pending;
  private byte[] settled;

  /** Marks the start of an invocation; boundaries are counted from here. */
  void begin() {
    synchronized (lock) {
      running = true;
      steps = 0;
    }
  }

  /** Reports a step boundary: counts it and, if a snapshot is pending, writes the state for it. */
  void boundary(StateWriter writer) throws IOException {
    CompletableFuture<byte[]> request;
    synchronized (lock) {
      steps++;
      lock.notifyAll();
      while (steps == holdAtStep && pending == null) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while held at step " + steps + " for a snapshot");
        }
      }
      request = pending;
      pending = null;
    }
    if (request != null) {
      try {
        request.complete(serialize(writer));
      } catch (IOException | RuntimeException e) {
        request.completeExceptionally(e);
        throw e;
      }
    }
  }

  /** Ends a successful invocation with its final state, which later snapshots write. */
  void finish(StateWriter writer) throws IOException {
    byte[] state = serialize(writer);
    CompletableFuture<byte[]> request;
    synchronized (lock) {
      running = false;
      settled = state;
      request = pending;
      pending = null;
      lock.notifyAll();
    }
    if (request != null) {
      request.complete(state);
    }
  }

  /** Ends a failed invocation: a waiting snapshot fails with the cause, and there is no settled state. */
  void fail(Throwable cause) {
    CompletableFuture<byte[]> request;
    synchronized (lock) {
      running = false;
      settled = null;
      request = pending;
      pending = null;
      lock.notifyAll();
    }
    if (request != null) {
      request.completeExceptionally(cause);
    }
  }

  /** Records a restored state, which a snapshot taken before the next invocation writes back unchanged. */
  void settle(byte[] state) {
    synchronized (lock) {
      settled = state.clone();
    }
  }

  /**
   * Writes the state at the running invocation's next boundary (blocking until it is reached), or the settled
   * state when none runs.
   *
   * @throws IllegalStateException if no invocation has run and nothing was restored
   */
  void snapshot(OutputStream out) throws IOException {
    CompletableFuture<byte[]> request;
    synchronized (lock) {
      if (!running) {
        if (settled == null) {
          throw new IllegalStateException("nothing to snapshot: no invocation has completed and none was restored");
        }
        out.write(settled);
        return;
      }
      if (pending == null) {
        pending = new CompletableFuture<>();
        lock.notifyAll();
      }
      request = pending;
    }
    try {
      out.write(request.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the next step boundary");
    } catch (ExecutionException e) {
      throw new IOException("snapshot failed: the invocation failed before its next step boundary", e.getCause());
    }
  }

  /** Boundaries the current (or last) invocation has passed. */
  long steps() {
    synchronized (lock) {
      return steps;
    }
  }

  /** Test hook: the worker waits at boundary {@code step} until a snapshot is requested, then continues. */
  void holdAtStepForSnapshot(long step) {
    synchronized (lock) {
      holdAtStep = step;
    }
  }

  /** Test hook: waits until the running invocation has passed {@code step} boundaries or stopped running. */
  boolean awaitSteps(long step, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (steps < step) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  private static byte[] serialize(StateWriter writer) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    writer.write(out);
    out.flush();
    return bytes.toByteArray();
  }
}
