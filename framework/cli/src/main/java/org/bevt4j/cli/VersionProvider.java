package org.bevt4j.cli;

import org.bevt4j.core.BevtVersion;
import picocli.CommandLine.IVersionProvider;

/** {@code bevt4j --version}: the build, the plugin API version, DJL and Java. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String djl;
    try {
      djl = ai.djl.engine.Engine.getDjlVersion();
    } catch (RuntimeException | LinkageError e) {
      djl = "unknown";
    }
    return new String[] {
      "bevt4j " + BevtVersion.build() + " (plugin API " + BevtVersion.framework() + ")",
      "DJL " + djl + ", PyTorch engine",
      "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "?") + ")"
    };
  }
}
