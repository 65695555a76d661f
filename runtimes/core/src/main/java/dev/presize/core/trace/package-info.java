/**
 * The Presize trace format: a versioned, compressed, streamable file of timestamped metric samples.
 *
 * <p>{@link dev.presize.core.trace.TraceWriter} writes one, {@link dev.presize.core.trace.TraceReader} reads
 * one (also while it is still being written), and {@link dev.presize.core.trace.TraceReader#readAll} loads a
 * whole trace into a {@link dev.presize.core.trace.TraceData}. The byte layout is specified in
 * {@code docs/trace-format.md}; {@code TraceFormat} holds its constants.
 */
package dev.presize.core.trace;
