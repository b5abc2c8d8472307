//! Running rule test cases (`rules/tests/*.toml`, read by `rules::tests_data`): each case goes
//! through the compiled engine's full evaluation, its fast eligibility path and the reference
//! interpreter; all three must agree with each other and with the expectation.

use super::Engine;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::Area;
use crate::rules::tests_data::{RuleCase, read_case_files, read_cases};
use crate::rules::{CompiledRules, RuleSource, reference};
use std::path::Path;

/// The outcome of one case.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseResult {
    /// The case's name.
    pub name: String,
    /// True when every evaluation agreed with the expectation.
    pub passed: bool,
    /// What went wrong, when it failed.
    pub problems: Vec<String>,
    /// The file and line of the case.
    pub location: String,
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
/// given, otherwise the ones that go with the rules ([`RuleSource::cases`]). Rules or
/// cases that do not read are the error.
pub fn run_rule_tests(
    source: &RuleSource,
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
    package_problems(&rules.rules, case, &mut problems);
    if let Some(expected) = case.expect_price {
        let bands = &rules.rules.price_bands;
        let got = bands
            .price(
                &rules.rules,
                case.child.intensity.total(),
                case.setting.kind,
            )
            .map_or(0, |p| p.0);
        if got != expected {
            problems.push(format!(
                "expected the national price £{}, the price bands give {}",
                crate::model::grouped(expected),
                if got == 0 {
                    "none (£0)".to_string()
                } else {
                    format!("£{}", crate::model::grouped(got))
                }
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

/// What the case expects of packages (the child's, and what the setting delivers of them)
/// against what the rules say.
fn package_problems(rules: &crate::rules::RuleSet, case: &RuleCase, problems: &mut Vec<String>) {
    use crate::rules::packages::{child_packages, setting_offer, shortfall};
    let need = child_packages(rules, &case.child);
    if let Some(expected) = &case.expect_package
        && &need.packages != expected
    {
        problems.push(format!(
            "expected package [{}], the rules give [{}] ({:?})",
            expected.join(", "),
            need.packages.join(", "),
            need.basis
        ));
    }
    if let Some(expected) = &case.expect_delivers {
        let offer = setting_offer(rules, &case.setting);
        let mut delivers = Vec::new();
        let mut lacks = Vec::new();
        for p in &need.packages {
            match shortfall(rules, &case.setting, &offer, p) {
                None => delivers.push(p.clone()),
                Some(s) => lacks.push(format!("{}: {}", p, s.missing.join("; "))),
            }
        }
        if &delivers != expected {
            problems.push(format!(
                "expected the setting to deliver [{}], it delivers [{}] (lacking {})",
                expected.join(", "),
                delivers.join(", "),
                if lacks.is_empty() {
                    "nothing".to_string()
                } else {
                    lacks.join(" / ")
                }
            ));
        }
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
