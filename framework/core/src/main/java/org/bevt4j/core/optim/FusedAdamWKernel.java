package org.bevt4j.core.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bevt4j.nn.NDManagerUtil;
import org.bevt4j.nn.fused.TorchScriptOps;

/**
 * {@link AdamW}'s fused update: libtorch's {@code torch._fused_adamw_} through {@link
 * TorchScriptOps#fusedAdamW}, one call per group of parameters that share the learning-rate scale
 * and the weight decay (pretraining has two groups: decayed and exempt). The kernel reads the step
 * count from a float32 scalar tensor per parameter, so this class keeps one next to {@link
 * AdamW}'s {@code long} counters and increments both together (exact up to 2^24 steps).
 */
final class FusedAdamWKernel implements AutoCloseable {
  /** Per device: empty when the fused kernel ran correctly on a probe, else why not. */
  private static final Map<Device, Optional<String>> PROBES = new ConcurrentHashMap<>();

  private final NDManager manager;
  private final Device device;
  private final NDArray[] stepTensors;
  private final List<int[]> groups;

  /**
   * @param params the optimizer's parameters (all float32 on {@code device})
   * @param manager long-lived manager for the step tensors
   */
  FusedAdamWKernel(List<OptimParam> params, NDManager manager, Device device) {
    this.manager = manager;
    this.device = device;
    this.stepTensors = new NDArray[params.size()];
    for (int i = 0; i < stepTensors.length; i++) {
      stepTensors[i] = stepTensor(0);
    }
    Map<List<Double>, List<Integer>> byKey = new LinkedHashMap<>();
    for (int i = 0; i < params.size(); i++) {
      OptimParam p = params.get(i);
      byKey.computeIfAbsent(List.of(p.lrScale(), p.weightDecay()), k -> new ArrayList<>()).add(i);
    }
    this.groups = byKey.values().stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toList();
  }

  /**
   * Why the fused kernel cannot serve these parameters (empty when it can): every parameter must
   * be float32 on one device, and a probe update on that device must give the expected result.
   */
  static Optional<String> unavailableReason(List<OptimParam> params) {
    if (params.isEmpty()) {
      return Optional.of("no parameters");
    }
    Device device = params.get(0).param().array().getDevice();
    for (OptimParam p : params) {
      NDArray w = p.param().array();
      if (!w.getDevice().equals(device)) {
        return Optional.of("parameters on several devices (" + device + ", " + w.getDevice() + " for " + p.name() + ")");
      }
      if (w.getDataType() != DataType.FLOAT32) {
        return Optional.of("parameter " + p.name() + " is " + w.getDataType() + ", the fused path takes float32 only");
      }
    }
    return PROBES.computeIfAbsent(device, FusedAdamWKernel::probe);
  }

  /** One fused update on tiny tensors, checked against the closed form of a first Adam step. */
  private static Optional<String> probe(Device device) {
    try (NDManager m = NDManager.newBaseManager(device);
        NDScope s = new NDScope()) {
      s.suppressNotUsedWarning();
      NDArray w = m.zeros(new Shape(3));
      NDArray g = m.ones(new Shape(3));
      NDArray step = m.zeros(new Shape(), DataType.FLOAT32);
      TorchScriptOps.get(device).fusedAdamW(List.of(w), List.of(g), List.of(m.zeros(new Shape(3))),
          List.of(m.zeros(new Shape(3))), List.of(step), 0.5, 0.9, 0.999, 0.0, 1e-8);
      float[] got = w.toFloatArray();
      // the first step moves every weight by -lr * sign(g) (up to eps)
      if (step.getFloat() != 1f || Math.abs(got[0] + 0.5f) > 1e-5f || Math.abs(got[2] + 0.5f) > 1e-5f) {
        return Optional.of("the probe update on " + device + " gave w=" + java.util.Arrays.toString(got)
            + " step=" + step.getFloat() + " instead of w=-0.5, step=1");
      }
      return Optional.empty();
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      return Optional.of("torch._fused_adamw_ failed on " + device + ": " + e);
    }
  }

  /**
   * Updates every parameter that has a gradient: increments its counter in {@code steps} and its
   * step tensor, then runs the kernel per group at {@code lr × lrScale}. Returns how many were updated.
   */
  int step(List<OptimParam> params, NDArray[] m, NDArray[] v, long[] steps, double lr,
      double beta1, double beta2, double eps) {
    TorchScriptOps ops = TorchScriptOps.get(device);
    int updated = 0;
    try (NDScope s = new NDScope()) {
      s.suppressNotUsedWarning();
      for (int[] group : groups) {
        List<NDArray> ws = new ArrayList<>(group.length);
        List<NDArray> gs = new ArrayList<>(group.length);
        List<NDArray> ms = new ArrayList<>(group.length);
        List<NDArray> vs = new ArrayList<>(group.length);
        List<NDArray> ts = new ArrayList<>(group.length);
        for (int i : group) {
          NDArray w = params.get(i).param().array();
          NDArray g = Gradients.gradOrNull(w);
          if (g == null) {
            continue;
          }
          steps[i]++;
          ws.add(w);
          gs.add(g);
          ms.add(m[i]);
          vs.add(v[i]);
          ts.add(stepTensors[i]);
        }
        OptimParam first = params.get(group[0]);
        updated += ops.fusedAdamW(ws, gs, ms, vs, ts, lr * first.lrScale(), beta1, beta2, first.weightDecay(), eps);
      }
    }
    return updated;
  }

  /** Sets the step tensors to restored counters. */
  void setSteps(long[] steps) {
    for (int i = 0; i < steps.length; i++) {
      NDArray old = stepTensors[i];
      stepTensors[i] = stepTensor(steps[i]);
      old.close();
    }
  }

  private NDArray stepTensor(long value) {
    return NDManagerUtil.detachFromScope(manager.full(new Shape(), (float) value, DataType.FLOAT32, device));
  }

  @Override
  public void close() {
    for (NDArray t : stepTensors) {
      t.close();
    }
  }
}
