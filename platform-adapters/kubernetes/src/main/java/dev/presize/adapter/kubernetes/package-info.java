/**
 * In-place pod resize (pods/resize) and Knative revision sizing through fabric8.
 *
 * <p>This module is a placeholder of the layout in DESIGN section 1; a later issue fills it.
 */
package dev.presize.adapter.kubernetes;
