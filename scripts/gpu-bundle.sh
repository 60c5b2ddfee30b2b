#!/usr/bin/env bash
# Builds a self-contained folder that runs the dnn GPU test suite on a machine with an NVIDIA GPU
# but no JDK or Maven: a jlink'ed Java 17 runtime, the project jars (test classes included), their
# dependencies, JUnit's console launcher, and run-gpu.sh, which finds the CUDA 13 libraries and
# runs the suite with -Ddnn.requireGpu=true; and bench-gpu.sh, which runs the GPU step benchmark
# (dev.dnn.bench.gpu.GpuStepBenchmark of the benchmarks module, needing only the library's jars).
#
#   scripts/gpu-bundle.sh [output-dir]     (default: target/gpu-bundle)
#
# Build on linux-x86_64 with a JDK 17 and Maven; copy the folder to the GPU machine and run
# ./run-gpu.sh there.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(realpath -m "${1:-$root/target/gpu-bundle}")"  # absolute: later steps change directory
limit_mib=60
junit_console_version="$(sed -n 's:.*<junit.platform.version>\(.*\)</junit.platform.version>.*:\1:p' "$root/pom.xml")"
mvn_lock=(flock /tmp/dnn-mvn.lock)
command -v flock > /dev/null || mvn_lock=()

echo "[gpu-bundle] building the project jars"
rm -rf "$root/tests/target/gpu-bundle-libs"
# One reactor run, so that the modules' own jars resolve from their target folders.
(cd "$root" && "${mvn_lock[@]}" mvn -B -q -pl tests -am package dependency:copy-dependencies \
  -DskipTests -Djacoco.skip=true -Dspotless.check.skip=true -DincludeScope=test \
  -DoutputDirectory="$root/tests/target/gpu-bundle-libs")
# The benchmarks module's own dependencies (JMH, OpenBLAS) stay out: the GPU step benchmark needs
# only the library, so its classes are compiled here and jarred alone below.
(cd "$root" && "${mvn_lock[@]}" mvn -B -q -pl benchmarks -am compile \
  -Djacoco.skip=true -Dspotless.check.skip=true)
(cd "$root" && "${mvn_lock[@]}" mvn -B -q dependency:copy \
  -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit_console_version" \
  -DoutputDirectory="$root/tests/target/gpu-bundle-libs")

rm -rf "$out"
mkdir -p "$out/lib"
cp "$root"/tests/target/gpu-bundle-libs/*.jar "$out/lib/"
# The JUnit engine comes from the standalone console jar; drop the separate copies.
rm -f "$out"/lib/junit-jupiter-*.jar "$out"/lib/junit-platform-*[0-9].jar "$out"/lib/opentest4j-*.jar \
  "$out"/lib/apiguardian-*.jar
cp "$root/tests/target/gpu-bundle-libs/junit-platform-console-standalone-$junit_console_version.jar" "$out/lib/"
(cd "$root/tests/target/test-classes" && jar cf "$out/lib/dnn-tests-classes.jar" .)
(cd "$root/benchmarks/target/classes" && jar cf "$out/lib/dnn-bench-gpu.jar" dev/dnn/bench/gpu)

echo "[gpu-bundle] linking a Java runtime"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
"$java_home/bin/jlink" --add-modules java.base,java.logging,java.management,java.naming,java.xml,jdk.unsupported,jdk.zipfs \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$out/runtime"

cat > "$out/cuda-libs.sh" <<'LIBS'
# Sourced by run-gpu.sh and bench-gpu.sh: puts the directories holding the CUDA 13 runtime and
# cuBLAS on LD_LIBRARY_PATH, looking in CUDA_HOME, /usr/local/cuda, the ldconfig cache and
# Python's site-packages (nvidia-* wheels).
found=()
has_cuda13() { [[ -e "$1/libcudart.so.13" || -e "$1/libcublas.so.13" ]]; }
for dir in "${CUDA_HOME:-}/lib64" "${CUDA_HOME:-}/lib" /usr/local/cuda/lib64 /usr/local/cuda-13*/lib64; do
  [[ -d "$dir" ]] && has_cuda13 "$dir" && found+=("$dir")
done
if command -v ldconfig > /dev/null; then
  while read -r lib; do found+=("$(dirname "$lib")"); done < <(ldconfig -p 2>/dev/null \
    | awk '/libcudart\.so\.13|libcublas\.so\.13|libcublasLt\.so\.13/ {print $NF}')
fi
for py in python3 python; do
  command -v "$py" > /dev/null || continue
  while read -r site; do
    for dir in "$site"/nvidia/*/lib "$site"/nvidia/*/lib64; do
      [[ -d "$dir" ]] && ls "$dir" | grep -qE 'lib(cudart|cublas|cublasLt)\.so\.13' && found+=("$dir")
    done
  done < <("$py" -c 'import site, sys; print("\n".join(site.getsitepackages() + [site.getusersitepackages()]))' 2>/dev/null)
  break
done
if [[ ${#found[@]} -eq 0 ]]; then
  echo "[run-gpu] libcudart.so.13 / libcublas.so.13 not found in CUDA_HOME, /usr/local/cuda, ldconfig or Python site-packages" >&2
else
  dirs="$(printf '%s\n' "${found[@]}" | awk '!seen[$0]++' | paste -sd:)"
  echo "[run-gpu] CUDA 13 libraries: $dirs"
  export LD_LIBRARY_PATH="$dirs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi

LIBS

cat > "$out/run-gpu.sh" <<'RUN'
#!/usr/bin/env bash
# Runs the dnn test suite with -Ddnn.requireGpu=true: an unusable CUDA backend fails the run.
# Extra arguments go to the JUnit console launcher.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/cuda-libs.sh"
exec "$here/runtime/bin/java" -Xmx4g -Ddnn.requireGpu=true \
  -jar "$here"/lib/junit-platform-console-standalone-*.jar execute \
  --class-path "$(ls "$here"/lib/*.jar | grep -v console-standalone | paste -sd:)" \
  --scan-class-path "$here/lib/dnn-tests-classes.jar" \
  --reports-dir "$here/reports" --details=summary --disable-banner --fail-if-no-tests "$@"
RUN

cat > "$out/bench-gpu.sh" <<'BENCH'
#!/usr/bin/env bash
# A short smoke benchmark: a large GEMM and a training step on every usable backend.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/cuda-libs.sh"
exec "$here/runtime/bin/java" -Xmx4g -cp "$(ls "$here"/lib/*.jar | paste -sd:)" \
  dev.dnn.bench.gpu.GpuStepBenchmark "$@"
BENCH
chmod +x "$out/bench-gpu.sh"
chmod +x "$out/run-gpu.sh"

size_mib=$(( $(du -sk "$out" | cut -f1) / 1024 ))
echo "[gpu-bundle] $out: ${size_mib} MiB"
if (( size_mib >= limit_mib )); then
  echo "[gpu-bundle] the bundle is ${size_mib} MiB, over the ${limit_mib} MiB budget" >&2
  exit 1
fi
