package dev.presize.core.input.host;

import dev.presize.core.input.ByteCursor;
import dev.presize.core.input.ProcFile;
import dev.presize.spi.Support;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Checks, in this JVM, that the kernel's accessed-bit accounting works: touch a buffer, clear the accessed bits
 * with {@code clear_refs}, touch it again and see whether {@code smaps_rollup} counts it as referenced.
 *
 * <p>Some kernels and VMs (this project's CI VM among them) leave {@code Referenced} near zero after
 * {@code clear_refs} however much memory is touched; a working-set source there would report nonsense, so the
 * provider reports itself unsupported instead. Side effect: clearing this JVM's accessed bits makes its pages
 * look cold to reclaim for a moment, as any working-set sampling of it would.
 */
final class AccessedBitSelfTest {

  /** Bytes touched: large enough to stand out from the JVM's own background activity. */
  static final int TOUCHED_BYTES = 16 << 20;

  private static final int PAGE = 4096;

  /**
   * Measurements taken, half with the memory touched by the thread that cleared the bits, half by another thread that
   * keeps touching it meanwhile (as a sampled function does, on its own CPU): accessed-bit tracking must work in every
   * one, not just on average.
   */
  static final int ROUNDS = 10;

  /**
   * How long the other thread touches the memory after the bits were cleared, before {@code Referenced} is read: at
   * least this long and two whole passes over the memory (on a busy host it may not run at once).
   */
  private static final long CONCURRENT_WAIT_NANOS = 20_000_000L;

  /** The longest a round waits for those two passes; a host that busy cannot be tested (the probe fails). */
  private static final long CONCURRENT_TIMEOUT_NANOS = 5_000_000_000L;

  /**
   * What the self-test saw.
   *
   * @param touchedBytes bytes touched after each clearing of the accessed bits
   * @param referencedBytes {@code Referenced} of the whole process after each round's touch
   */
  record Result(long touchedBytes, long[] referencedBytes) {

    Result {
      referencedBytes = referencedBytes.clone();
      if (referencedBytes.length == 0) {
        throw new IllegalArgumentException("a self-test result needs at least one round");
      }
    }

    /** The lowest {@code Referenced} of all rounds. */
    long worstReferencedBytes() {
      long min = Long.MAX_VALUE;
      for (long r : referencedBytes) {
        min = Math.min(min, r);
      }
      return min;
    }

    /** Whether at least half of what was touched showed up as referenced in every round. */
    boolean works() {
      return worstReferencedBytes() >= touchedBytes / 2;
    }

    Support toSupport() {
      StringBuilder rounds = new StringBuilder();
      for (long r : referencedBytes) {
        rounds.append(rounds.length() == 0 ? "" : ", ").append(r >> 10);
      }
      String seen = "touched " + (touchedBytes >> 20) + " MiB, Referenced shows " + (worstReferencedBytes() >> 10)
          + " kB after clear_refs (lowest of " + referencedBytes.length + " rounds, the first half touched by the"
          + " clearing thread, the second by another: " + rounds + " kB)";
      if (works()) {
        return Support.yes("accessed-bit working set works: " + seen);
      }
      return Support.no("accessed-bit working set does not work on this kernel/VM: " + seen
          + "; for JVM functions use jvm.heap.live");
    }
  }

  private AccessedBitSelfTest() {}

  /** Runs the test on this JVM ({@code /proc/self}); never throws. */
  static Support probeSelf() {
    Path self = Path.of("/proc/self");
    Path rollup = self.resolve("smaps_rollup");
    Path clearRefs = self.resolve("clear_refs");
    if (!Files.isReadable(rollup)) {
      return Support.no("no readable /proc/self/smaps_rollup: kernel older than 4.14 or /proc restricted");
    }
    if (!Files.isWritable(clearRefs)) {
      return Support.no("/proc/self/clear_refs is missing or not writable: cannot reset accessed bits");
    }
    try {
      return run(rollup, clearRefs).toSupport();
    } catch (OutOfMemoryError e) {
      return Support.no("accessed-bit self-test could not allocate " + (TOUCHED_BYTES >> 20)
          + " MiB of direct memory: " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      return Support.no("accessed-bit self-test failed: " + e);
    }
  }

  /**
   * Touches {@link #TOUCHED_BYTES} of fresh memory, then {@link #ROUNDS} times clears the accessed bits, has it
   * touched again and reads {@code Referenced}: in the first half of the rounds this thread touches it after clearing,
   * in the second another thread touches it all along. Several rounds, because a kernel or hypervisor that fails to
   * flush stale TLB entries after {@code clear_refs} (as on this project's CI VM) shows the touched memory in some
   * rounds and almost none in others: a single good reading proves nothing. Both ways, because which one fails
   * depends on where the threads run: on that VM, a sampled command that kept touching 100 MiB showed 24–80 kB
   * referenced while this thread's own touches, alone, passed all five rounds of an earlier version of this test.
   */
  static Result run(Path smapsRollup, Path clearRefs) throws IOException {
    ByteBuffer memory = ByteBuffer.allocateDirect(TOUCHED_BYTES);
    touch(memory, (byte) 1); // fault every page in, so later touches only set accessed bits
    long[] referenced = new long[ROUNDS];
    ByteBuffer one = ByteBuffer.wrap(new byte[] {'1'});
    ByteCursor cursor = new ByteCursor();
    java.util.concurrent.atomic.AtomicBoolean touching = new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicLong passes = new java.util.concurrent.atomic.AtomicLong();
    Thread toucher = null;
    try (FileChannel clear = FileChannel.open(clearRefs, StandardOpenOption.WRITE);
        ProcFile rollup = ProcFile.open(smapsRollup)) {
      for (int round = 0; round < ROUNDS; round++) {
        boolean concurrent = round >= ROUNDS / 2;
        if (concurrent && toucher == null) {
          toucher = new Thread(() -> {
            for (byte v = 0; touching.get(); v++) {
              touch(memory, v);
              passes.incrementAndGet();
            }
          }, "presize-accessed-bit-self-test");
          toucher.setDaemon(true);
          toucher.start();
        }
        one.clear();
        clear.write(one, 0);
        if (concurrent) {
          long start = passes.get();
          long began = System.nanoTime();
          long now = began;
          while (now - began < CONCURRENT_WAIT_NANOS || passes.get() < start + 2) {
            if (now - began > CONCURRENT_TIMEOUT_NANOS) {
              throw new IOException("the touching thread made " + (passes.get() - start) + " passes over "
                  + (TOUCHED_BYTES >> 20) + " MiB in " + (CONCURRENT_TIMEOUT_NANOS / 1_000_000_000L)
                  + " s: the host is too busy to test");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L); // not interruptible: no stray failure
            now = System.nanoTime();
          }
        } else {
          touch(memory, (byte) (round + 2));
        }
        rollup.read();
        referenced[round] = SmapsRollup.referencedBytes(cursor.reset(rollup));
        if (referenced[round] == ByteCursor.ABSENT) {
          throw new IOException(smapsRollup + " has no Referenced: line");
        }
      }
      return new Result(TOUCHED_BYTES, referenced);
    } finally {
      touching.set(false);
      boolean interrupted = false;
      while (toucher != null && toucher.isAlive()) { // it stops within a pass; wait for it, interrupted or not
        try {
          toucher.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      Reference.reachabilityFence(memory); // the touched pages must stay mapped until Referenced is read
    }
  }

  private static void touch(ByteBuffer memory, byte value) {
    for (int i = 0; i < memory.capacity(); i += PAGE) {
      memory.put(i, value);
    }
  }
}
