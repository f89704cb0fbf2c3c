package org.bevt4j.cli.tokens;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.core.ProgressListener;
import org.bevt4j.core.eval.TokenStatistics;
import org.bevt4j.core.viz.TokenMapImage;
import org.bevt4j.io.SafeTensors;
import org.bevt4j.io.TensorData;

/**
 * Tokenizes pictures in batches and writes {@code ids.safetensors} (one int64 {@code (h, w)} entry
 * per picture, keyed by its name), one PNG per picture (input and token map side by side, under
 * {@code maps/}) and {@code summary.json}.
 */
public final class TokenizeJob {
  /** Output file names. */
  public static final String IDS = "ids.safetensors";

  public static final String SUMMARY = "summary.json";

  public static final String MAPS = "maps";

  private final Tokenizer tokenizer;
  private final String type;
  private final NDManager manager;
  private final SquareResize resize;
  private final Path out;
  private final int batch;
  private final boolean png;
  private final Map<String, TensorData> ids = new LinkedHashMap<>();
  private long[] all = new long[4096];
  private int allCount;
  private final TokenGrid grid;
  private int files;
  private long started;

  /**
   * @param type the tokenizer's type name (for the summary)
   * @param manager a manager on the tokenizer's device
   * @param batch pictures per encode call
   * @param png whether to write the token-map PNGs
   */
  public TokenizeJob(Tokenizer tokenizer, String type, NDManager manager, SquareResize resize, Path out, int batch, boolean png) {
    this.tokenizer = tokenizer;
    this.type = type;
    this.manager = manager;
    this.resize = resize;
    this.out = out;
    this.batch = Math.max(1, batch);
    this.png = png;
    this.grid = tokenizer.grid(resize.size(), resize.size());
  }

  /** Decodes and tokenizes every item; returns the summary. */
  public Summary run(List<MediaInputs.Item> items, int maxFrames, ProgressListener progress) throws IOException {
    Files.createDirectories(out);
    started = System.nanoTime();
    try (ProgressListener.Task task = progress.start("tokenize", items.size(), "file")) {
      for (MediaInputs.Item item : items) {
        List<MediaInputs.Frame> frames = MediaInputs.decode(item, maxFrames);
        for (int s = 0; s < frames.size(); s += batch) {
          encode(frames.subList(s, Math.min(frames.size(), s + batch)));
        }
        files++;
        task.update(files);
      }
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("tokenizer", type);
    meta.put("vocab_size", String.valueOf(tokenizer.vocabSize()));
    meta.put("input_size", String.valueOf(resize.size()));
    meta.put("grid", grid.h() + "x" + grid.w());
    SafeTensors.write(out.resolve(IDS), ids, meta);
    Summary s = summary((System.nanoTime() - started) / 1e9);
    Files.writeString(out.resolve(SUMMARY), new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(s.toMap()) + "\n");
    return s;
  }

  private void encode(List<MediaInputs.Frame> frames) {
    int size = resize.size();
    int per = 3 * size * size;
    float[] pixels = new float[frames.size() * per];
    for (int i = 0; i < frames.size(); i++) {
      System.arraycopy(resize.apply(frames.get(i).rgb()), 0, pixels, i * per, per);
    }
    long[] flat;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray x = manager.create(pixels, new Shape(frames.size(), 3, size, size));
      flat = tokenizer.encode(x).toType(DataType.INT64, false).toLongArray();
    }
    int plane = grid.plane();
    if (flat.length != (long) frames.size() * plane) {
      throw new IllegalStateException("tokenizer returned " + flat.length + " ids for " + frames.size() + " pictures of grid " + grid);
    }
    for (int i = 0; i < frames.size(); i++) {
      long[] one = java.util.Arrays.copyOfRange(flat, i * plane, (i + 1) * plane);
      MediaInputs.Frame f = frames.get(i);
      ids.put(f.name(), TensorData.ofLongs(one, grid.h(), grid.w()));
      if (allCount + one.length > all.length) {
        all = java.util.Arrays.copyOf(all, Math.max(2 * all.length, allCount + one.length));
      }
      System.arraycopy(one, 0, all, allCount, one.length);
      allCount += one.length;
      if (png) {
        float[] rgb = java.util.Arrays.copyOfRange(pixels, i * per, (i + 1) * per);
        TokenMapImage.render(rgb, size, size, one, grid.h(), grid.w(), tokenizer.vocabSize())
            .write(out.resolve(MAPS).resolve(MediaInputs.fileName(f.name(), "png")));
      }
    }
  }

  private Summary summary(double seconds) {
    long[] v = java.util.Arrays.copyOf(all, allCount);
    double usage = TokenStatistics.codebookUsage(v, tokenizer.vocabSize());
    return new Summary(type, files, ids.size(), v.length, grid.h() + "x" + grid.w(), tokenizer.vocabSize(), resize.size(),
        (int) Math.round(usage * tokenizer.vocabSize()), usage, TokenStatistics.perplexity(v), seconds);
  }

  /** What {@code tokenize} reports. */
  public record Summary(String tokenizer, int files, int pictures, long tokens, String grid, int vocab, int inputSize,
      int codesUsed, double codebookUsage, double perplexity, double seconds) {
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("tokenizer", tokenizer);
      m.put("files", files);
      m.put("pictures", pictures);
      m.put("tokens", tokens);
      m.put("grid", grid);
      m.put("vocab_size", vocab);
      m.put("input_size", inputSize);
      m.put("codes_used", codesUsed);
      m.put("codebook_usage", codebookUsage);
      m.put("perplexity", perplexity);
      m.put("seconds", seconds);
      return m;
    }

    public String describe() {
      return String.format(Locale.ROOT,
          "tokenizer %s (vocab %d, input %dx%d -> %s tokens)%n"
              + "%d files, %d pictures, %d tokens%n"
              + "codebook usage %.1f%% (%d of %d codes), perplexity %.1f%n"
              + "%.1f s (%.1f pictures/s)",
          tokenizer, vocab, inputSize, inputSize, grid, files, pictures, tokens, 100 * codebookUsage, codesUsed, vocab,
          perplexity, seconds, seconds > 0 ? pictures / seconds : 0);
    }
  }
}
