package org.bevt4j.core.mask;

import com.typesafe.config.Config;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Masker;
import org.bevt4j.api.MaskerFactory;
import org.bevt4j.api.Settings;
import org.pf4j.Extension;

/** {@code type = block}: BEiT block-wise masking (BEVT's image stream). Settings: {@code bevt.masking.<stream>.block}. */
@Extension
public final class BlockMaskerFactory implements MaskerFactory {
  @Override
  public String name() {
    return "block";
  }

  @Override
  public String description() {
    return "BEiT block-wise masking (images): 50% of the grid in blocks of >= 16 cells";
  }

  /** Builds the masker (no side effects): its settings are the whole check. */
  @Override
  public void validate(Config settings) {
    create(settings, null);
  }

  @Override
  public Masker create(Config settings, BuildContext ctx) {
    return new BlockMasker(BlockMaskSettings.from(Settings.of(settings, "bevt.masking.image")));
  }
}
