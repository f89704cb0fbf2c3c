package org.bevt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's first command end to end on the real plugins (development mode from the source
 * tree), shortened: 4 tokenizer-training steps, 2 pretraining steps per variant and small probe sets. Checks the outputs a
 * person reads, not the accuracy (measured in a benchmark, not in CI).
 */
class QuickstartCommandTest {
  @TempDir Path tmp;

  @Test
  void quickstartRunsEveryStepAndWritesItsReport() throws Exception {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    Path run = tmp.resolve("qs");
    int code = cl.execute(
        "quickstart", "--run-dir", run.toString(),
        "--set", "bevt.quickstart.pretrain-steps=2",
        "--set", "bevt.quickstart.probe.epochs=3",
        "--set", "bevt.quickstart.probe.train-data.synthetic.size=22",
        "--set", "bevt.quickstart.probe.val-data.synthetic.size=11",
        "--set", "bevt.data.loader.workers=1",
        "--set", "bevt.tokenizer-training={steps = 4, batch-size = 4, eval-frames = 4, sample-every = 0, schedule.warmup-steps = 1}");
    assertThat(code).as(out + "\n" + err).isZero();
    assertThat(out.toString()).contains("[1/4] peco tokenizer (preset tiny)").contains("trained in")
        .contains("[2/4] joint pretraining").contains("[4/4] linear probes")
        .contains("random").contains("image-only").contains("joint").contains("chance 9.1%");
    assertThat(run.resolve("quickstart.conf")).exists();
    assertThat(run.resolve("report.md")).content().contains("| joint |");
    assertThat(run.resolve("quickstart.json")).content().contains("\"top1\"").contains("\"tokenizer\"");
    assertThat(run.resolve("report.md")).content().contains("Targets: tokens of the peco tokenizer");
    // the pretraining used the trained tokenizer
    assertThat(run.resolve("tokenizer/tokenizer.safetensors")).isRegularFile();
    assertThat(run.resolve("joint/config.resolved.conf")).content().contains(run.resolve("tokenizer/tokenizer.safetensors").toString());
    assertThat(run.resolve("joint/checkpoints/latest")).exists();
    assertThat(run.resolve("image-only/checkpoints/latest")).exists();
    for (String png : new String[] {"plots/probe.png", "plots/confusion-joint.png", "joint/plots/loss.png"}) {
      BufferedImage img = ImageIO.read(run.resolve(png).toFile());
      assertThat(img).as(png).isNotNull();
      assertThat(img.getWidth()).isGreaterThan(200);
    }
    // a second run reuses the finished pretraining (resume of completed runs) and reports again
    StringWriter out2 = new StringWriter();
    cl.setOut(new PrintWriter(out2, true));
    assertThat(cl.execute("quickstart", "--run-dir", run.toString(),
        "--set", "bevt.quickstart.pretrain-steps=2", "--set", "bevt.quickstart.probe.epochs=3",
        "--set", "bevt.quickstart.probe.train-data.synthetic.size=22",
        "--set", "bevt.quickstart.probe.val-data.synthetic.size=11",
        "--set", "bevt.tokenizer-training={steps = 4, batch-size = 4, eval-frames = 4, sample-every = 0, schedule.warmup-steps = 1}"))
        .isZero();
    assertThat(out2.toString()).contains("reused (same config hash)");
    assertThat(Files.readString(run.resolve("report.md"))).contains("2 steps");
  }
}
