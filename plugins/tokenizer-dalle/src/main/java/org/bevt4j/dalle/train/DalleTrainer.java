package org.bevt4j.dalle.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bevt4j.api.tokenizer.TokenizerLoss;
import org.bevt4j.api.tokenizer.TrainableTokenizer;
import org.bevt4j.dalle.DalleSettings;
import org.bevt4j.dalle.DalleWeights;
import org.bevt4j.io.SafeTensors;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.TensorData;
import org.bevt4j.nn.NDManagerUtil;
import org.bevt4j.nn.Param;
import org.bevt4j.nn.Scalars;

/**
 * The DALL-E dVAE objective: pixels mapped by {@code map_pixels}, encoder logits
 * {@code (N, K, h, w)}, a Gumbel-softmax sample of the codes at temperature τ(t), the decoder's
 * logit-Laplace statistics, and
 *
 * <pre>
 *   L = rec(stats, x') + β(t) · KL(softmax(logits) || uniform)
 * </pre>
 *
 * with τ and β annealed per optimizer step ({@link Ramp}). Tokens are the argmax of the logits,
 * exactly as the {@code dalle} tokenizer computes them. State: {@code encoder.blocks.*} (loaded by
 * the tokenizer plugin through its {@code encoder.} prefix) and {@code decoder.blocks.*}.
 */
public final class DalleTrainer implements TrainableTokenizer {
  private final DalleTrainingSettings settings;
  private final Dvae model;
  private final NDArray counts;

  /** Builds the dVAE in {@code manager}; {@code encoderWeights} (or null) initialises the encoder. */
  public DalleTrainer(DalleTrainingSettings settings, NDManager manager, Path encoderWeights) {
    this.settings = settings;
    this.model = new Dvae(settings.model().encoder(), settings.decoder());
    model.initialize(manager);
    if (encoderWeights != null) {
      StateDictBinder.bindStrict(model.encoder(), DalleWeights.select(StateDict.load(encoderWeights)));
    }
    this.counts = NDManagerUtil.detachFromScope(manager.zeros(new Shape(vocabSize()), DataType.FLOAT32));
  }

  public DalleTrainingSettings settings() {
    return settings;
  }

  public Dvae model() {
    return model;
  }

  @Override
  public String type() {
    return "dalle";
  }

  @Override
  public int inputSize() {
    return settings.model().inputSize();
  }

  @Override
  public int vocabSize() {
    return settings.model().encoder().vocabSize();
  }

  @Override
  public int downsampling() {
    return org.bevt4j.dalle.DalleEncoderConfig.DOWNSAMPLING;
  }

  @Override
  public Map<String, Param> namedParameters() {
    return model.namedParameters();
  }

  private NDArray mapPixels(NDArray pixels) {
    double eps = settings.model().logitLaplaceEps();
    return Scalars.add(Scalars.mul(pixels, 1 - 2 * eps), eps);
  }

  @Override
  public TokenizerLoss loss(NDArray pixels, long step) {
    NDArray xm = mapPixels(pixels);
    NDArray logits = model.encoder().forward(xm);
    double tau = settings.temperature().at(step);
    double beta = settings.klWeight().at(step);
    NDArray z = Relaxation.gumbelSoftmax(logits, tau, settings.straightThrough());
    NDArray stats = model.decoder().forward(z);
    NDArray rec = settings.reconstruction().apply(stats, xm);
    NDArray kl = Relaxation.klToUniform(logits);
    NDArray total = beta == 0 ? rec : rec.add(Scalars.mul(kl, beta));
    NDArray ids = logits.stopGradient().argMax(1);
    NDArray c = ids.reshape(-1).oneHot(vocabSize()).sum(new int[] {0});
    counts.addi(c);
    NDArray p = c.div((float) ids.size());
    Map<String, NDArray> parts = new LinkedHashMap<>();
    parts.put("rec", rec.stopGradient());
    parts.put("kl", kl.stopGradient());
    parts.put("perplexity", p.mul(p.add(1e-10f).log()).sum().neg().exp());
    parts.put("tau", pixels.getManager().create((float) tau));
    parts.put("kl_weight", pixels.getManager().create((float) beta));
    return new TokenizerLoss(total, parts);
  }

  @Override
  public NDArray encode(NDArray pixels) {
    return model.encoder().forward(mapPixels(pixels)).argMax(1);
  }

  @Override
  public NDArray decode(NDArray ids) {
    NDArray stats = model.decoder().forward(Relaxation.oneHot(ids, vocabSize()));
    return PixelLoss.reconstruct(stats, settings.decoder().outputChannels(), settings.model().logitLaplaceEps());
  }

  @Override
  public long[] takeCodeCounts() {
    float[] c = counts.toFloatArray();
    counts.muli(0f);
    long[] out = new long[c.length];
    for (int i = 0; i < c.length; i++) {
      out[i] = Math.round(c[i]);
    }
    return out;
  }

  /** Writes {@code encoder.blocks.*} and {@code decoder.blocks.*}. */
  @Override
  public void save(Path file) throws IOException {
    Map<String, TensorData> out = new LinkedHashMap<>();
    model.namedParameters().forEach((k, v) -> out.put(k, TensorData.of(v.array())));
    SafeTensors.write(file, out, Map.of("format", "pt", "bevt4j.tokenizer", "dalle"));
  }

  @Override
  public Config tokenizerSettings() {
    DalleSettings m = settings.model();
    return m.withWeights(null).toConfig();
  }

  @Override
  public void close() {
    counts.close();
  }
}
