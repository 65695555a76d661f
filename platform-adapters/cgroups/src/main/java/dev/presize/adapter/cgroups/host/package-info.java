/**
 * Resource groups on this host: cgroups Presize creates under its own group to run a command with CPU and
 * memory limits, and removes afterwards.
 */
package dev.presize.adapter.cgroups.host;
