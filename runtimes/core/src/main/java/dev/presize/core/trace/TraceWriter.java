package dev.presize.core.trace;

import static dev.presize.core.trace.TraceFormat.CHUNK_END;
import static dev.presize.core.trace.TraceFormat.CHUNK_SAMPLES;
import static dev.presize.core.trace.TraceFormat.FRAME_BYTES;
import static dev.presize.core.trace.TraceFormat.SAMPLES_PREFIX_BYTES;
import static dev.presize.core.trace.TraceFormat.putInt;
import static dev.presize.core.trace.TraceFormat.putVarint;
import static dev.presize.core.trace.TraceFormat.zigzag;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The writer of one trace file: a header, then chunks of compressed samples, then an end chunk with a footer.
 *
 * <p>Samples are buffered in memory and written as one chunk every {@code samplesPerChunk} samples (256 by
 * default) or on {@link #flush()}; each chunk is written to the OS with one positional write, so a concurrent
 * {@link TraceReader} sees every chunk written so far. {@link #close(Map)} writes the end chunk and fsyncs.
 * {@link #append} does not allocate: buffers and the {@link Deflater} are made once.
 *
 * <p>Not thread-safe: one thread (the drain thread of the sampler's ring) owns a writer. After an
 * {@link IOException} the writer refuses further samples, since the file may end in a partial chunk.
 */
public final class TraceWriter implements Closeable {

  /** Samples per chunk unless asked otherwise: 2.56 s of 10 ms samples. */
  public static final int DEFAULT_SAMPLES_PER_CHUNK = 256;

  private static final System.Logger LOG = System.getLogger(TraceWriter.class.getName());

  private final Path path;
  private final TraceHeader header;
  private final FileChannel channel;
  private final int streams;
  private final int samplesPerChunk;
  /** Stream s (0 = timestamps, 1 + c = column c), sample i at {@code s * samplesPerChunk + i}. */
  private final long[] pending;
  private final byte[] raw;
  private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
  private final CRC32 crc = new CRC32();
  private byte[] chunk;
  private ByteBuffer chunkBuffer;
  private int pendingCount;
  private long lastTimestampNanos;
  private long samplesWritten;
  private long chunksWritten;
  private long bytesWritten;
  private boolean closed;
  private IOException failure;

  private TraceWriter(Path path, TraceHeader header, FileChannel channel, int samplesPerChunk) {
    this.path = path;
    this.header = header;
    this.channel = channel;
    this.streams = header.columnCount() + 1;
    this.samplesPerChunk = samplesPerChunk;
    this.pending = new long[streams * samplesPerChunk];
    this.raw = new byte[streams * samplesPerChunk * 10];
    allocateChunk(FRAME_BYTES + SAMPLES_PREFIX_BYTES + raw.length + raw.length / 16 + 64);
  }

  /** Creates (or truncates) {@code path} and writes the header; {@value #DEFAULT_SAMPLES_PER_CHUNK} samples a chunk. */
  public static TraceWriter create(Path path, TraceHeader header) throws IOException {
    return create(path, header, DEFAULT_SAMPLES_PER_CHUNK);
  }

  /**
   * Creates (or truncates) {@code path} and writes the header.
   *
   * @param samplesPerChunk samples buffered before a chunk is written, in [1, 65536]
   */
  public static TraceWriter create(Path path, TraceHeader header, int samplesPerChunk) throws IOException {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(header, "header");
    if (!header.formatVersion().equals(TraceFormatVersion.CURRENT)) {
      throw new IllegalArgumentException("this writer writes format " + TraceFormatVersion.CURRENT
          + " but the header asks for " + header.formatVersion());
    }
    if (samplesPerChunk < 1 || samplesPerChunk > TraceFormat.MAX_SAMPLES_PER_CHUNK) {
      throw new IllegalArgumentException("samplesPerChunk must be in [1, " + TraceFormat.MAX_SAMPLES_PER_CHUNK
          + "] but was " + samplesPerChunk);
    }
    byte[] headerBytes = TraceFormat.encodeHeader(header);
    if (headerBytes.length > TraceFormat.MAX_HEADER_BYTES) {
      throw new IllegalArgumentException("header encodes to " + headerBytes.length + " bytes, more than the "
          + TraceFormat.MAX_HEADER_BYTES + " allowed");
    }
    byte[] start = new byte[TraceFormat.PREAMBLE_BYTES + headerBytes.length + 4];
    System.arraycopy(TraceFormat.MAGIC, 0, start, 0, TraceFormat.MAGIC.length);
    int p = TraceFormat.MAGIC.length;
    start[p] = (byte) (TraceFormatVersion.CURRENT.major() >>> 8);
    start[p + 1] = (byte) TraceFormatVersion.CURRENT.major();
    start[p + 2] = (byte) (TraceFormatVersion.CURRENT.minor() >>> 8);
    start[p + 3] = (byte) TraceFormatVersion.CURRENT.minor();
    putInt(start, p + 4, headerBytes.length);
    System.arraycopy(headerBytes, 0, start, TraceFormat.PREAMBLE_BYTES, headerBytes.length);
    CRC32 crc = new CRC32();
    crc.update(start, p, start.length - 4 - p);
    putInt(start, start.length - 4, (int) crc.getValue());

    FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
    try {
      writeFully(channel, ByteBuffer.wrap(start));
    } catch (IOException | RuntimeException e) {
      try {
        channel.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    TraceWriter writer = new TraceWriter(path, header, channel, samplesPerChunk);
    writer.bytesWritten = start.length;
    return writer;
  }

  /**
   * Adds one sample.
   *
   * @param timestampNanos nanoseconds since the trace start; not negative and not before the previous sample
   * @param values one value per header column, in column order (copied)
   * @throws IllegalArgumentException when {@code values} has the wrong length or the timestamp goes back
   * @throws IOException when a full chunk cannot be written; the writer then refuses further samples
   */
  public void append(long timestampNanos, long[] values) throws IOException {
    checkWritable();
    if (values.length != streams - 1) {
      throw new IllegalArgumentException("values has " + values.length + " entries but the trace has "
          + (streams - 1) + " columns " + header.columns());
    }
    if (timestampNanos < 0) {
      throw new IllegalArgumentException("timestampNanos " + timestampNanos
          + " is negative: timestamps count nanoseconds since the trace start");
    }
    if (timestampNanos < lastTimestampNanos) {
      throw new IllegalArgumentException("timestampNanos " + timestampNanos + " is before the previous sample's "
          + lastTimestampNanos + ": timestamps must not decrease");
    }
    lastTimestampNanos = timestampNanos;
    int i = pendingCount;
    pending[i] = timestampNanos;
    for (int c = 0, at = samplesPerChunk + i; c < values.length; c++, at += samplesPerChunk) {
      pending[at] = values[c];
    }
    pendingCount = i + 1;
    samplesWritten++;
    if (pendingCount == samplesPerChunk) {
      writeSamplesChunk();
    }
  }

  /**
   * Ends the current chunk and writes it to the OS, so that a concurrent reader sees every sample appended so
   * far. Does not fsync (see {@link #close(Map)}); a no-op when no sample is pending.
   */
  public void flush() throws IOException {
    checkWritable();
    if (pendingCount > 0) {
      writeSamplesChunk();
    }
  }

  /** Finishes the trace with an empty footer; does nothing when already closed. */
  @Override
  public void close() throws IOException {
    if (!closed) {
      close(Map.of());
    }
  }

  /**
   * Writes the pending samples, the end chunk with the total sample count and this footer (e.g. the command's
   * exit code and a summary), fsyncs and closes the file.
   *
   * @throws IllegalArgumentException when a footer key is blank or a value null; the writer stays open
   * @throws IllegalStateException when already closed
   * @throws IOException when writing fails, or failed earlier: the trace is then left without its end chunk
   */
  public void close(Map<String, String> footer) throws IOException {
    if (closed) {
      throw new IllegalStateException("trace writer for " + path + " is already closed");
    }
    byte[] footerBytes = TraceFormat.encodeEntries(TraceFormat.entriesOf(validFooter(footer)));
    closed = true;
    try (channel) {
      if (failure != null) {
        throw new IOException("trace " + path + " is left without its end chunk: writing failed earlier", failure);
      }
      if (pendingCount > 0) {
        writeSamplesChunk();
      }
      allocateChunk(FRAME_BYTES + 8 + footerBytes.length);
      long total = samplesWritten;
      for (int b = 0; b < 8; b++) {
        chunk[FRAME_BYTES + b] = (byte) (total >>> (56 - 8 * b));
      }
      System.arraycopy(footerBytes, 0, chunk, FRAME_BYTES + 8, footerBytes.length);
      writeChunk(CHUNK_END, 8 + footerBytes.length);
      channel.force(true);
    } finally {
      deflater.end();
    }
    LOG.log(System.Logger.Level.DEBUG, "trace.closed path={0} samples={1} chunks={2} bytes={3}",
        path, samplesWritten, chunksWritten, bytesWritten);
  }

  public Path path() {
    return path;
  }

  public TraceHeader header() {
    return header;
  }

  /** Samples appended so far, pending ones included. */
  public long samplesWritten() {
    return samplesWritten;
  }

  /** Bytes written to the file so far (header and written chunks; not pending samples). */
  public long bytesWritten() {
    return bytesWritten;
  }

  private static Map<String, String> validFooter(Map<String, String> footer) {
    Objects.requireNonNull(footer, "footer");
    Map<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, String> e : footer.entrySet()) {
      if (e.getKey() == null || e.getKey().isBlank()) {
        throw new IllegalArgumentException("footer keys must not be blank but one was '" + e.getKey() + "'");
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException("footer[" + e.getKey() + "] must not be null");
      }
      sorted.put(e.getKey(), e.getValue());
    }
    return sorted;
  }

  private void checkWritable() {
    if (closed) {
      throw new IllegalStateException("trace writer for " + path + " is closed");
    }
    if (failure != null) {
      throw new IllegalStateException("trace writer for " + path + " failed earlier: " + failure.getMessage(),
          failure);
    }
  }

  private void allocateChunk(int size) {
    chunk = new byte[size];
    chunkBuffer = ByteBuffer.wrap(chunk);
  }

  /** Encodes the pending samples column-major as zigzag varint deltas, deflates them and writes the chunk. */
  private void writeSamplesChunk() throws IOException {
    int n = pendingCount;
    int p = 0;
    for (int s = 0; s < streams; s++) {
      long previous = 0;
      for (int i = s * samplesPerChunk, end = i + n; i < end; i++) {
        long v = pending[i];
        p = putVarint(raw, p, zigzag(v - previous));
        previous = v;
      }
    }
    deflater.reset();
    deflater.setInput(raw, 0, p);
    deflater.finish();
    int out = FRAME_BYTES + SAMPLES_PREFIX_BYTES;
    while (!deflater.finished()) {
      if (out == chunk.length) {
        // Incompressible input beyond the deflate bound: never expected, but grow rather than fail.
        chunk = Arrays.copyOf(chunk, chunk.length * 2);
        chunkBuffer = ByteBuffer.wrap(chunk);
      }
      out += deflater.deflate(chunk, out, chunk.length - out);
    }
    putInt(chunk, FRAME_BYTES, n);
    putInt(chunk, FRAME_BYTES + 4, p);
    writeChunk(CHUNK_SAMPLES, out - FRAME_BYTES);
    pendingCount = 0;
  }

  /** Fills the frame of {@code chunk[FRAME_BYTES, FRAME_BYTES + payloadBytes)} and writes it. */
  private void writeChunk(byte type, int payloadBytes) throws IOException {
    chunk[0] = type;
    putInt(chunk, 1, payloadBytes);
    crc.reset();
    crc.update(chunk, 0, 5);
    crc.update(chunk, FRAME_BYTES, payloadBytes);
    putInt(chunk, 5, (int) crc.getValue());
    chunkBuffer.clear().limit(FRAME_BYTES + payloadBytes);
    try {
      writeFully(channel, chunkBuffer);
    } catch (IOException e) {
      failure = e;
      throw e;
    }
    chunksWritten++;
    bytesWritten += FRAME_BYTES + payloadBytes;
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }
}
