/**
 * The AWS Lambda handler wrapper and CRaC resources for SnapStart.
 *
 * <p>This module is a placeholder of the layout in DESIGN section 1; a later issue fills it.
 */
package dev.presize.runtime.lambda;
