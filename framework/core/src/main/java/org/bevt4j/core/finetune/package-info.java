/**
 * Fine-tuning for action classification ({@code bevt4j finetune}): {@link
 * org.bevt4j.core.finetune.FinetuneJob} builds the configured backbone (optionally initialised from
 * a pretraining checkpoint, {@link org.bevt4j.core.finetune.BackboneInit}) and the train /
 * validation datasets of {@code bevt.finetune}, and runs the {@link
 * org.bevt4j.core.finetune.Finetuner}: an I3D-style head, label-smoothed cross-entropy, AdamW with
 * layer-wise LR decay from parameter names ({@link org.bevt4j.core.finetune.LayerIds}), warm-up +
 * cosine, clipping, accumulation, multi-clip x multi-crop validation ({@link
 * org.bevt4j.core.finetune.Evaluator}), metrics, plots, {@code finetune.json} and exact resume.
 */
package org.bevt4j.core.finetune;
