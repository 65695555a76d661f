/** Value types for what a function needs and gets: resources, quantile forecasts and resource profiles. */
package dev.presize.spi.resources;
