package org.bevt4j.cli;

import org.bevt4j.api.StreamKind;
import org.bevt4j.core.testing.Fakes;
import org.pf4j.Extension;

/**
 * Host-class-path test extensions (wiring doubles from core's test jar) so that a configuration can
 * name an installed type for every component and {@code config validate} can succeed.
 */
final class CliTestExtensions {
  private CliTestExtensions() {}

  /** A config that selects only these types. */
  static final String CONFIG =
      """
      bevt.model.backbone.type = cli-backbone
      bevt.model.tokenizer.type = cli-tokenizer
      bevt.masking.image.type = cli-masker
      bevt.masking.video.type = cli-masker
      bevt.data.image.type = cli-dataset
      bevt.data.video.type = cli-dataset
      """;

  @Extension
  public static class Backbone extends Fakes.BackboneF {
    public Backbone() {
      super("cli-backbone", "cli-decoder");
    }
  }

  @Extension
  public static class ImageDecoder extends Fakes.DecoderF {
    public ImageDecoder() {
      super("cli-decoder", StreamKind.IMAGE);
    }
  }

  @Extension
  public static class Tokenizer extends Fakes.TokenizerF {
    public Tokenizer() {
      super("cli-tokenizer");
    }
  }

  @Extension
  public static class Masker extends Fakes.MaskerF {
    public Masker() {
      super("cli-masker");
    }
  }

  @Extension
  public static class Dataset extends Fakes.DatasetF {
    public Dataset() {
      super("cli-dataset", null);
    }
  }
}
