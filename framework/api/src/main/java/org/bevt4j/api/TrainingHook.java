package org.bevt4j.api;

import org.pf4j.ExtensionPoint;

/** Extension of the training loop; hooks run in ascending {@link #priority()} order. */
@Stable
public interface TrainingHook extends ExtensionPoint {
  String name();

  /** Lower runs first; core hooks use 100 (metrics), 200 (checkpoints), 300 (plots). */
  default int priority() {
    return 500;
  }

  void onEvent(TrainingEvent event) throws Exception;
}
