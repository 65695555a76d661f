package dev.presize.core.input.jvm;

import dev.presize.core.input.BackgroundErrors;
import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import dev.presize.spi.Ticker;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.SampleWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Heap, GC and allocation readings of this JVM, taken without allocating on the sampler thread.
 *
 * <p><b>How each value is read.</b>
 * <ul>
 *   <li>Heap used and committed: {@link Runtime#totalMemory()} and {@link Runtime#freeMemory()} (two native calls
 *       that allocate nothing; {@code MemoryMXBean.getHeapMemoryUsage()} would allocate a {@code MemoryUsage}).
 *   <li>GC count and time: summed over the {@link GarbageCollectorMXBean}s cached at creation, whose getters are
 *       native and allocate nothing. Collectors that report pauses and cycles separately (ZGC, Shenandoah) are
 *       counted as reported, both.
 *   <li>Live after GC: from GC notifications, on the JMX notification thread: the heap pools' usage after the
 *       most recent collection, published through a volatile field. Notifications of pause-only beans
 *       ({@code "... Pauses"}) are not used for it, as their "after" is not a live set. Not written until the
 *       first collection since the JVM started.
 *   <li>Allocated bytes: JDK 17 has no allocation-free total for all threads, so it is derived: every byte
 *       allocated since this source was created is either still in the heap or was freed by a collection, so
 *       {@code allocated = (used now - used at creation) + bytes freed by collections since creation}, the freed
 *       bytes being {@code before - after} of the heap pools in each GC notification. Exact to a TLAB (a thread's
 *       allocation buffer counts as used when handed out) and cheap. Between a collection and its notification
 *       (usually under a millisecond) the heap has shrunk but the freed bytes are not yet known; the counter then
 *       holds its last value rather than going backwards. It counts heap <em>consumed</em>: with G1, a humongous
 *       object (half a region or more) counts as the whole regions it occupies, so a function allocating
 *       region-sized arrays is over-counted by up to 2x (a 1 MiB array in 1 MiB regions takes two).
 * </ul>
 */
final class JvmMetricSource implements MetricSource, NotificationListener {

  private static final Set<Metric> METRICS = EnumSet.of(Metric.JVM_HEAP_USED_BYTES, Metric.JVM_HEAP_COMMITTED_BYTES,
      Metric.JVM_HEAP_LIVE_AFTER_GC_BYTES, Metric.JVM_GC_COUNT, Metric.JVM_GC_TIME_MILLIS,
      Metric.JVM_ALLOCATED_BYTES);
  private static final long UNKNOWN = -1;

  private final String name;
  private final Runtime runtime = Runtime.getRuntime();
  private final GarbageCollectorMXBean[] collectors;
  private final Set<String> heapPools;
  private final List<NotificationEmitter> listeningTo = new ArrayList<>();
  private final BackgroundErrors errors;
  private final long usedAtCreation;

  private volatile long liveAfterGc = UNKNOWN;
  private volatile long freedSinceCreation;
  private volatile long notifications;

  // Sampler thread only.
  private long lastAllocated;
  private boolean closed;

  JvmMetricSource(String name, Ticker ticker) {
    this.name = name;
    this.errors = new BackgroundErrors(name, ticker);
    List<GarbageCollectorMXBean> beans = ManagementFactory.getGarbageCollectorMXBeans();
    this.collectors = beans.toArray(new GarbageCollectorMXBean[0]);
    Set<String> pools = new HashSet<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pools.add(pool.getName());
      }
    }
    this.heapPools = Set.copyOf(pools);
    this.liveAfterGc = lastLiveAfterGc(beans);
    for (GarbageCollectorMXBean bean : beans) {
      if (bean instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(this, null, null);
        listeningTo.add(emitter);
      }
    }
    this.usedAtCreation = runtime.totalMemory() - runtime.freeMemory();
  }

  /** The heap after the latest GC before this source existed, from the collectors' last GC info, or UNKNOWN. */
  private long lastLiveAfterGc(List<GarbageCollectorMXBean> beans) {
    long latestEnd = -1;
    long live = UNKNOWN;
    for (GarbageCollectorMXBean bean : beans) {
      if (!(bean instanceof com.sun.management.GarbageCollectorMXBean ext) || isPausesOnly(bean.getName())) {
        continue;
      }
      GcInfo info = ext.getLastGcInfo();
      if (info != null && info.getEndTime() > latestEnd) {
        latestEnd = info.getEndTime();
        live = heapTotal(info.getMemoryUsageAfterGc());
      }
    }
    return live;
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
  public void sample(SampleWriter out) {
    long committed = runtime.totalMemory();
    long used = committed - runtime.freeMemory();
    out.put(Metric.JVM_HEAP_USED_BYTES, used);
    out.put(Metric.JVM_HEAP_COMMITTED_BYTES, committed);
    long live = liveAfterGc;
    if (live != UNKNOWN) {
      out.put(Metric.JVM_HEAP_LIVE_AFTER_GC_BYTES, live);
    }
    long count = 0;
    long timeMillis = 0;
    for (GarbageCollectorMXBean c : collectors) {
      count += Math.max(0, c.getCollectionCount()); // -1 means "undefined" for this collector
      timeMillis += Math.max(0, c.getCollectionTime());
    }
    out.put(Metric.JVM_GC_COUNT, count);
    out.put(Metric.JVM_GC_TIME_MILLIS, timeMillis);
    long allocated = Math.max(lastAllocated, used - usedAtCreation + freedSinceCreation);
    lastAllocated = allocated;
    out.put(Metric.JVM_ALLOCATED_BYTES, allocated);
  }

  /** Called by the JMX notification thread after every collection. */
  @Override
  public void handleNotification(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
      return;
    }
    try {
      GarbageCollectionNotificationInfo info =
          GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
      GcInfo gc = info.getGcInfo();
      long before = heapTotal(gc.getMemoryUsageBeforeGc());
      long after = heapTotal(gc.getMemoryUsageAfterGc());
      synchronized (this) { // one writer at a time; the sampler reads the volatiles
        freedSinceCreation += Math.max(0, before - after);
        if (!isPausesOnly(info.getGcName())) {
          liveAfterGc = after;
        }
        notifications++;
      }
    } catch (RuntimeException e) {
      errors.record("read GC notification", e);
    }
  }

  private long heapTotal(Map<String, MemoryUsage> usageByPool) {
    long total = 0;
    for (Map.Entry<String, MemoryUsage> e : usageByPool.entrySet()) {
      if (heapPools.contains(e.getKey())) {
        total += e.getValue().getUsed();
      }
    }
    return total;
  }

  private static boolean isPausesOnly(String gcName) {
    return gcName.endsWith(" Pauses"); // ZGC and Shenandoah: the cycle bean carries the live set
  }

  /** GC notifications handled so far. */
  long notificationsHandled() {
    return notifications;
  }

  /** Failures handling GC notifications so far. */
  long errorCount() {
    return errors.count();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (NotificationEmitter emitter : listeningTo) {
      try {
        emitter.removeNotificationListener(this);
      } catch (ListenerNotFoundException e) {
        // Already removed: the state close() wants.
      }
    }
    listeningTo.clear();
  }
}
