/**
 * Weight I/O: {@link org.bevt4j.io.SafeTensors} (memory-mapped, 64-bit offsets, F16/BF16 widening),
 * PyTorch checkpoints, the uniform {@link org.bevt4j.io.StateDict} view with prefix rules, and
 * {@link org.bevt4j.io.StateDictBinder}, which loads tensors into a module's parameters and reports
 * missing, unexpected and wrong-shape keys like PyTorch's {@code load_state_dict}.
 *
 * <p>PyTorch checkpoints ({@code .pth .pt .pyth .pkl .ckpt .bin}, zip and legacy formats) are read
 * by {@link org.bevt4j.io.PyTorchCheckpoints} without Python and without running anything from the
 * file: a restricted unpickler built on {@code net.razorvine:pickle} allows only data-building
 * globals and records classes (such as pickled {@code nn.Module}s) as inert
 * {@link org.bevt4j.io.PyObject}s; any other global is refused by name
 * ({@link org.bevt4j.io.DisallowedGlobalException}). {@link org.bevt4j.io.TorchCheckpoint} exposes the
 * object tree, {@link org.bevt4j.io.StateDictLocator} finds the model tensors in it, and
 * {@link org.bevt4j.io.CheckpointConverter} writes them to safetensors for the {@code convert} command.
 */
package org.bevt4j.io;
