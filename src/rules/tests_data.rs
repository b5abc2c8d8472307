//! Rule test cases kept as data (`rules/tests/*.toml`): a child, a setting, the expected verdict,
//! read and checked here; `engine::rule_tests` runs them through the compiled engine and the
//! reference interpreter.

use super::RuleSet;
use super::toml_read::{Fields, Source, Text, parse, unless_reported};
use crate::diag::{Code, Diagnostics, line_col};
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
        for f in top
            .opt::<Vec<Fields>>(&src, "case", &mut diags)
            .unwrap_or_default()
        {
            if let Some(c) = read_case(&src, f, rules, &mut diags) {
                cases.push(c);
            }
        }
        top.finish(&src, &["case"], &mut diags);
    }
    diags.into_result(cases)
}

/// A case, or `None` when anything in it was reported.
fn read_case(
    src: &Source<'_>,
    f: Fields<'_, '_>,
    rules: &RuleSet,
    diags: &mut Diagnostics,
) -> Option<RuleCase> {
    unless_reported(diags, |diags| read_case_fields(src, f, rules, diags))
}

fn read_case_fields(
    src: &Source<'_>,
    mut f: Fields<'_, '_>,
    rules: &RuleSet,
    diags: &mut Diagnostics,
) -> Option<RuleCase> {
    let line = line_col(src.text, f.span.start).0;
    let name = f.req::<Text>(src, "name", diags);
    let expect = f.req::<Text>(src, "expect", diags);
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
    let failed_rules = f.opt::<Vec<Text>>(src, "failed_rules", diags).map(|l| {
        let ids: Vec<&str> = rules.hard.iter().map(|r| r.id.as_str()).collect();
        let mut out = Vec::new();
        for (id, span) in l {
            if !ids.contains(&id.as_str()) {
                let field = f.name("failed_rules");
                diags.push(src.no_such_id(span, &field, "hard rule", &id, &ids));
            }
            out.push(id);
        }
        out.sort();
        out
    });
    let min_score = f.opt_within(src, "min_score", -1e6..=1e6, diags);
    let max_score = f.opt_within(src, "max_score", -1e6..=1e6, diags);
    let child = match f.opt::<Fields>(src, "child", diags) {
        Some(t) => read_child(src, t, rules, diags),
        None => {
            f.missing(src, "child", "a table describing the child", diags);
            None
        }
    };
    let setting = match f.opt::<Fields>(src, "setting", diags) {
        Some(t) => read_setting(src, t, rules, diags),
        None => {
            f.missing(src, "setting", "a table describing the setting", diags);
            None
        }
    };
    f.finish(src, CASE_KEYS, diags);
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
    for (item, span) in f.opt::<Vec<Text>>(src, key, diags).unwrap_or_default() {
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
        .opt::<Text>(src, key, diags)
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
        .opt::<Text>(src, "sex", diags)
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
    if let Some(mut t) = f.opt::<Fields>(src, "intensity", diags) {
        for (i, key) in ["communication", "cognition", "semh", "sensory"]
            .iter()
            .enumerate()
        {
            intensity.0[i] = t
                .opt_within(src, key, 0..=Intensity::MAX as i64, diags)
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
        .opt::<Text>(src, "plan_level", diags)
        .map(|p| p.0)
        .unwrap_or("ehcp".into());
    let place = grid_ref(src, &mut f, diags);
    let preference = f.opt::<bool>(src, "preference", diags).unwrap_or(false);
    let sibling = f.opt::<bool>(src, "sibling", diags).unwrap_or(false);
    let current = f.opt::<bool>(src, "current", diags).unwrap_or(false);
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
            .opt_within(src, "easting", 0.0..=700_000.0, diags)
            .unwrap_or(400_000.0),
        northing: f
            .opt_within(src, "northing", 0.0..=1_300_000.0, diags)
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
        .opt::<Text>(src, "admits", diags)
        .and_then(|a| Admits::parse(&a.0))
        .unwrap_or(Admits::Mixed);
    let designations: NeedSet =
        code_list(src, &mut f, "designations", diags, Need::parse, "need code")
            .into_iter()
            .collect();
    let features = features(src, &mut f, rules, diags);
    let place = grid_ref(src, &mut f, diags);
    let capacity = f
        .opt_within(src, "capacity", 0..=100_000, diags)
        .unwrap_or(100) as u32;
    let on_roll = f
        .opt_within(src, "on_roll", 0..=100_000, diags)
        .unwrap_or(0) as u32;
    let fee = f
        .opt_within(src, "annual_fee", 0..=10_000_000, diags)
        .map(Pounds);
    let s41 = f.opt::<bool>(src, "s41_approved", diags).unwrap_or(false);
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
