/**
 * The generic tokenizer-training loop ({@code bevt4j train-tokenizer --type peco|dalle}; entry
 * {@link org.bevt4j.core.tokenizer.TokenizerTraining#run}): frames of the configured dataset
 * ({@link org.bevt4j.core.tokenizer.DatasetFrames}), core's AdamW with warm-up + cosine, one
 * {@code NDScope} per step, logging with throughput and ETA, checkpoints and resume, PNG plots
 * ({@link org.bevt4j.core.tokenizer.TokenizerPlots}) and reconstruction grids
 * ({@link org.bevt4j.core.tokenizer.ReconstructionGrid}), and the trained tokenizer with a config
 * fragment that selects it. The model and losses come from a plugin's
 * {@link org.bevt4j.api.tokenizer.TokenizerTrainerFactory}; a run is cached by the hash of its
 * configuration ({@link org.bevt4j.core.tokenizer.TrainingPlan}).
 */
package org.bevt4j.core.tokenizer;
