"""`make bench`: the project's GIF pipeline against the naive baseline (bench/naive_baseline.py),
run alternately in this process tree, whole processes timed from outside; then `make all`
from a clean output folder and a no-op `make all`. Prints a table with issue #5's targets;
writes bench/last.json.

Ratios, not seconds, are the result: this 2-core machine is shared and noisy.
"""
import glob
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
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
#: (label, scene, learning rate). The third is the same scene as a teacher's `make gd_line
#: LR=0.001` makes it: a crawling run, whose line moves a little at every step, so it has
#: three times the frames and shows the pipeline where frames, not start-up, dominate.
CASES = [("gd_line", "gd_line", 0.1), ("gd_bowl", "gd_bowl", 0.1), ("gd_line LR=0.001", "gd_line", 0.001)]
#: Issue #5's targets: (case, measure, bound, "max" or "min").
TARGETS = [("gd_line", "wall", 0.18, "max"), ("gd_line", "fps", 8, "min"), ("gd_line", "bytes", 0.12, "max"),
           ("gd_line", "peak_memory", 0.75, "max"), ("gd_bowl", "wall", 0.35, "max")]
MAX_BOWL_BYTES, MAX_GIF_BYTES, MAX_GIFSICLE_GAIN, MAX_NOOP_S = 1_500_000, 600_000, 0.05, 0.3


def run(cmd, timing=None, cwd=ROOT):
    """Wall time, peak memory (KiB, the largest of the process and its workers) and the
    process's own render timing, for one command."""
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
    for label, scene, lr in CASES:
        samples = {"project": [], "naive": []}
        for _ in range(ROUNDS):  # alternate, so drifts in machine load hit both alike
            for who in ("project", "naive"):
                gif = os.path.join(out, f"{scene}.{lr}.{who}.gif")
                timing = os.path.join(out, "timing.json")
                cmd = ([PY, "-m", "render", "scene", scene, "--history", history, "--lr", str(lr), "--out", gif,
                        "--gif-only"] if who == "project" else
                       [PY, "bench/naive_baseline.py", scene, history, gif, timing, str(lr)])
                wall, rss, inner = run(cmd, timing)
                samples[who].append({"wall_s": wall, "peak_kib": rss, "fps": inner["frames"] / inner["render_s"],
                                     "bytes": os.path.getsize(gif), "frames": inner["frames"]})
        summary = {}
        for who, rows in samples.items():
            walls = [r["wall_s"] for r in rows]
            summary[who] = {"wall_s_median": statistics.median(walls), "wall_s_min": min(walls),
                            "wall_s_max": max(walls), "fps_median": statistics.median(r["fps"] for r in rows),
                            "peak_mib": max(r["peak_kib"] for r in rows) / 1024, "bytes": rows[-1]["bytes"],
                            "frames": rows[-1]["frames"]}
        p, n = summary["project"], summary["naive"]
        summary["ratio"] = {"wall": p["wall_s_median"] / n["wall_s_median"], "fps": p["fps_median"] / n["fps_median"],
                            "bytes": p["bytes"] / n["bytes"], "peak_memory": p["peak_mib"] / n["peak_mib"]}
        summary["gifsicle_O3_gain"] = gifsicle_gain(os.path.join(out, f"{scene}.{lr}.project.gif"))
        results["scenes"][label] = summary

    clean = os.path.join(out, "make")
    wall_all, _, _ = run(["make", "-s", "all", f"OUT={clean}"])
    wall_noop, _, _ = run(["make", "-s", "all", f"OUT={clean}"])
    results["make_all_s"], results["noop_make_all_s"] = wall_all, wall_noop
    results["gifs"] = {os.path.basename(g): {"bytes": os.path.getsize(g), "gifsicle_O3_gain": gifsicle_gain(g)}
                       for g in sorted(glob.glob(os.path.join(clean, "*.gif")))}
    shutil.rmtree(out)
    results["targets"] = targets(results)
    report(results)
    with open(os.path.join(ROOT, "bench", "last.json"), "w") as f:
        json.dump(results, f, indent=2, sort_keys=True)
        f.write("\n")


def targets(results) -> list:
    rows = []
    for case, measure, bound, kind in TARGETS:
        value = results["scenes"][case]["ratio"][measure]
        rows.append({"what": f"{case} {measure.replace('_', ' ')}, project/naive", "value": value,
                     "target": f"{'<=' if kind == 'max' else '>='} {bound:g}",
                     "met": value <= bound if kind == "max" else value >= bound})
    bowl = results["gifs"]["gd_bowl.gif"]["bytes"]
    rows.append({"what": "gd_bowl.gif bytes", "value": bowl, "target": f"<= {MAX_BOWL_BYTES:,}",
                 "met": bowl <= MAX_BOWL_BYTES})
    others = {name: g["bytes"] for name, g in results["gifs"].items() if name != "gd_bowl.gif"}
    largest = max(others, key=others.get)
    rows.append({"what": f"largest other GIF ({largest})", "value": others[largest], "target": f"<= {MAX_GIF_BYTES:,}",
                 "met": others[largest] <= MAX_GIF_BYTES})
    gains = {name: g["gifsicle_O3_gain"] for name, g in results["gifs"].items()}
    if None not in gains.values():
        worst = max(gains, key=gains.get)
        rows.append({"what": f"largest gifsicle -O3 gain ({worst})", "value": gains[worst],
                     "target": f"<= {MAX_GIFSICLE_GAIN:.0%}", "met": gains[worst] <= MAX_GIFSICLE_GAIN})
    rows.append({"what": "no-op make all, seconds", "value": results["noop_make_all_s"], "target": f"< {MAX_NOOP_S}",
                 "met": results["noop_make_all_s"] < MAX_NOOP_S})
    return rows


def report(results) -> None:
    print(f"{'':26}{'project':>22}{'naive':>22}{'ratio':>8}")
    for label, s in results["scenes"].items():
        p, n, r = s["project"], s["naive"], s["ratio"]
        span = lambda x: f"{x['wall_s_median']:.2f} s ({x['wall_s_min']:.2f}-{x['wall_s_max']:.2f})"
        print(f"{label} ({p['frames']} frames)")
        print(f"{'  wall time':26}{span(p):>22}{span(n):>22}{r['wall']:>8.2f}")
        print(f"{'  frames/s after start-up':26}{p['fps_median']:>22.1f}{n['fps_median']:>22.1f}{r['fps']:>8.2f}")
        print(f"{'  bytes':26}{p['bytes']:>22,}{n['bytes']:>22,}{r['bytes']:>8.2f}")
        print(f"{'  peak memory':26}{p['peak_mib']:>18.1f} MiB{n['peak_mib']:>18.1f} MiB{r['peak_memory']:>8.2f}")
        gain = s["gifsicle_O3_gain"]
        print(f"{'  gifsicle -O3 gain':26}{'(not installed)' if gain is None else f'{gain:.1%}':>22}")
    print(f"{'make all, clean':26}{results['make_all_s']:>20.1f} s")
    print(f"{'make all, no-op':26}{results['noop_make_all_s']:>20.3f} s")
    for name, g in results["gifs"].items():
        gain = "" if g["gifsicle_O3_gain"] is None else f", gifsicle -O3 gain {g['gifsicle_O3_gain']:.1%}"
        print(f"  {name}: {g['bytes']:,} bytes{gain}")
    print("\ntargets (issue #5)")
    for t in results["targets"]:
        value = f"{t['value']:,}" if isinstance(t["value"], int) else f"{t['value']:.3f}"
        print(f"  {t['what']:50}{value:>12}  {t['target']:<12}  {'met' if t['met'] else 'NOT MET'}")


if __name__ == "__main__":
    main()
