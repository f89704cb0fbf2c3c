package org.bevt4j.core.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.FeatureMap;
import org.bevt4j.api.Masker;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.nn.Attention;
import org.bevt4j.nn.Conv;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.LayerNorm;
import org.bevt4j.nn.Module;
import org.bevt4j.nn.Param;

/**
 * A tiny BEVT-shaped model for the step-benchmark tests: patch embeddings (2-frame tubelets for
 * clips), a mask token, one attention layer ({@code attention} setting: composite | fused) and a
 * norm; decoders that return the tokens (video: repeated over 2 frames per mask slot).
 */
final class TinyStepParts {
  static final String TYPE = "tiny-step";

  private TinyStepParts() {}

  /** A preset of this model: 2 clips of 4x16x16 and 3 images of 16x16, vocabulary 32. */
  static StepPreset preset() {
    return new StepPreset(TYPE, "test", List.of("bevt.model.backbone.type=" + TYPE), 2, 4, 3, 16, 32);
  }

  static StepParts build(StepPreset preset, List<String> extra) {
    Config root = ConfigFactory.parseString(String.join("\n", preset.sets()) + "\n" + String.join("\n", extra))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
    String key = preset.settingsPath() + ".attention";
    org.bevt4j.nn.fused.Attention.Mode mode =
        root.hasPath(key) ? org.bevt4j.nn.fused.Attention.Mode.parse(root.getString(key)) : org.bevt4j.nn.fused.Attention.Mode.COMPOSITE;
    NDManager m = Engine.getInstance().newBaseManager();
    Net net = new Net(8, 4, mode);
    net.initialize(m);
    Masker masker = (grid, rng) -> {
      boolean[] f = new boolean[grid.size()];
      for (int i = 0; i < f.length; i++) {
        f[i] = i == 0 || rng.nextBoolean();
      }
      return f;
    };
    return new StepParts(net, Map.of(StreamKind.VIDEO, new Tokens(net, 2), StreamKind.IMAGE, new Tokens(net, 1)),
        Map.of(StreamKind.VIDEO, masker, StreamKind.IMAGE, masker), root, m, m);
  }

  /** The backbone. */
  static final class Net extends Module implements Backbone {
    final int dim;
    final int patch;
    final Conv video;
    final Conv image;
    final Param maskToken;
    final Attention attn;
    final LayerNorm norm;

    Net(int dim, int patch, org.bevt4j.nn.fused.Attention.Mode mode) {
      this.dim = dim;
      this.patch = patch;
      this.video = child("patch_embed", Conv.builder(3, dim, 2, patch, patch).optStride(2, patch, patch).build());
      this.image = child("patch_embed_2d", Conv.builder(3, dim, patch, patch).optStride(patch, patch).build());
      this.maskToken = param("mask_token", new Shape(1, 1, dim), Init.truncNormal(0.02));
      this.attn = child("attn", new Attention(dim, 2, true, null, 0, 0, Init.truncNormal(0.02), mode));
      this.norm = child("norm", new LayerNorm(dim));
    }

    @Override
    public BackboneOutput forwardVideo(NDArray x, NDArray mask, boolean training) {
      NDArray e = video.forward(x); // (B, C, t, h, w)
      Shape s = e.getShape();
      TokenGrid g = new TokenGrid((int) s.get(2), (int) s.get(3), (int) s.get(4));
      return new BackboneOutput(StreamKind.VIDEO, List.of(FeatureMap.sequence("tokens", encode(e, g, mask, training), g, 0)));
    }

    @Override
    public boolean supportsImages() {
      return true;
    }

    @Override
    public BackboneOutput forwardImage(NDArray x, NDArray mask, boolean training) {
      NDArray e = image.forward(x); // (B, C, h, w)
      Shape s = e.getShape();
      TokenGrid g = TokenGrid.image((int) s.get(2), (int) s.get(3));
      return new BackboneOutput(StreamKind.IMAGE, List.of(FeatureMap.sequence("tokens", encode(e, g, mask, training), g, 0)));
    }

    private NDArray encode(NDArray e, TokenGrid g, NDArray mask, boolean training) {
      long b = e.getShape().get(0);
      NDArray x = e.reshape(b, dim, g.size()).transpose(0, 2, 1);
      if (mask != null) {
        NDArray w = mask.reshape(b, g.size(), 1).toType(DataType.FLOAT32, false);
        x = x.mul(w.neg().add(1f)).add(maskToken.array().mul(w));
      }
      return norm.forward(x.add(attn.forward(x, training)));
    }

    @Override
    public TokenGrid maskGrid(StreamKind stream, int frames, int height, int width) {
      return stream == StreamKind.VIDEO ? new TokenGrid(frames / 2, height / patch, width / patch) : TokenGrid.image(height / patch, width / patch);
    }

    @Override
    public String defaultDecoder(StreamKind stream) {
      return TYPE;
    }

    @Override
    public int numFeatures() {
      return dim;
    }
  }

  /** The tokens as features, each repeated over {@code frames} target frames. */
  record Tokens(Net net, int frames) implements Decoder {
    @Override
    public NDArray decode(BackboneOutput output, boolean training) {
      FeatureMap f = output.last();
      NDArray x = f.features(); // (B, t*h*w, C)
      if (frames == 1) {
        return x;
      }
      TokenGrid g = f.grid();
      long b = x.getShape().get(0);
      return x.reshape(b, g.t(), 1, g.plane(), net.dim).repeat(2, frames).reshape(b, (long) frames * g.size(), net.dim);
    }

    @Override
    public int featureDim() {
      return net.dim;
    }

    @Override
    public TokenGrid targetGrid(TokenGrid maskGrid) {
      return new TokenGrid(maskGrid.t() * frames, maskGrid.h(), maskGrid.w());
    }

    @Override
    public Map<String, Param> namedParameters() {
      return Map.of();
    }
  }
}
