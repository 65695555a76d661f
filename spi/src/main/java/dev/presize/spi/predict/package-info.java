/** Forecasting contracts: a predictor turns a feature row into a {@link dev.presize.spi.resources.Forecast}. */
package dev.presize.spi.predict;
