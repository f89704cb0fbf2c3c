/**
 * Training metrics output: the {@code metrics.jsonl} and {@code metrics.csv} sinks (core
 * {@link org.bevt4j.api.MetricsSink} extensions), reading back and truncating the history on resume
 * ({@link org.bevt4j.core.metrics.MetricsHistory}), and the PNG plots of loss, accuracy and learning
 * rate ({@link org.bevt4j.core.metrics.TrainingPlots}).
 */
package org.bevt4j.core.metrics;
