/**
 * AWS Lambda memory configuration, size-class versions and aliases, SnapStart publishing.
 *
 * <p>This module is a placeholder of the layout in DESIGN section 1; a later issue fills it.
 */
package dev.presize.adapter.lambda;
