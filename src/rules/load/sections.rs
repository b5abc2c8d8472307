//! The single sections of a rule set: place funding, funding bands, travel, the statutory
//! preference and mainstream-presumption tests, and the placement weights.

use super::conditions::{kinds, unknown_code};
use super::origin;
use crate::diag::{Code, Diagnostics};
use crate::model::{Intensity, NeedArea, Phase, Pounds};
use crate::rules::schema::*;
use crate::rules::toml_read::{Fields, Source, Text};

pub(super) fn read_group_money(
    src: &Source<'_>,
    mut f: Fields<'_, '_>,
    diags: &mut Diagnostics,
) -> Option<[Pounds; 5]> {
    let mut out = [Pounds(0); 5];
    let mut ok = true;
    for (i, g) in FundingGroup::ALL.iter().enumerate() {
        let key = g.key();
        match f.req_within_as(src, key, 0..=10_000_000, "an amount in whole pounds", diags) {
            Some(v) => out[i] = Pounds(v),
            None => ok = false,
        }
    }
    let keys: Vec<&str> = FundingGroup::ALL.iter().map(|g| g.key()).collect();
    f.finish(src, &keys, diags);
    ok.then_some(out)
}

pub(super) fn read_band(
    src: &Source<'_>,
    mut f: Fields<'_, '_>,
    diags: &mut Diagnostics,
) -> Option<Band> {
    let max_total = NeedArea::ALL.len() as i64 * Intensity::MAX as i64;
    let id = f.req::<Text>(src, "id", diags);
    let text = f
        .opt::<Text>(src, "text", diags)
        .map(|t| t.0)
        .unwrap_or_default();
    let from = f.opt_within(src, "from", 0..=max_total, diags);
    let to = f.opt_within(src, "to", 0..=max_total, diags);
    for (key, v) in [("from", from), ("to", to)] {
        if v.is_none() && !f.has(key) {
            f.missing(
                src,
                key,
                &format!("a total intensity from 0 to {max_total}"),
                diags,
            );
        }
    }
    let topup = match f.opt::<Fields>(src, "topup", diags) {
        Some(t) => read_group_money(src, t, diags),
        None => {
            f.missing(src, "topup", "a table of top-ups per funding group", diags);
            None
        }
    };
    let span = f.span.clone();
    f.finish(src, &["id", "text", "from", "to", "topup"], diags);
    let (from, to) = (from?, to?);
    if from > to {
        diags.push(
            src.at(
                Code::InvalidValue,
                span.clone(),
                "band.to",
                "band ends before it starts",
            )
            .expected(format!("to >= {from}"))
            .found(to.to_string()),
        );
        return None;
    }
    Some(Band {
        id: id?.0,
        text,
        from: from as u8,
        to: to as u8,
        // A band with a bad top-up still takes its place in the table, so gaps and overlaps are
        // found too; the load fails on the top-up error anyway.
        topup: topup.unwrap_or_default(),
        origin: origin(src, span),
    })
}

pub(super) fn read_travel(
    src: &Source<'_>,
    mut f: Fields<'_, '_>,
    diags: &mut Diagnostics,
) -> Option<Travel> {
    let road_factor = f.req_within(src, "road_factor", 1.0..=3.0, diags);
    let speed = f.req_within(src, "speed_kmh", 1.0..=200.0, diags);
    let mut guidance = [0.0; 3];
    let mut ok = true;
    match f.opt::<Fields>(src, "guidance_minutes", diags) {
        Some(mut g) => {
            for (i, p) in Phase::ALL.iter().enumerate() {
                match g.req_within(src, p.key(), 1.0..=600.0, diags) {
                    Some(v) => guidance[i] = v,
                    None => ok = false,
                }
            }
            let keys: Vec<&str> = Phase::ALL.iter().map(|p| p.key()).collect();
            g.finish(src, &keys, diags);
        }
        None => {
            f.missing(
                src,
                "guidance_minutes",
                "a table of minutes per phase",
                diags,
            );
            ok = false;
        }
    }
    let (mut under8, mut over8) = (2.0, 3.0);
    if let Some(mut w) = f.opt::<Fields>(src, "walking_miles", diags) {
        under8 = w
            .req_within(src, "under-8", 0.0..=20.0, diags)
            .unwrap_or(2.0);
        over8 = w
            .req_within(src, "eight-and-over", 0.0..=20.0, diags)
            .unwrap_or(3.0);
        w.finish(src, &["under-8", "eight-and-over"], diags);
    }
    f.finish(
        src,
        &[
            "road_factor",
            "speed_kmh",
            "guidance_minutes",
            "walking_miles",
        ],
        diags,
    );
    const METRES_PER_MILE: f64 = 1609.344;
    ok.then_some(Travel {
        road_factor: road_factor?,
        speed_kmh: speed?,
        guidance_minutes: guidance,
        walking_under_8_m: under8 * METRES_PER_MILE,
        walking_8_plus_m: over8 * METRES_PER_MILE,
    })
}

#[allow(clippy::type_complexity)]
pub(super) fn read_preference(
    src: &Source<'_>,
    mut f: Fields<'_, '_>,
    diags: &mut Diagnostics,
) -> Option<(String, String, bool, Option<f64>, KindSet)> {
    let id = f.req::<Text>(src, "id", diags);
    let text = f.req::<Text>(src, "text", diags);
    let full = f
        .opt::<bool>(src, "full_is_exception", diags)
        .unwrap_or(true);
    let ratio = f.opt_within(src, "cost_ratio_exception", 1.0..=100.0, diags);
    let kinds = match f.opt::<Vec<Text>>(src, "kinds", diags) {
        Some(l) => kinds(src, &f.name("kinds"), &l, diags),
        None => {
            f.missing(src, "kinds", "the setting kinds s.39 applies to", diags);
            KindSet::default()
        }
    };
    f.finish(
        src,
        &[
            "id",
            "text",
            "full_is_exception",
            "cost_ratio_exception",
            "kinds",
        ],
        diags,
    );
    Some((id?.0, text?.0, full, ratio, kinds))
}

pub(super) fn read_presumption(
    src: &Source<'_>,
    mut f: Fields<'_, '_>,
    diags: &mut Diagnostics,
) -> Option<(String, String, PresumptionMode)> {
    let id = f.req::<Text>(src, "id", diags);
    let text = f.req::<Text>(src, "text", diags);
    let mode = match f.opt::<Text>(src, "mode", diags) {
        None => Some(PresumptionMode::MainstreamFirst),
        Some((m, span)) => match m.as_str() {
            "mainstream-first" => Some(PresumptionMode::MainstreamFirst),
            "score-only" => Some(PresumptionMode::ScoreOnly),
            _ => {
                diags.push(unknown_code(
                    src,
                    span,
                    &f.name("mode"),
                    &m,
                    &["mainstream-first", "score-only"],
                ));
                None
            }
        },
    };
    f.finish(src, &["id", "text", "mode"], diags);
    Some((id?.0, text?.0, mode?))
}

pub(super) fn read_placement(
    src: &Source<'_>,
    mut f: Fields<'_, '_>,
    diags: &mut Diagnostics,
) -> Option<PlacementWeights> {
    const KEYS: [&str; 4] = [
        "per_score_point",
        "per_travel_minute",
        "per_thousand_pounds",
        "unplaced_penalty",
    ];
    const MAX: [f64; 4] = [1e6, 1e6, 1e6, 1e9];
    let [a, b, c, d] = std::array::from_fn(|i| f.req_within(src, KEYS[i], 0.0..=MAX[i], diags));
    f.finish(src, &KEYS, diags);
    Some(PlacementWeights {
        per_score_point: a?,
        per_travel_minute: b?,
        per_thousand_pounds: c?,
        unplaced_penalty: d?,
    })
}
