package org.bevt4j.cli;

import org.bevt4j.core.testing.TinyVideoViTFactory;
import org.pf4j.Extension;

/** A trainable host-side backbone ({@code tiny-vit}, from core's test jar) for the finetune command tests. */
final class FinetuneTestExtensions {
  private FinetuneTestExtensions() {}

  @Extension
  public static class TinyVit extends TinyVideoViTFactory {}
}
