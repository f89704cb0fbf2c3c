package org.bevt4j.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.bevt4j.api.BackboneFactory;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.BevtPluginException;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.testing.Fakes;
import org.junit.jupiter.api.Test;

class RegistryTest {
  private static ComponentRegistry<BackboneFactory> backbones() {
    return ComponentRegistry.of(
        "backbone",
        List.of(
            new ExtensionRegistry.Entry<>("video-swin", new Fakes.BackboneF("video-swin", "d"), "video-swin"),
            new ExtensionRegistry.Entry<>("timesformer", new Fakes.BackboneF("timesformer", "d"), "timesformer")));
  }

  @Test
  void unknownTypeListsKnownNamesAndSuggests() {
    assertThatThrownBy(() -> backbones().get("video-swn", "bevt.model.backbone.type", "run.conf: 4"))
        .isInstanceOf(BevtConfigException.class)
        .hasMessage("backbone type \"video-swn\" (run.conf: 4) is unknown; known: [timesformer, video-swin]; did you mean \"video-swin\"?")
        .satisfies(e -> assertThat(((BevtConfigException) e).path()).isEqualTo("bevt.model.backbone.type"));
    assertThatThrownBy(() -> backbones().get("resnet"))
        .hasMessage("backbone type \"resnet\" is unknown; known: [timesformer, video-swin]");
  }

  @Test
  void emptyRegistrySaysNothingIsInstalled() {
    assertThatThrownBy(() -> ComponentRegistry.<BackboneFactory>of("backbone", List.of()).get("video-swin"))
        .hasMessageContaining("known: []")
        .hasMessageContaining("no installed plugin provides a backbone");
  }

  @Test
  void lookupsRecordTheOwner() {
    ComponentRegistry<BackboneFactory> r = backbones();
    assertThat(r.names()).containsExactly("timesformer", "video-swin");
    assertThat(r.whichPlugin("timesformer")).isEqualTo("timesformer");
    assertThat(r.whichPlugin("nope")).isNull();
    assertThat(r.get("video-swin").name()).isEqualTo("video-swin");
    assertThat(r.find("nope")).isEmpty();
  }

  @Test
  void duplicateNamesNameBothOwners() {
    assertThatThrownBy(
            () ->
                ComponentRegistry.of(
                    "backbone",
                    List.of(
                        new ExtensionRegistry.Entry<BackboneFactory>("x", new Fakes.BackboneF("x", "d"), "plugin-a"),
                        new ExtensionRegistry.Entry<BackboneFactory>("x", new Fakes.BackboneF("x", "d"), ExtensionRegistry.HOST))))
        .isInstanceOf(BevtPluginException.class)
        .hasMessageContaining("backbone \"x\" is provided twice")
        .hasMessageContaining("plugin \"plugin-a\" (" + Fakes.BackboneF.class.getName() + ")")
        .hasMessageContaining("the host (core)");
  }

  @Test
  void decodersAreRegisteredPerStream() {
    Registries r =
        Registries.builder()
            .decoder(new Fakes.DecoderF("fpn", StreamKind.IMAGE), "p")
            .decoder(new Fakes.DecoderF("fpn", StreamKind.VIDEO), "p")
            .decoder(new Fakes.DecoderF("video-only", StreamKind.VIDEO), "q")
            .build();
    assertThat(r.decoders(StreamKind.IMAGE).names()).containsExactly("fpn");
    assertThat(r.decoders(StreamKind.VIDEO).names()).containsExactly("fpn", "video-only");
    assertThatThrownBy(() -> r.decoders(StreamKind.IMAGE).get("video-only"))
        .hasMessageStartingWith("image decoder type \"video-only\" is unknown; known: [fpn]");
    assertThat(r.byOwner().get("p").get("decoder")).containsExactly("fpn (image)", "fpn (video)");
  }
}
