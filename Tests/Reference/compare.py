#!/usr/bin/env python3
"""Cross-checks simdit's per-layer counts against the independent reference (cases.json).

  compare.py BINARY [--cases Tests/Reference/cases.json] [--all] [--case SUBSTRING]
             [--mismatches-only] [--recompute]

For each case it writes the network YAML to a temporary directory, runs
  BINARY simulate --mode MODE --arch ARCH --network NET.yaml --batch B --format json
and compares, per expected program entry (matched by layer name), the quantities of
extensions_reference.QUANTITIES, plus the program itself (layer names in order) and the
network total 'simd_operations' by kind.  A value matches when it is equal or its relative error
is <= 1e-9; a value missing from simdit's JSON is a mismatch.  A case that expects an error
matches when simdit fails with a message containing the expected text.  Rows where both values
are 0 are hidden unless --all.

Exit status 0 only when every compared quantity matches; 1 on any mismatch (including a failed,
timed-out or unreadable run, or when no case was selected); 2 when BINARY is not executable.
Standard library only; no network.  From the repository root:
  python3 Tests/Reference/compare.py .build/debug/simdit

--recompute re-evaluates the reference from extensions_reference.py instead of reading the stored
reference values (they are the same unless the reference was edited after cases.json was written).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOL = 1e-9
RUN_TIMEOUT = 120      # seconds per simulation (each takes milliseconds)


def close(a, b):
    a, b = num(a), num(b)
    if a is None or b is None:
        return False
    if a == b:
        return True
    return abs(a - b) <= TOL * max(abs(a), abs(b))


def get(layer, path):
    """The value at a dotted path, or None when simdit's JSON lacks it."""
    v = layer
    for p in path.split("."):
        if not isinstance(v, dict) or p not in v:
            return None
        v = v[p]
    return v


def num(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def fmt(x):
    if x is None:
        return "-"
    if isinstance(x, str):
        return x
    if float(x).is_integer():
        return "%d" % x
    return "%.6f" % x


def run_case(binary, case, tmp):
    """Runs one case; returns (parsed JSON, None) or (None, [error text])."""
    path = os.path.join(tmp, case["name"] + ".yaml")
    with open(path, "w") as f:
        f.write(case["network"])
    cmd = [binary, "simulate", "--mode", case["mode"], "--arch", case["arch"], "--network", path,
           "--batch", str(case["batch"]), "--format", "json"]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, ["timed out after %d s" % RUN_TIMEOUT]
    if p.returncode != 0:
        return None, ((p.stderr.strip() or p.stdout.strip()).splitlines()[-1:]
                      or ["exit status %d" % p.returncode])
    try:
        out = json.loads(p.stdout)
    except ValueError as exc:
        return None, ["unreadable JSON: %s" % exc]
    if not isinstance(out, dict) or not isinstance(out.get("layers"), list):
        return None, ["JSON without a 'layers' list"]
    return out, None


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("binary")
    ap.add_argument("--cases", default=os.path.join(HERE, "cases.json"))
    ap.add_argument("--all", action="store_true", help="also print rows where both values are 0")
    ap.add_argument("--mismatches-only", action="store_true")
    ap.add_argument("--case", help="only cases whose name contains this")
    ap.add_argument("--recompute", action="store_true")
    a = ap.parse_args(argv)

    binary = os.path.abspath(a.binary) if os.sep in a.binary else a.binary
    if os.sep in binary and not os.access(binary, os.X_OK):
        print("compare.py: %s is not an executable file" % a.binary)
        return 2
    with open(a.cases) as f:
        cases = json.load(f)["cases"]
    if a.recompute:
        sys.path.insert(0, HERE)
        sys.dont_write_bytecode = True          # leave no __pycache__ in the source tree
        import extensions_reference as ref
        fresh = {c["name"]: ref.reference_for_case(c) for c in ref.build_cases()}
        cases = [fresh[c["name"]] for c in cases]
    if a.case:
        cases = [c for c in cases if a.case in c["name"]]

    rows = []      # (case, layer, quantity, reference, simdit, status)
    n_ok = n_bad = 0
    with tempfile.TemporaryDirectory(prefix="simdit-ref-") as tmp:
        for case in cases:
            out, err = run_case(binary, case, tmp)
            cname = case["name"]
            if out is None:
                # an expected error matches when simdit's message contains the expected text
                if "expect_error" in case and case["expect_error"] in "; ".join(err):
                    rows.append((cname, "-", "run", case["expect_error"], "; ".join(err), "ok"))
                    n_ok += 1
                elif "expect_error" in case:
                    rows.append((cname, "-", "run", case["expect_error"], "; ".join(err),
                                 "MISMATCH"))
                    n_bad += 1
                else:
                    rows.append((cname, "-", "run", "success", "; ".join(err), "MISMATCH"))
                    n_bad += 1
                continue
            if "expect_error" in case:
                rows.append((cname, "-", "run", case["expect_error"], "ran", "MISMATCH"))
                n_bad += 1
            layers = {l.get("name"): l for l in out["layers"]}
            got_names = [l.get("name") for l in out["layers"]]
            exp_names = [e["layer"] for e in case["entries"]]
            if got_names != exp_names:
                rows.append((cname, "-", "program", " ".join(exp_names), " ".join(got_names),
                             "MISMATCH"))
                n_bad += 1
            else:
                rows.append((cname, "-", "program", "%d entries" % len(exp_names),
                             "%d entries" % len(got_names), "ok"))
                n_ok += 1
            for e in case["entries"]:
                layer = layers.get(e["layer"])
                if layer is None:
                    rows.append((cname, e["layer"], "present", "yes", "no", "MISMATCH"))
                    n_bad += 1
                    continue
                if "reference" not in e:
                    for q in ("simd.compute_cycles", "simd.stall_cycles",
                              "dram_bytes_by_kind.ifmap", "dram_bytes_by_kind.ofmap"):
                        rows.append((cname, e["layer"], q, e.get("reference_error", "?"),
                                     fmt(get(layer, q)), "MISMATCH"))
                    n_bad += 1
                    continue
                for q, rv in e["reference"].items():
                    sv = get(layer, q)
                    ok = close(rv, sv)
                    if ok:
                        n_ok += 1
                    else:
                        n_bad += 1
                    if ok and rv == 0 and sv == 0 and not a.all:
                        continue
                    rows.append((cname, e["layer"], q, rv, sv, "ok" if ok else "MISMATCH"))
            if "simd_operations" in case:
                tot = get(out, "total.simd_operations") or {}
                for k, rv in case["simd_operations"].items():
                    sv = tot.get(k) if isinstance(tot, dict) else None
                    ok = close(rv, sv)
                    n_ok += ok
                    n_bad += (not ok)
                    if ok and rv == 0 and sv == 0 and not a.all:
                        continue
                    rows.append((cname, "(total)", "simd_operations." + k, rv, sv,
                                 "ok" if ok else "MISMATCH"))

    if a.mismatches_only:
        rows = [r for r in rows if r[5] != "ok"]
    widths = [max(len(fmt(r[i])) for r in rows + [("case", "layer", "quantity", "reference",
                                                     "simdit", "match")]) for i in range(6)]
    widths = [min(w, 60) for w in widths]
    hdr = ("case", "layer", "quantity", "reference", "simdit", "match")
    line = "  ".join(h.ljust(w) for h, w in zip(hdr, widths))
    print(line)
    print("-" * len(line))
    for r in rows:
        cells = [fmt(c) for c in r]
        cells = [c if len(c) <= 60 else c[:57] + "..." for c in cells]
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths)))
    print()
    print("compared quantities: %d match, %d mismatch" % (n_ok, n_bad))
    if n_ok + n_bad == 0:
        print("nothing was compared (no case selected)")
        return 1
    return 1 if n_bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
