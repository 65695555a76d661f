/** Typed configuration read from defaults, a file, the environment and system properties, in that order. */
package dev.presize.spi.config;
