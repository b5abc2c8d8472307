//! A plain-text exchange format for placement problems, and a seeded generator of synthetic
//! ones, so that placewise and other solvers (OR-Tools, HiGHS, CBC, ...) can be timed on the
//! very same instance.
//!
//! # Format (`v1`)
//!
//! ASCII, one record per line, fields separated by single spaces, every number a decimal
//! integer. The first line is the header; then come exactly `M` pool lines, `N` child lines and
//! `K` candidate lines, in that order:
//!
//! ```text
//! placewise-instance v1 children N pools M candidates K
//! P free setting locality mainstream        (M lines; pool p is the p-th P line, from 0)
//! C unplaced_cost sibling_group             (N lines; child c is the c-th C line, from 0)
//! A child pool cost pounds                  (K lines, sorted by (child, pool), no repeats)
//! ```
//!
//! * `P`: places still free, the index of the owning setting, the locality index, and `1` when
//!   the pool is in a mainstream school (`0` otherwise).
//! * `C`: the cost of leaving the child unplaced, and its sibling group (`-` for none).
//! * `A`: a candidate pair with its integer objective cost and its annual cost in pounds.
//!
//! The objective of a placement is the sum of the chosen pairs' `cost` plus the
//! `unplaced_cost` of every child left without a place; pools hold at most `free` children.
//!
//! Every section has a fixed number of fields and a known line range, so a reader in another
//! language can load each section as one numeric table (for instance with
//! `pandas.read_csv(sep=" ", skiprows=..., nrows=..., usecols=...)`).
//!
//! ```
//! use placewise::testing::solve::instance::{CostModel, generate, read_instance, write_instance};
//!
//! let problem = generate(100, 8, 5, CostModel::Geo, 7);
//! let mut text = Vec::new();
//! write_instance(&problem, &mut text).unwrap();
//! assert!(text.starts_with(b"placewise-instance v1 children 100 pools 8 candidates 500\n"));
//! assert_eq!(read_instance(&text[..]).unwrap(), problem);
//! ```

use std::fmt;
use std::io::{self, BufRead, Write};
use std::str::FromStr;

use super::problem::{Candidate, Demand, PlacementProblem, Pool};
use crate::rng::Rng;

/// First word of the header line.
pub const MAGIC: &str = "placewise-instance";
/// Format version written by [`write_instance`] and accepted by [`read_instance`].
pub const VERSION: &str = "v1";

/// A located failure to read an instance.
#[derive(Debug, thiserror::Error)]
pub enum InstanceError {
    /// A line is malformed or the file is inconsistent; `line` counts from 1.
    #[error("line {line}: {message}")]
    Parse { line: usize, message: String },
    /// The input could not be read (after `line` complete lines).
    #[error("after line {line}: {source}")]
    Io {
        line: usize,
        #[source]
        source: io::Error,
    },
}

/// Writes `problem` in the `v1` format (see the module documentation).
///
/// # Errors
/// Any error of the underlying writer. Candidates are written in the order given: they should
/// already be sorted by (child, pool), as [`PlacementProblem`] requires.
pub fn write_instance(problem: &PlacementProblem, out: impl Write) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 20, out);
    writeln!(
        out,
        "{MAGIC} {VERSION} children {} pools {} candidates {}",
        problem.children.len(),
        problem.pools.len(),
        problem.candidates.len()
    )?;
    for p in &problem.pools {
        writeln!(
            out,
            "P {} {} {} {}",
            p.free,
            p.setting,
            p.locality,
            u8::from(p.mainstream)
        )?;
    }
    for c in &problem.children {
        match c.sibling_group {
            Some(g) => writeln!(out, "C {} {g}", c.unplaced_cost)?,
            None => writeln!(out, "C {} -", c.unplaced_cost)?,
        }
    }
    for a in &problem.candidates {
        writeln!(out, "A {} {} {} {}", a.child, a.pool, a.cost, a.pounds)?;
    }
    out.flush()
}

/// Reads an instance in the `v1` format and checks it: counts as the header says, indices in
/// range, candidates sorted by (child, pool) without repeats.
///
/// # Errors
/// [`InstanceError::Parse`] with the line number of the first problem found, or
/// [`InstanceError::Io`]. Never panics on bad input.
pub fn read_instance(input: impl BufRead) -> Result<PlacementProblem, InstanceError> {
    let mut lines = Lines { input, line: 0 };
    let mut buf = Vec::with_capacity(128);
    let header = lines
        .next(&mut buf)?
        .ok_or_else(|| lines.error("empty input: expected the header line"))?;
    let (children, pools, candidates) = parse_header(header).map_err(|m| lines.error(m))?;
    // Do not trust the header with huge allocations up front.
    let reserve = |n: usize| n.min(1 << 24);
    let mut problem = PlacementProblem {
        children: Vec::with_capacity(reserve(children)),
        pools: Vec::with_capacity(reserve(pools)),
        candidates: Vec::with_capacity(reserve(candidates)),
        fixed: Default::default(),
    };
    for _ in 0..pools {
        let [free, setting, locality, mainstream] = lines.record(&mut buf, b'P')?;
        let mainstream = match mainstream {
            b"0" => false,
            b"1" => true,
            other => {
                return Err(lines.error(format!(
                    "mainstream must be 0 or 1, not `{}`",
                    String::from_utf8_lossy(other)
                )));
            }
        };
        problem.pools.push(Pool {
            free: lines.number(free, "free")?,
            setting: lines.number(setting, "setting")?,
            locality: lines.number(locality, "locality")?,
            mainstream,
        });
    }
    for _ in 0..children {
        let [unplaced_cost, sibling_group] = lines.record(&mut buf, b'C')?;
        let sibling_group = match sibling_group {
            b"-" => None,
            g => Some(lines.number(g, "sibling_group")?),
        };
        problem.children.push(Demand {
            unplaced_cost: lines.number(unplaced_cost, "unplaced_cost")?,
            sibling_group,
        });
    }
    let mut previous: Option<(u32, u32)> = None;
    for _ in 0..candidates {
        let [child, pool, cost, pounds] = lines.record(&mut buf, b'A')?;
        let child: u32 = lines.number(child, "child")?;
        let pool: u32 = lines.number(pool, "pool")?;
        let cost = lines.number(cost, "cost")?;
        let pounds = lines.number(pounds, "pounds")?;
        if child as usize >= children {
            return Err(lines.error(format!(
                "child {child} is out of range (the header says {children} children)"
            )));
        }
        if pool as usize >= pools {
            return Err(lines.error(format!(
                "pool {pool} is out of range (the header says {pools} pools)"
            )));
        }
        if let Some(last) = previous
            && last >= (child, pool)
        {
            return Err(lines.error(format!(
                "candidate ({child}, {pool}) comes after ({}, {}): candidates must be sorted by (child, pool) without repeats",
                last.0, last.1
            )));
        }
        previous = Some((child, pool));
        problem.candidates.push(Candidate {
            child,
            pool,
            cost,
            pounds,
        });
    }
    if lines.next(&mut buf)?.is_some() {
        return Err(lines.error(format!(
            "unexpected line after the {candidates} candidates the header announces"
        )));
    }
    Ok(problem)
}

/// Parses the header line into (children, pools, candidates).
fn parse_header(line: &[u8]) -> Result<(usize, usize, usize), String> {
    let text = std::str::from_utf8(line).map_err(|_| "the header is not UTF-8".to_string())?;
    let words: Vec<&str> = text.split_ascii_whitespace().collect();
    match words.as_slice() {
        [magic, version, "children", n, "pools", m, "candidates", k] if *magic == MAGIC => {
            if *version != VERSION {
                return Err(format!(
                    "unsupported version `{version}` (this reader knows {VERSION})"
                ));
            }
            let count = |w: &str, what: &str| {
                w.parse::<usize>()
                    .map_err(|_| format!("the number of {what} `{w}` is not a whole number"))
            };
            Ok((
                count(n, "children")?,
                count(m, "pools")?,
                count(k, "candidates")?,
            ))
        }
        _ => Err(format!(
            "expected the header `{MAGIC} {VERSION} children N pools M candidates K`, found `{}`",
            text.chars().take(80).collect::<String>()
        )),
    }
}

/// Line reader that counts lines; the caller owns the line buffer, so fields borrowed from it
/// do not hold the reader.
struct Lines<R> {
    input: R,
    /// Number of lines read so far (the current line's number, from 1).
    line: usize,
}

impl<R: BufRead> Lines<R> {
    /// The next line without its line ending, or `None` at the end of the input.
    fn next<'b>(&mut self, buf: &'b mut Vec<u8>) -> Result<Option<&'b [u8]>, InstanceError> {
        buf.clear();
        let n = self
            .input
            .read_until(b'\n', buf)
            .map_err(|source| InstanceError::Io {
                line: self.line,
                source,
            })?;
        if n == 0 {
            return Ok(None);
        }
        self.line += 1;
        let mut end = buf.len();
        while end > 0 && matches!(buf[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        Ok(Some(&buf[..end]))
    }

    fn error(&self, message: impl Into<String>) -> InstanceError {
        InstanceError::Parse {
            line: self.line.max(1),
            message: message.into(),
        }
    }

    /// The next line as a record of `tag` with exactly `N` fields after the tag.
    fn record<'b, const N: usize>(
        &mut self,
        buf: &'b mut Vec<u8>,
        tag: u8,
    ) -> Result<[&'b [u8]; N], InstanceError> {
        let Some(text) = self.next(buf)? else {
            return Err(InstanceError::Parse {
                line: self.line + 1,
                message: format!(
                    "unexpected end of input: expected a `{}` line",
                    char::from(tag)
                ),
            });
        };
        let mut words = text.split(|&b| b == b' ').filter(|f| !f.is_empty());
        if words.next() != Some(&[tag][..]) {
            return Err(self.error(format!(
                "expected a `{}` line (sections come in the order P, C, A), found `{}`",
                char::from(tag),
                String::from_utf8_lossy(&text[..text.len().min(60)])
            )));
        }
        let mut fields: [&[u8]; N] = [&[]; N];
        let mut count = 0;
        for word in words {
            if count < N {
                fields[count] = word;
            }
            count += 1;
        }
        if count != N {
            return Err(self.error(format!(
                "a `{}` line has {N} fields after the tag, this one has {count}",
                char::from(tag)
            )));
        }
        Ok(fields)
    }

    /// Parses one numeric field.
    fn number<T: FromStr>(&self, field: &[u8], what: &str) -> Result<T, InstanceError> {
        std::str::from_utf8(field)
            .ok()
            .and_then(|s| s.parse::<T>().ok())
            .ok_or_else(|| {
                self.error(format!(
                    "{what} `{}` is not a valid {} number",
                    String::from_utf8_lossy(field),
                    std::any::type_name::<T>()
                ))
            })
    }
}

/// How [`generate`] makes candidate pairs and their costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CostModel {
    /// Children and pools at random points of the unit square. Each child's candidates are a
    /// random half of its `2 × per_child` nearest pools (ties: lower pool index), costing their
    /// distance × 1e6 plus noise below 1e5, so neighbours compete for the same pools.
    Geo,
    /// Candidate pools drawn uniformly without repeats, costs uniform in `1..=1e6`.
    Uniform,
}

impl fmt::Display for CostModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CostModel::Geo => "geo",
            CostModel::Uniform => "uniform",
        })
    }
}

impl FromStr for CostModel {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "geo" => Ok(CostModel::Geo),
            "uniform" => Ok(CostModel::Uniform),
            other => Err(format!(
                "unknown cost model `{other}` (expected geo or uniform)"
            )),
        }
    }
}

/// Cost of leaving a generated child unplaced: far above any candidate cost.
pub const GENERATED_UNPLACED_COST: i64 = 1_000_000_000;

/// A seeded synthetic placement problem: `children` children, `pools` pools whose free places
/// add up to about 90% of the children (each pool uniform in `0..=2 × mean`), and `per_child`
/// candidates per child (fewer if there are fewer pools), with costs from `costs`. Leaving a
/// child unplaced costs [`GENERATED_UNPLACED_COST`]; a pair's `pounds` is `20,000 + cost / 100`.
/// The same arguments always give the same problem.
///
/// The geo model finds nearest pools through a uniform grid, so generating a national-size
/// problem (hundreds of thousands of children, tens of thousands of pools) takes seconds.
pub fn generate(
    children: usize,
    pools: usize,
    per_child: usize,
    costs: CostModel,
    seed: u64,
) -> PlacementProblem {
    let mut rng = Rng(seed);
    let mean_free = 0.9 * children as f64 / pools.max(1) as f64;
    let pool_list: Vec<Pool> = (0..pools)
        .map(|p| Pool {
            free: (rng.unit() * 2.0 * mean_free).round() as u32,
            setting: p as u32,
            locality: (p % 12) as u32,
            mainstream: p % 3 != 0,
        })
        .collect();
    let pool_xy: Vec<(f64, f64)> = (0..pools).map(|_| (rng.unit(), rng.unit())).collect();
    let grid = Grid::new(&pool_xy);
    let per_child = per_child.min(pools);
    let mut candidates = Vec::with_capacity(children * per_child);
    let mut near: Vec<(f64, u32)> = Vec::new();
    let mut chosen: Vec<(u32, i64)> = Vec::with_capacity(per_child);
    for child in 0..children as u32 {
        chosen.clear();
        match costs {
            CostModel::Geo => {
                let (x, y) = (rng.unit(), rng.unit());
                grid.nearest(&pool_xy, x, y, (2 * per_child).min(pools), &mut near);
                // Partial Fisher-Yates: a random `per_child` of the nearest.
                let n = near.len();
                for i in 0..per_child.min(n) {
                    let j = i + rng.below((n - i) as u64) as usize;
                    near.swap(i, j);
                    let (d, p) = near[i];
                    chosen.push((p, (d * 1_000_000.0) as i64 + rng.below(100_000) as i64));
                }
            }
            CostModel::Uniform => {
                // Floyd's sampling of `per_child` distinct pools.
                for j in pools - per_child..pools {
                    let t = rng.below(j as u64 + 1) as u32;
                    let p = if chosen.iter().any(|&(q, _)| q == t) {
                        j as u32
                    } else {
                        t
                    };
                    chosen.push((p, 1 + rng.below(1_000_000) as i64));
                }
            }
        }
        chosen.sort_unstable_by_key(|&(p, _)| p);
        candidates.extend(chosen.iter().map(|&(pool, cost)| Candidate {
            child,
            pool,
            cost,
            pounds: 20_000 + cost / 100,
        }));
    }
    PlacementProblem {
        children: vec![
            Demand {
                unplaced_cost: GENERATED_UNPLACED_COST,
                sibling_group: None,
            };
            children
        ],
        pools: pool_list,
        candidates,
        fixed: Default::default(),
    }
}

/// Pools bucketed by a `side × side` grid over the unit square (about two pools a cell).
struct Grid {
    side: usize,
    /// Pools of cell `i` are `members[start[i]..start[i + 1]]`, in index order.
    start: Vec<u32>,
    members: Vec<u32>,
}

impl Grid {
    fn new(points: &[(f64, f64)]) -> Grid {
        let side = ((points.len() as f64 / 2.0).sqrt() as usize).max(1);
        let cell_of = |&(x, y): &(f64, f64)| {
            let cx = ((x * side as f64) as usize).min(side - 1);
            let cy = ((y * side as f64) as usize).min(side - 1);
            cy * side + cx
        };
        let mut start = vec![0u32; side * side + 1];
        for p in points {
            start[cell_of(p) + 1] += 1;
        }
        for i in 0..side * side {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut members = vec![0u32; points.len()];
        for (i, p) in points.iter().enumerate() {
            let slot = &mut fill[cell_of(p)];
            members[*slot as usize] = i as u32;
            *slot += 1;
        }
        Grid {
            side,
            start,
            members,
        }
    }

    /// The `k` points nearest to `(x, y)` as (distance, index), sorted by (distance, index),
    /// into `out`. Exact: rings of cells are added until `k` points lie strictly closer than
    /// any point outside the rings can be.
    fn nearest(&self, points: &[(f64, f64)], x: f64, y: f64, k: usize, out: &mut Vec<(f64, u32)>) {
        out.clear();
        if k == 0 {
            return;
        }
        let side = self.side as i64;
        let cell = 1.0 / self.side as f64;
        let cx = ((x * self.side as f64) as i64).min(side - 1);
        let cy = ((y * self.side as f64) as i64).min(side - 1);
        let add = |gx: i64, gy: i64, out: &mut Vec<(f64, u32)>| {
            if (0..side).contains(&gx) && (0..side).contains(&gy) {
                let c = (gy * side + gx) as usize;
                for &p in &self.members[self.start[c] as usize..self.start[c + 1] as usize] {
                    let (px, py) = points[p as usize];
                    out.push((((px - x).powi(2) + (py - y).powi(2)).sqrt(), p));
                }
            }
        };
        let mut r = 0i64;
        loop {
            if r == 0 {
                add(cx, cy, out);
            } else {
                for gx in cx - r..=cx + r {
                    add(gx, cy - r, out);
                    add(gx, cy + r, out);
                }
                for gy in cy - r + 1..cy + r {
                    add(cx - r, gy, out);
                    add(cx + r, gy, out);
                }
            }
            let covers_all = cx - r <= 0 && cy - r <= 0 && cx + r >= side - 1 && cy + r >= side - 1;
            // Every point outside the rings is at least `r * cell` away.
            let safe = r as f64 * cell;
            if covers_all || out.iter().filter(|&&(d, _)| d < safe).count() >= k {
                break;
            }
            r += 1;
        }
        let by_distance = |a: &(f64, u32), b: &(f64, u32)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
        if out.len() > k {
            out.select_nth_unstable_by(k - 1, by_distance);
            out.truncate(k);
        }
        out.sort_unstable_by(by_distance);
    }
}

#[cfg(test)]
mod tests;
