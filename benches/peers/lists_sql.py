#!/usr/bin/env python3
"""placewise lists against the query an LA analyst would write in DuckDB, side by side.

    lists_sql.py --placewise BIN --out results/lists_sql.json [--repeats 3] AREA_DIR[:LABEL] ...

For each area folder, in one run and alternating: (1) `placewise-dev bench-lists` (every child's
tailored list built in memory: the engine's own time), (2) `placewise list --all --format csv
--out FILE` under /usr/bin/time (the whole command: load, lists, CSV written to disk), and
(3) the DuckDB query below (read the area's CSVs, cross join, the hard rules, the score rules,
top 10 per child written to CSV). Reports medians and ratios, and checks that both sides find
the same number of suitable (child, setting) pairs.

Rules the query covers (from rules/england/suitability.toml and scoring.toml): every excluding
hard rule — H-YEAR, H-SEX, H-FEATURES, H-DESIGNATION, H-PLAN-LEVEL, H-PMLD, H-SLD-HIGH,
H-VERY-HIGH, H-AP-SEMH, H-FE-POST16 — and the score rules S-DESIGNATION, S-TRAVEL,
S-PREFERENCE, S-FREE-PLACE, S-SIBLING, S-CONTINUITY and S-MAINSTREAM. Not covered: the flag
H-TRAVEL, the four condition score rules (S-HI-SIGNING, S-PD-ACCESS, S-SEMH-SMALL,
S-ASD-SENSORY), s.39 preference naming and the s.33 mainstream-first order (the query ranks by
score alone), and every explanation. So the query does less work than placewise.
"""

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_io import dev_binary, run_each
from timed import last_json, timed

QUERY = r"""
CREATE OR REPLACE TEMP TABLE c AS
SELECT id,
       CASE WHEN year = 'R' THEN 0 ELSE CAST(year AS INTEGER) END AS yr,
       upper(sex) AS sex,
       CAST(easting AS DOUBLE) AS e, CAST(northing AS DOUBLE) AS n,
       primary_need AS pn,
       CASE WHEN coalesce(secondary_needs, '') = '' THEN []::VARCHAR[] ELSE string_split(secondary_needs, ';') END AS sec,
       CASE WHEN coalesce(features, '') = '' THEN []::VARCHAR[] ELSE string_split(features, ';') END AS feats,
       CAST(intensity_cognition AS INTEGER) AS icog,
       CAST(intensity_communication AS INTEGER) + CAST(intensity_cognition AS INTEGER)
         + CAST(intensity_semh AS INTEGER) + CAST(intensity_sensory AS INTEGER) AS tot,
       plan_level,
       coalesce(current_setting, '') AS cur,
       CASE WHEN coalesce(preferences, '') = '' THEN []::VARCHAR[] ELSE string_split(preferences, ';') END AS prefs,
       CASE WHEN coalesce(siblings_at, '') = '' THEN []::VARCHAR[] ELSE string_split(siblings_at, ';') END AS sibs
FROM read_csv('{dir}/children.csv', all_varchar = true);

CREATE OR REPLACE TEMP TABLE s AS
SELECT id, kind, coalesce(host, '') AS host,
       CASE WHEN first_year = 'R' THEN 0 ELSE CAST(first_year AS INTEGER) END AS fy,
       CASE WHEN last_year = 'R' THEN 0 ELSE CAST(last_year AS INTEGER) END AS ly,
       lower(coalesce(admits, 'mixed')) AS admits,
       CAST(easting AS DOUBLE) AS e, CAST(northing AS DOUBLE) AS n,
       CASE WHEN coalesce(designations, '') = '' THEN []::VARCHAR[] ELSE string_split(designations, ';') END AS des,
       CASE WHEN coalesce(features, '') = '' THEN []::VARCHAR[] ELSE string_split(features, ';') END AS feats
FROM read_csv('{dir}/settings.csv', all_varchar = true);

CREATE OR REPLACE TEMP TABLE free AS
SELECT setting, y AS yr, bool_or(CAST(capacity AS INTEGER) > CAST(on_roll AS INTEGER)) AS has_free
FROM read_csv('{dir}/pools.csv', all_varchar = true), range(0, 15) t(y)
WHERE y BETWEEN (CASE WHEN first_year = 'R' THEN 0 ELSE CAST(first_year AS INTEGER) END)
            AND (CASE WHEN last_year = 'R' THEN 0 ELSE CAST(last_year AS INTEGER) END)
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE suitable AS
SELECT c.id AS child, s.id AS setting,
       30 * (CASE WHEN list_contains(s.des, c.pn) THEN 1.0
                  WHEN list_has_any(s.des, c.sec) THEN 0.5 ELSE 0.0 END)
     + 25 * greatest(0.0, 1.0 - (sqrt((c.e - s.e) ^ 2 + (c.n - s.n) ^ 2) * 1.3 / 1000.0 / 30.0 * 60.0)
                         / (1.5 * CASE WHEN c.yr <= 6 THEN 45.0 ELSE 75.0 END))
     + 20 * coalesce(1.0 / list_position(c.prefs, s.id), 0.0)
     + 15 * (CASE WHEN coalesce(f.has_free, false) THEN 1.0 ELSE 0.0 END)
     + 10 * (CASE WHEN list_contains(c.sibs, s.id) OR list_contains(c.sibs, s.host) THEN 1.0 ELSE 0.0 END)
     + 10 * (CASE WHEN c.cur = s.id THEN 1.0 ELSE 0.0 END)
     + 10 * (CASE WHEN s.kind IN ('mainstream', 'resourced-provision', 'sen-unit') THEN 1.0 ELSE 0.0 END)
       AS score
FROM c CROSS JOIN s
LEFT JOIN free f ON f.setting = s.id AND f.yr = c.yr
WHERE c.yr BETWEEN s.fy AND s.ly                                                   -- H-YEAR
  AND (s.admits = 'mixed' OR (s.admits = 'girls' AND c.sex IN ('F', 'FEMALE'))
       OR (s.admits = 'boys' AND c.sex IN ('M', 'MALE')))                          -- H-SEX
  AND list_has_all(s.feats, c.feats)                                               -- H-FEATURES
  AND (s.kind NOT IN ('resourced-provision', 'sen-unit', 'special-maintained', 'special-academy',
                      'special-non-maintained', 'special-independent')
       OR list_contains(s.des, c.pn) OR list_has_any(s.des, c.sec))                -- H-DESIGNATION
  AND NOT (c.plan_level = 'sen-support' AND s.kind NOT IN
           ('mainstream', 'independent-mainstream', 'alternative-provision', 'further-education'))  -- H-PLAN-LEVEL
  AND NOT (c.pn = 'PMLD' AND s.kind NOT IN
           ('special-maintained', 'special-academy', 'special-non-maintained', 'special-independent'))  -- H-PMLD
  AND NOT (c.pn = 'SLD' AND c.icog >= 3 AND s.kind IN ('mainstream', 'independent-mainstream'))  -- H-SLD-HIGH
  AND NOT (c.tot >= 10 AND s.kind IN ('mainstream', 'independent-mainstream'))      -- H-VERY-HIGH
  AND NOT (c.pn <> 'SEMH' AND s.kind = 'alternative-provision')                      -- H-AP-SEMH
  AND NOT (c.yr <= 11 AND s.kind = 'further-education');                             -- H-FE-POST16

COPY (
  SELECT child, setting, rank, round(score, 2) AS score FROM (
    SELECT *, row_number() OVER (PARTITION BY child ORDER BY score DESC, setting) AS rank FROM suitable
  ) WHERE rank <= 10 ORDER BY child, rank
) TO '{out}' (HEADER);
"""


def run_duckdb(area, out):
    import duckdb
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute(QUERY.format(dir=area, out=out))
    seconds = time.perf_counter() - started
    pairs = con.execute("SELECT count(*) FROM suitable").fetchone()[0]
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.close()
    return seconds, pairs, threads


def run_placewise_bench(placewise, area):
    proc = subprocess.run([dev_binary(placewise), "bench-lists", "--json", "--area", area], capture_output=True, text=True,
                          check=True)
    return last_json(proc.stdout)


def run_placewise_csv(placewise, area, out):
    _, wall, rss = timed([placewise, "list", "--area", area, "--all", "--format", "csv", "--out", out], check=True,
                         capture_output=True)
    return wall, rss, Path(out).stat().st_size


def measure(args, spec):
    """Measures one AREA_DIR[:LABEL], prints its line and returns its record."""
    area, _, label = spec.partition(":")
    label = label or Path(area).name
    lists, csv_wall, csv_rss, duck = [], [], [], []
    pairs = duck_pairs = size = threads = None
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeats):
            rep = run_placewise_bench(args.placewise, area)
            lists.append(rep["lists_seconds"])
            pairs = rep["suitable_pairs"]
            seconds, duck_pairs, threads = run_duckdb(area, f"{tmp}/top10.csv")
            duck.append(seconds)
            wall, rss, size = run_placewise_csv(args.placewise, area, f"{tmp}/lists.csv")
            csv_wall.append(wall)
            csv_rss.append(rss)
            Path(f"{tmp}/lists.csv").unlink()
    record = {
        "area": label, "children": rep["children"], "settings": rep["settings"], "repeats": args.repeats,
        "placewise_lists_seconds": statistics.median(lists),
        "placewise_list_csv_seconds": statistics.median(csv_wall),
        "placewise_list_csv_peak_mib": max(r for r in csv_rss if r is not None) if any(csv_rss) else None,
        "placewise_list_csv_bytes": size,
        "duckdb_seconds": statistics.median(duck), "duckdb_threads": threads,
        "suitable_pairs_placewise": pairs, "suitable_pairs_duckdb": duck_pairs,
    }
    record["ratio_lists"] = record["duckdb_seconds"] / record["placewise_lists_seconds"]
    record["ratio_list_csv"] = record["duckdb_seconds"] / record["placewise_list_csv_seconds"]
    print(f"{label}: {record['children']} × {record['settings']}: placewise lists {record['placewise_lists_seconds']:.2f} s, "
          f"list --all csv {record['placewise_list_csv_seconds']:.2f} s ({size / 1e9:.2f} GB, peak "
          f"{record['placewise_list_csv_peak_mib']:.0f} MiB), DuckDB {record['duckdb_seconds']:.2f} s "
          f"({threads} threads); DuckDB / placewise: {record['ratio_lists']:.1f}× (lists), "
          f"{record['ratio_list_csv']:.1f}× (whole csv command); suitable pairs {pairs} vs {duck_pairs}",
          flush=True)
    return record


def main():
    run_each(__doc__, "areas", measure, ("--repeats", int, 3))
    return 0


if __name__ == "__main__":
    sys.exit(main())
