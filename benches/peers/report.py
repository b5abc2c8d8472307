#!/usr/bin/env python3
"""Writes BENCHMARKS.md from the results of scripts/bench.

    report.py --peers results/peers.json --lists results/lists.json \
              --criterion TARGET/criterion --machine results/machine.json --out BENCHMARKS.md

Every figure comes from the files given; nothing is measured here.
"""

import argparse
import json
import math
from pathlib import Path

ENGINE_NOTES = {
    "placewise-flow": "placewise min-cost-flow core (network simplex, greedy warm start)",
    "placewise-highs-lp": "placewise good_lp model, HiGHS LP, 1 thread (build inside solve)",
    "placewise-highs-mip": "placewise good_lp model, HiGHS MIP, 1 thread (build inside solve)",
    "placewise-stable": "placewise deferred acceptance (not cost-optimal)",
    "ortools-mcf": "OR-Tools SimpleMinCostFlow, same network",
    "highspy-lp": "same LP built directly in highspy, 1 thread",
    "pulp-cbc": "PuLP, binary variables, CBC, 1 thread",
    "matching-hr": "`matching` hospital-residents, children proposing",
}

# Criterion benchmarks reported, in order: (id, what).
CRITERION = [
    ("rules/load_and_compile", "rule compilation (load and compile the shipped England rules)"),
    ("random_2000x600/one_child_list", "one child's list, random area 2,000 × 600"),
    ("random_2000x600/list_all", "all lists, random area 2,000 children × 600 settings"),
    ("lists/random_20000x600/one_child_list", "one child's list, random area 20,000 × 600"),
    ("demo/list_all", "all lists, demo area (20 children × 25 settings)"),
    ("placement/flow_20k_x_1m_geo", "flow placement, 20,000 children × 1,000,000 arcs"),
    ("placement/flow_2k_x_20_geo", "flow placement, 2,000 children × 40,000 arcs"),
    ("placement/highs_lp_2k_x_20_geo", "good_lp + HiGHS LP, 2,000 children × 40,000 arcs"),
    ("placement/highs_mip_2k_x_20_geo", "good_lp + HiGHS MIP, 2,000 children × 40,000 arcs"),
    ("placement/highs_lp_5k_x_20_geo", "good_lp + HiGHS LP, 5,000 children × 100,000 arcs"),
    ("plan/demo_100_draws", "scenario sweep: demo, baseline + example scenarios, 100 draws, 7 years"),
]


def seconds(x):
    if x is None:
        return "–"
    if x < 1e-3:
        return f"{x * 1e6:.0f} µs"
    if x < 1:
        return f"{x * 1e3:.1f} ms"
    if x < 120:
        return f"{x:.2f} s"
    return f"{x / 60:.1f} min"


def mib(x):
    if x is None:
        return "–"
    return f"{x / 1024:.2f} GiB" if x >= 1024 else f"{x:.0f} MiB"


def ratio(a, b):
    if a is None or b is None or b <= 0:
        return "–"
    return f"{a / b:.1f}×" if a / b < 100 else f"{a / b:.0f}×"


def total(record):
    if record is None or record.get("solve_seconds") is None:
        return None
    return (record.get("build_seconds") or 0.0) + record["solve_seconds"]


def criterion_medians(folder):
    """full id -> median seconds, from criterion's saved estimates."""
    out = {}
    if not folder or not Path(folder).is_dir():
        return out
    for bench in Path(folder).rglob("new/benchmark.json"):
        try:
            meta = json.loads(bench.read_text())
            est = json.loads((bench.parent / "estimates.json").read_text())
        except (OSError, ValueError):
            continue
        out[meta["full_id"]] = est["median"]["point_estimate"] / 1e9
    return out


def goals_section(peers, lists, medians):
    """The goals of issue 5, each with what this run measured."""
    lines = ["## Against the goals", ""]
    lines.append("| goal | measured | met |")
    lines.append("|---|---|---|")
    yes = lambda ok: "yes" if ok else "**no**"  # noqa: E731
    sizes = peers["sizes"]
    ort, lp = [], []
    for size in sizes:
        by = {r["engine"]: r for r in size["records"]}
        f = total(by.get("placewise-flow"))
        o = total(by.get("ortools-mcf"))
        h = total(by.get("placewise-highs-lp"))
        if f and o and size["children"] >= 10_000:
            ort.append((size["children"], o / f))
        if f and h:
            lp.append((size["children"], h / f))
    if ort:
        worst = min(ort, key=lambda x: x[1])
        text = ", ".join(f"{c // 1000}k {r:.1f}×" for c, r in ort)
        lines.append(f"| placement ≥ 1.0× OR-Tools MCF speed, 10k–640k children (build + solve) | {text} (lowest {worst[1]:.1f}×) | {yes(worst[1] >= 1.0)} |")
    if lp:
        worst = min(lp, key=lambda x: x[1])
        text = ", ".join(f"{c // 1000 if c >= 1000 else c}{'k' if c >= 1000 else ''} {r:.0f}×" for c, r in lp)
        lines.append(f"| ≥ 20× faster than the plain good_lp + HiGHS LP | {text} | {yes(worst[1] >= 20)} |")
    by_area = {r.get("area", ""): r for r in lists}
    random20 = next((r for a, r in by_area.items() if a.startswith("random 20000x600")), None)
    if random20 and "all_lists_seconds" in random20:
        sampled = f" (measured on {random20['listed']:,} children, scaled)" if random20["listed"] < random20["children"] else ""
        lines.append(f"| all lists, 20k children × 600 settings × 40 rules ≤ 0.3 s | {seconds(random20['all_lists_seconds'])}{sampled}, "
                     f"with the shipped {random20['rules']} rules, {random20['threads']} threads | {yes(random20['all_lists_seconds'] <= 0.3)} |")
        one = medians.get("lists/random_20000x600/one_child_list")
        median_ms = random20["one_child_ms"]
        fixed = f"; criterion, child 17: {one * 1e3:.2f} ms" if one is not None else ""
        met = yes(median_ms <= 1.0) if one is None or (median_ms <= 1.0) == (one * 1e3 <= 1.0) else "partly"
        lines.append(f"| one child's list ≤ 1 ms | median over 200 children of the 20k × 600 area: {median_ms:.2f} ms{fixed} | {met} |")
    national = [r for r in lists if "all_lists_seconds" in r and r["children"] >= 500_000]
    for r in national:
        lines.append(f"| national: all lists ≤ 30 s ({r['area']}) | {seconds(r['all_lists_seconds'])} for {r['children']:,} children × {r['settings']:,} settings "
                     f"(measured on {r['listed']:,} children, scaled) | {yes(r['all_lists_seconds'] <= 30)} |")
    big = next((s for s in sizes if s["children"] >= 600_000), None)
    if big:
        by = {r["engine"]: r for r in big["records"]}
        f = by.get("placewise-flow")
        if f and total(f):
            lines.append(f"| national: placement ≤ 2 min | {seconds(total(f))} build + solve ({seconds(f.get('wall_seconds'))} wall with reading the instance), "
                         f"{big['children']:,} children × {big['candidates']:,} arcs | {yes(total(f) <= 120)} |")
            peak = max([f.get("max_rss_mib") or 0] + [r.get("max_rss_mib") or 0 for r in national])
            lines.append(f"| national: peak memory ≤ 8 GiB | placement {mib(f.get('max_rss_mib'))}"
                         + "".join(f", lists {mib(r.get('max_rss_mib'))}" for r in national) + f" | {yes(peak <= 8192)} |")
    for extra in peers.get("extra", []):
        by = {r["engine"]: r for r in extra["records"]}
        f = by.get("placewise-flow")
        if total(f) and extra["children"] >= 100_000:
            built = extra.get("export_seconds")
            lines.append(f"| national: placement ≤ 2 min, on the real round ({extra['label']}: {extra['children']:,} children, "
                         f"{extra['candidates']:,} arcs) | {seconds(total(f))} build + solve, peak {mib(f.get('max_rss_mib'))}"
                         + (f"; building the round from the area and writing it: {seconds(built)}" if built else "")
                         + f" | {yes(total(f) <= 120 and (f.get('max_rss_mib') or 0) <= 8192)} |")
    for extra in peers.get("extra", []):
        by = {r["engine"]: r for r in extra["records"]}
        f, o = total(by.get("placewise-flow")), total(by.get("ortools-mcf"))
        if f and o and extra["children"] >= 1_000:
            lines.append(f"| (OR-Tools goal on {extra['label']}: {extra['children']:,} children, {extra['candidates']:,} arcs) "
                         f"| {o / f:.2f}× ({seconds(f)} against {seconds(o)}) | {yes(o / f >= 1.0)} |")
        h = total(by.get("placewise-highs-lp"))
        if f and h and extra["children"] >= 1_000:
            lines.append(f"| (good_lp goal on {extra['label']}) | {h / f:.0f}× ({seconds(f)} against {seconds(h)}) | {yes(h / f >= 20)} |")
    return lines


def machine_section(m):
    lines = ["## Machine", ""]
    lines.append(f"- CPU: {m.get('cpu', '?')} — `nproc` = {m.get('nproc', '?')}")
    lines.append(f"- Memory (`free -h`): {m.get('memory', '?')}")
    lines.append(f"- OS: {m.get('os', '?')}; {m.get('rustc', '?')}; Python {m.get('python', '?')}")
    lines.append(f"- Peers (pinned in `benches/peers/requirements.txt`): {m.get('peers', '?')}")
    lines.append(f"- placewise commit: `{m.get('commit', '?')}`{' (with uncommitted changes)' if m.get('dirty') else ''}")
    lines.append(f"- Run: {m.get('started', '?')} → {m.get('finished', '?')}, mode `{m.get('mode', '?')}`; "
                 f"load average before {m.get('load_before', '?')}, after {m.get('load_after', '?')}")
    return lines


def peers_section(peers):
    lines = ["## Placement: placewise against its peers", ""]
    lines.append(
        f"Instances from `placewise-dev bench-instance` (geo costs: children and settings at random points, each child's "
        f"{peers['candidates_per_child']} candidates a random half of its {2 * peers['candidates_per_child']} nearest settings, "
        f"cost = distance + noise; one pool per setting, free places ≈ 90% of the children; one setting per "
        f"{1 / peers['settings_per_child']:.2f} children as in England, 26,500 settings for 640,000 children; seed {peers['seed']}). "
        "Every engine runs in its own process on the same file. *Build* is building the solver's model from the "
        "loaded instance, *solve* the solver call; reading the file is not counted. *Peak* is the maximum resident "
        "set of the whole process from `/usr/bin/time -v` (for the Python peers it includes the interpreter, numpy "
        "and pandas, about 90 MiB; for PuLP it is the larger of Python and CBC). "
        "placewise-flow, OR-Tools and placewise-stable are the median of 3 runs up to 100k children; everything "
        "else is a single run."
    )
    lines.append("")
    lines.append("Engines: " + "; ".join(f"**{e}** — {n}" for e, n in ENGINE_NOTES.items()) + ".")
    lines.append("")
    lines.append("### Times (build + solve) and peak memory")
    lines.append("")
    engines = [e for e in ENGINE_NOTES if any(r["engine"] == e for s in peers["sizes"] for r in s["records"])]
    lines.append("| children | settings (pools) | arcs | " + " | ".join(engines) + " |")
    lines.append("|---:|---:|---:|" + "---|" * len(engines))
    for size in peers["sizes"] + peers.get("extra", []):
        by = {r["engine"]: r for r in size["records"]}
        generated = size in peers["sizes"]
        cells = []
        for e in engines:
            r = by.get(e)
            if r is None:
                cells.append("")
            elif r.get("solve_seconds") is None:
                cells.append(r.get("status", "failed"))
            else:
                cells.append(f"{seconds(total(r))} · {mib(r.get('max_rss_mib'))}")
        label = f"{size['children']:,}" if generated else f"{size['label']} ({size['children']:,})"
        lines.append(f"| {label} | {size['settings']:,} | {size['candidates']:,} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("### Ratios: peer time / placewise-flow time (same instance, same run)")
    lines.append("")
    lines.append("Above 1 means placewise is faster. *solve* compares the solver calls alone; *total* compares build + "
                 "solve (for the good_lp model, whose build happens inside its solve call, only *total* exists).")
    lines.append("")
    lines.append("| children | OR-Tools MCF solve | OR-Tools MCF total | good_lp+HiGHS LP total | highspy LP solve | "
                 "PuLP+CBC total | flow total | OR-Tools total |")
    lines.append("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in peers["sizes"] + peers.get("extra", []):
        by = {r["engine"]: r for r in size["records"]}
        flow = by.get("placewise-flow")
        ort = by.get("ortools-mcf")
        if flow is None or flow.get("solve_seconds") is None:
            continue
        get = lambda e, key: (by.get(e) or {}).get(key)  # noqa: E731
        lines.append(
            f"| {size['label']} | {ratio(get('ortools-mcf', 'solve_seconds'), flow['solve_seconds'])} "
            f"| {ratio(total(ort), total(flow))} "
            f"| {ratio(total(by.get('placewise-highs-lp')), total(flow))} "
            f"| {ratio(get('highspy-lp', 'solve_seconds'), flow['solve_seconds'])} "
            f"| {ratio(total(by.get('pulp-cbc')), total(flow))} "
            f"| {seconds(total(flow))} | {seconds(total(ort))} |"
        )
    lines.append("")
    lines.append("### Objectives")
    lines.append("")
    if peers.get("problems"):
        lines.append("**The objectives did not all agree:**")
        lines.append("")
        lines += [f"- {p}" for p in peers["problems"]]
    else:
        lines.append("On every instance all exact engines (the flow core, OR-Tools, both HiGHS LPs, the HiGHS MIP and "
                     "CBC) reported the same integer objective — the LP relaxations came out integral, as they must on "
                     "a transportation problem — and placewise-stable and `matching` found the same stable matching "
                     "objective.")
    lines.append("")
    lines.append("| instance | optimal objective | placed | stable objective |")
    lines.append("|---|---:|---:|---:|")
    for size in peers["sizes"] + peers.get("extra", []):
        by = {r["engine"]: r for r in size["records"]}
        flow = by.get("placewise-flow") or {}
        stable = by.get("placewise-stable") or {}
        lines.append(f"| {size['label']} | {flow.get('objective', '–')} | {flow.get('placed', '–')} | {stable.get('objective', '–')} |")
    return lines


def scaling_section(peers):
    lines = ["## Scaling curve: time against children", ""]
    lines.append("Build + solve time of the flow core and OR-Tools on the instances above; `log-log slope` is the "
                 "exponent between one size and the next (1 = linear).")
    lines.append("")
    lines.append("| children | arcs | placewise-flow | slope | OR-Tools MCF | slope | flow peak | OR-Tools peak |")
    lines.append("|---:|---:|---:|---:|---:|---:|---:|---:|")
    prev = None
    for size in peers["sizes"]:
        by = {r["engine"]: r for r in size["records"]}
        f, o = total(by.get("placewise-flow")), total(by.get("ortools-mcf"))
        slope = lambda a, b: "–" if prev is None or a is None or b is None or a <= 0 or b <= 0 else f"{math.log(a / b) / math.log(size['children'] / prev['children']):.2f}"  # noqa: E731
        fs = slope(f, prev and prev["f"])
        os_ = slope(o, prev and prev["o"])
        lines.append(
            f"| {size['children']:,} | {size['candidates']:,} | {seconds(f)} | {fs} | {seconds(o)} | {os_} "
            f"| {mib((by.get('placewise-flow') or {}).get('max_rss_mib'))} | {mib((by.get('ortools-mcf') or {}).get('max_rss_mib'))} |"
        )
        prev = {"children": size["children"], "f": f, "o": o}
    lines.append("")
    lines.append("![scaling](benches/peers/results/scaling.svg)")
    return lines


def scaling_svg(peers, path):
    """A small log-log chart of time against children (no plotting library needed)."""
    series = {"placewise-flow": "#1b6ac9", "ortools-mcf": "#d9480f", "placewise-highs-lp": "#2b8a3e", "highspy-lp": "#862e9c"}
    points = {e: [] for e in series}
    for size in peers["sizes"]:
        for r in size["records"]:
            if r["engine"] in series and total(r):
                points[r["engine"]].append((size["children"], total(r)))
    xs = [x for p in points.values() for x, _ in p]
    ys = [y for p in points.values() for _, y in p]
    if not xs:
        return
    w, h, m = 640, 400, 60
    lx0, lx1 = math.log10(min(xs)), math.log10(max(xs)) + 1e-9
    ly0, ly1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
    ly1 = max(ly1, ly0 + 1)
    px = lambda x: m + (math.log10(x) - lx0) / (lx1 - lx0) * (w - 2 * m)  # noqa: E731
    py = lambda y: h - m - (math.log10(y) - ly0) / (ly1 - ly0) * (h - 2 * m)  # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{w / 2}" y="20" text-anchor="middle" font-size="14">Build + solve time against children (log-log)</text>']
    for e in range(ly0, ly1 + 1):
        y = py(10**e)
        out.append(f'<line x1="{m}" y1="{y:.1f}" x2="{w - m}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{m - 6}" y="{y + 4:.1f}" text-anchor="end">{seconds(10**e)}</text>')
    for size in peers["sizes"]:
        x = px(size["children"])
        out.append(f'<line x1="{x:.1f}" y1="{h - m}" x2="{x:.1f}" y2="{h - m + 4}" stroke="#333"/>')
        out.append(f'<text x="{x:.1f}" y="{h - m + 18}" text-anchor="middle">{size["children"] // 1000}k</text>')
    out.append(f'<text x="{w / 2}" y="{h - 15}" text-anchor="middle">children</text>')
    for i, (engine, colour) in enumerate(series.items()):
        pts = points[engine]
        if not pts:
            continue
        path_d = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path_d}"/>')
        for x, y in pts:
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>')
        out.append(f'<text x="{m + 10}" y="{m + 16 * i}" fill="{colour}">{engine}</text>')
    out.append("</svg>")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text("\n".join(out) + "\n")


def criterion_section(medians, quick, rules):
    lines = ["## Criterion benchmarks (medians)", ""]
    lines.append("From `cargo bench --bench lists --bench placement`"
                 + (" with a short warm-up and measurement time (`--quick`)." if quick else ".")
                 + f" The rule set is the shipped England one ({rules} rules). All lists of the 20,000-child "
                 "area are timed once by `bench-lists` (above) rather than ten times here.")
    lines.append("")
    lines.append("| benchmark | what | median |")
    lines.append("|---|---|---:|")
    for full_id, what in CRITERION:
        lines.append(f"| `{full_id}` | {what} | {seconds(medians.get(full_id))} |")
    return lines


def lists_section(lists):
    lines = ["## Lists at scale", ""]
    if not lists:
        lines.append("Not run.")
        return lines
    lines.append("`placewise-dev bench-lists` builds the tailored list (top 10, with every excluded setting and its "
                 "reasons) of every child — or of an evenly spread sample, scaled up to all children — in parallel "
                 "on all cores, in chunks that are dropped as they are done; *one child* is the median of one list "
                 "built alone. Peak memory from `/usr/bin/time -v`.")
    lines.append("")
    lines.append("| area | children | settings | children listed | lists time | all lists (scaled) | one child | peak |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in lists:
        if "lists_seconds" not in r:
            lines.append(f"| {r.get('area', '?')} | | | | {r.get('status', 'failed')} | | | |")
            continue
        lines.append(
            f"| {r['area']} | {r['children']:,} | {r['settings']:,} | {r['listed']:,} | {seconds(r['lists_seconds'])} "
            f"| {seconds(r['all_lists_seconds'])} | {r['one_child_ms']:.3f} ms | {mib(r.get('max_rss_mib'))} |"
        )
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers", required=True)
    parser.add_argument("--lists")
    parser.add_argument("--criterion")
    parser.add_argument("--machine")
    parser.add_argument("--findings", help="hand-written findings (markdown) to include verbatim")
    parser.add_argument("--command", default="scripts/bench")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    peers = json.loads(Path(args.peers).read_text())
    lists = json.loads(Path(args.lists).read_text()) if args.lists and Path(args.lists).exists() else []
    machine = json.loads(Path(args.machine).read_text()) if args.machine and Path(args.machine).exists() else {}
    medians = criterion_medians(args.criterion)
    root = Path(args.out).resolve().parent
    scaling_svg(peers, root / "benches/peers/results/scaling.svg")

    lines = ["# Benchmarks", ""]
    lines.append(f"Generated by `{args.command}` (see *Reproducing* below); every figure is from that one run. "
                 "Do not edit by hand: run the command again.")
    lines.append("")
    if args.findings and Path(args.findings).exists():
        lines += Path(args.findings).read_text().rstrip().splitlines()
        lines.append("")
    lines += goals_section(peers, lists, medians) + [""]
    lines += machine_section(machine) + [""]
    lines += peers_section(peers) + [""]
    lines += scaling_section(peers) + [""]
    lines += lists_section(lists) + [""]
    rules = next((r["rules"] for r in lists if "rules" in r), "?")
    lines += criterion_section(medians, peers.get("quick"), rules) + [""]
    lines += ["## Reproducing", ""]
    lines.append("```sh")
    lines += machine.get("commands", [args.command])
    lines.append("```")
    lines.append("")
    Path(args.out).write_text("\n".join(lines))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
