package org.bevt4j.core.mask;

import com.typesafe.config.Config;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Masker;
import org.bevt4j.api.MaskerFactory;
import org.bevt4j.api.Settings;
import org.pf4j.Extension;

/** {@code type = tube}: one block mask over a wrapping run of temporal slots (BEVT's video stream). */
@Extension
public final class TubeMaskerFactory implements MaskerFactory {
  @Override
  public String name() {
    return "tube";
  }

  @Override
  public String description() {
    return "BEVT tube masking (clips): one block mask repeated over 50-100% of the temporal slots";
  }

  /** Builds the masker (no side effects): its settings are the whole check. */
  @Override
  public void validate(Config settings) {
    create(settings, null);
  }

  @Override
  public Masker create(Config settings, BuildContext ctx) {
    Settings s = Settings.of(settings, "bevt.masking.video");
    double[] range = s.numbers("tube-range");
    if (range.length != 2) {
      throw s.invalid("tube-range", "expected [lo, hi], found " + range.length + " values", null);
    }
    try {
      return new TubeMasker(BlockMaskSettings.from(s), range[0], range[1]);
    } catch (IllegalArgumentException e) {
      throw s.invalid("tube-range", e.getMessage(), null);
    }
  }
}
