/** Actuation contracts: applying a {@link dev.presize.spi.resources.ResourceProfile} through a platform. */
package dev.presize.spi.actuate;
