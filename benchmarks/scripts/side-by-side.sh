#!/bin/sh
# Runs jgrad's workloads and PyTorch's peer script (torch_bench.py) alternately, ROUNDS times,
# and appends every result line, with the time and load average, to a log.
#
#   benchmarks/scripts/side-by-side.sh TORCH_BENCH_PY FASHION_MNIST_DIR [ROUNDS] [WORKLOADS...]
#
# WORKLOADS defaults to "gemm mlp cnn lstm attn". Set TORCH_LD_LIBRARY_PATH to run the PyTorch
# side with another BLAS (e.g. OpenBLAS's directory); set THREADS (default 2) for both sides.
# Summarise the log with benchmarks/scripts/summarise.py.
set -eu
PEER=$1; DATA=$2; ROUNDS=${3:-3}; shift 2; [ $# -gt 0 ] && shift
WORKLOADS=${*:-gemm mlp cnn lstm attn}
THREADS=${THREADS:-2}
HERE=$(cd "$(dirname "$0")/../.." && pwd)
JAR="$HERE/benchmarks/target/jgrad-benchmarks.jar"
LOG=${LOG:-side-by-side.log}
JAVA=${JAVA:-java}
# peak RSS needs GNU time (Debian package "time"); without it the runs go on without that figure
if [ -x /usr/bin/time ]; then TIME="/usr/bin/time -f peak_rss_kb=%M"; else TIME=""; fi
echo "# $(date -u +%FT%TZ) $(uname -m) $(nproc) cpus; $($JAVA -version 2>&1 | head -1); threads=$THREADS" >> "$LOG"
r=1
while [ "$r" -le "$ROUNDS" ]; do
  for w in $WORKLOADS; do
    # alternate which library goes first so neither always gets the cooler machine
    if [ $((r % 2)) -eq 1 ]; then order="jgrad torch"; else order="torch jgrad"; fi
    for who in $order; do
      load=$(cut -d' ' -f1 /proc/loadavg)
      if [ "$who" = jgrad ]; then
        out=$($TIME "$JAVA" --add-modules jdk.incubator.vector -jar "$JAR" \
              "$w" --threads "$THREADS" --data "$DATA" 2>&1 | grep -E '^(gemm|mlp|cnn|lstm|transformer|peak)' | tr '\n' ' ')
      else
        out=$(THREADS=$THREADS FMNIST=$DATA LD_LIBRARY_PATH=${TORCH_LD_LIBRARY_PATH:-} \
              $TIME /usr/bin/python3 "$PEER" "$w" 1 2>&1 \
              | grep -E '^(gemm|mlp|cnn|lstm|transformer|peak)' | tr '\n' ' ')
      fi
      echo "round=$r who=$who workload=$w load=$load $out" | tee -a "$LOG"
    done
  done
  r=$((r + 1))
done
