package dev.presize.service;

import com.sun.net.httpserver.HttpServer;
import dev.presize.core.registry.FileSystemModelRegistry;
import dev.presize.spi.PresizeException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The prediction service: a JDK {@link HttpServer} over a bounded worker pool serving the API of docs/api.md from
 * a filesystem model registry. {@link #start} returns once the current models are loaded and the port is bound;
 * {@link #close} stops accepting, lets in-flight requests finish for a moment, and flushes the feedback log.
 *
 * <p><b>Overload.</b> The pool has a fixed number of threads and a bounded queue. A request that finds both full
 * is answered 429 with {@code Retry-After} by a small pool of its own, without reading its body, so an overload
 * never grows memory without bound and never takes the server down.
 */
public final class PredictionService implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(PredictionService.class.getName());

  private final HttpServer server;
  private final ThreadPoolExecutor workers;
  private final ThreadPoolExecutor refusals;
  private final Models models;
  private final FeedbackLog feedback;

  private PredictionService(HttpServer server, ThreadPoolExecutor workers, ThreadPoolExecutor refusals, Models models,
                            FeedbackLog feedback) {
    this.server = server;
    this.workers = workers;
    this.refusals = refusals;
    this.models = models;
    this.feedback = feedback;
  }

  /**
   * Loads the registry's current models and starts serving.
   *
   * @throws PresizeException naming what failed: an unreadable token file, the registry, the data directory, the
   *     port
   */
  public static PredictionService start(ServiceConfig config) {
    // Must be set before the JDK HttpServer implementation is first loaded: it reads the property once.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    Optional<byte[]> token = config.tokenFile().map(f -> {
      try {
        byte[] t = Files.readString(f, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
        if (t.length < 16) {
          throw new PresizeException("read token", f.toString(), "the token has " + t.length
              + " bytes; use at least 16 (e.g. `openssl rand -hex 32 > " + f + "`)");
        }
        return t;
      } catch (IOException e) {
        throw PresizeException.launder("read token", f.toString(), e);
      }
    });
    Metrics metrics = new Metrics();
    Models models = new Models(new FileSystemModelRegistry(config.registry()), config.pollInterval(), metrics);
    FeedbackLog feedback = null;
    ThreadPoolExecutor workers = null;
    ThreadPoolExecutor refusals = null;
    try {
      feedback = new FeedbackLog(config.dataDir());
      Api api = new Api(config, models, metrics, feedback, token);
      AtomicInteger n = new AtomicInteger();
      // A request refused by the workers is answered 429 (503 while shutting down) by a small pool of its own, so
      // that answering (and draining what the client still sends) never blocks the HttpServer dispatcher thread;
      // only if that pool is full too is the answer written on the dispatcher thread itself.
      AtomicInteger r429 = new AtomicInteger();
      refusals = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4096), r -> {
        Thread t = new Thread(r, "presize-http-429-" + r429.incrementAndGet());
        t.setDaemon(true);
        return t;
      }, (task, pool) -> task.run());
      ThreadPoolExecutor refusalPool = refusals;
      RejectedExecutionHandler overload = (task, pool) -> {
        boolean shutdown = pool.isShutdown();
        refusalPool.execute(() -> {
          api.overloaded.set(Boolean.TRUE);
          api.shuttingDown.set(shutdown);
          try {
            task.run();
          } finally {
            api.overloaded.set(Boolean.FALSE);
            api.shuttingDown.set(Boolean.FALSE);
          }
        });
      };
      workers = new ThreadPoolExecutor(config.threads(), config.threads(), 0, TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(config.queue()), r -> {
            Thread t = new Thread(r, "presize-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          }, overload);
      workers.prestartAllCoreThreads();
      HttpServer server = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 1024);
      server.createContext("/", api);
      server.setExecutor(workers);
      server.start();
      LOG.log(Level.INFO, "listening=" + server.getAddress() + " registry=" + config.registry() + " models="
          + models.snapshot().current().keySet() + " threads=" + config.threads() + " queue=" + config.queue());
      return new PredictionService(server, workers, refusals, models, feedback);
    } catch (IOException | RuntimeException e) {
      models.close();
      if (feedback != null) {
        feedback.close();
      }
      if (workers != null) {
        workers.shutdownNow();
      }
      if (refusals != null) {
        refusals.shutdownNow();
      }
      throw PresizeException.launder("start service", config.bind() + ":" + config.port(), e);
    }
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops the server (waiting up to one second for exchanges in progress), the poller and the feedback log. */
  @Override
  public void close() {
    server.stop(1);
    workers.shutdown();
    try {
      if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      workers.shutdownNow();
    }
    refusals.shutdownNow();
    models.close();
    feedback.close();
  }
}
