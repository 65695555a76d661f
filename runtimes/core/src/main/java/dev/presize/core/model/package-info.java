/**
 * Trained forecast models, evaluated in the user's JVM with no dependency: {@link dev.presize.core.model.TreeEnsemble}
 * evaluates an XGBoost JSON model bit for bit as XGBoost does, {@link dev.presize.core.model.ModelBundle} loads a
 * verified {@code presize-model/1} directory ({@code docs/model-format.md}) of
 * {@link dev.presize.core.model.QuantileModel}s, one per target. Loading is strict (a damaged or unsupported file
 * is a {@link dev.presize.core.model.ModelFormatException} naming it); predicting allocates nothing.
 */
package dev.presize.core.model;
