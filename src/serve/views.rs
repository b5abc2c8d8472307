//! HTML building blocks in the conventions of the GOV.UK Design System (our own stylesheet):
//! the page template with a skip link, summary cards, tables, error summaries, tags.

use crate::model::SettingKind;
use crate::model::{Area, NeedProfile};
use crate::render::html::responsive_page;
use crate::render::plain::{self, Words};
use crate::{
    CapacityStatus, Contribution, Failure, Journey, PlaceStatus, PreferenceDecision, TailoredList,
};
use maud::{Markup, PreEscaped, html};

/// The statement every list carries.
pub const ADVISORY: &str = "This list is advisory. It was produced from the local authority's rules and data to help a person decide; it is not a decision. The reasons are shown so that they can be checked and challenged.";

tokio::task_local! {
    /// True while a request signed in with the sign-in form's session cookie is answered:
    /// its pages offer "Sign out".
    pub(super) static SIGNED_IN: bool;
}

fn signed_in() -> bool {
    SIGNED_IN.try_with(|s| *s).unwrap_or(false)
}

/// A whole page: header, skip link, a back link, the main content, footer.
pub fn page(title: &str, area: &Area, back: Option<(&str, &str)>, main: Markup) -> Markup {
    responsive_page(
        "en",
        html! { (title) " – placewise – " (area.name) },
        html! { link rel="stylesheet" href="/assets/app.css"; },
        html! {
            a href="#main-content" class="skip-link" { "Skip to main content" }
            header role="banner" {
                div class="header" {
                    div class="width-container header__inner" {
                        a href="/" class="header__service" { "placewise" }
                        span class="header__area" { (area.name) }
                        @if signed_in() {
                            form method="post" action="/logout" class="header__sign-out" {
                                button type="submit" class="header__link" { "Sign out" }
                            }
                        }
                    }
                }
                div class="width-container" {
                    div class="phase-banner no-print" {
                        strong class="tag" { "Advisory" }
                        " A person decides. Child ids are pseudonymous."
                    }
                }
            }
            div class="width-container" {
                @if let Some((href, text)) = back {
                    nav class="no-print" aria-label="Back" {
                        a href=(href) class="back-link" { (text) }
                    }
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

/// A table that scrolls sideways inside its own labelled, focusable region on a narrow
/// screen, so that the page itself never does.
pub fn table_wrap(label: &str, table: Markup) -> Markup {
    html! {
        div class="table-wrap" role="region" aria-label=(label) tabindex="0" { (table) }
    }
}

/// Ids and codes for the caseworker, kept out of the way of the family's reading.
pub fn caseworker_details(body: Markup) -> Markup {
    html! {
        details class="details no-print" {
            summary class="details__summary" { "Details for caseworkers" }
            div class="details__text" { (body) }
        }
    }
}

/// A setting's name; its URN (or other id) and kind as a hint.
pub fn setting_hint(id: &str, kind: Option<SettingKind>) -> Markup {
    html! {
        span class="hint" { "URN " (id) @if let Some(k) = kind { ", " (plain::kind(k)) } }
    }
}

/// A setting's name with its URN, from the area.
pub fn setting_name(area: &Area, id: &str) -> String {
    area.setting_index(id)
        .map(|s| format!("{} (URN {id})", area.settings[s].name))
        .unwrap_or_else(|| format!("URN {id}"))
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

/// The need profile as a summary card, every code spelled out.
pub fn profile_card(p: &NeedProfile, area: &Area, words: &Words<'_>) -> Markup {
    let name_of = |id: &crate::model::SettingId| setting_name(area, id.as_str());
    let i = p.intensity.0;
    let secondary: Vec<&str> = p.secondary_needs.iter().map(plain::need).collect();
    summary_card(
        &format!("Need profile: {}", p.id),
        &[
            (
                "Year group",
                format!("{} ({})", p.year, p.year.phase().key()),
            ),
            (
                "Primary need",
                plain::capitalised(plain::need(p.primary_need)),
            ),
            (
                "Secondary needs",
                if secondary.is_empty() {
                    "None".into()
                } else {
                    plain::capitalised(&secondary.join("; "))
                },
            ),
            (
                "Intensity of need (0 none to 4 very high)",
                format!(
                    "Communication and interaction {}; cognition and learning {}; social, emotional and mental health {}; sensory and physical {} (total {})",
                    i[0],
                    i[1],
                    i[2],
                    i[3],
                    p.intensity.total()
                ),
            ),
            (
                "Required features",
                if p.features.is_empty() {
                    "None".into()
                } else {
                    p.features
                        .iter()
                        .map(|f| words.feature(f))
                        .collect::<Vec<_>>()
                        .join("; ")
                },
            ),
            ("Plan", plain::capitalised(&words.level(&p.plan_level))),
            (
                "Current setting",
                p.current_setting.as_ref().map_or("None".into(), name_of),
            ),
            (
                "Parents' preferences",
                if p.preferences.is_empty() {
                    "None".into()
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
                if p.needs_place { "Yes" } else { "No" }.into(),
            ),
            ("Home locality", p.locality.clone()),
        ],
    )
}

/// Places free or full, as a tag.
pub fn places_tag(c: &CapacityStatus) -> Markup {
    html! {
        @match c.status {
            PlaceStatus::PlacesFree | PlaceStatus::PlacedHere => strong class="tag tag--green" { (c.free) " free of " (c.capacity) },
            PlaceStatus::Full => strong class="tag tag--red" { "Full (" (c.on_roll) " of " (c.capacity) ")" },
            PlaceStatus::NoPool => strong class="tag tag--grey" { "No places for this year group" },
        }
    }
}

/// Places in words: "6 places free (58 of 64 taken)".
pub fn places_words(c: &CapacityStatus) -> String {
    match c.status {
        PlaceStatus::PlacesFree | PlaceStatus::PlacedHere => format!(
            "{} ({} of {} taken)",
            plain::places_free(c.free),
            c.on_roll,
            c.capacity
        ),
        PlaceStatus::Full => format!("Full ({} of {} taken)", c.on_roll, c.capacity),
        PlaceStatus::NoPool => "No places for the child's year group".into(),
    }
}

/// A score with each rule's contribution, in the rules' own words.
pub fn contributions(score: f64, reasons: &[Contribution]) -> Markup {
    html! {
        details class="details" {
            summary class="details__summary" { (format!("{score:.1}")) " points" }
            div class="details__text" {
                ul class="list" {
                    @for r in reasons {
                        li { (r.text) " " (format!("{:+.1}", r.points)) }
                    }
                }
            }
        }
    }
}

/// A journey against the guidance.
pub fn journey(j: &Journey) -> Markup {
    html! {
        (format!("{:.0} minutes, {:.1} km by road", j.minutes, j.road_km))
        @if j.exceeds_guidance() {
            " " strong class="tag tag--red" { "over the " (format!("{:.0}", j.guidance_minutes)) "-minute guidance" }
        } @else {
            br; span class="hint" { "guidance " (format!("{:.0}", j.guidance_minutes)) " minutes" }
        }
    }
}

/// Failed or flagged rules, in their own words, with the facts spelled out.
pub fn failures_table(caption: &str, failures: &[Failure], words: &Words<'_>) -> Markup {
    table_wrap(
        caption,
        html! {
            table class="table" {
                caption class="table__caption" { (caption) }
                thead { tr { th scope="col" { "What the rules require" } th scope="col" { "The child" } th scope="col" { "The setting" } } }
                tbody {
                    @for f in failures {
                        tr { td { (f.text) } td { (plain::capitalised(&words.facts(&f.child))) } td { (plain::capitalised(&words.facts(&f.setting))) } }
                    }
                }
            }
        },
    )
}

/// True when a mainstream setting (a resource base and a unit are in a mainstream school) is
/// on the list, so that the s.33 note applies to it.
pub fn has_mainstream(list: &TailoredList) -> bool {
    list.entries.iter().any(|e| e.kind.is_mainstream())
}

/// The s.39 outcome of each preference and, when a mainstream setting is listed, the s.33
/// note.
pub fn statutory(list: &TailoredList, area: &Area, words: &Words<'_>) -> Markup {
    let mainstream = has_mainstream(list);
    html! {
        h2 class="heading-m" {
            "Parents' preferences (s.39)"
            @if mainstream { " and the mainstream presumption (s.33)" }
        }
        @if list.preferences.is_empty() {
            p { "The parents have not named a setting." }
        } @else {
            (table_wrap("How each preference was handled", html! {
                table class="table" {
                    caption class="table__caption" { "How each preference was handled" }
                    thead { tr { th scope="col" { "Preference" } th scope="col" { "Setting" } th scope="col" { "Outcome" } th scope="col" { "Reason" } } }
                    tbody {
                        @for p in &list.preferences {
                            tr {
                                td { (p.preference) }
                                td { (setting_name(area, &p.setting)) }
                                td {
                                    strong class=(if p.outcome == PreferenceDecision::Named { "tag tag--green" } else { "tag tag--grey" }) { (plain::decision(p.outcome)) }
                                    @if let Some(g) = &p.ground { br; span class="hint" { (g) } }
                                }
                                td { (preference_reason(&p.reason, words)) }
                            }
                        }
                    }
                }
            }))
        }
        @if mainstream {
            p class="inset-text" { "The mainstream presumption (s.33): " (plain::lower_first(&plain::without_rule_id(&list.presumption).replace("incl. ", "including "))) "." }
        }
    }
}

/// Why a preference was or was not named, in words: the rules' own sentences for an
/// unsuitable setting, no pool's id for a full one, codes spelled out.
fn preference_reason(reason: &str, words: &Words<'_>) -> String {
    if let Some(ids) = reason.strip_prefix("fails ") {
        let texts: Vec<&str> = ids.split(", ").map(|id| words.rule(id)).collect();
        return format!("Not suitable: {}", texts.join(" "));
    }
    if let Some(rest) = reason.strip_prefix("no free place in pool ")
        && let Some(i) = rest.find(" (")
    {
        return format!("No free place{}", &rest[i..]);
    }
    plain::capitalised(&words.facts(&plain::without_rule_id(reason)))
}

/// A small inline SVG, already escaped.
pub fn raw_svg(svg: String) -> Markup {
    PreEscaped(svg)
}
