/**
 * The Presize service-provider interface: contracts and value types between the engine and its providers.
 *
 * <p>JDK only: no third-party type appears in any signature here. Providers are found with
 * {@link java.util.ServiceLoader} and chosen by {@link dev.presize.spi.ProviderRegistry}.
 */
package dev.presize.spi;
