/** Feedback contracts: every forecast later paired with what really happened. */
package dev.presize.spi.feedback;
