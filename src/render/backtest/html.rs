//! The back-test as a self-contained HTML page: the overall table, whether the goal was met,
//! and projected against published total plans for every authority at every horizon.

use crate::plan::backtest::Backtest;
use maud::{PreEscaped, html};

const CSS: &str = "body{font-family:sans-serif;max-width:70em;margin:2em auto}table{border-collapse:collapse}\
td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}td:first-child,th:first-child{text-align:left}";

fn met(goal: bool) -> &'static str {
    if goal { "met" } else { "not met" }
}

/// A self-contained HTML page: the overall table, the goal, and projected against published
/// totals for every authority at every horizon.
pub fn backtest_html(b: &Backtest) -> String {
    let page = html! {
        (PreEscaped("<!doctype html>"))
        html lang="en" {
            head {
                meta charset="utf-8";
                title { "placewise back-test " (b.from) "–" (b.to) }
                style { (PreEscaped(CSS)) }
            }
            body {
                h1 { "Back-test of the planner's demand model, January " (b.from) " → " (b.to) }
                p {
                    (b.las.len()) " local authorities compared with the published DfE SEN2 caseload; "
                    (b.skipped.len()) " left out (listed below). The planner here is its demand model \
                    (calibrated growth and movement between types of setting); the capacity of \
                    settings is not part of this test."
                }
                p {
                    "Goal at the " (b.to - b.from) "-year horizon: planner's median total-plans error \
                    at most the better naive baseline's — " b { (met(b.goal_total_met)) }
                    "; median share error at most persistence's — " b { (met(b.goal_shares_met)) } "."
                }
                h2 { "Overall" }
                table {
                    tr {
                        th { "horizon" }
                        th { "method" }
                        th { "LAs" }
                        th { "median total error" }
                        th { "median share error" }
                        th { "planner better (total)" }
                        th { "planner better (shares)" }
                    }
                    @for s in &b.summary {
                        tr {
                            td { (s.horizon) " yr" }
                            td { (s.method) }
                            td { (s.authorities) }
                            td { (format!("{:.1}%", s.median_total_error_pct)) }
                            td { (format!("{:.2} pp", s.median_share_error_pp)) }
                            td { (s.planner_better_total) }
                            td { (s.planner_better_shares) }
                        }
                    }
                }
                h2 { "Projected against published total plans" }
                table {
                    tr {
                        th { "authority" }
                        th { "January" }
                        th { "published" }
                        th { "planner" }
                        th { "persistence" }
                        th { "trend" }
                    }
                    @for l in &b.las {
                        @for c in &l.comparisons {
                            tr {
                                td { (l.la) }
                                td { (c.year) }
                                td { (c.published_total) }
                                @for f in c.forecasts.iter().take(3) {
                                    td { (format!("{:.0} ({:.1}%)", f.total, f.total_error_pct)) }
                                }
                            }
                        }
                    }
                }
                h2 { "Left out" }
                ul {
                    @for (la, why) in &b.skipped {
                        li { (la) ": " (why) }
                    }
                }
            }
        }
    };
    let mut out = page.into_string();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::backtest::{Comparison, Forecast, LaBacktest};

    #[test]
    fn authority_names_are_escaped() {
        let hostile = "<script>alert(1)</script> & Co";
        let forecast = |method| Forecast {
            method,
            total: 100.0,
            shares: [0.0; 7],
            total_error_pct: 1.0,
            share_error_pp: 1.0,
        };
        let b = Backtest {
            from: 2022,
            to: 2023,
            las: vec![LaBacktest {
                la: hostile.into(),
                start_total: 100,
                growth_used: 0.05,
                comparisons: vec![Comparison {
                    year: 2023,
                    horizon: 1,
                    published_total: 101,
                    published_shares: [0.0; 7],
                    forecasts: ["planner", "persistence", "trend"].map(forecast).to_vec(),
                }],
            }],
            skipped: vec![(hostile.into(), "a <b>reason</b>".into())],
            summary: Vec::new(),
            goal_total_met: true,
            goal_shares_met: false,
        };
        let html = backtest_html(&b);
        assert!(
            !html.contains("<script>") && !html.contains("<b>reason"),
            "{html}"
        );
        let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co";
        assert_eq!(html.matches(escaped).count(), 2, "{html}");
        assert!(html.contains("a &lt;b&gt;reason&lt;/b&gt;"));
        assert!(html.contains("<td>100 (1.0%)</td>"));
    }
}
