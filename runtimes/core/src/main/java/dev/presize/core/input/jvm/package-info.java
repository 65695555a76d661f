/**
 * Metric sources that read this JVM from inside: heap, GC and allocation from MXBeans and GC notifications
 * ({@code jvm}), and the code phase from JFR's execution sampler ({@code jfr-phase}). Both are in-process only.
 */
package dev.presize.core.input.jvm;
