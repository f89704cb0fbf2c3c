package org.bevt4j.core;

import com.google.inject.AbstractModule;
import com.typesafe.config.Config;
import org.bevt4j.core.config.RuntimeSettings;
import org.pf4j.PluginManager;

/**
 * The host's own bindings in the single injector: the resolved configuration, the runtime
 * settings and the plugin manager. Extensions may take these in an {@code @Inject} constructor, but
 * component settings reach components through {@code create(settings, ctx)}, not injection.
 */
public final class CoreModule extends AbstractModule {
  private final Config config;
  private final RuntimeSettings settings;
  private final PluginManager pluginManager;

  public CoreModule(Config config, RuntimeSettings settings, PluginManager pluginManager) {
    this.config = config;
    this.settings = settings;
    this.pluginManager = pluginManager;
  }

  @Override
  protected void configure() {
    bind(Config.class).toInstance(config);
    bind(RuntimeSettings.class).toInstance(settings);
    bind(PluginManager.class).toInstance(pluginManager);
  }
}
