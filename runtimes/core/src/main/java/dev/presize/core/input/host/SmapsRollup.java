package dev.presize.core.input.host;

import dev.presize.core.input.ByteCursor;

/** The one field of {@code /proc/<pid>/smaps_rollup} Presize reads: {@code Referenced:}, in kB. */
final class SmapsRollup {

  private static final byte[] REFERENCED = ByteCursor.key("Referenced:");

  private SmapsRollup() {}

  /**
   * Bytes of the process's mapped memory whose accessed bit is set (or whose page is marked referenced), from the
   * {@code Referenced:} line, or {@link ByteCursor#ABSENT} when the line is missing (a process that has exited
   * shows an empty file).
   */
  static long referencedBytes(ByteCursor content) {
    long kib = content.valueOfLine(REFERENCED);
    return kib == ByteCursor.ABSENT ? ByteCursor.ABSENT : kib * 1024;
  }
}
