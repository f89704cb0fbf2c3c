/**
 * {@code bevt4j quickstart}: the embedded default run. On synthetic clips whose classes are defined
 * by motion, it pretrains a tiny BEVT Video Swin jointly (video + image streams) and, for comparison,
 * image-stream-only with the same number of steps, then linear-probes the frozen backbones (random
 * initialisation, image-only, joint) on fresh labelled clips and reports the comparison as a table,
 * markdown, JSON and a bar chart.
 */
package org.bevt4j.core.quickstart;
