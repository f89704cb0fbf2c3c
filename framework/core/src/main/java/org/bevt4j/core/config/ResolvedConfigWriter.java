package org.bevt4j.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import org.bevt4j.core.BevtVersion;

/** Renders the resolved {@code bevt} tree, optionally with a comment above each value naming its origin. */
public final class ResolvedConfigWriter {
  /** The file name in the run directory. */
  public static final String FILE_NAME = "config.resolved.conf";

  private ResolvedConfigWriter() {}

  /** HOCON text of the {@code bevt} tree. */
  public static String render(Config config, boolean origins) {
    Config only = config.hasPath(ConfigValidator.ROOT) ? config.withOnlyPath(ConfigValidator.ROOT) : config;
    ConfigRenderOptions opts =
        ConfigRenderOptions.defaults().setOriginComments(origins).setComments(false).setJson(false).setFormatted(true);
    return only.root().render(opts);
  }

  /** Writes {@code config.resolved.conf} (with origin comments) into {@code runDir}, atomically. */
  public static Path save(Config config, Path runDir) throws IOException {
    Files.createDirectories(runDir);
    Path target = runDir.resolve(FILE_NAME);
    Path tmp = Files.createTempFile(runDir, FILE_NAME, ".tmp");
    String header =
        "# bevt4j "
            + BevtVersion.build()
            + " resolved configuration, "
            + OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS)
            + "\n# Each value is preceded by where it came from. Reuse with: bevt4j pretrain --config "
            + FILE_NAME
            + "\n";
    Files.writeString(tmp, header + render(config, true), StandardCharsets.UTF_8);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }
}
