/** Sampling and augmentation on packed RGB frames and float planes: clip sampling, rescale + crop + flip folded into one separable resampling pass, colour jitter, the Lanczos tokenizer copy and normalisation. */
package org.bevt4j.core.data.transform;
