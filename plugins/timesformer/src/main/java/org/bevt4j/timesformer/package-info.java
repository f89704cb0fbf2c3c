/**
 * The {@code timesformer} plugin: TimeSformer ({@code VisionTransformer} with divided space-time,
 * space-only or joint attention, facebookresearch/TimeSformer) as a BEVT backbone with an image
 * stream on the same weights, its decoders ({@code timesformer-image}, {@code timesformer-video}),
 * weight loading (TimeSformer {@code .pyth}, ViT, BEiT) and inflation from image weights.
 *
 * <p>Entry points: {@link org.bevt4j.timesformer.VisionTransformer} (the model), {@link
 * org.bevt4j.timesformer.UpstreamConfig} (build from upstream constructor JSON), {@link
 * org.bevt4j.timesformer.TimeSformerSettings} (the {@code bevt.model.backbone.timesformer} config),
 * {@link org.bevt4j.timesformer.TimeSformerWeights} (loading) and the three {@code @Extension}
 * factories.
 */
package org.bevt4j.timesformer;
