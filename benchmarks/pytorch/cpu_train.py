"""PyTorch CPU yardstick for dnn's training throughput on Fashion-MNIST.

Trains the experiment's Tuned network (784-500-250-75-25-10, ReLU, He initialization, Adam 1e-3,
batch 512, softmax cross-entropy) for a few epochs on two threads, as `./dnn train` does by
default, and prints the training samples per second (the epochs after the first, which warms up).

    python3 benchmarks/pytorch/cpu_train.py [--data DIR] [--epochs 3] [--threads 2] [--json F]

--data is a directory with the four Fashion-MNIST IDX files (Debian's dataset-fashion-mnist
installs them in /usr/share/datasets/fashion-mnist); without the training files it uses the test
images bundled in dnn-api, as dnn does. Uses the standard library and torch only.

Before training it names the BLAS under torch and measures a 1024^3 SGEMM (blas_check.py), and
refuses to report below 50 GFLOP/s: Debian's python3-torch on the reference BLAS is a yardstick of
that library, not of PyTorch (install libopenblas0-pthread).
"""

import argparse
import gzip
import json
import os
import struct
import time

import torch

import blas_check

BUNDLED = os.path.join(
    os.path.dirname(__file__), "..", "..", "dnn-api", "src", "main", "resources", "dev", "dnn",
    "data", "fashion-mnist")


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    rank = magic & 0xFF
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    body = torch.frombuffer(bytearray(data[4 + 4 * rank:]), dtype=torch.uint8)
    return body.reshape(dims)


def find(directory, name):
    for candidate in (name + ".gz", name):
        path = os.path.join(directory, candidate)
        if os.path.isfile(path):
            return path
    return None


def load(directory):
    images = find(directory, "train-images-idx3-ubyte") if directory else None
    labels = find(directory, "train-labels-idx1-ubyte") if directory else None
    if images and labels:
        source = directory + " (training images)"
    else:
        images = find(BUNDLED, "t10k-images-idx3-ubyte")
        labels = find(BUNDLED, "t10k-labels-idx1-ubyte")
        source = "bundled test images"
    x = read_idx(images).reshape(-1, 784).float() / 255.0
    y = read_idx(labels).long()
    return x, y, source


def network():
    sizes = [784, 500, 250, 75, 25, 10]
    layers = []
    for i in range(len(sizes) - 1):
        linear = torch.nn.Linear(sizes[i], sizes[i + 1])
        if i < len(sizes) - 2:
            torch.nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
            layers += [linear, torch.nn.ReLU()]
        else:
            torch.nn.init.xavier_uniform_(linear.weight)
            layers.append(linear)
        torch.nn.init.zeros_(linear.bias)
    return torch.nn.Sequential(*layers)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=512)
    parser.add_argument("--json")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    blas = blas_check.require_fast_blas("cpu")
    torch.manual_seed(1)
    x, y, source = load(args.data)
    model = network()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    rates = []
    for epoch in range(args.epochs):
        order = torch.randperm(x.shape[0])
        start = time.perf_counter()
        total = 0.0
        for i in range(0, x.shape[0], args.batch):
            index = order[i:i + args.batch]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[index]), y[index])
            loss.backward()
            optimizer.step()
            total += loss.item()  # read back every step, as dnn's trainer does
        seconds = time.perf_counter() - start
        rates.append(x.shape[0] / seconds)
        print(f"epoch {epoch + 1}: {seconds:.2f} s, {rates[-1]:,.0f} samples/s, "
              f"mean loss {total / ((x.shape[0] + args.batch - 1) // args.batch):.4f}")
    steady = rates[1:] if len(rates) > 1 else rates
    result = {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "data": source,
        "examples": int(x.shape[0]),
        "samplesPerSecond": sum(steady) / len(steady),
        "epochSamplesPerSecond": rates,
        "blas": blas,
    }
    print(json.dumps(result))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
