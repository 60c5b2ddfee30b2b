package dev.dnn.bench;

import dev.dnn.bench.jmh.JmhResultTable;
import dev.dnn.cli.FileOptions;
import dev.dnn.cli.VersionProvider;
import dev.dnn.cli.report.OutputFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints a JMH JSON result file as a Markdown table with the GPU speedup per operation. */
@Command(
    name = "jmh-table",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Print a JMH JSON result file (jmh ... -rf json -rff FILE) as a Markdown table, with one"
          + " column per backend and the speedup over cpu where both ran.",
      "Example: jmh-table jmh.json --out jmh.md"
    })
public final class JmhTableCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The JMH JSON result file.")
  Path file;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Also write the table to this Markdown file.")
  Path out;

  @Option(
      names = "--by",
      paramLabel = "PARAM",
      description =
          "The benchmark parameter whose values become columns (default: ${DEFAULT-VALUE}; use"
              + " implementation for GemmBenchmark's dnn against openblas).",
      defaultValue = JmhResultTable.BACKEND_PARAM)
  String by;

  @Override
  public Integer call() throws Exception {
    FileOptions.requireFile("JMH result file", file);
    if (out != null) {
      FileOptions.requireWritableFile("--out", out);
    }
    String table = JmhResultTable.fromFile(file, by).render();
    spec.commandLine().getOut().print(table);
    spec.commandLine().getOut().flush();
    if (out != null) {
      OutputFiles.writeString(out, table);
    }
    return 0;
  }
}
