package org.bevt4j.core.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.bevt4j.api.HostTensor;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.api.tokenizer.TrainableTokenizer;
import org.bevt4j.core.eval.TokenizerComparison;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.TensorData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The files of a finished run (weights, config fragment, summary, images, comparison) and the cache check. */
final class RunOutputs {
  private static final Logger LOG = LoggerFactory.getLogger("org.bevt4j.tokenizer-training");
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

  private RunOutputs() {}

  /** The earlier result in the plan's run directory, when caching is on and its config hash matches. */
  static Optional<TokenizerTrainingResult> cached(TrainingPlan plan) {
    Path dir = plan.runDir();
    Path summary = dir.resolve(TokenizerTraining.SUMMARY);
    if (!plan.settings().cache() || !Files.isRegularFile(summary) || !Files.isRegularFile(dir.resolve(TokenizerTraining.WEIGHTS))) {
      return Optional.empty();
    }
    try {
      Map<String, Object> s = GSON.fromJson(Files.readString(summary), new TypeToken<Map<String, Object>>() {}.getType());
      if (s == null || !plan.hash().equals(s.get("config-hash"))) {
        LOG.info("{} holds a tokenizer trained with another configuration; retraining", dir);
        return Optional.empty();
      }
      return Optional.of(new TokenizerTrainingResult(dir, dir.resolve(TokenizerTraining.WEIGHTS), dir.resolve(TokenizerTraining.CONF),
          true, plan.hash(), 0, 0, s));
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot read {} ({}); retraining", summary, e.getMessage());
      return Optional.empty();
    }
  }

  /** Final evaluation, weights, config fragment, images, plots and summary. */
  static TokenizerTrainingResult finish(TrainingPlan plan, TokenizerTrainingRequest req, TrainableTokenizer tok, TrainingBuildContext ctx,
      Map<String, TensorData> initial, HostTensor eval, TrainingLoop loop, double seconds) {
    TokenizerTrainingSettings s = plan.settings();
    Path dir = plan.runDir();
    int size = (int) eval.shape()[2];
    TokenizerQuality q = TokenizerQuality.measure(tok, eval, ctx.manager(), s.batchSize());
    int n = (int) Math.min(8, eval.shape()[0]);
    ReconstructionGrid.write(ReconstructionGrid.render(eval.data(), q.reconstructions(), n, size), dir.resolve("reconstructions.png"));
    Path weights = dir.resolve(TokenizerTraining.WEIGHTS);
    Path conf = dir.resolve(TokenizerTraining.CONF);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("config-hash", plan.hash());
    summary.put("type", s.type());
    summary.put("preset", s.preset());
    summary.put("steps", s.steps());
    summary.put("batch-size", s.batchSize());
    summary.put("input-size", tok.inputSize());
    summary.put("vocab-size", tok.vocabSize());
    summary.put("train-seconds", seconds);
    summary.put("eval-frames", eval.shape()[0]);
    summary.put("psnr", q.psnr());
    summary.put("mean-colour-psnr", TokenizerQuality.meanColourPsnr(eval));
    summary.put("usage", q.usage());
    summary.put("perplexity", q.perplexity());
    try {
      Path tmp = dir.resolve(TokenizerTraining.WEIGHTS + ".tmp");
      tok.save(tmp);
      Files.move(tmp, weights, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      writeAtomically(conf, tokenizerConf(tok, weights, plan.hash()));
      if (s.compareUntrained()) {
        summary.put("untrained", compare(req, plan, tok, ctx, initial, eval, dir, q.psnr()));
      }
      TokenizerPlots.render(dir, loop.records, loop.lastCounts, tok.vocabSize());
      summary.put("created", Instant.now().toString());
      writeAtomically(dir.resolve(TokenizerTraining.SUMMARY), GSON.toJson(summary));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the trained tokenizer into " + dir, e);
    }
    LOG.info("trained {} tokenizer: {} ({} steps in {}); eval PSNR {} dB, codebook usage {}%, perplexity {} of {}",
        s.type(), weights, s.steps(), TrainingWindow.duration(seconds), String.format("%.2f", q.psnr()),
        String.format("%.1f", 100 * q.usage()), String.format("%.1f", q.perplexity()), tok.vocabSize());
    return new TokenizerTrainingResult(dir, weights, conf, false, plan.hash(), s.steps(), seconds, summary);
  }

  /** {@code bevt.model.tokenizer { type = T, T { <settings>, weights = "<file>" } }} with a comment. */
  static String tokenizerConf(TrainableTokenizer tok, Path weights, String hash) {
    Config settings = tok.tokenizerSettings().withValue("weights", ConfigValueFactory.fromAnyRef(weights.toAbsolutePath().toString()));
    Config c = ConfigFactory.empty()
        .withValue("bevt.model.tokenizer." + tok.type(), settings.root())
        .withValue("bevt.model.tokenizer.type", ConfigValueFactory.fromAnyRef(tok.type()));
    return "# Written by bevt4j train-tokenizer (config hash " + hash + ").\n"
        + "# Use the trained tokenizer with: include file(\"" + weights.resolveSibling(TokenizerTraining.CONF).toAbsolutePath() + "\")\n"
        + c.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
  }

  /** Evaluates the untrained initialisation and writes {@code comparison.md}; returns its summary. */
  private static Map<String, Object> compare(TokenizerTrainingRequest req, TrainingPlan plan, TrainableTokenizer tok,
      TrainingBuildContext ctx, Map<String, TensorData> initial, HostTensor eval, Path dir, double trainedPsnr) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    try (TrainableTokenizer untrained = req.components().trainers().get(tok.type()).create(plan.typeBlock(), ctx)) {
      StateDictBinder.bindStrict(untrained, new StateDict(initial, "initial weights"));
      TokenizerQuality u = TokenizerQuality.measure(untrained, eval, ctx.manager(), plan.settings().batchSize());
      out.put("psnr", u.psnr());
      out.put("usage", u.usage());
      out.put("perplexity", u.perplexity());
      Map<String, Tokenizer> both = new LinkedHashMap<>();
      both.put("trained", new TrainableTokenizerView(tok));
      both.put("untrained", new TrainableTokenizerView(untrained));
      TokenizerComparison.Report r;
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray frames = ctx.manager().create(eval.data(), new Shape(eval.shape()));
        r = TokenizerComparison.compare(both, frames, null);
      }
      for (TokenizerComparison.Row row : r.rows()) {
        if (row.name().equals("untrained")) {
          out.put("shift-stability", row.shiftStability());
          out.put("flip-stability", row.flipStability());
          out.put("brightness-stability", row.brightnessStability());
        }
      }
      String md = "# Trained vs untrained " + tok.type() + " tokenizer\n\n" + eval.shape()[0] + " held-out frames of "
          + eval.shape()[2] + "x" + eval.shape()[3] + "; the untrained tokenizer is the same model at its initialisation.\n\n"
          + String.format(java.util.Locale.ROOT, "Reconstruction PSNR: trained %.2f dB, untrained %.2f dB (each frame replaced by its "
              + "mean colour: %.2f dB).%n%n", trainedPsnr, u.psnr(), TokenizerQuality.meanColourPsnr(eval))
          + r.markdown();
      writeAtomically(dir.resolve("comparison.md"), md);
      LOG.info("trained vs untrained tokens:\n{}", r.markdown());
    }
    return out;
  }

  static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
