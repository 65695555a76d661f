/**
 * Sampling contracts: the sample schema ({@link dev.presize.spi.metrics.Metric}), metric sources and their
 * providers, and what is sampled ({@link dev.presize.spi.metrics.SamplingTarget}).
 */
package dev.presize.spi.metrics;
