package org.bevt4j.core.testing;

import com.typesafe.config.Config;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Masker;
import org.bevt4j.api.MaskerFactory;
import org.pf4j.Extension;

/**
 * A host-class-path extension (like core's own maskers and datasets): the PF4J annotation processor
 * configured for framework/core indexes it in {@code META-INF/extensions.idx}, and the registries
 * list it with owner {@code core}.
 */
@Extension
public class HostTestMasker implements MaskerFactory {
  public static final String NAME = "core-test-host-masker";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Masker create(Config settings, BuildContext ctx) {
    return (grid, rng) -> new boolean[grid.size()];
  }
}
