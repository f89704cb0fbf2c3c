/**
 * Run checkpoints ({@code runs/<name>/checkpoints/step-<N>/{model.safetensors,
 * optimizer.safetensors, state.json}}): atomic writes (temporary directory + rename), SHA-256
 * checksums recorded in {@code state.json}, retention of the last K, the {@code latest} pointer,
 * and discovery of the newest intact checkpoint on resume.
 */
package org.bevt4j.core.checkpoint;
