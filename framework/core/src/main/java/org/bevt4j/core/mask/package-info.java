/**
 * The core maskers: {@code block} (BEiT block-wise masking, used for images) and {@code tube} (one
 * block mask repeated over a contiguous, wrapping run of temporal slots, used for clips), exactly as
 * BEVT's {@code mask_generator.py}.
 */
package org.bevt4j.core.mask;
