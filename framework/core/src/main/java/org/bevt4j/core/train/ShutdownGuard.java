package org.bevt4j.core.train;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graceful stop on SIGTERM / Ctrl-C: a JVM shutdown hook raises a flag that the training loop checks
 * after every step; the loop then writes a checkpoint and calls {@link #finished()}, and the hook
 * waits for that (up to a grace period) before letting the JVM exit. {@link #request()} raises the
 * same flag programmatically.
 *
 * <p>SIGUSR1 raises the flag too, without shutting the JVM down: the run stops after the current
 * step with a checkpoint and the process exits normally. That is the way to stop a job under
 * {@code mpirun}, which forwards SIGUSR1 to every rank but answers SIGTERM by killing the ranks a
 * second later ({@code odls_base_sigkill_timeout}).
 */
public final class ShutdownGuard implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShutdownGuard.class);

  private final AtomicBoolean stop = new AtomicBoolean();
  private final CountDownLatch done = new CountDownLatch(1);
  private final Thread hook;
  private final Object previousUsr1;

  /**
   * @param install whether to register the JVM shutdown hook (SIGTERM / Ctrl-C)
   * @param grace how long the hook waits for {@link #finished()}
   */
  public ShutdownGuard(boolean install, Duration grace) {
    if (install) {
      hook = new Thread(() -> {
        if (done.getCount() == 0) {
          return;
        }
        stop.set(true);
        LOG.warn("stop requested: finishing the current step and writing a checkpoint (waiting up to {} s)", grace.toSeconds());
        try {
          if (!done.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.error("training did not stop within {} s; exiting without a final checkpoint", grace.toSeconds());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "bevt4j-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      previousUsr1 = installUsr1();
    } else {
      hook = null;
      previousUsr1 = null;
    }
  }

  /** Installs the SIGUSR1 handler; returns the previous handler, or null when the JVM refuses. */
  private Object installUsr1() {
    try {
      return sun.misc.Signal.handle(new sun.misc.Signal("USR1"), sig -> {
        if (done.getCount() > 0 && !stop.getAndSet(true)) {
          LOG.warn("SIGUSR1: stop requested; finishing the current step and writing a checkpoint");
        }
      });
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      LOG.debug("cannot handle SIGUSR1 ({}); stop with SIGTERM", e.getMessage());
      return null;
    }
  }

  public boolean stopRequested() {
    return stop.get();
  }

  public void request() {
    stop.set(true);
  }

  /** The loop has stopped (checkpoint written or not): the hook may let the JVM exit. */
  public void finished() {
    done.countDown();
  }

  @Override
  public void close() {
    finished();
    if (previousUsr1 != null) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal("USR1"), (sun.misc.SignalHandler) previousUsr1);
      } catch (IllegalArgumentException e) {
        // leave ours installed; it only raises a flag nobody reads any more
      }
    }
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down; the hook is running or has run
      }
    }
  }
}
