/**
 * Dataset building, XGBoost training, baselines, evaluation, model registry and validation gate.
 *
 * <p>This module is a placeholder of the layout in DESIGN section 1; a later issue fills it.
 */
package dev.presize.trainer;
