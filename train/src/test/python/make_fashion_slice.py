#!/usr/bin/env python3
"""Makes the small Fashion-MNIST fixtures of the IDX reader tests.

Usage: make_fashion_slice.py FASHION_MNIST_DIR OUT_DIR

FASHION_MNIST_DIR holds the four original gzip IDX files of Fashion-MNIST (Zalando SE, MIT licence,
https://github.com/zalandoresearch/fashion-mnist). Writes into OUT_DIR:

- t10k-images-idx3-ubyte.gz / t10k-labels-idx1-ubyte.gz: the first 100 test images and labels, as
  valid IDX files (header count set to 100);
- train-images-head-idx3-ubyte.gz / train-labels-head-idx1-ubyte.gz: the first bytes of the original
  training files, header untouched (60000 images, 28x28), data cut after 2 images / 10 labels;
- fashion-slice-expected.txt: independent reference values computed here with NumPy: per image of
  the slice its label, the sum of its 784 raw pixel values and the raw value of pixel (row 14, col 14).
"""
import gzip
import struct
import sys
from pathlib import Path

import numpy as np

N = 100


def main() -> None:
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    images = gzip.decompress((src / "t10k-images-idx3-ubyte.gz").read_bytes())
    labels = gzip.decompress((src / "t10k-labels-idx1-ubyte.gz").read_bytes())
    magic, n, rows, cols = struct.unpack(">IIII", images[:16])
    assert magic == 0x803 and rows == 28 and cols == 28, (magic, rows, cols)
    lmagic, ln = struct.unpack(">II", labels[:8])
    assert lmagic == 0x801 and ln == n

    img = np.frombuffer(images, dtype=np.uint8, offset=16).reshape(n, 28, 28)[:N]
    lab = np.frombuffer(labels, dtype=np.uint8, offset=8)[:N]

    # mtime=0 keeps the files byte-identical from run to run
    def gz(path: Path, data: bytes) -> None:
        path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))

    gz(out / "t10k-images-idx3-ubyte.gz", struct.pack(">IIII", 0x803, N, 28, 28) + img.tobytes())
    gz(out / "t10k-labels-idx1-ubyte.gz", struct.pack(">II", 0x801, N) + lab.tobytes())

    train_images = gzip.decompress((src / "train-images-idx3-ubyte.gz").read_bytes())
    train_labels = gzip.decompress((src / "train-labels-idx1-ubyte.gz").read_bytes())
    gz(out / "train-images-head-idx3-ubyte.gz", train_images[:16 + 2 * 784])
    gz(out / "train-labels-head-idx1-ubyte.gz", train_labels[:8 + 10])

    with open(out / "fashion-slice-expected.txt", "w") as f:
        f.write("# index label pixel_sum pixel_14_14 (raw 0..255 values of the first 100 t10k images)\n")
        for i in range(N):
            f.write(f"{i} {int(lab[i])} {int(img[i].astype(np.int64).sum())} {int(img[i, 14, 14])}\n")


if __name__ == "__main__":
    main()
