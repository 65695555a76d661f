/**
 * Simulations over real usage series: the checkpoint schedule's waste (lost work plus checkpoint overhead) against
 * fixed intervals and a Young/Daly oracle. See {@code docs/checkpoint-schedule.md}.
 */
package dev.presize.trainer.simulate;
