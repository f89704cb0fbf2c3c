package org.bevt4j.core.quickstart;

/**
 * One backbone's linear-probe result.
 *
 * @param variant random, image-only or joint
 * @param top1 validation top-1
 * @param top5 validation top-5
 * @param meanClassAccuracy mean per-class accuracy
 * @param trainLoss final probe training loss
 * @param pretrainSteps optimizer steps of self-supervised pretraining (0 for random)
 */
public record ProbeOutcome(String variant, double top1, double top5, double meanClassAccuracy, double trainLoss, long pretrainSteps) {}
