package dev.dnn.backend;

/**
 * Memory accounting of a backend, in bytes.
 *
 * <p>Immutable and safe to share between threads.
 *
 * @param inUse bytes held by live tensors
 * @param cached bytes kept by the backend's pool for reuse, not held by any tensor
 * @param peakInUse the largest {@code inUse} seen since the backend was created
 * @param allocations how many times the backend asked the system (heap, {@code cudaMalloc}) for new
 *     memory; constant in a steady-state training loop
 */
public record MemoryStats(long inUse, long cached, long peakInUse, long allocations) {}
