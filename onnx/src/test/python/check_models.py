"""Runs ONNX's own checker, with full (strict) shape inference, on every .onnx file given or found in the folders given.

    python3 check_models.py DIR_OR_FILE...

Needs the onnx package (Debian: apt-get install python3-onnx). Prints one line per file and exits 1
if any file fails.
"""
import pathlib
import sys

import onnx


def main(args):
    files = []
    for a in args:
        p = pathlib.Path(a)
        files.extend(sorted(p.glob("**/*.onnx")) if p.is_dir() else [p])
    if not files:
        print("no .onnx files found in", args)
        return 1
    failed = 0
    for f in files:
        try:
            m = onnx.load(str(f))
            onnx.checker.check_model(m, full_check=True)
            opsets = ",".join("%s:%d" % (o.domain or "ai.onnx", o.version) for o in m.opset_import)
            print("ok    %s (IR %d, opset %s, %d nodes)" % (f, m.ir_version, opsets, len(m.graph.node)))
        except Exception as e:  # noqa: BLE001 - report every failure and go on
            failed += 1
            print("FAIL  %s: %s" % (f, str(e).splitlines()[0] if str(e) else type(e).__name__))
    print("%d passed, %d failed" % (len(files) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
