package org.bevt4j.io;

import java.nio.file.Path;

/**
 * Reads PyTorch checkpoint files (zip and legacy formats) through a restricted unpickler and finds
 * the tensors inside the container. (Filled in by the checkpoint-interop work.)
 */
public final class PyTorchCheckpoints {
  private PyTorchCheckpoints() {}

  /** The state dict inside a checkpoint file. */
  public static StateDict loadStateDict(Path file) {
    throw new WeightFileException(
        file + ": reading PyTorch checkpoint files is not available in this build; convert it to .safetensors");
  }
}
