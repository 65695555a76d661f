/** Metric sources reading procfs: the process tree ({@code stat}, {@code io}) and its network namespace. */
package dev.presize.core.input.proc;
