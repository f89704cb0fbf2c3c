package org.bevt4j.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.bevt4j.api.BevtException;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.checkpoint.Checkpoint;
import org.bevt4j.core.checkpoint.CheckpointException;
import org.bevt4j.nn.Param;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validation before any work: precision/device, that every stream a stage trains has its decoder,
 * masker and dataset and that the backbone supports it, and that a checkpoint fits the configured
 * stages. Grid and vocabulary checks run on the first batch ({@link MaskedBatch}, {@link MaskedLoss}).
 */
final class StartupChecks {
  private static final Logger LOG = LoggerFactory.getLogger("org.bevt4j.train");

  private StartupChecks() {}

  static void check(PretrainComponents c, TrainSettings s, NDManager manager, Device device) {
    if (s.precision() == TrainSettings.Precision.FP16) {
      if (device.isGpu()) {
        LOG.info("precision fp16: float32 master weights, Linear/Conv/attention in float16, dynamic loss scaling from {}",
            s.fp16InitialScale());
      } else {
        LOG.warn("precision = fp16 on {}: mixed precision is meant for GPUs; on a CPU float16 matmuls are much slower than "
            + "float32 and save nothing (use precision = fp32 for CPU training)", device);
      }
    }
    if (!manager.getDevice().equals(device)) {
      throw new BevtException("the trainer's manager is on " + manager.getDevice() + " but bevt.train.device resolves to " + device);
    }
    for (Param p : c.backbone().namedParameters().values()) {
      if (p.isInitialized() && !p.array().getDevice().equals(device)) {
        throw new BevtException(
            "the backbone's parameters are on " + p.array().getDevice() + " but bevt.train.device resolves to " + device
                + "; build the components on the training device");
      }
      break;
    }
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < s.stages().size(); i++) {
      StageSettings st = s.stages().get(i);
      for (StreamKind k : st.streams()) {
        String where = "stage \"" + st.name() + "\" (bevt.train.stages[" + i + "]) trains the " + k.configName() + " stream but ";
        if (k == StreamKind.IMAGE && !c.backbone().supportsImages()) {
          problems.add(where + "backbone " + c.backbone().getClass().getSimpleName() + " does not support images");
        }
        if (c.decoder(k) == null) {
          problems.add(where + "no " + k.configName() + " decoder is configured (bevt.model.decoder." + k.configName() + ")");
        }
        if (c.masker(k) == null) {
          problems.add(where + "no " + k.configName() + " masker is configured (bevt.masking." + k.configName() + ")");
        }
        if (c.dataset(k) == null) {
          problems.add(where + "no " + k.configName() + " dataset is configured (bevt.data." + k.configName() + ")");
        } else if (c.dataset(k).stream() != k) {
          problems.add(where + "the " + k.configName() + " dataset produces " + c.dataset(k).stream().configName() + " samples");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new BevtException("the components do not fit the training stages:\n  " + String.join("\n  ", problems));
    }
    if (s.optimizer().layerDecay() != 1.0) {
      LOG.warn("bevt.train.optimizer.layer-decay = {} applies to fine-tuning only; pretraining ignores it", s.optimizer().layerDecay());
    }
  }

  static void checkResume(TrainerState st, TrainSettings s, Checkpoint ck) {
    int n = s.stages().size();
    if (st.stageIndex() < 0 || st.stageIndex() >= n) {
      throw new CheckpointException(
          "checkpoint " + ck.dir() + " is in stage " + st.stageIndex() + " (\"" + st.stageName() + "\"), but only " + n + " stage(s) are configured");
    }
    String configured = s.stages().get(st.stageIndex()).name();
    if (!configured.equals(st.stageName())) {
      throw new CheckpointException(
          "checkpoint " + ck.dir() + " is in stage \"" + st.stageName() + "\" but bevt.train.stages[" + st.stageIndex() + "] is \"" + configured
              + "\"; the stages changed since the checkpoint was written");
    }
    if (st.seed() != s.seed()) {
      LOG.warn("checkpoint {} was trained with seed {}, the config says {}; continuing with the configured seed (not an exact resume)",
          ck.dir(), st.seed(), s.seed());
    }
  }
}
