/**
 * The {@code video-swin} plugin: the Video Swin Transformer ({@link
 * org.bevt4j.swin.SwinTransformer3D}) with BEVT's image stream and decoders, its configuration
 * ({@link org.bevt4j.swin.SwinConfig}, {@link org.bevt4j.swin.SwinPresets}, {@link
 * org.bevt4j.swin.SwinSettings}) and its factories ({@code video-swin}, {@code bevt-swin-image},
 * {@code bevt-swin-video}).
 */
package org.bevt4j.swin;
