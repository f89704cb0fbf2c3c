package org.bevt4j.api;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Optional;

/** What a factory may use while building its component. */
@Stable
public interface BuildContext {
  /** The device every tensor of the component must live on. */
  Device device();

  /** The long-lived manager that owns parameters; never close it from a component. */
  NDManager manager();

  /** The run's seed; components derive their own deterministic streams from it. */
  long seed();

  /** Resolves a user-supplied path against the directory of the config file that named it. */
  Path resolvePath(String path);

  /** The whole resolved configuration (read-only), for components that need global settings. */
  Config rootConfig();

  /** The backbone, once built (decoders need it). */
  Optional<Backbone> backbone();

  /** The tokenizer, once built. */
  Optional<Tokenizer> tokenizer();
}
