#!/usr/bin/env python3
"""Where the browser code's weight is, by crate, from twiggy on the
pre-wasm-opt file (it still has function names):
    cargo install twiggy   # once
    python3 bench/weight.py [file.wasm] [rows]
Default file: the last release build's pre-optimisation wasm. Prints the
crates (and the app's modules) by the bytes of their functions; data
segments and custom sections apart."""
import csv, io, re, subprocess, sys
from collections import Counter

path = sys.argv[1] if len(sys.argv) > 1 else "target/front/wasm32-unknown-unknown/wasm-release/frontend.wasm"
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 30
out = subprocess.run(["twiggy", "top", "-n", "1000000", "-f", "csv", path], capture_output=True, text=True, check=True).stdout
by = Counter()
total = 0
for r in csv.DictReader(io.StringIO(out)):
    name, size = r["Name"], int(r["ShallowSize"])
    if name.startswith("\"function names\"") or name.startswith("custom section"):
        continue
    total += size
    n = name.lstrip("<&*( ").replace("dyn ", "").replace("mut ", "")
    m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)(\[[0-9a-f]+\])?::([A-Za-z_][A-Za-z0-9_]*)?", n)
    if name.startswith("data segment") or name.startswith("elem[") or name.startswith("table[") or name.startswith("type["):
        key = name.split(" ")[0] + " " + (name.split(" ")[1] if " " in name else "")
    elif m:
        crate = m.group(1)
        key = f"{crate}::{m.group(3)}" if crate in ("app", "jalon_core") and m.group(3) else crate
    else:
        key = "(other: closures, imports, shims)"
    by[key] += size
print(f"{'crate / module':45} {'bytes':>10} {'share':>7}")
for k, v in by.most_common(rows):
    print(f"{k:45} {v:>10} {100 * v / total:6.1f}%")
print(f"{'total (code and data, no names)':45} {total:>10}")
