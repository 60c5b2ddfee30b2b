/**
 * The pure-Java CPU backend, found through {@link dev.dnn.backend.BackendProvider} as {@code cpu}.
 *
 * <p>Its fast kernels use the Vector API, which JDK 17 to 25 ship as the incubator module {@code
 * jdk.incubator.vector}: this module requires it only statically, so it resolves without it, and
 * uses the Vector API when the module is in the boot layer ({@code --add-modules
 * jdk.incubator.vector}), the plain-Java kernels otherwise.
 *
 * @provides dev.dnn.backend.BackendProvider the {@code cpu} backend
 */
module dev.dnn.cpu {
  requires transitive dev.dnn.api;
  requires static jdk.incubator.vector;
  // HotSpotDiagnosticMXBean: whether C2 compiles, without which the Vector API is slow.
  requires jdk.management;
  requires org.slf4j;

  exports dev.dnn.cpu;

  provides dev.dnn.backend.BackendProvider with
      dev.dnn.cpu.CpuBackendProvider;
}
