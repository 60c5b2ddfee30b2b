"""The BLAS under a PyTorch yardstick, named and measured before any yardstick figure is printed.

Debian's python3-torch is built with BLAS_INFO=generic: its CPU GEMM calls whatever libblas.so.3
the system's alternatives select. Without libopenblas0-pthread that is the reference BLAS (Netlib,
3 to 6 GFLOP/s on a 1024^3 SGEMM on the project's machine), and a "PyTorch" figure then measures that library, not
PyTorch. So every script under benchmarks/pytorch/ calls require_fast_blas() first: it prints
torch's build configuration, the BLAS_INFO line, the libblas.so.3 alternative and the BLAS library
actually mapped into the process, measures a 1024^3 SGEMM (best of ten), and exits non-zero
below 50 GFLOP/s. Uses the standard library and torch only.
"""

import ctypes
import os
import re
import shutil
import subprocess
import sys
import time

import torch

FLOOR_GFLOPS = 50.0
FIX = ("on the project's machine OpenBLAS reaches 190 to 330 GFLOP/s, the reference BLAS "
       "(Netlib, /usr/lib/x86_64-linux-gnu/blas/libblas.so.3) 3 to 6, and a yardstick on the "
       "latter times that library rather than PyTorch. Install the tuned one and run again: "
       "apt-get install libopenblas0-pthread (it takes over the libblas.so.3 alternative)")


def blas_info():
    """The BLAS_INFO=... setting from torch's build configuration, or 'unknown'."""
    found = re.search(r"\bBLAS_INFO=([^,\s]+)", torch.__config__.show())
    return found.group(1) if found else "unknown"


def openblas_core(paths):
    """OpenBLAS's own account of itself (version, and the kernel it chose for this CPU), if mapped.

    OPENBLAS_CORETYPE in the environment overrides the choice: Haswell (AVX2) kernels on an
    AVX-512 processor run at about half the SkylakeX ones' rate.
    """
    for path in paths:
        if "openblas" in os.path.basename(path).lower():
            try:
                lib = ctypes.CDLL(path)
                lib.openblas_get_config.restype = ctypes.c_char_p
                lib.openblas_get_corename.restype = ctypes.c_char_p
                return (lib.openblas_get_config().decode() + "; core "
                        + lib.openblas_get_corename().decode())
            except (OSError, AttributeError) as e:
                return "OpenBLAS mapped, not queryable: " + str(e)
    return "no OpenBLAS mapped"


def libblas_alternative():
    """What update-alternatives selects for libblas.so.3 (Debian), or why that is not known."""
    tool = shutil.which("update-alternatives")
    if tool is None:
        return "no update-alternatives here"
    try:
        out = subprocess.run([tool, "--query", "libblas.so.3-x86_64-linux-gnu"],
                             capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError) as e:
        return "update-alternatives failed: " + str(e)
    for line in out.splitlines():
        if line.startswith("Value:"):
            return line.split(":", 1)[1].strip()
    return "no libblas.so.3 alternative registered"


def mapped_blas():
    """The BLAS/LAPACK/MKL libraries mapped into this process (read after a matmul has run)."""
    found = []
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                name = os.path.basename(path).lower()
                if any(k in name for k in ("blas", "mkl", "lapack", "blis")) and path not in found:
                    found.append(path)
    except OSError:
        return ["/proc/self/maps not readable"]
    return found or ["none (a BLAS linked statically into libtorch, or not loaded yet)"]


def sgemm_gflops(device="cpu", n=1024, repeats=10):
    """The best rate of an n x n x n float32 matmul on device over a few runs, in GFLOP/s."""
    a = torch.rand(n, n, device=device)
    b = torch.rand(n, n, device=device)
    torch.mm(a, b)  # loads the library, warms its threads
    best = float("inf")
    for _ in range(repeats):
        if device != "cpu":
            torch.cuda.synchronize()
        start = time.perf_counter()
        torch.mm(a, b)
        if device != "cpu":
            torch.cuda.synchronize()
        best = min(best, time.perf_counter() - start)
    return 2.0 * n * n * n / best / 1e9


def require_fast_blas(device="cpu"):
    """Prints the BLAS in use and its measured SGEMM rate; exits 3 below FLOOR_GFLOPS.

    Returns a dict of what it found, for the caller's JSON result. Call after
    torch.set_num_threads, so the rate is measured on the threads the yardstick will use.
    """
    print("torch " + torch.__version__ + " build configuration:")
    print(torch.__config__.show().rstrip())
    rate = sgemm_gflops(device)
    found = {
        "torch": torch.__version__,
        "blasInfo": blas_info(),
        "libblasAlternative": libblas_alternative(),
        "mappedBlas": mapped_blas(),
        "openblas": openblas_core(mapped_blas()),
        "openblasEnvironment": {k: v for k, v in os.environ.items() if k.startswith("OPENBLAS_")},
        "sgemmDevice": device,
        "sgemmThreads": torch.get_num_threads(),
        "sgemm1024Gflops": round(rate, 1),
    }
    print("BLAS_INFO=" + found["blasInfo"])
    print("libblas.so.3 alternative: " + found["libblasAlternative"])
    print("BLAS mapped in this process: " + ", ".join(found["mappedBlas"]))
    print("OpenBLAS: " + found["openblas"] + "; environment "
          + (" ".join(f"{k}={v}" for k, v in found["openblasEnvironment"].items()) or "none"))
    print(f"SGEMM 1024^3 on {device}, {found['sgemmThreads']} threads, best of 10: "
          f"{rate:.1f} GFLOP/s", flush=True)
    if "OPENBLAS_CORETYPE" in os.environ:
        print("note: OPENBLAS_CORETYPE=" + os.environ["OPENBLAS_CORETYPE"] + " overrides the kernel "
              "OpenBLAS would pick for this CPU (on the project's AVX-512 machine: about 190 GFLOP/s "
              "with Haswell's kernels, 300 to 330 with the Cooperlake ones it picks itself); unset "
              "it to measure PyTorch at its best")
    if rate < FLOOR_GFLOPS:
        print(f"refusing to report a yardstick: SGEMM {rate:.1f} GFLOP/s is below "
              f"{FLOOR_GFLOPS:.0f} GFLOP/s; " + FIX, file=sys.stderr)
        sys.exit(3)
    return found
