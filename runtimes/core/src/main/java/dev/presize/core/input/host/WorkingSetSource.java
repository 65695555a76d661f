package dev.presize.core.input.host;

import dev.presize.core.input.ByteCursor;
import dev.presize.core.input.ProcFile;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.SampleWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The accessed-bit working set of one process: {@code Referenced} of {@code smaps_rollup}, then {@code clear_refs}
 * reset, once per {@link #interval()}.
 *
 * <p>Each sample is the memory the process touched since the previous sample (or since creation, for the first).
 * Only the root process is measured, not its descendants: the working set of a function is its runtime's, and
 * summing a tree would need one pair of files per child. Both files stay open; the write of {@code "1"} comes from
 * a preallocated direct buffer, so a sample allocates nothing.
 */
final class WorkingSetSource implements MetricSource {

  private static final Set<Metric> METRICS = Set.of(Metric.WORKING_SET_BYTES);

  private final String name;
  private final Duration interval;
  private final ProcFile rollup;
  private final FileChannel clearRefs;
  private final ByteBuffer one = ByteBuffer.allocateDirect(1).put(0, (byte) '1');
  private final ByteCursor cursor = new ByteCursor();
  private final BooleanSupplier targetAlive;
  private long last = ByteCursor.ABSENT;
  private boolean closed;

  WorkingSetSource(String name, Path smapsRollup, Path clearRefs, Duration interval, BooleanSupplier targetAlive)
      throws IOException {
    this.name = name;
    this.interval = interval;
    this.targetAlive = targetAlive;
    this.rollup = ProcFile.open(smapsRollup);
    try {
      this.clearRefs = FileChannel.open(clearRefs, StandardOpenOption.WRITE);
      clear(); // the first sample then covers the time since creation
    } catch (IOException | RuntimeException e) {
      rollup.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<Metric> metrics() {
    return METRICS;
  }

  @Override
  public Duration interval() {
    return interval;
  }

  @Override
  public void sample(SampleWriter out) throws IOException {
    long referenced;
    try {
      rollup.read();
      referenced = SmapsRollup.referencedBytes(cursor.reset(rollup));
      clear();
    } catch (IOException e) {
      if (targetAlive.getAsBoolean()) {
        throw e;
      }
      referenced = ByteCursor.ABSENT; // the target has exited: not an error, report what was last seen
    }
    if (referenced != ByteCursor.ABSENT) {
      last = referenced;
    }
    if (last != ByteCursor.ABSENT) {
      out.put(Metric.WORKING_SET_BYTES, last);
    }
  }

  private void clear() throws IOException {
    one.clear();
    clearRefs.write(one, 0);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    rollup.close();
    try {
      clearRefs.close();
    } catch (IOException e) {
      // Closing a procfs file we only wrote single bytes to cannot lose data; nothing to recover.
    }
  }
}
