#!/usr/bin/env python3
"""Golden CLI tests in the cram format.

A test file (*.t) is prose with indented commands and their expected output:

    Concatenate two files:

      $ korpus-cat a.jsonl b.jsonl
      {"text":"a"}
      korpus-cat: b.jsonl:1: invalid JSON at column 2: ...
      [1]

`  $ ` starts a command, `  > ` continues it; the indented lines after it are
its expected stdout and stderr (merged), and `  [N]` its exit status when not
0.  A line ending in ` (re)` is a Python regular expression matching the whole
line.  All commands of a file run in one bash session, in a fresh temporary
folder, with the tools first on PATH and $TESTDIR pointing at tests/.

Usage: run.py --bindir DIR [--update] FILE.t...
With --update (or KORPUS_UPDATE_GOLDEN=1) the files are rewritten with the
actual output: review the diff before committing it.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

INDENT = "  "


def parse(path):
    """Split a .t file into prose lines and (command, expected, lineno) items."""
    items = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(INDENT + "$ "):
            start = i
            cmd = [line[4:]]
            i += 1
            while i < len(lines) and lines[i].startswith(INDENT + "> "):
                cmd.append(lines[i][4:])
                i += 1
            expected = []
            while (i < len(lines) and lines[i].startswith(INDENT)
                   and not lines[i].startswith(INDENT + "$ ")):
                expected.append(lines[i][2:])
                i += 1
            items.append(("cmd", "\n".join(cmd), expected, start + 1))
        else:
            items.append(("prose", line))
            i += 1
    return items


def run(items, bindir, testdir, workdir):
    """Run the commands in one bash; returns the list of output line lists."""
    marker = "KORPUS-CRAM-%d" % os.getpid()
    script = []
    for it in items:
        if it[0] == "cmd":
            script.append(it[1])
            script.append('echo "%s $?"' % marker)
    env = dict(os.environ)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    env["TESTDIR"] = testdir
    env["LC_ALL"] = "C.UTF-8"
    env["TZ"] = "UTC"
    env["HOME"] = workdir
    env.setdefault("ASAN_OPTIONS", "abort_on_error=0:detect_leaks=1")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    # The script is a file and stdin is /dev/null, so that a command that
    # reads standard input cannot swallow the commands after it.
    script_path = os.path.join(workdir, ".cram.sh")
    with open(script_path, "w", encoding="utf-8") as f:
        f.write("\n".join(script) + "\n")
    proc = subprocess.run(["bash", "--norc", "--noprofile", script_path], stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=workdir, env=env,
                          timeout=600)
    out = proc.stdout.decode("utf-8", errors="backslashreplace").split("\n")
    results, cur = [], []
    for line in out:
        idx = line.find(marker + " ")
        if idx >= 0:
            if idx > 0:  # output without a final newline
                cur.append(line[:idx] + " (no-eol)")
            status = int(line[idx + len(marker) + 1:])
            if status != 0:
                cur.append("[%d]" % status)
            results.append(cur)
            cur = []
        else:
            cur.append(line)
    return results


def matches(expected, actual):
    if len(expected) != len(actual):
        return False
    for e, a in zip(expected, actual):
        if e == a:
            continue
        if e.endswith(" (re)"):
            try:
                if re.fullmatch(e[:-5], a):
                    continue
            except re.error:
                pass
        return False
    return True


SANITIZER_REPORT = re.compile(r"runtime error:|AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer")


def check_file(path, bindir, testdir, update):
    items = parse(path)
    workdir = tempfile.mkdtemp(prefix="korpus-cram-")
    try:
        results = run(items, bindir, testdir, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    # a sanitizer report is a failure, never an expected output
    for k, out in enumerate(results):
        bad = [l for l in out if SANITIZER_REPORT.search(l)]
        if bad:
            cmd = [it for it in items if it[0] == "cmd"][k]
            print("%s:%d: $ %s" % (path, cmd[3], cmd[1].split("\n")[0]))
            print("  sanitizer report:")
            for l in out[:40]:
                print("    | " + l)
            return False
    cmds = [it for it in items if it[0] == "cmd"]
    failed = False
    new_lines = []
    k = 0
    for it in items:
        if it[0] == "prose":
            new_lines.append(it[1])
            continue
        _, cmd, expected, lineno = it
        actual = results[k] if k < len(results) else ["(command did not finish)"]
        k += 1
        for j, c in enumerate(cmd.split("\n")):
            new_lines.append(INDENT + ("$ " if j == 0 else "> ") + c)
        if matches(expected, actual):
            new_lines.extend(INDENT + e for e in expected)
        else:
            failed = True
            new_lines.extend(INDENT + a for a in actual)
            if not update:
                print("%s:%d: $ %s" % (path, lineno, cmd.split("\n")[0]))
                print("  expected:")
                for e in expected:
                    print("    | " + e)
                print("  actual:")
                for a in actual:
                    print("    | " + a)
    if len(results) < len(cmds):
        failed = True
    if update and failed:
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(new_lines) + "\n")
        print("updated %s" % path)
        return True
    return not failed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bindir", required=True)
    ap.add_argument("--update", action="store_true")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    update = args.update or os.environ.get("KORPUS_UPDATE_GOLDEN") == "1"
    testdir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ok = True
    for f in args.files:
        ok = check_file(f, os.path.abspath(args.bindir), testdir, update) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
