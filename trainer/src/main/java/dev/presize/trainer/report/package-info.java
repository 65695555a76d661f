/**
 * The evaluation report of {@code presize evaluate --report DIR}: one self-contained HTML page with the metric
 * tables of every method, and PNG charts (the slack vs under-provisioned trade-off of every method, and forecast and
 * allocation vs usage of a few series), rendered headless with JFreeChart. The entry point is
 * {@link dev.presize.trainer.report.EvaluationReport#write EvaluationReport.write}.
 */
package dev.presize.trainer.report;
