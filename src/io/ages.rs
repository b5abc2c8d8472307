//! Reading the published EHC plans by age (DfE SEN2, reporting year 2025), the inputs of the
//! demand model's age structure: plans in January by single year of age
//! (`ehcp_caseload_by_age_and_setting_2024_2025.csv`, topic "Child or young persons age",
//! January 2024 and 2025), new plans by age when the plan started
//! (`ehcp_new_plans_by_age_and_setting_2019_2024.csv`, topic "Age when plan started", calendar
//! years 2022–2024) and plans ceased by age (`ehcp_ceased_plans_by_age_reason_placement_2022_2024.csv`,
//! topic "Age plan ceased", calendar years 2023–2024).
//!
//! Ages are kept in [`AGE_BUCKETS`] buckets, the flows' own: 2 and under, each age 3 to 19, and
//! 20 and over (the January ages 20–25 are summed into the last). Each file is optional; a file
//! that is there is read strictly (a count that is not a whole number, an age not understood,
//! or the same figure twice is a located error). Suppressed figures count as none; ceased plans
//! of unknown age are left out.

use super::flows::NEW_PLANS_FILE;
use super::table::Table;
use crate::diag::{Code, Diagnostics};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The file of plans in January by age and setting.
pub const AGE_STOCK_FILE: &str = "ehcp_caseload_by_age_and_setting_2024_2025.csv";
/// The file of ceased plans by age, reason and placement.
pub const CEASED_FILE: &str = "ehcp_ceased_plans_by_age_reason_placement_2022_2024.csv";

/// Number of age buckets: 2 and under, 3, 4, …, 19, 20 and over.
pub const AGE_BUCKETS: usize = 19;

/// The youngest age with a bucket of its own.
pub const FIRST_AGE: u32 = 3;

/// Counts by age bucket, per year, per authority (`England` for the nation).
pub type ByAge = BTreeMap<String, BTreeMap<i32, [f64; AGE_BUCKETS]>>;

/// Plans by age: January stocks, new plans and ceased plans.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AgeFlows {
    /// Plans in January of each year (key: the calendar year of that January).
    pub stock: ByAge,
    /// New plans made in each calendar year, by age when the plan started.
    pub new_plans: ByAge,
    /// Plans ceased in each calendar year, by age when the plan ceased.
    pub ceased: ByAge,
    /// The files read.
    pub files: Vec<PathBuf>,
}

impl AgeFlows {
    /// The counts of `la` in `year` from `table` (one of the three).
    pub fn get<'a>(table: &'a ByAge, la: &str, year: i32) -> Option<&'a [f64; AGE_BUCKETS]> {
        table.get(la)?.get(&year)
    }
}

/// The bucket of an age label such as `age 7`, `under 3`, `age 2 and under`, `age 20 and over`
/// or `age 23`; `None` for a label that is not an age.
pub fn bucket(label: &str) -> Option<usize> {
    let l = label.trim().to_ascii_lowercase();
    if l == "under 3" || l == "age 2 and under" {
        return Some(0);
    }
    if l == "age 20 and over" {
        return Some(AGE_BUCKETS - 1);
    }
    let n: u32 = l.strip_prefix("age ")?.trim().parse().ok()?;
    match n {
        0..=2 => Some(0),
        3..=19 => Some((n - FIRST_AGE + 1) as usize),
        20..=25 => Some(AGE_BUCKETS - 1),
        _ => None,
    }
}

/// The new plans file (which also holds the yearly totals the flows reader takes) as the
/// caller of [`read_ages`] holds it.
pub(crate) enum NewPlansTable<'a> {
    /// Not read yet: read it here.
    Unread,
    /// Read by the caller.
    Read(&'a Table),
    /// The caller could not read it and has reported why.
    Failed,
}

/// The columns an age file must have, `column` holding the counts.
pub(crate) fn age_columns(column: &str) -> [&str; 6] {
    [
        "time_period",
        "geographic_level",
        "la_name",
        "breakdown_topic",
        "breakdown",
        column,
    ]
}

/// Reads the age files in `dir` (each optional), the new plans file as `new_plans` says. Every
/// bad value in a file that is there is reported, located; nothing is returned then.
pub(crate) fn read_ages(dir: &Path, new_plans: NewPlansTable) -> Result<AgeFlows, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut out = AgeFlows::default();
    if !dir.is_dir() {
        return Ok(out);
    }
    let sources: [(&str, &str, &str, &str); 3] = [
        (
            AGE_STOCK_FILE,
            "Child or young persons age",
            "ehcplans",
            "stock",
        ),
        (
            NEW_PLANS_FILE,
            "Age when plan started",
            "new_ehc_plans",
            "new",
        ),
        (CEASED_FILE, "Age plan ceased", "total_ceased", "ceased"),
    ];
    for (file, topic, column, which) in sources {
        let path = dir.join(file);
        if !path.is_file() {
            continue;
        }
        let read = match (which, &new_plans) {
            ("new", NewPlansTable::Read(table)) => by_age(table, topic, column, false, &mut diags),
            ("new", NewPlansTable::Failed) => continue,
            _ => match Table::read_lenient(&path, &age_columns(column), &mut diags) {
                Some(table) => by_age(&table, topic, column, which == "stock", &mut diags),
                None => ByAge::new(),
            },
        };
        match which {
            "stock" => out.stock = read,
            "new" => out.new_plans = read,
            _ => out.ceased = read,
        }
        out.files.push(path);
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        diags.sort();
        Err(diags)
    }
}

/// The counts in `column` of the rows of `topic` in `table` by authority, year and age bucket
/// (National and Local authority rows). `academic`: `time_period` is an academic year such as
/// `202324`, whose January (2024) is the year kept.
fn by_age(
    table: &Table,
    topic: &str,
    column: &str,
    academic: bool,
    diags: &mut Diagnostics,
) -> ByAge {
    let mut out = ByAge::new();
    let mut seen: BTreeSet<(String, i32, String)> = BTreeSet::new();
    for row in table.iter() {
        if !row
            .get("breakdown_topic")
            .trim()
            .eq_ignore_ascii_case(topic)
        {
            continue;
        }
        let name = match row.get("geographic_level") {
            "National" => "England".to_string(),
            "Local authority" => match row.get("la_name").trim() {
                "" => {
                    diags.push(
                        row.error(Code::MissingField, "la_name", "`la_name` is empty")
                            .expected("the local authority's name"),
                    );
                    continue;
                }
                n => n.to_string(),
            },
            _ => continue,
        };
        let expected = if academic {
            "an academic year such as 202324"
        } else {
            "a calendar year such as 2024"
        };
        let Some(year) = row.parse("time_period", expected, diags, |t| {
            let y: i32 = t.parse().ok()?;
            if academic {
                let (a, b) = (y / 100, y % 100);
                ((2000..2100).contains(&a) && b == (a + 1) % 100).then_some(a + 1)
            } else {
                (2000..2100).contains(&y).then_some(y)
            }
        }) else {
            continue;
        };
        let label = row.get("breakdown").trim();
        if label.eq_ignore_ascii_case("age unknown") {
            continue;
        }
        let Some(b) = bucket(label) else {
            diags.push(
                row.error(
                    Code::InvalidValue,
                    "breakdown",
                    format!("cannot read `{label}` as an age"),
                )
                .expected(
                    "`under 3`, `age 2 and under`, `age N` (N from 3 to 25) or `age 20 and over`",
                )
                .found(format!("`{label}`")),
            );
            continue;
        };
        if !seen.insert((name.clone(), year, label.to_ascii_lowercase())) {
            diags.push(
                row.error(
                    Code::DuplicateId,
                    "breakdown",
                    format!("a second figure for {name}, {label}, in {year}"),
                )
                .expected("one row per authority, year and age"),
            );
            continue;
        }
        let Some(n) = super::stats::count(&row, column, "", diags) else {
            continue;
        };
        let n = n.unwrap_or(0);
        out.entry(name)
            .or_default()
            .entry(year)
            .or_insert([0.0; AGE_BUCKETS])[b] += n as f64;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_labels_map_to_the_flows_buckets() {
        assert_eq!(bucket("under 3"), Some(0));
        assert_eq!(bucket("age 2 and under"), Some(0));
        assert_eq!(bucket("age 3"), Some(1));
        assert_eq!(bucket("age 19"), Some(17));
        assert_eq!(bucket("age 20 and over"), Some(18));
        assert_eq!(bucket("age 24"), Some(18));
        assert_eq!(bucket("age 26"), None);
        assert_eq!(bucket("Total"), None);
    }

    #[test]
    fn reads_stocks_sums_the_oldest_and_locates_bad_rows() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(AGE_STOCK_FILE),
            "time_period,geographic_level,la_name,breakdown_topic,breakdown,ehcplans\n\
             202324,Local authority,Shropshire,Child or young persons age,age 7,120\n\
             202324,Local authority,Shropshire,Child or young persons age,age 21,10\n\
             202324,Local authority,Shropshire,Child or young persons age,age 25,x\n\
             202324,Local authority,Shropshire,Child or young persons age,age 22,5\n\
             202425,National,,Child or young persons age,under 3,900\n\
             202425,National,,Total,Total,1000\n",
        )
        .unwrap();
        let a = read_ages(dir.path(), NewPlansTable::Unread).unwrap();
        let s = AgeFlows::get(&a.stock, "Shropshire", 2024).unwrap();
        assert_eq!(s[bucket("age 7").unwrap()], 120.0);
        assert_eq!(s[AGE_BUCKETS - 1], 15.0);
        assert_eq!(AgeFlows::get(&a.stock, "England", 2025).unwrap()[0], 900.0);
        assert!(a.new_plans.is_empty());
        std::fs::write(
            dir.path().join(CEASED_FILE),
            "time_period,geographic_level,la_name,breakdown_topic,breakdown,total_ceased\n\
             2023,Local authority,Shropshire,Age plan ceased,age 7,3\n\
             2023,Local authority,Shropshire,Age plan ceased,age seven,3\n\
             2023,Local authority,Shropshire,Age plan ceased,age 7,4\n",
        )
        .unwrap();
        let err = read_ages(dir.path(), NewPlansTable::Unread).unwrap_err();
        assert_eq!(err.diagnostics.len(), 2, "{err:?}");
        let text = format!("{err:?}");
        assert!(
            text.contains("age seven") && text.contains("second figure"),
            "{text}"
        );
    }

    #[test]
    fn the_new_plans_file_is_read_once_for_totals_and_ages_and_each_fault_told_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(NEW_PLANS_FILE),
            "time_period,geographic_level,la_name,breakdown_topic,breakdown,new_ehc_plans\n\
             2023,Local authority,Shropshire,New EHC plans,Total,600\n\
             2023,Local authority,Shropshire,Age when plan started,age 5,80\n",
        )
        .unwrap();
        let f = crate::io::flows::read_flows(dir.path()).unwrap();
        assert_eq!(f.new_plans["Shropshire"][&2023], 600);
        let ages = AgeFlows::get(&f.ages.new_plans, "Shropshire", 2023).unwrap();
        assert_eq!(ages[bucket("age 5").unwrap()], 80.0);
        assert_eq!(f.files.len(), 1);
        // A file without the age column: one located error, not one a reader.
        std::fs::write(
            dir.path().join(NEW_PLANS_FILE),
            "time_period,geographic_level,la_name,breakdown_topic,new_ehc_plans\n\
             2023,Local authority,Shropshire,New EHC plans,600\n",
        )
        .unwrap();
        let err = crate::io::flows::read_flows(dir.path()).unwrap_err();
        assert_eq!(err.diagnostics.len(), 1, "{err:?}");
    }
}
