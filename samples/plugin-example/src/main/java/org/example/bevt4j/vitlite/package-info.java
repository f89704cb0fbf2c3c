/**
 * vit-lite, an example third-party bevt4j plugin: a small Vision Transformer that serves both BEVT
 * streams with one set of weights.
 *
 * <ul>
 *   <li>{@link org.example.bevt4j.vitlite.VitLiteBackbone}: tubelet patch embedding (Conv3d with
 *       kernel = stride = (tubelet, p, p)); images are embedded with the same kernel summed over
 *       time, i.e. as a clip of identical frames; learned mask token, space and time position
 *       embeddings, pre-norm transformer blocks with joint space-time attention, final LayerNorm.
 *   <li>{@link org.example.bevt4j.vitlite.TokenDecoder}: per-target-token features on the
 *       tokenizer's grid (a clip's tubelet tokens are expanded to one token per frame).
 *   <li>Thin {@code @Extension} factories: {@code vit-lite} (backbone), {@code vit-lite-video},
 *       {@code vit-lite-image} (decoders); settings in {@link
 *       org.example.bevt4j.vitlite.VitLiteSettings}, defaults in the plugin's {@code reference.conf}
 *       under {@code bevt.model.backbone.vit-lite}.
 * </ul>
 */
package org.example.bevt4j.vitlite;
