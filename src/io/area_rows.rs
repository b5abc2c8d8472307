//! Reading one row of an area table into a typed value: a setting or a child's need profile.
//! Every problem is reported against the row and column, and reading goes on to find the rest.

use super::table::{Row, parse_bool, split_list};
use crate::diag::{Code, Diagnostics};
use crate::model::*;
use crate::rules::RuleSet;
use std::collections::BTreeSet;

/// Reports a `last_year` before `first_year` against the row; true when they are in order.
pub(super) fn years_in_order(
    row: &Row<'_>,
    first: YearGroup,
    last: YearGroup,
    diags: &mut Diagnostics,
) -> bool {
    if first <= last {
        return true;
    }
    diags.push(
        row.error(
            Code::InvalidValue,
            "last_year",
            "last year group is before the first",
        )
        .expected(format!("{first} or later"))
        .found(last.to_string()),
    );
    false
}

pub(super) fn read_setting(
    row: &Row<'_>,
    features: &[&str],
    needs: &[&str],
    packages: &[&str],
    diags: &mut Diagnostics,
) -> Option<Setting> {
    let before = diags.diagnostics.len();
    let id = row.required("id", diags);
    let name = row.required("name", diags);
    let kinds = SettingKind::keys();
    let kind = row.known("kind", "setting kind", &kinds, SettingKind::parse, diags);
    let first = row.parse_required("first_year", "R or 1 to 14", diags, YearGroup::parse);
    let last = row.parse_required("last_year", "R or 1 to 14", diags, YearGroup::parse);
    let (e, n) = grid_ref(row, diags);
    let admits = row
        .parse("admits", "mixed, girls or boys", diags, Admits::parse)
        .unwrap_or(Admits::Mixed);
    let designations: NeedSet = row
        .codes("designations", needs, diags)
        .iter()
        .filter_map(|c| Need::parse(c))
        .collect();
    let mut feats = row.codes("features", features, diags);
    feats.sort();
    feats.dedup();
    let fee = row.parse("annual_fee", "an amount in pounds", diags, Pounds::parse);
    let offered = package_ids(row, "packages", packages, diags);
    let s41 = row
        .parse("s41_approved", "true or false", diags, parse_bool)
        .unwrap_or(false);
    let host = Some(row.get("host"))
        .filter(|h| !h.is_empty())
        .map(SettingId::from);
    if let (Some(f), Some(l)) = (first, last) {
        years_in_order(row, f, l, diags);
    }
    if diags.diagnostics.len() > before {
        return None;
    }
    Some(Setting {
        id: SettingId::from(id?),
        name: name?.to_string(),
        kind: kind?,
        host,
        first_year: first?,
        last_year: last?,
        admits,
        location: GridRef {
            easting: e?,
            northing: n?,
        },
        designations,
        features: feats,
        pools: Vec::new(),
        annual_fee: fee,
        locality: row.get("locality").to_string(),
        s41_approved: s41,
        local_authority: row.get("local_authority").to_string(),
        packages: offered,
    })
}

/// The package ids of the column `col` (`;`-separated), each one of the rules' packages;
/// `None` when the cell is empty.
fn package_ids(
    row: &Row<'_>,
    col: &str,
    known: &[&str],
    diags: &mut Diagnostics,
) -> Option<Vec<String>> {
    if row.get(col).trim().is_empty() {
        return None;
    }
    let mut ids: Vec<String> = row
        .codes(col, known, diags)
        .iter()
        .filter_map(|i| known.iter().find(|k| k.eq_ignore_ascii_case(i)))
        .map(|k| k.to_string())
        .collect();
    ids.sort();
    ids.dedup();
    Some(ids)
}

/// The row's `easting` and `northing` (each reported on its own when missing or off the grid).
fn grid_ref(row: &Row<'_>, diags: &mut Diagnostics) -> (Option<f64>, Option<f64>) {
    let e = row.parse_required(
        "easting",
        "metres east on the British National Grid (0 to 700000)",
        diags,
        grid(700_000.0),
    );
    let n = row.parse_required(
        "northing",
        "metres north on the British National Grid (0 to 1300000)",
        diags,
        grid(1_300_000.0),
    );
    (e, n)
}

fn grid(max: f64) -> impl Fn(&str) -> Option<f64> {
    move |v| v.parse::<f64>().ok().filter(|x| (0.0..=max).contains(x))
}

/// Year group from a date of birth `YYYY-MM-DD` for the academic year starting in
/// September of `academic_year`: children born September (Y-5) to August (Y-4) are in reception.
pub fn year_from_birth(dob: &str, academic_year: i32) -> Option<YearGroup> {
    let mut parts = dob.split('-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    // Years outside this range cannot give a year group from R to 14 and would overflow.
    if !(1900..=2200).contains(&y) || parts.next().is_some() {
        return None;
    }
    // A real calendar date: no 30 February, 31 April or 29 February outside leap years.
    let days = match m {
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    if !(1..=days).contains(&d) {
        return None;
    }
    let cohort_start = if m >= 9 { y } else { y - 1 };
    let ncy = academic_year.checked_sub(cohort_start)?.checked_sub(5)?;
    (0..=YearGroup::MAX as i32)
        .contains(&ncy)
        .then_some(YearGroup(ncy as u8))
}

#[allow(clippy::too_many_arguments)]
pub(super) fn read_child(
    row: &Row<'_>,
    rules: &RuleSet,
    features: &[&str],
    needs: &[&str],
    settings: &BTreeSet<String>,
    academic_year: i32,
    diags: &mut Diagnostics,
) -> Option<NeedProfile> {
    let before = diags.diagnostics.len();
    let id = row.required("id", diags);
    let year = child_year(row, academic_year, diags);
    let sex = row.parse_required("sex", "F or M", diags, Sex::parse);
    let (e, n) = grid_ref(row, diags);
    let primary = row.known("primary_need", "need code", needs, Need::parse, diags);
    let secondary: NeedSet = row
        .codes("secondary_needs", needs, diags)
        .iter()
        .filter_map(|c| Need::parse(c))
        .collect();
    let intensity = child_intensity(row, diags);
    let mut feats = row.codes("features", features, diags);
    feats.sort();
    feats.dedup();
    let plan = plan_level(row, rules, diags);
    let current = setting_list(row, "current_setting", settings, diags)
        .into_iter()
        .next();
    let preferences = setting_list(row, "preferences", settings, diags);
    let siblings = setting_list(row, "siblings_at", settings, diags);
    let package_ids_known = rules.packages.ids();
    let packages = package_ids(row, "package", &package_ids_known, diags).unwrap_or_default();
    let needs_place = row
        .parse("needs_place", "true or false", diags, parse_bool)
        .unwrap_or(false);
    let arrangement = child_arrangement(row, current.is_some(), diags);
    if diags.diagnostics.len() > before {
        return None;
    }
    Some(NeedProfile {
        id: ChildId::from(id?),
        year: year?,
        sex: sex?,
        home: GridRef {
            easting: e?,
            northing: n?,
        },
        primary_need: primary?,
        secondary_needs: secondary,
        intensity,
        features: feats,
        plan_level: plan.to_string(),
        current_setting: current,
        preferences,
        sibling_settings: siblings,
        needs_place,
        locality: row.get("locality").to_string(),
        arrangement,
        packages,
    })
}

/// A child's year group: from `year`, else from `date_of_birth`; one of them must be given.
fn child_year(row: &Row<'_>, academic_year: i32, diags: &mut Diagnostics) -> Option<YearGroup> {
    if !row.get("year").is_empty() {
        row.parse("year", "R or 1 to 14", diags, YearGroup::parse)
    } else if !row.get("date_of_birth").is_empty() {
        row.parse(
            "date_of_birth",
            &format!(
                "a date YYYY-MM-DD of a child of school age in {academic_year}/{}",
                academic_year + 1
            ),
            diags,
            |v| year_from_birth(v, academic_year),
        )
    } else {
        diags.push(
            row.error(
                Code::MissingField,
                "year",
                "neither `year` nor `date_of_birth` is given",
            )
            .expected("a year group or a date of birth"),
        );
        None
    }
}

/// A child's intensity of need in each of the four broad areas, 0 when not given.
fn child_intensity(row: &Row<'_>, diags: &mut Diagnostics) -> Intensity {
    let mut intensity = Intensity::default();
    for (i, col) in [
        "intensity_communication",
        "intensity_cognition",
        "intensity_semh",
        "intensity_sensory",
    ]
    .iter()
    .enumerate()
    {
        intensity.0[i] = row
            .parse(
                col,
                &format!("an intensity from 0 to {}", Intensity::MAX),
                diags,
                |v| v.parse::<u8>().ok().filter(|x| *x <= Intensity::MAX),
            )
            .unwrap_or(0);
    }
    intensity
}

/// A child's plan level, reported when it is not one of the rules' levels.
fn plan_level<'t>(row: &Row<'t>, rules: &RuleSet, diags: &mut Diagnostics) -> &'t str {
    let levels: Vec<&str> = rules.levels.iter().map(|l| l.id.as_str()).collect();
    let plan = row.get("plan_level");
    if !levels.contains(&plan) {
        diags.push(
            row.error(
                Code::UnknownCode,
                "plan_level",
                format!("unknown plan level `{plan}`"),
            )
            .not_one_of(plan, &levels),
        );
    }
    plan
}

/// The settings listed in column `col`, each once; an id not in `settings` is reported.
fn setting_list(
    row: &Row<'_>,
    col: &str,
    settings: &BTreeSet<String>,
    diags: &mut Diagnostics,
) -> Vec<SettingId> {
    let mut out: Vec<SettingId> = Vec::new();
    for item in split_list(row.get(col)) {
        if !settings.contains(item) {
            diags.push(
                row.error(
                    Code::UnknownReference,
                    col,
                    format!("no setting `{item}` in settings.csv"),
                )
                .expected("the id of a setting")
                .help(crate::diag::did_you_mean(
                    item,
                    settings.iter().map(String::as_str),
                )),
            );
        } else if !out.iter().any(|x| x.0 == item) {
            out.push(SettingId::from(item));
        }
    }
    out
}

/// A child's arrangement other than a school, when given; a child with a current setting
/// (`has_current`) can have none.
fn child_arrangement(
    row: &Row<'_>,
    has_current: bool,
    diags: &mut Diagnostics,
) -> Option<Arrangement> {
    if row.get("arrangement").is_empty() {
        None
    } else {
        let codes = Arrangement::codes();
        let a = row.known(
            "arrangement",
            "SEN2 setting code for an arrangement other than a school",
            &codes,
            Arrangement::parse,
            diags,
        );
        if a.is_some() && has_current {
            diags.push(
                row.error(
                    Code::InvalidValue,
                    "arrangement",
                    "a child with a current setting has no other arrangement",
                )
                .expected(
                    "an empty `arrangement` when `current_setting` is given, or no `current_setting`",
                )
                .found(row.get("arrangement").to_string()),
            );
        }
        a
    }
}

#[cfg(test)]
mod tests {
    use super::year_from_birth;

    #[test]
    fn impossible_dates_of_birth_are_refused() {
        for dob in [
            "2013-02-30",
            "2013-02-31",
            "2013-04-31",
            "2013-02-29",
            "2013-06-31",
        ] {
            assert_eq!(year_from_birth(dob, 2025), None, "{dob}");
        }
        // The same months on their last real day, and 29 February of a leap year.
        for dob in ["2013-02-28", "2013-04-30", "2012-02-29", "2013-01-31"] {
            assert!(year_from_birth(dob, 2025).is_some(), "{dob}");
        }
    }
}
