package org.bevt4j.peco.train;

/**
 * How the codebook is trained.
 *
 * @param beta commitment weight β of {@code β ||z − sg(e)||²}
 * @param ema true: codebook entries are exponential moving averages of their assigned encoder
 *     outputs ({@link EmaCodebook}); false: the codebook is a parameter trained by the optimizer
 *     through the codebook loss {@code ||sg(z) − e||²}
 * @param emaDecay γ of the moving averages
 * @param emaEps ε of the Laplace smoothing
 * @param restartAfter a code not assigned for this many consecutive steps is re-initialised from a
 *     random encoder output of the current batch (0 = no restarts)
 * @param initFromData after the first step, every code is set to a random encoder output of that
 *     batch (data-dependent initialisation; the uniform ±1/K initialisation is far from where the
 *     encoder's outputs lie)
 */
public record CodebookSettings(double beta, boolean ema, double emaDecay, double emaEps, int restartAfter, boolean initFromData) {
  public CodebookSettings {
    if (!(beta >= 0) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException("codebook.beta = " + beta + " must be finite and >= 0");
    }
    if (!(emaDecay >= 0 && emaDecay < 1)) {
      throw new IllegalArgumentException("codebook.ema-decay = " + emaDecay + " must be in [0, 1)");
    }
    if (!(emaEps > 0)) {
      throw new IllegalArgumentException("codebook.ema-eps = " + emaEps + " must be > 0");
    }
    if (restartAfter < 0) {
      throw new IllegalArgumentException("codebook.restart-after = " + restartAfter + " must be >= 0");
    }
  }
}
