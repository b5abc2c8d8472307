//! Need profiles: what the engine knows about one child or young person.

use super::need::{Intensity, Need, NeedSet};
use super::units::{ChildId, GridRef, SettingId, Sex, YearGroup};
use serde::{Deserialize, Serialize};

/// A declarative need profile. Pseudonymous: no names, only an id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NeedProfile {
    /// Pseudonymous id.
    pub id: ChildId,
    /// National curriculum year in the placement year.
    pub year: YearGroup,
    /// Sex, for single-sex settings.
    pub sex: Sex,
    /// Home location (British National Grid).
    pub home: GridRef,
    /// Primary need (census code).
    pub primary_need: Need,
    /// Secondary needs.
    pub secondary_needs: NeedSet,
    /// Intensity per broad area of need.
    pub intensity: Intensity,
    /// Provision features the child requires, e.g. `signing`.
    pub features: Vec<String>,
    /// Plan level id from the rules' ladder, e.g. `sen-support`, `ehcp`.
    pub plan_level: String,
    /// The setting attended now, if any.
    pub current_setting: Option<SettingId>,
    /// Parental preferences, most wanted first.
    pub preferences: Vec<SettingId>,
    /// Settings that siblings attend.
    pub sibling_settings: Vec<SettingId>,
    /// True when the child needs a place in this round (new plan, phase transfer, move).
    pub needs_place: bool,
    /// Locality (planning area) of the home.
    pub locality: String,
}

impl NeedProfile {
    /// Primary and secondary needs together.
    pub fn all_needs(&self) -> NeedSet {
        let mut s = self.secondary_needs;
        s.insert(self.primary_need);
        s
    }
}
