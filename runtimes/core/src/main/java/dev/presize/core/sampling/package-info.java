/**
 * The sampling loop: one daemon thread reads every metric source each tick (10 ms by default) into a primitive
 * ring buffer, without allocating; consumers drain the ring on their own threads.
 */
package dev.presize.core.sampling;
