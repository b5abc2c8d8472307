//! What-if: change a child's profile (year, intensities, required features, preferences) and see
//! the list re-rank, without changing the case record or the area's files.

// Error pages are responses; see `pages`.
#![allow(clippy::result_large_err)]

use super::AppState;
use super::pages::*;
use super::views::*;
use crate::model::{Need, YearGroup};
use crate::render::plain::{self, Words};
use crate::{ListOptions, profile_fields};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use maud::{Markup, html};

const WHAT_IF_FIELDS: [(&str, &str); 4] = [
    ("intensity_communication", "Communication and interaction"),
    ("intensity_cognition", "Cognition and learning"),
    ("intensity_semh", "Social, emotional and mental health"),
    ("intensity_sensory", "Sensory and/or physical"),
];

/// The name a person knows a profile field by.
fn field_label(field: &str) -> String {
    match field {
        "year" => "Year group".into(),
        "primary_need" => "Primary need".into(),
        "secondary_needs" => "Secondary needs".into(),
        "features" => "Required features".into(),
        "preferences" => "Parents' preferences".into(),
        "plan_level" => "Plan".into(),
        f => WHAT_IF_FIELDS.iter().find(|(k, _)| *k == f).map_or_else(
            || plain::capitalised(&f.replace('_', " ")),
            |(_, l)| l.to_string(),
        ),
    }
}

/// A profile field's value in words: needs, features and settings by name.
fn field_value(field: &str, value: &str, words: &Words<'_>, area: &crate::model::Area) -> String {
    let items = || value.split(';').map(str::trim).filter(|v| !v.is_empty());
    let joined = |v: Vec<String>| {
        if v.is_empty() {
            "None".to_string()
        } else {
            v.join("; ")
        }
    };
    match field {
        "primary_need" | "secondary_needs" => joined(
            items()
                .map(|c| {
                    Need::parse(c).map_or(c.to_string(), |n| plain::capitalised(plain::need(n)))
                })
                .collect(),
        ),
        "features" => joined(items().map(|f| words.feature(f).to_string()).collect()),
        "preferences" => joined(items().map(|s| setting_name(area, s)).collect()),
        "plan_level" => plain::capitalised(&words.level(value)),
        _ => value.to_string(),
    }
}

fn profile_form(
    state: &AppState,
    id: &str,
    fields: &[(String, String)],
    errors: &[(String, String)],
) -> Markup {
    let get = |k: &str| {
        fields
            .iter()
            .find(|(c, _)| c == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let err = |k: &str| errors.iter().find(|(c, _)| c == k).map(|(_, m)| m.clone());
    let group = |k: &str| {
        if err(k).is_some() {
            "form-group form-group--error"
        } else {
            "form-group"
        }
    };
    let features: Vec<String> = get("features").split(';').map(str::to_string).collect();
    let secondary: Vec<String> = get("secondary_needs")
        .split(';')
        .map(str::to_string)
        .collect();
    let (year, primary) = (get("year"), get("primary_need"));
    let words = Words::of(&state.session);
    html! {
        form method="post" action=(format!("{}/what-if", child_href(id))) novalidate {
            div class=(group("year")) {
                label class="label" for="year" { "Year group" }
                @if let Some(m) = err("year") { p class="error-message" id="year-error" { (m) } }
                select class="select" id="year" name="year" {
                    @for y in 0..=YearGroup::MAX {
                        @let v = YearGroup(y).to_string();
                        option value=(v) selected[v == year] { (v) }
                    }
                }
            }
            div class=(group("primary_need")) {
                label class="label" for="primary_need" { "Primary need" }
                @if let Some(m) = err("primary_need") { p class="error-message" id="primary_need-error" { (m) } }
                select class="select" id="primary_need" name="primary_need" {
                    @for n in Need::ALL {
                        option value=(n.code()) selected[n.code() == primary] { (plain::capitalised(plain::need(n))) }
                    }
                }
            }
            div class=(group("secondary_needs")) {
                fieldset class="fieldset" id="secondary_needs" {
                    legend class="fieldset__legend" { "Secondary needs" }
                    @if let Some(m) = err("secondary_needs") { p class="error-message" { (m) } }
                    div class="checkboxes" {
                        @for n in Need::ALL {
                            div class="checkboxes__item" {
                                input class="checkboxes__input" type="checkbox" id=(format!("need-{}", n.code())) name="secondary_needs" value=(n.code()) checked[secondary.iter().any(|c| c == n.code())];
                                label class="checkboxes__label" for=(format!("need-{}", n.code())) { (plain::capitalised(plain::need(n))) }
                            }
                        }
                    }
                }
            }
            fieldset class="fieldset" {
                legend class="fieldset__legend" { "Intensity of need (0 none to 4 very high)" }
                @for (k, label) in WHAT_IF_FIELDS {
                    div class=(group(k)) {
                        label class="label" for=(k) { (label) }
                        @if let Some(m) = err(k) { p class="error-message" id=(format!("{k}-error")) { (m) } }
                        select class="select" id=(k) name=(k) {
                            @for v in 0..=crate::model::Intensity::MAX {
                                option value=(v) selected[v.to_string() == get(k)] { (v) }
                            }
                        }
                    }
                }
            }
            div class=(group("features")) {
                fieldset class="fieldset" id="features" {
                    legend class="fieldset__legend" { "Required features" }
                    @if let Some(m) = err("features") { p class="error-message" { (m) } }
                    div class="checkboxes" {
                        @for (f, text) in words.features() {
                            div class="checkboxes__item" {
                                input class="checkboxes__input" type="checkbox" id=(format!("feature-{f}")) name="features" value=(f) checked[features.iter().any(|x| x == f)];
                                label class="checkboxes__label" for=(format!("feature-{f}")) { (text) }
                            }
                        }
                    }
                }
            }
            div class=(group("preferences")) {
                label class="label" for="preferences" { "Parents' preferences" }
                div class="hint" id="preferences-hint" { "Settings' URNs, most wanted first, separated by semicolons, for example 990047;990025" }
                @if let Some(m) = err("preferences") { p class="error-message" id="preferences-error" { (m) } }
                input class="input input--width-20" id="preferences" name="preferences" type="text" value=(get("preferences")) aria-describedby="preferences-hint" spellcheck="false";
            }
            button type="submit" class="button" { "Show the list" }
        }
    }
}

/// `/children/{id}/what-if`: the form, filled in from the profile.
pub(crate) async fn what_if_form_page(state: &AppState, id: &str) -> PageResult {
    let child = known_child(state, id)?;
    let fields = profile_fields(child);
    let body = html! {
        span class="caption-l" { "Child " (id) }
        h1 class="heading-l" { "What if the profile changed?" }
        p { "Change the profile and see how the list would re-rank. The case record and the area's files are not changed." }
        (profile_form(state, id, &fields, &[]))
    };
    Ok(child_subpage(state, StatusCode::OK, id, "What if", body))
}

pub(crate) async fn what_if_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> PageResult {
    what_if_form_page(&state, &id).await
}

/// `POST /children/{id}/what-if`: the list for the changed profile, or the form with errors.
pub(crate) async fn what_if_result(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> PageResult {
    let child = known_child(&state, &id)?.clone();
    let mut fields = profile_fields(&child);
    let mut features: Vec<String> = Vec::new();
    let mut secondary: Vec<String> = Vec::new();
    for (k, v) in form_urlencoded::parse(&body) {
        let k = k.to_string();
        if k == "features" {
            features.push(v.trim().to_string());
        } else if k == "secondary_needs" {
            secondary.push(v.trim().to_string());
        } else if (k == "year"
            || k == "preferences"
            || k == "primary_need"
            || WHAT_IF_FIELDS.iter().any(|(f, _)| *f == k))
            && let Some(slot) = fields.iter_mut().find(|(c, _)| *c == k)
        {
            slot.1 = v.trim().to_string();
        }
    }
    // A form leaves unticked boxes out: what is not sent is not wanted.
    if let Some(slot) = fields.iter_mut().find(|(c, _)| c == "features") {
        slot.1 = features.join(";");
    }
    if let Some(slot) = fields.iter_mut().find(|(c, _)| c == "secondary_needs") {
        slot.1 = secondary.join(";");
    }
    let profile = match state.session.profile_from_fields(&fields, "what-if form") {
        Ok(p) => p,
        Err(diags) => {
            let errors: Vec<(String, String)> = diags
                .diagnostics
                .iter()
                .map(|d| {
                    let mut m = d.message.clone();
                    if let Some(e) = &d.expected {
                        m.push_str(&format!("; expected {e}"));
                    }
                    if let Some(h) = &d.help {
                        m.push_str(&format!(" ({h})"));
                    }
                    (d.field.clone(), plain_message(&m))
                })
                .collect();
            let body = html! {
                (error_summary(&errors))
                span class="caption-l" { "Child " (id) }
                h1 class="heading-l" { "What if the profile changed?" }
                (profile_form(&state, &id, &fields, &errors))
            };
            return Err(child_subpage(
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                &id,
                "Error: What if",
                body,
            ));
        }
    };
    let before = list_of(&state, &id, 10).await?;
    let p2 = profile.clone();
    let after = compute_page(
        &state,
        StatusCode::UNPROCESSABLE_ENTITY,
        "Sorry, there is a problem",
        move |s| s.list_for_profile(&p2, ListOptions { top: 10 }),
    )
    .await?;
    let words = Words::of(&state.session);
    let area = state.session.area();
    let changed: Vec<(String, String, String)> = profile_fields(&child)
        .into_iter()
        .zip(profile_fields(&profile))
        .filter(|(a, b)| a.1 != b.1)
        .map(|(a, b)| {
            (
                field_label(&a.0),
                field_value(&a.0, &a.1, &words, area),
                field_value(&a.0, &b.1, &words, area),
            )
        })
        .collect();
    let body = html! {
        span class="caption-l" { "Child " (id) ": what if" }
        h1 class="heading-l" { "The list for the changed profile" }
        p class="inset-text" { "Not saved: the case record and the area's files are unchanged. " (ADVISORY) }
        @if changed.is_empty() {
            p { "Nothing was changed; this is the child's own list." }
        } @else {
            (table_wrap("What changed", html! {
                table class="table" {
                    caption class="table__caption" { "What changed" }
                    thead { tr { th scope="col" { "Part of the profile" } th scope="col" { "Before" } th scope="col" { "What if" } } }
                    tbody { @for (k, a, b) in &changed { tr { td { (k) } td { (a) } td { (b) } } } }
                }
            }))
        }
        (list_table(&after, &id, false, Some(&before)))
        (statutory(&after, area, &words))
        h2 class="heading-m" { "Change again" }
        (profile_form(&state, &id, &fields, &[]))
    };
    Ok(child_subpage(&state, StatusCode::OK, &id, "What if", body))
}
