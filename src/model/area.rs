//! A local area: its settings and children, as read from an area folder.

use super::child::NeedProfile;
use super::setting::Setting;
use serde::{Deserialize, Serialize};

/// A local area: settings sorted by id, children sorted by id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Area {
    /// The area's name.
    pub name: String,
    /// Settings, sorted by id.
    pub settings: Vec<Setting>,
    /// Children and young people, sorted by id.
    pub children: Vec<NeedProfile>,
}

impl Area {
    /// Sorts settings and children by id so results never depend on input order.
    pub fn normalise(&mut self) {
        self.settings.sort_by(|a, b| a.id.cmp(&b.id));
        for s in &mut self.settings {
            s.pools.sort_by(|a, b| a.id.cmp(&b.id));
        }
        self.children.sort_by(|a, b| a.id.cmp(&b.id));
    }
    /// Index of the setting with id `id` (settings must be normalised).
    pub fn setting_index(&self, id: &str) -> Option<usize> {
        self.settings
            .binary_search_by(|s| s.id.as_str().cmp(id))
            .ok()
    }
    /// Index of the child with id `id` (children must be normalised).
    pub fn child_index(&self, id: &str) -> Option<usize> {
        self.children
            .binary_search_by(|c| c.id.as_str().cmp(id))
            .ok()
    }
    /// The settings' localities (planning areas), each once, in order.
    pub fn localities(&self) -> Vec<&str> {
        self.distinct_of_settings(|s| &s.locality)
    }
    /// The local authorities the settings belong to, each once, in order.
    pub fn local_authorities(&self) -> Vec<&str> {
        self.distinct_of_settings(|s| &s.local_authority)
    }
    fn distinct_of_settings<'a>(&'a self, field: impl Fn(&'a Setting) -> &'a str) -> Vec<&'a str> {
        let mut out: Vec<&str> = self.settings.iter().map(field).collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}
