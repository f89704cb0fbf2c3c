package org.bevt4j.core;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.core.plugin.PluginHost;

/**
 * Maps {@code bevt.train.device} (auto, cpu, gpu) to a DJL device of the PyTorch engine. Under an
 * MPI launcher each rank takes the GPU of its local rank (modulo the GPUs it sees), so N ranks on a
 * host with N GPUs use one GPU each.
 */
public final class Devices {
  private Devices() {}

  /** The GPU this process should use among {@code gpuCount} visible ones. */
  public static Device gpu(int gpuCount) {
    return Device.gpu(gpuIndex(org.bevt4j.core.dist.MpiEnvironment.current(), gpuCount));
  }

  /** The local rank modulo the GPU count under an MPI launcher, else 0. */
  public static int gpuIndex(org.bevt4j.core.dist.MpiEnvironment env, int gpuCount) {
    if (gpuCount <= 1 || !env.launched() || env.localRank().isEmpty()) {
      return 0;
    }
    return env.localRank().getAsInt() % gpuCount;
  }

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
        yield gpu(engine.getGpuCount());
      }
      case "auto" -> engine.getGpuCount() > 0 ? gpu(engine.getGpuCount()) : Device.cpu();
      default -> throw new BevtConfigException("bevt.train.device", origin, "unknown device \"" + setting + "\"", "allowed: [auto, cpu, gpu]");
    };
  }
}
