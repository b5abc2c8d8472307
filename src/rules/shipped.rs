//! The England rule set and its test cases, compiled into the library so that an installed
//! binary (or an embedding program) works wherever it runs. `placewise rules export DIR` writes
//! them out for a local authority to edit and pass back with `--rules DIR`.

use super::{RuleFiles, RuleSet, load_layers};
use std::path::{Path, PathBuf};

/// Where the shipped files appear in diagnostics.
const LABEL: &str = "(built-in) rules/england";

macro_rules! shipped {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../rules/", $dir, "/", $name)))),*]
    };
}

/// The shipped England rule files, by file name.
pub const ENGLAND_FILES: &[(&str, &str)] = shipped!("england":
    "features.toml",
    "funding.toml",
    "levels.toml",
    "packages.toml",
    "placement.toml",
    "price_bands.toml",
    "scoring.toml",
    "statutory.toml",
    "suitability.toml",
);

/// The shipped rule test cases for the England rules, by file name.
pub const ENGLAND_CASE_FILES: &[(&str, &str)] = shipped!(
    "tests": "england.toml",
    "packages.toml",
    "price_bands.toml",
);

fn files(list: &[(&str, &str)], folder: &str) -> RuleFiles {
    RuleFiles {
        files: list
            .iter()
            .map(|(name, text)| (Path::new(folder).join(name), (*text).to_string()))
            .collect(),
    }
}

impl RuleFiles {
    /// The shipped England rules, as files in memory.
    pub fn england() -> RuleFiles {
        files(ENGLAND_FILES, LABEL)
    }

    /// The shipped test cases of the England rules, as files in memory.
    pub fn england_cases() -> RuleFiles {
        files(ENGLAND_CASE_FILES, "(built-in) rules/tests")
    }
}

impl RuleSet {
    /// The shipped England rule set (suitability, scoring, funding bands, s.39/s.33, travel).
    ///
    /// ```
    /// let rules = placewise::testing::rules::RuleSet::england();
    /// assert!(rules.hard.iter().any(|r| r.id == "H-YEAR"));
    /// ```
    pub fn england() -> RuleSet {
        // The shipped files are validated by this crate's tests (`shipped_rules_load`), so a
        // failure here is a build defect, not an input error.
        load_layers(&[RuleFiles::england()], Path::new(LABEL))
            .unwrap_or_else(|d| panic!("the shipped England rules do not load: {d}"))
    }
}

/// Where a command's rules come from: the shipped England set, or a folder on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleSource {
    /// The England rules compiled into the library.
    England,
    /// Every `*.toml` file in a folder (for example one written by `placewise rules export`).
    Dir(PathBuf),
}

impl RuleSource {
    /// `Dir` for `Some(dir)`, the shipped rules otherwise.
    pub fn from_option(dir: Option<&Path>) -> RuleSource {
        dir.map_or(RuleSource::England, |d| RuleSource::Dir(d.to_path_buf()))
    }

    /// The rule files, read into memory (errors reading a folder go to `diags`).
    pub(crate) fn files(&self, diags: &mut crate::diag::Diagnostics) -> RuleFiles {
        match self {
            RuleSource::England => RuleFiles::england(),
            RuleSource::Dir(d) => RuleFiles::read_dir(d, diags),
        }
    }

    /// The path diagnostics name for rule-level problems.
    pub fn label(&self) -> PathBuf {
        match self {
            RuleSource::England => PathBuf::from(LABEL),
            RuleSource::Dir(d) => d.clone(),
        }
    }

    /// The test cases that go with these rules: the shipped cases for the shipped rules; for a
    /// folder, its `tests` subfolder (as `rules export` writes it) or else `tests` beside it.
    pub(crate) fn cases(&self, diags: &mut crate::diag::Diagnostics) -> RuleFiles {
        match self {
            RuleSource::England => RuleFiles::england_cases(),
            RuleSource::Dir(d) => {
                // `rules export` puts the cases inside the folder; the source tree beside it.
                let inside = d.join("tests");
                let beside = d.parent().unwrap_or(Path::new(".")).join("tests");
                RuleFiles::read_dir(if inside.is_dir() { &inside } else { &beside }, diags)
            }
        }
    }

    /// Loads and validates the rules (developer tools: [`load_source`]).
    pub(crate) fn load(&self) -> Result<RuleSet, crate::diag::Diagnostics> {
        let mut diags = crate::diag::Diagnostics::default();
        let files = self.files(&mut diags);
        if !diags.is_empty() {
            return Err(diags);
        }
        load_layers(&[files], &self.label())
    }
}

/// Loads and validates the rules of `source`, for this crate's developer tools (the `testing`
/// feature); the library's own entrances load rules through a session.
#[cfg(feature = "testing")]
pub fn load_source(source: &RuleSource) -> Result<RuleSet, crate::diag::Diagnostics> {
    source.load()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_rules_load() {
        let set = RuleSet::england();
        assert!(!set.hard.is_empty() && !set.scores.is_empty());
    }

    #[test]
    fn every_file_of_the_rule_folders_is_shipped_unchanged() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        for (dir, list) in [("england", ENGLAND_FILES), ("tests", ENGLAND_CASE_FILES)] {
            let mut on_disk: Vec<String> = std::fs::read_dir(root.join(dir))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".toml"))
                .collect();
            on_disk.sort();
            let shipped: Vec<String> = list.iter().map(|(n, _)| n.to_string()).collect();
            assert_eq!(
                on_disk, shipped,
                "rules/{dir}: add new files to src/rules/shipped.rs"
            );
            for (name, text) in list {
                let disk = std::fs::read_to_string(root.join(dir).join(name)).unwrap();
                assert_eq!(&disk, text, "rules/{dir}/{name}");
            }
        }
    }

    /// Removes `origin` (which names the file) everywhere in a serialised rule set.
    fn without_origins(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                m.remove("origin");
                m.values_mut().for_each(without_origins);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(without_origins),
            _ => {}
        }
    }

    #[test]
    fn shipped_rules_equal_the_folder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/england");
        let mut from_dir =
            serde_json::to_value(super::super::load_rule_dirs(&[dir.as_path()]).unwrap()).unwrap();
        let mut shipped = serde_json::to_value(RuleSet::england()).unwrap();
        without_origins(&mut from_dir);
        without_origins(&mut shipped);
        assert!(from_dir.as_object().is_some_and(|m| m.contains_key("hard")));
        assert_eq!(from_dir, shipped);
    }
}
