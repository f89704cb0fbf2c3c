/** Terminal progress display (progress bar with throughput and ETA) for the core {@code ProgressListener}. */
package org.bevt4j.cli.progress;
