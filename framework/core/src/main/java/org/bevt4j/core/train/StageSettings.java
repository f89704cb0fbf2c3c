package org.bevt4j.core.train;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bevt4j.api.Settings;
import org.bevt4j.api.StreamKind;
import org.bevt4j.io.Names;

/**
 * One training stage of {@code bevt.train.stages}.
 *
 * @param name unique stage name (e.g. {@code image}, {@code joint})
 * @param streams the streams trained in this stage, in config order
 * @param epochs length in epochs of the primary stream, or 0 when {@code steps} is given
 * @param steps length in optimizer steps, or 0 when {@code epochs} is given
 * @param init how the stage's weights start
 * @param weights the weights file when {@code init} is {@link Init#WEIGHTS}, else null
 */
public record StageSettings(String name, List<StreamKind> streams, double epochs, long steps, Init init, String weights) {
  /** How a stage's weights start. */
  public enum Init {
    /** Continue with the current weights (fresh components for the first stage). */
    NONE,
    /** {@code backbone.inflate(previous backbone state)} before the stage. */
    INFLATE_FROM_PREVIOUS,
    /** Load a weights file (model or backbone keys) before the stage. */
    WEIGHTS
  }

  static final Set<String> KEYS = Set.of("name", "streams", "epochs", "steps", "init");

  public StageSettings {
    streams = List.copyOf(streams);
  }

  /** Whether the stage trains this stream. */
  public boolean has(StreamKind s) {
    return streams.contains(s);
  }

  /** The stream whose epochs define the stage length: video when present, else image. */
  public StreamKind primary() {
    return has(StreamKind.VIDEO) ? StreamKind.VIDEO : StreamKind.IMAGE;
  }

  /** Parses and validates one stage object; {@code s} is prefixed e.g. {@code bevt.train.stages[1]}. */
  static StageSettings parse(Settings s) {
    Config c = s.config();
    for (String k : c.root().keySet()) {
      if (!KEYS.contains(k)) {
        throw s.invalid(k, "unknown stage key \"" + k + "\"" + Names.didYouMean(k, KEYS), "known: " + KEYS);
      }
    }
    String name = s.string("name");
    if (name.isBlank()) {
      throw s.invalid("name", "stage name is empty", null);
    }
    List<String> raw = s.strings("streams");
    if (raw.isEmpty()) {
      throw s.invalid("streams", "a stage needs at least one stream", "use [video], [image] or [video, image]");
    }
    List<StreamKind> streams = new ArrayList<>();
    for (String r : raw) {
      StreamKind k;
      try {
        k = StreamKind.fromConfigName(r);
      } catch (IllegalArgumentException e) {
        throw s.invalid("streams", "unknown stream \"" + r + "\"", "allowed: [video, image]");
      }
      if (streams.contains(k)) {
        throw s.invalid("streams", "stream \"" + r + "\" is listed twice", null);
      }
      streams.add(k);
    }
    boolean hasEpochs = !s.isNull("epochs");
    boolean hasSteps = !s.isNull("steps");
    if (hasEpochs == hasSteps) {
      throw s.invalid(
          hasEpochs ? "steps" : "epochs",
          hasEpochs ? "both epochs and steps are set" : "neither epochs nor steps is set",
          "give exactly one of epochs (> 0) or steps (>= 1)");
    }
    double epochs = 0;
    long steps = 0;
    if (hasEpochs) {
      epochs = s.number("epochs");
      if (!(epochs > 0) || Double.isInfinite(epochs)) {
        throw s.invalid("epochs", "value " + epochs + " is out of range", "must be > 0");
      }
    } else {
      steps = s.longValue("steps");
      if (steps < 1) {
        throw s.invalid("steps", "value " + steps + " is out of range", "must be >= 1");
      }
    }
    Init init = Init.NONE;
    String weights = null;
    String rawInit = s.isNull("init") ? "none" : s.string("init");
    if (rawInit.equals("inflate-from-previous")) {
      init = Init.INFLATE_FROM_PREVIOUS;
    } else if (!rawInit.equals("none")) {
      if (rawInit.isBlank()) {
        throw s.invalid("init", "empty init", "none | inflate-from-previous | <weights file>");
      }
      init = Init.WEIGHTS;
      weights = rawInit;
    }
    return new StageSettings(name, streams, epochs, steps, init, weights);
  }
}
