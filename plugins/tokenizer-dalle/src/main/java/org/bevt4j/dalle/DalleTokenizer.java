package org.bevt4j.dalle;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import org.bevt4j.api.PixelInput;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.io.BindReport;
import org.bevt4j.io.StateDict;
import org.bevt4j.nn.Param;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DALL-E dVAE tokenizer of BEiT/BEVT: pixels in [0, 1] go through {@code map_pixels}
 * ({@code x (1 - 2 eps) + eps}, eps = 0.1), the {@link DalleEncoder} gives logits over the 8192
 * codes on an H/8 x W/8 grid, and the token id is the argmax over the codes (no softmax, no
 * sampling). The encoder is frozen and runs without gradients (no gradient collector is opened) on
 * the device of its parameters.
 */
public final class DalleTokenizer implements Tokenizer {
  private static final Logger LOG = LoggerFactory.getLogger(DalleTokenizer.class);
  private static final String WHO = "DALL-E tokenizer";

  private final DalleSettings settings;
  private final DalleEncoder encoder;

  private DalleTokenizer(DalleSettings settings, DalleEncoder encoder) {
    this.settings = settings;
    this.encoder = encoder;
  }

  /**
   * Builds the tokenizer with parameters in {@code manager} (random initialisation as upstream), then
   * loads {@code weightsFile} if given (any format {@link StateDict#load} reads; prefixes as in
   * {@link DalleWeights}); the encoder is frozen either way.
   */
  public static DalleTokenizer create(DalleSettings settings, NDManager manager, Path weightsFile) {
    DalleEncoder encoder = new DalleEncoder(settings.encoder());
    encoder.initialize(manager);
    DalleTokenizer t = new DalleTokenizer(settings, encoder);
    if (weightsFile != null) {
      t.load(StateDict.load(weightsFile));
    } else {
      LOG.warn(
          "DALL-E tokenizer has no weights (bevt.model.tokenizer.dalle.weights = null): it is randomly "
              + "initialised, so its token targets are meaningless; use this only for tests and experiments");
    }
    encoder.setTrainable(false);
    return t;
  }

  /** Random weights; for tests. */
  public static DalleTokenizer create(DalleSettings settings, NDManager manager) {
    return create(settings, manager, null);
  }

  /**
   * Builds from an upstream constructor config in JSON (e.g. a reference fixture's
   * {@code constructor_config}), with random weights and the given input size.
   */
  public static DalleTokenizer fromUpstreamConfig(String json, int inputSize, NDManager manager) {
    return create(DalleSettings.fromUpstreamJson(json, inputSize), manager, null);
  }

  /** As above, with BEVT's input size 112. */
  public static DalleTokenizer fromUpstreamConfig(String json, NDManager manager) {
    return fromUpstreamConfig(json, 112, manager);
  }

  /** Loads weights strictly (see {@link DalleWeights}) and keeps the encoder frozen. */
  public BindReport load(StateDict state) {
    BindReport r = DalleWeights.bind(encoder, state);
    encoder.setTrainable(false);
    return r;
  }

  public DalleSettings settings() {
    return settings;
  }

  public DalleEncoder encoder() {
    return encoder;
  }

  @Override
  public Map<String, Param> namedParameters() {
    return encoder.namedParameters();
  }

  @Override
  public int vocabSize() {
    return settings.encoder().vocabSize();
  }

  @Override
  public int inputSize() {
    return settings.inputSize();
  }

  @Override
  public TokenGrid grid(int height, int width) {
    int d = DalleEncoderConfig.DOWNSAMPLING;
    if (height < d || width < d || height % d != 0 || width % d != 0) {
      throw new IllegalArgumentException(
          WHO + ": height and width must be positive multiples of " + d + ", found " + height + "x" + width);
    }
    return TokenGrid.image(height / d, width / d);
  }

  /** The device the parameters live on (input is moved there). */
  public Device device() {
    return encoder.namedParameters().values().iterator().next().array().getDevice();
  }

  /** {@code map_pixels}: {@code x (1 - 2 eps) + eps}. */
  public NDArray mapPixels(NDArray pixels) {
    double eps = settings.logitLaplaceEps();
    return pixels.mul((float) (1 - 2 * eps)).add((float) eps);
  }

  @Override
  public boolean providesLogits() {
    return true;
  }

  /** Logits {@code (N, vocab, H/8, W/8)} for pixels {@code (N, 3, H, W)} in [0, 1]. */
  @Override
  public NDArray logits(NDArray pixels) {
    return scoped(() -> encoder.forward(mapPixels(check(pixels, true))));
  }

  /**
   * Logits for input already passed through {@code map_pixels} (the upstream encoder's own input);
   * the [0, 1] range check is skipped.
   */
  public NDArray logitsFromMapped(NDArray mapped) {
    return scoped(() -> encoder.forward(check(mapped, false)));
  }

  /** Token ids {@code (N, H/8, W/8)} int64: the argmax of the logits over the codes. */
  @Override
  public NDArray encode(NDArray pixels) {
    return scoped(() -> encoder.forward(mapPixels(check(pixels, true))).argMax(1));
  }

  private NDArray check(NDArray x, boolean range) {
    return PixelInput.check(
        WHO, x, settings.encoder().inputChannels(), DalleEncoderConfig.DOWNSAMPLING, device(), range);
  }

  /**
   * Runs {@code f} in its own {@link NDScope} so every intermediate is freed, and hands the result
   * to the caller's scope (if one is open).
   */
  static NDArray scoped(Supplier<NDArray> f) {
    NDArray out;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      out = f.get();
      NDScope.unregister(out);
    }
    NDScope.register(out);
    return out;
  }

  @Override
  public String toString() {
    return "DalleTokenizer(" + settings.encoder() + ", input " + settings.inputSize() + ")";
  }
}
