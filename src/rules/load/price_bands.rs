//! The national price bands of `price_bands.toml`: the header (`[price_bands]`: status, text,
//! sources, the kinds of setting priced, whether fallback placements are priced) and the bands
//! (`[[price_band]]`), each naming a funding band, checked once every funding band is read.

use super::conditions::kinds;
use super::draft::Draft;
use super::origin;
use super::packages::BandReference;
use crate::model::Pounds;
use crate::rules::price_bands::PriceBand;
use crate::rules::toml_read::{Fields, Text};

const HEADER_KEYS: &[&str] = &["status", "text", "sources", "settings", "fallback"];
const BAND_KEYS: &[&str] = &["id", "funding_band", "text", "pounds"];

/// Reads `[price_bands]` and the `[[price_band]]`s of one file. A band replaces an earlier one
/// of its id (an area's overrides); two bands of one id, or two pricing one funding band, in
/// one file are reported.
pub(super) fn read_price_bands(top: &mut Fields<'_, '_>, draft: &mut Draft) {
    let cx = top.reader();
    if let Some(mut h) = top.opt::<Fields>("price_bands") {
        let p = &mut draft.price_bands;
        p.status = h.opt::<Text>("status").map(|t| t.0).unwrap_or_default();
        p.text = h.opt::<Text>("text").map(|t| t.0).unwrap_or_default();
        p.sources = h
            .opt::<Vec<Text>>("sources")
            .unwrap_or_default()
            .into_iter()
            .map(|t| t.0)
            .collect();
        p.settings = match h.opt::<Vec<Text>>("settings") {
            Some(l) => kinds(cx, &h.name("settings"), &l),
            None => {
                h.missing("settings", "the kinds of setting the bands price");
                Default::default()
            }
        };
        p.fallback = h.opt::<bool>("fallback").unwrap_or(false);
        h.finish(HEADER_KEYS);
    }
    let mut seen: Vec<(String, String)> = Vec::new();
    for mut f in top.opt::<Vec<Fields>>("price_band").unwrap_or_default() {
        let id = f.req::<Text>("id");
        let band = f.req::<Text>("funding_band");
        let text = f.opt::<Text>("text").map(|t| t.0).unwrap_or_default();
        let pounds = f.req_within_as(
            "pounds",
            0..=10_000_000,
            "the band's annual price in whole pounds (0 to 10,000,000)",
        );
        let origin = origin(&f);
        f.finish(BAND_KEYS);
        let (Some((id, _)), Some((band, span)), Some(pounds)) = (id, band, pounds) else {
            continue;
        };
        if seen.iter().any(|(i, _)| i == &id) {
            super::duplicate_id(
                cx,
                &id,
                format!("price band id `{id}` is defined twice in this file"),
            );
        } else if let Some((other, _)) = seen.iter().find(|(_, b)| b == &band) {
            cx.push(
                cx.src
                    .at(
                        crate::diag::Code::DuplicateId,
                        span.clone(),
                        "price_band.funding_band",
                        format!(
                            "funding band `{band}` is priced twice in this file (also by `{other}`)"
                        ),
                    )
                    .expected("one price band for each funding band"),
            );
        }
        seen.push((id.clone(), band.clone()));
        draft
            .price_bands
            .bands
            .retain(|b| b.id != id && b.funding_band != band);
        draft.price_band_refs.retain(|(i, _)| i != &id);
        draft.price_band_refs.push((
            id.clone(),
            BandReference {
                band: band.clone(),
                path: cx.src.path.to_path_buf(),
                span,
            },
        ));
        draft.price_bands.bands.push(PriceBand {
            id,
            funding_band: band,
            text,
            pounds: Pounds(pounds),
            origin,
        });
    }
}
