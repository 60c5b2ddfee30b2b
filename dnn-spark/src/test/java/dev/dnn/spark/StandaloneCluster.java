package dev.dnn.spark;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on 127.0.0.1 made of separate JVMs started from the test class path: a
 * Master and {@code n} Workers (1 core, 1 GiB each), set up as Spark's own tests do ({@code
 * SPARK_TESTING}, a Spark home with an empty {@code jars/}). Closing it stops every process it
 * started, executors included.
 */
final class StandaloneCluster implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(90);

  final Path home;
  final String masterUrl;
  private final List<Process> processes = new ArrayList<>();
  private final List<Path> workerLogs = new ArrayList<>();

  StandaloneCluster(Path home, int workers) throws IOException, InterruptedException {
    this.home = home;
    Files.createDirectories(home.resolve("jars"));
    int port = freePort();
    masterUrl = "spark://127.0.0.1:" + port;
    try {
      start(
          "master",
          "org.apache.spark.deploy.master.Master",
          "--host",
          "127.0.0.1",
          "--port",
          Integer.toString(port),
          "--webui-port",
          Integer.toString(freePort()));
      for (int i = 0; i < workers; i++) {
        workerLogs.add(
            start(
                "worker" + i,
                "org.apache.spark.deploy.worker.Worker",
                "--host",
                "127.0.0.1",
                "--webui-port",
                Integer.toString(freePort()),
                "--cores",
                "1",
                "--memory",
                "1g",
                masterUrl));
      }
      awaitRegistered();
    } catch (IOException | InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The JVM flags every Spark process needs on JDK 17 (surefire passes them in). */
  static List<String> jvmFlags() {
    String flags = System.getProperty("dnn.spark.jvmFlags", "");
    List<String> out = new ArrayList<>();
    for (String f : flags.trim().split("\\s+")) {
      if (!f.isEmpty()) {
        out.add(f);
      }
    }
    return out;
  }

  private Path start(String name, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.addAll(jvmFlags());
    command.add("-Dspark.testing=1");
    command.add("-Dspark.test.home=" + home);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_TESTING", "1");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    Path log = home.resolve(name + ".log");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    processes.add(builder.start());
    return log;
  }

  private void awaitRegistered() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START.toNanos();
    for (Path log : workerLogs) {
      while (!Files.readString(log).contains("Successfully registered with master")) {
        for (Process p : processes) {
          if (!p.isAlive()) {
            throw new IllegalStateException(
                "a cluster process exited with " + p.exitValue() + "; see " + home);
          }
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "workers did not register within " + START + "; see " + log);
        }
        Thread.sleep(200);
      }
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    // Executors are children of the Workers: stop them first, then the Workers and the Master.
    List<ProcessHandle> all = new ArrayList<>();
    for (Process p : processes) {
      p.descendants().forEach(all::add);
    }
    for (int i = processes.size() - 1; i >= 0; i--) {
      all.add(processes.get(i).toHandle());
    }
    for (ProcessHandle h : all) {
      h.destroy();
    }
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
  }
}
