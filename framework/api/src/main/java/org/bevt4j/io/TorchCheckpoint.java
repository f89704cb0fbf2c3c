package org.bevt4j.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A PyTorch checkpoint read through the restricted unpickler: the whole object tree plus where it
 * came from. Values in the tree are Java forms of the pickled data: {@code String}, {@code Long} /
 * {@code Integer} / {@code BigInteger}, {@code Double}, {@code Boolean}, null, {@code byte[]},
 * {@code Object[]} (tuples), {@code List}, insertion-ordered {@code Map}s ({@link PyOrderedDict} for
 * {@code OrderedDict}), {@code Set}s, {@link TorchTensor}s (read lazily), {@link PyObject}s (inert
 * records of objects such as pickled modules) and {@link PickleGlobal}s (globals used as values).
 * {@code torch.device} values become their name, e.g. {@code "cpu"}.
 */
public final class TorchCheckpoint {
  /** The container format. */
  public enum Format {
    /** {@code torch.save} since PyTorch 1.6: a zip archive. */
    ZIP("torch-zip"),
    /** The legacy, pre-1.6 sequence of pickles followed by raw storages. */
    LEGACY("torch-legacy");

    private final String label;

    Format(String label) {
      this.label = label;
    }

    /** {@code torch-zip} or {@code torch-legacy}. */
    public String label() {
      return label;
    }
  }

  private final Path file;
  private final Format format;
  private final String archivePrefix;
  private final Object root;
  private final List<PickleGlobal> globals;

  TorchCheckpoint(Path file, Format format, String archivePrefix, Object root, Set<PickleGlobal> globals) {
    this.file = file;
    this.format = format;
    this.archivePrefix = archivePrefix;
    this.root = root;
    this.globals = List.copyOf(globals);
  }

  public Path file() {
    return file;
  }

  public Format format() {
    return format;
  }

  /** The folder of the zip records including its slash (e.g. {@code "archive/"}); empty for legacy files. */
  public String archivePrefix() {
    return archivePrefix;
  }

  /** The saved object. */
  public Object root() {
    return root;
  }

  /** The globals the pickles named (all allowed), in order of first use. */
  public List<PickleGlobal> globals() {
    return globals;
  }

  /**
   * The tensors of the model in this checkpoint, found as described in {@link StateDictLocator} and
   * read from the file (contiguous tensors are not copied).
   *
   * @throws WeightFileException if no model tensors are found or a storage cannot be read
   */
  public StateDict stateDict() {
    return StateDictLocator.stateDict(this);
  }

  @Override
  public String toString() {
    return "TorchCheckpoint(" + file + ", " + format.label() + ")";
  }
}
