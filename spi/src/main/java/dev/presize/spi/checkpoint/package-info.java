/** Checkpoint contracts: taking a function's checkpoint now, and storing it safely. */
package dev.presize.spi.checkpoint;
