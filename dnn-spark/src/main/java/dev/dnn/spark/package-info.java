/**
 * dnn on Apache Spark: the Spark ML estimators {@link dev.dnn.spark.DnnClassifier} and {@link
 * dev.dnn.spark.DnnRegressor} and their models. Training runs in synchronous rounds built from
 * Spark's own primitives: the driver broadcasts the parameters (and, with several local steps, the
 * optimizer state), each worker partition runs mini-batches on its cached shard, a {@code
 * treeAggregate} sums what they return, and the driver applies the update with dnn's optimizer.
 * Task randomness is a function of (seed, round, partition), so Spark's task retry is the fault
 * tolerance. Models score in {@code mapPartitions} from their model file broadcast as bytes, and
 * persist as Spark metadata plus dnn's own safetensors model file.
 */
package dev.dnn.spark;
