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
 */
public final class ShutdownGuard implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShutdownGuard.class);

  private final AtomicBoolean stop = new AtomicBoolean();
  private final CountDownLatch done = new CountDownLatch(1);
  private final Thread hook;

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
    } else {
      hook = null;
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
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down; the hook is running or has run
      }
    }
  }
}
