//! A bounded, seeded mutation fuzz of every loader: area tables and area.toml, rule files, rule
//! test cases, scenario files, the DfE statistics files, GIAS-shaped school files and SEN2
//! returns (the XML message, imported end to end; the Blade folder has its own mutation run in
//! `tests/sen2.rs`). Each case
//! applies a few random edits (bytes changed, inserted or cut; lines dropped or duplicated;
//! fields swapped or emptied; a BOM, CRLF, NUL, non-UTF-8 bytes, huge or odd numbers) and must
//! end in a loaded value or located diagnostics, within a time bound, never a panic. Loaded
//! areas also go through lists and placement. A few cases run the real binary to check exit
//! codes and that no partial output file is left. Inputs that once failed are kept under
//! `fixtures/fuzz/regressions` and replayed first.

mod common;
use common::*;
use placewise::diag::{Diagnostics, Location};
use placewise::testing::engine::Engine;
use placewise::testing::io::load_area_with;
use placewise::testing::lists::{ListOptions, tailored_list};
use placewise::testing::placement::{PlacementOptions, place};
use placewise::testing::rules::{
    CompiledRules, ENGLAND_CASE_FILES, ENGLAND_FILES, RuleFiles, RuleSource,
};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Longest a single case may take before it counts as a hang.
const CASE_LIMIT: Duration = Duration::from_secs(20);
const SEED: u64 = 0x5EED_2026;

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut b = input.to_vec();
    for _ in 0..1 + rng.below(3) {
        let len = b.len().max(1) as u64;
        let at = rng.below(len) as usize;
        match rng.below(14) {
            0 if !b.is_empty() => {
                let i = at.min(b.len() - 1);
                b[i] = rng.below(256) as u8;
            }
            1 => {
                let bytes: &[&[u8]] = &[
                    b"\0",
                    b"\xff\xfe",
                    b",",
                    b"\"",
                    b"\n",
                    b"=",
                    b"[",
                    b"]",
                    b"\xc3\x28",
                    b"#",
                    b"'",
                ];
                let ins = rng.pick(bytes);
                b.splice(at.min(b.len())..at.min(b.len()), ins.iter().copied());
            }
            2 => {
                let end = (at + 1 + rng.below(40) as usize).min(b.len());
                b.drain(at.min(end)..end);
            }
            3 | 4 => {
                let mut lines: Vec<Vec<u8>> =
                    b.split(|&c| c == b'\n').map(|l| l.to_vec()).collect();
                let i = rng.below(lines.len() as u64) as usize;
                if rng.below(2) == 0 {
                    lines.remove(i);
                } else {
                    let l = lines[i].clone();
                    lines.insert(i, l);
                }
                b = lines.join(&b'\n');
            }
            5 | 6 => {
                let mut lines: Vec<Vec<u8>> =
                    b.split(|&c| c == b'\n').map(|l| l.to_vec()).collect();
                let i = rng.below(lines.len() as u64) as usize;
                let mut fields: Vec<Vec<u8>> =
                    lines[i].split(|&c| c == b',').map(|f| f.to_vec()).collect();
                let n = fields.len() as u64;
                let (x, y) = (rng.below(n) as usize, rng.below(n) as usize);
                if rng.below(2) == 0 {
                    fields.swap(x, y);
                } else {
                    fields[x].clear();
                }
                lines[i] = fields.join(&b',');
                b = lines.join(&b'\n');
            }
            7 => {
                b.splice(0..0, *b"\xef\xbb\xbf");
            }
            8 => {
                let mut out = Vec::with_capacity(b.len() + 64);
                for &c in &b {
                    if c == b'\n' {
                        out.push(b'\r');
                    }
                    out.push(c);
                }
                b = out;
            }
            9..=11 => {
                // Replace a run of digits with an odd number.
                let odd: &[&str] = &[
                    "99999999999999999999",
                    "1e308",
                    "-1",
                    "NaN",
                    "0",
                    "-0",
                    "4294967296",
                    "18446744073709551616",
                    "0.0000001",
                    "inf",
                    "2147483648",
                ];
                let start = (at..b.len()).find(|&i| b[i].is_ascii_digit());
                if let Some(s) = start {
                    let end = (s..b.len())
                        .find(|&i| !b[i].is_ascii_digit())
                        .unwrap_or(b.len());
                    b.splice(s..end, rng.pick(odd).bytes());
                }
            }
            12 => b.truncate(at),
            _ => {
                let end = (at + 1 + rng.below(8) as usize).min(b.len());
                if at < end {
                    b[at..end].reverse();
                }
            }
        }
    }
    b
}

/// Every diagnostic names a file and, where it has one, a line or row from 1.
fn located(d: &Diagnostics, what: &str) {
    assert!(!d.is_empty(), "{what}: an error without diagnostics");
    for x in &d.diagnostics {
        assert!(!x.file.as_os_str().is_empty(), "{what}: no file in {x}");
        match &x.location {
            Location::Text { line, column, .. } => {
                assert!(*line >= 1 && *column >= 1, "{what}: {x}")
            }
            Location::Row { row, .. } => assert!(*row >= 1, "{what}: {x}"),
            Location::Cell { sheet, .. } => assert!(!sheet.is_empty(), "{what}: {x}"),
            Location::File => {}
        }
        assert!(!x.message.is_empty(), "{what}: empty message");
    }
}

/// Runs `f` on a worker thread; a panic or a case over the limit fails the test with `what`.
fn bounded<F: FnOnce() + Send + 'static>(what: String, f: F) {
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::spawn(move || {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        let _ = tx.send(outcome.is_ok());
    });
    match rx.recv_timeout(CASE_LIMIT) {
        Ok(true) => {
            let _ = handle.join();
        }
        Ok(false) => panic!("panic in fuzz case {what}"),
        Err(_) => panic!("fuzz case {what} ran over {CASE_LIMIT:?}"),
    }
}

/// Saves a failing input as a regression fixture before the test fails.
fn keep(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join("placewise-fuzz-failures");
    let _ = std::fs::create_dir_all(&dir);
    let p = dir.join(name);
    let _ = std::fs::write(&p, bytes);
    p
}

/// Loads the area in `dir` and, when it loads, lists and places it; true when it loaded.
fn exercise_area(dir: &Path, what: &str) -> bool {
    match load_area_with(dir, &RuleSource::England) {
        Err(d) => {
            located(&d, what);
            false
        }
        Ok(loaded) => {
            let engine = Engine::new(&loaded.rules, &loaded.area);
            for c in 0..loaded.area.children.len() {
                let _ = tailored_list(&engine, c, ListOptions::new(5).unwrap());
            }
            let _ = place(&engine, &PlacementOptions::default());
            true
        }
    }
}

struct Counter {
    cases: usize,
    loaded: usize,
}

impl Counter {
    /// Runs one case on `bytes`, bounded in time and kept as `keep_name` if it fails, and
    /// counts it; `run` is given the case's name and says whether the input loaded.
    fn case<F: FnOnce(&str) -> bool + Send + 'static>(
        &mut self,
        what: String,
        keep_name: &str,
        bytes: &[u8],
        run: F,
    ) {
        let w = what.clone();
        let (tx, rx) = mpsc::channel();
        bounded_or_keep(what, keep_name, bytes, move || {
            let _ = tx.send(run(&w));
        });
        self.loaded += rx.try_recv().unwrap_or(false) as usize;
        self.cases += 1;
    }
}

fn area_cases(rng: &mut Rng, n: usize, count: &mut Counter) {
    let files = ["settings.csv", "pools.csv", "children.csv", "area.toml"];
    let originals: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(demo().join(f)).unwrap())
        .collect();
    for case in 0..n {
        let tmp = tempfile::tempdir().unwrap();
        let which = rng.below(files.len() as u64) as usize;
        let mut changed = Vec::new();
        for (i, f) in files.iter().enumerate() {
            let bytes = if i == which {
                mutate(rng, &originals[i])
            } else {
                originals[i].clone()
            };
            if i == which {
                changed = bytes.clone();
            }
            std::fs::write(tmp.path().join(f), &bytes).unwrap();
        }
        let dir = tmp.path().to_path_buf();
        let what = format!("area #{case} ({})", files[which]);
        let keep_name = format!("area-{case}-{}", files[which]);
        count.case(what, &keep_name, &changed, move |what| {
            exercise_area(&dir, what)
        });
        drop(tmp);
    }
}

fn bounded_or_keep<F: FnOnce() + Send + 'static>(
    what: String,
    keep_name: &str,
    bytes: &[u8],
    f: F,
) {
    let name = keep_name.to_string();
    let bytes = bytes.to_vec();
    let hook = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| bounded(what, f)));
    if let Err(e) = hook {
        let p = keep(&name, &bytes);
        eprintln!("failing input kept at {}", p.display());
        std::panic::resume_unwind(e);
    }
}

fn rule_cases(rng: &mut Rng, n: usize, count: &mut Counter) {
    for case in 0..n {
        let which = rng.below(ENGLAND_FILES.len() as u64) as usize;
        let mut files = RuleFiles::england();
        let bytes = mutate(rng, files.files[which].1.as_bytes());
        let name = ENGLAND_FILES[which].0;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        files.files[which].1 = text;
        let what = format!("rules #{case} ({name})");
        count.case(what, &format!("rules-{case}-{name}"), &bytes, move |what| {
            match placewise::testing::rules::load_layers(&[files], Path::new("rules")) {
                Err(d) => {
                    located(&d, what);
                    false
                }
                Ok(set) => {
                    let compiled = CompiledRules::new(set);
                    let cases = RuleFiles::england_cases();
                    let _ = placewise::testing::rules::tests_data::read_case_files(
                        &cases,
                        &compiled.rules,
                    );
                    true
                }
            }
        });
    }
}

fn rule_test_cases(rng: &mut Rng, n: usize, count: &mut Counter) {
    let rules = placewise::testing::rules::RuleSet::england();
    for case in 0..n {
        let bytes = mutate(rng, ENGLAND_CASE_FILES[0].1.as_bytes());
        let mut files = RuleFiles::england_cases();
        files.files[0].1 = String::from_utf8_lossy(&bytes).into_owned();
        let what = format!("rule cases #{case}");
        let rules = rules.clone();
        count.case(what, &format!("cases-{case}.toml"), &bytes, move |what| {
            match placewise::testing::rules::tests_data::read_case_files(&files, &rules) {
                Err(d) => {
                    located(&d, what);
                    false
                }
                Ok(cases) => {
                    let compiled = CompiledRules::new(rules);
                    for c in &cases {
                        let _ = placewise::testing::engine::rule_tests::run_case(&compiled, c);
                    }
                    true
                }
            }
        });
    }
}

/// Mutates one file `name` of `seed_dir` into a temporary folder and runs `load` on its path.
fn file_cases(
    rng: &mut Rng,
    n: usize,
    count: &mut Counter,
    label: &str,
    seed: &Path,
    file_name: &str,
    load: fn(&Path) -> Result<(), Diagnostics>,
) {
    let original = std::fs::read(seed).unwrap();
    for case in 0..n {
        let tmp = tempfile::tempdir().unwrap();
        let bytes = mutate(rng, &original);
        let path = tmp.path().join(file_name);
        std::fs::write(&path, &bytes).unwrap();
        let what = format!("{label} #{case}");
        count.case(
            what,
            &format!("{label}-{case}-{file_name}"),
            &bytes,
            move |what| match load(&path) {
                Err(d) => {
                    located(&d, what);
                    false
                }
                Ok(()) => true,
            },
        );
    }
}

fn load_scenarios(path: &Path) -> Result<(), Diagnostics> {
    let demo = placewise::testing::io::load_area_with(&demo(), &RuleSource::England).unwrap();
    placewise::testing::plan::scenario::load_scenarios(&demo, path).map(|_| ())
}

fn load_caseload(path: &Path) -> Result<(), Diagnostics> {
    let caseload = placewise::testing::io::stats::read_caseload(path)?;
    match placewise::testing::plan::calibrate(&caseload, "Wyvernshire", 2025) {
        Err(d) => located(&d, "calibration"),
        Ok(c) => {
            assert!(
                c.growth.is_finite() && (-0.5..=1.0).contains(&c.growth),
                "implausible growth {}",
                c.growth
            );
            for x in c.shares.iter().chain(&c.share_change) {
                assert!(x.is_finite() && x.abs() <= 1.0, "implausible share {x}");
            }
        }
    }
    Ok(())
}

fn load_needs(path: &Path) -> Result<(), Diagnostics> {
    placewise::testing::synth::stats::read_sen2(path.parent().unwrap(), 2025).map(|_| ())
}

fn load_gias(path: &Path) -> Result<(), Diagnostics> {
    placewise::testing::synth::gias::read_schools(path).map(|_| ())
}

/// Imports a SEN2 return (the XML message) against the fictional school file, keyed ids; a
/// failed import must leave no output folder.
fn load_sen2(path: &Path) -> Result<(), Diagnostics> {
    let key = path.with_file_name("sen2-key.txt");
    std::fs::write(&key, "a fuzzing key of more than thirty-two characters").unwrap();
    let out = path.with_file_name("imported");
    let schools = root().join("fixtures/sen2/schools.csv");
    let options = placewise::Sen2ImportOptions::from_school_file(path, &schools, "Marlshire", &out)
        .key_file(&key)
        .unwrap();
    let imported = placewise::import_sen2(&options);
    if imported.is_err() {
        assert!(!out.exists(), "a failed import left {}", out.display());
    }
    imported.map(|_| ())
}

fn seeds() -> PathBuf {
    root().join("fixtures/fuzz/seeds")
}

/// Replays every kept regression input through the loader its name gives.
fn regressions(count: &mut Counter) {
    let dir = root().join("fixtures/fuzz/regressions");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&p).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let what = format!("regression {name}");
        if let Some(rest) = name.strip_prefix("area-") {
            let file = rest
                .split_once('-')
                .map(|x| x.1)
                .unwrap_or(rest)
                .to_string();
            for f in ["settings.csv", "pools.csv", "children.csv", "area.toml"] {
                let src = if f == file {
                    bytes.clone()
                } else {
                    std::fs::read(demo().join(f)).unwrap()
                };
                std::fs::write(tmp.path().join(f), src).unwrap();
            }
            let dir = tmp.path().to_path_buf();
            let w = what.clone();
            bounded(what, move || {
                exercise_area(&dir, &w);
            });
        } else {
            let loader: fn(&Path) -> Result<(), Diagnostics> = if name.starts_with("scenarios-") {
                load_scenarios
            } else if name.starts_with("caseload-") {
                load_caseload
            } else if name.starts_with("needs-") {
                load_needs
            } else if name.starts_with("gias-") {
                load_gias
            } else if name.starts_with("sen2-") {
                load_sen2
            } else {
                continue;
            };
            let file = if name.starts_with("needs-") {
                "ehcp_primary_need_by_placement_jan2025.csv".to_string()
            } else {
                name.clone()
            };
            let path = tmp.path().join(file);
            std::fs::write(&path, &bytes).unwrap();
            let w = what.clone();
            bounded(what, move || {
                if let Err(d) = loader(&path) {
                    located(&d, &w);
                }
            });
        }
        count.cases += 1;
    }
}

#[test]
fn every_loader_survives_mutated_input() {
    let started = Instant::now();
    let mut rng = Rng(SEED);
    let mut count = Counter {
        cases: 0,
        loaded: 0,
    };
    regressions(&mut count);
    let replayed = count.cases;
    area_cases(&mut rng, 1200, &mut count);
    rule_cases(&mut rng, 900, &mut count);
    rule_test_cases(&mut rng, 250, &mut count);
    let s = seeds();
    file_cases(
        &mut rng,
        400,
        &mut count,
        "scenarios",
        &demo().join("scenarios/example.toml"),
        "scenarios.toml",
        load_scenarios,
    );
    file_cases(
        &mut rng,
        300,
        &mut count,
        "caseload",
        &s.join("caseload.csv"),
        "ehcp_caseload_by_setting_2019_2025.csv",
        load_caseload,
    );
    file_cases(
        &mut rng,
        300,
        &mut count,
        "needs",
        &s.join("needs.csv"),
        "ehcp_primary_need_by_placement_jan2025.csv",
        load_needs,
    );
    file_cases(
        &mut rng,
        400,
        &mut count,
        "gias",
        &s.join("gias.csv"),
        "gias.csv",
        load_gias,
    );
    file_cases(
        &mut rng,
        300,
        &mut count,
        "sen2",
        &root().join("fixtures/sen2/marlshire.xml"),
        "return.xml",
        load_sen2,
    );
    println!(
        "fuzz: {} cases ({} regression inputs replayed), {} loaded, {} rejected with located errors, 0 panics, 0 hangs, {:.1} s",
        count.cases,
        replayed,
        count.loaded,
        count.cases - count.loaded,
        started.elapsed().as_secs_f64()
    );
}

/// The real binary on mutated areas: exit 0 or 1 (never a crash), no panic message, and an
/// `--out` file that is either complete or absent, with no partial file left.
#[test]
fn the_binary_on_mutated_areas_exits_cleanly_and_leaves_no_partial_file() {
    let mut rng = Rng(SEED ^ 0xB1);
    let files = ["settings.csv", "pools.csv", "children.csv", "area.toml"];
    let originals: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(demo().join(f)).unwrap())
        .collect();
    let mut outcomes = [0usize; 2];
    for case in 0..60 {
        let tmp = tempfile::tempdir().unwrap();
        let area = tmp.path().join("area");
        std::fs::create_dir(&area).unwrap();
        let which = rng.below(files.len() as u64) as usize;
        for (i, f) in files.iter().enumerate() {
            let bytes = if i == which {
                mutate(&mut rng, &originals[i])
            } else {
                originals[i].clone()
            };
            std::fs::write(area.join(f), bytes).unwrap();
        }
        let out = tmp.path().join("lists.csv");
        let started = Instant::now();
        let o = run_on(
            "list",
            area.to_str().unwrap(),
            &["--all", "--format", "csv", "--out", out.to_str().unwrap()],
        );
        assert!(started.elapsed() < CASE_LIMIT, "case {case} ran too long");
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "case {case}: {err}");
        match o.status.code() {
            Some(0) => {
                outcomes[0] += 1;
                let text = std::fs::read_to_string(&out).expect("a complete output file");
                assert!(
                    text.starts_with("child,"),
                    "case {case}: {}",
                    &text[..text.len().min(80)]
                );
            }
            Some(1) => {
                outcomes[1] += 1;
                assert!(!out.exists(), "case {case}: output left after an error");
                assert!(err.contains("error"), "case {case}: {err}");
            }
            other => panic!("case {case}: exit {other:?}: {err}"),
        }
        assert!(
            !placewise::testing::io::atomic::partial_path(&out).exists(),
            "case {case}: partial file left"
        );
        let c = run_on("check", area.to_str().unwrap(), &["--format", "json"]);
        assert!(
            matches!(c.status.code(), Some(0 | 1)),
            "case {case}: check exit {:?}",
            c.status.code()
        );
        let doc = json(&c);
        assert_eq!(doc["ok"] == true, c.status.success());
    }
    println!(
        "binary fuzz: 60 cases, {} listed, {} refused with exit 1, 0 panics",
        outcomes[0], outcomes[1]
    );
}
