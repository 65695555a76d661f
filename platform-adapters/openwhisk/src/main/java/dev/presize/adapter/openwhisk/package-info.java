/**
 * OpenWhisk REST API: action limits and size-class actions.
 *
 * <p>This module is a placeholder of the layout in DESIGN section 1; a later issue fills it.
 */
package dev.presize.adapter.openwhisk;
