"""`make bench`: the project's GIF pipeline against the naive baseline (bench/naive_baseline.py),
run alternately in this process tree, whole processes timed from outside; then `make all`
from a clean output folder and a no-op `make all`. Prints a table; writes bench/last.json.

Ratios, not seconds, are the result: this 2-core machine is shared and noisy.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = sys.executable
SCENES = ("gd_line", "gd_bowl")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))


def run(cmd, timing=None, cwd=ROOT):
    """Wall time, peak memory (KiB) and the process's own render timing, for one command."""
    env = dict(os.environ, RENDER_TIMING=timing or "")
    env.pop("MAKEFLAGS", None)
    env.pop("MAKELEVEL", None)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.exit(f"bench: {' '.join(cmd)} failed: {proc.stderr.read().decode()}")
    inner = json.load(open(timing)) if timing else None
    return wall, usage.ru_maxrss, inner


def gifsicle_gain(path):
    if not shutil.which("gifsicle"):
        return None
    with tempfile.NamedTemporaryFile(suffix=".gif") as f:
        subprocess.run(["gifsicle", "-O3", path, "-o", f.name], check=True)
        return 1 - os.path.getsize(f.name) / os.path.getsize(path)


def main():
    out = tempfile.mkdtemp(prefix="bench-")
    history = os.path.join(ROOT, "output", "history.csv")
    results = {"rounds": ROUNDS, "scenes": {}}
    for scene in SCENES:
        samples = {"project": [], "naive": []}
        for _ in range(ROUNDS):  # alternate, so drifts in machine load hit both alike
            for who in ("project", "naive"):
                gif = os.path.join(out, f"{scene}.{who}.gif")
                timing = os.path.join(out, "timing.json")
                cmd = ([PY, "-m", "render", "scene", scene, "--history", history, "--out", gif, "--gif-only"]
                       if who == "project" else [PY, "bench/naive_baseline.py", scene, history, gif, timing])
                wall, rss, inner = run(cmd, timing)
                samples[who].append({"wall_s": wall, "peak_kib": rss, "fps": inner["frames"] / inner["render_s"],
                                     "bytes": os.path.getsize(gif)})
        summary = {}
        for who, rows in samples.items():
            walls = [r["wall_s"] for r in rows]
            summary[who] = {"wall_s_median": statistics.median(walls), "wall_s_min": min(walls),
                            "wall_s_max": max(walls), "fps_median": statistics.median(r["fps"] for r in rows),
                            "peak_mib": max(r["peak_kib"] for r in rows) / 1024, "bytes": rows[-1]["bytes"]}
        p, n = summary["project"], summary["naive"]
        summary["ratio"] = {"wall": p["wall_s_median"] / n["wall_s_median"], "fps": p["fps_median"] / n["fps_median"],
                            "bytes": p["bytes"] / n["bytes"], "peak_memory": p["peak_mib"] / n["peak_mib"]}
        summary["gifsicle_O3_gain"] = gifsicle_gain(os.path.join(out, f"{scene}.project.gif"))
        results["scenes"][scene] = summary

    clean = os.path.join(out, "make")
    wall_all, _, _ = run(["make", "-s", "all", f"OUT={clean}"])
    wall_noop, _, _ = run(["make", "-s", "all", f"OUT={clean}"])
    results["make_all_s"], results["noop_make_all_s"] = wall_all, wall_noop
    shutil.rmtree(out)

    print(f"{'':24}{'project':>22}{'naive':>22}{'ratio':>9}")
    for scene, s in results["scenes"].items():
        p, n, r = s["project"], s["naive"], s["ratio"]
        span = lambda x: f"{x['wall_s_median']:.2f} s ({x['wall_s_min']:.2f}-{x['wall_s_max']:.2f})"
        print(f"{scene + ' wall time':24}{span(p):>22}{span(n):>22}{r['wall']:>9.2f}")
        print(f"{scene + ' frames/s':24}{p['fps_median']:>22.1f}{n['fps_median']:>22.1f}{r['fps']:>9.2f}")
        print(f"{scene + ' bytes':24}{p['bytes']:>22,}{n['bytes']:>22,}{r['bytes']:>9.2f}")
        print(f"{scene + ' peak memory':24}{p['peak_mib']:>20.0f}MB{n['peak_mib']:>20.0f}MB{r['peak_memory']:>9.2f}")
        gain = s["gifsicle_O3_gain"]
        print(f"{scene + ' gifsicle -O3 gain':24}{'(not installed)' if gain is None else f'{gain:.1%}':>22}")
    print(f"{'make all, clean':24}{results['make_all_s']:>20.1f} s")
    print(f"{'make all, no-op':24}{results['noop_make_all_s']:>20.3f} s")
    with open(os.path.join(ROOT, "bench", "last.json"), "w") as f:
        json.dump(results, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
