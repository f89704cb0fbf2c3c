package org.bevt4j.dalle;

import com.typesafe.config.Config;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.api.TokenizerFactory;
import org.pf4j.Extension;

/** {@code bevt.model.tokenizer.type = dalle}: the DALL-E dVAE encoder tokenizer. */
@Extension
public final class DalleTokenizerFactory implements TokenizerFactory {
  @Override
  public String name() {
    return "dalle";
  }

  @Override
  public String description() {
    return "DALL-E dVAE encoder (BEiT/BEVT targets): map_pixels, 8x downsampling, argmax over 8192 codes";
  }

  /** Builds the settings record: type, range and cross-field errors before any work. */
  @Override
  public void validate(Config settings) {
    DalleSettings.fromConfig(settings);
  }

  @Override
  public Tokenizer create(Config settings, BuildContext ctx) {
    DalleSettings s = DalleSettings.fromConfig(settings);
    return DalleTokenizer.create(s, ctx.manager(), s.weights() == null ? null : ctx.resolvePath(s.weights()));
  }
}
