package org.bevt4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads PyTorch checkpoint files ({@code .pth .pt .pyth .pkl .ckpt .bin}) without Python and without
 * running any code from them: the zip format of {@code torch.save} (PyTorch 1.6+) and the legacy
 * format are parsed in Java, and their pickles go through a restricted unpickler that allows only
 * data-building globals and records classes as inert data (see {@link PickleGlobals}). A refused
 * global fails the whole read with a {@link DisallowedGlobalException} naming it.
 *
 * <p>Storages are read lazily: opening a checkpoint reads only the zip directory (or scans the
 * legacy storage headers) and the pickles; each storage record is read when a tensor first needs it,
 * and large records are memory-mapped rather than copied.
 */
public final class PyTorchCheckpoints {
  private PyTorchCheckpoints() {}

  /**
   * Reads the whole object tree of a checkpoint.
   *
   * @throws WeightFileException naming the file when it is missing, truncated, corrupt, of an
   *     unknown format, or refers to a disallowed global ({@link DisallowedGlobalException})
   */
  public static TorchCheckpoint read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new WeightFileException(file + ": checkpoint file not found");
    }
    try {
      ByteSource src = ByteSource.of(file);
      if (src.size() == 0) {
        throw new WeightFileException(file + ": empty file, not a PyTorch checkpoint");
      }
      ByteBuffer head = src.slice(0, Math.min(8, src.size()));
      PickleGlobals policy = PickleGlobals.standard();
      if (ZipArchive.looksLikeZip(head)) {
        return TorchZipReader.read(file, src, policy);
      }
      return TorchLegacyReader.read(file, src, policy);
    } catch (DisallowedGlobalException e) {
      throw new DisallowedGlobalException(e.global(), file + ": " + e.getMessage());
    } catch (WeightFileException e) {
      throw e;
    } catch (ZipArchive.CorruptArchiveException | CheckpointFormatException e) {
      throw new WeightFileException(file + ": " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new WeightFileException(file + ": cannot read checkpoint: " + e, e);
    }
  }

  /**
   * The model tensors of a checkpoint as a {@link StateDict} whose keys are the checkpoint's own
   * names (prefixes such as {@code backbone.} or {@code module.} are kept). The container is found as
   * described in {@link StateDictLocator}; dtypes are kept (F16/BF16 widen when used).
   */
  public static StateDict loadStateDict(Path file) {
    return read(file).stateDict();
  }
}
