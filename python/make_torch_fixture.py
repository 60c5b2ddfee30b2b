"""Writes the PyTorch-made test fixture of tests/src/test/resources/interop/.

torch_made.safetensors is a state_dict saved from PyTorch (no dnn metadata) for
the architecture in torch_made_spec.json, which covers every kind of layer
dnn has; torch_made_logits.csv holds PyTorch's float32 logits (eval mode) for
the rows of torch_made_inputs.csv. dnn's tests load the file with the spec and
compare, so CI checks this direction without PyTorch.

    python3 python/make_torch_fixture.py tests/src/test/resources/interop
"""

import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dnn_torch  # noqa: E402


def dense(i, o):
    return {"type": "dense", "inputs": i, "outputs": o,
            "weightInit": "GLOROT_UNIFORM", "biasInit": "ZEROS"}


def act(kind, alpha=0.0, lower=0.0, upper=0.0):
    return {"type": "activation", "kind": kind, "alpha": alpha, "lower": lower, "upper": upper}


SPEC = {
    "inputs": 12,
    "layers": [
        dense(12, 16), act("PRELU", 0.25),
        {"type": "batchnorm", "momentum": 0.1, "epsilon": 1e-5},
        {"type": "residual", "body": [dense(16, 16), act("SWISH")]},
        {"type": "maxout", "pieces": 2},
        dense(8, 8), act("ELU", 0.7),
        {"type": "dropout", "keepProbability": 0.8},
        dense(8, 8), act("RRELU", 0.0, 0.125, 1.0 / 3),
        dense(8, 8), act("SELU"), dense(8, 8), act("SOFTPLUS"), dense(8, 8), act("TANH"),
        dense(8, 8), act("SIGMOID"), dense(8, 8), act("ABS"), dense(8, 8), act("LEAKY_RELU", 0.05),
        dense(8, 8), act("RELU"), dense(8, 8), act("LINEAR"),
        dense(8, 5),
    ],
}


def main(out):
    torch.manual_seed(20261201)
    layers = dnn_torch.build(SPEC)
    with torch.no_grad():
        for m in layers.modules():
            if isinstance(m, torch.nn.BatchNorm1d):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.3, 0.3)
                m.num_batches_tracked.fill_(37)
            if isinstance(m, torch.nn.Linear) and m.in_features == 8:
                m.weight.mul_(2.5)  # keeps the rows apart through the squashing layers
                m.bias.uniform_(-0.5, 0.5)
            if isinstance(m, torch.nn.PReLU):
                m.weight.uniform_(-0.3, 0.6)
    model = torch.nn.Module()
    model.layers = layers
    model.eval()
    x = torch.randn(7, 12) * 2
    with torch.no_grad():
        logits = model.layers(x)
    dnn_torch.write_safetensors(
        os.path.join(out, "torch_made.safetensors"), model.state_dict(), {"format": "pt"})
    with open(os.path.join(out, "torch_made_spec.json"), "w") as f:
        json.dump(SPEC, f, indent=1)
    for name, t in (("torch_made_inputs.csv", x), ("torch_made_logits.csv", logits)):
        with open(os.path.join(out, name), "w") as f:
            for row in t.tolist():
                f.write(",".join(repr(v) for v in row) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
