package org.bevt4j.core.quickstart;

import java.util.List;

/**
 * The quickstart's outcome.
 *
 * @param rows one probe result per backbone (random, image-only, joint)
 * @param classes number of classes of the probe data
 */
public record QuickstartResult(List<ProbeOutcome> rows, int classes) {
  /** The fixed-width comparison table. */
  public String table() {
    return QuickstartReport.table(rows, classes);
  }
}
