package org.bevt4j.core.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.TensorData;
import org.bevt4j.nn.NDManagerUtil;
import org.bevt4j.nn.Param;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AdamW with the semantics of {@code torch.optim.AdamW} (single-tensor path), per parameter:
 *
 * <pre>
 *   w ← w · (1 − lr·wd)                       (decoupled decay, lr = scheduled lr × lrScale)
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   w ← w − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
 * </pre>
 *
 * with {@code t} counted per parameter. Parameters whose gradient is absent (never reached by
 * backward, PyTorch's {@code grad is None}) are skipped entirely. The moments are created eagerly in
 * the given long-lived manager and detached from any scope (so a step inside an {@link NDScope}
 * never frees them; see the "step 0" pitfall in djl-notes.md). {@link #state()} / {@link
 * #load(StateDict)} save and restore everything bit-exactly.
 *
 * <p>Host-side math uses {@link StrictMath}: {@code Math.pow} may differ by an ulp between the
 * interpreter and JIT-compiled code, which would break bit-exact resume across processes.
 *
 * <p>The update runs either as libtorch's fused multi-tensor kernel ({@link
 * AdamWImplementation#FUSED}: {@code torch._fused_adamw_}, one native call per group of parameters
 * sharing learning-rate scale and decay, the first moment updated as {@code exp_avg.lerp_(grad, 1 −
 * β1)}) or as one DJL op per term ({@link AdamWImplementation#ELEMENTWISE}); the two agree up to
 * float32 rounding and share the state format, and each is deterministic, so a resumed run
 * continues bit-exactly with the implementation it was saved with.
 *
 * <p>Call {@link #step(double)} with autograd off (outside any {@code GradientCollector}). It does
 * not zero the gradients; use {@link #zeroGrad()}.
 */
public final class AdamW implements AutoCloseable {
  /** Step counts from which the fused kernel's float32 step tensors are no longer exact. */
  private static final long FUSED_STEP_LIMIT = 1L << 24;
  private static final Logger LOG = LoggerFactory.getLogger(AdamW.class);

  private final List<OptimParam> params;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final NDManager manager;
  private final NDArray[] m;
  private final NDArray[] v;
  private final long[] steps;
  private final FusedAdamWKernel fused;
  private long updates;

  /**
   * An AdamW with the {@link AdamWImplementation#AUTO} implementation (fused where available).
   *
   * @param params the parameters with their decay and LR scale (names must be unique)
   * @param beta1 first-moment decay in [0, 1)
   * @param beta2 second-moment decay in [0, 1)
   * @param eps denominator term, > 0
   * @param manager long-lived manager for the moments (on the parameters' device)
   */
  public AdamW(List<OptimParam> params, double beta1, double beta2, double eps, NDManager manager) {
    this(params, beta1, beta2, eps, AdamWImplementation.AUTO, manager);
  }

  /**
   * @param params the parameters with their decay and LR scale (names must be unique)
   * @param beta1 first-moment decay in [0, 1)
   * @param beta2 second-moment decay in [0, 1)
   * @param eps denominator term, > 0
   * @param implementation how to compute the update; {@link AdamWImplementation#FUSED} fails here
   *     (naming the reason) when libtorch's fused kernel cannot serve these parameters
   * @param manager long-lived manager for the moments (on the parameters' device)
   */
  public AdamW(
      List<OptimParam> params, double beta1, double beta2, double eps,
      AdamWImplementation implementation, NDManager manager) {
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("betas must be in [0, 1), got (" + beta1 + ", " + beta2 + ")");
    }
    if (!(eps > 0)) {
      throw new IllegalArgumentException("eps must be > 0, got " + eps);
    }
    Set<String> names = new HashSet<>();
    for (OptimParam p : params) {
      if (!names.add(p.name())) {
        throw new IllegalArgumentException("duplicate optimizer parameter name " + p.name());
      }
    }
    this.params = List.copyOf(params);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.manager = manager;
    boolean useFused = useFused(implementation); // before allocating: 'fused' may be refused
    int n = params.size();
    this.m = new NDArray[n];
    this.v = new NDArray[n];
    this.steps = new long[n];
    for (int i = 0; i < n; i++) {
      NDArray w = params.get(i).param().array();
      m[i] = NDManagerUtil.detachFromScope(manager.zeros(w.getShape(), DataType.FLOAT32, w.getDevice()));
      v[i] = NDManagerUtil.detachFromScope(manager.zeros(w.getShape(), DataType.FLOAT32, w.getDevice()));
    }
    this.fused = useFused ? new FusedAdamWKernel(this.params, manager, params.get(0).param().array().getDevice()) : null;
  }

  private boolean useFused(AdamWImplementation implementation) {
    switch (Objects.requireNonNull(implementation, "implementation")) {
      case ELEMENTWISE:
        return false;
      case FUSED: {
        Optional<String> why = FusedAdamWKernel.unavailableReason(params);
        if (why.isPresent()) {
          throw new IllegalArgumentException("AdamW implementation 'fused' is not available: " + why.get()
              + "; use 'auto' or 'elementwise'");
        }
        return true;
      }
      default: {
        if (params.isEmpty()) {
          return false;
        }
        Optional<String> why = FusedAdamWKernel.unavailableReason(params);
        why.ifPresent(w -> LOG.warn("AdamW: the fused kernel is not available ({}); using the elementwise update", w));
        return why.isEmpty();
      }
    }
  }

  /** The implementation in use: {@link AdamWImplementation#FUSED} or {@link AdamWImplementation#ELEMENTWISE}. */
  public AdamWImplementation implementation() {
    return fused != null ? AdamWImplementation.FUSED : AdamWImplementation.ELEMENTWISE;
  }

  /** The optimized parameters, in order. */
  public List<OptimParam> params() {
    return params;
  }

  /** The raw parameters, in order. */
  public List<Param> rawParams() {
    List<Param> out = new ArrayList<>(params.size());
    for (OptimParam p : params) {
      out.add(p.param());
    }
    return Collections.unmodifiableList(out);
  }

  /** Number of {@link #step} calls so far (restored by {@link #load}). */
  public long updates() {
    return updates;
  }

  /**
   * One update of every parameter that has a gradient, at the scheduled learning rate {@code lr}
   * (each parameter uses {@code lr × lrScale}). Returns how many parameters were updated.
   */
  public int step(double lr) {
    updates++;
    if (fused != null && maxStep() < FUSED_STEP_LIMIT - 1) {
      return fused.step(params, m, v, steps, lr, beta1, beta2, eps);
    }
    int updated = 0;
    for (int i = 0; i < params.size(); i++) {
      OptimParam p = params.get(i);
      NDArray w = p.param().array();
      try (NDScope s = new NDScope()) {
        NDArray g = Gradients.gradOrNull(w);
        if (g == null) {
          continue;
        }
        steps[i]++;
        double lrp = lr * p.lrScale();
        if (p.weightDecay() != 0 && lrp != 0) {
          w.muli((float) (1.0 - lrp * p.weightDecay()));
        }
        m[i].muli((float) beta1).addi(g.mul((float) (1.0 - beta1)));
        v[i].muli((float) beta2).addi(g.square().muli((float) (1.0 - beta2)));
        double bc1 = 1.0 - StrictMath.pow(beta1, steps[i]);
        double bc2 = 1.0 - StrictMath.pow(beta2, steps[i]);
        NDArray denom = v[i].sqrt().divi((float) Math.sqrt(bc2)).addi((float) eps);
        w.subi(m[i].div(denom).muli((float) (lrp / bc1)));
        updated++;
      }
    }
    return updated;
  }

  private long maxStep() {
    long max = 0;
    for (long t : steps) {
      max = Math.max(max, t);
    }
    return max;
  }

  /** Zeroes the gradients of all optimized parameters (gradients never created stay absent). */
  public void zeroGrad() {
    Gradients.zero(rawParams());
  }

  /**
   * The full state: {@code exp_avg.<name>}, {@code exp_avg_sq.<name>} (float32, parameter shape)
   * and {@code step.<name>} (int64 [1]) per parameter; the update count in the metadata.
   */
  public Map<String, TensorData> state() {
    Map<String, TensorData> out = new LinkedHashMap<>();
    for (int i = 0; i < params.size(); i++) {
      String n = params.get(i).name();
      out.put("exp_avg." + n, TensorData.of(m[i]));
      out.put("exp_avg_sq." + n, TensorData.of(v[i]));
      out.put("step." + n, TensorData.ofLongs(new long[] {steps[i]}, 1));
    }
    return out;
  }

  /** Metadata stored with {@link #state()}. */
  public Map<String, String> stateMetadata() {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("optimizer", "adamw");
    meta.put("updates", Long.toString(updates));
    meta.put("betas", beta1 + "," + beta2);
    meta.put("eps", Double.toString(eps));
    return meta;
  }

  /**
   * Restores a state written by {@link #state()} (and its metadata). Every parameter must be
   * present with the right shape, and no foreign parameter may be; errors list all problems.
   */
  public void load(StateDict state) {
    List<String> problems = new ArrayList<>();
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < params.size(); i++) {
      String n = params.get(i).name();
      long[] shape = params.get(i).param().array().getShape().getShape();
      for (String prefix : new String[] {"exp_avg.", "exp_avg_sq."}) {
        expected.add(prefix + n);
        TensorData t = state.tensors().get(prefix + n);
        if (t == null) {
          problems.add("missing " + prefix + n);
        } else if (!java.util.Arrays.equals(t.shape(), shape)) {
          problems.add(prefix + n + ": expected " + java.util.Arrays.toString(shape) + ", found " + java.util.Arrays.toString(t.shape()));
        }
      }
      expected.add("step." + n);
      if (!state.contains("step." + n)) {
        problems.add("missing step." + n);
      }
    }
    for (String k : state.keys()) {
      if (!expected.contains(k)) {
        problems.add("unexpected " + k);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          state.source() + ": optimizer state does not fit the model's parameters: "
              + String.join("; ", problems.subList(0, Math.min(problems.size(), 20)))
              + (problems.size() > 20 ? "; ... (" + problems.size() + " problems)" : ""));
    }
    for (int i = 0; i < params.size(); i++) {
      String n = params.get(i).name();
      m[i] = replace(m[i], state.get("exp_avg." + n));
      v[i] = replace(v[i], state.get("exp_avg_sq." + n));
      steps[i] = state.get("step." + n).toLongs()[0];
    }
    if (fused != null) {
      fused.setSteps(steps);
    }
    String u = state.metadata().get("updates");
    updates = u == null ? 0 : Long.parseLong(u);
  }

  private NDArray replace(NDArray old, TensorData value) {
    NDArray fresh;
    try (NDScope s = new NDScope()) {
      NDArray host = value.toFloat32(manager);
      // a copy in engine-allocated memory (not the Java buffer DJL wraps on CPU), on the state's device
      fresh = host.getDevice().equals(old.getDevice()) ? host.duplicate() : host.toDevice(old.getDevice(), true);
      NDScope.unregister(fresh);
    }
    old.close();
    return fresh;
  }

  @Override
  public void close() {
    for (int i = 0; i < params.size(); i++) {
      m[i].close();
      v[i].close();
    }
    if (fused != null) {
      fused.close();
    }
  }
}
