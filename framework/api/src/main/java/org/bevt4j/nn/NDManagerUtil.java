package org.bevt4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/** Small helpers around DJL memory management. */
public final class NDManagerUtil {
  private NDManagerUtil() {}

  /**
   * Removes a long-lived array (a parameter, an optimizer moment, a cached index) from the
   * innermost open {@link NDScope} so that closing the scope does not free it.
   */
  public static NDArray detachFromScope(NDArray array) {
    NDScope.unregister(array);
    return array;
  }
}
