package example.workload;

/**
 * A stand-in for a user's function with two distinct phases, each a busy loop in its own method. Kept outside
 * {@code dev.presize} on purpose: the phase source skips Presize's own frames.
 */
public final class TwoPhaseWork implements Runnable {

  private volatile int phase = 1;
  private volatile boolean stop;
  private volatile long sink;

  /** Switches from {@link #phaseAlpha} to {@link #phaseBeta}. */
  public void switchToBeta() {
    phase = 2;
  }

  public void stop() {
    stop = true;
  }

  @Override
  public void run() {
    while (!stop) {
      if (phase == 1) {
        phaseAlpha();
      } else {
        phaseBeta();
      }
    }
  }

  private void phaseAlpha() {
    long x = sink;
    for (int i = 0; i < 200_000; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
    }
    sink = x;
  }

  private void phaseBeta() {
    double y = sink;
    for (int i = 0; i < 100_000; i++) {
      y = Math.sqrt(y + i) * 1.0000001;
    }
    sink = (long) y;
  }
}
