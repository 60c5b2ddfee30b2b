package dev.dnn.backend;

import dev.dnn.tensor.Tensor;

/**
 * The argument checks of the kernel contract that every {@link Backend} makes the same way: shapes,
 * sizes and counts, each an {@link IllegalArgumentException} whose message names the op, the
 * argument and the shapes. A backend keeps only its own checks (which backend owns a tensor).
 */
public final class KernelChecks {
  private KernelChecks() {}

  /**
   * Checks that {@code a} and {@code b} hold the same number of elements.
   *
   * @throws IllegalArgumentException naming {@code op} and both shapes, or if either is null
   */
  public static void sameSize(String op, Tensor a, Tensor b) {
    if (a == null || b == null) {
      throw new IllegalArgumentException(op + ": a tensor argument is null");
    }
    if (a.size() != b.size()) {
      throw new IllegalArgumentException(
          op + ": shapes " + a.shape() + " and " + b.shape() + " differ in size");
    }
  }

  /**
   * Checks that {@code t}, the argument {@code operand} of {@code op}, holds {@code size} elements,
   * the count that the shape of {@code of} asks for.
   *
   * @throws IllegalArgumentException naming the op, the argument and both shapes
   */
  public static void expectSize(String op, String operand, Tensor t, int size, Tensor of) {
    if (t == null) {
      throw new IllegalArgumentException(op + ": " + operand + " is null");
    }
    if (t.size() != size) {
      throw new IllegalArgumentException(
          op
              + ": "
              + operand
              + " has shape "
              + t.shape()
              + ", expected "
              + size
              + " elements for "
              + of.shape());
    }
  }

  /**
   * Checks that {@code t}, an output total of {@code op}, has at least one element.
   *
   * @throws IllegalArgumentException naming the op and the argument
   */
  public static void expectScalar(String op, String operand, Tensor t) {
    if (t == null || t.size() < 1) {
      throw new IllegalArgumentException(op + ": " + operand + " needs at least one element");
    }
  }

  /**
   * Checks that {@code wide} is {@code narrow} with {@code pieces} columns per column (maxout).
   *
   * @return the number of rows
   * @throws IllegalArgumentException naming the op, both shapes and the pieces
   */
  public static int maxout(String op, Tensor wide, int pieces, Tensor narrow) {
    if (pieces < 1) {
      throw new IllegalArgumentException(op + ": pieces " + pieces + " must be at least 1");
    }
    int rows = narrow.shape().rows();
    if (wide.shape().rows() != rows
        || wide.shape().cols() != (long) narrow.shape().cols() * pieces) {
      throw new IllegalArgumentException(
          op
              + ": "
              + wide.shape()
              + " is not "
              + narrow.shape()
              + " with "
              + pieces
              + " pieces per unit");
    }
    return rows;
  }
}
