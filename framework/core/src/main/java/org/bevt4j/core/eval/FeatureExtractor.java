package org.bevt4j.core.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.BevtException;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.FeatureMap;
import org.bevt4j.api.HostTensor;
import org.bevt4j.api.Sample;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.ProgressListener;
import org.bevt4j.nn.Param;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a frozen backbone over a labelled dataset and pools its final feature map into one vector per
 * sample: the mean over all positions of a spatial map, or over the non-prefix tokens of a token
 * sequence ({@link Pooling#MEAN}); or the first prefix token ({@link Pooling#CLS}). Samples are loaded
 * on worker threads; forward passes run on the caller's thread in batches, each inside an
 * {@link NDScope}. Results are cached on disk under a key derived from the backbone weights, the
 * dataset identity and the pooling, so repeated probes are fast. Evaluation samples with several
 * views ({@code (V, 3, T, H, W)} clips, {@code (V, 3, H, W)} images) are forwarded view by view in
 * one batch and their pooled vectors averaged.
 */
public final class FeatureExtractor {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureExtractor.class);

  /** How a feature map becomes one vector. */
  public enum Pooling {
    /** Average over all positions (after any class tokens): (B, C). */
    MEAN,
    /** The first class token: (B, C). */
    CLS,
    /**
     * Average over the spatial positions of each time step, time steps kept in order and
     * concatenated: (B, T * C), time-major. Keeps what a global average discards for video: the order
     * of events (direction of motion, rotation sense). A map without time (images, t = 1) gives
     * {@link #MEAN}'s vector.
     */
    TEMPORAL;

    /** The configuration name ({@code mean}, {@code cls}, {@code temporal}). */
    public String configName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a configuration name. */
    public static Pooling fromConfigName(String name) {
      return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }

    /** The accepted configuration names. */
    public static String[] configNames() {
      return java.util.Arrays.stream(values()).map(Pooling::configName).toArray(String[]::new);
    }
  }

  private final Backbone backbone;
  private final NDManager manager;
  private final int batchSize;
  private final int workers;
  private final Pooling pooling;
  private final ProgressListener progress;
  private final String taskName;

  public FeatureExtractor(Backbone backbone, NDManager manager, int batchSize, int workers, Pooling pooling) {
    this(backbone, manager, batchSize, workers, pooling, ProgressListener.NONE, "features");
  }

  /**
   * As above, reporting progress (samples done) as task {@code taskName}.
   */
  public FeatureExtractor(
      Backbone backbone, NDManager manager, int batchSize, int workers, Pooling pooling,
      ProgressListener progress, String taskName) {
    this.backbone = backbone;
    this.manager = manager;
    this.batchSize = Math.max(1, batchSize);
    this.workers = Math.max(1, workers);
    this.pooling = pooling;
    this.progress = progress == null ? ProgressListener.NONE : progress;
    this.taskName = taskName;
  }

  /**
   * Features for every sample of {@code dataset}, from {@code cacheDir} when a matching cache file
   * exists (null = no cache).
   *
   * @param datasetKey identifies the dataset and its (deterministic, evaluation) transforms
   */
  public FeatureSet extract(Dataset dataset, String datasetKey, long seed, Path cacheDir) throws IOException {
    Path cache = null;
    if (cacheDir != null) {
      cache = cacheDir.resolve("features-" + cacheKey(datasetKey, seed) + ".safetensors");
      if (Files.isRegularFile(cache)) {
        LOG.info("features from cache {}", cache);
        return FeatureSet.load(cache);
      }
    }
    FeatureSet fs = compute(dataset, seed);
    if (cache != null) {
      fs.save(cache, Map.of("dataset", datasetKey, "pooling", pooling.name()));
    }
    return fs;
  }

  /** Computes features without caching. */
  public FeatureSet compute(Dataset dataset, long seed) throws IOException {
    int n = Math.toIntExact(dataset.size());
    float[][] feats = new float[n][];
    int[] labels = new int[n];
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "bevt4j-features");
      t.setDaemon(true);
      return t;
    });
    try (ProgressListener.Task task = progress.start(taskName, n, "sample")) {
      // the next batch loads on the workers while this one runs through the backbone
      List<Future<Sample>> next = submit(pool, dataset, seed, 0, Math.min(n, batchSize));
      for (int start = 0; start < n; start += batchSize) {
        int end = Math.min(n, start + batchSize);
        List<Future<Sample>> futures = next;
        next = submit(pool, dataset, seed, end, Math.min(n, end + batchSize));
        List<Sample> batch = new ArrayList<>();
        for (Future<Sample> f : futures) {
          try {
            batch.add(f.get());
          } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("cannot load sample: " + e.getCause().getMessage(), e.getCause());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
          }
        }
        float[][] out = forward(batch, dataset.stream());
        for (int k = 0; k < batch.size(); k++) {
          feats[start + k] = out[k];
          labels[start + k] = batch.get(k).label();
        }
        task.update(end);
      }
    } finally {
      pool.shutdownNow();
    }
    return new FeatureSet(feats, labels);
  }

  private static List<Future<Sample>> submit(ExecutorService pool, Dataset dataset, long seed, int from, int to) {
    List<Future<Sample>> futures = new ArrayList<>(Math.max(0, to - from));
    for (int i = from; i < to; i++) {
      final long idx = i;
      futures.add(pool.submit(() -> dataset.load(idx, new SplittableRandom(seed * 1_000_003L + idx))));
    }
    return futures;
  }

  private float[][] forward(List<Sample> batch, StreamKind stream) {
    try (NDScope scope = new NDScope()) {
      NDArray x = stack(batch);
      int plainRank = stream == StreamKind.VIDEO ? 5 : 4;
      long views = 1;
      if (x.getShape().dimension() == plainRank + 1) {
        // (B, V, ...) evaluation views: forward as (B * V, ...), average the pooled vectors per sample
        views = x.getShape().get(1);
        long[] dims = x.getShape().getShape();
        long[] merged = new long[dims.length - 1];
        merged[0] = dims[0] * dims[1];
        System.arraycopy(dims, 2, merged, 1, dims.length - 2);
        x = x.reshape(new Shape(merged));
      } else if (x.getShape().dimension() != plainRank) {
        throw new BevtException("samples of the " + stream.configName() + " stream have shape "
            + java.util.Arrays.toString(batch.get(0).input().shape()) + " (" + batch.get(0).source()
            + "); expected " + (plainRank - 1) + " dimensions, or " + plainRank + " with evaluation views first");
      }
      BackboneOutput out =
          stream == StreamKind.VIDEO ? backbone.forwardVideo(x, null, false) : backbone.forwardImage(x, null, false);
      NDArray pooled = pool(out.last());
      if (views > 1) {
        pooled = pooled.reshape(batch.size(), views, -1).mean(new int[] {1});
      }
      float[] flat = pooled.toFloatArray();
      int d = (int) pooled.getShape().get(1);
      float[][] rows = new float[batch.size()][d];
      for (int i = 0; i < rows.length; i++) {
        System.arraycopy(flat, i * d, rows[i], 0, d);
      }
      return rows;
    }
  }

  private NDArray stack(List<Sample> batch) {
    HostTensor first = batch.get(0).input();
    int per = first.data().length;
    float[] all = new float[per * batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      HostTensor t = batch.get(i).input();
      if (!java.util.Arrays.equals(t.shape(), first.shape())) {
        throw new BevtException(
            "samples in one batch have different shapes: " + java.util.Arrays.toString(first.shape()) + " ("
                + batch.get(0).source() + ") and " + java.util.Arrays.toString(t.shape()) + " (" + batch.get(i).source() + ")");
      }
      System.arraycopy(t.data(), 0, all, i * per, per);
    }
    long[] shape = new long[first.rank() + 1];
    shape[0] = batch.size();
    System.arraycopy(first.shape(), 0, shape, 1, first.rank());
    return manager.create(all, new Shape(shape));
  }

  /** Pools one feature map to (B, C), or (B, T * C) for {@link Pooling#TEMPORAL}. */
  NDArray pool(FeatureMap map) {
    NDArray f = map.features();
    if (pooling == Pooling.TEMPORAL) {
      return poolPerTimeStep(map);
    }
    if (map.tokens()) {
      if (pooling == Pooling.CLS) {
        if (map.prefixTokens() < 1) {
          throw new BevtException("pooling = cls needs a class token, but feature map " + map.name() + " has none");
        }
        return f.get(":, 0, :");
      }
      return f.get(":, " + map.prefixTokens() + ":, :").mean(new int[] {1});
    }
    // DJL's PyTorch mean reduces one axis at a time: flatten the positions first
    return f.reshape(f.getShape().get(0), f.getShape().get(1), -1).mean(new int[] {2});
  }

  private static NDArray poolPerTimeStep(FeatureMap map) {
    NDArray f = map.features();
    long b = f.getShape().get(0);
    int t = map.grid().t();
    NDArray perStep;
    if (map.tokens()) {
      // (B, prefix + t*h*w, C) -> (B, t, h*w, C) -> mean over space -> (B, t, C)
      NDArray body = f.get(":, " + map.prefixTokens() + ":, :");
      long c = body.getShape().get(2);
      if (body.getShape().get(1) != map.grid().size()) {
        throw new BevtException("feature map " + map.name() + " has " + body.getShape().get(1)
            + " tokens after its class tokens, but its grid " + map.grid() + " has " + map.grid().size() + " positions");
      }
      perStep = body.reshape(b, t, -1, c).mean(new int[] {2});
    } else {
      // (B, C, T, H, W) -> (B, C, T, H*W) -> mean over space -> (B, C, T) -> (B, T, C); images (B, C, H, W): t = 1
      long c = f.getShape().get(1);
      long steps = f.getShape().dimension() == 5 ? f.getShape().get(2) : 1;
      perStep = f.reshape(b, c, steps, -1).mean(new int[] {3}).transpose(0, 2, 1);
    }
    return perStep.reshape(b, -1);
  }

  private String cacheKey(String datasetKey, long seed) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, Param> e : backbone.namedParameters().entrySet()) {
        md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ByteBuffer bb = e.getValue().array().toByteBuffer(false);
        md.update(bb);
      }
      md.update(datasetKey.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      md.update((pooling.name() + ":" + seed).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
