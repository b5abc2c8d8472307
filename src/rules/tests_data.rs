//! Rule test cases kept as data (`rules/tests/*.toml`): a child, a setting, the expected verdict,
//! read and checked here; `engine::rule_tests` runs them through the compiled engine and the
//! reference interpreter.

use super::RuleSet;
use super::toml_read::{Fields, Reader, Text};
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
    /// When given, the packages the child needs (named by the case's child, or derived).
    pub expect_package: Option<Vec<String>>,
    /// When given, the child's packages the setting can deliver (see
    /// [`super::packages::shortfall`]).
    pub expect_delivers: Option<Vec<String>>,
    /// When given, the national price band's annual price of this child in this setting
    /// (`price_bands.toml`); 0 when no band prices the placement.
    pub expect_price: Option<i64>,
    pub child: NeedProfile,
    pub setting: Setting,
}

const CASE_KEYS: &[&str] = &[
    "name",
    "expect",
    "failed_rules",
    "min_score",
    "max_score",
    "expect_package",
    "expect_delivers",
    "expect_price",
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
    "package",
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
    "packages",
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
        let cx = Reader::new(path, text);
        if let Some(doc) = cx.parse() {
            let mut top = cx.top(&doc);
            for f in top.opt::<Vec<Fields>>("case").unwrap_or_default() {
                if let Some(c) = read_case(f, rules) {
                    cases.push(c);
                }
            }
            top.finish(&["case"]);
        }
        diags.extend(cx.into_diagnostics());
    }
    diags.into_result(cases)
}

/// A case, or `None` when anything in it was reported.
fn read_case(f: Fields<'_, '_>, rules: &RuleSet) -> Option<RuleCase> {
    f.reader().unless_reported(|| read_case_fields(f, rules))
}

fn read_case_fields(mut f: Fields<'_, '_>, rules: &RuleSet) -> Option<RuleCase> {
    let cx = f.reader();
    let line = line_col(cx.src.text, f.span.start).0;
    let name = f.req::<Text>("name");
    let expect = f.req::<Text>("expect");
    let expect_eligible = match expect.as_ref().map(|e| e.0.as_str()) {
        Some("eligible") => true,
        Some("excluded") => false,
        Some(other) => {
            let span = expect.as_ref().unwrap().1.clone();
            cx.push(
                f.at(
                    Code::UnknownCode,
                    span,
                    "expect",
                    format!("unknown verdict `{other}`"),
                )
                .expected("eligible or excluded"),
            );
            false
        }
        None => false,
    };
    let failed_rules = f.opt::<Vec<Text>>("failed_rules").map(|l| {
        let ids: Vec<&str> = rules.hard.iter().map(|r| r.id.as_str()).collect();
        let mut out = Vec::new();
        for (id, span) in l {
            if !ids.contains(&id.as_str()) {
                let field = f.name("failed_rules");
                cx.push(cx.src.no_such_id(span, &field, "hard rule", &id, &ids));
            }
            out.push(id);
        }
        out.sort();
        out
    });
    let min_score = f.opt_within("min_score", -1e6..=1e6);
    let max_score = f.opt_within("max_score", -1e6..=1e6);
    let expect_package = package_list(&mut f, "expect_package", rules);
    let expect_delivers = package_list(&mut f, "expect_delivers", rules);
    // The annual price in whole pounds, 0 when no price band applies.
    let expect_price = f.opt_within("expect_price", 0..=10_000_000i64);
    let child = match f.opt::<Fields>("child") {
        Some(t) => read_child(t, rules),
        None => {
            f.missing("child", "a table describing the child");
            None
        }
    };
    let setting = match f.opt::<Fields>("setting") {
        Some(t) => read_setting(t, rules),
        None => {
            f.missing("setting", "a table describing the setting");
            None
        }
    };
    f.finish(CASE_KEYS);
    Some(RuleCase {
        name: name?.0,
        file: cx.src.path.to_path_buf(),
        line,
        expect_eligible,
        failed_rules,
        min_score,
        max_score,
        expect_package,
        expect_delivers,
        expect_price,
        child: child?,
        setting: setting?,
    })
}

fn code_list<T>(
    f: &mut Fields<'_, '_>,
    key: &str,
    parse: impl Fn(&str) -> Option<T>,
    what: &str,
) -> Vec<T> {
    let cx = f.reader();
    let mut out = Vec::new();
    for (item, span) in f.opt::<Vec<Text>>(key).unwrap_or_default() {
        match parse(&item) {
            Some(x) => out.push(x),
            None => cx.push(
                f.at(
                    Code::UnknownCode,
                    span,
                    key,
                    format!("unknown {what} `{item}`"),
                )
                .expected(what.to_string()),
            ),
        }
    }
    out
}

fn year(f: &mut Fields<'_, '_>, key: &str, default: &str) -> Option<YearGroup> {
    let v = f
        .opt::<Text>(key)
        .unwrap_or((default.to_string(), f.span.clone()));
    let y = YearGroup::parse(&v.0);
    if y.is_none() {
        let cx = f.reader();
        cx.push(
            f.at(Code::InvalidValue, v.1, key, "not a year group")
                .expected("R or 1 to 14 (as a string)")
                .found(v.0),
        );
    }
    y
}

fn read_child(mut f: Fields<'_, '_>, rules: &RuleSet) -> Option<NeedProfile> {
    let year = year(&mut f, "year", "");
    let sex = f.opt::<Text>("sex").map(|s| s.0).unwrap_or("F".into());
    let primary_need = f.req_known("primary_need", "need", &Need::codes(), Need::parse);
    let secondary: NeedSet = code_list(&mut f, "secondary_needs", Need::parse, "need code")
        .into_iter()
        .collect();
    let mut intensity = Intensity::default();
    if let Some(mut t) = f.opt::<Fields>("intensity") {
        for (i, key) in ["communication", "cognition", "semh", "sensory"]
            .iter()
            .enumerate()
        {
            intensity.0[i] = t.opt_within(key, 0..=Intensity::MAX as i64).unwrap_or(0) as u8;
        }
        t.finish(&["communication", "cognition", "semh", "sensory"]);
    }
    let features = features(&mut f, rules);
    let plan = f
        .opt::<Text>("plan_level")
        .map(|p| p.0)
        .unwrap_or("ehcp".into());
    let place = grid_ref(&mut f);
    let preference = f.opt::<bool>("preference").unwrap_or(false);
    let sibling = f.opt::<bool>("sibling").unwrap_or(false);
    let current = f.opt::<bool>("current").unwrap_or(false);
    let packages = package_list(&mut f, "package", rules).unwrap_or_default();
    f.finish(CHILD_KEYS);
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
        arrangement: None,
        packages,
    })
}

const CASE_SETTING: &str = "case-setting";

/// A list of the rules' package ids under `key`, each unknown one reported with a did-you-mean;
/// `None` when the key is absent.
fn package_list(f: &mut Fields<'_, '_>, key: &str, rules: &RuleSet) -> Option<Vec<String>> {
    let cx = f.reader();
    let known = rules.packages.ids();
    let list = f.opt::<Vec<Text>>(key)?;
    let mut out = Vec::new();
    for (id, span) in list {
        if known.contains(&id.as_str()) {
            out.push(id);
        } else {
            let field = f.name(key);
            cx.push(cx.src.no_such_id(span, &field, "package", &id, &known));
        }
    }
    Some(out)
}

/// A case's `features`: ids of the rules' features.
fn features(f: &mut Fields<'_, '_>, rules: &RuleSet) -> Vec<String> {
    let known: Vec<&str> = rules.features.iter().map(|x| x.id.as_str()).collect();
    code_list(
        f,
        "features",
        |s| known.contains(&s).then(|| s.to_string()),
        "feature",
    )
}

/// A case's `easting` and `northing` (a point in the Midlands when left out).
fn grid_ref(f: &mut Fields<'_, '_>) -> GridRef {
    GridRef {
        easting: f
            .opt_within("easting", 0.0..=700_000.0)
            .unwrap_or(400_000.0),
        northing: f
            .opt_within("northing", 0.0..=1_300_000.0)
            .unwrap_or(300_000.0),
    }
}

fn read_setting(mut f: Fields<'_, '_>, rules: &RuleSet) -> Option<Setting> {
    let kinds = SettingKind::keys();
    let kind = f.req_known("kind", "kind", &kinds, SettingKind::parse);
    let first = year(&mut f, "first_year", "R");
    let last = year(&mut f, "last_year", "14");
    let admits = f
        .opt::<Text>("admits")
        .and_then(|a| Admits::parse(&a.0))
        .unwrap_or(Admits::Mixed);
    let designations: NeedSet = code_list(&mut f, "designations", Need::parse, "need code")
        .into_iter()
        .collect();
    let features = features(&mut f, rules);
    let place = grid_ref(&mut f);
    let capacity = f.opt_within("capacity", 0..=100_000).unwrap_or(100) as u32;
    let on_roll = f.opt_within("on_roll", 0..=100_000).unwrap_or(0) as u32;
    let fee = f.opt_within("annual_fee", 0..=10_000_000).map(Pounds);
    let s41 = f.opt::<bool>("s41_approved").unwrap_or(false);
    let packages = package_list(&mut f, "packages", rules);
    f.get("id");
    f.finish(SETTING_KEYS);
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
            inclusion_base: None,
        }],
        annual_fee: fee,
        locality: String::new(),
        s41_approved: s41,
        local_authority: String::new(),
        packages,
    })
}
