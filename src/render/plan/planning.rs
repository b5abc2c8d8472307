//! The report's planning tables, for the baseline scenario: children with plans by phase and
//! type of setting and by primary need, with pupils on SEN support counted apart; specialist
//! places in SCAP's terms (the authority's own places, and the places to add beyond them); and
//! how the demand model did for this authority against the published figures.

use super::figures::{cell, numbered_table};
use super::page::*;
use super::*;
use crate::io::stats::PlacementGroup;
use crate::model::{Need, Phase};
use crate::plan::results::{NationalRecord, TrackRecord};
use maud::{Markup, html};

/// The years the planning tables show: the base year, the next, every second year after, and
/// the last.
fn shown_years(years: &[i32]) -> Vec<i32> {
    let mut out: Vec<i32> = years
        .iter()
        .enumerate()
        .filter(|(i, _)| *i <= 1 || i % 2 == 1 || *i + 1 == years.len())
        .map(|(_, y)| *y)
        .collect();
    out.dedup();
    out
}

impl Page<'_> {
    fn year_head(&self, first: &str, years: &[i32]) -> Markup {
        html! {
            thead {
                tr {
                    th scope="col" { (first) }
                    @for y in years { th scope="col" { (academic(*y)) } }
                }
            }
        }
    }

    /// Tables of children with plans by phase and type of setting and by primary need, the
    /// SCAP places table and the authority's track record (baseline scenario).
    pub(super) fn planning(&self) -> Markup {
        let Some(base) = self.r.scenarios.first() else {
            return html! {};
        };
        let years = shown_years(&self.years);
        let has = |name: &str| {
            years
                .iter()
                .any(|&y| metric(base, y, name).is_some_and(|q| q.p90 > 0.0))
        };
        let rows: Vec<(String, String)> = Phase::ALL
            .iter()
            .flat_map(|p| {
                PlacementGroup::ALL.iter().map(move |g| {
                    (
                        format!("plans.{}.{}", p.key(), g.key()),
                        format!("{} — {}", p.key(), g.label()),
                    )
                })
            })
            .filter(|(k, _)| has(k))
            .collect();
        let needs: Vec<(String, &str)> = Need::codes()
            .into_iter()
            .map(|c| (format!("plans.need.{c}"), need_name(c)))
            .filter(|(k, _)| has(k))
            .collect();
        let scap: Vec<(String, String)> = Phase::ALL
            .iter()
            .flat_map(|p| {
                crate::render::plan::scap::PROVISIONS.iter().map(move |v| {
                    (
                        format!("scap.{}.{v}", p.key()),
                        format!("{} — {v}", p.key()),
                    )
                })
            })
            .filter(|(k, _)| has(&format!("{k}.places")) || has(&format!("{k}.pupils")))
            .collect();
        if rows.is_empty() && needs.is_empty() && scap.is_empty() {
            return track_record(&self.r.track_record, &self.r.national_record, &self.r.area);
        }
        html! {
            h2 { "Demand and places, " (base.name) }
            p {
                "Children with EHC plans by phase and type of setting — in the base year as \
                 January's census has them, in later years after that year's placement round — \
                 and pupils on SEN support apart (they are not plans). Median and, in brackets, \
                 the 10th–90th percentile over the simulations."
            }
            @if !rows.is_empty() {
            (numbered_table(5, "Children with plans by phase and type of setting",
                self.year_head("Phase — setting", &years),
                html! {
                    @for (k, name) in &rows {
                        tr {
                            th scope="row" { (name) }
                            @for &y in &years { (cell(metric(base, y, k), count)) }
                        }
                    }
                    tr {
                        th scope="row" { "All children with plans" }
                        @for &y in &years { (cell(metric(base, y, "plans"), count)) }
                    }
                    tr {
                        th scope="row" { "Pupils on SEN support (not plans)" }
                        @for &y in &years { (cell(metric(base, y, "sen-support"), count)) }
                    }
                }))
            }
            @if !needs.is_empty() {
            (numbered_table(6, "Children with plans by primary need",
                self.year_head("Primary need", &years),
                html! {
                    @for (k, name) in &needs {
                        tr {
                            th scope="row" { (name) }
                            @for &y in &years { (cell(metric(base, y, k), count)) }
                        }
                    }
                }))
            }
            @if !scap.is_empty() {
            p {
                "Specialist places in the terms of the DfE school capacity survey (SCAP): state \
                 special schools, SEN units and resourced provision. Own places are the places of \
                 the authority's own schools open to its children; they do not fall as pupils move \
                 up, and change only as a scenario (or " code { "--provision historical" } ") says. \
                 Places to add: the authority's children placed in or waiting for that type of \
                 place, less its own places and the places it uses in other authorities' schools."
            }
            (numbered_table(7, "Specialist places: own places, and places to add",
                self.year_head("Phase — provision", &years),
                html! {
                    @for (k, name) in &scap {
                        tr {
                            th scope="row" { (name) " — own places" }
                            @for &y in &years { (cell(metric(base, y, &format!("{k}.places")), count)) }
                        }
                        tr {
                            th scope="row" { (name) " — places to add" }
                            @for &y in &years { (cell(metric(base, y, &format!("{k}.needed")), count)) }
                        }
                    }
                }))
            }
            (track_record(&self.r.track_record, &self.r.national_record, &self.r.area))
        }
    }
}

/// How the model did across every authority, in one sentence: the range of its 80% ranges'
/// coverage and how its median error at 2–3 years compares with England's growth applied.
fn national_sentence(national: &[NationalRecord]) -> String {
    if national.is_empty() {
        return String::new();
    }
    let (low, high) = national.iter().fold((f64::MAX, f64::MIN), |(l, h), n| {
        (l.min(n.coverage_pct), h.max(n.coverage_pct))
    });
    let mut origins: Vec<i32> = national.iter().map(|n| n.origin).collect();
    origins.dedup();
    let origins = match origins.as_slice() {
        [one] => format!("the {one} origin"),
        [first @ .., last] => format!(
            "the {} and {last} origins",
            first
                .iter()
                .map(|o| o.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        [] => String::new(),
    };
    let mid: Vec<&NationalRecord> = national
        .iter()
        .filter(|n| (2..=3).contains(&n.horizon))
        .collect();
    let better = mid
        .iter()
        .filter(|n| n.median_error_pct < n.england_error_pct)
        .count();
    format!(
        "Across every authority (back-test on the same published file), the model's 80% ranges \
         held {low:.0}–{high:.0}% of the published totals from {origins} at every horizon, and \
         its median error at 2–3 years was below that of England's growth applied to each \
         authority in {better} of {} cases (README, \"Back-testing\").",
        mid.len()
    )
}

/// Table 8: the demand model against the published figures for this authority, with how the
/// same model did across every authority.
fn track_record(lines: &[TrackRecord], national: &[NationalRecord], area: &str) -> Markup {
    if lines.is_empty() {
        return html! {
            p {
                "How the demand model did for this authority against the published figures is \
                 shown when the plan is run with " code { "--stats DIR --la NAME" } "."
            }
        };
    }
    let inside = lines
        .iter()
        .filter(|l| l.p10 <= l.published && l.published <= l.p90)
        .count();
    html! {
        h2 { "How the forecast did for " (area) " against the published figures" }
        p {
            "The same demand model, fitted on the history up to each origin January only, against \
             the published total of EHC plans (DfE SEN2). " (inside) " of " (lines.len())
            " published totals fell inside the model's 80% range. " (national_sentence(national))
        }
        (numbered_table(8, "Total plans: published, the model's forecast and England's growth applied",
            html! {
                thead { tr {
                    th scope="col" { "Origin → January" }
                    th scope="col" { "Published" }
                    th scope="col" { "Model: median (80% range)" }
                    th scope="col" { "Model error" }
                    th scope="col" { "England's growth applied" }
                } }
            },
            html! {
                @for l in lines {
                    tr {
                        th scope="row" { (l.origin) " → " (l.year) }
                        td { (count(l.published)) }
                        td { (count(l.p50)) " " span class="range" { "(" (count(l.p10)) "–" (count(l.p90)) ")" } }
                        td { (format!("{:+.1}%", (l.p50 / l.published - 1.0) * 100.0)) }
                        td { (count(l.england)) " (" (format!("{:+.1}%", (l.england / l.published - 1.0) * 100.0)) ")" }
                    }
                }
            }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_show_the_first_years_then_every_second_and_the_last() {
        assert_eq!(
            shown_years(&[2025, 2026, 2027, 2028, 2029, 2030, 2031, 2032]),
            vec![2025, 2026, 2028, 2030, 2032]
        );
        assert_eq!(shown_years(&[2025]), vec![2025]);
    }
}
