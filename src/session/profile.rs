//! Need profiles that are not in the area: a case system asking "what would this child get?".
//! A profile is checked exactly as a row of `children.csv` would be, then evaluated against the
//! session's settings in a one-child area; the session's own area is never changed.

use super::{LookupError, Session};
use crate::diag::Diagnostics;
use crate::engine::Engine;
use crate::explain::Explanation;
use crate::io::{json_cell, json_kind, profile_fields, profile_from_fields};
use crate::lists::{ListOptions, TailoredList, explain_pair, tailored_list};
use crate::model::{Area, NeedProfile, SettingId};
use std::path::Path;

/// Why a posted profile could not be evaluated.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ProfileError {
    /// The profile fails the checks a row of `children.csv` gets.
    #[error("the need profile is not valid: {0}")]
    Invalid(Diagnostics),
    /// The profile is valid but a setting asked about is not in the area.
    #[error(transparent)]
    Lookup(#[from] LookupError),
}

impl Session {
    /// Reads a need profile from (column, value) pairs named as in `children.csv`, with the
    /// same checks as a row of that file; diagnostics name `source`.
    ///
    /// ```
    /// # let session = placewise::Session::open("fixtures/demo".as_ref()).unwrap();
    /// let fields: Vec<(String, String)> = [
    ///     ("id", "NEW1"), ("year", "7"), ("sex", "F"), ("easting", "336000"),
    ///     ("northing", "312000"), ("primary_need", "ASD"), ("plan_level", "ehcp"),
    ///     ("intensity_communication", "9"),
    /// ].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    /// let diags = session.profile_from_fields(&fields, "profile").unwrap_err();
    /// assert_eq!(diags.diagnostics[0].field, "intensity_communication");
    /// assert_eq!(diags.diagnostics[0].expected.as_deref(), Some("an intensity from 0 to 4"));
    /// ```
    pub fn profile_from_fields(
        &self,
        fields: &[(String, String)],
        source: &str,
    ) -> Result<NeedProfile, Diagnostics> {
        profile_from_fields(
            fields,
            Path::new(source),
            self.area(),
            &self.rules().rules,
            self.config().academic_year,
        )
    }

    /// Like [`Session::profile_from_fields`] from a JSON object of the same columns (numbers,
    /// `true`/`false` and lists of codes allowed).
    pub fn profile_from_json(
        &self,
        object: &serde_json::Map<String, serde_json::Value>,
        source: &str,
    ) -> Result<NeedProfile, Diagnostics> {
        let mut fields = Vec::with_capacity(object.len());
        let mut diags = Diagnostics::default();
        for (key, value) in object {
            match json_cell(value) {
                Some(text) => fields.push((key.clone(), text)),
                None => diags.push(
                    crate::diag::Diagnostic::file(
                        crate::diag::Code::WrongType,
                        Path::new(source),
                        format!("`{key}` cannot hold {}", json_kind(value)),
                    )
                    .field(key.clone())
                    .expected("a string, a number, true or false, null, or a list of those")
                    .found(json_kind(value).to_string()),
                ),
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        self.profile_from_fields(&fields, source)
    }

    /// The tailored list `profile` would get in this area. The profile need not be in the area
    /// (and if its id is, the area's record is ignored); it is checked as a row of
    /// `children.csv` would be.
    ///
    /// ```
    /// # let session = placewise::Session::open("fixtures/demo".as_ref()).unwrap();
    /// use placewise::{ChildId, ListOptions, model::Intensity};
    /// // A child like C0002, with much higher social, emotional and mental health needs.
    /// let mut profile = session.child(&ChildId::from("C0002")).unwrap().clone();
    /// profile.id = ChildId::from("ENQUIRY-1");
    /// profile.intensity = Intensity([3, 1, 4, 0]);
    /// let list = session.list_for_profile(&profile, ListOptions::new(5).unwrap()).unwrap();
    /// assert_eq!(list.child, "ENQUIRY-1");
    /// assert_eq!(session.area().child_index("ENQUIRY-1"), None); // the area is unchanged
    /// ```
    pub fn list_for_profile(
        &self,
        profile: &NeedProfile,
        options: ListOptions,
    ) -> Result<TailoredList, ProfileError> {
        let area = self.probe_area(profile)?;
        let engine = Engine::new(self.rules(), &area);
        Ok(tailored_list(&engine, 0, options))
    }

    /// The explanation of every rule on (`profile`, setting `setting`).
    pub fn explain_for_profile(
        &self,
        profile: &NeedProfile,
        setting: &SettingId,
    ) -> Result<Explanation, ProfileError> {
        let s = self.setting_index(setting)?;
        let area = self.probe_area(profile)?;
        let engine = Engine::new(self.rules(), &area);
        Ok(explain_pair(&engine, 0, s))
    }

    /// A checked copy of `profile` as the only child of an area with the session's settings.
    fn probe_area(&self, profile: &NeedProfile) -> Result<Area, ProfileError> {
        let checked = self
            .profile_from_fields(&profile_fields(profile), "profile")
            .map_err(ProfileError::Invalid)?;
        let area = self.area();
        Ok(Area {
            name: area.name.clone(),
            settings: area.settings.clone(),
            children: vec![checked],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ChildId;

    #[test]
    fn every_demo_child_as_a_posted_profile_gets_the_list_it_gets_in_the_area() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let session =
            Session::load(&root.join("fixtures/demo"), &root.join("rules/england")).unwrap();
        let options = ListOptions { top: 10 };
        for child in &session.area().children {
            let in_area = session.list(&child.id, options).unwrap();
            let posted = session.list_for_profile(child, options).unwrap();
            assert_eq!(in_area, posted, "child {}", child.id);
        }
    }

    #[test]
    fn a_profile_naming_an_unknown_preference_is_located() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let session =
            Session::load(&root.join("fixtures/demo"), &root.join("rules/england")).unwrap();
        let mut p = session.child(&ChildId::from("C0001")).unwrap().clone();
        p.preferences = vec![SettingId::from("900109")];
        let ProfileError::Invalid(d) = session
            .list_for_profile(&p, ListOptions::new(3).unwrap())
            .unwrap_err()
        else {
            panic!("expected a diagnostic");
        };
        let d = &d.diagnostics[0];
        assert_eq!(d.field, "preferences");
        assert_eq!(d.file, Path::new("profile"));
        assert!(
            d.help.as_deref().unwrap_or("").contains("did you mean"),
            "{d:?}"
        );
    }
}
