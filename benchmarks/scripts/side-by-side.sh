#!/bin/sh
# Runs jgrad's workloads and PyTorch's peer script (torch_bench.py) alternately, ROUNDS times,
# and appends every result line, with the time and load average, to a log.
#
#   benchmarks/scripts/side-by-side.sh TORCH_BENCH_PY FASHION_MNIST_DIR [ROUNDS] [WORKLOADS...]
#
# WORKLOADS defaults to "gemm mlp cnn lstm attn infer"; PyTorch's side of "infer" (batch-1 inference
# latency) is benchmarks/scripts/torch_infer.py, of the others TORCH_BENCH_PY. The peer is PyTorch
# as its users run it: Debian's python3-torch with an optimized BLAS (`apt-get install -y python3-torch libopenblas0-pthread`).
# Before any run the script checks that PyTorch's float32 matrix product really uses it (a 1024 x 1024
# product must take under 30 ms on THREADS threads, and the BLAS library it loaded is named), and stops
# with a message if not; SKIP_BLAS_CHECK=1 turns that off (for example to measure the reference BLAS on
# purpose). The log starts with the CPU (model, ISA: AVX-512 or AVX2, cores), the JDK and the BLAS.
# Set TORCH_LD_LIBRARY_PATH to run the PyTorch side with another BLAS directory; THREADS (default 2)
# for both sides; JAR to measure another jgrad benchmarks jar. BASELINE_JAR adds a third runner,
# "baseline" (another build's benchmarks jar, for a before/after comparison in the same sitting); the
# order of the runners is reversed every other round. Summarise the log with
# benchmarks/scripts/summarise.py.
set -eu
PEER=$1; DATA=$2; ROUNDS=${3:-3}; shift 2; [ $# -gt 0 ] && shift
WORKLOADS=${*:-gemm mlp cnn lstm attn infer}
THREADS=${THREADS:-2}
HERE=$(cd "$(dirname "$0")/../.." && pwd)
JAR=${JAR:-"$HERE/benchmarks/target/jgrad-benchmarks.jar"}
LOG=${LOG:-side-by-side.log}
JAVA=${JAVA:-java}
# peak RSS needs GNU time (Debian package "time"); without it the runs go on without that figure
if [ -x /usr/bin/time ]; then TIME="/usr/bin/time -f peak_rss_kb=%M"; else TIME=""; fi
# the CPU: model, vector ISA, cores
CPU_MODEL="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1) (family $(sed -n 's/^cpu family[[:space:]]*: //p' /proc/cpuinfo | head -1) model $(sed -n 's/^model[[:space:]]*: //p' /proc/cpuinfo | head -1))"
if grep -qw avx512f /proc/cpuinfo; then ISA=AVX-512; elif grep -qw avx2 /proc/cpuinfo; then ISA=AVX2; else ISA=SSE; fi
# the peer's BLAS: which library torch loaded, and how fast a 1024 x 1024 float32 product runs
BLAS=$(THREADS=$THREADS LD_LIBRARY_PATH=${TORCH_LD_LIBRARY_PATH:-} /usr/bin/python3 - <<'PY'
import os, re, time, torch
torch.set_num_threads(int(os.environ.get("THREADS", "2")))
a = torch.randn(1024, 1024); b = torch.randn(1024, 1024)
for _ in range(3):
    a @ b
times = []
for _ in range(5):
    t = time.perf_counter(); a @ b; times.append(time.perf_counter() - t)
libs = sorted({os.path.basename(l.split()[-1]) for l in open("/proc/self/maps")
               if re.search(r"lib(open)?blas|libblis|libmkl", l)})
ms = sorted(times)[2] * 1e3
print(f"blas={'+'.join(libs) or 'unknown'} sgemm1024_ms={ms:.1f} gflops={2 * 1024**3 / ms / 1e6:.1f}")
PY
) || { echo "side-by-side: could not run PyTorch with /usr/bin/python3 (apt-get install -y python3-torch libopenblas0-pthread)" >&2; exit 1; }
MS=$(echo "$BLAS" | sed -n 's/.*sgemm1024_ms=\([0-9.]*\).*/\1/p')
if [ "${SKIP_BLAS_CHECK:-0}" != 1 ] && awk -v ms="$MS" 'BEGIN { exit !(ms >= 30) }'; then
  echo "side-by-side: PyTorch's 1024 x 1024 float32 product took $MS ms on $THREADS threads ($BLAS):" >&2
  echo "  it is not using an optimized BLAS. Install one: apt-get install -y libopenblas0-pthread" >&2
  echo "  (or point TORCH_LD_LIBRARY_PATH at it); SKIP_BLAS_CHECK=1 measures it anyway." >&2
  exit 1
fi
echo "# $(date -u +%FT%TZ) $(uname -m) cpu=\"$CPU_MODEL\" isa=$ISA cores=$(nproc); $($JAVA -version 2>&1 | head -1); threads=$THREADS; torch $BLAS" | tee -a "$LOG"
# the batch-1 inference workload's PyTorch side is this repository's torch_infer.py
peer_script() { if [ "$1" = infer ]; then echo "$HERE/benchmarks/scripts/torch_infer.py"; else echo "$PEER"; fi; }
r=1
while [ "$r" -le "$ROUNDS" ]; do
  for w in $WORKLOADS; do
    # alternate which library goes first so neither always gets the cooler machine
    runners="jgrad torch${BASELINE_JAR:+ baseline}"
    if [ $((r % 2)) -eq 1 ]; then order=$runners; else order=$(echo "$runners" | awk '{for (i = NF; i > 0; i--) printf "%s ", $i}'); fi
    for who in $order; do
      load=$(cut -d' ' -f1 /proc/loadavg)
      if [ "$who" != torch ]; then
        jar=$JAR; [ "$who" = baseline ] && jar=$BASELINE_JAR
        out=$($TIME "$JAVA" --add-modules jdk.incubator.vector -jar "$jar" \
              "$w" --threads "$THREADS" --data "$DATA" 2>&1 | grep -E '^(gemm|mlp|cnn|lstm|transformer|peak|infer)' | tr '\n' ' ')
      else
        out=$(THREADS=$THREADS FMNIST=$DATA LD_LIBRARY_PATH=${TORCH_LD_LIBRARY_PATH:-} \
              $TIME /usr/bin/python3 "$(peer_script "$w")" "$w" 1 2>&1 \
              | grep -E '^(gemm|mlp|cnn|lstm|transformer|peak|infer)' | tr '\n' ' ')
      fi
      echo "round=$r who=$who workload=$w load=$load $out" | tee -a "$LOG"
    done
  done
  r=$((r + 1))
done
