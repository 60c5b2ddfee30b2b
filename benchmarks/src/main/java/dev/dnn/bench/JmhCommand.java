package dev.dnn.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * Runs the JMH benchmarks of this jar: every argument goes to {@code org.openjdk.jmh.Main}, so
 * {@code dnn jmh GemmBenchmark -p backend=cpu -rf json -rff out.json} works as with a plain JMH
 * jar.
 */
@Command(
    name = "jmh",
    description = {
      "Run the JMH benchmarks; arguments go to JMH unchanged (try: jmh -h, jmh -l).",
      "Example: jmh TrainingStepBenchmark -p backend=cpu -f 1 -wi 2 -i 3 -rf json -rff jmh.json"
    },
    customSynopsis = "dnn jmh [JMH-ARG...]")
public final class JmhCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  // --help is this command's; every other argument, options included, is JMH's (JMH's own help
  // is -h).
  @Option(
      names = "--help",
      usageHelp = true,
      description = "Show this help (JMH's own options: jmh -h).")
  boolean help;

  @Unmatched List<String> arguments = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    // JMH's Main exits the JVM itself with its own status.
    org.openjdk.jmh.Main.main(arguments.toArray(String[]::new));
    return 0;
  }
}
