//! The Specialist Provision Packages of `packages.toml`: the header (`[packages]`), groups
//! (`[[package_group]]`), packages (`[[package]]`), combinations, derivation rules
//! (`[[package_rule]]`) and offer rules (`[[package_offer]]`). Groups are read with the
//! vocabularies, packages next (they name groups and features), and the rules last (they name
//! packages, plan levels, needs and features); a funding band is checked when every band is read.

use super::conditions::{features, kinds, read_child_condition, read_setting_condition};
use super::draft::Draft;
use super::origin;
use crate::diag::Code;
use crate::rules::packages::*;
use crate::rules::toml_read::{Fields, Reader, Text};
use std::ops::Range;
use std::path::PathBuf;

const HEADER_KEYS: &[&str] = &["status", "text", "sources"];
const PACKAGE_KEYS: &[&str] = &[
    "id",
    "group",
    "text",
    "source",
    "assumption",
    "curriculum",
    "staff_ratio",
    "specialist_staff",
    "therapies",
    "environment",
    "health_care",
    "settings",
    "funding_band",
];
const RULE_KEYS: &[&str] = &["id", "text", "package", "fallback", "when"];
const OFFER_KEYS: &[&str] = &["id", "text", "packages", "setting"];
const COMBINATION_KEYS: &[&str] = &["id", "text", "at_most_one"];

/// A funding band named by a package, checked once every band is read.
pub(super) struct BandReference {
    pub(super) band: String,
    pub(super) path: PathBuf,
    pub(super) span: Range<usize>,
}

/// Reads `[packages]` and the `[[package_group]]`s of one file (with the vocabularies).
pub(super) fn read_groups(top: &mut Fields<'_, '_>, draft: &mut Draft) {
    if let Some(mut h) = top.opt::<Fields>("packages") {
        draft.packages.status = h.opt::<Text>("status").map(|t| t.0).unwrap_or_default();
        draft.packages.text = h.opt::<Text>("text").map(|t| t.0).unwrap_or_default();
        draft.packages.sources = h
            .opt::<Vec<Text>>("sources")
            .unwrap_or_default()
            .into_iter()
            .map(|t| t.0)
            .collect();
        h.finish(HEADER_KEYS);
    }
    for mut f in top.opt::<Vec<Fields>>("package_group").unwrap_or_default() {
        let id = f.req::<Text>("id");
        let text = f.opt::<Text>("text").map(|t| t.0).unwrap_or_default();
        f.finish(&["id", "text"]);
        if let Some((id, _)) = id {
            draft.packages.groups.retain(|g| g.id != id);
            draft.packages.groups.push(PackageGroup { id, text });
        }
    }
}

/// Reads the `[[package]]`s of one file, each replacing an earlier one of its id. A package
/// with an error in it still takes its place (so the rules naming it do not report it
/// unknown as well); the load fails on the error anyway.
pub(super) fn read_packages(top: &mut Fields<'_, '_>, draft: &mut Draft) {
    let mut seen = Vec::new();
    for f in top.opt::<Vec<Fields>>("package").unwrap_or_default() {
        let cx = f.reader();
        if let Some((p, band)) = read_package(f, draft) {
            if seen.contains(&p.id) {
                duplicate(cx, &p.id, "package");
            }
            seen.push(p.id.clone());
            draft.packages.packages.retain(|q| q.id != p.id);
            draft.band_refs.retain(|(id, _)| id != &p.id);
            draft.band_refs.push((p.id.clone(), band));
            draft.packages.packages.push(p);
        }
    }
}

fn read_package(mut f: Fields<'_, '_>, draft: &Draft) -> Option<(Package, BandReference)> {
    let cx = f.reader();
    let id = f.req::<Text>("id");
    let group = f.req::<Text>("group");
    if let Some((g, span)) = &group {
        let known: Vec<&str> = draft
            .packages
            .groups
            .iter()
            .map(|g| g.id.as_str())
            .collect();
        if !known.contains(&g.as_str()) {
            let field = f.name("group");
            cx.push(
                cx.src
                    .no_such_id(span.clone(), &field, "package group", g, &known),
            );
        }
    }
    let text = f.req::<Text>("text");
    let source = f.req::<Text>("source");
    let assumption = f.opt::<Text>("assumption").map(|t| t.0).unwrap_or_default();
    let mut components = Vec::new();
    if let Some((c, _)) = f.req::<Text>("curriculum") {
        components.push(Component {
            aspect: Aspect::Curriculum,
            id: c,
            amount: None,
        });
    }
    if let Some((ratio, span)) = f.opt::<Text>("staff_ratio") {
        match parse_ratio(&ratio) {
            Some(per_pupil) => components.push(Component {
                aspect: Aspect::StaffRatio,
                id: ratio,
                amount: Some(per_pupil),
            }),
            None => cx.push(
                f.at(Code::InvalidValue, span, "staff_ratio", "not a staff ratio")
                    .expected("adults:pupils, e.g. \"1:2\" (whole numbers, more than 0)")
                    .found(ratio),
            ),
        }
    }
    for (staff, _) in f.opt::<Vec<Text>>("specialist_staff").unwrap_or_default() {
        components.push(Component {
            aspect: Aspect::SpecialistStaff,
            id: staff,
            amount: None,
        });
    }
    for mut t in f.opt::<Vec<Fields>>("therapies").unwrap_or_default() {
        let therapy = t.req::<Text>("therapy");
        let per_week = t.req_within("per_week", 0.05..=20.0);
        t.finish(&["therapy", "per_week"]);
        if let (Some((therapy, _)), Some(n)) = (therapy, per_week) {
            components.push(Component {
                aspect: Aspect::Therapy,
                id: therapy,
                amount: Some(n),
            });
        }
    }
    for (key, aspect) in [
        ("environment", Aspect::Environment),
        ("health_care", Aspect::HealthCare),
    ] {
        if let Some(list) = f.opt::<Vec<Text>>(key) {
            for feature in features(cx, &f.name(key), &list, draft) {
                components.push(Component {
                    aspect,
                    id: feature,
                    amount: None,
                });
            }
        }
    }
    let settings = match f.opt::<Vec<Text>>("settings") {
        Some(l) => kinds(cx, &f.name("settings"), &l),
        None => {
            f.missing("settings", "the kinds of setting allowed to deliver it");
            Default::default()
        }
    };
    let band = f.req::<Text>("funding_band");
    let origin = origin(&f);
    f.finish(PACKAGE_KEYS);
    let (band, span) = band.unwrap_or_default();
    Some((
        Package {
            id: id?.0,
            group: group.unwrap_or_default().0,
            text: text.unwrap_or_default().0,
            source: source.unwrap_or_default().0,
            assumption,
            components,
            settings,
            funding_band: band.clone(),
            origin,
        },
        BandReference {
            band,
            path: cx.src.path.to_path_buf(),
            span,
        },
    ))
}

/// Adults per pupil of a ratio written `adults:pupils`.
fn parse_ratio(text: &str) -> Option<f64> {
    let (a, p) = text.split_once(':')?;
    let (a, p) = (a.trim().parse::<u32>().ok()?, p.trim().parse::<u32>().ok()?);
    (a > 0 && p > 0).then(|| a as f64 / p as f64)
}

/// Reads the package rules, offers and combinations of one file.
pub(super) fn read_package_rules(top: &mut Fields<'_, '_>, draft: &mut Draft) {
    let mut seen: Vec<String> = Vec::new();
    for f in top.opt::<Vec<Fields>>("package_rule").unwrap_or_default() {
        let cx = f.reader();
        if let Some(r) = cx.unless_reported(|| read_derive(f, draft)) {
            unique(cx, &r.id, &mut seen);
            draft.packages.derive.retain(|x| x.id != r.id);
            draft.packages.derive.push(r);
        }
    }
    for f in top.opt::<Vec<Fields>>("package_offer").unwrap_or_default() {
        let cx = f.reader();
        if let Some(r) = cx.unless_reported(|| read_offer(f, draft)) {
            unique(cx, &r.id, &mut seen);
            draft.packages.offers.retain(|x| x.id != r.id);
            draft.packages.offers.push(r);
        }
    }
    for mut f in top.opt::<Vec<Fields>>("inclusion_base").unwrap_or_default() {
        let kinds = crate::model::SettingKind::keys();
        let kind = f.req_known(
            "kind",
            "setting kind",
            &kinds,
            crate::model::SettingKind::parse,
        );
        let bases: Vec<&str> = InclusionBase::ALL.iter().map(|b| b.key()).collect();
        let base = f.req_known("base", "inclusion base", &bases, |b| {
            InclusionBase::ALL.into_iter().find(|x| x.key() == b)
        });
        let text = f.opt::<Text>("text").map(|t| t.0).unwrap_or_default();
        f.finish(&["kind", "base", "text"]);
        if let (Some(kind), Some(base)) = (kind, base) {
            draft.packages.inclusion_bases.retain(|m| m.kind != kind);
            draft
                .packages
                .inclusion_bases
                .push(BaseMapping { kind, base, text });
        }
    }
    for f in top
        .opt::<Vec<Fields>>("package_combination")
        .unwrap_or_default()
    {
        let cx = f.reader();
        if let Some(r) = cx.unless_reported(|| read_combination(f, draft)) {
            unique(cx, &r.id, &mut seen);
            draft.packages.combinations.retain(|x| x.id != r.id);
            draft.packages.combinations.push(r);
        }
    }
}

fn unique(cx: &Reader<'_>, id: &str, seen: &mut Vec<String>) {
    if seen.iter().any(|s| s == id) {
        duplicate(cx, id, "package rule");
    }
    seen.push(id.to_string());
}

fn duplicate(cx: &Reader<'_>, id: &str, what: &str) {
    super::duplicate_id(
        cx,
        id,
        format!("{what} id `{id}` is defined twice in this file"),
    );
}

/// A package id at `span`, checked against the packages read.
fn package_ref(f: &Fields<'_, '_>, key: &str, (id, span): Text, draft: &Draft) -> Option<String> {
    let known = draft.packages.ids();
    if known.contains(&id.as_str()) {
        return Some(id);
    }
    let cx = f.reader();
    cx.push(
        cx.src
            .no_such_id(span, &f.name(key), "package", &id, &known),
    );
    None
}

fn read_derive(mut f: Fields<'_, '_>, draft: &Draft) -> Option<DeriveRule> {
    let id = f.req::<Text>("id");
    let text = f.req::<Text>("text");
    let package = f.req::<Text>("package");
    let package = package.and_then(|p| package_ref(&f, "package", p, draft));
    let fallback = f.opt::<bool>("fallback").unwrap_or(false);
    let when = match f.opt::<Fields>("when") {
        Some(w) => read_child_condition(w, draft),
        None => {
            f.missing("when", "a table of child conditions");
            return None;
        }
    };
    let origin = origin(&f);
    f.finish(RULE_KEYS);
    Some(DeriveRule {
        id: id?.0,
        text: text?.0,
        package: package?,
        fallback,
        when,
        origin,
    })
}

fn read_offer(mut f: Fields<'_, '_>, draft: &Draft) -> Option<OfferRule> {
    let id = f.req::<Text>("id");
    let text = f.req::<Text>("text");
    let packages: Vec<Option<String>> = f
        .req::<Vec<Text>>("packages")
        .unwrap_or_default()
        .into_iter()
        .map(|p| package_ref(&f, "packages", p, draft))
        .collect();
    let setting = match f.opt::<Fields>("setting") {
        Some(s) => read_setting_condition(s, draft),
        None => {
            f.missing("setting", "a table of setting conditions");
            return None;
        }
    };
    let origin = origin(&f);
    f.finish(OFFER_KEYS);
    Some(OfferRule {
        id: id?.0,
        text: text?.0,
        packages: packages.into_iter().collect::<Option<Vec<_>>>()?,
        setting,
        origin,
    })
}

fn read_combination(mut f: Fields<'_, '_>, draft: &Draft) -> Option<Combination> {
    let id = f.req::<Text>("id");
    let text = f.req::<Text>("text");
    let list: Vec<Option<String>> = f
        .req::<Vec<Text>>("at_most_one")
        .unwrap_or_default()
        .into_iter()
        .map(|p| package_ref(&f, "at_most_one", p, draft))
        .collect();
    let origin = origin(&f);
    f.finish(COMBINATION_KEYS);
    Some(Combination {
        id: id?.0,
        text: text?.0,
        at_most_one: list.into_iter().collect::<Option<Vec<_>>>()?,
        origin,
    })
}
