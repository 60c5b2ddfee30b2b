"""PyTorch yardstick for dnn's GPU training step (issue: CUDA backend performance).

Times one training step (forward, softmax cross-entropy, backward, optimizer update) at batch 512
for the two reference networks in PyTorch eager mode, and the GEMM floor of each step: the step's
matrix FLOPs divided by the rate torch.mm (cuBLAS, TF32 off) reaches on the same shapes.

    python3 benchmarks/pytorch/step_time.py [--steps 200] [--warmup 30] [--json out.json]

Prints one line per network; dnn's own figures come from the GPU bundle's bench-gpu.sh on the same
machine, so both are compared in one session on one GPU. Like every yardstick here it first names
the BLAS under torch and measures a 1024^3 SGEMM (blas_check.py, here on the GPU), and refuses to
report below 50 GFLOP/s.
"""

import argparse
import json
import time

import torch

import blas_check

NETWORKS = {
    "large-tanh": ([784, 10000, 10000, 10000, 10], torch.nn.Tanh),
    "small-relu": ([784, 500, 250, 75, 25, 10], torch.nn.ReLU),
}


def build(sizes, activation):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(activation())
    return torch.nn.Sequential(*layers)


def step_flops(sizes, batch):
    # Forward x@W, backward dX = dY@W^T and dW = X^T@dY: three GEMMs of 2*b*in*out each.
    # The first layer needs no input gradient.
    total = 0
    for i in range(len(sizes) - 1):
        gemms = 2 if i == 0 else 3
        total += gemms * 2 * batch * sizes[i] * sizes[i + 1]
    return total


def timed(fn, steps, warmup):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    start = torch.cuda.Event(enable_timing=True)
    end = torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(steps):
        fn()
    end.record()
    torch.cuda.synchronize()
    return start.elapsed_time(end) / 1000.0 / steps


def gemm_seconds(sizes, batch, steps, warmup):
    """Seconds per step spent in the step's GEMMs alone, at cuBLAS speed."""
    total = 0.0
    for i in range(len(sizes) - 1):
        x = torch.randn(batch, sizes[i], device="cuda")
        w = torch.randn(sizes[i], sizes[i + 1], device="cuda")
        dy = torch.randn(batch, sizes[i + 1], device="cuda")
        total += timed(lambda: torch.mm(x, w), steps, warmup)
        total += timed(lambda: torch.mm(x.t(), dy), steps, warmup)
        if i > 0:
            total += timed(lambda: torch.mm(dy, w.t()), steps, warmup)
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=512)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--json")
    args = parser.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    blas = blas_check.require_fast_blas("cuda")
    torch.manual_seed(1)
    results = {"device": torch.cuda.get_device_name(), "torch": torch.__version__, "blas": blas,
               "networks": {}}
    for name, (sizes, activation) in NETWORKS.items():
        model = build(sizes, activation).cuda()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = torch.nn.CrossEntropyLoss()
        x = torch.rand(args.batch, sizes[0], device="cuda")
        y = torch.randint(0, sizes[-1], (args.batch,), device="cuda")

        def step():
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()

        seconds = timed(step, args.steps, args.warmup)
        floor = gemm_seconds(sizes, args.batch, args.steps, args.warmup)
        flops = step_flops(sizes, args.batch)
        results["networks"][name] = {
            "sizes": sizes,
            "step_ms": seconds * 1e3,
            "gemm_floor_ms": floor * 1e3,
            "step_over_floor": seconds / floor,
            "gemm_tflops": flops / floor / 1e12,
        }
        print(
            f"{name:11s} step {seconds * 1e3:8.3f} ms   GEMM floor {floor * 1e3:8.3f} ms "
            f"({flops / floor / 1e12:.1f} TFLOP/s)   step/floor {seconds / floor:.2f}",
            flush=True,
        )
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=2)


if __name__ == "__main__":
    main()
