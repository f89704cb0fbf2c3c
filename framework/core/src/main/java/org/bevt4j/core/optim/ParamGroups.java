package org.bevt4j.core.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.bevt4j.nn.Param;

/**
 * Assigns weight decay and learning-rate scale to named parameters, as mmcv's {@code paramwise_cfg}
 * does for BEVT: a parameter gets no weight decay when its name contains any of the
 * {@code noDecay} substrings (BEVT: {@code norm}, {@code relative_position_bias_table},
 * {@code absolute_pos_embed}), and, when {@code noDecay1d} is set, when it is 1-D or a bias.
 */
public final class ParamGroups {
  private ParamGroups() {}

  /** Scale 1 for every parameter (no layer-wise decay). */
  public static final ToDoubleFunction<String> NO_LR_SCALE = name -> 1.0;

  /**
   * Builds the optimizer's parameter list.
   *
   * @param params trainable parameters by unique name, in a stable order
   * @param weightDecay the decay of decayed parameters
   * @param noDecay name substrings exempt from decay
   * @param noDecay1d whether 1-D parameters and names ending in {@code bias} are exempt too
   * @param lrScale learning-rate scale per name (layer-wise LR decay; {@link #NO_LR_SCALE} if none)
   */
  public static List<OptimParam> build(
      Map<String, Param> params,
      double weightDecay,
      List<String> noDecay,
      boolean noDecay1d,
      ToDoubleFunction<String> lrScale) {
    List<OptimParam> out = new ArrayList<>(params.size());
    for (Map.Entry<String, Param> e : params.entrySet()) {
      String name = e.getKey();
      Param p = e.getValue();
      if (!p.isTrainable()) {
        continue;
      }
      boolean exempt = isExempt(name, p.shape().dimension(), noDecay, noDecay1d);
      out.add(new OptimParam(name, p, exempt ? 0.0 : weightDecay, lrScale.applyAsDouble(name)));
    }
    return out;
  }

  /** Whether a parameter of this name and rank gets no weight decay. */
  public static boolean isExempt(String name, int rank, List<String> noDecay, boolean noDecay1d) {
    if (noDecay1d && (rank <= 1 || name.endsWith("bias"))) {
      return true;
    }
    for (String pattern : noDecay) {
      if (name.contains(pattern)) {
        return true;
      }
    }
    return false;
  }
}
