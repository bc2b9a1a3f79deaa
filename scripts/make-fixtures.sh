#!/usr/bin/env bash
# Regenerates every PyTorch fixture of the test suites in place, with Debian's PyTorch 1.13:
#   apt-get install -y python3-torch libopenblas0-pthread
#   scripts/make-fixtures.sh [FASHION_MNIST_DIR]
# then `git diff --stat` shows which fixtures changed. Tests read the committed files and never need
# Python. With FASHION_MNIST_DIR (the four gzip IDX files) the IDX reader's Fashion-MNIST slice is
# rewritten too.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-/usr/bin/python3}
"$PY" -c 'import torch' 2>/dev/null || { echo "make-fixtures: $PY cannot import torch" >&2; exit 1; }
run() { echo "make-fixtures: $*" >&2; "$PY" "$@"; }

# scripts that take their output directory as the first argument
run autograd/src/test/python/make_fixtures.py autograd/src/test/resources/torch
run optim/src/test/python/make_fixtures.py optim/src/test/resources/torch
for s in layer sequence second_order transformer resampling; do
  run "layers/src/test/python/make_${s}_fixtures.py" layers/src/test/resources/torch
done
# the GAN tests share one second-order fixture with the layer tests
cp layers/src/test/resources/torch/SECOND_wgan_gp_conv.txt models/src/test/resources/torch/
# scripts that know their output directory
for s in core pad io; do
  run "core/src/test/python/make_${s}_fixtures.py"
done
(cd core/src/test/resources/conv && run generate_fixtures.py)
if [ $# -ge 1 ]; then
  run train/src/test/python/make_fashion_slice.py "$1" train/src/test/resources/data
fi
echo "make-fixtures: done; see git status" >&2
