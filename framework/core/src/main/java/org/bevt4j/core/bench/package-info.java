/**
 * Benchmark infrastructure: the dense-matmul rate of the running libtorch ({@link
 * org.bevt4j.core.bench.MatmulRate}) as the yardstick, step timing with warm-up and per-phase
 * breakdown ({@link org.bevt4j.core.bench.StepTimer}), analytic FLOP counts ({@link
 * org.bevt4j.core.bench.FlopCount}, {@link org.bevt4j.core.bench.VideoSwinFlops}, {@link
 * org.bevt4j.core.bench.DalleEncoderFlops}), records with JSON and table output ({@link
 * org.bevt4j.core.bench.BenchRecord}, {@link org.bevt4j.core.bench.BenchTable}) and ready-made
 * micro-benchmarks ({@link org.bevt4j.core.bench.MicroBenchmarks}), and the model step benchmark
 * of {@code bevt4j bench step} ({@link org.bevt4j.core.bench.StepBenchmark}: presets {@link
 * org.bevt4j.core.bench.StepPreset}, FLOPs {@link org.bevt4j.core.bench.ModelFlops} / {@link
 * org.bevt4j.core.bench.TimeSformerFlops}, JNI/JVM overhead from libtorch profiler traces {@link
 * org.bevt4j.core.bench.ProfileTrace}).
 *
 * <p>FLOP convention throughout: one multiply-add = 2 FLOPs (so a dense {@code n×n×n} matmul is
 * {@code 2n³}); papers that quote "GFLOPs" for video transformers (fvcore/mmcv counters) count
 * multiply-adds, i.e. half of ours ({@link org.bevt4j.core.bench.FlopCount#macs()}).
 */
package org.bevt4j.core.bench;
