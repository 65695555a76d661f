/**
 * The contract-test kit: abstract JUnit 5 tests that every implementation of a Presize SPI extends, so each
 * provider is held to the same documented contract; and {@link dev.presize.testkit.TerminalScreen}, a small terminal
 * screen for tests of what is drawn on one.
 */
package dev.presize.testkit;
