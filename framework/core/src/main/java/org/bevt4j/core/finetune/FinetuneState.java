package org.bevt4j.core.finetune;

import com.google.gson.JsonObject;
import org.bevt4j.core.checkpoint.CheckpointException;

/**
 * The fine-tuner's position, stored as {@code trainer} in a checkpoint's {@code state.json}. RNG
 * state needs no entry: every random stream is derived from the seed and the step.
 *
 * @param step optimizer steps completed
 * @param totalSteps planned optimizer steps
 * @param seed the run seed
 * @param cursor the training data loader's {@code epoch:batch} cursor
 * @param numClasses the head's classes
 * @param bestTop1 the best validation top-1 so far (NaN if none)
 * @param bestStep the step of {@code bestTop1} (-1 if none)
 */
public record FinetuneState(long step, long totalSteps, long seed, String cursor, int numClasses, double bestTop1, long bestStep) {
  /** The value of {@code trainer.format}, telling fine-tuning checkpoints from pretraining ones. */
  public static final String FORMAT = "bevt4j-finetune";

  public boolean complete() {
    return step >= totalSteps;
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("format", FORMAT);
    o.addProperty("step", step);
    o.addProperty("total_steps", totalSteps);
    o.addProperty("seed", seed);
    o.addProperty("cursor", cursor);
    o.addProperty("num_classes", numClasses);
    if (Double.isFinite(bestTop1)) {
      o.addProperty("best_top1", bestTop1);
      o.addProperty("best_step", bestStep);
    }
    JsonObject rng = new JsonObject();
    rng.addProperty("scheme", "derived from seed and step");
    o.add("rng", rng);
    return o;
  }

  /** Parses a {@code trainer} object; a checkpoint of another trainer is refused. */
  public static FinetuneState fromJson(JsonObject o, String where) {
    String format = o.has("format") ? o.get("format").getAsString() : null;
    if (!FORMAT.equals(format)) {
      throw new CheckpointException(where + " is not a fine-tuning checkpoint (trainer format " + (format == null ? "absent, a pretraining checkpoint?" : format)
          + "); resume a fine-tuning run, or pass a pretraining checkpoint as bevt.finetune.init-from");
    }
    try {
      return new FinetuneState(
          o.get("step").getAsLong(),
          o.get("total_steps").getAsLong(),
          o.get("seed").getAsLong(),
          o.get("cursor").getAsString(),
          o.get("num_classes").getAsInt(),
          o.has("best_top1") ? o.get("best_top1").getAsDouble() : Double.NaN,
          o.has("best_step") ? o.get("best_step").getAsLong() : -1);
    } catch (RuntimeException e) {
      throw new CheckpointException("malformed fine-tuning state in " + where + ": " + e.getMessage(), e);
    }
  }
}
