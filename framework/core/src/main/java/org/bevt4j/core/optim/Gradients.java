package org.bevt4j.core.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bevt4j.nn.Param;

/**
 * Gradient utilities DJL lacks: access to a parameter's real {@code .grad} (or none, as PyTorch's
 * {@code p.grad is None}), the global L2 norm, global-norm clipping ({@code clip_grad_norm_}), the
 * finiteness check and in-place zeroing.
 *
 * <p>DJL's {@code getGradient()} invents a zero array when a tensor has no gradient yet; these
 * helpers go to the engine directly so that parameters untouched by a stage's streams stay
 * gradient-free and are skipped by the optimizer, as in PyTorch. Call them with autograd off
 * (outside any {@code GradientCollector}); every temporary is closed by an internal {@link NDScope}.
 */
public final class Gradients {
  private Gradients() {}

  /**
   * The gradient of a parameter array, sharing its storage (in-place ops on it change the real
   * gradient), or null when backward never reached it. The returned view is a new handle; close it
   * (or let the enclosing scope do so) when done.
   */
  public static NDArray gradOrNull(NDArray param) {
    if (!param.hasGradient()) {
      return null;
    }
    return JniUtils.getGradient((PtNDArray) param);
  }

  /** The parameters that currently carry a gradient. */
  public static List<Param> withGradient(Collection<Param> params) {
    List<Param> out = new ArrayList<>();
    for (Param p : params) {
      try (NDScope s = new NDScope()) {
        if (gradOrNull(p.array()) != null) {
          out.add(p);
        }
      }
    }
    return out;
  }

  /**
   * The L2 norm of all gradients together (as {@code torch.nn.utils.clip_grad_norm_} reports it);
   * NaN or infinity when any gradient is not finite; 0 when none has a gradient.
   */
  public static double globalNorm(Collection<Param> params) {
    try (NDScope s = new NDScope()) {
      NDList norms = new NDList();
      for (Param p : params) {
        NDArray g = gradOrNull(p.array());
        if (g != null) {
          norms.add(g.norm().reshape(1));
        }
      }
      if (norms.isEmpty()) {
        return 0.0;
      }
      NDArray all = norms.size() == 1 ? norms.get(0) : NDArrays.concat(norms);
      return all.norm().getFloat();
    }
  }

  /** Whether every gradient element is finite (no NaN, no infinity). */
  public static boolean allFinite(Collection<Param> params) {
    try (NDScope s = new NDScope()) {
      NDArray bad = null;
      for (Param p : params) {
        NDArray g = gradOrNull(p.array());
        if (g == null) {
          continue;
        }
        NDArray b = g.isNaN().logicalOr(g.isInfinite()).any();
        bad = bad == null ? b : bad.logicalOr(b);
      }
      return bad == null || !bad.getBoolean();
    }
  }

  /** Multiplies every gradient in place by {@code factor} (e.g. 1/scale to unscale). */
  public static void scale(Collection<Param> params, double factor) {
    if (factor == 1.0) {
      return;
    }
    try (NDScope s = new NDScope()) {
      for (Param p : params) {
        NDArray g = gradOrNull(p.array());
        if (g != null) {
          g.muli((float) factor);
        }
      }
    }
  }

  /**
   * Clips gradients to a global L2 norm of {@code maxNorm} in place, as {@code clip_grad_norm_}:
   * coefficient {@code maxNorm / (norm + 1e-6)} applied when below 1. Returns the norm before
   * clipping. A non-positive {@code maxNorm} only measures.
   */
  public static double clipByGlobalNorm(Collection<Param> params, double maxNorm) {
    double norm = globalNorm(params);
    if (maxNorm > 0 && Double.isFinite(norm)) {
      double coef = maxNorm / (norm + 1e-6);
      if (coef < 1.0) {
        scale(params, coef);
      }
    }
    return norm;
  }

  /** Sets every existing gradient to zero in place (NaN-safe; gradients never created stay absent). */
  public static void zero(Collection<Param> params) {
    for (Param p : params) {
      NDArray a = p.array();
      if (a.hasGradient()) {
        try (NDScope s = new NDScope()) {
          if (gradOrNull(a) != null) {
            JniUtils.zeroGrad((PtNDArray) a);
          }
        }
      }
    }
  }
}
