package org.bevt4j.core.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.BevtException;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.eval.ClassificationHead;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.TensorData;
import org.bevt4j.nn.Param;
import org.bevt4j.nn.ParameterOwner;

/**
 * The fine-tuning network: the backbone and an I3D-style {@link ClassificationHead} on its final
 * feature map. State-dict names follow mmaction's recognizer layout: {@code backbone.<upstream
 * name>} and {@code cls_head.fc_cls.weight / bias}. Parameters shared by identity are listed once.
 */
public final class FinetuneModel implements ParameterOwner {
  public static final String BACKBONE = "backbone.";
  public static final String HEAD = "cls_head.";

  private final Backbone backbone;
  private final ClassificationHead head;
  private final Map<String, Param> named;

  /**
   * Builds the head (initialised from the engine RNG, so seed the engine first).
   *
   * @param manager the long-lived manager owning the head's parameters
   */
  public FinetuneModel(Backbone backbone, int numClasses, double dropout, FinetuneSettings.Pooling pooling, NDManager manager) {
    if (numClasses < 2) {
      throw new BevtException("a classifier needs at least 2 classes, got " + numClasses);
    }
    this.backbone = backbone;
    this.head = new ClassificationHead(backbone.numFeatures(), numClasses, dropout, pooling == FinetuneSettings.Pooling.CLS);
    head.initialize(manager);
    Map<String, Param> out = new LinkedHashMap<>();
    Set<Param> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    backbone.namedParameters().forEach((k, p) -> {
      if (seen.add(p)) {
        out.put(BACKBONE + k, p);
      }
    });
    head.namedParameters().forEach((k, p) -> out.put(HEAD + k, p));
    this.named = Collections.unmodifiableMap(out);
  }

  public Backbone backbone() {
    return backbone;
  }

  public ClassificationHead head() {
    return head;
  }

  public int numClasses() {
    return (int) head.numClasses();
  }

  /** Every parameter and buffer, by checkpoint name. */
  @Override
  public Map<String, Param> namedParameters() {
    return named;
  }

  /** Trainable parameters (no buffers, no frozen ones), by checkpoint name. */
  public Map<String, Param> trainableParameters() {
    Map<String, Param> out = new LinkedHashMap<>();
    named.forEach((k, p) -> {
      if (p.isTrainable() && !p.isBuffer()) {
        out.put(k, p);
      }
    });
    return out;
  }

  /**
   * Class logits {@code (N, K)} for a batch of clips {@code (N, 3, T, H, W)} (or images
   * {@code (N, 3, H, W)} for the image stream).
   */
  public NDArray logits(StreamKind stream, NDArray input, boolean training) {
    BackboneOutput out = stream == StreamKind.VIDEO
        ? backbone.forwardVideo(input, null, training)
        : backbone.forwardImage(input, null, training);
    return head.forward(out.last(), training);
  }

  /** Host copies of every parameter and buffer, by checkpoint name. */
  public Map<String, TensorData> snapshot() {
    return StateDictBinder.snapshot(this);
  }

  /** Restores a state written by {@link #snapshot()}; strict. */
  public void restore(StateDict state) {
    StateDictBinder.bindStrict(this, state);
  }
}
