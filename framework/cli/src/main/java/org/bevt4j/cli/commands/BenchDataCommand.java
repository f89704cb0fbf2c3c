package org.bevt4j.cli.commands;

import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.Settings;
import org.bevt4j.api.StreamKind;
import org.bevt4j.cli.ExitCodes;
import org.bevt4j.cli.UsageException;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.core.data.DataBench;
import org.bevt4j.core.data.loader.LoaderSettings;
import org.bevt4j.core.eval.ProbeDatasets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bevt4j bench data}: data-pipeline throughput of the configured streams. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = {
      "Data-pipeline throughput: the real loader (decode, augmentation, tokenizer copy, batching) over the configured",
      "bevt.data blocks, video then image, each for --seconds after a short warm-up. JSON fields: clips_per_s,",
      "images_per_s, threads, clips, images, seconds, skipped, cpu_s."
    })
public final class BenchDataCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(names = "--threads", paramLabel = "N", description = "Loader threads (default: bevt.data.loader.workers; 0 = all cores).")
  Integer threads;

  @Option(names = "--seconds", paramLabel = "S", defaultValue = "10", description = "Measured seconds per stream (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--max-samples", paramLabel = "N", description = "Stop a stream after this many samples.")
  Long maxSamples;

  @Option(names = "--stream", paramLabel = "video|image|both", defaultValue = "both", description = "Streams measured (default: ${DEFAULT-VALUE}).")
  String stream;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON.")
  Path json;

  @Override
  public Integer call() {
    if (!(seconds > 0) || (threads != null && threads < 0) || (maxSamples != null && maxSamples < 1)) {
      throw new UsageException("--seconds must be > 0, --threads >= 0 and --max-samples >= 1");
    }
    if (!List.of("video", "image", "both").contains(stream)) {
      throw new UsageException("--stream " + stream + ": expected video, image or both");
    }
    try (BevtRuntime rt = Runtimes.open(spec, config, List.of());
        RuntimeBuildContext ctx = rt.newBuildContext()) {
      Config data = rt.config().getConfig("bevt.data");
      LoaderSettings ls = LoaderSettings.parse(data.getConfig("loader"));
      if (threads != null) {
        ls = ls.withWorkers(threads);
      }
      Duration budget = Duration.ofMillis(Math.round(seconds * 1000));
      long max = maxSamples == null ? Long.MAX_VALUE : maxSamples;
      long seed = rt.settings().seed();
      DataBench.StreamResult v = stream.equals("image") ? null : measure(rt, ctx, StreamKind.VIDEO, ls, budget, max, seed);
      DataBench.StreamResult i = stream.equals("video") ? null : measure(rt, ctx, StreamKind.IMAGE, ls, budget, max, seed);
      DataBench.Result r = new DataBench.Result(v == null ? 0 : v.perSecond(), i == null ? 0 : i.perSecond(), ls.threads(),
          v == null ? 0 : v.samples(), i == null ? 0 : i.samples(), (v == null ? 0 : v.seconds()) + (i == null ? 0 : i.seconds()),
          (v == null ? 0 : v.skipped()) + (i == null ? 0 : i.skipped()), (v == null ? 0 : v.cpuSeconds()) + (i == null ? 0 : i.cpuSeconds()));
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "%-7s %9s %9s %11s %14s %9s %8s%n", "stream", "samples", "seconds", "samples/s", "per thread/s", "cpu-s", "skipped");
      for (DataBench.StreamResult s : new DataBench.StreamResult[] {v, i}) {
        if (s != null) {
          out.printf(Locale.ROOT, "%-7s %9d %9.2f %11.2f %14.2f %9.2f %8d%n", s.stream().configName(), s.samples(), s.seconds(),
              s.perSecond(), s.perSecond() / ls.threads(), s.cpuSeconds(), s.skipped());
        }
      }
      out.printf(Locale.ROOT, "loader threads: %d%n", ls.threads());
      if (json != null) {
        BenchJson.write(json, r.toJson());
        out.println("wrote " + json);
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  private static DataBench.StreamResult measure(
      BevtRuntime rt, RuntimeBuildContext ctx, StreamKind stream, LoaderSettings ls, Duration budget, long max, long seed) {
    String where = "bevt.data." + stream.configName();
    Config block = rt.config().getConfig(where);
    int batch = Settings.of(block, where).intIn("batch-size", 1, 1 << 20);
    try (Dataset ds = ProbeDatasets.create(rt, ctx, block, where)) {
      if (ds.size() < 1) {
        throw new UsageException(where + ": the dataset is empty");
      }
      return DataBench.measure(ds, ls, batch, budget, max, seed);
    }
  }
}
