/**
 * Actuators that resize a function's cgroup: {@code cgroup-v1} ({@code cpu.cfs_quota_us},
 * {@code memory.limit_in_bytes} with {@code memory.memsw.limit_in_bytes}) and {@code cgroup-v2}
 * ({@code cpu.max}, {@code memory.max}, {@code memory.high}). Memory is never lowered below usage plus a guard;
 * function ids name one group directly under a configured parent and cannot reach outside it.
 */
package dev.presize.adapter.cgroups.actuate;
