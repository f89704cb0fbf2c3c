package org.bevt4j.peco.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bevt4j.api.tokenizer.FeatureNetwork;
import org.bevt4j.api.tokenizer.TokenizerLoss;
import org.bevt4j.api.tokenizer.TrainableTokenizer;
import org.bevt4j.io.BindReport;
import org.bevt4j.io.SafeTensors;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.TensorData;
import org.bevt4j.io.WeightFileException;
import org.bevt4j.nn.Param;
import org.bevt4j.nn.Scalars;
import org.bevt4j.peco.PecoSettings;
import org.bevt4j.peco.PecoWeights;
import org.bevt4j.peco.PixelRange;

/**
 * The PeCo training objective on a VQGAN-family autoencoder ({@link VqAutoencoder}):
 *
 * <pre>
 *   L = w_rec · rec(x̂, x) + ||sg(z) − e||² (not with EMA) + β ||z − sg(e)||² + w_p · P(x̂, x)
 * </pre>
 *
 * with {@code x̂ = decoder(post_quant_conv(z + sg(e − z)))} (straight-through estimator),
 * {@code rec} L1 or L2 on the model's pixel convention and {@code P} the {@link PerceptualLoss}
 * through a frozen {@link FeatureNetwork} on [0, 1] pixels (the term that makes PeCo's tokens
 * perceptual). No adversarial term is implemented. State: {@code encoder.*}, {@code quant_conv.*},
 * {@code quantize.embedding.weight}, {@code post_quant_conv.*}, {@code decoder.*} (saved by
 * {@link #save}, taming's VQModel names) plus {@code quantize_state.*} (EMA statistics and
 * dead-code counters, checkpoints only).
 */
public final class PecoTrainer implements TrainableTokenizer {
  /** Prefix of the quantizer-training buffers in {@link #namedParameters()}. */
  public static final String STATE_PREFIX = "quantize_state.";

  private final PecoTrainingSettings settings;
  private final VqAutoencoder model;
  private final QuantizerTraining quantizer;
  private final FeatureNetwork perceptual;

  /**
   * Builds the model in {@code manager} (random initialisation, then {@code model.weights} if set,
   * bound to the encode path like the tokenizer plugin does).
   *
   * @param weightsFile resolved {@code model.weights}, or null
   * @param perceptual the frozen feature network, or null (then the perceptual weight must be 0)
   */
  public PecoTrainer(PecoTrainingSettings settings, NDManager manager, Path weightsFile, FeatureNetwork perceptual) {
    if (settings.perceptualWeight() > 0 && perceptual == null) {
      throw new IllegalArgumentException("perceptual weight > 0 needs a perceptual feature network");
    }
    this.settings = settings;
    PecoSettings m = settings.model();
    this.model = new VqAutoencoder(m.encoder(), m.embedDim(), m.nEmbed());
    model.initialize(manager);
    if (weightsFile != null) {
      initFrom(weightsFile);
    }
    this.quantizer = new QuantizerTraining(model.quantize(), settings.codebook());
    quantizer.initialize(manager);
    this.perceptual = settings.perceptualWeight() > 0 ? perceptual : null;
  }

  /**
   * Loads the encode path (required) and, when present, {@code post_quant_conv.*} and
   * {@code decoder.*} from a tokenizer or taming checkpoint; shapes must match.
   */
  private void initFrom(Path weightsFile) {
    StateDict all = PecoWeights.remap(StateDict.load(weightsFile), settings.model().keyPrefixMap());
    PecoWeights.select(all, List.of());
    Map<String, Param> own = model.namedParameters();
    BindReport r = StateDictBinder.bind(model, all.filter(own::containsKey), false, Set.of());
    if (!r.mismatched().isEmpty()) {
      throw new WeightFileException(weightsFile + ": weights do not fit the model to train:\n  " + r.describe());
    }
  }

  public PecoTrainingSettings settings() {
    return settings;
  }

  public VqAutoencoder model() {
    return model;
  }

  @Override
  public String type() {
    return "peco";
  }

  @Override
  public int inputSize() {
    return settings.model().inputSize();
  }

  @Override
  public int vocabSize() {
    return settings.model().nEmbed();
  }

  @Override
  public int downsampling() {
    return settings.model().encoder().downsampling();
  }

  @Override
  public Map<String, Param> namedParameters() {
    Map<String, Param> out = new LinkedHashMap<>(model.namedParameters());
    quantizer.namedParameters().forEach((k, p) -> out.put(STATE_PREFIX + k, p));
    return out;
  }

  private NDArray toModel(NDArray pixels) {
    PecoSettings m = settings.model();
    return m.pixelRange().apply(pixels, m.mean(), m.std());
  }

  private NDArray toPixels(NDArray x) {
    PecoSettings m = settings.model();
    return m.pixelRange().invert(x, m.mean(), m.std());
  }

  @Override
  public TokenizerLoss loss(NDArray pixels, long step) {
    NDArray x = toModel(pixels);
    QuantizerTraining.Quantized q = quantizer.quantize(model.latent(x));
    NDArray xr = model.decode(q.zqSt());
    NDArray rec = settings.reconstruction().apply(xr, x);
    NDArray total = Scalars.mul(rec, settings.reconstructionWeight()).add(q.commitLoss());
    Map<String, NDArray> parts = new LinkedHashMap<>();
    parts.put("rec", rec.stopGradient());
    if (!settings.codebook().ema()) {
      total = total.add(q.codebookLoss());
      parts.put("codebook", q.codebookLoss().stopGradient());
    }
    parts.put("commit", q.commitLoss().stopGradient());
    if (perceptual != null) {
      List<NDArray> target = perceptual.features(pixels).stream().map(NDArray::stopGradient).toList();
      NDArray p = PerceptualLoss.distance(perceptual.features(toPixels(xr)), target, settings.perceptualNormalize());
      total = total.add(Scalars.mul(p, settings.perceptualWeight()));
      parts.put("perceptual", p.stopGradient());
    }
    parts.put("perplexity", q.perplexity());
    return new TokenizerLoss(total, parts);
  }

  @Override
  public void afterStep(long step) {
    quantizer.afterStep(step);
  }

  @Override
  public NDArray encode(NDArray pixels) {
    return model.quantize().ids(model.latent(toModel(pixels)));
  }

  @Override
  public NDArray decode(NDArray ids) {
    return toPixels(model.decode(model.quantize().lookup(ids))).clip(0f, 1f);
  }

  @Override
  public long[] takeCodeCounts() {
    return quantizer.takeCounts();
  }

  /** Writes taming VQModel keys (encoder, quant_conv, quantize, post_quant_conv, decoder). */
  @Override
  public void save(Path file) throws IOException {
    Map<String, TensorData> out = new LinkedHashMap<>();
    model.namedParameters().forEach((k, p) -> out.put(k, TensorData.of(p.array())));
    SafeTensors.write(file, out, Map.of("format", "pt", "bevt4j.tokenizer", "peco"));
  }

  @Override
  public Config tokenizerSettings() {
    return settings.model().withWeights(null).toConfig();
  }

  @Override
  public void close() {
    if (perceptual != null) {
      perceptual.close();
    }
  }
}
