package org.bevt4j.peco;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import org.bevt4j.api.PixelInput;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.io.BindReport;
import org.bevt4j.io.StateDict;
import org.bevt4j.nn.Param;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code peco} tokenizer: pixels in [0, 1] are mapped by the configured {@link PixelRange}, then
 * the {@link VqganModel} encode path gives nearest-codebook ids on an H/f x W/f grid
 * ({@code f = 2^(len(ch_mult) - 1)}). Frozen, no gradients (no collector is opened), eval mode
 * (dropout is never applied), on the device of its parameters.
 *
 * <p>PeCo's own tokenizer code and weights are not public; see the package documentation for what
 * the defaults are and are not.
 */
public final class PecoTokenizer implements Tokenizer {
  private static final Logger LOG = LoggerFactory.getLogger(PecoTokenizer.class);
  private static final String WHO = "PeCo tokenizer";

  private final PecoSettings settings;
  private final VqganModel model;

  private PecoTokenizer(PecoSettings settings, VqganModel model) {
    this.settings = settings;
    this.model = model;
  }

  /**
   * Builds the tokenizer with parameters in {@code manager} (PyTorch default initialisation), then
   * loads {@code weightsFile} if given (any format {@link StateDict#load} reads; keys as in
   * {@link PecoWeights}); the model is frozen either way.
   */
  public static PecoTokenizer create(PecoSettings settings, NDManager manager, Path weightsFile) {
    VqganModel model = new VqganModel(settings.encoder(), settings.embedDim(), settings.nEmbed());
    model.initialize(manager);
    PecoTokenizer t = new PecoTokenizer(settings, model);
    if (weightsFile != null) {
      t.load(StateDict.load(weightsFile));
    } else {
      LOG.warn(
          "PeCo tokenizer has no weights (bevt.model.tokenizer.peco.weights = null): it is randomly "
              + "initialised, so its token targets are meaningless; use this only for tests and experiments");
    }
    model.setTrainable(false);
    return t;
  }

  /** Random weights; for tests. */
  public static PecoTokenizer create(PecoSettings settings, NDManager manager) {
    return create(settings, manager, null);
  }

  /**
   * Builds from a taming constructor config in JSON (e.g. a reference fixture's
   * {@code constructor_config}), with random weights and the given input size.
   */
  public static PecoTokenizer fromUpstreamConfig(String json, int inputSize, NDManager manager) {
    return create(PecoSettings.fromUpstreamJson(json, inputSize), manager, null);
  }

  /** As above, with the input size taken from the config's {@code resolution}. */
  public static PecoTokenizer fromUpstreamConfig(String json, NDManager manager) {
    return create(PecoSettings.fromUpstreamJson(json), manager, null);
  }

  /** Loads weights strictly (after the configured key-prefix rewrites) and keeps the model frozen. */
  public BindReport load(StateDict state) {
    BindReport r = PecoWeights.bind(model, state, settings.keyPrefixMap());
    model.setTrainable(false);
    return r;
  }

  public PecoSettings settings() {
    return settings;
  }

  public VqganModel model() {
    return model;
  }

  @Override
  public Map<String, Param> namedParameters() {
    return model.namedParameters();
  }

  @Override
  public int vocabSize() {
    return settings.nEmbed();
  }

  @Override
  public int inputSize() {
    return settings.inputSize();
  }

  @Override
  public TokenGrid grid(int height, int width) {
    int f = settings.encoder().downsampling();
    if (height < f || width < f || height % f != 0 || width % f != 0) {
      throw new IllegalArgumentException(
          WHO + ": height and width must be positive multiples of " + f + ", found " + height + "x" + width);
    }
    return TokenGrid.image(height / f, width / f);
  }

  /** The device the parameters live on (input is moved there). */
  public Device device() {
    return model.namedParameters().values().iterator().next().array().getDevice();
  }

  /** Maps pixels in [0, 1] to the model input convention ({@code pixel-range}). */
  public NDArray normalize(NDArray pixels) {
    return settings.pixelRange().apply(pixels, settings.mean(), settings.std());
  }

  /** Token ids {@code (N, H/f, W/f)} int64 for pixels {@code (N, 3, H, W)} in [0, 1]. */
  @Override
  public NDArray encode(NDArray pixels) {
    return scoped(() -> model.ids(normalize(check(pixels, true))));
  }

  /** Every stage of the encode path for pixels in [0, 1]. */
  public VqEncoding encodeDetailed(NDArray pixels) {
    return scopedAll(() -> model.encodeDetailed(normalize(check(pixels, true))));
  }

  /**
   * Every stage of the encode path for input already in the model's convention (e.g. [-1, 1]); the
   * [0, 1] range check and the normalisation are skipped.
   */
  public VqEncoding encodeDetailedFromModelInput(NDArray x) {
    return scopedAll(() -> model.encodeDetailed(check(x, false)));
  }

  private NDArray check(NDArray x, boolean range) {
    return PixelInput.check(WHO, x, settings.encoder().inChannels(), settings.encoder().downsampling(), device(), range);
  }

  private static NDArray scoped(Supplier<NDArray> f) {
    return scoped(f, a -> new NDArray[] {a});
  }

  private static VqEncoding scopedAll(Supplier<VqEncoding> f) {
    return scoped(f, VqEncoding::arrays);
  }

  /**
   * Runs {@code f} in its own {@link NDScope} so every intermediate is freed, and hands the result
   * arrays to the caller's scope (if one is open).
   */
  private static <T> T scoped(Supplier<T> f, Function<T, NDArray[]> arrays) {
    T out;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      out = f.get();
      for (NDArray a : arrays.apply(out)) {
        NDScope.unregister(a);
      }
    }
    for (NDArray a : arrays.apply(out)) {
      NDScope.register(a);
    }
    return out;
  }

  @Override
  public String toString() {
    return "PecoTokenizer(" + settings.encoder() + ", embed " + settings.embedDim() + " x " + settings.nEmbed()
        + ", input " + settings.inputSize() + ")";
  }
}
