/**
 * Weight I/O: {@link org.bevt4j.io.SafeTensors} (memory-mapped, 64-bit offsets, F16/BF16 widening),
 * PyTorch checkpoints, the uniform {@link org.bevt4j.io.StateDict} view with prefix rules, and
 * {@link org.bevt4j.io.StateDictBinder}, which loads tensors into a module's parameters and reports
 * missing, unexpected and wrong-shape keys like PyTorch's {@code load_state_dict}.
 */
package org.bevt4j.io;
