package org.bevt4j.core.eval;

import com.typesafe.config.Config;
import org.bevt4j.core.config.ConfigCheck;

/** Validates {@code bevt.eval.probe} eagerly ({@code config validate}, start of a run). */
public final class ProbeConfigCheck implements ConfigCheck {
  @Override
  public void check(Config root) {
    ProbeOptions.from(root);
  }
}
