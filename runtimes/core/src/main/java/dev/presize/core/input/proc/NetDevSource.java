package dev.presize.core.input.proc;

import dev.presize.core.input.ByteCursor;
import dev.presize.core.input.ProcFile;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.SampleWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Reads {@code /proc/<pid>/net/dev}: bytes and packets received and sent, summed over the interfaces of the
 * target's network namespace (loopback included unless excluded).
 *
 * <p>The counters belong to the namespace, not the process: in a container or pod they are the function's own;
 * on a bare host they include every process sharing the host's namespace.
 */
final class NetDevSource implements MetricSource {

  private static final Set<Metric> METRICS =
      EnumSet.of(Metric.NET_RX_BYTES, Metric.NET_TX_BYTES, Metric.NET_RX_PACKETS, Metric.NET_TX_PACKETS);
  private static final byte[] LO = ByteCursor.key("lo:");

  private final ProcFile file;
  private final boolean includeLoopback;
  private final ByteCursor cursor = new ByteCursor();
  private final long[] last = new long[4];

  private final Duration interval;

  private final java.util.Map<String, String> attributes;

  NetDevSource(Path netDev, boolean includeLoopback, Duration interval) throws IOException {
    this.file = ProcFile.open(netDev, 2048);
    String namespace;
    try {
      namespace = java.nio.file.Files.readSymbolicLink(netDev.getParent().getParent().resolve("ns/net")).toString();
    } catch (IOException | UnsupportedOperationException e) {
      namespace = "unknown"; // only a label: the counters are read all the same
    }
    this.attributes = java.util.Map.of("namespace", namespace, "loopback", Boolean.toString(includeLoopback));
    this.includeLoopback = includeLoopback;
    this.interval = interval;
  }

  @Override
  public java.util.Map<String, String> attributes() {
    return attributes;
  }

  @Override
  public Duration interval() {
    return interval;
  }

  @Override
  public String name() {
    return NetDevSourceProvider.NAME;
  }

  @Override
  public Set<Metric> metrics() {
    return METRICS;
  }

  @Override
  public void sample(SampleWriter out) throws IOException {
    try {
      file.read();
    } catch (IOException e) {
      // The target exited: its namespace's counters are gone; keep the last values.
      writeLast(out);
      return;
    }
    ByteCursor c = cursor.reset(file);
    c.nextLine().nextLine(); // two header lines
    long rxBytes = 0;
    long rxPackets = 0;
    long txBytes = 0;
    long txPackets = 0;
    while (!c.atEnd()) {
      int lineStart = c.position();
      boolean loopback = isInterface(c, lineStart, LO);
      if (!c.find(COLON)) {
        break;
      }
      long rb = c.nextLong();
      long rp = c.nextLong();
      c.skipFields(6); // errs drop fifo frame compressed multicast
      long tb = c.nextLong();
      long tp = c.nextLong();
      if (includeLoopback || !loopback) {
        rxBytes += Math.max(0, rb);
        rxPackets += Math.max(0, rp);
        txBytes += Math.max(0, tb);
        txPackets += Math.max(0, tp);
      }
      c.nextLine();
    }
    // A device removed from the namespace would make the sums drop: counters never go back.
    last[0] = Math.max(last[0], rxBytes);
    last[1] = Math.max(last[1], txBytes);
    last[2] = Math.max(last[2], rxPackets);
    last[3] = Math.max(last[3], txPackets);
    writeLast(out);
  }

  private static final byte[] COLON = ByteCursor.key(":");

  private static boolean isInterface(ByteCursor c, int lineStart, byte[] name) {
    c.position(lineStart);
    if (!c.nextWordIs(name)) {
      return false;
    }
    return true;
  }

  private void writeLast(SampleWriter out) {
    out.put(Metric.NET_RX_BYTES, last[0]);
    out.put(Metric.NET_TX_BYTES, last[1]);
    out.put(Metric.NET_RX_PACKETS, last[2]);
    out.put(Metric.NET_TX_PACKETS, last[3]);
  }

  @Override
  public void close() {
    file.close();
  }
}
