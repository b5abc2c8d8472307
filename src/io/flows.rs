//! Reading the published flows of EHC plans (DfE SEN2, reporting year 2025): new plans made in
//! each calendar year (`ehcp_new_plans_by_age_and_setting_2019_2024.csv`, topic "New EHC
//! plans") and requests for an EHC needs assessment received in each calendar year
//! (`ehcp_requests_by_age_2019_2024.csv`, topic "All requests for EHC needs assessments").
//!
//! Both are optional inputs of the demand model: a folder without them gives empty flows and
//! the model falls back to the caseload alone (and says so). A file that is there is read
//! strictly: a count that is not a whole number, or two figures for one authority and year, is
//! a located error.

use super::ages::{NewPlansTable, read_ages};
use super::table::Table;
use crate::diag::{Code, Diagnostics};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file of new plans by calendar year.
pub const NEW_PLANS_FILE: &str = "ehcp_new_plans_by_age_and_setting_2019_2024.csv";
/// The file of requests for assessment by calendar year.
pub const REQUESTS_FILE: &str = "ehcp_requests_by_age_2019_2024.csv";

/// Counts by calendar year for England (key `England`) and each authority (its published name).
pub type YearCounts = BTreeMap<String, BTreeMap<i32, u64>>;

/// New plans and requests by authority and calendar year.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Flows {
    /// New EHC plans made in each calendar year.
    pub new_plans: YearCounts,
    /// Requests for an EHC needs assessment received in each calendar year.
    pub requests: YearCounts,
    /// Plans by age: January stocks, new and ceased plans (empty without the age files).
    pub ages: super::ages::AgeFlows,
    /// The files read (empty when the folder had none).
    pub files: Vec<PathBuf>,
}

impl Flows {
    /// New plans of `la` (or `England`) in calendar year `year`.
    pub fn new_plans(&self, la: &str, year: i32) -> Option<f64> {
        self.new_plans.get(la)?.get(&year).map(|v| *v as f64)
    }

    /// Requests of `la` (or `England`) in calendar year `year`.
    pub fn requests(&self, la: &str, year: i32) -> Option<f64> {
        self.requests.get(la)?.get(&year).map(|v| *v as f64)
    }

    /// True when neither the new plans nor the requests file was there.
    pub fn is_empty(&self) -> bool {
        self.new_plans.is_empty() && self.requests.is_empty()
    }
}

/// Reads the flow files in `dir` (each optional). Every bad value in a file that is there is
/// reported, located; nothing is returned then.
pub fn read_flows(dir: &Path) -> Result<Flows, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut flows = Flows::default();
    if !dir.is_dir() {
        return Ok(flows);
    }
    // The new plans file holds the yearly totals and the ages when plans started: read once.
    let new_path = dir.join(NEW_PLANS_FILE);
    let mut new_plans = None;
    if new_path.is_file() {
        let cols = super::ages::age_columns("new_ehc_plans");
        new_plans = Table::read_lenient(&new_path, &cols, &mut diags);
        if let Some(table) = &new_plans {
            flows.new_plans = counts(
                table,
                "new_ehc_plans",
                |topic| topic.eq_ignore_ascii_case("New EHC plans"),
                &mut diags,
            );
        }
        flows.files.push(new_path.clone());
    }
    let req_path = dir.join(REQUESTS_FILE);
    if req_path.is_file() {
        let cols = [
            "time_period",
            "geographic_level",
            "la_name",
            "breakdown_topic",
            "requests_received_in_year",
        ];
        if let Some(table) = Table::read_lenient(&req_path, &cols, &mut diags) {
            flows.requests = counts(
                &table,
                "requests_received_in_year",
                |topic| topic.to_ascii_lowercase().starts_with("all requests"),
                &mut diags,
            );
        }
        flows.files.push(req_path);
    }
    let given = match &new_plans {
        Some(table) => NewPlansTable::Read(table),
        None if new_path.is_file() => NewPlansTable::Failed,
        None => NewPlansTable::Unread,
    };
    match read_ages(dir, given) {
        Ok(ages) => {
            flows.files.extend(ages.files.iter().cloned());
            flows.files.sort();
            flows.files.dedup();
            flows.ages = ages;
        }
        Err(d) => diags.extend(d),
    }
    if diags.is_empty() {
        Ok(flows)
    } else {
        diags.sort();
        Err(diags)
    }
}

/// The counts in `column` of the rows of `table` whose topic `wanted` accepts, National and
/// Local authority rows only, by authority and calendar year. Suppressed values (`x`, `c`,
/// `z`, empty) are left out.
fn counts(
    table: &Table,
    column: &str,
    wanted: impl Fn(&str) -> bool,
    diags: &mut Diagnostics,
) -> YearCounts {
    let mut out = YearCounts::new();
    let mut rows: BTreeMap<(String, i32), usize> = BTreeMap::new();
    for row in table.iter() {
        if !wanted(row.get("breakdown_topic").trim()) {
            continue;
        }
        let level = row.get("geographic_level");
        let name = match level {
            "National" => "England".to_string(),
            "Local authority" => {
                let n = row.get("la_name").trim();
                if n.is_empty() {
                    diags.push(
                        row.error(Code::MissingField, "la_name", "`la_name` is empty")
                            .expected("the local authority's name"),
                    );
                    continue;
                }
                n.to_string()
            }
            _ => continue,
        };
        let Some(year) = row.parse("time_period", "a calendar year such as 2024", diags, |t| {
            t.parse::<i32>().ok().filter(|y| (2000..2100).contains(y))
        }) else {
            continue;
        };
        let v = row.get(column).trim();
        if matches!(v, "x" | "c" | "z" | "" | "u" | "low") {
            continue;
        }
        let Ok(n) = v.replace(',', "").parse::<u64>() else {
            diags.push(
                row.error(
                    Code::InvalidValue,
                    column,
                    format!("cannot read `{v}` as a count"),
                )
                .expected("a whole number, or a DfE suppression code x, c or z")
                .found(format!("`{v}`")),
            );
            continue;
        };
        if n > super::stats::MAX_PLANS {
            diags.push(
                row.error(
                    Code::InvalidValue,
                    column,
                    format!("{n} is implausibly large"),
                )
                .expected(format!("at most {}", super::stats::MAX_PLANS))
                .found(n.to_string()),
            );
            continue;
        }
        if let Some(first) = rows.insert((name.clone(), year), row.number) {
            diags.push(
                row.error(
                    Code::DuplicateId,
                    "time_period",
                    format!("a second figure for {name} in {year} (the first is at row {first})"),
                )
                .expected("one row per authority and year"),
            );
            continue;
        }
        out.entry(name).or_default().insert(year, n);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_totals_and_locates_a_bad_count() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(NEW_PLANS_FILE),
            "time_period,geographic_level,la_name,breakdown_topic,breakdown,new_ehc_plans\n\
             2023,National,,New EHC plans,New EHC plans,84428\n\
             2023,Local authority,Shropshire,New EHC plans,New EHC plans,412\n\
             2023,Local authority,Shropshire,Age when plan started,age 7,9\n\
             2024,Local authority,Shropshire,New EHC plans,New EHC plans,x\n",
        )
        .unwrap();
        let f = read_flows(dir.path()).unwrap();
        assert_eq!(f.new_plans("England", 2023), Some(84428.0));
        assert_eq!(f.new_plans("Shropshire", 2023), Some(412.0));
        assert_eq!(f.new_plans("Shropshire", 2024), None);
        // The same file's ages.
        let age7 = crate::io::ages::bucket("age 7").unwrap();
        assert_eq!(f.ages.new_plans["Shropshire"][&2023][age7], 9.0);
        assert!(f.requests.is_empty());
        std::fs::write(
            dir.path().join(REQUESTS_FILE),
            "time_period,geographic_level,la_name,breakdown_topic,requests_received_in_year\n\
             2023,Local authority,Shropshire,All requests for EHC needs assessments,many\n",
        )
        .unwrap();
        let err = read_flows(dir.path()).unwrap_err();
        let d = &err.diagnostics[0];
        assert!(d.message.contains("many"), "{}", d.message);
        assert!(format!("{:?}", d.location).contains("requests_received_in_year"));
    }
}
