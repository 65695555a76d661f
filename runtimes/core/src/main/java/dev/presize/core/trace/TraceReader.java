package dev.presize.core.trace;

import static dev.presize.core.trace.TraceFormat.CHUNK_END;
import static dev.presize.core.trace.TraceFormat.CHUNK_SAMPLES;
import static dev.presize.core.trace.TraceFormat.FRAME_BYTES;
import static dev.presize.core.trace.TraceFormat.MAGIC;
import static dev.presize.core.trace.TraceFormat.PREAMBLE_BYTES;
import static dev.presize.core.trace.TraceFormat.SAMPLES_PREFIX_BYTES;
import static dev.presize.core.trace.TraceFormat.getInt;
import static dev.presize.core.trace.TraceFormat.unzigzag;

import dev.presize.core.trace.TraceDamagedException.Damage;
import dev.presize.core.trace.TraceFormat.MalformedException;
import dev.presize.core.trace.TraceFormat.VarintCursor;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A sequential reader of one trace file, also of a file still being written.
 *
 * <p>{@link #open} reads and checks the header. Then {@link #next()} moves to each sample in turn and
 * {@link #timestampNanos()}, {@link #value(int)} and {@link #copyValues(long[])} read it. When {@code next()}
 * returns {@code false}, either the end chunk was read ({@link #complete()}, with the {@link #footer()}), or
 * the file ends cleanly between chunks without it: the writer crashed or is still writing. That case is never
 * silent to a caller who asks: {@link #requireComplete()} throws. Calling {@code next()} again later picks up
 * chunks written since, so a reader can follow a live trace.
 *
 * <p>Damage (a file cut inside a chunk, a CRC mismatch, an undecodable chunk) is reported by
 * {@code next()} throwing a {@link TraceDamagedException} after every good sample before it was delivered.
 * The reader stays at the start of the damaged chunk; calling {@code next()} again retries it (useful when the
 * "damage" was a chunk still being written). Not thread-safe.
 */
public final class TraceReader implements Closeable {

  private static final int END_OF_FILE = -1;

  private final Path path;
  private final FileChannel channel;
  private final TraceHeader header;
  private final int columns;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private final byte[] frame = new byte[FRAME_BYTES];
  private final VarintCursor varints = new VarintCursor();
  private byte[] payload = new byte[4096];
  private byte[] raw = new byte[4096];
  private long[] decoded = new long[0];
  private int chunkSamples;
  private int cursor = -1;
  private long position;
  private long chunkIndex;
  private long samplesRead;
  private long lastTimestampNanos;
  private boolean ended;
  private boolean atEof;
  private boolean closed;
  private Map<String, String> footer = Map.of();

  private TraceReader(Path path, FileChannel channel, TraceHeader header, long dataStart) {
    this.path = path;
    this.channel = channel;
    this.header = header;
    this.columns = header.columnCount();
    this.position = dataStart;
  }

  /**
   * Opens a trace and reads its header.
   *
   * @throws TraceFormatException when the file is not a trace (bad magic), has a format version this code does
   *     not read, or its header is cut short or corrupt; the message names the file and the problem
   */
  public static TraceReader open(Path path) throws IOException {
    Objects.requireNonNull(path, "path");
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      byte[] preamble = new byte[PREAMBLE_BYTES];
      int got = readAt(channel, 0, preamble, 0, PREAMBLE_BYTES);
      int magicBytes = Math.min(got, MAGIC.length);
      if (!Arrays.equals(preamble, 0, magicBytes, MAGIC, 0, magicBytes)) {
        throw new TraceFormatException(path, "not a Presize trace: it starts with bytes "
            + HexFormat.of().formatHex(preamble, 0, magicBytes) + " instead of the magic "
            + HexFormat.of().formatHex(MAGIC));
      }
      if (got < PREAMBLE_BYTES) {
        throw new TraceFormatException(path, "the file ends inside the preamble after " + got + " of "
            + PREAMBLE_BYTES + " bytes: it was cut short, or its writer has not written the header yet");
      }
      int major = ((preamble[8] & 0xFF) << 8) | (preamble[9] & 0xFF);
      int minor = ((preamble[10] & 0xFF) << 8) | (preamble[11] & 0xFF);
      if (major != TraceFormatVersion.CURRENT.major()) {
        String which = major > TraceFormatVersion.CURRENT.major()
            ? "newer than this reader, which reads " + TraceFormatVersion.CURRENT.major()
                + ".x: upgrade Presize to read it"
            : "not one this reader reads (it reads " + TraceFormatVersion.CURRENT.major() + ".x)";
        throw new TraceFormatException(path, "unsupported format version " + major + "." + minor + ", " + which);
      }
      TraceFormatVersion version = new TraceFormatVersion(major, minor);
      int headerBytes = getInt(preamble, 12);
      if (headerBytes < 0 || headerBytes > TraceFormat.MAX_HEADER_BYTES) {
        throw new TraceFormatException(path, "corrupt header: its length field says " + (headerBytes & 0xFFFFFFFFL)
            + " bytes, outside [0, " + TraceFormat.MAX_HEADER_BYTES + "]");
      }
      byte[] block = new byte[headerBytes + 4];
      int blockGot = readAt(channel, PREAMBLE_BYTES, block, 0, block.length);
      if (blockGot < block.length) {
        throw new TraceFormatException(path, "the file ends inside the header after " + (PREAMBLE_BYTES + blockGot)
            + " of " + (PREAMBLE_BYTES + block.length) + " bytes: it was cut short, or its writer has not written"
            + " the header yet");
      }
      CRC32 crc = new CRC32();
      crc.update(preamble, MAGIC.length, PREAMBLE_BYTES - MAGIC.length);
      crc.update(block, 0, headerBytes);
      int stored = getInt(block, headerBytes);
      if (stored != (int) crc.getValue()) {
        throw new TraceFormatException(path, String.format(
            "corrupt header: CRC32 mismatch (stored 0x%08x, computed 0x%08x)", stored, (int) crc.getValue()));
      }
      TraceHeader header;
      try {
        header = TraceFormat.decodeHeader(version, block, 0, headerBytes);
      } catch (MalformedException e) {
        throw new TraceFormatException(path, "corrupt header: " + e.getMessage(), e);
      }
      return new TraceReader(path, channel, header, PREAMBLE_BYTES + block.length);
    } catch (IOException | RuntimeException e) {
      try {
        channel.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Reads a whole trace into memory.
   *
   * @throws TraceFormatException when the header cannot be read (see {@link #open})
   * @throws TraceDamagedException when the trace is damaged or has no end chunk; its
   *     {@link TraceDamagedException#partial()} holds every sample before the damage
   */
  public static TraceData readAll(Path path) throws IOException {
    try (TraceReader reader = open(path)) {
      int cols = reader.columns;
      long[] timestamps = new long[1024];
      long[][] values = new long[cols][1024];
      int n = 0;
      try {
        while (reader.next()) {
          if (n == timestamps.length) {
            int grown = Math.max(n + 1, (int) Math.min(Integer.MAX_VALUE - 8L, 2L * n));
            timestamps = Arrays.copyOf(timestamps, grown);
            for (int c = 0; c < cols; c++) {
              values[c] = Arrays.copyOf(values[c], grown);
            }
          }
          timestamps[n] = reader.timestampNanos();
          for (int c = 0; c < cols; c++) {
            values[c][n] = reader.value(c);
          }
          n++;
        }
        reader.requireComplete();
      } catch (TraceDamagedException e) {
        throw e.withPartial(data(reader, timestamps, values, n));
      }
      return data(reader, timestamps, values, n);
    }
  }

  private static TraceData data(TraceReader reader, long[] timestamps, long[][] values, int n) {
    long[][] trimmed = new long[values.length][];
    for (int c = 0; c < values.length; c++) {
      trimmed[c] = Arrays.copyOf(values[c], n);
    }
    return new TraceData(reader.header, reader.footer, reader.ended, Arrays.copyOf(timestamps, n), trimmed);
  }

  public Path path() {
    return path;
  }

  public TraceHeader header() {
    return header;
  }

  /**
   * Moves to the next sample.
   *
   * @return {@code true} when there is one; {@code false} at the end chunk or when the file ends between
   *     chunks (then see {@link #complete()} and {@link #requireComplete()})
   * @throws TraceDamagedException when the next chunk is cut short, fails its CRC or does not decode; every
   *     sample before it has been delivered
   */
  public boolean next() throws IOException {
    if (closed) {
      throw new IllegalStateException("trace reader for " + path + " is closed");
    }
    if (cursor + 1 < chunkSamples) {
      cursor++;
      samplesRead++;
      return true;
    }
    chunkSamples = 0;
    cursor = -1;
    while (!ended) {
      int type = readChunk();
      if (type == END_OF_FILE) {
        return false;
      }
      if (type == CHUNK_SAMPLES) {
        cursor = 0;
        samplesRead++;
        return true;
      }
    }
    return false;
  }

  /** The current sample's timestamp, nanoseconds since the trace start. */
  public long timestampNanos() {
    requireSample();
    return decoded[cursor];
  }

  /** The current sample's value in {@code column} (an index into the header's columns). */
  public long value(int column) {
    requireSample();
    Objects.checkIndex(column, columns);
    return decoded[(column + 1) * chunkSamples + cursor];
  }

  /** Copies the current sample's values, in column order, into {@code destination} of the column count. */
  public void copyValues(long[] destination) {
    requireSample();
    if (destination.length != columns) {
      throw new IllegalArgumentException("destination has " + destination.length + " entries but the trace has "
          + columns + " columns");
    }
    for (int c = 0, at = chunkSamples + cursor; c < columns; c++, at += chunkSamples) {
      destination[c] = decoded[at];
    }
  }

  /** The number of samples delivered by {@link #next()} so far. */
  public long samplesRead() {
    return samplesRead;
  }

  /** Whether the end chunk has been read: the writer finished the trace. */
  public boolean complete() {
    return ended;
  }

  /** The footer of the end chunk; empty until it has been read. */
  public Map<String, String> footer() {
    return footer;
  }

  /**
   * Checks that the trace was read to its end chunk, after {@link #next()} returned {@code false}.
   *
   * @throws TraceDamagedException ({@link Damage#MISSING_END}) when the file ended without its end chunk
   * @throws IllegalStateException when the trace has not been read to its end yet
   */
  public void requireComplete() throws TraceDamagedException {
    if (ended) {
      return;
    }
    if (!atEof) {
      throw new IllegalStateException("read " + path + " until next() returns false before requireComplete()");
    }
    throw new TraceDamagedException(path, Damage.MISSING_END, position, chunkIndex, samplesRead,
        "trace ends after " + samplesRead + " samples without its end marker: the writer did not finish"
            + " (crash or still writing)");
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      try (channel) {
        inflater.end();
      }
    }
  }

  private void requireSample() {
    if (cursor < 0) {
      throw new IllegalStateException("no current sample: call next() and check that it returned true");
    }
  }

  /**
   * Reads the chunk at {@link #position}: a samples chunk is decoded, an end chunk sets the footer, any other
   * type is skipped. Advances past it only when it is good.
   *
   * @return the chunk's type (0 to 255), or {@link #END_OF_FILE} when the file ends exactly here
   */
  private int readChunk() throws IOException {
    long at = position;
    long size = channel.size();
    atEof = at == size;
    if (atEof) {
      return END_OF_FILE;
    }
    if (at > size) {
      throw damage(Damage.TRUNCATED, at, "the file shrank to " + size + " bytes while being read", null);
    }
    long remaining = size - at;
    if (remaining < FRAME_BYTES) {
      throw damage(Damage.TRUNCATED, at, "unexpected end of file inside a chunk frame (" + remaining + " of "
          + FRAME_BYTES + " bytes): the file was cut short or is still being written", null);
    }
    readFully(at, frame, FRAME_BYTES);
    byte type = frame[0];
    int length = getInt(frame, 1);
    if (length < 0 || length > TraceFormat.MAX_PAYLOAD_BYTES) {
      throw damage(Damage.MALFORMED, at, "corrupt chunk frame: its length field says "
          + (length & 0xFFFFFFFFL) + " bytes, more than the limit of " + TraceFormat.MAX_PAYLOAD_BYTES, null);
    }
    if (remaining - FRAME_BYTES < length) {
      throw damage(Damage.TRUNCATED, at, "unexpected end of file inside a chunk of type " + typeName(type)
          + ": its payload has " + length + " bytes but only " + (remaining - FRAME_BYTES)
          + " remain (the file was cut short or is still being written, or the length field is damaged)", null);
    }
    if (payload.length < length) {
      payload = new byte[Math.max(length, payload.length * 2)];
    }
    readFully(at + FRAME_BYTES, payload, length);
    crc.reset();
    crc.update(frame, 0, 5);
    crc.update(payload, 0, length);
    int stored = getInt(frame, 5);
    if (stored != (int) crc.getValue()) {
      throw damage(Damage.CRC_MISMATCH, at, String.format("chunk CRC32 mismatch (stored 0x%08x, computed 0x%08x):"
          + " its bytes were altered after writing", stored, (int) crc.getValue()), null);
    }
    try {
      if (type == CHUNK_SAMPLES) {
        decodeSamples(length);
      } else if (type == CHUNK_END) {
        decodeEnd(length);
      }
      // Any other type (events, or a type added by a newer minor version) is skipped by its length.
    } catch (MalformedException e) {
      throw damage(Damage.MALFORMED, at, "chunk of type " + typeName(type) + " passes its CRC but does not"
          + " decode: " + e.getMessage(), e);
    }
    position = at + FRAME_BYTES + length;
    chunkIndex++;
    if (type == CHUNK_END) {
      ended = true;
      if (position != size) {
        throw damage(Damage.MALFORMED, position, (size - position) + " bytes follow the end chunk", null);
      }
    }
    return type & 0xFF;
  }

  private void decodeSamples(int length) throws MalformedException {
    if (length < SAMPLES_PREFIX_BYTES) {
      throw new MalformedException("payload of " + length + " bytes is shorter than its " + SAMPLES_PREFIX_BYTES
          + "-byte prefix");
    }
    int n = getInt(payload, 0);
    int rawLength = getInt(payload, 4);
    int streams = columns + 1;
    if (n < 1 || n > TraceFormat.MAX_SAMPLES_PER_CHUNK) {
      throw new MalformedException("sample count " + n + " is outside [1, " + TraceFormat.MAX_SAMPLES_PER_CHUNK
          + "]");
    }
    long maxRaw = 10L * n * streams;
    if (rawLength < n * streams || rawLength > maxRaw) {
      throw new MalformedException("raw length " + rawLength + " is impossible for " + n + " samples of "
          + streams + " streams");
    }
    if (raw.length < rawLength + 1) {
      raw = new byte[Math.max(rawLength + 1, raw.length * 2)];
    }
    inflater.reset();
    inflater.setInput(payload, SAMPLES_PREFIX_BYTES, length - SAMPLES_PREFIX_BYTES);
    int got = 0;
    try {
      while (!inflater.finished()) {
        if (got > rawLength) {
          throw new MalformedException("it inflates to more than the " + rawLength + " bytes its prefix states");
        }
        int k = inflater.inflate(raw, got, rawLength + 1 - got);
        got += k;
        if (k == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new MalformedException("its deflate stream stops before its end");
        }
      }
    } catch (DataFormatException e) {
      throw new MalformedException("its deflate stream is invalid: " + e.getMessage(), e);
    }
    if (got != rawLength) {
      throw new MalformedException("it inflates to " + got + " bytes but its prefix states " + rawLength);
    }
    if (inflater.getRemaining() != 0) {
      throw new MalformedException(inflater.getRemaining() + " bytes follow its deflate stream");
    }
    if (decoded.length < n * streams) {
      decoded = new long[n * streams];
    }
    varints.reset(raw, 0, rawLength);
    for (int s = 0; s < streams; s++) {
      long previous = 0;
      for (int i = s * n, end = i + n; i < end; i++) {
        previous += unzigzag(varints.next());
        decoded[i] = previous;
      }
    }
    if (!varints.atEnd()) {
      throw new MalformedException((rawLength - varints.position()) + " bytes follow the last value");
    }
    long last = lastTimestampNanos;
    for (int i = 0; i < n; i++) {
      if (decoded[i] < last) {
        throw new MalformedException("sample " + i + " has timestamp " + decoded[i]
            + " ns, before the previous sample's " + last + " ns");
      }
      last = decoded[i];
    }
    lastTimestampNanos = last;
    chunkSamples = n;
  }

  private void decodeEnd(int length) throws MalformedException {
    if (length < 8) {
      throw new MalformedException("payload of " + length + " bytes is shorter than its 8-byte sample count");
    }
    long total = 0;
    for (int b = 0; b < 8; b++) {
      total = (total << 8) | (payload[b] & 0xFF);
    }
    if (total != samplesRead) {
      throw new MalformedException("it counts " + total + " samples but the chunks before it hold " + samplesRead);
    }
    footer = Map.copyOf(TraceFormat.mapOf(TraceFormat.decodeEntries(payload, 8, length)));
  }

  private TraceDamagedException damage(Damage damage, long at, String problem, Throwable cause) {
    return new TraceDamagedException(path, damage, at, chunkIndex, samplesRead, problem, null, cause);
  }

  private static String typeName(byte type) {
    return type >= 0x21 && type <= 0x7E ? "'" + (char) type + "'" : String.format("0x%02x", type & 0xFF);
  }

  private void readFully(long at, byte[] into, int length) throws IOException {
    int got = readAt(channel, at, into, 0, length);
    if (got < length) {
      throw damage(Damage.TRUNCATED, at, "the file shrank while being read", null);
    }
  }

  /** Reads up to {@code length} bytes at {@code at}; returns fewer only at the end of the file. */
  private static int readAt(FileChannel channel, long at, byte[] into, int offset, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(into, offset, length);
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at + buffer.position() - offset);
      if (n < 0) {
        break;
      }
    }
    return buffer.position() - offset;
  }
}
