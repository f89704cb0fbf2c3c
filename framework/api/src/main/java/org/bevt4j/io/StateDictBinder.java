package org.bevt4j.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bevt4j.nn.Param;
import org.bevt4j.nn.ParameterOwner;

/**
 * Copies tensors into a module's parameters by name. Floating tensors are converted to the
 * parameter's dtype (F16/BF16 widened). In strict mode any missing, unexpected or wrong-shape key is
 * an error listing all of them; otherwise the matching keys are loaded and the report returned.
 */
public final class StateDictBinder {
  private StateDictBinder() {}

  /** Binds strictly: throws {@link WeightFileException} with the full report unless it is clean. */
  public static BindReport bindStrict(ParameterOwner owner, StateDict state) {
    return bind(owner, state, true, Set.of());
  }

  /**
   * Binds the tensors.
   *
   * @param ignoredUnexpected keys allowed to be present without a parameter (e.g. recomputed buffers)
   */
  public static BindReport bind(ParameterOwner owner, StateDict state, boolean strict, Set<String> ignoredUnexpected) {
    Map<String, Param> params = owner.namedParameters();
    List<String> loaded = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    List<String> mismatched = new ArrayList<>();
    for (Map.Entry<String, Param> e : params.entrySet()) {
      TensorData t = state.tensors().get(e.getKey());
      if (t == null) {
        missing.add(e.getKey());
        continue;
      }
      long[] expected = e.getValue().shape().getShape();
      if (!Arrays.equals(expected, t.shape())) {
        mismatched.add(
            e.getKey() + ": expected " + Arrays.toString(expected) + ", found " + Arrays.toString(t.shape()));
      }
    }
    for (String k : state.keys()) {
      if (!params.containsKey(k) && !ignoredUnexpected.contains(k)) {
        unexpected.add(k);
      }
    }
    BindReport pre = new BindReport(List.of(), missing, unexpected, mismatched);
    if (strict && !pre.clean()) {
      throw new WeightFileException(state.source() + ": weights do not fit the model:\n  " + pre.describe());
    }
    for (Map.Entry<String, Param> e : params.entrySet()) {
      TensorData t = state.tensors().get(e.getKey());
      if (t == null || !Arrays.equals(e.getValue().shape().getShape(), t.shape())) {
        continue;
      }
      Param p = e.getValue();
      NDManager m = p.array().getManager();
      try (NDManager tmp = m.newSubManager()) {
        NDArray v = t.dtype().isFloating() ? t.toFloat32(tmp) : t.toNDArray(tmp);
        p.copyFrom(v);
      }
      loaded.add(e.getKey());
    }
    return new BindReport(loaded, missing, unexpected, mismatched);
  }

  /** Snapshot of a module's parameters as host tensors, by upstream name. */
  public static Map<String, TensorData> snapshot(ParameterOwner owner) {
    Map<String, TensorData> out = new java.util.LinkedHashMap<>();
    owner.namedParameters().forEach((k, p) -> out.put(k, TensorData.of(p.array())));
    return out;
  }
}
