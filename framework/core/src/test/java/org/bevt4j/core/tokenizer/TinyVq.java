package org.bevt4j.core.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.tokenizer.TokenizerLoss;
import org.bevt4j.api.tokenizer.TokenizerTrainerFactory;
import org.bevt4j.api.tokenizer.TrainableTokenizer;
import org.bevt4j.io.SafeTensors;
import org.bevt4j.io.TensorData;
import org.bevt4j.nn.Conv;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.Module;
import org.bevt4j.nn.Param;
import org.bevt4j.nn.Scalars;

/**
 * A small but real VQ-VAE for loop tests: a patch conv encoder, a nearest codebook (codebook and
 * commitment losses, straight-through estimator) and a 1x1 conv + pixel-shuffle decoder. Fully
 * deterministic given its weights and data (no noise), so resumed runs can be compared bit for bit.
 */
final class TinyVq extends Module implements TrainableTokenizer {
  final int size;
  final int patch;
  final int dim;
  final int codes;
  final Conv enc;
  final Param codebook;
  final Conv dec;
  private final float[] counts;

  TinyVq(int size, int patch, int dim, int codes) {
    this.size = size;
    this.patch = patch;
    this.dim = dim;
    this.codes = codes;
    enc = child("enc", Conv.builder(3, dim, patch, patch).optStride(patch, patch).build());
    codebook = param("codebook", new Shape(codes, dim), Init.uniform(0.5));
    dec = child("dec", Conv.builder(dim, 3L * patch * patch, 1, 1).build());
    counts = new float[codes];
  }

  /** {@code bevt.model.tokenizer.tiny-vq.training}. */
  static final class Factory implements TokenizerTrainerFactory {
    @Override
    public String name() {
      return "tiny-vq";
    }

    @Override
    public TrainableTokenizer create(Config s, BuildContext ctx) {
      TinyVq t = new TinyVq(s.getInt("input-size"), s.getInt("patch"), s.getInt("dim"), s.getInt("codes"));
      t.initialize(ctx.manager());
      return t;
    }
  }

  @Override
  public String type() {
    return "tiny-vq";
  }

  @Override
  public int inputSize() {
    return size;
  }

  @Override
  public int vocabSize() {
    return codes;
  }

  @Override
  public int downsampling() {
    return patch;
  }

  private NDArray ids(NDArray z) {
    NDArray flat = z.transpose(0, 2, 3, 1).reshape(-1, dim).stopGradient();
    NDArray e = codebook.array();
    NDArray d = flat.square().sum(new int[] {1}, true).add(e.square().sum(new int[] {1})).sub(Scalars.mul(flat.matMul(e.transpose()), 2));
    return d.argMin(1);
  }

  private NDArray lookup(NDArray ids, long n, long h, long w) {
    return codebook.array().get(new NDIndex("{}", ids.reshape(-1))).reshape(n, h, w, dim).transpose(0, 3, 1, 2);
  }

  private NDArray decodeLatent(NDArray zq) {
    Shape s = zq.getShape();
    NDArray y = dec.forward(zq).reshape(s.get(0), 3, patch, patch, s.get(2), s.get(3));
    return y.transpose(0, 1, 4, 2, 5, 3).reshape(s.get(0), 3, s.get(2) * patch, s.get(3) * patch);
  }

  @Override
  public TokenizerLoss loss(NDArray pixels, long step) {
    NDArray z = enc.forward(pixels);
    Shape s = z.getShape();
    NDArray ids = ids(z);
    NDArray zq = lookup(ids, s.get(0), s.get(2), s.get(3));
    NDArray commit = Scalars.mul(z.sub(zq.stopGradient()).square().mean(), 0.25);
    NDArray cb = zq.sub(z.stopGradient()).square().mean();
    NDArray rec = decodeLatent(z.add(zq.sub(z).stopGradient())).sub(pixels).square().mean();
    for (long id : ids.toLongArray()) {
      counts[(int) id]++;
    }
    Map<String, NDArray> parts = new LinkedHashMap<>();
    parts.put("rec", rec.stopGradient());
    parts.put("codebook", cb.stopGradient());
    parts.put("commit", commit.stopGradient());
    return new TokenizerLoss(rec.add(cb).add(commit), parts);
  }

  @Override
  public NDArray encode(NDArray pixels) {
    NDArray z = enc.forward(pixels);
    Shape s = z.getShape();
    return ids(z).reshape(s.get(0), s.get(2), s.get(3));
  }

  @Override
  public NDArray decode(NDArray ids) {
    Shape s = ids.getShape();
    return decodeLatent(lookup(ids, s.get(0), s.get(1), s.get(2))).clip(0f, 1f);
  }

  @Override
  public long[] takeCodeCounts() {
    long[] out = new long[codes];
    for (int i = 0; i < codes; i++) {
      out[i] = (long) counts[i];
      counts[i] = 0;
    }
    return out;
  }

  @Override
  public void save(Path file) throws IOException {
    Map<String, TensorData> out = new LinkedHashMap<>();
    namedParameters().forEach((k, p) -> out.put(k, TensorData.of(p.array())));
    SafeTensors.write(file, out);
  }

  @Override
  public Config tokenizerSettings() {
    return ConfigFactory.parseMap(Map.of("input-size", size, "patch", patch, "dim", dim, "codes", codes));
  }
}
