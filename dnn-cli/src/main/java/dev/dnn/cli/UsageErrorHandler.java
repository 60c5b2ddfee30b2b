package dev.dnn.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports a command line that does not parse (an unknown option, a value of the wrong type or out
 * of range) as one line that names the option and points to the command's help, instead of
 * picocli's default of the message followed by the whole usage, where the message scrolls away.
 */
final class UsageErrorHandler implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    String command = cli.getCommandSpec().qualifiedName();
    StringBuilder line = new StringBuilder(command).append(": ").append(e.getMessage());
    if (e instanceof UnmatchedArgumentException unmatched) {
      List<String> suggestions = unmatched.getSuggestions();
      if (!suggestions.isEmpty()) {
        line.append(" (did you mean ").append(String.join(" or ", suggestions)).append("?)");
      }
    }
    line.append("; see '").append(command).append(" --help'");
    cli.getErr().println(cli.getColorScheme().errorText(line.toString()));
    cli.getErr().flush();
    return ErrorHandler.USER_ERROR;
  }
}
