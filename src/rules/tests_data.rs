//! Rule test cases kept as data (`rules/tests/*.toml`): a child, a setting, the expected verdict.
//! Each case is run through the compiled engine and the reference interpreter; both must agree
//! with the expectation.

use super::toml_read::{Fields, Source, parse};
use super::{CompiledRules, RuleSet, reference};
use crate::diag::{Code, Diagnostic, Diagnostics, line_col};
use crate::engine::Engine;
use crate::model::*;
use std::path::{Path, PathBuf};

/// One test case.
#[derive(Clone, Debug)]
pub struct RuleCase {
    pub name: String,
    pub file: PathBuf,
    pub line: usize,
    pub expect_eligible: bool,
    /// When given, exactly these excluding rules must fail.
    pub failed_rules: Option<Vec<String>>,
    pub min_score: Option<f64>,
    pub max_score: Option<f64>,
    pub child: NeedProfile,
    pub setting: Setting,
}

/// The outcome of one case.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseResult {
    pub name: String,
    pub passed: bool,
    /// What went wrong, when it failed.
    pub problems: Vec<String>,
    pub location: String,
}

const CASE_KEYS: &[&str] = &[
    "name",
    "expect",
    "failed_rules",
    "min_score",
    "max_score",
    "child",
    "setting",
];
const CHILD_KEYS: &[&str] = &[
    "year",
    "sex",
    "primary_need",
    "secondary_needs",
    "intensity",
    "features",
    "plan_level",
    "easting",
    "northing",
    "preference",
    "sibling",
    "current",
];
const SETTING_KEYS: &[&str] = &[
    "id",
    "kind",
    "first_year",
    "last_year",
    "admits",
    "designations",
    "features",
    "easting",
    "northing",
    "capacity",
    "on_roll",
    "annual_fee",
    "s41_approved",
];

/// Reads every `*.toml` in `dir` as rule test cases.
pub fn read_cases(dir: &Path, rules: &RuleSet) -> Result<Vec<RuleCase>, Diagnostics> {
    let mut diags = Diagnostics::default();
    let files = super::RuleFiles::read_dir(dir, &mut diags);
    if !diags.is_empty() {
        return Err(diags);
    }
    read_case_files(&files, rules)
}

/// Reads the test cases of rule files already in memory (e.g. the shipped ones).
pub fn read_case_files(
    files: &super::RuleFiles,
    rules: &RuleSet,
) -> Result<Vec<RuleCase>, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut cases = Vec::new();
    for (path, text) in &files.files {
        let src = Source { path, text };
        let Some(doc) = parse(&src, &mut diags) else {
            continue;
        };
        let mut top = Fields::new(doc.get_ref(), doc.span(), "");
        for f in top.opt_table_array(&src, "case", &mut diags) {
            if let Some(c) = read_case(&src, f, rules, &mut diags) {
                cases.push(c);
            }
        }
        top.finish(&src, &["case"], &mut diags);
    }
    diags.into_result(cases)
}

fn read_case(
    src: &Source<'_>,
    mut f: Fields<'_, '_>,
    rules: &RuleSet,
    diags: &mut Diagnostics,
) -> Option<RuleCase> {
    let before = diags.diagnostics.len();
    let line = line_col(src.text, f.span.start).0;
    let name = f.req_str(src, "name", diags);
    let expect = f.req_str(src, "expect", diags);
    let expect_eligible = match expect.as_ref().map(|e| e.0.as_str()) {
        Some("eligible") => true,
        Some("excluded") => false,
        Some(other) => {
            let span = expect.as_ref().unwrap().1.clone();
            diags.push(
                src.at(
                    Code::UnknownCode,
                    span,
                    &f.name("expect"),
                    format!("unknown verdict `{other}`"),
                )
                .expected("eligible or excluded"),
            );
            false
        }
        None => false,
    };
    let failed_rules = f.opt_str_list(src, "failed_rules", diags).map(|l| {
        let ids: Vec<&str> = rules.hard.iter().map(|r| r.id.as_str()).collect();
        let mut out = Vec::new();
        for (id, span) in l {
            if !ids.contains(&id.as_str()) {
                diags.push(
                    src.at(
                        Code::UnknownReference,
                        span,
                        &f.name("failed_rules"),
                        format!("no hard rule `{id}`"),
                    )
                    .expected("a hard rule id")
                    .help(crate::diag::did_you_mean(&id, ids.iter().copied())),
                );
            }
            out.push(id);
        }
        out.sort();
        out
    });
    let min_score = f.opt_num(src, "min_score", -1e6, 1e6, diags);
    let max_score = f.opt_num(src, "max_score", -1e6, 1e6, diags);
    let child = match f.opt_table(src, "child", diags) {
        Some(t) => read_child(src, t, rules, diags),
        None => {
            f.missing(src, "child", "a table describing the child", diags);
            None
        }
    };
    let setting = match f.opt_table(src, "setting", diags) {
        Some(t) => read_setting(src, t, rules, diags),
        None => {
            f.missing(src, "setting", "a table describing the setting", diags);
            None
        }
    };
    f.finish(src, CASE_KEYS, diags);
    if diags.diagnostics.len() > before {
        return None;
    }
    Some(RuleCase {
        name: name?.0,
        file: src.path.to_path_buf(),
        line,
        expect_eligible,
        failed_rules,
        min_score,
        max_score,
        child: child?,
        setting: setting?,
    })
}

fn code_list<T>(
    src: &Source<'_>,
    f: &mut Fields<'_, '_>,
    key: &str,
    diags: &mut Diagnostics,
    parse: impl Fn(&str) -> Option<T>,
    what: &str,
) -> Vec<T> {
    let mut out = Vec::new();
    for (item, span) in f.opt_str_list(src, key, diags).unwrap_or_default() {
        match parse(&item) {
            Some(x) => out.push(x),
            None => diags.push(
                src.at(
                    Code::UnknownCode,
                    span,
                    &f.name(key),
                    format!("unknown {what} `{item}`"),
                )
                .expected(what.to_string()),
            ),
        }
    }
    out
}

fn year(
    src: &Source<'_>,
    f: &mut Fields<'_, '_>,
    key: &str,
    default: &str,
    diags: &mut Diagnostics,
) -> Option<YearGroup> {
    let v = f
        .opt_str(src, key, diags)
        .unwrap_or((default.to_string(), f.span.clone()));
    let y = YearGroup::parse(&v.0);
    if y.is_none() {
        diags.push(
            src.at(Code::InvalidValue, v.1, &f.name(key), "not a year group")
                .expected("R or 1 to 14 (as a string)")
                .found(v.0),
        );
    }
    y
}

fn read_child(
    src: &Source<'_>,
    mut f: Fields<'_, '_>,
    rules: &RuleSet,
    diags: &mut Diagnostics,
) -> Option<NeedProfile> {
    let year = year(src, &mut f, "year", "", diags);
    let sex = f
        .opt_str(src, "sex", diags)
        .map(|s| s.0)
        .unwrap_or("F".into());
    let primary_need = f.req_known(
        src,
        "primary_need",
        "need",
        &Need::codes(),
        Need::parse,
        diags,
    );
    let secondary: NeedSet = code_list(
        src,
        &mut f,
        "secondary_needs",
        diags,
        Need::parse,
        "need code",
    )
    .into_iter()
    .collect();
    let mut intensity = Intensity::default();
    if let Some(mut t) = f.opt_table(src, "intensity", diags) {
        for (i, key) in ["communication", "cognition", "semh", "sensory"]
            .iter()
            .enumerate()
        {
            intensity.0[i] = t
                .opt_int(src, key, 0, Intensity::MAX as i64, diags)
                .unwrap_or(0) as u8;
        }
        t.finish(
            src,
            &["communication", "cognition", "semh", "sensory"],
            diags,
        );
    }
    let features = features(src, &mut f, rules, diags);
    let plan = f
        .opt_str(src, "plan_level", diags)
        .map(|p| p.0)
        .unwrap_or("ehcp".into());
    let place = grid_ref(src, &mut f, diags);
    let preference = f.opt_bool(src, "preference", diags).unwrap_or(false);
    let sibling = f.opt_bool(src, "sibling", diags).unwrap_or(false);
    let current = f.opt_bool(src, "current", diags).unwrap_or(false);
    f.finish(src, CHILD_KEYS, diags);
    let here = || vec![SettingId::from(CASE_SETTING)];
    Some(NeedProfile {
        id: ChildId::from("case-child"),
        year: year?,
        sex: Sex::parse(&sex).unwrap_or(Sex::Female),
        home: place,
        primary_need: primary_need?,
        secondary_needs: secondary,
        intensity,
        features,
        plan_level: plan,
        current_setting: current.then(|| SettingId::from(CASE_SETTING)),
        preferences: if preference { here() } else { Vec::new() },
        sibling_settings: if sibling { here() } else { Vec::new() },
        needs_place: true,
        locality: String::new(),
    })
}

const CASE_SETTING: &str = "case-setting";

/// A case's `features`: ids of the rules' features.
fn features(
    src: &Source<'_>,
    f: &mut Fields<'_, '_>,
    rules: &RuleSet,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let known: Vec<&str> = rules.features.iter().map(|x| x.id.as_str()).collect();
    code_list(
        src,
        f,
        "features",
        diags,
        |s| known.contains(&s).then(|| s.to_string()),
        "feature",
    )
}

/// A case's `easting` and `northing` (a point in the Midlands when left out).
fn grid_ref(src: &Source<'_>, f: &mut Fields<'_, '_>, diags: &mut Diagnostics) -> GridRef {
    GridRef {
        easting: f
            .opt_num(src, "easting", 0.0, 700_000.0, diags)
            .unwrap_or(400_000.0),
        northing: f
            .opt_num(src, "northing", 0.0, 1_300_000.0, diags)
            .unwrap_or(300_000.0),
    }
}

fn read_setting(
    src: &Source<'_>,
    mut f: Fields<'_, '_>,
    rules: &RuleSet,
    diags: &mut Diagnostics,
) -> Option<Setting> {
    let kinds = SettingKind::keys();
    let kind = f.req_known(src, "kind", "kind", &kinds, SettingKind::parse, diags);
    let first = year(src, &mut f, "first_year", "R", diags);
    let last = year(src, &mut f, "last_year", "14", diags);
    let admits = f
        .opt_str(src, "admits", diags)
        .and_then(|a| Admits::parse(&a.0))
        .unwrap_or(Admits::Mixed);
    let designations: NeedSet =
        code_list(src, &mut f, "designations", diags, Need::parse, "need code")
            .into_iter()
            .collect();
    let features = features(src, &mut f, rules, diags);
    let place = grid_ref(src, &mut f, diags);
    let capacity = f.opt_int(src, "capacity", 0, 100_000, diags).unwrap_or(100) as u32;
    let on_roll = f.opt_int(src, "on_roll", 0, 100_000, diags).unwrap_or(0) as u32;
    let fee = f
        .opt_int(src, "annual_fee", 0, 10_000_000, diags)
        .map(Pounds);
    let s41 = f.opt_bool(src, "s41_approved", diags).unwrap_or(false);
    f.get("id");
    f.finish(src, SETTING_KEYS, diags);
    let (first, last) = (first?, last?);
    Some(Setting {
        id: SettingId::from(CASE_SETTING),
        name: "Test setting".into(),
        kind: kind?,
        host: None,
        first_year: first,
        last_year: last,
        admits,
        location: place,
        designations,
        features,
        pools: vec![PlacePool {
            id: PoolId::from("all"),
            first_year: first,
            last_year: last,
            capacity,
            on_roll,
        }],
        annual_fee: fee,
        locality: String::new(),
        s41_approved: s41,
        local_authority: String::new(),
    })
}

/// The outcome of a rule set's test cases: one result a case in file order, and a diagnostic
/// for each that failed.
#[derive(Clone, Debug)]
pub struct RuleTestRun {
    /// Every case's result.
    pub results: Vec<CaseResult>,
    /// The failed cases, located in their files.
    pub failed: Diagnostics,
}

/// Loads the rules of `source` and runs their test cases: those in the folder `cases` when
/// given, otherwise the ones that go with the rules ([`super::RuleSource::cases`]). Rules or
/// cases that do not read are the error.
pub fn run_rule_tests(
    source: &super::RuleSource,
    cases: Option<&Path>,
) -> Result<RuleTestRun, Diagnostics> {
    let compiled = CompiledRules::new(source.load()?);
    let cases = match cases {
        Some(dir) => read_cases(dir, &compiled.rules)?,
        None => {
            let mut diags = Diagnostics::default();
            let files = source.cases(&mut diags);
            if !diags.is_empty() {
                return Err(diags);
            }
            read_case_files(&files, &compiled.rules)?
        }
    };
    let mut failed = Diagnostics::default();
    let results = cases
        .iter()
        .map(|case| {
            let r = run_case(&compiled, case);
            if !r.passed {
                failed.push(case_diagnostic(case, &r));
            }
            r
        })
        .collect();
    Ok(RuleTestRun { results, failed })
}

/// Runs one case through the compiled engine and the reference interpreter.
pub fn run_case(rules: &CompiledRules, case: &RuleCase) -> CaseResult {
    let area = Area {
        name: "case".into(),
        settings: vec![case.setting.clone()],
        children: vec![case.child.clone()],
    };
    let engine = Engine::new(rules, &area);
    let verdict = engine.evaluate(0, 0);
    let fast = engine.is_eligible(0, 0);
    let oracle = reference::evaluate(&rules.rules, &area, &case.child, &case.setting);
    let mut problems = Vec::new();
    if verdict.is_eligible() != case.expect_eligible {
        problems.push(format!(
            "expected {}, engine says {}{}",
            if case.expect_eligible {
                "eligible"
            } else {
                "excluded"
            },
            if verdict.is_eligible() {
                "eligible"
            } else {
                "excluded"
            },
            if verdict.is_eligible() {
                String::new()
            } else {
                format!(" (fails {})", verdict.failed_rules().join(", "))
            }
        ));
    }
    if fast != verdict.is_eligible() || oracle.eligible != verdict.is_eligible() {
        problems.push(format!(
            "engines disagree: fast path {fast}, full evaluation {}, reference {}",
            verdict.is_eligible(),
            oracle.eligible
        ));
    }
    if let Some(expected) = &case.failed_rules {
        let mut got: Vec<String> = verdict
            .failed_rules()
            .iter()
            .map(|s| s.to_string())
            .collect();
        got.sort();
        if &got != expected {
            problems.push(format!(
                "expected failing rules [{}], got [{}]",
                expected.join(", "),
                got.join(", ")
            ));
        }
    }
    if let Some(score) = verdict.score() {
        if case.min_score.is_some_and(|m| score < m) {
            problems.push(format!(
                "score {score:.2} below min_score {}",
                case.min_score.unwrap()
            ));
        }
        if case.max_score.is_some_and(|m| score > m) {
            problems.push(format!(
                "score {score:.2} above max_score {}",
                case.max_score.unwrap()
            ));
        }
        if (score - oracle.score).abs() > 1e-9 {
            problems.push(format!(
                "score {score} differs from reference {}",
                oracle.score
            ));
        }
    }
    CaseResult {
        name: case.name.clone(),
        passed: problems.is_empty(),
        problems,
        location: format!("{}:{}", case.file.display(), case.line),
    }
}

/// A failed case as a diagnostic.
pub fn case_diagnostic(case: &RuleCase, result: &CaseResult) -> Diagnostic {
    Diagnostic::file(
        Code::TestFailed,
        &case.file,
        format!(
            "rule test `{}` failed: {}",
            case.name,
            result.problems.join("; ")
        ),
    )
    .at(crate::diag::Location::Text {
        line: case.line,
        column: 1,
        span: 0..0,
    })
    .field("case")
}
