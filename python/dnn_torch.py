"""Use dnn model files from PyTorch (standard library and torch only).

A dnn model file is a safetensors file in PyTorch's layout: its tensors are the
state_dict of the module this script builds from the architecture recorded in
the file's metadata, so they load with ``load_state_dict(..., strict=True)``.

    import dnn_torch
    model = dnn_torch.load("fashion.safetensors")       # torch.nn.Module, eval mode
    probabilities = model(raw_inputs).softmax(dim=1)    # raw_inputs: pixel values 0-255

``model(x)`` applies the recorded input scaling and preprocessing to raw
features first (as ``dnn predict`` does), then ``model.layers``. The other
direction: ``save(module, path, spec)`` writes a module's state_dict as a
safetensors file that ``ModelFile.load(path, spec, backend)`` and
``dnn evaluate --model F --spec S`` read.

Command line (used by the tests):
    python3 dnn_torch.py predict MODEL INPUTS    one predicted class per line
    python3 dnn_torch.py logits MODEL INPUTS     logits, comma-separated
INPUTS: IDX images (t10k-images-idx3-ubyte[.gz], raw pixel values) or a CSV
file of raw features, one example per line, as dnn predict reads them.
"""

import gzip
import json
import struct
import sys

import torch
from torch import nn

_DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}
_NAMES = {v: k for k, v in _DTYPES.items()}


def read_safetensors(path):
    """Returns (dict of tensors, metadata dict) of a safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length].decode("utf-8"))
    metadata = header.pop("__metadata__", {}) or {}
    body = data[8 + length :]
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        dtype = _DTYPES[entry["dtype"]]
        flat = torch.frombuffer(bytearray(body[begin:end]), dtype=dtype)
        tensors[name] = flat.reshape(entry["shape"]).clone()
    return tensors, metadata


def write_safetensors(path, tensors, metadata=None):
    """Writes a dict of tensors (float32, float64 or int64) as a safetensors file."""
    header = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    chunks = []
    offset = 0
    for name, tensor in tensors.items():
        t = tensor.detach().contiguous().cpu()
        raw = t.numpy().tobytes() if t.dim() else t.reshape(1).numpy().tobytes()
        header[name] = {
            "dtype": _NAMES[t.dtype],
            "shape": list(t.shape),
            "data_offsets": [offset, offset + len(raw)],
        }
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in chunks:
            f.write(raw)


class Abs(nn.Module):
    """Absolute-value rectification."""

    def forward(self, x):
        return x.abs()


class Maxout(nn.Module):
    """Maximum over groups of ``pieces`` consecutive features."""

    def __init__(self, pieces):
        super().__init__()
        self.pieces = pieces

    def forward(self, x):
        return x.reshape(x.shape[0], -1, self.pieces).amax(dim=2)


class Residual(nn.Module):
    """x + body(x)."""

    def __init__(self, body):
        super().__init__()
        self.body = body

    def forward(self, x):
        return x + self.body(x)


class Preprocess(nn.Module):
    """(x * input_scale - offset) * scale; buffers not in the state_dict."""

    def __init__(self, input_scale, offset, scale):
        super().__init__()
        self.register_buffer("input_scale", torch.tensor(float(input_scale)), persistent=False)
        self.register_buffer("offset", torch.tensor(offset, dtype=torch.float32), persistent=False)
        self.register_buffer("scale", torch.tensor(scale, dtype=torch.float32), persistent=False)

    def forward(self, x):
        return (x * self.input_scale - self.offset) * self.scale


class TargetScale(nn.Module):
    """z / scale + offset: a regression model's answers in the target's units; not in the state_dict."""

    def __init__(self, offset, scale):
        super().__init__()
        self.register_buffer("offset", torch.tensor(offset, dtype=torch.float32), persistent=False)
        self.register_buffer("scale", torch.tensor(scale, dtype=torch.float32), persistent=False)

    def forward(self, z):
        return z / self.scale + self.offset


class DnnModel(nn.Module):
    """A dnn model: ``layers`` (nn.Sequential) after ``preprocess`` of the raw inputs, then
    ``target`` (identity, or a regression model's target scaling undone)."""

    def __init__(self, layers, preprocess, classes=(), loss=None, target=None, columns=()):
        super().__init__()
        self.preprocess = preprocess
        self.layers = layers
        self.target = target if target is not None else nn.Identity()
        self.classes = list(classes)
        self.loss = loss
        self.columns = list(columns)

    def forward(self, x):
        return self.target(self.layers(self.preprocess(x)))


def _activation(spec, width):
    kind = spec["kind"]
    alpha = spec.get("alpha", 0.0)
    if kind == "LINEAR":
        return nn.Identity()
    if kind == "SIGMOID":
        return nn.Sigmoid()
    if kind == "TANH":
        return nn.Tanh()
    if kind == "RELU":
        return nn.ReLU()
    if kind == "LEAKY_RELU":
        return nn.LeakyReLU(alpha)
    if kind == "PRELU":
        return nn.PReLU(num_parameters=width, init=alpha)
    if kind == "RRELU":
        return nn.RReLU(spec["lower"], spec["upper"])
    if kind == "ELU":
        return nn.ELU(alpha)
    if kind == "SELU":
        return nn.SELU()
    if kind == "SOFTPLUS":
        return nn.Softplus()
    if kind == "SWISH":
        return nn.SiLU()
    if kind == "ABS":
        return Abs()
    raise ValueError("unknown activation kind " + kind)


def _layers(specs, width):
    modules = []
    for spec in specs:
        kind = spec["type"]
        if kind == "dense":
            modules.append(nn.Linear(spec["inputs"], spec["outputs"]))
            width = spec["outputs"]
        elif kind == "activation":
            modules.append(_activation(spec, width))
        elif kind == "dropout":
            modules.append(nn.Dropout(1.0 - spec["keepProbability"]))
        elif kind == "batchnorm":
            modules.append(nn.BatchNorm1d(width, eps=spec["epsilon"], momentum=spec["momentum"]))
        elif kind == "maxout":
            modules.append(Maxout(spec["pieces"]))
            width //= spec["pieces"]
        elif kind == "residual":
            body, _ = _layers(spec["body"], width)
            modules.append(Residual(body))
        else:
            raise ValueError("unknown layer type " + kind)
    return nn.Sequential(*modules), width


def build(spec):
    """The torch.nn.Sequential of an architecture (dict or JSON text of dnn.spec)."""
    if isinstance(spec, str):
        spec = json.loads(spec)
    return _layers(spec["layers"], spec["inputs"])[0]


def load(path):
    """Builds the model a dnn file describes and loads its weights with strict=True."""
    tensors, metadata = read_safetensors(path)
    if metadata.get("dnn.format") not in ("dnn-model/2", "dnn-model/3"):
        raise ValueError(
            path + ": not a dnn-model/2 or /3 file (format %r)" % metadata.get("dnn.format"))
    spec = json.loads(metadata["dnn.spec"])
    inputs = spec["inputs"]
    offset, scale = [0.0] * inputs, [1.0] * inputs
    if "dnn.preprocessing" in metadata:
        params = json.loads(metadata["dnn.preprocessing"])
        offset, scale = params["offset"], params["scale"]
    preprocess = Preprocess(float(metadata.get("dnn.input_scale", 1.0)), offset, scale)
    classes = json.loads(metadata.get("dnn.classes", "[]"))
    target = None
    if "dnn.target_scaling" in metadata:
        t = json.loads(metadata["dnn.target_scaling"])
        target = TargetScale(t["offset"], t["scale"])
    # Text columns come as their one-hot codes, in this order (inputs named column=category).
    columns = json.loads(metadata.get("dnn.columns", "[]"))
    model = DnnModel(
        build(spec), preprocess, classes, metadata.get("dnn.loss"), target, columns)
    model.load_state_dict(tensors, strict=True)
    return model.eval()


def save(module, path, spec=None):
    """Writes ``module.state_dict()`` (a module with ``layers``) for dnn to load."""
    metadata = {"dnn.spec": json.dumps(spec)} if spec is not None else None
    write_safetensors(path, module.state_dict(), metadata)


def read_inputs(path):
    """Raw examples as dnn predict reads them: IDX images (pixel values, .gz or not) or CSV."""
    if path.endswith(".csv"):
        rows = []
        with open(path) as f:
            for line in f:
                cells = line.strip().split(",")
                try:
                    rows.append([float(v) for v in cells])
                except ValueError:
                    if rows:
                        raise
                    # a header line
        return torch.tensor(rows, dtype=torch.float32)
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, rank = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(path + ": not an IDX file of unsigned bytes")
    dims = struct.unpack(">" + "I" * rank, data[4 : 4 + 4 * rank])
    pixels = torch.frombuffer(bytearray(data[4 + 4 * rank :]), dtype=torch.uint8)
    return pixels.reshape(dims[0], -1).to(torch.float32)


def main(argv):
    if len(argv) != 4 or argv[1] not in ("predict", "logits"):
        print(__doc__, file=sys.stderr)
        return 2
    model = load(argv[2])
    with torch.no_grad():
        out = model(read_inputs(argv[3]))
    if argv[1] == "predict":
        for label in out.argmax(dim=1).tolist():
            print(label)
    else:
        for row in out.tolist():
            print(",".join(repr(v) for v in row))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
