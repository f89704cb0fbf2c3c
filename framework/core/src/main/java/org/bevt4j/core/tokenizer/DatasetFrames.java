package org.bevt4j.core.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.HostTensor;
import org.bevt4j.core.data.loader.DataLoader;
import org.bevt4j.core.data.loader.HostBatch;
import org.bevt4j.core.data.loader.LoaderCursor;

/**
 * Frames from a configured dataset: the {@code bevt.data.<stream>} block (with
 * {@code bevt.tokenizer-training.data.overrides} merged on) is read in training mode with its
 * tokenizer copy switched on at the tokenizer's input size — the same crop the pretraining loop
 * would tokenize — and every clip contributes {@code frames-per-clip} frames. A step takes the
 * first {@code batchSize} frames of a loader batch.
 */
public final class DatasetFrames implements FrameSource {
  private final DataLoader loader;
  private final int batchSize;
  private final Dataset owned;

  private DatasetFrames(DataLoader loader, int batchSize, Dataset owned) {
    this.loader = loader;
    this.batchSize = batchSize;
    this.owned = owned;
  }

  /**
   * The {@code bevt.data} subtree with the stream block prepared for tokenizer training.
   *
   * @param root the resolved configuration
   * @param size the tokenizer input size
   */
  public static Config dataConfig(Config root, TokenizerTrainingSettings.DataSettings d, int size, int batchSize) {
    Config data = root.getConfig("bevt.data");
    Config block = d.overrides().withFallback(data.getConfig(d.stream()));
    boolean video = d.stream().equals("video");
    int perSample = video ? d.framesPerClip() : 1;
    Map<String, Object> forced = new LinkedHashMap<>();
    forced.put("stream", d.stream());
    forced.put("mode", "train");
    forced.put("tokenizer-copy", true);
    forced.put("tokenizer-size", size);
    forced.put("batch-size", (batchSize + perSample - 1) / perSample);
    if (video) {
      forced.put("clip-len", d.framesPerClip());
    }
    block = ConfigFactory.parseMap(forced, "tokenizer training").withFallback(block);
    return data.withValue(d.stream(), block.root());
  }

  /**
   * Opens a loader over {@code dataset} (built from {@code dataConfig}'s stream block).
   *
   * @param start where to continue, or null for the start
   */
  public static DatasetFrames open(Dataset dataset, Config dataConfig, int batchSize, long seed, LoaderCursor start) {
    DataLoader loader = DataLoader.forStream(dataset, dataConfig, seed, 0, 1, start == null ? LoaderCursor.start() : start);
    return new DatasetFrames(loader, batchSize, null);
  }

  /** Builds the dataset with {@code build} and opens a loader over it; closing closes both. */
  public static DatasetFrames open(Function<Config, Dataset> build, Config dataConfig, String stream, int batchSize, long seed,
      LoaderCursor start) {
    Dataset dataset = build.apply(dataConfig.getConfig(stream));
    try {
      DataLoader loader = DataLoader.forStream(dataset, dataConfig, seed, 0, 1, start == null ? LoaderCursor.start() : start);
      return new DatasetFrames(loader, batchSize, dataset);
    } catch (RuntimeException e) {
      dataset.close();
      throw e;
    }
  }

  /** The next batch's tokenizer copies as host frames {@code (N, 3, S, S)}. */
  public HostTensor nextHost() {
    HostBatch b = loader.next();
    HostTensor t = b.tokenizerInput();
    if (t == null) {
      throw new IllegalStateException("the data pipeline produced no tokenizer copy");
    }
    long[] s = t.shape(); // (B, T, 3, h, w)
    long frames = s[0] * s[1];
    int n = (int) Math.min(batchSize, frames);
    int per = (int) (s[2] * s[3] * s[4]);
    return new HostTensor(Arrays.copyOf(t.data(), n * per), new long[] {n, s[2], s[3], s[4]});
  }

  @Override
  public NDArray next(NDManager manager) {
    HostTensor h = nextHost();
    return manager.create(h.data(), new Shape(h.shape()));
  }

  @Override
  public String cursor() {
    return loader.cursor().toString();
  }

  @Override
  public void close() {
    try {
      loader.close();
    } finally {
      if (owned != null) {
        owned.close();
      }
    }
  }
}
