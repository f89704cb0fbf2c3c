package org.bevt4j.dalle.train;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Settings;
import org.bevt4j.api.tokenizer.FeatureNetwork;
import org.bevt4j.api.tokenizer.FeatureNetworkFactory;
import org.bevt4j.dalle.DalleEncoder;
import org.bevt4j.dalle.DalleEncoderConfig;
import org.bevt4j.dalle.DalleWeights;
import org.bevt4j.io.StateDict;
import org.pf4j.Extension;
import org.slf4j.LoggerFactory;

/**
 * {@code bevt.tokenizer-training.perceptual.network = dalle-encoder}: a frozen DALL-E encoder's
 * stage outputs as perceptual features; settings {@code bevt.model.tokenizer.dalle.perceptual-network}
 * ({@code weights}, {@code n-hid}, {@code n-blk-per-group}, {@code vocab-size}, {@code stages}).
 */
@Extension
public final class DalleFeatureNetworkFactory implements FeatureNetworkFactory {
  static final String PATH = "bevt.model.tokenizer.dalle.perceptual-network";

  @Override
  public String name() {
    return "dalle-encoder";
  }

  @Override
  public String settingsPath() {
    return PATH;
  }

  @Override
  public String description() {
    return "frozen DALL-E encoder (released or random weights): stage outputs as perceptual features";
  }

  @Override
  public FeatureNetwork create(Config settings, BuildContext ctx) {
    Settings s = Settings.of(settings, PATH);
    int nHid = s.intIn("n-hid", 4, 1 << 16);
    if (nHid % 4 != 0) {
      throw s.invalid("n-hid", "value " + nHid + " is not a multiple of 4", null);
    }
    List<String> stages = new ArrayList<>();
    for (String st : s.strings("stages")) {
      String full = st.startsWith("blocks.") ? st : "blocks." + st;
      if (!DalleEncoder.STAGES.contains(full) || full.equals("blocks.output")) {
        throw s.invalid("stages", "unknown stage \"" + st + "\"", "use input, group_1, group_2, group_3, group_4");
      }
      stages.add(full);
    }
    if (stages.isEmpty()) {
      throw s.invalid("stages", "must not be empty", "e.g. [group_1, group_2, group_3]");
    }
    DalleEncoder enc = new DalleEncoder(new DalleEncoderConfig(4, nHid, s.intIn("n-blk-per-group", 1, 64), 3,
        s.intIn("vocab-size", 2, 1 << 20)));
    enc.initialize(ctx.manager());
    String w = s.optString("weights");
    if (w != null) {
      DalleWeights.bind(enc, StateDict.load(ctx.resolvePath(w)));
    } else {
      LoggerFactory.getLogger(DalleFeatureNetworkFactory.class).warn(
          "perceptual network dalle-encoder has no weights ({}.weights = null): its features are random", PATH);
    }
    String desc = "dalle-encoder(n-hid " + nHid + ", " + (w == null ? "random weights" : w) + ", stages " + stages + ")";
    return new DalleFeatureNetwork(enc, stages, s.numberIn("logit-laplace-eps", 0, 0.499), desc);
  }
}
