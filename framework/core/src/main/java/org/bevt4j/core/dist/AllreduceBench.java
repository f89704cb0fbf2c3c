package org.bevt4j.core.dist;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Times in-place float32 all-reduce of a gradient-sized buffer (run under mpirun; in a world of one it
 * measures nothing useful and says so). Reports the median time, the algorithm bandwidth
 * (bytes / time) and the bus bandwidth (2(n-1)/n x algorithm bandwidth, the ring all-reduce traffic
 * per rank), in the same terms NCCL's tests use.
 */
public final class AllreduceBench {
  /** Result of one benchmark. */
  public record Result(int worldSize, long floats, int bucketFloats, double medianMs, double algGBps, double busGBps) {
    public String describe() {
      return String.format(
          "allreduce %d floats (%.1f MB) in buckets of %d floats over %d ranks: median %.2f ms, algbw %.2f GB/s, busbw %.2f GB/s",
          floats, floats * 4 / 1e6, bucketFloats, worldSize, medianMs, algGBps, busGBps);
    }
  }

  private AllreduceBench() {}

  /**
   * Under mpirun: {@code AllreduceBench [values, e.g. 28.3e6] [bucket MiB, default 25] [iterations, default 20]};
   * rank 0 prints the result.
   */
  public static void main(String[] args) {
    long floats = args.length > 0 ? (long) Double.parseDouble(args[0]) : 28_300_000L;
    double mb = args.length > 1 ? Double.parseDouble(args[1]) : DistributedSettings.DEFAULT_BUCKET_MB;
    int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    Communicator comm = MpiEnvironment.current().launched() ? MpiCommunicator.get() : new LocalCommunicator();
    try {
      Result r = run(comm, floats, (int) Math.min(Integer.MAX_VALUE / 4, (long) (mb * 1024 * 1024 / 4)), iterations);
      if (comm.isRoot()) {
        System.out.println(r.describe());
      }
    } finally {
      comm.close();
    }
  }

  /** Runs {@code iterations} timed all-reduces (after 3 warm-ups), in buckets of {@code bucketFloats}. */
  public static Result run(Communicator comm, long floats, int bucketFloats, int iterations) {
    int nb = (int) ((floats + bucketFloats - 1) / bucketFloats);
    ByteBuffer[] buckets = new ByteBuffer[nb];
    for (int i = 0; i < nb; i++) {
      long n = Math.min(bucketFloats, floats - (long) i * bucketFloats);
      buckets[i] = ByteBuffer.allocateDirect(Math.toIntExact(n * 4)).order(ByteOrder.nativeOrder());
      for (int k = 0; k < n; k++) {
        buckets[i].putFloat(k * 4, comm.rank() + 1f);
      }
    }
    double[] ms = new double[iterations];
    for (int it = -3; it < iterations; it++) {
      comm.barrier();
      long t0 = System.nanoTime();
      for (ByteBuffer b : buckets) {
        comm.allReduceSum(b, b.capacity() / 4);
      }
      long t1 = System.nanoTime();
      if (it >= 0) {
        ms[it] = (t1 - t0) / 1e6;
      }
    }
    Arrays.sort(ms);
    double median = ms[iterations / 2];
    double alg = floats * 4 / (median / 1e3) / 1e9;
    int w = comm.worldSize();
    double bus = w > 1 ? alg * 2.0 * (w - 1) / w : 0;
    return new Result(w, floats, bucketFloats, median, alg, bus);
  }
}
