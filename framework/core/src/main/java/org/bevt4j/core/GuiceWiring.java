package org.bevt4j.core;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import java.util.ArrayList;
import java.util.List;
import org.bevt4j.api.BevtPluginException;
import org.bevt4j.api.GuiceModuleContribution;
import org.bevt4j.core.plugin.ContextClassLoader;
import org.bevt4j.core.registry.ExtensionCollector;
import org.bevt4j.core.registry.ExtensionFailure;
import org.bevt4j.core.registry.ExtensionRegistry;
import org.pf4j.PluginManager;

/**
 * Builds the single host injector ({@link Stage#PRODUCTION}) from the core modules and every
 * plugin's {@link GuiceModuleContribution}, which are read before the injector exists.
 */
final class GuiceWiring {
  static final String POINT = "guice-module";

  private GuiceWiring() {}

  /** What the wiring produced. */
  record Result(Injector injector, List<ExtensionRegistry.Entry<GuiceModuleContribution>> contributions, List<ExtensionFailure> failures) {}

  static Result wire(PluginManager manager, List<Module> coreModules) {
    ExtensionCollector collector = new ExtensionCollector(manager);
    List<ExtensionRegistry.Entry<GuiceModuleContribution>> contributions =
        collector.collect(GuiceModuleContribution.class, POINT, c -> c.getClass().getSimpleName());
    List<Module> modules = new ArrayList<>(coreModules);
    List<String> owners = new ArrayList<>();
    for (ExtensionRegistry.Entry<GuiceModuleContribution> e : contributions) {
      Object m;
      try (ContextClassLoader ignored = ContextClassLoader.of(e.extension())) {
        m = e.extension().module();
      } catch (RuntimeException | LinkageError ex) {
        throw new BevtPluginException(owner(e) + ": " + e.className() + ".module() failed: " + ex, ex);
      }
      if (!(m instanceof Module module)) {
        throw new BevtPluginException(
            owner(e) + ": " + e.className() + ".module() returned " + (m == null ? "null" : m.getClass().getName())
                + ", not a com.google.inject.Module (declare Guice 'provided' so the host's copy is used)");
      }
      modules.add(module);
      owners.add(e.owner());
    }
    try {
      Injector injector = Guice.createInjector(Stage.PRODUCTION, modules);
      return new Result(injector, contributions, collector.failures());
    } catch (CreationException e) {
      throw new BevtPluginException("Guice wiring failed (modules contributed by " + owners + "): " + e.getMessage(), e);
    }
  }

  private static String owner(ExtensionRegistry.Entry<?> e) {
    return ExtensionRegistry.HOST.equals(e.owner()) ? "core" : "plugin " + e.owner();
  }
}
