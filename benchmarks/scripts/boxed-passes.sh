#!/bin/sh
# Tells whether C2 compiled the Vector API's transcendental passes with their vectors boxed. Runs a
# workload RUNS times with -XX:+LogCompilation and prints, per run, the workload's throughput and bytes
# allocated per step, and for each level-4 compilation of VectorKernels' exp, tanh and sigmoid passes
# whether its final store was intrinsified ("+") or not ("-NOSTORE": the loop's vectors are boxed for
# the life of the JVM, which shows as extra allocation per step, as on an AVX2 machine's lstm runs),
# followed by "/N": the class_check trap counts C2 summed over the compilation's inlined methods. Past
# 100 (PerMethodTrapLimit) C2 stops guarding its type guesses, which is what boxed the vectors; see
# OperatorProfiles in the core module.
#
#   benchmarks/scripts/boxed-passes.sh JAR [RUNS] [WORKLOAD]     (defaults: 10 runs of lstm)
set -eu
JAR=$1; RUNS=${2:-10}; W=${3:-lstm}
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
i=1
while [ "$i" -le "$RUNS" ]; do
  rm -f "$LOG"
  line=$(java --add-modules jdk.incubator.vector -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation \
         -XX:LogFile="$LOG" -jar "$JAR" "$W" --threads 2 2>&1 \
         | grep -E '^(lstm|transformer|mlp|cnn)' \
         | sed -E 's/.*(train_tokens_per_s=[0-9]+|epoch_s=[^ ]*).*(alloc_mb_per_step=[0-9.]+).*/\1 \2/')
  passes=$(python3 - "$LOG" <<'PY'
import re, sys
txt = open(sys.argv[1], errors="replace").read()
out = []
for name in ("expPass", "tanhPass", "sigmoidPass"):
    pat = r"<task compile_id='\d+' method='io.jgrad.core.kernel.simd.VectorKernels " + name + r" [^>]*>"
    for m in re.finditer(pat, txt):
        body = txt[m.end():txt.index("</task>", m.end())]
        if "_VectorLoadOp" in body:  # C2's compilation (C1 records no intrinsics)
            traps = re.findall(r"<observe trap='class_check' count='\d+' total='(\d+)'", body)
            out.append(name + ("+" if "_VectorStoreOp" in body else "-NOSTORE") + "/" + (traps[-1] if traps else "0"))
print(" ".join(out))
PY
)
  echo "run=$i $line $passes"
  i=$((i + 1))
done
