package org.bevt4j.core.train;

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
import org.bevt4j.api.Decoder;
import org.bevt4j.api.StreamKind;
import org.bevt4j.io.BindReport;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.TensorData;
import org.bevt4j.nn.Param;
import org.bevt4j.nn.ParameterOwner;

/**
 * The masked-modeling network of both streams: the shared backbone, the per-stream decoders and
 * the shared vocabulary head {@code cls_head.lm_head}. Nothing here depends on a concrete backbone
 * or tokenizer.
 *
 * <p>State-dict names follow BEVT's checkpoint layout: backbone parameters under {@code backbone.},
 * decoder parameters under {@code backbone.} too (BEVT's decoders live in the backbone), unless the
 * name is already taken by another parameter (then {@code decoders.<stream>.}), and the head under
 * {@code cls_head.}. Parameters shared by identity (e.g. a decoder using the backbone's norm) are
 * listed once. The frozen tokenizer is not part of the model.
 */
public final class MaskedModelingModel implements ParameterOwner {
  public static final String BACKBONE = "backbone.";
  public static final String HEAD = "cls_head.";

  private final PretrainComponents components;
  private final VocabularyHead head;
  private final long featureDim;
  private final Map<String, Param> named;

  /**
   * Builds the head (initialised from the engine RNG, so seed the engine first) and freezes the
   * tokenizer.
   *
   * @param manager the long-lived manager owning the head's parameters
   */
  public MaskedModelingModel(PretrainComponents components, NDManager manager) {
    this.components = components;
    this.featureDim = commonFeatureDim(components);
    int vocab = components.tokenizer().vocabSize();
    if (vocab < 2) {
      throw new BevtException("tokenizer " + components.tokenizer().getClass().getSimpleName() + " reports vocabulary size " + vocab + "; need >= 2");
    }
    components.tokenizer().namedParameters().values().forEach(p -> p.setTrainable(false));
    this.head = new VocabularyHead(featureDim, vocab);
    head.initialize(manager);
    this.named = Collections.unmodifiableMap(buildNames());
  }

  private static long commonFeatureDim(PretrainComponents c) {
    Decoder v = c.videoDecoder();
    Decoder i = c.imageDecoder();
    if (v == null && i == null) {
      throw new BevtException("no decoder given: the pretrainer needs a video and/or image decoder");
    }
    if (v != null && i != null && v.featureDim() != i.featureDim()) {
      throw new BevtException(
          "video decoder width " + v.featureDim() + " (" + v.getClass().getSimpleName() + ") differs from image decoder width "
              + i.featureDim() + " (" + i.getClass().getSimpleName() + "); the shared vocabulary head needs one width");
    }
    return v != null ? v.featureDim() : i.featureDim();
  }

  private Map<String, Param> buildNames() {
    Map<String, Param> out = new LinkedHashMap<>();
    Set<Param> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    components.backbone().namedParameters().forEach((k, p) -> {
      if (seen.add(p)) {
        out.put(BACKBONE + k, p);
      }
    });
    for (StreamKind s : new StreamKind[] {StreamKind.VIDEO, StreamKind.IMAGE}) {
      Decoder d = components.decoder(s);
      if (d == null) {
        continue;
      }
      d.namedParameters().forEach((k, p) -> {
        if (seen.add(p)) {
          String name = out.containsKey(BACKBONE + k) ? "decoders." + s.configName() + "." + k : BACKBONE + k;
          out.put(name, p);
        }
      });
    }
    head.namedParameters().forEach((k, p) -> out.put(HEAD + k, p));
    return out;
  }

  public PretrainComponents components() {
    return components;
  }

  public Backbone backbone() {
    return components.backbone();
  }

  public VocabularyHead head() {
    return head;
  }

  /** Width of the decoded features (the head's input). */
  public long featureDim() {
    return featureDim;
  }

  /** Every parameter and buffer of the model, by checkpoint name. */
  @Override
  public Map<String, Param> namedParameters() {
    return named;
  }

  /** Trainable parameters (no buffers, no frozen ones), unique by identity, by checkpoint name. */
  public Map<String, Param> trainableParameters() {
    Set<Param> tok = Collections.newSetFromMap(new IdentityHashMap<>());
    tok.addAll(components.tokenizer().namedParameters().values());
    Map<String, Param> out = new LinkedHashMap<>();
    named.forEach((k, p) -> {
      if (p.isTrainable() && !p.isBuffer() && !tok.contains(p)) {
        out.put(k, p);
      }
    });
    return out;
  }

  /** Decoded features {@code (B, N, D)} of one stream for a masked batch. */
  public NDArray decode(StreamKind stream, NDArray input, NDArray mask, boolean training) {
    Decoder d = components.decoder(stream);
    if (d == null) {
      throw new BevtException("no " + stream.configName() + " decoder configured");
    }
    BackboneOutput out =
        stream == StreamKind.VIDEO
            ? components.backbone().forwardVideo(input, mask, training)
            : components.backbone().forwardImage(input, mask, training);
    return d.decode(out, training);
  }

  /** Host copies of every parameter and buffer, by checkpoint name. */
  public Map<String, TensorData> snapshot() {
    return StateDictBinder.snapshot(this);
  }

  /** The backbone's own state (names without prefix), e.g. for {@link Backbone#inflate}. */
  public StateDict backboneState() {
    return new StateDict(StateDictBinder.snapshot(components.backbone()), "backbone");
  }

  /** Restores a full model state written from {@link #snapshot()}; strict. */
  public void restore(StateDict state) {
    StateDictBinder.bindStrict(this, state);
  }

  /** Turns the current backbone into its inflated form ({@code init = inflate-from-previous}). */
  public BindReport inflateBackbone() {
    StateDict inflated = components.backbone().inflate(backboneState());
    BindReport r = StateDictBinder.bind(components.backbone(), inflated, false, Set.of());
    failOnMismatch(r, "inflated backbone state");
    return r;
  }

  /**
   * Loads initial weights ({@code init = <file>}): a model state (keys under {@code backbone.} /
   * {@code cls_head.}) or a bare backbone state, non-strictly (what is absent keeps its current
   * value). Wrong shapes, or nothing at all matching, are errors.
   */
  public BindReport loadInitialWeights(StateDict state) {
    StateDict s = state.stripPrefixes("module.");
    boolean modelKeys = s.keys().stream().anyMatch(k -> k.startsWith(BACKBONE) || k.startsWith(HEAD));
    BindReport r = modelKeys ? StateDictBinder.bind(this, s, false, Set.of()) : StateDictBinder.bind(components.backbone(), s, false, Set.of());
    failOnMismatch(r, s.source());
    if (r.loaded().isEmpty()) {
      throw new BevtException(s.source() + ": no tensor matches the model's parameters:\n  " + r.describe());
    }
    return r;
  }

  private static void failOnMismatch(BindReport r, String source) {
    if (!r.mismatched().isEmpty()) {
      throw new BevtException(source + ": weights do not fit the model (a different vocabulary size or architecture?):\n  " + r.describe());
    }
  }
}
