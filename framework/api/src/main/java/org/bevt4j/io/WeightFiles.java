package org.bevt4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Chooses the reader for a weight file: {@code .safetensors} by name, or any file whose content
 * starts like safetensors (an 8-byte header length followed by {@code '{'}); everything else goes to
 * {@link PyTorchCheckpoints}, which tells the zip and legacy formats apart by their content.
 */
final class WeightFiles {
  private WeightFiles() {}

  static StateDict load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new WeightFileException(file + ": weight file not found");
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".safetensors") || looksLikeSafetensors(file)) {
      return SafeTensors.read(file);
    }
    return PyTorchCheckpoints.loadStateDict(file);
  }

  private static boolean looksLikeSafetensors(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN);
      while (head.hasRemaining() && ch.read(head) > 0) {
        // fill
      }
      if (head.position() < 9) {
        return false;
      }
      long n = head.getLong(0);
      return n > 1 && n <= SafeTensors.MAX_HEADER && 8 + n <= ch.size() && head.get(8) == '{';
    } catch (IOException e) {
      return false;
    }
  }
}
