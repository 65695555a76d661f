/**
 * Linux cgroup v1 and v2 for Presize: where the hierarchies are mounted and which group a process is in.
 *
 * <p>Packages by role: {@code input} holds the metric sources (cgroup counters, PSI), {@code host} the resource
 * groups Presize creates to run a command with limits, {@code actuate} the actuators that resize a running
 * function's group. Every path this module reads can be moved with
 * {@link dev.presize.adapter.cgroups.CgroupConfig} keys, so tests run on a {@code @TempDir} tree shaped like
 * {@code /sys/fs/cgroup}.
 */
package dev.presize.adapter.cgroups;
