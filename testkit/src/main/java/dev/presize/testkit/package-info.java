/**
 * The contract-test kit: abstract JUnit 5 tests that every implementation of a Presize SPI extends, so each
 * provider is held to the same documented contract.
 */
package dev.presize.testkit;
