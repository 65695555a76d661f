/** Host contracts: a group on this host (a cgroup) in which a command runs with limits. */
package dev.presize.spi.host;
