package org.bevt4j.swin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.bevt4j.nn.NDManagerUtil;
import org.bevt4j.nn.Param;

/** Plain Adam over trainable parameters for tests (moments created once, outside any scope). */
final class TinyAdam {
  private final List<Param> params = new ArrayList<>();
  private final List<NDArray> m1 = new ArrayList<>();
  private final List<NDArray> m2 = new ArrayList<>();
  private final float lr;
  private int t;

  TinyAdam(NDManager manager, Iterable<Param> all, float lr) {
    this.lr = lr;
    for (Param p : all) {
      if (p.isTrainable()) {
        params.add(p);
        m1.add(NDManagerUtil.detachFromScope(manager.zeros(p.shape())));
        m2.add(NDManagerUtil.detachFromScope(manager.zeros(p.shape())));
      }
    }
  }

  /** One update from the current gradients, which are then zeroed. Call inside the step's NDScope. */
  void step() {
    t++;
    float b1 = 0.9f;
    float b2 = 0.999f;
    float c1 = (float) (1 - Math.pow(b1, t));
    float c2 = (float) (1 - Math.pow(b2, t));
    for (int i = 0; i < params.size(); i++) {
      NDArray w = params.get(i).array();
      NDArray g = w.getGradient();
      m1.get(i).muli(b1).addi(g.mul(1 - b1));
      m2.get(i).muli(b2).addi(g.square().mul(1 - b2));
      NDArray update = m1.get(i).div(c1).div(m2.get(i).div(c2).sqrt().add(1e-8f)).mul(lr);
      w.subi(update);
      g.subi(g);
    }
  }
}
