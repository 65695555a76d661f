package dev.presize.cli;

import picocli.CommandLine;

/**
 * A usage error found after parsing (a bad combination of options, an option naming something that is not there):
 * printed as one short line and a pointer to the command's help, without the usage dump, and exits 2.
 */
final class UsageError extends CommandLine.ParameterException {

  private static final long serialVersionUID = 1L;

  UsageError(CommandLine commandLine, String message) {
    super(commandLine, message);
  }
}
