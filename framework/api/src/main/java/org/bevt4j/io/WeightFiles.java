package org.bevt4j.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Chooses the reader for a weight file by its content (magic bytes) and name. */
final class WeightFiles {
  private WeightFiles() {}

  static StateDict load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new WeightFileException(file + ": weight file not found");
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".safetensors")) {
      return SafeTensors.read(file);
    }
    return PyTorchCheckpoints.loadStateDict(file);
  }
}
