package org.bevt4j.core.bench;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BevtException;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.Masker;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.RuntimeBuildContext;

/**
 * The components a {@link StepModel} is built from: the backbone, each stream's decoder and masker,
 * the resolved configuration (optimizer settings, FLOP-count architecture, attention mode), a
 * long-lived manager for the head, optimizer state and batches, and what to close afterwards.
 *
 * @param backbone the backbone
 * @param decoders decoder per stream (streams the preset uses)
 * @param maskers masker per stream
 * @param root the resolved configuration
 * @param manager long-lived manager on the model's device
 * @param resources closed with the parts (runtime, build context), may be null
 */
public record StepParts(
    Backbone backbone, Map<StreamKind, Decoder> decoders, Map<StreamKind, Masker> maskers, Config root,
    NDManager manager, AutoCloseable resources) implements AutoCloseable {
  /** Copies the maps. */
  public StepParts {
    decoders = Map.copyOf(decoders);
    maskers = Map.copyOf(maskers);
  }

  /** The decoder of a stream. */
  public Decoder decoder(StreamKind s) {
    Decoder d = decoders.get(s);
    if (d == null) {
      throw new BevtException("no " + s.configName() + " decoder among the benchmark parts");
    }
    return d;
  }

  /** The masker of a stream. */
  public Masker masker(StreamKind s) {
    Masker m = maskers.get(s);
    if (m == null) {
      throw new BevtException("no " + s.configName() + " masker among the benchmark parts");
    }
    return m;
  }

  @Override
  public void close() {
    if (resources != null) {
      try {
        resources.close();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("cannot close the benchmark parts: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Builds the parts through a runtime opened with the preset's settings followed by {@code
   * extraSets}: the configured backbone, and decoders and maskers of the streams the preset uses;
   * the runtime and its build context are closed with the parts.
   */
  public static StepParts fromRuntime(StepPreset preset, List<String> extraSets, java.util.function.Function<List<String>, BevtRuntime> opener) {
    List<String> sets = new java.util.ArrayList<>(preset.sets());
    sets.addAll(extraSets);
    BevtRuntime rt = opener.apply(sets);
    RuntimeBuildContext ctx = null;
    try {
      ctx = rt.newBuildContext();
      Backbone backbone = rt.buildBackbone(ctx);
      Map<StreamKind, Decoder> decoders = new EnumMap<>(StreamKind.class);
      Map<StreamKind, Masker> maskers = new EnumMap<>(StreamKind.class);
      for (StreamKind s : StreamKind.values()) {
        if ((s == StreamKind.VIDEO ? preset.clips() : preset.images()) > 0) {
          decoders.put(s, rt.buildDecoder(s, ctx));
          maskers.put(s, rt.buildMasker(s, ctx));
        }
      }
      RuntimeBuildContext c = ctx;
      return new StepParts(backbone, decoders, maskers, rt.config(), ctx.manager(), () -> {
        try {
          c.close();
        } finally {
          rt.close();
        }
      });
    } catch (RuntimeException | Error e) {
      if (ctx != null) {
        ctx.close();
      }
      rt.close();
      throw e;
    }
  }
}
