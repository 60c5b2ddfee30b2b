package dev.dnn.internal.nn;

import dev.dnn.backend.Backend;
import dev.dnn.data.BatchAugmentation;
import dev.dnn.data.DataSet;
import dev.dnn.data.Preprocessing;
import dev.dnn.data.TargetScaling;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Map;

/**
 * Uploads mini-batches of a data set to a backend: features {@code [rows, featureCount]} and
 * targets (labels {@code [rows]} as floats, or target rows). Host staging arrays and device tensors
 * are kept per batch size, so repeated batches allocate nothing.
 *
 * <p>Not thread-safe: one training thread uploads through it.
 */
public final class DeviceBatches implements AutoCloseable {
  private final Backend backend;
  private final Map<Integer, Slot> slots = new HashMap<>();
  private final KeptRowCounts kept = new KeptRowCounts();

  /** Batches for {@code backend}. */
  public DeviceBatches(Backend backend) {
    this.backend = backend;
  }

  /** One uploaded batch; the tensors stay valid until the next upload of the same size. */
  public record Batch(Tensor features, Tensor targets, int rows) {}

  private record Slot(float[] hostFeatures, float[] hostTargets, Tensor features, Tensor targets) {}

  /**
   * Uploads examples {@code order[from .. from + count)} of {@code data}, applying {@code
   * augmentation} (may be null) to the host copy of the features first.
   */
  public Batch upload(
      DataSet data,
      int[] order,
      int from,
      int count,
      BatchAugmentation augmentation,
      long seed,
      long stream) {
    return upload(data, order, from, count, null, null, augmentation, seed, stream);
  }

  /**
   * Uploads examples {@code order[from .. from + count)} of {@code data}: the host copy of the
   * features goes through {@code inputs}' affine step (may be null), then {@code augmentation} (may
   * be null); float targets through {@code targetScaling} (may be null), so a model's raw examples
   * reach the device as its network takes them without a scaled copy of the whole data set.
   */
  public Batch upload(
      DataSet data,
      int[] order,
      int from,
      int count,
      Preprocessing inputs,
      TargetScaling targetScaling,
      BatchAugmentation augmentation,
      long seed,
      long stream) {
    int features = data.featureCount();
    // A features-only data set (inference) uploads no targets: its batches carry null.
    int targetWidth = !data.hasTargets() ? 0 : data.isClassification() ? 1 : data.targetCount();
    // Features-only batches (prediction) and labelled ones (evaluation) of one row count keep
    // separate slots.
    Slot slot =
        slots.computeIfAbsent(
            targetWidth == 0 ? -count : count,
            key ->
                new Slot(
                    new float[count * features],
                    new float[count * targetWidth],
                    backend.zeros(Shape.matrix(count, features)),
                    targetWidth == 0
                        ? null
                        : data.isClassification()
                            ? backend.zeros(Shape.vector(count))
                            : backend.zeros(Shape.matrix(count, targetWidth))));
    if (slot.features.shape().dim(1) != features
        || slot.hostTargets.length != count * targetWidth) {
      throw new IllegalArgumentException(
          "batches of one DeviceBatches must come from data sets of the same layout");
    }
    data.copyFeatures(order, from, count, slot.hostFeatures);
    if (inputs != null) {
      inputs.applyInPlace(slot.hostFeatures, count);
    }
    if (augmentation != null) {
      augmentation.apply(slot.hostFeatures, count, features, seed, stream);
    }
    backend.copyFromHost(slot.hostFeatures, 0, slot.features);
    if (targetWidth > 0) {
      if (data.isClassification()) {
        data.copyLabels(order, from, count, slot.hostTargets);
      } else {
        data.copyTargets(order, from, count, slot.hostTargets);
        if (targetScaling != null) {
          targetScaling.toNetwork(slot.hostTargets, count);
        }
      }
      backend.copyFromHost(slot.hostTargets, 0, slot.targets);
    }
    return new Batch(slot.features, slot.targets, count);
  }

  /**
   * Uploads {@code count} rows of {@code width} values stored back to back in {@code rows} (a
   * caller's array, not a data set) through {@code inputs}' affine step, into the features-only
   * slot of that row count: the same host values, so the same device batch, as {@link
   * #upload(DataSet, int[], int, int, Preprocessing, TargetScaling, BatchAugmentation, long, long)}
   * makes of those rows. Every value of {@code rows} must be finite: otherwise the {@link
   * IllegalArgumentException} of {@link FiniteValues#require} names the first that is not (rows
   * without preprocessing are checked in the backend's copy, in one pass over them).
   */
  public Tensor upload(float[] rows, int count, int width, Preprocessing inputs) {
    return upload(rows, 0, count, width, inputs);
  }

  /**
   * {@link #upload(float[], int, int, Preprocessing)} of rows {@code [first, first + count)} of
   * {@code rows}; a value that is not finite is named by its row among all of {@code rows}.
   */
  public Tensor upload(float[] rows, int first, int count, int width, Preprocessing inputs) {
    return upload(rows, first, count, width, inputs, false);
  }

  /**
   * {@link #upload(float[], int, int, Preprocessing)} of rows {@code [first, first + count)} of
   * {@code rows}, which are not checked finite again where {@code checked}.
   */
  public Tensor upload(
      float[] rows, int first, int count, int width, Preprocessing inputs, boolean checked) {
    // Looked up before it is made: a capturing lambda for computeIfAbsent would be allocated on
    // every call of a serving loop.
    Slot slot = slots.get(-count);
    if (slot == null) {
      slot =
          new Slot(
              new float[count * width],
              new float[0],
              backend.zeros(Shape.matrix(count, width)),
              null);
      slots.put(-count, slot);
    }
    if (slot.features.shape().dim(1) != width) {
      throw new IllegalArgumentException(
          "batches of one DeviceBatches must come from data sets of the same layout");
    }
    if (inputs == null || inputs.isIdentity()) {
      if (checked) {
        backend.copyFromHost(rows, first * width, slot.features);
        return slot.features;
      }
      if (!backend.copyFiniteFromHost(rows, first * width, slot.features)) {
        FiniteValues.require(rows, first, count, width, "feature");
        throw new ConcurrentModificationException(
            "the rows changed while they were read: a value was not finite, then it was");
      }
      return slot.features;
    }
    if (!checked) {
      FiniteValues.require(rows, first, count, width, "feature");
    }
    System.arraycopy(rows, first * width, slot.hostFeatures, 0, count * width);
    inputs.applyInPlace(slot.hostFeatures, count);
    backend.copyFromHost(slot.hostFeatures, 0, slot.features);
    return slot.features;
  }

  /**
   * Frees the batches of row counts other than {@code a}, {@code b} and {@code c}, so that a
   * long-lived user that sees data sets of many sizes (an inference server) keeps a bounded set.
   */
  public void retain(int a, int b, int c) {
    if (!kept.keep(a, b, c, slots.size())) {
      return;
    }
    slots
        .entrySet()
        .removeIf(
            e -> {
              if (kept.holds(Math.abs(e.getKey()))) {
                return false;
              }
              e.getValue().features.close();
              if (e.getValue().targets != null) {
                e.getValue().targets.close();
              }
              return true;
            });
    kept.swept(slots.size());
  }

  @Override
  public void close() {
    for (Slot slot : slots.values()) {
      slot.features.close();
      if (slot.targets != null) {
        slot.targets.close();
      }
    }
    slots.clear();
    kept.reset();
  }
}
