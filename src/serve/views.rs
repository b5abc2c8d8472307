//! HTML building blocks in the conventions of the GOV.UK Design System (our own stylesheet):
//! the page template with a skip link, summary cards, tables, error summaries, tags.

use crate::model::{Area, NeedProfile};
use crate::render::html::responsive_page;
use crate::{
    Contribution, Failure, Journey, ListEntry, PlaceStatus, PreferenceDecision, TailoredList,
};
use maud::{Markup, PreEscaped, html};

/// The statement every list carries.
pub const ADVISORY: &str = "This list is advisory. It was produced from the local authority's rules and data to help a person decide; it is not a decision. The reasons are shown so that they can be checked and challenged.";

/// A whole page: header, skip link, a back link, the main content, footer.
pub fn page(title: &str, area: &Area, back: Option<(&str, &str)>, main: Markup) -> Markup {
    responsive_page(
        "en",
        html! { (title) " – placewise – " (area.name) },
        html! { link rel="stylesheet" href="/assets/app.css"; },
        html! {
            a href="#main-content" class="skip-link" { "Skip to main content" }
            header class="header" role="banner" {
                div class="width-container header__inner" {
                    a href="/" class="header__service" { "placewise" }
                    span class="header__area" { (area.name) }
                }
            }
            div class="width-container" {
                div class="phase-banner no-print" {
                    strong class="tag" { "Advisory" }
                    " A person decides. Child ids are pseudonymous."
                }
                @if let Some((href, text)) = back {
                    a href=(href) class="back-link no-print" { (text) }
                }
                main id="main-content" class="main" role="main" tabindex="-1" {
                    (main)
                }
            }
            footer class="footer no-print" role="contentinfo" {
                div class="width-container" {
                    p { "placewise — tailored lists of settings for children with special educational needs and disabilities. Advisory: a person decides." }
                }
            }
        },
    )
}

/// An error summary: each problem links to its field.
pub fn error_summary(errors: &[(String, String)]) -> Markup {
    html! {
        div class="error-summary" role="alert" aria-labelledby="error-summary-title" {
            h2 class="error-summary__title" id="error-summary-title" { "There is a problem" }
            ul class="list error-summary__list" {
                @for (field, message) in errors {
                    li { a href=(format!("#{field}")) { (message) } }
                }
            }
        }
    }
}

/// A summary card: a title and key–value rows.
pub fn summary_card(title: &str, rows: &[(&str, String)]) -> Markup {
    html! {
        div class="summary-card" {
            div class="summary-card__title-wrapper" { h2 class="summary-card__title" { (title) } }
            div class="summary-card__content" {
                dl class="summary-list" {
                    @for (k, v) in rows {
                        div class="summary-list__row" {
                            dt class="summary-list__key" { (k) }
                            dd class="summary-list__value" { (v) }
                        }
                    }
                }
            }
        }
    }
}

fn or_none(v: &[String]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

/// The need profile as a summary card.
pub fn profile_card(p: &NeedProfile, area: &Area) -> Markup {
    let name_of = |id: &crate::model::SettingId| {
        area.setting_index(id.as_str())
            .map(|s| format!("{} ({})", area.settings[s].name, id))
            .unwrap_or_else(|| id.to_string())
    };
    let i = p.intensity.0;
    summary_card(
        &format!("Need profile: {}", p.id),
        &[
            (
                "Year group",
                format!("{} ({})", p.year, p.year.phase().key()),
            ),
            ("Primary need", p.primary_need.to_string()),
            ("Secondary needs", {
                let s = p.secondary_needs.joined().replace(';', ", ");
                if s.is_empty() { "none".into() } else { s }
            }),
            (
                "Intensity",
                format!(
                    "communication {}, cognition {}, SEMH {}, sensory/physical {} (total {})",
                    i[0],
                    i[1],
                    i[2],
                    i[3],
                    p.intensity.total()
                ),
            ),
            ("Required features", or_none(&p.features)),
            ("Plan level", p.plan_level.clone()),
            (
                "Current setting",
                p.current_setting.as_ref().map_or("none".into(), name_of),
            ),
            (
                "Parents' preferences",
                if p.preferences.is_empty() {
                    "none".into()
                } else {
                    p.preferences
                        .iter()
                        .map(name_of)
                        .collect::<Vec<_>>()
                        .join("; ")
                },
            ),
            (
                "Needs a place this round",
                if p.needs_place { "yes" } else { "no" }.into(),
            ),
            ("Home locality", p.locality.clone()),
        ],
    )
}

/// Places free or full, as a tag.
pub fn places_tag(e: &ListEntry) -> Markup {
    let c = &e.capacity;
    html! {
        @match c.status {
            PlaceStatus::PlacesFree | PlaceStatus::PlacedHere => strong class="tag tag--green" { (c.free) " free of " (c.capacity) },
            PlaceStatus::Full => strong class="tag tag--red" { "Full (" (c.on_roll) " of " (c.capacity) ")" },
            PlaceStatus::NoPool => strong class="tag tag--grey" { "No pool for this year" },
        }
    }
}

/// A score with each rule's contribution.
pub fn contributions(score: f64, reasons: &[Contribution]) -> Markup {
    html! {
        details class="details" {
            summary class="details__summary" { (format!("{score:.1}")) " points" }
            div class="details__text" {
                ul class="list" {
                    @for r in reasons {
                        li { (r.rule) ": " (format!("{:+.1}", r.points)) " (" (r.text) ")" }
                    }
                }
            }
        }
    }
}

/// A journey against the guidance.
pub fn journey(j: &Journey) -> Markup {
    html! {
        (format!("{:.0} min, {:.1} km by road", j.minutes, j.road_km))
        @if j.exceeds_guidance() {
            " " strong class="tag tag--red" { "over " (format!("{:.0}", j.guidance_minutes)) " min guidance" }
        } @else {
            br; span class="hint" { "guidance " (format!("{:.0}", j.guidance_minutes)) " min" }
        }
    }
}

/// Failed or flagged rules, with the facts.
pub fn failures_table(caption: &str, failures: &[Failure]) -> Markup {
    html! {
        table class="table" {
            caption class="table__caption" { (caption) }
            thead { tr { th scope="col" { "Rule" } th scope="col" { "What it requires" } th scope="col" { "The child" } th scope="col" { "The setting" } } }
            tbody {
                @for f in failures {
                    tr { td { (f.rule) } td { (f.text) } td { (f.child) } td { (f.setting) } }
                }
            }
        }
    }
}

/// The s.39 outcome of each preference and the s.33 note.
pub fn statutory(list: &TailoredList) -> Markup {
    html! {
        h2 class="heading-m" { "Parental preferences (s.39) and the mainstream presumption (s.33)" }
        @if list.preferences.is_empty() {
            p { "The parents have not named a setting." }
        } @else {
            table class="table" {
                caption class="table__caption" { "How each preference was handled" }
                thead { tr { th scope="col" { "Preference" } th scope="col" { "Setting" } th scope="col" { "Outcome" } th scope="col" { "Reason" } } }
                tbody {
                    @for p in &list.preferences {
                        tr {
                            td { (p.preference) }
                            td { (p.setting) }
                            td {
                                strong class=(if p.outcome == PreferenceDecision::Named { "tag tag--green" } else { "tag tag--grey" }) { (p.outcome) }
                                @if let Some(g) = &p.ground { br; (g) }
                            }
                            td { (p.reason) }
                        }
                    }
                }
            }
        }
        p class="inset-text" { (list.presumption) }
    }
}

/// A small inline SVG, already escaped.
pub fn raw_svg(svg: String) -> Markup {
    PreEscaped(svg)
}
