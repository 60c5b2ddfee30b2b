package dev.dnn.bench.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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
  // Every argument, options included, is JMH's: none is parsed here.
  @Unmatched List<String> arguments = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    // JMH's Main exits the JVM itself with its own status.
    org.openjdk.jmh.Main.main(arguments.toArray(String[]::new));
    return 0;
  }
}
