package dev.presize.core.trace;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Damage found after a trace's header: the samples before it were read and delivered, the rest cannot be.
 *
 * <p>It names the file, the {@link #byteOffset() byte offset} and {@link #chunkIndex() index} of the damaged
 * chunk, how many samples were {@link #samplesRead() read} before it, and the {@link #damage() kind} of damage.
 * When thrown by {@link TraceReader#readAll}, {@link #partial()} holds the samples read before the damage.
 */
public class TraceDamagedException extends TraceFormatException {

  private static final long serialVersionUID = 1L;

  /** The kind of damage. */
  public enum Damage {
    /** The file ends inside a chunk: cut short (a crash, a copy that stopped), or still being written. */
    TRUNCATED,
    /** A chunk's stored CRC32 does not match its bytes: they were altered after writing. */
    CRC_MISMATCH,
    /** A chunk passes its CRC but does not decode: a writer bug or an incompatible writer. */
    MALFORMED,
    /** The file ends cleanly between chunks but without its end chunk: the writer did not finish. */
    MISSING_END
  }

  private final Damage damage;
  private final String detail;
  private final long byteOffset;
  private final long chunkIndex;
  private final long samplesRead;
  private final transient TraceData partial;

  public TraceDamagedException(
      Path file, Damage damage, long byteOffset, long chunkIndex, long samplesRead, String problem) {
    this(file, damage, byteOffset, chunkIndex, samplesRead, problem, null, null);
  }

  TraceDamagedException(Path file, Damage damage, long byteOffset, long chunkIndex, long samplesRead,
      String problem, TraceData partial, Throwable cause) {
    super(file, describe(damage, byteOffset, chunkIndex, samplesRead, problem), cause);
    this.damage = Objects.requireNonNull(damage, "damage");
    this.detail = problem;
    this.byteOffset = byteOffset;
    this.chunkIndex = chunkIndex;
    this.samplesRead = samplesRead;
    this.partial = partial;
  }

  private static String describe(Damage damage, long byteOffset, long chunkIndex, long samplesRead,
      String problem) {
    return problem + " (" + damage + " at byte " + byteOffset + ", chunk " + chunkIndex + ", after "
        + samplesRead + " good samples)";
  }

  /** This damage with the samples read before it attached. */
  TraceDamagedException withPartial(TraceData data) {
    return new TraceDamagedException(file(), damage, byteOffset, chunkIndex, samplesRead, detail, data, this);
  }

  public Damage damage() {
    return damage;
  }

  /** The offset in the file of the start of the damaged chunk (or of the end of the file when it ends early). */
  public long byteOffset() {
    return byteOffset;
  }

  /** The 0-based index of the damaged chunk among all chunks of the file, skipped kinds included. */
  public long chunkIndex() {
    return chunkIndex;
  }

  /** The number of good samples delivered before the damage. */
  public long samplesRead() {
    return samplesRead;
  }

  /** The samples read before the damage, when thrown by {@link TraceReader#readAll}. */
  public Optional<TraceData> partial() {
    return Optional.ofNullable(partial);
  }
}
