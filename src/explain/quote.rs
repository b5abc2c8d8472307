//! What a list and an explanation say of a setting's places and cost: the pool's capacity and
//! status, and the funding quote.

use super::PlaceStatus;
use crate::model::Pounds;
use serde::{Deserialize, Serialize};

/// Capacity of the place pool that would serve the child.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CapacityStatus {
    /// Pool id, or `None` when no pool serves the child's year group.
    pub pool: Option<String>,
    /// Places in the pool.
    pub capacity: u32,
    /// Children on roll.
    pub on_roll: u32,
    /// Places free (never negative).
    pub free: u32,
    /// `places-free`, `full` or `no-pool`.
    pub status: PlaceStatus,
    /// After the area-wide placement: would this child get a place here (`placed-here`), is a
    /// place still free (`places-free`), or are all places taken (`full`)? `None` until a
    /// placement has been run.
    pub after_placement: Option<PlaceStatus>,
}

/// What a placement would cost per year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FundingQuote {
    /// Top-up band from the child's total intensity.
    pub band: String,
    /// Place funding (the core per-place amount).
    pub place_funding: Pounds,
    /// Top-up funding from the band.
    pub topup: Pounds,
    /// The setting's fee, when it charges one instead.
    pub annual_fee: Option<Pounds>,
    /// Annual cost in all.
    pub total: Pounds,
}
