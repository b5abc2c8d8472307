//! The caseworker's pages: find a child, the tailored list with its reasons and a map, "why
//! not?" for any setting, a search over all settings, compare, what-if, a printable list and a
//! CSV download. Every page works without JavaScript.

// A page that cannot be shown is itself a response (an error page); handlers return it as the
// error and axum renders either side.
#![allow(clippy::result_large_err)]

use super::AppState;
use super::api::compute;
use super::error::ApiError;
use super::map::{MapPoint, map_svg};
use super::security::AuditChild;
use super::views::*;
use crate::model::{ChildId, NeedProfile};
use crate::render::plain::{self, Words};
use crate::render::{write_list_csv, write_list_csv_header};
use crate::{ListOptions, ListQuery, PlaceStatus, Regime, Session, TailoredList, Verdict};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};

/// A page, or an error page with its status.
pub(super) type PageResult = Result<Response, Response>;

pub(super) fn html_page(status: StatusCode, child: Option<&str>, markup: Markup) -> Response {
    let mut r = (status, Html(markup.into_string())).into_response();
    if let Some(c) = child {
        r.extensions_mut().insert(AuditChild(c.to_string()));
    }
    r
}

pub(super) fn error_page(
    state: &AppState,
    status: StatusCode,
    title: &str,
    message: &str,
) -> Response {
    let body = html! {
        h1 class="heading-l" { (title) }
        p { (plain_message(message)) }
        p { a href="/" { "Find a child" } }
    };
    html_page(status, None, page(title, state.session.area(), None, body))
}

/// A library message for a reader: no code quotes, a capital first.
pub(super) fn plain_message(message: &str) -> String {
    plain::capitalised(&message.replace('`', ""))
}

pub(super) fn api_error_page(state: &AppState, e: ApiError) -> Response {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    error_page(state, status, "Sorry, there is a problem", &e.message)
}

pub(super) fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

pub(super) fn child_href(id: &str) -> String {
    format!("/children/{}", enc(id))
}

/// A page about child `id` (audited as theirs), with a link back to their list.
pub(super) fn child_subpage(
    state: &AppState,
    status: StatusCode,
    id: &str,
    title: &str,
    body: Markup,
) -> Response {
    let back = child_href(id);
    html_page(
        status,
        Some(id),
        page(
            title,
            state.session.area(),
            Some((&back, "Back to the list")),
            body,
        ),
    )
}

pub(super) fn query_values(query: Option<&str>, key: &str) -> Vec<String> {
    form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.trim().to_string())
        .collect()
}

pub(super) fn known_child<'s>(state: &'s AppState, id: &str) -> Result<&'s NeedProfile, Response> {
    state.session.child(&ChildId::from(id)).map_err(|e| {
        error_page(
            state,
            StatusCode::NOT_FOUND,
            "Child not found",
            &e.to_string(),
        )
    })
}

pub(super) async fn list_of(
    state: &AppState,
    id: &str,
    top: usize,
) -> Result<TailoredList, Response> {
    list_under(state, id, top, Regime::default()).await
}

/// The child's list under `regime`.
pub(super) async fn list_under(
    state: &AppState,
    id: &str,
    top: usize,
    regime: Regime,
) -> Result<TailoredList, Response> {
    let child = ChildId::from(id);
    let query = ListQuery {
        options: ListOptions { top },
        reach_minutes: None,
        explain_excluded: false,
        regime,
    };
    compute_page(state, StatusCode::NOT_FOUND, "Child not found", move |s| {
        s.list_with(&child, &query)
    })
    .await
}

/// The `regime` of a page's query: today's law when absent; an unknown one is a 400 page.
fn regime_of(state: &AppState, query: Option<&str>) -> Result<Regime, Response> {
    match query_values(query, "regime").first() {
        None => Ok(Regime::default()),
        Some(v) => v.parse::<Regime>().map_err(|_| {
            error_page(
                state,
                StatusCode::BAD_REQUEST,
                "Sorry, there is a problem",
                "The legal regime must be cfa2014 (today's law) or spp (the package model consulted on in 2026).",
            )
        }),
    }
}

/// Where a child's packages come from, in words.
fn basis_words(basis: crate::PackageBasis) -> &'static str {
    match basis {
        crate::PackageBasis::Declared => "named in the child's profile",
        crate::PackageBasis::Derived => "derived by the rules from the child's needs",
        crate::PackageBasis::Assumed => "assumed",
    }
}

/// Which law the list follows, with a link to the other: today's (the Children and Families
/// Act 2014, s.39 and s.33) or the Specialist Provision Package model as consulted on, and
/// under the package model the child's packages and the settings that cannot deliver them.
fn regime_section(list: &TailoredList, href: &str, words: &Words<'_>) -> Markup {
    let caption = "Suitable settings that cannot deliver the package";
    html! {
        h2 class="heading-m" id="regime" { "Which law the list follows" }
        @match list.regime {
            Regime::Cfa2014 => {
                p { "Today's law: the Children and Families Act 2014 (the parents' named setting under section 39, mainstream first under section 33)." }
                p class="no-print" { a href=(format!("{href}?regime=spp#regime")) { "See the list under the package model consulted on in 2026" } }
            }
            Regime::Spp => {
                p { "The Specialist Provision Package model, as consulted on in 2026 (not law): the list is the settings able to deliver the child's package, mainstream first. Advisory only." }
                p class="no-print" { a href=(format!("{href}#regime")) { "See the list under today's law" } }
                @if let Some(pk) = &list.package {
                    @if pk.need.packages.is_empty() {
                        p { "This child needs no Specialist Provision Package." }
                    } @else {
                        p {
                            @if pk.need.packages.len() == 1 { "The child's package" }
                            @else { "The child's " (pk.need.packages.len()) " packages" }
                            " (" (basis_words(pk.need.basis)) "):"
                        }
                        ul class="list list--bullet" {
                            @for p in &pk.need.packages { li { (words.package(p)) } }
                        }
                    }
                    p class="hint" { (plain_message(&pk.note)) }
                    @if !pk.cannot_deliver.is_empty() {
                        (table_wrap(caption, html! {
                            table class="table" {
                                caption class="table__caption" { (caption) " (" (pk.cannot_deliver.len()) ")" }
                                thead { tr { th scope="col" { "Setting" } th scope="col" { "What it cannot deliver" } } }
                                tbody {
                                    @for c in &pk.cannot_deliver {
                                        tr {
                                            td { (c.name) br; (setting_hint(&c.setting, Some(c.kind))) }
                                            td { ul class="list list--plain" {
                                                @for s in &c.shortfalls {
                                                    li {
                                                        (words.package(&s.package)) ": "
                                                        @if s.kind_not_allowed { "not delivered in this kind of setting" }
                                                        @else { (s.missing.iter().map(|m| words.component(m)).collect::<Vec<_>>().join("; ")) }
                                                    }
                                                }
                                            } }
                                        }
                                    }
                                }
                            }
                        }))
                    }
                }
            }
        }
    }
}

/// Runs `f` on the session for a page: a run that fails or takes too long gives the problem
/// page, and an error that `f` returns gives an error page with `status` and `title`.
pub(super) async fn compute_page<T, E>(
    state: &AppState,
    status: StatusCode,
    title: &str,
    f: impl FnOnce(Session) -> Result<T, E> + Send + 'static,
) -> Result<T, Response>
where
    T: Send + 'static,
    E: std::fmt::Display + Send + 'static,
{
    compute(state, f)
        .await
        .map_err(|e| api_error_page(state, e))?
        .map_err(|e| error_page(state, status, title, &e.to_string()))
}

fn find_form(error: Option<&str>, value: &str) -> Markup {
    html! {
        form method="get" action="/children" novalidate {
            div class=(if error.is_some() { "form-group form-group--error" } else { "form-group" }) {
                h1 class="label-wrapper" {
                    label class="label label--l" for="id" { "Find a child" }
                }
                div class="hint" id="id-hint" { "Enter the pseudonymous child id from the case record, for example C000002." }
                @if let Some(e) = error {
                    p class="error-message" id="id-error" { span class="visually-hidden" { "Error: " } (e) }
                }
                input class="input input--width-10" id="id" name="id" type="text" value=(value) aria-describedby="id-hint" spellcheck="false" autocomplete="off";
            }
            button type="submit" class="button" { "Find" }
        }
    }
}

/// `/`: find a child by id.
pub(crate) async fn home(State(state): State<AppState>) -> Response {
    let a = state.session.area();
    let body = html! {
        (find_form(None, ""))
        p class="body-s" { (a.name) ": " (a.settings.len()) " settings, " (a.children.len()) " children." }
    };
    html_page(StatusCode::OK, None, page("Find a child", a, None, body))
}

/// `/children?id=`: to the child's page, or the form with an error.
pub(crate) async fn find_child(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Response {
    let id = query_values(query.as_deref(), "id")
        .into_iter()
        .next()
        .unwrap_or_default();
    let message = if id.is_empty() {
        "Enter a child id".to_string()
    } else {
        match state.session.child(&ChildId::from(id.as_str())) {
            Ok(_) => return Redirect::to(&child_href(&id)).into_response(),
            Err(e) => plain_message(&e.to_string()),
        }
    };
    let body = html! {
        (error_summary(&[("id".into(), message.clone())]))
        (find_form(Some(&message), &id))
    };
    let status = if id.is_empty() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::NOT_FOUND
    };
    html_page(
        status,
        None,
        page("Error: Find a child", state.session.area(), None, body),
    )
}

pub(super) fn list_table(
    list: &TailoredList,
    id: &str,
    compare: bool,
    before: Option<&TailoredList>,
) -> Markup {
    let caption = "Suitable settings, best first";
    table_wrap(
        caption,
        html! {
            table class="table list-table" {
                caption class="table__caption table__caption--m" { (caption) }
                thead {
                    tr {
                        @if compare { th scope="col" { span class="visually-hidden" { "Compare" } } }
                        th scope="col" { "Rank" }
                        @if before.is_some() { th scope="col" { "Rank before" } }
                        th scope="col" { "Setting" }
                        th scope="col" { "Score" }
                        th scope="col" { "Journey" }
                        th scope="col" { "Places" }
                        th scope="col" { "Funding and cost a year" }
                        th scope="col" { "Notes" }
                    }
                }
                tbody {
                    @for e in &list.entries {
                        tr {
                            @if compare {
                                td {
                                    div class="checkboxes__item" {
                                        input class="checkboxes__input" type="checkbox" name="setting" value=(e.setting) id=(format!("cmp-{}", e.setting));
                                        label class="checkboxes__label" for=(format!("cmp-{}", e.setting)) { span class="visually-hidden" { "Compare " (e.name) } }
                                    }
                                }
                            }
                            td { (e.rank) }
                            @if let Some(b) = before {
                                td { (b.entries.iter().find(|x| x.setting == e.setting).map(|x| x.rank.to_string())
                                    .or_else(|| b.omitted.iter().find(|x| x.setting == e.setting).map(|x| x.rank.to_string()))
                                    .unwrap_or_else(|| "not suitable".into())) }
                            }
                            td {
                                a href=(format!("{}/why-not/{}", child_href(id), enc(&e.setting))) { (e.name) }
                                br; (setting_hint(&e.setting, Some(e.kind)))
                                @if e.named_s39 { strong class="tag tag--green" { "Preference named (s.39)" } }
                                @else if let Some(p) = e.preference { strong class="tag tag--blue" { "Parents' choice " (p) } }
                            }
                            td { (contributions(e.score, &e.reasons)) }
                            td { (journey(&e.journey)) }
                            td { (places_tag(&e.capacity)) }
                            td { (e.funding.total.to_string()) br; span class="hint" { "funding band " (e.funding.band) } }
                            td {
                                @for f in &e.flags { span class="hint" { (f.text) } }
                                @if e.residential { strong class="tag" { "Residential (boarding) placement" } }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn map_of(state: &AppState, home: crate::model::GridRef, list: &TailoredList) -> Markup {
    let area = state.session.area();
    let points: Vec<MapPoint> = list
        .entries
        .iter()
        .filter_map(|e| {
            let s = &area.settings[area.setting_index(&e.setting)?];
            Some(MapPoint {
                label: e.rank.to_string(),
                title: format!("{}. {} ({:.0} minutes)", e.rank, s.name, e.journey.minutes),
                at: s.location,
            })
        })
        .collect();
    html! {
        (raw_svg(map_svg(home, &points)))
        p class="body-s map-key" {
            span class="map-key__home" aria-hidden="true" {} " Home "
            span class="map-key__setting" aria-hidden="true" { "1" } " A suitable setting, numbered by its rank on the list. "
            "Straight lines, not routes; north is up."
        }
    }
}

/// How many settings ranked lower one page shows.
const LOWER_PAGE: usize = 20;

/// The suitable settings ranked below the list, a page at a time (`?lower=N`, from 1).
fn ranked_lower(list: &TailoredList, href: &str, page_no: usize) -> Markup {
    let total = list.omitted.len();
    let pages = total.div_ceil(LOWER_PAGE).max(1);
    let page_no = page_no.clamp(1, pages);
    let first = (page_no - 1) * LOWER_PAGE;
    let shown: Vec<_> = list.omitted.iter().skip(first).take(LOWER_PAGE).collect();
    let caption = match (shown.first(), shown.last()) {
        (Some(a), Some(b)) => format!(
            "Ranks {} to {}, of {} ranked lower",
            a.rank,
            b.rank,
            plain::count(total, "setting", "settings")
        ),
        _ => "Settings ranked lower".to_string(),
    };
    html! {
        h2 class="heading-m" id="ranked-lower" { "Also suitable, ranked lower" }
        (table_wrap(&caption, html! {
            table class="table" {
                caption class="table__caption" { (caption) }
                thead { tr { th scope="col" { "Rank" } th scope="col" { "Setting" } th scope="col" class="numeric" { "Score" } } }
                tbody {
                    @for o in &shown {
                        tr {
                            td { (o.rank) }
                            td { a href=(format!("{href}/why-not/{}", enc(o.setting))) { (o.name) } br; (setting_hint(o.setting, o.kind)) }
                            td class="numeric" { (format!("{:.1}", o.score)) }
                        }
                    }
                }
            }
        }))
        @if pages > 1 {
            nav class="pagination" aria-label="Pages of settings ranked lower" {
                @if page_no > 1 { a href=(format!("{href}?lower={}#ranked-lower", page_no - 1)) rel="prev" { "Previous" span class="visually-hidden" { " page" } } }
                span { "Page " (page_no) " of " (pages) }
                @if page_no < pages { a href=(format!("{href}?lower={}#ranked-lower", page_no + 1)) rel="next" { "Next" span class="visually-hidden" { " page" } } }
            }
        }
    }
}

/// The settings left out, each with the rules' own words for why.
fn not_suitable(list: &TailoredList, href: &str, words: &Words<'_>) -> Markup {
    let n = list.excluded.len();
    let caption = "Settings left out, with the reasons";
    html! {
        h2 class="heading-m" { "Not suitable (" (n) ")" }
        details class="details" {
            summary class="details__summary" { "Show the " (plain::count(n, "setting", "settings")) " left out, with the reasons" }
            (table_wrap(caption, html! {
                table class="table" {
                    caption class="table__caption" { (caption) }
                    thead { tr { th scope="col" { "Setting" } th scope="col" { "What the rules require that it does not meet" } th scope="col" { span class="visually-hidden" { "Link" } } } }
                    tbody {
                        @for x in list.excluded.iter() {
                            tr {
                                td { (x.name()) br; (setting_hint(x.setting, x.kind)) }
                                td { ul class="list list--plain" { @for r in x.rules() { li { (words.rule(r)) } } } }
                                td { a href=(format!("{href}/why-not/{}", enc(x.setting))) { "Why not?" span class="visually-hidden" { " " (x.name()) } } }
                            }
                        }
                    }
                }
            }))
        }
    }
}

/// `/children/{id}`: the profile, the tailored list with reasons, the map, what was left out.
pub(crate) async fn child_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> PageResult {
    let child = known_child(&state, &id)?.clone();
    let lower = query_values(query.as_deref(), "lower")
        .first()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1);
    let regime = regime_of(&state, query.as_deref())?;
    let list = list_under(&state, &id, 10, regime).await?;
    let area = state.session.area();
    let words = Words::of(&state.session);
    let href = child_href(&id);
    let body = html! {
        span class="caption-l" { "Tailored list" }
        h1 class="heading-l" { "Child " (id) }
        p class="inset-text" { (ADVISORY) }
        (profile_card(&child, area, &words))
        ul class="list actions no-print" {
            li { a href=(format!("{href}/what-if")) { "What if the profile changed?" } }
            li { a href=(format!("{href}/settings")) { "Search all settings" } }
            li { a href=(format!("{href}/print")) { "Printable list for the family" } }
            li { a href=(format!("{href}/list.csv")) download { "Download the list (CSV)" } }
        }
        form method="get" action=(format!("{href}/compare")) {
            (list_table(&list, &id, true, None))
            button type="submit" class="button button--secondary no-print" { "Compare selected settings" }
        }
        @if !list.omitted.is_empty() {
            (ranked_lower(&list, &href, lower))
        }
        @if let Some(b) = &list.beyond_ceiling {
            h2 class="heading-m" { "Beyond the journey ceiling" }
            p {
                (plain::count(b.removed, "otherwise suitable setting is", "otherwise suitable settings are"))
                " left out as day placements: " (words.rule(&b.rule)) " The nearest is "
                a href=(format!("{href}/why-not/{}", enc(&b.setting))) { (b.name) }
                ", " (format!("{:.0}", b.journey.minutes)) " minutes away."
            }
        }
        (statutory(&list, area, &words))
        (regime_section(&list, &href, &words))
        h2 class="heading-m" { "Map" }
        (map_of(&state, child.home, &list))
        (not_suitable(&list, &href, &words))
    };
    Ok(html_page(
        StatusCode::OK,
        Some(&id),
        page(
            &format!("Child {id}"),
            area,
            Some(("/", "Find another child")),
            body,
        ),
    ))
}

/// `/children/{id}/why-not/{setting}`: every rule on the pair, with the facts.
pub(crate) async fn why_not(
    State(state): State<AppState>,
    Path((id, setting)): Path<(String, String)>,
) -> PageResult {
    known_child(&state, &id)?;
    let (c, s) = (
        ChildId::from(id.as_str()),
        crate::model::SettingId::from(setting.as_str()),
    );
    let e = compute_page(
        &state,
        StatusCode::NOT_FOUND,
        "Setting not found",
        move |sess| sess.explain(&c, &s),
    )
    .await?;
    let words = Words::of(&state.session);
    let kind = crate::model::SettingKind::parse(&e.setting_kind);
    let flags = match &e.verdict {
        Verdict::Excluded { flags, .. } | Verdict::Eligible { flags, .. } => flags,
    };
    let body = html! {
        span class="caption-l" { "Child " (id) }
        h1 class="heading-l" { (e.setting_name) }
        p { (setting_hint(&e.setting, kind)) }
        @match &e.verdict {
            Verdict::Excluded { failures, .. } => {
                div class="panel panel--red" { p class="heading-m" { "Not suitable: " (plain::count(failures.len(), "reason", "reasons")) } }
                (failures_table("Why it is not suitable, with the facts", failures, &words))
            }
            Verdict::Eligible { score, contributions: parts, .. } => {
                div class="panel panel--green" { p class="heading-m" { "Suitable: score " (format!("{score:.1}")) } }
                (table_wrap("How the score is made up", html! {
                    table class="table" {
                        caption class="table__caption" { "How the score is made up" }
                        thead { tr { th scope="col" { "What the rules reward" } th scope="col" class="numeric" { "Weight" } th scope="col" class="numeric" { "Measure" } th scope="col" class="numeric" { "Points" } } }
                        tbody { @for p in parts { tr { td { (p.text) } td class="numeric" { (format!("{:.1}", p.weight)) } td class="numeric" { (format!("{:.2}", p.value)) } td class="numeric" { (format!("{:.1}", p.points)) } } } }
                    }
                }))
            }
        }
        @if !flags.is_empty() { (failures_table("Points to note", flags, &words)) }
        (summary_card("Journey, places and cost", &[
            ("Journey", format!("{}; {:.1} km by road ({:.1} km in a straight line)", plain::journey(&e.journey), e.journey.road_km, e.journey.straight_km)),
            ("Places", places_words(&e.capacity)),
            ("Cost a year", format!("{} (funding band {})", e.funding.total, e.funding.band)),
        ]))
        (caseworker_details(html! {
            dl class="summary-list" {
                div class="summary-list__row" { dt class="summary-list__key" { "Setting" } dd class="summary-list__value" { (e.setting) ", " (e.setting_kind) } }
                @match &e.verdict {
                    Verdict::Excluded { failures, .. } => {
                        div class="summary-list__row" { dt class="summary-list__key" { "Failed rules" } dd class="summary-list__value" { (failures.iter().map(|f| f.rule.as_str()).collect::<Vec<_>>().join(", ")) } }
                    }
                    Verdict::Eligible { contributions: parts, .. } => {
                        div class="summary-list__row" { dt class="summary-list__key" { "Scoring rules" } dd class="summary-list__value" { (parts.iter().map(|p| p.rule.as_str()).collect::<Vec<_>>().join(", ")) } }
                    }
                }
                @if !flags.is_empty() {
                    div class="summary-list__row" { dt class="summary-list__key" { "Flags" } dd class="summary-list__value" { (flags.iter().map(|f| f.rule.as_str()).collect::<Vec<_>>().join(", ")) } }
                }
                @if let Some(p) = &e.capacity.pool {
                    div class="summary-list__row" { dt class="summary-list__key" { "Place pool" } dd class="summary-list__value" { (p) } }
                }
            }
        }))
    };
    let title = if e.verdict.is_eligible() {
        format!("Why {} is suitable", e.setting_name)
    } else {
        format!("Why not {}?", e.setting_name)
    };
    Ok(child_subpage(&state, StatusCode::OK, &id, &title, body))
}

/// `/children/{id}/print`: the list for the family, with the reasons, for printing.
pub(crate) async fn print_list(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> PageResult {
    let child = known_child(&state, &id)?.clone();
    let list = list_of(&state, &id, 10).await?;
    let area = state.session.area();
    let words = Words::of(&state.session);
    let need = plain::need(child.primary_need);
    let body = html! {
        h1 class="heading-l" { "Settings able to provide for child " (id) }
        p class="inset-text" { (ADVISORY) }
        p { "Year " (list.year) " (" (list.phase.key()) "); primary need: " (need) "; "
            (words.level(&list.plan_level)) "; funding band " (list.band) "." }
        ol class="list list--number print-list" {
            @for e in &list.entries {
                li {
                    h2 class="heading-s" { (e.name) }
                    p class="hint" { "URN " (e.setting) ", " (plain::kind(e.kind)) }
                    p {
                        "Journey: " (plain::journey(&e.journey)) "." br;
                        "Places: " @match e.capacity.status {
                            PlaceStatus::PlacesFree | PlaceStatus::PlacedHere => { (plain::places_free(e.capacity.free)) },
                            PlaceStatus::Full => "full",
                            PlaceStatus::NoPool => "none for this year group",
                        } "." br;
                        "Cost: " (e.funding.total.to_string()) " a year."
                        @if e.named_s39 { br; "Named as the parents' preference (s.39)." }
                    }
                    p class="body-s" { "Why it is suitable: "
                        (e.reasons.iter().map(|r| format!("{} ({:+.1})", r.text, r.points)).collect::<Vec<_>>().join("; ")) }
                }
            }
        }
        (statutory(&list, area, &words))
        h2 class="heading-m" { "Settings left out, and why" }
        @if list.excluded.is_empty() {
            p { "None: every setting considered is suitable." }
        } @else {
            (table_wrap("Settings left out, and why", html! {
                table class="table" {
                    caption class="table__caption" { "Settings left out, and why (" (plain::count(list.excluded.len(), "setting", "settings")) ")" }
                    thead { tr { th scope="col" { "Setting" } th scope="col" { "What the rules require that it does not meet" } } }
                    tbody {
                        @for x in list.excluded.iter() {
                            tr {
                                td { (x.name()) br; (setting_hint(x.setting, x.kind)) }
                                td { ul class="list list--plain" { @for r in x.rules() { li { (words.rule(r)) } } } }
                            }
                        }
                    }
                }
            }))
        }
        p class="body-s" { "Produced by placewise for " (area.name) ". A person decides." }
    };
    let title = format!("List for child {id}");
    Ok(child_subpage(&state, StatusCode::OK, &id, &title, body))
}

/// `/children/{id}/list.csv`: the list as CSV (as `placewise list --format csv`).
pub(crate) async fn list_csv(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    known_child(&state, &id)?;
    let list = list_of(&state, &id, 10).await?;
    let mut bytes = Vec::new();
    let _ = write_list_csv_header(&mut bytes).and_then(|()| write_list_csv(&list, &mut bytes));
    let mut r = (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!(
                    "attachment; filename=\"list-{}.csv\"",
                    id.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_")
                ))
                .unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        bytes,
    )
        .into_response();
    r.extensions_mut().insert(AuditChild(id));
    Ok(r)
}

pub(super) fn login_body(error: bool) -> Markup {
    html! {
        @if error { (error_summary(&[("token".into(), "The access token is not right".into())])) }
        form method="post" action="/login" novalidate {
            div class=(if error { "form-group form-group--error" } else { "form-group" }) {
                h1 class="label-wrapper" { label class="label label--l" for="token" { "Sign in" } }
                div class="hint" id="token-hint" { "Enter the access token you were given for this service." }
                @if error { p class="error-message" id="token-error" { "The access token is not right" } }
                input class="input input--width-20" id="token" name="token" type="password" autocomplete="current-password" aria-describedby="token-hint";
            }
            button type="submit" class="button" { "Sign in" }
        }
    }
}

/// `/login`: the token form (only needed when a token is configured).
pub(crate) async fn login_form(State(state): State<AppState>) -> Response {
    html_page(
        StatusCode::OK,
        None,
        page("Sign in", state.session.area(), None, login_body(false)),
    )
}

/// The stylesheet.
pub(crate) async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("assets/app.css"),
    )
        .into_response()
}
