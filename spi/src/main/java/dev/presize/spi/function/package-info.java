/** The function contract: what every Presize runtime (local, OpenWhisk, Knative, Lambda) invokes. */
package dev.presize.spi.function;
