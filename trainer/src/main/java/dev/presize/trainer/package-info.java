/**
 * The trainer: builds usage series from traces (our own and public ones), runs baseline recommenders on them,
 * and (in later steps) trains and evaluates the forecasting model. Packages by role: {@code model} (pure data),
 * {@code input} (readers of trace formats), {@code baseline} (reference recommenders).
 */
package dev.presize.trainer;
