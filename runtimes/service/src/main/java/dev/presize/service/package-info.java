/**
 * The prediction service: HTTP forecasts, model hot-reload, caches and feedback intake.
 *
 * <p>This module is a placeholder of the layout in DESIGN section 1; a later issue fills it.
 */
package dev.presize.service;
