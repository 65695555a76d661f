package dev.presize.cli;

import dev.presize.service.PredictionService;
import dev.presize.service.ServiceConfig;
import dev.presize.spi.config.ConfigProperties;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code presize serve}: runs the prediction service over a model registry until INT or TERM (docs/api.md). */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve forecasts over HTTP from the registry's current models (see docs/api.md).")
final class ServeCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--registry", paramLabel = "DIR",
      description = "The model registry directory (default: config " + ServiceConfig.REGISTRY + ", else ./registry).")
  Path registry;

  @Option(names = "--port", paramLabel = "PORT",
      description = "The port (default: config " + ServiceConfig.PORT + ", else 8080; 0 = any free port).")
  Integer port;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "A file holding the bearer token for promote/rollback (default: config "
          + ServiceConfig.TOKEN_FILE + "; none = those endpoints are disabled).")
  Path tokenFile;

  @Override
  public Integer call() throws InterruptedException {
    CommandLine cl = spec.commandLine();
    if (port != null && (port < 0 || port > 65535)) {
      throw new UsageError(cl, "--port " + port + ": must be 0 to 65535 (0 = any free port)");
    }
    ServiceConfig base = ServiceConfig.from(ConfigProperties.fromEnvironment(Map.of()));
    // a file is a mistyped path; a directory not there yet is served empty (the service polls for models, so
    // serve, then submit and promote, works), said on stderr in case it is a typo
    Path dir = registry != null ? registry : base.registry();
    String option = registry != null ? "--registry"
        : "registry (config " + ServiceConfig.REGISTRY + ", else ./registry)";
    if (java.nio.file.Files.exists(dir)) {
      TraceInput.requireDirectory(cl, option, dir);
    } else {
      cl.getErr().println("presize serve: warning: " + option + " " + dir + " does not exist yet: serving no models"
          + " until presize models submit creates it (a typo?)");
      cl.getErr().flush();
    }
    ServiceConfig config = base.with(registry != null ? registry : base.registry(), port != null ? port : base.port(),
        Optional.ofNullable(tokenFile));
    CountDownLatch stop = new CountDownLatch(1);
    try (PredictionService service = PredictionService.start(config)) {
      spec.commandLine().getOut().println("presize serve: listening on http://" + config.bind() + ":"
          + service.port() + " (registry " + config.registry() + ")");
      spec.commandLine().getOut().flush();
      Signals.forward(signal -> stop.countDown());
      stop.await();
      spec.commandLine().getErr().println("presize serve: stopping");
    }
    return 0;
  }
}
