package org.bevt4j.core;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.core.plugin.PluginHost;

/** Maps {@code bevt.train.device} (auto, cpu, gpu) to a DJL device of the PyTorch engine. */
public final class Devices {
  private Devices() {}

  /**
   * @param setting auto, cpu or gpu
   * @param origin where the setting came from, for the error when no GPU is visible
   */
  public static Device select(String setting, String origin) {
    Engine engine = Engine.getEngine(PluginHost.ENGINE);
    return switch (setting) {
      case "cpu" -> Device.cpu();
      case "gpu" -> {
        if (engine.getGpuCount() <= 0) {
          throw new BevtConfigException(
              "bevt.train.device", origin, "gpu was requested but PyTorch sees no GPU", "use auto or cpu, or install a CUDA build of libtorch");
        }
        yield Device.gpu();
      }
      case "auto" -> engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
      default -> throw new BevtConfigException("bevt.train.device", origin, "unknown device \"" + setting + "\"", "allowed: [auto, cpu, gpu]");
    };
  }
}
