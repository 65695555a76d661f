/**
 * The prediction service ({@code presize serve}): batch forecasts over HTTP from the registry's current models,
 * hot reload when the {@code current} pointer moves, feedback intake into an append-only residual log, model
 * promotion and rollback behind a bearer token, Prometheus metrics. See docs/api.md and this module's README.
 */
package dev.presize.service;
