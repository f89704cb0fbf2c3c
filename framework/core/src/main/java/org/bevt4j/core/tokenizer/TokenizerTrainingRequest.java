package org.bevt4j.core.tokenizer;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Objects;
import org.bevt4j.api.BuildContext;
import org.bevt4j.core.ProgressListener;

/**
 * One {@code train-tokenizer} invocation.
 *
 * @param config the resolved root configuration (core + plugin references + user layers)
 * @param type {@code --type}, or null for {@code bevt.tokenizer-training.type}
 * @param preset {@code --preset}, or null for {@code bevt.tokenizer-training.preset}
 * @param runDir {@code --run-dir}, or null for {@code bevt.tokenizer-training.dir} (default
 *     {@code <parent of bevt.run.dir>/tokenizer-<type>[-<preset>]})
 * @param context device, long-lived manager, path resolution; its backbone is used by the
 *     {@code backbone} perceptual network
 * @param components trainer, network and dataset factories
 * @param progress progress display ({@link ProgressListener#NONE} for none)
 */
public record TokenizerTrainingRequest(
    Config config, String type, String preset, Path runDir, BuildContext context, TokenizerTrainingComponents components,
    ProgressListener progress) {
  public TokenizerTrainingRequest {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(components, "components");
    progress = progress == null ? ProgressListener.NONE : progress;
  }
}
