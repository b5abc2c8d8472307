//! Reading published caseload figures (DfE SEN2 "Education, health and care plans", caseload
//! by setting 2019–2025) to derive a local authority's growth rate.

use super::table::Table;
use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use std::path::Path;

/// The annual growth of EHC plans in `la` (or England when `la` is `England`) between the
/// earliest and latest years in the caseload file, with a sentence saying where it came from.
pub fn caseload_growth(path: &Path, la: &str) -> Result<(f64, String), Diagnostics> {
    let mut diags = Diagnostics::default();
    let cols = [
        "time_period",
        "geographic_level",
        "la_name",
        "breakdown_topic",
        "ehcplans",
    ];
    let Some(table) = Table::read_lenient(path, &cols, &mut diags) else {
        return Err(diags);
    };
    let national = la.eq_ignore_ascii_case("england");
    let mut points: Vec<(u32, f64)> = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    for row in table.iter() {
        if row.get("breakdown_topic") != "All EHC plans" {
            continue;
        }
        let level = row.get("geographic_level");
        if level == "Local authority" {
            names.insert(row.get("la_name").to_string());
        }
        let wanted = if national {
            level == "National"
        } else {
            level == "Local authority" && row.get("la_name").eq_ignore_ascii_case(la)
        };
        if !wanted {
            continue;
        }
        let period = row.parse("time_period", "a period such as 202425", &mut diags, |v| {
            v.parse::<u32>().ok()
        });
        let plans = row.parse("ehcplans", "a count", &mut diags, |v| {
            v.replace(',', "").parse::<f64>().ok()
        });
        if let (Some(p), Some(n)) = (period, plans) {
            points.push((p, n));
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    points.sort_by_key(|p| p.0);
    if points.len() < 2 {
        diags.push(
            Diagnostic::file(
                Code::UnknownReference,
                path,
                format!("no caseload series for `{la}`"),
            )
            .field("la_name")
            .expected("a local authority name as published, or England")
            .help(did_you_mean(la, names.iter().map(String::as_str))),
        );
        return Err(diags);
    }
    let (first, last) = (points[0], points[points.len() - 1]);
    let years = (last.0 / 100 - first.0 / 100) as f64;
    let rate = (last.1 / first.1).powf(1.0 / years) - 1.0;
    let source = format!(
        "{la} EHC plans {:.0} (January {}) to {:.0} (January {}), DfE SEN2 caseload by setting",
        first.1,
        first.0 % 100 + 2000,
        last.1,
        last.0 % 100 + 2000
    );
    Ok((rate, source))
}
