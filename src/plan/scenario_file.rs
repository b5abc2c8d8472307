//! Reading what-if scenarios from TOML (`scenarios/*.toml` in an area), every id checked against
//! the area's settings and the rules, every error located.

use super::scenario::{Change, RuleChanges, Scenario};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::{
    InclusionBase, Need, NeedSet, PlacePool, PoolId, Setting, SettingId, SettingKind, YearGroup,
};
use crate::rules::toml_read::{Fields, Reader, Text};
use std::path::Path;

/// Reads a scenario file for a loaded area, checking ids against its settings and rules, with
/// the baseline first (added when the file does not define one). For the crate's tests and
/// benchmarks; front ends go through `Session::read_scenarios`.
#[cfg(feature = "testing")]
pub fn load_scenarios(
    loaded: &crate::io::LoadedArea,
    path: &Path,
) -> Result<Vec<Scenario>, Diagnostics> {
    scenarios_for(&loaded.area.settings, &loaded.rules.rules, path)
}

/// Reads a scenario file, checking setting ids against `settings` and feature and rule ids
/// against `rules`, with the baseline first (added when the file does not define one).
pub fn scenarios_for(
    settings: &[Setting],
    rules: &crate::rules::RuleSet,
    path: &Path,
) -> Result<Vec<Scenario>, Diagnostics> {
    let mut list = read_scenarios(path, settings, &rules.feature_ids(), &rules.rule_ids())?;
    if rules.price_bands.is_empty()
        && let Some(s) = list.iter().find(|s| s.price_bands_from().is_some())
    {
        let mut diags = Diagnostics::default();
        diags.push(
            Diagnostic::file(
                Code::UnknownReference,
                path,
                format!(
                    "scenario `{}` costs placements at the national price bands, but the rules define none",
                    s.name
                ),
            )
            .field("action")
            .expected("a rule file with `[[price_band]]`s (the shipped price_bands.toml), or no `price-bands` change"),
        );
        return Err(diags);
    }
    if !list.iter().any(|s| s.name == "baseline") {
        list.insert(0, Scenario::baseline());
    }
    Ok(list)
}

const SCENARIO_KEYS: &[&str] = &["name", "description", "change", "growth", "rules", "budget"];
const CHANGE_KEYS: &[&str] = &[
    "action",
    "from",
    "setting",
    "pool",
    "add",
    "designations",
    "name",
    "kind",
    "host",
    "first_year",
    "last_year",
    "features",
    "capacity",
    "easting",
    "northing",
    "locality",
    "share",
    "max_intensity",
    "level",
    "pounds",
    "transfer_years",
    "bases",
    "places",
    "base",
];
const ACTIONS: &[&str] = &[
    "open",
    "expand",
    "close",
    "redesignate",
    "national-standard",
    "additional-learning-support",
    "resource-bases",
    "price-bands",
    "inclusion-base-in-every-secondary",
];

/// Reads scenarios from a TOML file, checking setting ids against `settings` and feature ids
/// against `features`. Every error is reported with its place.
pub fn read_scenarios(
    path: &Path,
    settings: &[Setting],
    features: &[&str],
    rule_ids: &[&str],
) -> Result<Vec<Scenario>, Diagnostics> {
    let text = read_text(path)?;
    let cx = Reader::new(path, &text);
    let Some(doc) = cx.parse() else {
        return Err(cx.into_diagnostics());
    };
    let mut top = cx.top(&doc);
    let ids: Vec<&str> = settings.iter().map(|s| s.id.as_str()).collect();
    let known = Known {
        ids: &ids,
        settings,
        features,
    };
    let out: Vec<Scenario> = top
        .opt::<Vec<Fields>>("scenario")
        .unwrap_or_default()
        .into_iter()
        .map(|f| read_scenario(f, &known, rule_ids))
        .collect();
    top.finish(&["scenario"]);
    let mut diags = cx.into_diagnostics();
    if diags.is_empty() && out.is_empty() {
        diags.push(
            crate::diag::Diagnostic::file(Code::MissingField, path, "no [[scenario]] in this file")
                .field("scenario"),
        );
    }
    diags.sort();
    diags.into_result(out)
}

/// What a scenario's changes may name: the area's setting ids and settings, and the rules'
/// features.
struct Known<'k> {
    /// The ids of the area's settings, in the order of `settings`.
    ids: &'k [&'k str],
    /// The area's settings.
    settings: &'k [Setting],
    /// The feature ids the rules define.
    features: &'k [&'k str],
}

/// The text of the scenario file, or an I/O diagnostic when it cannot be read.
fn read_text(path: &Path) -> Result<String, Diagnostics> {
    std::fs::read_to_string(path).map_err(|e| {
        let mut diags = Diagnostics::default();
        diags.push(crate::diag::Diagnostic::file(
            Code::Io,
            path,
            format!("cannot read scenarios: {e}"),
        ));
        diags
    })
}

/// One `[[scenario]]` table; its problems are reported and what could be read is kept.
fn read_scenario(mut f: Fields<'_, '_>, known: &Known<'_>, rule_ids: &[&str]) -> Scenario {
    let name = f.req::<Text>("name").map(|n| n.0).unwrap_or_default();
    let description = f
        .opt::<Text>("description")
        .map(|d| d.0)
        .unwrap_or_default();
    let mut changes = Vec::new();
    for c in f.opt::<Vec<Fields>>("change").unwrap_or_default() {
        if let Some(change) = read_change(c, known) {
            changes.push(change);
        }
    }
    let (growth_rate, need_drift) = f
        .opt::<Fields>("growth")
        .map(read_growth)
        .unwrap_or_default();
    let rules = f
        .opt::<Fields>("rules")
        .map(|r| read_rule_changes(r, rule_ids))
        .unwrap_or_default();
    let mut budget_pounds = None;
    if let Some(mut b) = f.opt::<Fields>("budget") {
        budget_pounds = b.opt_within("pounds", 0..=i64::MAX / 4);
        b.finish(&["pounds"]);
    }
    f.finish(SCENARIO_KEYS);
    Scenario {
        name,
        description,
        changes,
        growth_rate,
        need_drift,
        rules,
        budget_pounds,
    }
}

/// The `growth` table of a scenario: its growth rate and its drift in need mix.
fn read_growth(mut g: Fields<'_, '_>) -> (Option<f64>, Vec<(Need, f64)>) {
    let growth_rate = g.opt_within("rate", -0.5..=1.0);
    let need_drift = g
        .opt::<Fields>("need_drift")
        .map(read_need_drift)
        .unwrap_or_default();
    g.finish(&["rate", "need_drift"]);
    (growth_rate, need_drift)
}

/// The `growth.need_drift` table: a change of share per need, in the order written; an
/// unknown need is reported at its place with a did-you-mean.
fn read_need_drift(mut d: Fields<'_, '_>) -> Vec<(Need, f64)> {
    let cx = d.reader();
    let codes: Vec<&str> = Need::codes();
    let mut need_drift = Vec::new();
    for (key, span) in d.keys() {
        match Need::parse(&key) {
            Some(n) => {
                if let Some(v) = d.opt_within(&key, -0.5..=2.0) {
                    need_drift.push((n, v));
                }
            }
            None => {
                d.get(&key);
                cx.push(
                    d.at(
                        Code::UnknownCode,
                        span,
                        &key,
                        format!("unknown need `{key}`"),
                    )
                    .expected_one_of(&key, &codes),
                );
            }
        }
    }
    d.finish(&codes);
    need_drift
}

/// The `rules` table of a scenario: rules switched off and new score weights, each id checked
/// against `rule_ids`.
fn read_rule_changes(mut r: Fields<'_, '_>, rule_ids: &[&str]) -> RuleChanges {
    let cx = r.reader();
    let mut rules = RuleChanges::default();
    for (id, span) in r.opt::<Vec<Text>>("disable").unwrap_or_default() {
        if !rule_ids.contains(&id.as_str()) {
            let field = r.name("disable");
            cx.push(cx.src.no_such_id(span, &field, "rule", &id, rule_ids));
        }
        rules.disable.push(id);
    }
    if let Some(w) = r.opt::<Fields>("score_weights") {
        rules.score_weights = read_score_weights(w, rule_ids);
    }
    r.finish(&["disable", "score_weights"]);
    rules
}

/// The `rules.score_weights` table: a weight per score rule, in the order written; an id not
/// in `rule_ids` is reported at its place.
fn read_score_weights(mut w: Fields<'_, '_>, rule_ids: &[&str]) -> Vec<(String, f64)> {
    let cx = w.reader();
    let mut weights = Vec::new();
    for (key, span) in w.keys() {
        if rule_ids.contains(&key.as_str()) {
            if let Some(v) = w.opt_within(&key, -1000.0..=1000.0) {
                weights.push((key, v));
            }
        } else {
            w.get(&key);
            let field = w.name(&key);
            cx.push(
                cx.src
                    .no_such_id(span, &field, "score rule", &key, rule_ids),
            );
        }
    }
    w.finish(rule_ids);
    weights
}

/// A change, or `None` when anything in it was reported.
fn read_change(f: Fields<'_, '_>, known: &Known<'_>) -> Option<Change> {
    f.reader().unless_reported(|| read_change_fields(f, known))
}

/// The fields of one `[[scenario.change]]`, read by its action. A change whose required fields
/// are missing is dropped without checking the table for unknown fields.
fn read_change_fields(mut f: Fields<'_, '_>, known: &Known<'_>) -> Option<Change> {
    let action = f.req::<Text>("action");
    let from = f
        .req_within_as(
            "from",
            2000..=2100,
            "the year the change starts (e.g. 2027)",
        )
        .map(|y| y as i32);
    let area_wide = action.as_ref().is_some_and(|a| is_area_wide(&a.0));
    let setting = if area_wide {
        None
    } else {
        f.req::<Text>("setting")
    };
    let change = match action.as_ref().map(|a| a.0.as_str()) {
        Some("expand") => {
            check_setting_known(&f, &setting, known.ids);
            let pool = f.opt::<Text>("pool").map(|p| p.0);
            let add = f.req_within_as(
                "add",
                -100_000..=100_000,
                "the number of places to add (negative to remove)",
            );
            Some(Change::Expand {
                from: from?,
                setting: setting?.0,
                pool,
                add: add?,
            })
        }
        Some("close") => {
            check_setting_known(&f, &setting, known.ids);
            Some(Change::Close {
                from: from?,
                setting: setting?.0,
            })
        }
        Some("redesignate") => {
            check_setting_known(&f, &setting, known.ids);
            let list = f.opt::<Vec<Text>>("designations").unwrap_or_default();
            Some(Change::Redesignate {
                from: from?,
                setting: setting?.0,
                designations: needs(&f, &list),
            })
        }
        Some("national-standard") => Some(read_national_standard(&mut f, from, known.features)?),
        Some("additional-learning-support") => {
            super::reform::read_learning_support(&mut f, from).map(Change::LearningSupport)
        }
        Some("resource-bases") => {
            super::reform::read_base_programme(&mut f, from).map(Change::ResourceBases)
        }
        Some("price-bands") => Some(Change::PriceBands { from: from? }),
        Some("inclusion-base-in-every-secondary") => {
            Some(read_inclusion_bases(&mut f, from, known.features)?)
        }
        Some("open") => Some(read_open(&mut f, from, setting, known)?),
        Some(other) => {
            let span = action.as_ref().map_or(f.span.clone(), |a| a.1.clone());
            f.reader().push(
                f.at(
                    Code::UnknownCode,
                    span,
                    "action",
                    format!("unknown action `{other}`"),
                )
                .expected_one_of(other, ACTIONS),
            );
            None
        }
        None => None,
    };
    f.finish(CHANGE_KEYS);
    change
}

/// Whether `action` changes the whole area rather than one named setting (so takes no
/// `setting`).
fn is_area_wide(action: &str) -> bool {
    matches!(
        action,
        "national-standard"
            | "additional-learning-support"
            | "resource-bases"
            | "price-bands"
            | "inclusion-base-in-every-secondary"
    )
}

/// Reports the change's `setting` when it names no setting in the area.
fn check_setting_known(f: &Fields<'_, '_>, setting: &Option<Text>, ids: &[&str]) {
    if let Some((id, span)) = setting
        && !ids.contains(&id.as_str())
    {
        f.reader().push(no_such_setting(
            f,
            "setting",
            (id.as_str(), span),
            ids,
            "the id of a setting in settings.csv",
        ));
    }
}

/// A `national-standard` change: the features every mainstream school gains, sorted.
fn read_national_standard(
    f: &mut Fields<'_, '_>,
    from: Option<i32>,
    features: &[&str],
) -> Option<Change> {
    let mut feats = known_features(f, features);
    if feats.is_empty() && !f.has("features") {
        f.missing("features", "the features every mainstream school gains");
    }
    feats.sort();
    Some(Change::NationalStandard {
        from: from?,
        features: feats,
    })
}

/// An `inclusion-base-in-every-secondary` change: the bases' places, kind (a specialist base
/// unless given), designations and features.
fn read_inclusion_bases(
    f: &mut Fields<'_, '_>,
    from: Option<i32>,
    features: &[&str],
) -> Option<Change> {
    let places = f.req_within_as("places", 1..=1_000, "the places in each base (1 to 1000)");
    let base = if f.has("base") {
        f.req_known(
            "base",
            "inclusion base",
            &InclusionBase::keys(),
            InclusionBase::parse,
        )
    } else {
        Some(InclusionBase::SpecialistBase)
    };
    let list = f.opt::<Vec<Text>>("designations").unwrap_or_default();
    if !f.has("designations") {
        f.missing(
            "designations",
            "the needs the bases are for, e.g. [\"ASD\", \"SEMH\"]",
        );
    }
    let designations = needs(f, &list);
    let mut feats = known_features(f, features);
    feats.sort();
    Some(Change::InclusionBases(
        super::inclusion_bases::BaseInEverySecondary {
            from: from?,
            places: places? as u32,
            base: base?,
            designations,
            features: feats,
        },
    ))
}

/// An `open` change: a new setting with one pool of places, taking its years, place, locality
/// and local authority from its host school where it does not give them.
fn read_open(
    f: &mut Fields<'_, '_>,
    from: Option<i32>,
    setting: Option<Text>,
    known: &Known<'_>,
) -> Option<Change> {
    let kinds = SettingKind::keys();
    let kind = f.req_known("kind", "kind", &kinds, SettingKind::parse);
    let name = f.opt::<Text>("name").map(|n| n.0);
    let host = f.opt::<Text>("host");
    let host_setting = host.as_ref().and_then(|h| host_school(f, h, known));
    let first = year_group(f, "first_year");
    let last = year_group(f, "last_year");
    let list = f.opt::<Vec<Text>>("designations").unwrap_or_default();
    let designations = needs(f, &list);
    let mut feats = known_features(f, known.features);
    feats.sort();
    let capacity = f.req_within_as("capacity", 1..=100_000, "the number of places");
    let e = f.opt_within("easting", 0.0..=700_000.0);
    let n = f.opt_within("northing", 0.0..=1_300_000.0);
    let locality = f.opt::<Text>("locality").map(|l| l.0);
    let (id, _) = setting?;
    check_new_id(f, &id, known.ids);
    let location = match (e, n, host_setting) {
        (Some(e), Some(n), _) => crate::model::GridRef {
            easting: e,
            northing: n,
        },
        (_, _, Some(h)) => h.location,
        _ => {
            f.missing("easting", "easting and northing, or a host school");
            crate::model::GridRef::default()
        }
    };
    let (first, last) = (
        first.or(host_setting.map(|h| h.first_year))?,
        last.or(host_setting.map(|h| h.last_year))?,
    );
    Some(Change::Open {
        from: from?,
        setting: Box::new(Setting {
            id: SettingId(id.clone()),
            name: name.unwrap_or_else(|| id.clone()),
            kind: kind?,
            host: host.map(|h| SettingId(h.0)),
            first_year: first,
            last_year: last,
            admits: host_setting.map_or(crate::model::Admits::Mixed, |h| h.admits),
            location,
            designations,
            features: feats,
            pools: vec![PlacePool {
                id: PoolId::from("new"),
                first_year: first,
                last_year: last,
                capacity: capacity? as u32,
                on_roll: 0,
                inclusion_base: None,
            }],
            annual_fee: None,
            locality: locality
                .or(host_setting.map(|h| h.locality.clone()))
                .unwrap_or_default(),
            s41_approved: false,
            local_authority: host_setting
                .map(|h| h.local_authority.clone())
                .unwrap_or_default(),
            packages: None,
        }),
    })
}

/// Reports the `setting` of an `open` change when the area already has a setting `id`.
fn check_new_id(f: &Fields<'_, '_>, id: &str, ids: &[&str]) {
    if ids.contains(&id) {
        f.reader().push(
            f.at(
                Code::DuplicateId,
                f.span.clone(),
                "setting",
                format!("setting `{id}` already exists"),
            )
            .expected("a new id"),
        );
    }
}

/// The host school an `open` change names, reported when it is not in the area.
fn host_school<'k>(f: &Fields<'_, '_>, (h, span): &Text, known: &Known<'k>) -> Option<&'k Setting> {
    let found = known.settings.iter().find(|s| s.id.0 == *h);
    if found.is_none() {
        f.reader().push(no_such_setting(
            f,
            "host",
            (h.as_str(), span),
            known.ids,
            "the id of the host school",
        ));
    }
    found
}

/// The year group in field `key`, if given; one that is not a year group is reported.
fn year_group(f: &mut Fields<'_, '_>, key: &str) -> Option<YearGroup> {
    f.opt::<Text>(key).and_then(|(v, span)| {
        let y = YearGroup::parse(&v);
        if y.is_none() {
            f.reader().push(
                f.at(Code::InvalidValue, span, key, "not a year group")
                    .expected("R or 1 to 14")
                    .found(v),
            );
        }
        y
    })
}

/// `key` names setting `id` (at `span`), which is not in the area.
fn no_such_setting(
    f: &Fields<'_, '_>,
    key: &str,
    (id, span): (&str, &std::ops::Range<usize>),
    ids: &[&str],
    expected: &str,
) -> Diagnostic {
    f.reader()
        .src
        .unknown_reference(
            span.clone(),
            &f.name(key),
            format!("no setting `{id}` in the area"),
            id,
            ids,
        )
        .expected(expected)
}

/// The `features` list of a change: each must be one of the rules' `features`; an unknown one
/// is reported at its place with a did-you-mean and left out.
fn known_features(f: &mut Fields<'_, '_>, features: &[&str]) -> Vec<String> {
    let cx = f.reader();
    let mut feats = Vec::new();
    for (i, (feat, span)) in f
        .opt::<Vec<Text>>("features")
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        if features.contains(&feat.as_str()) {
            feats.push(feat);
        } else {
            cx.push(
                cx.src
                    .at(
                        Code::UnknownCode,
                        span,
                        &format!("{}[{i}]", f.name("features")),
                        format!("unknown feature `{feat}`"),
                    )
                    .expected_one_of(&feat, features),
            );
        }
    }
    feats
}

fn needs(f: &Fields<'_, '_>, list: &[(String, std::ops::Range<usize>)]) -> NeedSet {
    let cx = f.reader();
    let codes: Vec<&str> = Need::codes();
    let mut set = NeedSet::default();
    for (i, (code, span)) in list.iter().enumerate() {
        match Need::parse(code) {
            Some(n) => set.insert(n),
            None => cx.push(
                cx.src
                    .at(
                        Code::UnknownCode,
                        span.clone(),
                        &format!("{}[{i}]", f.name("designations")),
                        format!("unknown need `{code}`"),
                    )
                    .expected_one_of(code, &codes),
            ),
        }
    }
    set
}
