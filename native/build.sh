#!/usr/bin/env bash
# Builds libdnnkernels.so from src/*.cu with nvcc (cudart linked statically), keeps the ptxas
# register/spill report in target/ptxas.log, checks that every launcher declared in
# include/dnn_kernels.h is exported, and writes target/native.properties, which tells the dnn-cuda
# build whether to compile its JNI bridge. Without nvcc it skips with one line and exits 0.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
out="$here/target"
mkdir -p "$out/lib" "$out/obj"

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
  echo "[dnn-native] nvcc not found (CUDA_HOME, /usr/local/cuda/bin, PATH): skipping the CUDA kernels; dnn-cuda is built without kernels"
  echo "javacpp.skip=true" > "$out/native.properties"
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
  exit 0
fi

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
  -o "$out/lib/libdnnkernels.so" "${objs[@]}"

# Every launcher of the header must be exported by the library.
missing=0
for fn in $(grep -oE '^int (dnn_[a-z0-9_]+)\(' "$here/include/dnn_kernels.h" | sed -E 's/^int (.*)\(/\1/'); do
  if ! nm -D --defined-only "$out/lib/libdnnkernels.so" | grep -qE " T $fn\$"; then
    echo "[dnn-native] libdnnkernels.so does not export $fn" >&2
    missing=1
  fi
done
[[ $missing -eq 0 ]] || exit 1

spills=$(grep -cE '[1-9][0-9]* bytes spill' "$out/ptxas.log" || true)
kernels=$(grep -c 'Used [0-9]* registers' "$out/ptxas.log" || true)
maxregs=$(grep -oE 'Used [0-9]+ registers' "$out/ptxas.log" | awk '{print $2}' | sort -n | tail -1)
echo "[dnn-native] built $out/lib/libdnnkernels.so: $kernels kernel builds, max $maxregs registers, $spills with spills (report: target/ptxas.log)"
{
  echo "javacpp.skip=false"
  echo "dnn.cuda.home=$cuda_home"
} > "$out/native.properties"
