/**
 * Metric sources that read a target's cgroup (v1 or v2 counters and limits) and pressure stall information.
 *
 * <p>Each source opens its files once and re-reads them with {@link dev.presize.core.input.ProcFile}, parsing
 * with {@link dev.presize.core.input.ByteCursor}: no allocation per sample. Files that change only when someone
 * resizes the group (limits) or that are costly to generate ({@code memory.stat}) are read on a rotation, one
 * of them per tick, so a tick stays near three file reads.
 */
package dev.presize.adapter.cgroups.input;
