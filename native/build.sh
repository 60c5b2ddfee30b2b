#!/usr/bin/env bash
# Builds libdnnkernels.so from src/*.cu with nvcc (cudart linked statically), keeps the ptxas
# register/spill report in target/ptxas.log, and checks that every launcher declared in
# include/dnn_kernels.h is exported. Then builds the same sources with g++ against the host
# emulator of emu/ into target/emu/libdnnkernels.so, which runs the kernels on the CPU for tests
# on machines without a GPU, and runs its self-test. Writes target/native.properties, which tells
# the dnn-cuda build whether to compile its JNI bridge and where the emulated library is. Without
# nvcc it skips with one line and exits 0.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
out="$here/target"
mkdir -p "$out/lib" "$out/obj" "$out/emu"

# Fails unless the library $1 exports every launcher of the header, and no dnn_ function the header
# does not declare (a launcher left behind by a rename); the emulator's own dnn_emu_ entry points
# are not launchers.
check_exports() {
  local missing=0 declared exported
  declared="$(grep -oE '^int (dnn_[a-z0-9_]+)\(' "$here/include/dnn_kernels.h" | sed -E 's/^int (.*)\(/\1/')"
  exported="$(nm -D --defined-only "$1" | awk '$2 == "T" && $3 ~ /^dnn_/ && $3 !~ /^dnn_emu_/ {print $3}')"
  for fn in $declared; do
    if ! grep -qx "$fn" <<< "$exported"; then
      echo "[dnn-native] $1 does not export $fn" >&2
      missing=1
    fi
  done
  for fn in $exported; do
    if ! grep -qx "$fn" <<< "$declared"; then
      echo "[dnn-native] $1 exports $fn, which include/dnn_kernels.h does not declare" >&2
      missing=1
    fi
  done
  return $missing
}

find_nvcc() {
  # DNN_NVCC names the compiler explicitly; DNN_NVCC=none builds without kernels.
  if [[ -n "${DNN_NVCC:-}" ]]; then
    if [[ "$DNN_NVCC" != none ]]; then echo "$DNN_NVCC"; fi
    return
  fi
  if [[ -n "${CUDA_HOME:-}" && -x "$CUDA_HOME/bin/nvcc" ]]; then echo "$CUDA_HOME/bin/nvcc"; return; fi
  if [[ -x /usr/local/cuda/bin/nvcc ]]; then echo /usr/local/cuda/bin/nvcc; return; fi
  command -v nvcc || true
}

nvcc="$(find_nvcc)"
if [[ -z "$nvcc" ]]; then
  echo "[dnn-native] nvcc not found (CUDA_HOME, /usr/local/cuda/bin, PATH): skipping the CUDA kernels and their host emulation; dnn-cuda is built without kernels"
  # The tests module's emulator execution then runs only HostEmulatorRunTest, which reports this
  # reason as a skip (a failure under -Ddnn.requireGpu=true).
  printf '%s\n' "javacpp.skip=true" "dnn.emulator.library=" \
    "dnn.emulator.tests=**/HostEmulatorRunTest.java" \
    "dnn.emulator.absent=nvcc was not found (CUDA_HOME, /usr/local/cuda/bin, PATH) when native/build.sh ran" \
    > "$out/native.properties"
  exit 0
fi
cuda_home="$(cd "$(dirname "$nvcc")/.." && pwd)"

# Real code for every architecture this toolkit still supports (CUDA 13 dropped sm_50..sm_72, so
# Volta's sm_70 is gone), plus PTX of the newest common target for JIT on later GPUs.
archs=(75 80 86 89 90)
gencode=()
for a in "${archs[@]}"; do gencode+=("-gencode" "arch=compute_$a,code=sm_$a"); done
gencode+=("-gencode" "arch=compute_90,code=compute_90")

flags=(-std=c++17 -O3 --extended-lambda -I"$here/include" -Xcompiler -fPIC,-Wall,-Wextra,-Werror
  --Werror all-warnings -Xptxas -v,--warn-on-spills,--warning-as-error --threads 0)

lib="$out/lib/libdnnkernels.so"
if [[ -f "$lib" && -f "$out/native.properties" && $(grep -c "javacpp.skip=false" "$out/native.properties") -eq 1 && -z "$(find "$here/src" "$here/include" "$here/build.sh" -newer "$lib" -print -quit)" ]]; then
  echo "[dnn-native] libdnnkernels.so is up to date"
else
  echo "[dnn-native] building libdnnkernels.so with $nvcc ($("$nvcc" --version | tail -1))"
  : > "$out/ptxas.log"
  objs=()
  for src in "$here"/src/*.cu; do
    obj="$out/obj/$(basename "${src%.cu}").o"
    if ! "$nvcc" "${flags[@]}" "${gencode[@]}" -c "$src" -o "$obj" >> "$out/ptxas.log" 2>&1; then
      cat "$out/ptxas.log" >&2
      echo "[dnn-native] nvcc failed on $src" >&2
      exit 1
    fi
    objs+=("$obj")
  done
  "$nvcc" --shared -cudart static "${gencode[@]}" -Xlinker --exclude-libs,ALL \
    -o "$lib" "${objs[@]}"
  check_exports "$lib"

  spills=$(grep -cE '[1-9][0-9]* bytes spill' "$out/ptxas.log" || true)
  kernels=$(grep -c 'Used [0-9]* registers' "$out/ptxas.log" || true)
  maxregs=$(grep -oE 'Used [0-9]+ registers' "$out/ptxas.log" | awk '{print $2}' | sort -n | tail -1)
  echo "[dnn-native] built $lib: $kernels kernel builds, max $maxregs registers, $spills with spills (report: target/ptxas.log)"
fi

# The host emulation: device pointers are host pointers and each launch runs every thread of every
# block on the CPU. Its coroutines switch with x86-64 assembly, so other machines go without it.
emu_lib="$out/emu/libdnnkernels.so"
if [[ "$(uname -m)" != x86_64 ]]; then
  echo "[dnn-native] no host emulation on $(uname -m): it is written for x86-64"
  emu_lib=""
elif [[ -f "$emu_lib" && -z "$(find "$here/src" "$here/include" "$here/emu" "$here/build.sh" -newer "$emu_lib" -print -quit)" ]]; then
  echo "[dnn-native] emulated libdnnkernels.so is up to date"
else
  echo "[dnn-native] building the emulated libdnnkernels.so with g++ ($(g++ -dumpfullversion))"
  # The kernels rely on what nvcc allows: unknown pragmas (#pragma unroll) and float4 views of float
  # arrays; __fadd_rn and friends rely on no multiply-add contraction.
  emu_flags=(-std=c++20 -O2 -Wall -Wextra -Werror -Wno-unknown-pragmas -fno-strict-aliasing
    -ffp-contract=off -DDNN_HOST_EMULATION -I"$here/include" -I"$here/emu" -I"$cuda_home/include")
  # Named libdnnkernels.so, so that the JNI bridge's dependency on that name resolves to it once it
  # is loaded; the version script exports only the dnn_* symbols.
  if ! g++ "${emu_flags[@]}" -fPIC -shared -x c++ "$here"/src/*.cu -x none "$here/emu/emulator.cpp" \
      -Wl,-soname,libdnnkernels.so -Wl,--version-script="$here/emu/exports.map" -Wl,--no-undefined \
      -o "$emu_lib" || ! check_exports "$emu_lib"; then
    rm -f "$emu_lib"
    echo "[dnn-native] building the emulated library failed" >&2
    exit 1
  fi
  if ! g++ "${emu_flags[@]}" -pthread -I"$here/src" "$here/emu/emulator_test.cpp" -L"$out/emu" \
      -ldnnkernels -Wl,-rpath,"$out/emu" -o "$out/emu/emulator_test" || ! "$out/emu/emulator_test"; then
    rm -f "$emu_lib"  # so that the next build does not take it as up to date
    echo "[dnn-native] the emulator self-test failed" >&2
    exit 1
  fi
  echo "[dnn-native] built $emu_lib"
fi

{
  echo "javacpp.skip=false"
  echo "dnn.cuda.home=$cuda_home"
  if [[ -n "$emu_lib" ]]; then
    echo "dnn.emulator.library=$emu_lib"
    echo "dnn.emulator.tests=**/*Test.java"
    echo "dnn.emulator.absent="
  else
    echo "dnn.emulator.library="
    echo "dnn.emulator.tests=**/HostEmulatorRunTest.java"
    echo "dnn.emulator.absent=the host emulation is written for x86-64, this is $(uname -m)"
  fi
} > "$out/native.properties"
