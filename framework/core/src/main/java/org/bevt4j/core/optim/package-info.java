/**
 * Optimisation for bevt4j training: a stateful {@link org.bevt4j.core.optim.AdamW} with
 * per-parameter weight decay and learning-rate scale (parameter groups), the warm-up + cosine
 * {@link org.bevt4j.core.optim.LrSchedule}, global-norm gradient clipping ({@link
 * org.bevt4j.core.optim.Gradients}) and the dynamic {@link org.bevt4j.core.optim.LossScaler} for
 * fp16. DJL's built-in optimizers cannot do parameter groups, global-norm clipping or save/restore
 * of their state, so bevt4j owns these (see djl-notes.md).
 */
package org.bevt4j.core.optim;
