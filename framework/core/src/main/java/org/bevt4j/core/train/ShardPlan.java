package org.bevt4j.core.train;

import java.util.Arrays;
import java.util.Locale;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.data.loader.EpochOrder;
import org.bevt4j.core.data.loader.LoaderSettings;

/**
 * Which samples one rank reads in a stage, as the trainer's data loader will ({@code bevt4j pretrain
 * --dry-run}): the same seed derivation, permutation and interleaved shards as {@link
 * LoaderBatchSource} / {@link org.bevt4j.core.data.loader.DataLoader}.
 *
 * @param stage the stage name
 * @param stream the stream
 * @param datasetSize samples in the stream's dataset
 * @param rank this rank
 * @param world number of ranks
 * @param batchSize samples per micro-batch on each rank
 * @param accumulate micro-batches per optimizer step
 * @param batchesPerEpoch micro-batches per epoch on each rank
 * @param epoch0 dataset indices this rank reads in epoch 0, in order (before batching; the last
 *     incomplete batch is dropped when {@code drop-last})
 */
public record ShardPlan(
    String stage,
    StreamKind stream,
    long datasetSize,
    int rank,
    int world,
    int batchSize,
    int accumulate,
    long batchesPerEpoch,
    long[] epoch0) {

  /** The plan of stage {@code stageIndex}'s {@code stream} on {@code rank} of {@code world}. */
  public static ShardPlan of(TrainSettings ts, LoaderSettings loader, int stageIndex, StreamKind stream, long datasetSize, int rank, int world) {
    long seed = Rngs.derive(ts.seed(), Rngs.DATA, stageIndex, stream.ordinal());
    EpochOrder order = new EpochOrder(datasetSize, seed, loader.shuffle(), rank, world);
    int b = ts.batchSize(stream);
    long per = order.perRank();
    long batches = loader.dropLast() ? per / b : (per + b - 1) / b;
    return new ShardPlan(ts.stages().get(stageIndex).name(), stream, datasetSize, rank, world, b, ts.accumulate(), batches, order.slice(0));
  }

  /** Samples per optimizer step over all ranks. */
  public long globalBatch() {
    return (long) batchSize * accumulate * world;
  }

  /** One line: sizes, batches and the first {@code maxIndices} indices of epoch 0. */
  public String describe(int maxIndices) {
    int shown = Math.min(maxIndices, epoch0.length);
    String idx = Arrays.toString(Arrays.copyOf(epoch0, shown));
    if (shown < epoch0.length) {
      idx = idx.substring(0, idx.length() - 1) + ", ... (" + (epoch0.length - shown) + " more)]";
    }
    return String.format(Locale.ROOT,
        "stage %s %s: rank %d/%d reads %d of %d samples per epoch, %d batches of %d (global batch %d = %d x %d accumulate x %d ranks); epoch 0 indices %s",
        stage, stream.configName(), rank, world, epoch0.length, datasetSize, batchesPerEpoch, batchSize, globalBatch(), batchSize, accumulate,
        world, idx);
  }
}
