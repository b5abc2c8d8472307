//! A search over all settings with each one's status for the child, and two or three settings
//! side by side.

// Error pages are responses; see `pages`.
#![allow(clippy::result_large_err)]

use super::AppState;
use super::api::compute;
use super::pages::*;
use super::views::*;
use crate::model::{ChildId, SettingId};
use crate::{PlaceStatus, Verdict};
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
    let rows: Vec<(&crate::model::Setting, String)> = area
        .settings
        .iter()
        .filter(|s| {
            needle.is_empty()
                || [s.id.as_str(), &s.name, &s.locality, s.kind.key()]
                    .iter()
                    .any(|f| f.to_lowercase().contains(&needle))
        })
        .map(|s| {
            let status = if let Some(e) = list.entries.iter().find(|e| e.setting == s.id.0) {
                format!("suitable, rank {}", e.rank)
            } else if let Some(x) = list.excluded.iter().find(|x| x.setting == s.id.0) {
                format!("not suitable: {}", x.rules().collect::<Vec<_>>().join(", "))
            } else {
                "suitable".into()
            };
            (s, status)
        })
        .collect();
    let body = html! {
        span class="caption-l" { "Child " (id) }
        h1 class="heading-l" { "Search all settings" }
        form method="get" action=(format!("{href}/settings")) class="search" {
            div class="form-group" {
                label class="label" for="q" { "Name, id, locality or kind" }
                input class="input input--width-20" id="q" name="q" type="search" value=(q);
            }
            button type="submit" class="button" { "Search" }
        }
        p { (rows.len()) " of " (area.settings.len()) " settings" }
        table class="table" {
            thead { tr { th scope="col" { "Setting" } th scope="col" { "Locality" } th scope="col" { "For this child" } } }
            tbody {
                @for (s, status) in &rows {
                    tr {
                        td { a href=(format!("{href}/why-not/{}", enc(s.id.as_str()))) { (s.name) } br; span class="hint" { (s.id) ", " (s.kind.key()) } }
                        td { (s.locality) }
                        td { (status) }
                    }
                }
            }
        }
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
    let mut ids = query_values(query.as_deref(), "setting");
    ids.dedup();
    let area = state.session.area();
    let href = child_href(&id);
    let unknown: Vec<&String> = ids
        .iter()
        .filter(|s| area.setting_index(s).is_none())
        .collect();
    if !(2..=3).contains(&ids.len()) || !unknown.is_empty() {
        let message = if !unknown.is_empty() {
            format!(
                "No setting {} in the area",
                unknown
                    .iter()
                    .map(|s| format!("`{s}`"))
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
    let body = html! {
        span class="caption-l" { "Child " (id) }
        h1 class="heading-l" { "Compare settings" }
        table class="table compare" {
            thead { tr { td {} @for e in &exps { th scope="col" { (e.setting_name) br; span class="hint" { (e.setting) } } } } }
            tbody {
                tr { th scope="row" { "Kind" } @for e in &exps { td { (e.setting_kind) } } }
                tr { th scope="row" { "Suitable" } @for e in &exps { td { @match &e.verdict {
                    Verdict::Eligible { score, .. } => { strong class="tag tag--green" { "Yes" } " score " (format!("{score:.1}")) },
                    Verdict::Excluded { failures, .. } => { strong class="tag tag--red" { "No" } " fails " (failures.iter().map(|f| f.rule.as_str()).collect::<Vec<_>>().join(", ")) },
                } } } }
                tr { th scope="row" { "Journey" } @for e in &exps { td { (journey(&e.journey)) } } }
                tr { th scope="row" { "Places" } @for e in &exps { td { @match e.capacity.status {
                    PlaceStatus::PlacesFree | PlaceStatus::PlacedHere => strong class="tag tag--green" { (e.capacity.free) " free of " (e.capacity.capacity) },
                    PlaceStatus::Full => strong class="tag tag--red" { "Full (" (e.capacity.on_roll) " of " (e.capacity.capacity) ")" },
                    PlaceStatus::NoPool => strong class="tag tag--grey" { "No pool for this year" },
                } } } }
                tr { th scope="row" { "Cost a year" } @for e in &exps { td { (e.funding.total.to_string()) br; span class="hint" { "band " (e.funding.band) } } } }
                tr { th scope="row" { "Reasons" } @for e in &exps { td { a href=(format!("{href}/why-not/{}", enc(&e.setting))) { "Every rule" span class="visually-hidden" { " for " (e.setting_name) } } } } }
            }
        }
    };
    Ok(child_subpage(
        &state,
        StatusCode::OK,
        &id,
        "Compare settings",
        body,
    ))
}
