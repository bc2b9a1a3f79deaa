#!/usr/bin/env python3
"""Writes the .npy and .safetensors fixtures read by the tests in io.jgrad.core.io.

Run from anywhere with NumPy and PyTorch installed:

    python3 core/src/test/python/make_io_fixtures.py

The files go to core/src/test/resources/io/. Values are simple functions of the element indices
(see value() below) so the Java tests recompute them with loops instead of storing expected data.
There is no safetensors package here: safetensors files are written from torch tensors by following
the format (8-byte little-endian header length, UTF-8 JSON header padded with spaces, then the
little-endian data buffer in C order).
"""

import json
import os
import struct

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "io")


def value(idx):
    """The fixture value at a multi-index: digits of the index plus a half, e.g. (1, 2, 3) -> 123.5.

    Tests recompute the same formula. Integer fixtures use int(value(idx)) - 50.
    """
    v = 0
    for i in idx:
        v = v * 10 + i
    return v + 0.5


def indexed(shape, dtype):
    a = np.empty(shape, dtype=dtype)
    for idx in np.ndindex(*shape):
        v = value(idx)
        a[idx] = int(v) - 50 if np.issubdtype(dtype, np.integer) else v
    return a


def save_npy(name, array, version=None):
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        if version is None:
            np.save(f, array, allow_pickle=False)
        else:
            np.lib.format.write_array(f, array, version=version, allow_pickle=False)
    # Check that the file holds what we meant: NumPy must read it back identically.
    back = np.load(path, allow_pickle=False)
    assert back.dtype == array.dtype and back.shape == array.shape
    assert np.array_equal(back, array, equal_nan=array.dtype.kind == "f")


# float16 values with zero signs, the largest finite half, the smallest normal and subnormal, infinities
# and NaN (compared by bits in the tests).
HALF_SPECIAL = [0.0, -0.0, 1.0, -2.5, 65504.0, 2.0 ** -14, 2.0 ** -24, -3 * 2.0 ** -24, float("inf"), -float("inf"),
                float("nan")]


def npy_fixtures():
    # C order, little-endian (the machine's native order).
    save_npy("f4_c.npy", indexed((2, 3, 4), "<f4"))
    save_npy("f8_c.npy", indexed((3, 5), "<f8"))
    save_npy("i4_c.npy", indexed((4, 3), "<i4"))
    save_npy("f4_1d.npy", indexed((7,), "<f4"))
    # Fortran order: the file stores the transpose's C order, the logical layout must not change.
    save_npy("f4_fortran.npy", np.asfortranarray(indexed((2, 3, 4), "<f4")))
    save_npy("f8_fortran.npy", np.asfortranarray(indexed((3, 5), "<f8")))
    save_npy("i4_fortran.npy", np.asfortranarray(indexed((4, 3), "<i4")))
    # Big-endian.
    save_npy("f4_be.npy", indexed((2, 3), ">f4"))
    save_npy("f8_be.npy", indexed((2, 3), ">f8"))
    save_npy("i4_be.npy", indexed((2, 3), ">i4"))
    save_npy("f8_be_fortran.npy", np.asfortranarray(indexed((3, 2), ">f8")))
    # 0-d and empty.
    save_npy("f4_scalar.npy", np.array(2.5, dtype="<f4"))
    save_npy("i4_scalar.npy", np.array(-7, dtype="<i4"))
    save_npy("f4_empty.npy", np.zeros((0, 3), dtype="<f4"))
    save_npy("f8_empty_fortran.npy", np.asfortranarray(np.zeros((2, 0, 3), dtype="<f8")))
    # Special values, integer extremes.
    save_npy("f4_special.npy", np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-45, 3.4028235e38], dtype="<f4"))
    save_npy("i4_extremes.npy", np.array([-2147483648, -1, 0, 1, 2147483647], dtype="<i4"))
    # Format versions 2.0 and 3.0 (NumPy writes them for huge or non-Latin-1 headers).
    save_npy("f4_v2.npy", indexed((2, 3), "<f4"), version=(2, 0))
    save_npy("f4_v3.npy", indexed((2, 3), "<f4"), version=(3, 0))
    # int64, bool and float16 (jgrad's INT64, BOOL and FLOAT16).
    save_npy("i8.npy", indexed((3,), "<i8"))
    save_npy("b1.npy", np.array([True, False]))
    save_npy("i8_extremes.npy", np.array([[-(2 ** 63), -1, 0], [1, 2 ** 53 + 1, 2 ** 63 - 1]], dtype="<i8"))
    save_npy("i8_be_fortran.npy", np.asfortranarray(indexed((3, 2), ">i8")))
    save_npy("b1_2d.npy", np.array([[True, False, False], [False, True, True]]))
    save_npy("f2_special.npy", np.array(HALF_SPECIAL, dtype="<f2"))
    save_npy("f2_be.npy", indexed((2, 3), ">f2"))
    # Dtypes jgrad does not read.
    save_npy("c8.npy", np.array([1 + 2j], dtype="<c8"))
    save_npy("u4.npy", np.array([1, 2], dtype="<u4"))
    save_npy("structured.npy", np.zeros(2, dtype=[("x", "<f4"), ("y", "<i4")]))


ST_DTYPES = {
    torch.float32: "F32",
    torch.float64: "F64",
    torch.int32: "I32",
    torch.float16: "F16",
    torch.bfloat16: "BF16",
    torch.int16: "I16",
    torch.int8: "I8",
    torch.uint8: "U8",
    torch.int64: "I64",
    torch.bool: "BOOL",
}


def tensor_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        # NumPy has no bfloat16: reinterpret the 16-bit patterns.
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    a = t.numpy()
    return a.astype(a.dtype.newbyteorder("<")).tobytes()


def save_safetensors(name, tensors, metadata=None, **dumps_args):
    """Writes tensors in the given order; the header is JSON padded with spaces to 8 bytes."""
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    blobs = []
    offset = 0
    for key, t in tensors.items():
        data = tensor_bytes(t)
        header[key] = {"dtype": ST_DTYPES[t.dtype], "shape": list(t.shape),
                       "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if not dumps_args:
        dumps_args = {"separators": (",", ":")}
    text = json.dumps(header, **dumps_args).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for data in blobs:
            f.write(data)


def indexed_torch(shape, dtype):
    integer = not dtype.is_floating_point
    a = indexed(shape, "<i4" if integer else "<f8")
    return torch.from_numpy(a).to(dtype)


def safetensors_fixtures():
    # Values exactly representable in half precision and bfloat16, including zero signs,
    # the largest finite half, the smallest normal and subnormal halves, and infinities.
    halves = [0.0, -0.0, 1.0, -2.5, 65504.0, 2.0 ** -14, 2.0 ** -24, 3 * 2.0 ** -24, float("inf"), -float("inf")]
    bfloats = [1.0, -3.5, 2.0 ** 100, -(2.0 ** -130), 0.0078125, float("inf"), 1.5 * 2.0 ** 127]
    torch_tensors = {
        "f32": indexed_torch((2, 3), torch.float32),
        "f64": indexed_torch((3,), torch.float64),
        "i32": indexed_torch((2, 2), torch.int32),
        "f16": torch.tensor(halves, dtype=torch.float16),
        "bf16": torch.tensor(bfloats, dtype=torch.bfloat16),
        "scalar": torch.tensor(4.25, dtype=torch.float32),
        "empty": torch.zeros((0, 4), dtype=torch.float32),
        # A non-contiguous source: saved in C order of its logical layout.
        "transposed": indexed_torch((3, 2), torch.float32).t(),
        "i16": indexed_torch((3,), torch.int16),
        "i8": indexed_torch((3,), torch.int8),
        "u8": torch.tensor([0, 1, 200, 255], dtype=torch.uint8),
    }
    # The 16-bit values must be exact so the tests can compare with the Python literals above.
    assert torch_tensors["f16"].float().tolist() == halves
    assert torch_tensors["bf16"].float().tolist() == bfloats
    save_safetensors("torch_mixed.safetensors", torch_tensors,
                     metadata={"format": "pt", "note": "caf\u00e9 \"quoted\"\n\ttab"})
    # json.dumps' default separators add spaces, and ensure_ascii writes \\u escapes (here a surrogate pair).
    save_safetensors("torch_spaced.safetensors",
                     {"w\u00e9ight \U0001F600": indexed_torch((2, 2), torch.float32),
                      "b": indexed_torch((2,), torch.float64)},
                     metadata={"k": "v"}, separators=(", ", ": "), ensure_ascii=True)
    save_safetensors("torch_no_metadata.safetensors", {"x": indexed_torch((4,), torch.int32)})
    save_safetensors("torch_i64.safetensors",
                     {"ok": indexed_torch((2,), torch.float32), "idx": indexed_torch((2,), torch.int64)})
    save_safetensors("torch_bool.safetensors", {"mask": torch.tensor([True, False, True])})
    # INT64, BOOL, F16 and BF16 as PyTorch holds them; the 16-bit ones converted by PyTorch from float32.
    src = torch.tensor([0.1, -1.0 / 3, 1e-5, 7e-8, 70000.0, 3.0e38, -0.0, float("nan")], dtype=torch.float32)
    save_safetensors("torch_new_dtypes.safetensors", {
        "i64": torch.tensor([[-(2 ** 63), -1, 0], [1, 2 ** 53 + 1, 2 ** 63 - 1]], dtype=torch.int64),
        "mask": torch.tensor([[True, False, False], [False, True, True]]),
        "f16": src.to(torch.float16),
        "bf16": src.to(torch.bfloat16),
        "f32": src,
    }, metadata={"format": "pt"})


def half_bits(t, dtype):
    return t.to(dtype).view(torch.int16).numpy().astype(np.uint16)


def conversion_fixtures():
    """half_conversions.txt: float32 (or float64) inputs and the bits PyTorch's CPU conversion gives.

    Lines are `f32 <input float32 bits> <float16 bits> <bfloat16 bits>` or
    `f64 <input float64 bits> <float16 bits> <bfloat16 bits>`, all in hex.
    """
    f32 = [0.0, -0.0, 1.0, -1.0, 65504.0, 65519.0, 65519.996, 65520.0, 65536.0, 1e10, -1e10, 3.4028235e38,
           float("inf"), -float("inf"), 2.0 ** -14, 2.0 ** -24, 2.0 ** -25, 2.0 ** -25 * 1.0000001, 3 * 2.0 ** -25,
           5 * 2.0 ** -25, 2.0 ** -14 - 2.0 ** -25, 2.0 ** -14 - 2.0 ** -26, 1e-45, -1e-40, 1.0 + 2.0 ** -11,
           1.0 + 3 * 2.0 ** -11, 1.0 + 2.0 ** -8, 1.0 + 3 * 2.0 ** -8, 1.0 + 2.0 ** -11 + 2.0 ** -20, 0.1, -0.3,
           1.0 / 3, 2.0 ** 100, -(2.0 ** -130), 6.1e-5, 5.96e-8]
    bits = list(np.array(f32, dtype=np.float32).view(np.uint32))
    # NaNs with several payloads and both signs
    bits += [0x7FC00000, 0xFFC00000, 0x7F800001, 0xFF812345, 0x7FFFFFFF, 0x7FA00000]
    # every exponent, with random mantissas and signs
    rng = np.random.default_rng(20240607)
    bits += list(rng.integers(0, 2 ** 32, size=3000, dtype=np.uint64).astype(np.uint32))
    bits += [(e << 23) | int(m) for e in range(0, 256) for m in rng.integers(0, 2 ** 23, size=4)]
    arr = np.array(bits, dtype=np.uint32)
    t = torch.from_numpy(arr.view(np.float32).copy())
    h = half_bits(t, torch.float16)
    b = half_bits(t, torch.bfloat16)
    lines = ["# float32 or float64 input bits, then PyTorch %s's float16 and bfloat16 bits (CPU)" % torch.__version__]
    for x, hh, bb in zip(arr, h, b):
        lines.append("f32 %08x %04x %04x" % (x, hh, bb))
    # float64 inputs: PyTorch rounds through float32 first (a double rounding these values expose)
    f64 = [1.0 + 2.0 ** -11 + 2.0 ** -40, 1.0 + 2.0 ** -8 + 2.0 ** -40, 65519.99999999, 1e300, -1e-300, 0.1,
           2.0 ** -25 + 2.0 ** -60, float("nan")]
    d = torch.tensor(f64, dtype=torch.float64)
    for x, hh, bb in zip(np.array(f64, dtype=np.float64).view(np.uint64), half_bits(d, torch.float16),
                         half_bits(d, torch.bfloat16)):
        lines.append("f64 %016x %04x %04x" % (x, hh, bb))
    with open(os.path.join(OUT, "half_conversions.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    npy_fixtures()
    safetensors_fixtures()
    conversion_fixtures()


if __name__ == "__main__":
    main()
