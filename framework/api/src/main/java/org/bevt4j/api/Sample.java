package org.bevt4j.api;

/**
 * One loaded training or evaluation sample.
 *
 * @param input the backbone input, normalised: {@code (3, T, H, W)} for clips, {@code (3, H, W)} for
 *     images
 * @param tokenizerInput the same crop for the tokenizer in [0, 1], resized to its input size:
 *     {@code (T, 3, h, w)} for clips, {@code (1, 3, h, w)} for images; null when not needed
 * @param label class index, or -1 when unlabelled
 * @param source where it came from (path, list line or synthetic id), for error reports
 */
@Stable
public record Sample(HostTensor input, HostTensor tokenizerInput, int label, String source) {}
