package org.bevt4j.peco;

import com.typesafe.config.Config;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.api.TokenizerFactory;
import org.pf4j.Extension;

/**
 * {@code bevt.model.tokenizer.type = peco}: a VQGAN-family tokenizer standing in for PeCo (whose
 * code and weights are not public), configurable to match real weights.
 */
@Extension
public final class PecoTokenizerFactory implements TokenizerFactory {
  @Override
  public String name() {
    return "peco";
  }

  @Override
  public String description() {
    return "PeCo slot: configurable VQGAN encoder + nearest-codebook quantizer (taming names; PeCo weights not public)";
  }

  /** Builds the settings record: type, range and cross-field errors before any work. */
  @Override
  public void validate(Config settings) {
    PecoSettings.fromConfig(settings);
  }

  @Override
  public Tokenizer create(Config settings, BuildContext ctx) {
    PecoSettings s = PecoSettings.fromConfig(settings);
    return PecoTokenizer.create(s, ctx.manager(), s.weights() == null ? null : ctx.resolvePath(s.weights()));
  }
}
