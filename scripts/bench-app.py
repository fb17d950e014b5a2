#!/usr/bin/env python3
"""`make bench-app`: the release app's start-up time and memory (BENCHMARKS.md §5).

The release hearing-desk starts under a private Xvfb on a desk filled by `bench-data` (crate hearing-benchdata)
(HD_APP_CASES cases, default 10,000, with HD_APP_TESTIMONY testimony entries, default 100,000;
generated once into target/bench-data/app-c…-t…/ and reused). Each run:

  * start: the clock when this script starts the process → the time the UI reports once the
    工作台 shows its figures and its 预警 list (src-tauri/src/startup.rs, ui/src/utils/startup.ts,
    with HEARINGDESK_STARTUP_REPORT set; both clocks are the system clock);
  * memory: 3 s later, the resident set of the app and every process under it (WebKit's web and
    network processes), summed (RSS, which counts shared pages once per process) and as PSS
    (shared pages divided among the processes that map them: what they really cost together).

HD_APP_RUNS (10) runs; the first one reads the database and WebKit from a cold-ish cache and is
reported on its own. Then HD_APP_FLOOR_RUNS (3) runs of the floor, `examples/bare-webview.rs`:
one GTK window with one WebKitGTK web view showing a line of text, no Tauri, no store, no UI,
measured the same way 3 s after its page has loaded. What the web view costs by itself on this
machine is the floor; the app's own memory is what it takes above it. The report goes to
target/bench-app.md. Not part of `make test`.
"""

import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
RUNS = int(os.environ.get("HD_APP_RUNS", "10"))
FLOOR_RUNS = int(os.environ.get("HD_APP_FLOOR_RUNS", "3"))
CASES = int(os.environ.get("HD_APP_CASES", "10000"))
TESTIMONY = int(os.environ.get("HD_APP_TESTIMONY", "100000"))
START_BUDGET_MS = 1500
RSS_BUDGET_MB = 300


# The start-up's steps as reported (src-tauri/src/startup.rs, ui/src/utils/startup.ts).
STEP_NAMES = {
    "commands": "commands listed (Rust)",
    "setup": "Tauri setup began",
    "deskOpened": "desk opened (Rust)",
    "navigation": "page navigation began",
    "script": "UI script runs",
    "mounted": "UI mounted",
    "authAsked": "accounts state asked (Rust)",
    "authAnswered": "accounts state answered (Rust)",
    "auth": "accounts state read",
    "infoAsked": "desk info asked (Rust)",
    "infoAnswered": "desk info answered (Rust)",
    "info": "desk info read",
    "dashboard": "工作台 asks for its figures",
    "counts": "figures shown",
    "warnings": "预警 shown",
}


def sh(*args, **kw):
    return subprocess.run(args, check=True, **kw)


def out(*args):
    try:
        return subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def descendants(pid):
    """pid and every process under it."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            children = []
        todo.extend(int(c) for c in children)
    return found


def memory(pid):
    """(RSS MB summed, PSS MB summed, names, {name: [RSS MB, PSS MB]}) over the process tree."""
    rss = pss = 0
    names = []
    per = {}
    for p in descendants(pid):
        try:
            status = Path(f"/proc/{p}/status").read_text()
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
        except OSError:
            continue
        name, p_rss, p_pss = "?", 0, 0
        for line in status.splitlines():
            if line.startswith("Name:"):
                name = line.split()[1]
            if line.startswith("VmRSS:"):
                p_rss = int(line.split()[1])
        for line in rollup.splitlines():
            if line.startswith("Pss:"):
                p_pss = int(line.split()[1])
        names.append(name)
        rss += p_rss
        pss += p_pss
        mine = per.setdefault(name, [0.0, 0.0])
        mine[0] += p_rss / 1024
        mine[1] += p_pss / 1024
    return rss / 1024, pss / 1024, names, per


def dataset():
    data = TARGET / f"bench-data/app-c{CASES}-t{TESTIMONY}"
    if (data / "hearingdesk.db").exists() and not (data.with_suffix(".dirty")).exists():
        print(f"bench-app: reusing the desk in {data}")
        return data
    shutil.rmtree(data, ignore_errors=True)
    data.parent.mkdir(parents=True, exist_ok=True)
    marker = data.with_suffix(".dirty")
    marker.write_text("generating\n")
    print(f"bench-app: generating {CASES} cases and {TESTIMONY} testimony entries into {data} …")
    sh(str(TARGET / "release/bench-data"), "--data-dir", str(data),
       "--cases", str(CASES), "--testimony", str(TESTIMONY), "--persons", "3000")
    marker.unlink()
    return data


BARE = TARGET / "release/examples/bare-webview"


def floor_run(env, i):
    """memory() of the bare web view, 3 s after its page loaded."""
    env = {k: v for k, v in env.items() if k != "HEARINGDESK_STARTUP_REPORT"}
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([str(BARE)], env=env, stdout=subprocess.PIPE, stderr=err, text=True)
        try:
            line = proc.stdout.readline() if proc.stdout else ""
            if line.strip() != "loaded":
                err.seek(0)
                sys.exit(f"bench-app: floor run {i + 1}: the bare web view did not load its page\n"
                         f"{err.read()}")
            time.sleep(3)
            found = memory(proc.pid)
            rss, pss, names, _ = found
            print(f"bench-app: floor run {i + 1}: RSS {rss:.0f} MB, PSS {pss:.0f} MB "
                  f"over {len(names)} processes ({', '.join(sorted(names))})")
            return found
        finally:
            stop(proc)


def stop(proc):
    """SIGTERM, then SIGKILL after 10 s; a pause for its WebKit processes to go too."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    time.sleep(0.5)


def fmt_ms(v):
    return f"{v / 1000:.2f} s" if v >= 1000 else f"{v:.0f} ms"


def per_process_rows(label, runs):
    """'of which' rows, one per process name, from memory()'s per-process figures."""
    rows = []
    for name in sorted({n for per in runs for n in per}):
        rs = [per[name][0] for per in runs if name in per]
        ps = [per[name][1] for per in runs if name in per]
        rows.append(f"| {label} {name}: RSS / PSS | {len(rs)} | **{statistics.median(rs):.0f} MB** / "
                    f"{statistics.median(ps):.0f} MB | {min(rs):.0f} MB | {max(rs):.0f} MB | | |")
    return rows


def floor_rows(floor, app_rss, app_pss):
    """The floor's rows, and the app's memory above it (medians less medians)."""
    if not floor:
        return []
    rs = [f[0] for f in floor]
    ps = [f[1] for f in floor]
    names = sorted(set(floor[0][2]))
    rss, pss = statistics.median(rs), statistics.median(ps)
    return [
        f"| floor: a bare WebKitGTK web view (`examples/bare-webview.rs`), RSS summed over "
        f"{len(floor[0][2])} processes ({', '.join(names)}) | "
        f"{len(rs)} | **{rss:.0f} MB** | {min(rs):.0f} MB | {max(rs):.0f} MB | "
        f"{'above' if rss > RSS_BUDGET_MB else 'within'} the {RSS_BUDGET_MB} MB budget by itself | |",
        f"| floor: PSS summed | {len(ps)} | **{pss:.0f} MB** | {min(ps):.0f} MB | {max(ps):.0f} MB | | |",
        *per_process_rows("of the floor:", [f[3] for f in floor]),
        f"| the app above the floor: RSS / PSS (medians) | | **{statistics.median(app_rss) - rss:.0f} MB** / "
        f"{statistics.median(app_pss) - pss:.0f} MB | | | | |",
    ]


def main():
    app = TARGET / "release/hearing-desk"
    for binary in (app, BARE):
        if not binary.exists():
            sys.exit(f"bench-app: {binary} is missing; `make bench-app` builds it")
    data = dataset()
    display = os.environ.get("HD_APP_DISPLAY", ":95")
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Nothing WebKit-specific set here: the app sets what it runs with itself (lib.rs,
    # `webview_rendering_defaults`), so this measures what a user's start does.
    env = dict(os.environ, DISPLAY=display, HEARINGDESK_DATA_DIR=str(data))
    env.pop("WEBKIT_DISABLE_COMPOSITING_MODE", None)
    report = TARGET / "bench-app-startup.json"
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    starts, rss_list, pss_list, names, per_list, steps_list = [], [], [], [], [], []
    try:
        for _ in range(50):
            if subprocess.run(["xdpyinfo", "-display", display], capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        for i in range(RUNS):
            report.unlink(missing_ok=True)
            env["HEARINGDESK_STARTUP_REPORT"] = str(report)
            t0 = time.time() * 1000
            proc = subprocess.Popen([str(app)], env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, text=True)
            deadline = time.time() + 60
            while not report.exists() and time.time() < deadline and proc.poll() is None:
                time.sleep(0.01)
            time.sleep(0.05)
            if not report.exists():
                proc.kill()
                err = proc.stderr.read() if proc.stderr else ""
                sys.exit(f"bench-app: run {i + 1}: the 工作台 did not report within 60 s\n{err}")
            r = json.loads(report.read_text())
            start = r["uiMs"] - t0
            steps = {"run() began": r["runStartedMs"] - t0}
            steps.update({STEP_NAMES.get(k, k): v - t0 for k, v in (r.get("marks") or {}).items()})
            steps_list.append(steps)
            time.sleep(3)
            rss, pss, names, per = memory(proc.pid)
            per_list.append(per)
            starts.append(start)
            rss_list.append(rss)
            pss_list.append(pss)
            order = ", ".join(f"{k} {fmt_ms(v)}" for k, v in sorted(steps.items(), key=lambda kv: kv[1]))
            print(f"bench-app: run {i + 1}: 工作台 after {fmt_ms(start)} ({order}); "
                  f"RSS {rss:.0f} MB, PSS {pss:.0f} MB over {len(names)} processes")
            stop(proc)
        floor = [floor_run(env, i) for i in range(FLOOR_RUNS)]
    finally:
        xvfb.terminate()
    load_after = Path("/proc/loadavg").read_text().split()[:3]

    warm = starts[1:] or starts
    warm_rss = rss_list[1:] or rss_list
    warm_pss = pss_list[1:] or pss_list
    warm_per = per_list[1:] or per_list
    warm_steps = steps_list[1:] or steps_list
    step_rows = []
    for name in sorted({n for st in warm_steps for n in st},
                       key=lambda n: statistics.median([st[n] for st in warm_steps if n in st])):
        vs = [st[name] for st in warm_steps if name in st]
        step_rows.append(f"| of which: {name}, after | {len(vs)} | {fmt_ms(statistics.median(vs))} | "
                         f"{fmt_ms(min(vs))} | {fmt_ms(max(vs))} | | |")
    per_rows = per_process_rows("of which", warm_per)

    def verdict(value, budget):
        return "met" if value <= budget else "**missed**"

    commit = out("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD")
    dirty = out("git", "-C", str(ROOT), "status", "--porcelain")
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), "?")
    mem_gb = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    os_name = next((l.split("=", 1)[1].strip('"') for l in
                    Path("/etc/os-release").read_text().splitlines() if l.startswith("PRETTY_NAME=")), "?")
    size_mb = (data / "hearingdesk.db").stat().st_size / 1e6
    lines = [
        "## App start-up and memory: report of one run",
        "",
        f"Machine: {os.cpu_count()} cores ({cpu}), {mem_gb:.1f} GiB RAM, {os_name}, "
        f"{out('rustc', '--version')}, WebKitGTK {out('pkg-config', '--modversion', 'webkit2gtk-4.1')}  ",
        f"Source: commit {commit}{' with uncommitted changes' if dirty not in ('', '?') else ''}; "
        f"load average before / after: {' '.join(load_before)} / {' '.join(load_after)}  ",
        f"Desk: `bench-data --cases {CASES} --testimony {TESTIMONY} --persons 3000` "
        f"({size_mb:.0f} MB database); release `target/release/hearing-desk` under Xvfb 1440×900.",
        "",
        "| measure | n | median | min | max | budget | |",
        "|---|---|---|---|---|---|---|",
        f"| start → 工作台 interactive (figures and 预警 on screen), first run | 1 | "
        f"**{fmt_ms(starts[0])}** | | | ≤ {fmt_ms(START_BUDGET_MS)} | {verdict(starts[0], START_BUDGET_MS)} |",
        f"| start → 工作台 interactive, later runs | {len(warm)} | **{fmt_ms(statistics.median(warm))}** | "
        f"{fmt_ms(min(warm))} | {fmt_ms(max(warm))} | ≤ {fmt_ms(START_BUDGET_MS)} | "
        f"{verdict(statistics.median(warm), START_BUDGET_MS)} |",
        *step_rows,
        f"| memory 3 s after, RSS summed over {len(names)} processes ({', '.join(sorted(set(names)))}) | "
        f"{len(warm_rss)} | **{statistics.median(warm_rss):.0f} MB** | {min(warm_rss):.0f} MB | "
        f"{max(warm_rss):.0f} MB | ≤ {RSS_BUDGET_MB} MB | {verdict(statistics.median(warm_rss), RSS_BUDGET_MB)} |",
        f"| memory 3 s after, PSS summed (shared pages counted once) | {len(warm_pss)} | "
        f"**{statistics.median(warm_pss):.0f} MB** | {min(warm_pss):.0f} MB | {max(warm_pss):.0f} MB | | |",
        *per_rows,
        *floor_rows(floor, warm_rss, warm_pss),
        "",
        "Reproduce: `make bench-app` (HD_APP_RUNS, HD_APP_FLOOR_RUNS, HD_APP_CASES, HD_APP_TESTIMONY).",
        "",
    ]
    text = "\n".join(lines)
    (TARGET / "bench-app.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
