/**
 * Checkpoints: the filesystem {@link dev.presize.spi.checkpoint.CheckpointStore}, the application-state and CRaC
 * checkpointers, and the adaptive (Young/Daly) checkpoint schedule with its contention trigger and its deferral
 * of routine checkpoints to low-contention windows. See {@code docs/checkpoint-schedule.md}.
 */
package dev.presize.core.checkpoint;
