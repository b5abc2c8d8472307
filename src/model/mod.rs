//! Typed data: need profiles, settings with place pools, areas. No logic beyond invariants.

mod area;
mod child;
mod need;
mod regime;
mod setting;
mod units;

pub use area::Area;
pub use child::{Arrangement, NeedProfile};
pub use need::{Intensity, Need, NeedArea, NeedSet};
pub use regime::{Regime, UnknownRegime};
pub use setting::{InclusionBase, PlacePool, Setting, SettingKind};
pub use units::{
    Admits, ChildId, GridRef, Phase, PoolId, Pounds, SettingId, Sex, YearGroup, grouped,
};
