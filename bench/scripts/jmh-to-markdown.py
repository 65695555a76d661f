#!/usr/bin/env python3
"""Turns JMH JSON results (-rf json) into the markdown tables of docs/benchmarks.md.

Usage: bench/scripts/jmh-to-markdown.py results.json [more.json ...]

Rows are grouped by benchmark class; ProcReadBenchmark methods named <file>_<way> get a ratio against
<file>_procFile, TraceWriterBenchmark methods against traceWriterAppend, measured in the same run.
"""
import json
import sys


def fmt(x):
    if x != x:  # NaN
        return "n/a"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def rows(path):
    for r in json.load(open(path)):
        cls, method = r["benchmark"].rsplit(".", 2)[-2:]
        params = ",".join(f"{v}" for v in (r.get("params") or {}).values())
        m = r["primaryMetric"]
        norm = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score", float("nan"))
        yield cls, method, params, m["score"], m["scoreError"], m["scoreUnit"], norm, r.get("jvm"), r.get("jdkVersion")


def reference(cls, method, by_key):
    if cls == "ProcReadBenchmark":
        return by_key.get((cls, method.split("_")[0] + "_procFile", ""))
    if cls == "TraceWriterBenchmark":
        return by_key.get((cls, "traceWriterAppend", ""))
    return None


def main(paths):
    all_rows = [r for p in paths for r in rows(p)]
    by_key = {(r[0], r[1], r[2]): r for r in all_rows}
    current = None
    for cls, method, params, score, err, unit, norm, jvm, jdk in all_rows:
        if cls != current:
            current = cls
            print(f"\n#### {cls} (JDK {jdk})\n")
            print("| benchmark | param | score | ± error (99.9%) | unit | B/op | × vs ours |")
            print("|---|---|---:|---:|---|---:|---:|")
        ref = reference(cls, method, by_key)
        ratio = f"{score / ref[3]:.1f}×" if ref else ""
        print(f"| `{method}` | {params} | {fmt(score)} | {fmt(err)} | {unit} | {fmt(norm)} | {ratio} |")


if __name__ == "__main__":
    main(sys.argv[1:])
