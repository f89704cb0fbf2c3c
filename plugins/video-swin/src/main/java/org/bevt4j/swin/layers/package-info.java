/**
 * Building blocks of the Video Swin Transformer: patch embeddings (3-D and BEVT's 2-D), shifted
 * window blocks, stages and PatchMerging, and the per-stage window geometry (clipping, shifts,
 * padding, masks) for the video and image streams.
 */
package org.bevt4j.swin.layers;
