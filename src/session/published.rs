//! Questions answered from the Department for Education's published statistics rather than an
//! area: the published mix of EHC plans of an authority, the growth a plan starts from and the
//! back-test of the demand forecasts against history. Each reads its files and returns data;
//! every bad file or unknown authority is a located [`Diagnostics`].

use super::Session;
use crate::diag::Diagnostics;
use crate::io::flows::{Flows, read_flows};
use crate::io::stats::{Caseload, read_caseload};
#[cfg(feature = "synth")]
use crate::placement::{Mix, PublishedMix};
use crate::plan::backtest::{Backtest, backtest, track_record};
use crate::plan::demand::DemandFitter;
use crate::plan::results::{NationalRecord, TrackRecord};
use crate::plan::{Growth, calibrate};
use std::path::{Path, PathBuf};

/// The January whose SEN2 release [`published_mix`] reads.
#[cfg(feature = "synth")]
const MIX_YEAR: i32 = 2025;

/// The published January 2025 mix of EHC plans by type of setting of authority `la`, from the
/// DfE SEN2 files in the folder `stats`.
#[cfg(feature = "synth")]
pub fn published_mix(stats: &Path, la: &str) -> Result<PublishedMix, Diagnostics> {
    let release = crate::synth::read_sen2(stats, MIX_YEAR)?;
    let Some(figures) = release.find(la) else {
        let mut d = Diagnostics::default();
        d.push(release.unknown_la(la, stats));
        return Err(d);
    };
    let mut mix = Mix::default();
    for p in crate::synth::Placement::ALL {
        mix.add(p.setting_kind(), figures.table.placement_total(p));
    }
    Ok(PublishedMix {
        la: figures.la_name.clone(),
        source: format!("DfE SEN2, January {MIX_YEAR}"),
        mix,
    })
}

/// The caseload file named by `stats` (the file, or the folder holding it) and the flows of
/// new plans and requests beside it, when present.
fn read_history(stats: &Path) -> Result<(Caseload, Flows), Diagnostics> {
    let file = Caseload::file_in(stats);
    let caseload = read_caseload(&file)?;
    let dir = file.parent().map(PathBuf::from).unwrap_or_default();
    let flows = read_flows(&dir)?;
    Ok((caseload, flows))
}

/// The growth a plan starts from, derived from an authority's published history, and how
/// well that method forecast the authority's past.
#[derive(Clone, Debug)]
pub struct PublishedGrowth {
    /// The growth of plans (rate, its spread, the change in shares by type of setting).
    pub growth: Growth,
    /// The forecasts of earlier Januaries beside what was published.
    pub track_record: Vec<TrackRecord>,
    /// How the same model did across every authority (coverage and errors by origin and
    /// horizon).
    pub national_record: Vec<NationalRecord>,
}

impl Session {
    /// The growth of authority `la`'s plans from the published caseload in `stats` (the
    /// file or its folder), fitted on the history up to this area's base January, for a plan
    /// `years` years long. An authority with too short a history for the demand model gets
    /// its calibrated trend.
    pub fn published_growth(
        &self,
        stats: &Path,
        la: &str,
        years: u32,
    ) -> Result<PublishedGrowth, Diagnostics> {
        let (caseload, flows) = read_history(stats)?;
        // The area's base January: a plan for 2025/26 starts from January 2025's caseload,
        // the last history the model may see.
        let origin = self.config().academic_year;
        if caseload.find(la).is_none() {
            let mut d = Diagnostics::default();
            d.push(caseload.unknown_la(la));
            return Err(d);
        }
        let mut growth = Growth::default();
        let (track_record, national_record) = track_record(&caseload, &flows, la);
        let mut fitter = DemandFitter::new(&caseload, &flows);
        match fitter.fit_one(la, origin) {
            Ok(model) => model.apply_to(&mut growth, years),
            Err(_) => {
                // Not enough history for the demand model (e.g. an authority created after
                // a boundary change): the calibrated trend.
                let cal = calibrate(&caseload, la, origin)?;
                growth.rate = cal.growth;
                growth.share_change = cal.share_change;
                growth.source = cal.describe();
            }
        }
        Ok(PublishedGrowth {
            growth,
            track_record,
            national_record,
        })
    }
}

/// The demand forecasts made from each January in `origins` compared with what was
/// published up to January `to`, beside persistence and trend baselines, for the authorities
/// `las` (every authority in the file when empty). `stats` is the folder of the SEN2 files
/// (or the caseload file itself; the new plans and requests files beside it are read when
/// present).
pub fn backtest_published(
    stats: &Path,
    origins: &[i32],
    to: i32,
    las: &[String],
) -> Result<Backtest, Diagnostics> {
    let (caseload, flows) = read_history(stats)?;
    let mut diags = Diagnostics::default();
    for la in las {
        if caseload.find(la).is_none() {
            diags.push(caseload.unknown_la(la));
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(backtest(&caseload, &flows, origins, to, las))
}
