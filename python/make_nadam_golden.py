"""Writes tests/src/test/resources/golden/nadam_second.json: a second PyTorch reference set for NAdam.

golden/optimizers.json holds one NAdam case at PyTorch's defaults on parameters of order 1. This set
varies what that one leaves fixed: the magnitudes of parameters and gradients (1e-3 to 10), beta1,
beta2, epsilon, momentum_decay, and the coupled L2 penalty (PyTorch's weight_decay), over five steps.
Parameters and gradients are rounded to float32 before PyTorch sees them, so a float32 backend starts
from exactly the same numbers; PyTorch then runs in float64 (default dtype float64, so its
mu_product state is float64 too).

    /usr/bin/python3 python/make_nadam_golden.py tests/src/test/resources/golden

Made with Debian's python3-torch 1.13.1, whose _single_tensor_nadam is the reference the file names.
"""

import json
import os
import sys

import numpy as np
import torch

CASES = [
    # name, lr, (beta1, beta2), eps, momentum_decay, weight_decay, parameter scale, gradient scale
    ("nadam(lr=0.002, b1=0.9, b2=0.999, eps=1e-8, momentum_decay=0.004), small parameters",
     0.002, (0.9, 0.999), 1e-8, 0.004, 0.0, 3e-3, 1e-2),
    ("nadam(lr=0.01, b1=0.95, b2=0.9995, eps=1e-7, momentum_decay=0.01)",
     0.01, (0.95, 0.9995), 1e-7, 0.01, 0.0, 5e-2, 1e-3),
    ("nadam(lr=0.0005, b1=0.8, b2=0.99, eps=1e-6, momentum_decay=0.002, weight_decay=0.01)",
     0.0005, (0.8, 0.99), 1e-6, 0.002, 0.01, 10.0, 1.0),
]
N = 12
STEPS = 5


def f32(a):
    return a.astype(np.float32).astype(np.float64)


def case(rng, lr, betas, eps, psi, wd, p_scale, g_scale):
    # Magnitudes spread over two decades around the scale, both signs.
    p0 = f32(rng.normal(0, 1, N) * p_scale * 10 ** rng.uniform(-1, 1, N))
    grads = [f32(rng.normal(0, 1, N) * g_scale * 10 ** rng.uniform(-1, 1, N)) for _ in range(STEPS)]
    p = torch.tensor(p0, requires_grad=True)
    opt = torch.optim.NAdam([p], lr=lr, betas=betas, eps=eps, weight_decay=wd, momentum_decay=psi)
    after = []
    for g in grads:
        p.grad = torch.tensor(g)
        opt.step()
        after.append(p.detach().tolist())
    return {
        "lr": lr, "beta1": betas[0], "beta2": betas[1], "eps": eps, "momentum_decay": psi,
        "weight_decay": wd,
        "p0": p0.tolist(), "grads": [g.tolist() for g in grads], "after_each_step": after,
    }


def main(out_dir):
    torch.set_default_dtype(torch.float64)
    rng = np.random.default_rng(20)
    doc = {
        "about": "PyTorch " + torch.__version__ + " torch.optim.NAdam (_single_tensor_nadam) in float64;"
                 " weight_decay is the coupled L2 penalty; p0 and grads are float32 values;"
                 " made by python/make_nadam_golden.py",
        "optimizers": {name: case(rng, *rest) for name, *rest in CASES},
    }
    with open(os.path.join(out_dir, "nadam_second.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
