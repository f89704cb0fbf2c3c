package org.bevt4j.cli.commands;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bevt4j.api.Backbone;
import org.bevt4j.cli.ExitCodes;
import org.bevt4j.cli.UsageException;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.core.dist.AllreduceBench;
import org.bevt4j.core.dist.MpiCommunicator;
import org.bevt4j.nn.Param;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bevt4j bench allreduce}: MPI all-reduce time and bandwidth for a gradient-sized buffer. */
@Command(
    name = "allreduce",
    mixinStandardHelpOptions = true,
    description = {
      "All-reduce (sum, float32, in place) time and bandwidth between the processes of an MPI job, in buckets as the",
      "data-parallel trainer sends gradients. Run it under MPI, e.g.:",
      "  mpirun -np 2 bin/bevt4j bench allreduce --model-config -c run.conf",
      "JSON fields: world_size, floats, bucket_floats, iterations, median_ms, algbw_gbps, busbw_gbps."
    })
public final class BenchAllreduceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(names = "--floats", paramLabel = "N", description = "Buffer size in float32 values (default: 25,000,000).")
  Long floats;

  @Option(names = "--model-config",
      description = "Use the configured model's gradient size (backbone, decoders and vocabulary head) as the buffer size.")
  boolean modelConfig;

  @Option(names = "--iterations", paramLabel = "K", defaultValue = "20", description = "Timed all-reduces (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--bucket-mb", paramLabel = "MB", defaultValue = "25", description = "Bucket size in MiB, as bevt.train.distributed.bucket-mb (default: ${DEFAULT-VALUE}).")
  double bucketMb;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON (rank 0).")
  Path json;

  @Override
  public Integer call() {
    if (floats != null && modelConfig) {
      throw new UsageException("give --floats or --model-config, not both");
    }
    if ((floats != null && floats < 1) || iterations < 1 || !(bucketMb > 0)) {
      throw new UsageException("--floats and --iterations must be >= 1 and --bucket-mb > 0");
    }
    if (!MpiCommunicator.launchedByMpi()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("error: bench allreduce measures MPI all-reduce between processes, but this process was not started by an MPI");
      err.println("launcher. Run it under mpirun (Open MPI), one process per device or node, e.g.:");
      err.println("  mpirun -np 2 bin/bevt4j bench allreduce --floats 25000000");
      err.flush();
      return ExitCodes.USAGE;
    }
    long n = floats != null ? floats : modelConfig ? modelFloats() : 25_000_000L;
    int bucket = (int) Math.max(1, Math.min(Integer.MAX_VALUE / 4, Math.round(bucketMb * 1024 * 1024 / 4)));
    MpiCommunicator comm = MpiCommunicator.get();
    try {
      AllreduceBench.Result r = AllreduceBench.run(comm, n, bucket, iterations);
      if (comm.isRoot()) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(r.describe());
        if (json != null) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("world_size", r.worldSize());
          m.put("floats", r.floats());
          m.put("bucket_floats", r.bucketFloats());
          m.put("iterations", iterations);
          m.put("median_ms", r.medianMs());
          m.put("algbw_gbps", r.algGBps());
          m.put("busbw_gbps", r.busGBps());
          BenchJson.write(json, m);
          out.println("wrote " + json);
        }
        out.flush();
      }
      return ExitCodes.OK;
    } finally {
      comm.close();
    }
  }

  /**
   * The float32 values the trainer all-reduces per step for the configured model: the trainable
   * parameters of the backbone and both decoders (unique by identity) plus the shared vocabulary
   * head ({@code (width + 1) x vocab}).
   */
  private long modelFloats() {
    try (BevtRuntime rt = Runtimes.openSeeded(spec, config, List.of());
        RuntimeBuildContext ctx = rt.newBuildContext()) {
      int vocab = rt.buildTokenizer(ctx).vocabSize();
      Backbone b = rt.buildBackbone(ctx);
      java.util.Set<Param> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      seen.addAll(b.namedParameters().values());
      long width = 0;
      for (org.bevt4j.api.StreamKind s : org.bevt4j.api.StreamKind.values()) {
        org.bevt4j.api.Decoder d = rt.buildDecoder(s, ctx);
        seen.addAll(d.namedParameters().values());
        width = d.featureDim();
      }
      long total = (width + 1) * vocab;
      for (Param p : seen) {
        if (p.isTrainable() && !p.isBuffer()) {
          total += p.array().size();
        }
      }
      return total;
    }
  }

}
