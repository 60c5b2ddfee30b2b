package dev.dnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on a real standalone cluster (a Master and two Workers in their own JVMs on loopback,
 * one executor JVM per Worker): the model equals the one trained in {@code local[2]}, and a run
 * whose executor JVM is killed with SIGKILL mid-training recovers (Spark recomputes the lost cached
 * shards and reruns the lost tasks) and ends with the same model file.
 */
class StandaloneClusterTest {
  @TempDir Path dir;

  @AfterEach
  void stop() {
    TestSpark.stop();
  }

  private static DnnClassifier dnn() {
    return new DnnClassifier()
        .setHidden(32)
        .setDropout(0.1)
        .setBatchSize(32)
        .setEpochs(3)
        .setStepSize(0.005)
        .setNumWorkers(2)
        .setSeed(17);
  }

  @Test
  void trainsAcrossExecutorJvmsAndSurvivesAKilledExecutor() throws Exception {
    List<Row> rows = TestSpark.blobs(1200, 4, 10, 31);
    byte[] local =
        dnn().fit(TestSpark.session().createDataFrame(rows, TestSpark.vectorSchema())).modelFile();
    TestSpark.stop();

    try (StandaloneCluster cluster = new StandaloneCluster(dir.resolve("spark"), 2)) {
      SparkSession spark =
          SparkSession.builder()
              .master(cluster.masterUrl)
              .appName("dnn-spark-cluster-test")
              .config("spark.ui.enabled", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.home", cluster.home.toString())
              .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
              .config(
                  "spark.executor.extraJavaOptions", String.join(" ", StandaloneCluster.jvmFlags()))
              .config("spark.executor.cores", "1")
              .config("spark.cores.max", "2")
              .config("spark.executor.memory", "512m")
              .getOrCreate();
      try {
        Set<Long> pids = executorPids(spark);
        assertEquals(2, pids.size(), "two executor JVMs: " + pids);
        assertTrue(!pids.contains(ProcessHandle.current().pid()));

        Dataset<Row> df = spark.createDataFrame(rows, TestSpark.vectorSchema());
        byte[] clean = dnn().fit(df).modelFile();
        assertArrayEquals(local, clean, "the cluster trains the model local[2] trains");

        // Again, killing one executor JVM after the 30th job of the fit (of 3 epochs x 19 rounds).
        AtomicInteger jobs = new AtomicInteger();
        AtomicInteger removed = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        long victim = pids.iterator().next();
        spark
            .sparkContext()
            .addSparkListener(
                new SparkListener() {
                  @Override
                  public void onJobEnd(SparkListenerJobEnd end) {
                    if (jobs.incrementAndGet() == 30 && killed.compareAndSet(false, true)) {
                      ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
                    }
                  }

                  @Override
                  public void onExecutorRemoved(SparkListenerExecutorRemoved event) {
                    removed.incrementAndGet();
                  }
                });
        byte[] recovered =
            CompletableFuture.supplyAsync(() -> dnn().fit(df).modelFile())
                .get(240, TimeUnit.SECONDS);
        assertTrue(killed.get(), "the executor was killed during the fit");
        assertTrue(ProcessHandle.of(victim).map(h -> !h.isAlive()).orElse(true));
        assertTrue(removed.get() >= 1, "Spark saw the executor go");
        assertArrayEquals(clean, recovered);
        Set<Long> after = executorPids(spark);
        assertNotEquals(pids, after, "a new executor JVM replaced the killed one");
      } finally {
        spark.stop();
      }
    }
  }

  /** The process ids of the JVMs that run this application's tasks. */
  private static Set<Long> executorPids(SparkSession spark) {
    List<Long> pids =
        spark
            .range(0, 64, 1, 16)
            .javaRDD()
            .mapPartitions(it -> List.of(ProcessHandle.current().pid()).iterator())
            .collect();
    return new TreeSet<>(pids);
  }
}
