//! The single sections of a rule set: place funding, funding bands, travel, the statutory
//! preference and mainstream-presumption tests, and the placement weights.

use super::conditions::kinds;
use super::origin;
use crate::diag::Code;
use crate::model::{Intensity, NeedArea, Phase, Pounds};
use crate::rules::schema::*;
use crate::rules::toml_read::{Fields, Text};

pub(super) fn read_group_money(mut f: Fields<'_, '_>) -> Option<[Pounds; 5]> {
    let mut out = [Pounds(0); 5];
    let mut ok = true;
    for (i, g) in FundingGroup::ALL.iter().enumerate() {
        let key = g.key();
        match f.req_within_as(key, 0..=10_000_000, "an amount in whole pounds") {
            Some(v) => out[i] = Pounds(v),
            None => ok = false,
        }
    }
    let keys: Vec<&str> = FundingGroup::ALL.iter().map(|g| g.key()).collect();
    f.finish(&keys);
    ok.then_some(out)
}

pub(super) fn read_band(mut f: Fields<'_, '_>) -> Option<Band> {
    let max_total = NeedArea::ALL.len() as i64 * Intensity::MAX as i64;
    let id = f.req::<Text>("id");
    let text = f.opt::<Text>("text").map(|t| t.0).unwrap_or_default();
    let from = f.opt_within("from", 0..=max_total);
    let to = f.opt_within("to", 0..=max_total);
    for (key, v) in [("from", from), ("to", to)] {
        if v.is_none() && !f.has(key) {
            f.missing(key, &format!("a total intensity from 0 to {max_total}"));
        }
    }
    let topup = match f.opt::<Fields>("topup") {
        Some(t) => read_group_money(t),
        None => {
            f.missing("topup", "a table of top-ups per funding group");
            None
        }
    };
    let (cx, span, origin) = (f.reader(), f.span.clone(), origin(&f));
    f.finish(&["id", "text", "from", "to", "topup"]);
    let (from, to) = (from?, to?);
    if from > to {
        cx.push(
            cx.src
                .at(
                    Code::InvalidValue,
                    span,
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
        origin,
    })
}

pub(super) fn read_travel(mut f: Fields<'_, '_>) -> Option<Travel> {
    let road_factor = f.req_within("road_factor", 1.0..=3.0);
    let speed_bands = read_speeds(&mut f);
    let mut guidance = [0.0; 3];
    let mut ok = true;
    match f.opt::<Fields>("guidance_minutes") {
        Some(mut g) => {
            for (i, p) in Phase::ALL.iter().enumerate() {
                match g.req_within(p.key(), 1.0..=600.0) {
                    Some(v) => guidance[i] = v,
                    None => ok = false,
                }
            }
            let keys: Vec<&str> = Phase::ALL.iter().map(|p| p.key()).collect();
            g.finish(&keys);
        }
        None => {
            f.missing("guidance_minutes", "a table of minutes per phase");
            ok = false;
        }
    }
    let (mut under8, mut over8) = (2.0, 3.0);
    if let Some(mut w) = f.opt::<Fields>("walking_miles") {
        under8 = w.req_within("under-8", 0.0..=20.0).unwrap_or(2.0);
        over8 = w.req_within("eight-and-over", 0.0..=20.0).unwrap_or(3.0);
        w.finish(&["under-8", "eight-and-over"]);
    }
    f.finish(&[
        "road_factor",
        "speed_kmh",
        "speed_bands",
        "guidance_minutes",
        "walking_miles",
    ]);
    const METRES_PER_MILE: f64 = 1609.344;
    ok.then_some(Travel {
        road_factor: road_factor?,
        speed_bands: speed_bands?,
        guidance_minutes: guidance,
        walking_under_8_m: under8 * METRES_PER_MILE,
        walking_8_plus_m: over8 * METRES_PER_MILE,
    })
}

/// The travel speeds: `speed_kmh` (one speed for every distance) or `speed_bands` (an array
/// of `{ up_to_km, kmh }`, stretches in increasing order, the last without `up_to_km`), not
/// both.
fn read_speeds(f: &mut Fields<'_, '_>) -> Option<Vec<SpeedBand>> {
    const EXPECTED: &str =
        "`speed_kmh` (a number) or `speed_bands` (an array of { up_to_km, kmh }, the last open)";
    match (f.has("speed_kmh"), f.has("speed_bands")) {
        (false, false) => {
            f.missing("speed_bands", EXPECTED);
            None
        }
        (true, true) => {
            let span = f.span.clone();
            f.reader().push(
                f.at(
                    Code::InvalidValue,
                    span,
                    "speed_bands",
                    "both `speed_kmh` and `speed_bands` are given",
                )
                .expected(EXPECTED),
            );
            let _ = (f.get("speed_kmh"), f.get("speed_bands"));
            None
        }
        (true, false) => f.opt_within("speed_kmh", 1.0..=200.0).map(|kmh| {
            vec![SpeedBand {
                up_to_km: None,
                kmh,
            }]
        }),
        (false, true) => {
            let tables = f.opt::<Vec<Fields>>("speed_bands")?;
            let count = tables.len();
            let mut bands = Vec::with_capacity(count);
            let mut ok = count > 0;
            if count == 0 {
                let span = f.span.clone();
                f.reader().push(
                    f.at(Code::InvalidValue, span, "speed_bands", "no speed bands")
                        .expected(EXPECTED),
                );
            }
            let mut last_end = 0.0;
            for (i, mut b) in tables.into_iter().enumerate() {
                let kmh = b.req_within("kmh", 1.0..=200.0);
                let last = i + 1 == count;
                let up_to = if last {
                    None
                } else {
                    b.req_within_as(
                        "up_to_km",
                        0.001..=10_000.0,
                        "the km of road where this stretch ends (every band but the last)",
                    )
                };
                let span = b.span.clone();
                if last && b.has("up_to_km") {
                    let _ = b.get("up_to_km");
                    b.reader().push(
                        b.at(
                            Code::InvalidValue,
                            span,
                            "up_to_km",
                            "the last speed band has an end",
                        )
                        .expected("no `up_to_km`: the last band covers every longer distance"),
                    );
                    ok = false;
                } else if let Some(to) = up_to
                    && to <= last_end
                {
                    b.reader().push(
                        b.at(
                            Code::InvalidValue,
                            span,
                            "up_to_km",
                            "speed bands out of order",
                        )
                        .expected(format!("more than {last_end} km"))
                        .found(to.to_string()),
                    );
                    ok = false;
                }
                if let Some(to) = up_to {
                    last_end = to;
                }
                b.finish(&["up_to_km", "kmh"]);
                match (kmh, up_to, last) {
                    (Some(kmh), up_to_km, true) => bands.push(SpeedBand { up_to_km, kmh }),
                    (Some(kmh), Some(to), false) => bands.push(SpeedBand {
                        up_to_km: Some(to),
                        kmh,
                    }),
                    _ => ok = false,
                }
            }
            ok.then_some(bands)
        }
    }
}

#[allow(clippy::type_complexity)]
pub(super) fn read_preference(
    mut f: Fields<'_, '_>,
) -> Option<(String, String, bool, Option<f64>, KindSet)> {
    let id = f.req::<Text>("id");
    let text = f.req::<Text>("text");
    let full = f.opt::<bool>("full_is_exception").unwrap_or(true);
    let ratio = f.opt_within("cost_ratio_exception", 1.0..=100.0);
    let kinds = match f.opt::<Vec<Text>>("kinds") {
        Some(l) => kinds(f.reader(), &f.name("kinds"), &l),
        None => {
            f.missing("kinds", "the setting kinds s.39 applies to");
            KindSet::default()
        }
    };
    f.finish(&[
        "id",
        "text",
        "full_is_exception",
        "cost_ratio_exception",
        "kinds",
    ]);
    Some((id?.0, text?.0, full, ratio, kinds))
}

pub(super) fn read_presumption(mut f: Fields<'_, '_>) -> Option<(String, String, PresumptionMode)> {
    let id = f.req::<Text>("id");
    let text = f.req::<Text>("text");
    let mode = match f.opt::<Text>("mode") {
        None => Some(PresumptionMode::MainstreamFirst),
        Some((m, span)) => match m.as_str() {
            "mainstream-first" => Some(PresumptionMode::MainstreamFirst),
            "score-only" => Some(PresumptionMode::ScoreOnly),
            _ => {
                f.unknown_value(span, "mode", &m, &["mainstream-first", "score-only"]);
                None
            }
        },
    };
    f.finish(&["id", "text", "mode"]);
    Some((id?.0, text?.0, mode?))
}

pub(super) fn read_placement(mut f: Fields<'_, '_>) -> Option<PlacementWeights> {
    const KEYS: [&str; 4] = [
        "per_score_point",
        "per_travel_minute",
        "per_thousand_pounds",
        "unplaced_penalty",
    ];
    const MAX: [f64; 4] = [1e6, 1e6, 1e6, 1e9];
    let [a, b, c, d] = std::array::from_fn(|i| f.req_within(KEYS[i], 0.0..=MAX[i]));
    f.finish(&KEYS);
    Some(PlacementWeights {
        per_score_point: a?,
        per_travel_minute: b?,
        per_thousand_pounds: c?,
        unplaced_penalty: d?,
    })
}
