#!/usr/bin/env bash
# One call's worth of GPU checks on a machine with an NVIDIA GPU and no JDK or Maven: the GPU
# suite in requireGpu mode, the dnn GPU step benchmark, and the PyTorch yardstick on the same GPU.
# Needs the bundle that scripts/gpu-bundle.sh builds, at $BUNDLE (default .bundle in the
# repository root). Logs go to $OUT (default out/device); each step has its own time limit so that
# the whole run ends within about nine minutes, and a failed step does not stop the next.
#
#   scripts/gpu-bundle.sh .bundle          # on a build machine, once
#   scripts/device-run.sh                  # on the GPU machine, from the repository root
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
bundle="${BUNDLE:-$root/.bundle}"
out="${OUT:-$root/out/device}"
mkdir -p "$out"
status=0

step() { # step NAME SECONDS COMMAND...: runs COMMAND with a time limit, output to $out/NAME.log
  local name="$1" limit="$2"
  shift 2
  echo "== $name (limit ${limit}s)"
  local started=$SECONDS
  timeout --kill-after=10 "$limit" "$@" > "$out/$name.log" 2>&1
  local rc=$?
  tail -n 25 "$out/$name.log"
  echo "== $name: exit $rc after $((SECONDS - started)) s"
  [[ $rc -eq 0 ]] || status=1
}

if [[ ! -x "$bundle/run-gpu.sh" ]]; then
  echo "no GPU bundle at $bundle: build it with scripts/gpu-bundle.sh $bundle and carry it" >&2
  exit 2
fi

nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm --format=csv \
  > "$out/gpu.txt" 2>&1
cat "$out/gpu.txt"

step suite 330 "$bundle/run-gpu.sh"
cp -r "$bundle/reports" "$out/junit" 2> /dev/null || true
step dnn-bench 120 "$bundle/bench-gpu.sh"
if command -v python3 > /dev/null; then
  step pytorch 90 env PYTHONUNBUFFERED=1 python3 "$root/benchmarks/pytorch/step_time.py" \
    --json "$out/pytorch.json"
fi

echo
echo "== summary"
grep -hE '(tests|containers) (successful|failed|skipped|aborted)' "$out/suite.log" || true
grep -hE 'step|GEMM|floor' "$out/dnn-bench.log" 2> /dev/null | tail -n 12 || true
grep -hE 'step|floor' "$out/pytorch.log" 2> /dev/null | tail -n 6 || true
exit $status
