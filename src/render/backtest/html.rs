//! The back-test as a self-contained HTML page: for total plans and each type of setting, every
//! method's median error, the 80% interval's coverage and the interval score per origin and
//! horizon; the flagged authority-years; the authorities left out.

use crate::plan::backtest::{Backtest, METHODS, measures};
use maud::{PreEscaped, html};

const CSS: &str = "body{font-family:sans-serif;max-width:72em;margin:2em auto;padding:0 1em}\
table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}\
td:first-child,th:first-child{text-align:left}.wrap{overflow-x:auto}";

/// A self-contained HTML page of the back-test.
pub fn backtest_html(b: &Backtest) -> String {
    let origins: Vec<String> = b.origins.iter().map(|o| o.to_string()).collect();
    let page = html! {
        (PreEscaped("<!doctype html>"))
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "placewise back-test, origins " (origins.join(", ")) " to " (b.to) }
                style { (PreEscaped(CSS)) }
            }
            body {
                h1 { "Back-test of the demand forecast: origins " (origins.join(", ")) " → January " (b.to) }
                p {
                    "Each method forecasts every authority's EHC plans from the history up to the origin \
                    only and is compared with the published DfE SEN2 caseload. Error: median over \
                    authorities of |forecast − published| ÷ published. Coverage: share of published \
                    figures inside the planner's 80% interval (10th–90th percentile); a well-calibrated \
                    interval covers about 80%. Interval score (Gneiting and Raftery): the width of the \
                    interval plus 10 × any miss, as % of the published figure — lower is better; naive \
                    methods have no interval, so their score is 10 × their error."
                }
                p { "Inputs: " (b.inputs.join("; ")) "." }
                @for measure in measures() {
                    h2 { "Plans: " (measure) }
                    div class="wrap" {
                        table {
                            tr {
                                th { "origin" } th { "horizon" } th { "LAs" }
                                @for m in METHODS { th { (m) " error" } }
                                @if measure != "total" {
                                    th { "planner share error" } th { "persistence share error" }
                                }
                                th { "planner coverage" }
                                th { "planner interval score" }
                            }
                            @for &origin in &b.origins {
                                @for h in 1..=(b.to - origin).max(0) as u32 {
                                    @if let Some(p) = b.find(origin, h, measure, "planner") {
                                        tr {
                                            td { (origin) } td { (h) " yr" } td { (p.authorities) }
                                            @for m in METHODS {
                                                td { (b.find(origin, h, measure, m).map_or("–".to_string(), |s| format!("{:.2}%", s.median_error_pct))) }
                                            }
                                            @if measure != "total" {
                                                td { (format!("{:.2} pp", p.median_share_error_pp.unwrap_or(f64::NAN))) }
                                                td { (b.find(origin, h, measure, "persistence").and_then(|s| s.median_share_error_pp).map_or("–".to_string(), |v| format!("{v:.2} pp"))) }
                                            }
                                            td { (format!("{:.0}%", p.coverage_pct)) }
                                            td { (format!("{:.1}%", p.median_interval_score_pct)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @if let Some(o) = b.age_origin {
                    h2 { "Plans by age: one-year hold-out, January " (o) " → " (o + 1) }
                    p {
                        "The planner steps January " (o) "'s published plans by single year of age a \
                        year: each age ages by one, plans cease at the authority's rate for that age \
                        (calendar year " (o - 1) ", shrunk towards England's) and its forecast new \
                        plans arrive with last year's ages; the result is scaled to its total. The \
                        naive methods hold the origin's age mix and grow it as they grow the total. \
                        The planner's interval is the total's, so it leaves out the uncertainty of \
                        the age mix."
                    }
                    div class="wrap" { (PreEscaped(markdown_table(&super::ages_table(b)))) }
                }
                h2 { "Published figures that look like reporting breaks (kept, flagged)" }
                ul {
                    @for f in &b.flags {
                        li { (f.la) ", January " (f.year) ": " (f.reason) }
                    }
                }
                h2 { "Left out" }
                ul {
                    @for (la, origin, why) in &b.skipped {
                        li { (la) " from " (origin) ": " (why) }
                    }
                }
            }
        }
    };
    let mut out = page.into_string();
    out.push('\n');
    out
}

/// A Markdown table (as [`super::ages_table`] writes it) as an HTML table, cells escaped.
fn markdown_table(md: &str) -> String {
    let mut rows = md.lines().filter(|l| l.starts_with('|'));
    let cells = |l: &str| -> Vec<String> {
        l.trim_matches('|')
            .split('|')
            .map(|c| maud::html! { (c.trim()) }.into_string())
            .collect()
    };
    let Some(head) = rows.next() else {
        return String::new();
    };
    let mut out = String::from("<table><tr>");
    for c in cells(head) {
        out.push_str(&format!("<th>{c}</th>"));
    }
    out.push_str("</tr>");
    for l in rows.filter(|l| !l.starts_with("|---")) {
        out.push_str("<tr>");
        for c in cells(l) {
            out.push_str(&format!("<td>{c}</td>"));
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::backtest::{Flag, Row};

    #[test]
    fn authority_names_are_escaped() {
        let hostile = "<script>alert(1)</script> & Co";
        let b = Backtest {
            origins: vec![2022],
            to: 2023,
            rows: vec![Row {
                la: hostile.into(),
                origin: 2022,
                year: 2023,
                horizon: 1,
                measure: "total",
                actual: 101.0,
                p10: 90.0,
                p50: 100.0,
                p90: 110.0,
                method: "planner",
            }],
            flags: vec![Flag {
                la: hostile.into(),
                year: 2023,
                reason: "a <b>reason</b>".into(),
            }],
            skipped: vec![(hostile.into(), 2022, "a <b>reason</b>".into())],
            summary: Vec::new(),
            age_origin: None,
            inputs: Vec::new(),
        };
        let html = backtest_html(&b);
        assert!(
            !html.contains("<script>") && !html.contains("<b>reason"),
            "{html}"
        );
        let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co";
        assert_eq!(html.matches(escaped).count(), 2, "{html}");
        assert!(html.contains("a &lt;b&gt;reason&lt;/b&gt;"));
    }
}
