/**
 * Predictors (SPI {@code PredictorProvider}s): {@code embedded} evaluates the current model in process,
 * {@code remote} asks the prediction service over HTTP, {@code fallback} chains them and falls back to the last
 * good forecast widened by a margin. Every forecast names the model and version that made it. JDK + spi only.
 */
package dev.presize.core.predict;
