/**
 * The HTTP function runtime for Knative with the Presize engine inside.
 *
 * <p>This module is a placeholder of the layout in DESIGN section 1; a later issue fills it.
 */
package dev.presize.runtime.knative;
