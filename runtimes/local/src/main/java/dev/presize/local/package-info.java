/**
 * The local runtime: runs any command on this host under Presize, in its own cgroup where the host allows,
 * sampled every 10 ms and recorded as a trace (and, in later issues, sized ahead of its need).
 */
package dev.presize.local;
