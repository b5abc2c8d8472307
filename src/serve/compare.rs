//! A search over all settings with each one's status for the child, and two or three settings
//! side by side.

// Error pages are responses; see `pages`.
#![allow(clippy::result_large_err)]

use super::AppState;
use super::api::compute;
use super::pages::*;
use super::views::*;
use crate::Verdict;
use crate::model::{ChildId, SettingId, SettingKind};
use crate::render::plain::{self, Words};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use maud::html;

/// `/children/{id}/settings?q=`: every setting matching the search, with its status for the child.
pub(crate) async fn search_settings(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> PageResult {
    known_child(&state, &id)?;
    let q = query_values(query.as_deref(), "q")
        .into_iter()
        .next()
        .unwrap_or_default();
    let list = list_of(&state, &id, super::api::MAX_TOP).await?;
    let needle = q.to_lowercase();
    let area = state.session.area();
    let href = child_href(&id);
    let words = Words::of(&state.session);
    let rows: Vec<(&crate::model::Setting, String)> = area
        .settings
        .iter()
        .filter(|s| {
            needle.is_empty()
                || [s.id.as_str(), &s.name, &s.locality, plain::kind(s.kind)]
                    .iter()
                    .any(|f| f.to_lowercase().contains(&needle))
        })
        .map(|s| {
            let status = if let Some(e) = list.entries.iter().find(|e| e.setting == s.id.0) {
                format!("Suitable, rank {}", e.rank)
            } else if let Some(o) = list.omitted.iter().find(|o| o.setting == s.id.0) {
                format!("Suitable, rank {}", o.rank)
            } else if let Some(x) = list.excluded.iter().find(|x| x.setting == s.id.0) {
                format!(
                    "Not suitable: {}",
                    x.rules()
                        .map(|r| words.rule(r))
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            } else {
                "Suitable".into()
            };
            (s, status)
        })
        .collect();
    let body = html! {
        span class="caption-l" { "Child " (id) }
        h1 class="heading-l" { "Search all settings" }
        form method="get" action=(format!("{href}/settings")) class="search" {
            div class="form-group" {
                label class="label" for="q" { "Name, URN, locality or kind of setting" }
                input class="input input--width-20" id="q" name="q" type="search" value=(q);
            }
            button type="submit" class="button" { "Search" }
        }
        p { (rows.len()) " of " (area.settings.len()) " settings" }
        (table_wrap("Settings found", html! {
            table class="table" {
                caption class="table__caption visually-hidden" { "Settings found" }
                thead { tr { th scope="col" { "Setting" } th scope="col" { "Locality" } th scope="col" { "For this child" } } }
                tbody {
                    @for (s, status) in &rows {
                        tr {
                            td { a href=(format!("{href}/why-not/{}", enc(s.id.as_str()))) { (s.name) } br; (setting_hint(s.id.as_str(), Some(s.kind))) }
                            td { (s.locality) }
                            td { (status) }
                        }
                    }
                }
            }
        }))
    };
    Ok(child_subpage(
        &state,
        StatusCode::OK,
        &id,
        "Search all settings",
        body,
    ))
}

/// `/children/{id}/compare?setting=A&setting=B[&setting=C]`: settings side by side.
pub(crate) async fn compare(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> PageResult {
    known_child(&state, &id)?;
    // The same setting asked for twice is compared once, where it was first asked for.
    let mut ids = query_values(query.as_deref(), "setting");
    let mut seen = std::collections::HashSet::new();
    ids.retain(|s| seen.insert(s.clone()));
    let area = state.session.area();
    let href = child_href(&id);
    let unknown: Vec<&String> = ids
        .iter()
        .filter(|s| area.setting_index(s).is_none())
        .collect();
    if !(2..=3).contains(&ids.len()) || !unknown.is_empty() {
        let message = if !unknown.is_empty() {
            format!(
                "There is no setting with URN {} in the area",
                unknown
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else {
            format!(
                "Select two or three settings to compare ({} selected)",
                ids.len()
            )
        };
        let body = html! {
            (error_summary(&[("compare".into(), message.clone())]))
            h1 class="heading-l" id="compare" { "Compare settings" }
            p { (message) ". " a href=(href) { "Back to the list" } }
        };
        return Err(child_subpage(
            &state,
            StatusCode::BAD_REQUEST,
            &id,
            "Error: Compare settings",
            body,
        ));
    }
    let child = ChildId::from(id.as_str());
    let settings: Vec<SettingId> = ids.iter().map(|s| SettingId::from(s.as_str())).collect();
    let exps = compute(&state, move |sess| {
        // The child and every setting were checked above.
        settings
            .iter()
            .filter_map(|s| sess.explain(&child, s).ok())
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|e| api_error_page(&state, e))?;
    let table = html! {
                table class="table compare" {
                    caption class="table__caption visually-hidden" { "The settings side by side" }
                    thead { tr { td {} @for e in &exps { th scope="col" { (e.setting_name) br; span class="hint" { "URN " (e.setting) } } } } }
                    tbody {
                        tr { th scope="row" { "Kind" } @for e in &exps { td { (SettingKind::parse(&e.setting_kind).map_or_else(|| e.setting_kind.clone(), |k| plain::kind(k).to_string())) } } }
                        tr { th scope="row" { "Suitable" } @for e in &exps { td { @match &e.verdict {
                            Verdict::Eligible { score, .. } => { strong class="tag tag--green" { "Yes" } " score " (format!("{score:.1}")) },
                            Verdict::Excluded { failures, .. } => { strong class="tag tag--red" { "No" } ul class="list list--plain" { @for f in failures { li { (f.text) } } } },
                        } } } }
                        tr { th scope="row" { "Journey" } @for e in &exps { td { (journey(&e.journey)) } } }
                        tr { th scope="row" { "Places" } @for e in &exps { td { (places_tag(&e.capacity)) } } }
                        tr { th scope="row" { "Cost a year" } @for e in &exps { td { (e.funding.total.to_string()) br; span class="hint" { "funding band " (e.funding.band) } } } }
                        tr { th scope="row" { "Reasons" } @for e in &exps { td { a href=(format!("{href}/why-not/{}", enc(&e.setting))) { "Every reason" span class="visually-hidden" { " for " (e.setting_name) } } } } }
                    }
                }
    };
    let body = html! {
        span class="caption-l" { "Child " (id) }
        h1 class="heading-l" { "Compare settings" }
        (table_wrap("The settings side by side", table))
    };
    Ok(child_subpage(
        &state,
        StatusCode::OK,
        &id,
        "Compare settings",
        body,
    ))
}
