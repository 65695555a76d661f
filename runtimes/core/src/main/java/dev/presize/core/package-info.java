/**
 * The Presize engine every runtime embeds. Packages by role: {@code input} reads the world (metric sources),
 * {@code sampling} is the 10 ms loop and its ring buffer, {@code trace} is the on-disk trace format, {@code model}
 * loads trained models and evaluates them in process.
 * JDK + presize-spi only: this code runs inside the user's function JVM.
 */
package dev.presize.core;
