package org.bevt4j.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.nn.Param;
import org.junit.jupiter.api.Test;

class TokenStatisticsTest {
  @Test
  void handComputedEntropyPerplexityAndMutualInformation() {
    long[] ids = {0, 0, 1, 1};
    assertThat(TokenStatistics.entropy(ids)).isCloseTo(1.0, within(1e-12));
    assertThat(TokenStatistics.perplexity(ids)).isCloseTo(2.0, within(1e-12));
    assertThat(TokenStatistics.codebookUsage(ids, 8)).isCloseTo(0.25, within(1e-12));
    // identical partitions: I = H = 1 bit, NMI = 1
    assertThat(TokenStatistics.mutualInformation(ids, new long[] {5, 5, 7, 7})).isCloseTo(1.0, within(1e-12));
    assertThat(TokenStatistics.normalisedMutualInformation(ids, new long[] {5, 5, 7, 7})).isCloseTo(1.0, within(1e-12));
    // independent: I = 0
    assertThat(TokenStatistics.mutualInformation(ids, new long[] {0, 1, 0, 1})).isCloseTo(0.0, within(1e-12));
    assertThat(TokenStatistics.agreement(new long[] {1, 2, 3, 4}, new long[] {1, 0, 3, 0})).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void shiftAndFlipAgreementIndexing() {
    // one frame, 1x4 grid: a = [1 2 3 4]; content shifted left by one token -> b = [2 3 4 4]
    long[] a = {1, 2, 3, 4};
    long[] b = {2, 3, 4, 4};
    // compared positions j = 0, 1 (j + 1 < w - 1): a[1]==b[0], a[2]==b[1]
    assertThat(TokenizerComparison.shiftAgreement(a, b, 1, 1, 4, 1)).isCloseTo(1.0, within(1e-12));
    assertThat(TokenizerComparison.flipAgreement(a, new long[] {4, 3, 2, 1}, 1, 1, 4)).isCloseTo(1.0, within(1e-12));
  }

  /** A "tokenizer" quantising the mean intensity of 4x4 patches into 8 levels: shift-equivariant by construction. */
  static final class PatchMeanTokenizer implements Tokenizer {
    @Override
    public int vocabSize() {
      return 8;
    }

    @Override
    public int inputSize() {
      return 16;
    }

    @Override
    public TokenGrid grid(int height, int width) {
      return TokenGrid.image(height / 4, width / 4);
    }

    @Override
    public NDArray encode(NDArray pixels) {
      long n = pixels.getShape().get(0);
      NDArray m = pixels.mean(new int[] {1}).reshape(n, 4, 4, 4, 4).mean(new int[] {4}).mean(new int[] {2});
      return m.mul(7.999f).floor().toType(DataType.INT64, false);
    }

    @Override
    public Map<String, Param> namedParameters() {
      return Map.of();
    }
  }

  @Test
  void comparisonReportOnAShiftEquivariantTokenizer() {
    try (NDManager m = NDManager.newBaseManager()) {
      // piecewise-constant 4x4 blocks: a one-token shift moves tokens exactly
      NDArray blocks = m.randomUniform(0f, 1f, new Shape(3, 1, 4, 1, 4, 1)).repeat(3, 4).repeat(5, 4).reshape(3, 1, 16, 16);
      NDArray frames = blocks.repeat(1, 3);
      Map<String, Tokenizer> toks = new LinkedHashMap<>();
      toks.put("a", new PatchMeanTokenizer());
      toks.put("b", new PatchMeanTokenizer());
      TokenizerComparison.Report r = TokenizerComparison.compare(toks, frames, new int[] {0, 1, 2});
      assertThat(r.rows()).hasSize(2);
      assertThat(r.rows().get(0).shiftStability()).isCloseTo(1.0, within(1e-9));
      assertThat(r.rows().get(0).flipStability()).isCloseTo(1.0, within(1e-9));
      assertThat(r.pairwiseNmi()[0][1]).isCloseTo(1.0, within(1e-9));
      assertThat(r.markdown()).contains("| a | 8 | 4x4 |");
    }
  }
}
