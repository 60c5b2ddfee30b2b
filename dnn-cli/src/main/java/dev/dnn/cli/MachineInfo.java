package dev.dnn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A one-line description of the host: processor, cores, Java, operating system. */
final class MachineInfo {
  private MachineInfo() {}

  static String describe() {
    return processor()
        + ", "
        + Runtime.getRuntime().availableProcessors()
        + " cores available, Java "
        + System.getProperty("java.version")
        + ", "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.arch");
  }

  /** The processor model from {@code /proc/cpuinfo} where there is one. */
  private static String processor() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      for (String line : lines) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or not readable: fall through to the generic name.
    }
    return "unknown processor";
  }
}
