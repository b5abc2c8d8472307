//! The second stage of the command line's arguments. Clap's raw values (the `*Args` structs
//! beside each command) become the validated, derived options here, before anything is read:
//! the area and its rules, which children, the list query, the placement options and where
//! the output goes. A value that can be checked alone is checked where clap parses it (see
//! `args`); what needs the file system or more than one argument is checked here, and a
//! refusal names the argument (exit code 2).

use super::Failure;
use crate::model::{ChildId, SettingId};
use crate::{ListOptions, ListQuery, Mode, PlacementOptions, Regime, RuleSource, Session};
use std::path::{Path, PathBuf};

/// An argument refused in the second stage: which one, and what was expected.
#[derive(Debug, PartialEq)]
pub(crate) struct ArgumentError {
    /// The argument as the user types it, e.g. `--out`.
    pub argument: &'static str,
    /// What is wrong and what was expected.
    pub message: String,
}

impl ArgumentError {
    pub fn new(argument: &'static str, message: impl Into<String>) -> ArgumentError {
        ArgumentError {
            argument,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ArgumentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid value for '{}': {}", self.argument, self.message)
    }
}

/// What every command on an area shares: the area (`--area`), its rules (`--rules`, or the
/// shipped England rules) and the reach of a journey (`--reach-minutes`, when the command
/// takes it).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct AreaOptions {
    /// The area folder or workbook.
    pub path: PathBuf,
    /// Where the rules come from.
    pub rules: RuleSource,
    /// Consider only settings within this journey time (plus preferences and the current
    /// setting).
    pub reach_minutes: Option<f64>,
}

impl AreaOptions {
    /// The options of `--area`, `--rules` and `--reach-minutes`.
    pub fn new(path: &Path, rules: Option<&Path>, reach_minutes: Option<f64>) -> AreaOptions {
        AreaOptions {
            path: path.to_path_buf(),
            rules: RuleSource::from_option(rules),
            reach_minutes,
        }
    }

    /// Reads and checks the area with its rules; every error located.
    pub fn load(&self) -> Result<Session, Failure> {
        Ok(Session::load_with(&self.path, &self.rules)?)
    }
}

/// Where a command's output goes: standard output, or a file written whole or not at all.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Destination {
    /// Standard output.
    Stdout,
    /// A file (`--out`), written through a temporary file and renamed when complete.
    File(PathBuf),
}

impl Destination {
    /// `--out`, checked before any work is done: not a folder, and in a folder that exists.
    pub fn new(out: Option<&Path>) -> Result<Destination, ArgumentError> {
        let Some(path) = out else {
            return Ok(Destination::Stdout);
        };
        if path.is_dir() {
            return Err(ArgumentError::new(
                "--out",
                format!("`{}` is a folder; expected a file to write", path.display()),
            ));
        }
        if let Some(parent) = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty() && !p.is_dir())
        {
            return Err(ArgumentError::new(
                "--out",
                format!(
                    "cannot write `{}`: the folder `{}` does not exist; expected a file in an \
                     existing folder",
                    path.display(),
                    parent.display()
                ),
            ));
        }
        Ok(Destination::File(path.to_path_buf()))
    }

    /// The file, when there is one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Destination::Stdout => None,
            Destination::File(p) => Some(p),
        }
    }
}

/// Whose lists: one child's (`--child ID`) or every child's (`--all`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Children {
    /// One child, by pseudonymous id.
    One(ChildId),
    /// Every child, in child-id order.
    All,
}

impl Children {
    /// `--child` or `--all` (clap makes sure exactly one is given).
    pub fn new(child: Option<&str>, all: bool) -> Result<Children, ArgumentError> {
        match (child, all) {
            (_, true) => Ok(Children::All),
            (Some(id), false) if !id.trim().is_empty() => Ok(Children::One(ChildId::from(id))),
            _ => Err(ArgumentError::new(
                "--child",
                "expected a child's pseudonymous id (or --all for every child)",
            )),
        }
    }
}

/// The list query of `--top`, `--reach-minutes` and `--explain-excluded`.
pub(crate) fn list_query(
    area: &AreaOptions,
    top: usize,
    explain_excluded: bool,
    regime: Regime,
) -> ListQuery {
    ListQuery {
        options: ListOptions { top },
        reach_minutes: area.reach_minutes,
        explain_excluded,
        regime,
    }
}

/// The side constraints and solver choices of `place`, before they become
/// [`PlacementOptions`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct PlaceChoices {
    /// `--mode`.
    pub mode: Mode,
    /// `--budget`, pounds.
    pub budget: Option<i64>,
    /// `--min-mainstream-share`.
    pub min_mainstream_share: Option<f64>,
    /// `--siblings-together`.
    pub siblings_together: bool,
    /// `--lp`.
    pub lp: bool,
    /// `--time-limit`, seconds.
    pub time_limit: f64,
    /// `--regime`.
    pub regime: Regime,
}

/// The placement options of `place` (and of `list --after-placement`, with the defaults).
pub(crate) fn placement_options(area: &AreaOptions, choices: &PlaceChoices) -> PlacementOptions {
    let mut options = PlacementOptions {
        mode: choices.mode,
        force_lp: choices.lp,
        ..PlacementOptions::default()
    };
    options.lp.time_limit_seconds = choices.time_limit;
    options.policy.reach_minutes = area.reach_minutes;
    options.side.budget_pounds = choices.budget;
    options.side.min_mainstream_share = choices.min_mainstream_share;
    options.side.keep_siblings_together = choices.siblings_together;
    options.policy.regime = choices.regime;
    options
}

/// The placement `list --after-placement` runs first: the default one, within the list's reach.
pub(crate) fn default_placement(area: &AreaOptions, regime: Regime) -> PlacementOptions {
    let mut options = PlacementOptions::default();
    options.policy.reach_minutes = area.reach_minutes;
    options.policy.regime = regime;
    options
}

/// One pair for `explain`: `--child` and `--setting`.
pub(crate) fn pair(child: &str, setting: &str) -> Result<(ChildId, SettingId), ArgumentError> {
    if child.trim().is_empty() {
        return Err(ArgumentError::new(
            "--child",
            "expected a child's pseudonymous id",
        ));
    }
    if setting.trim().is_empty() {
        return Err(ArgumentError::new("--setting", "expected a setting's id"));
    }
    Ok((ChildId::from(child), SettingId::from(setting)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_must_be_a_file_in_an_existing_folder() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Destination::new(None), Ok(Destination::Stdout));
        let file = dir.path().join("lists.csv");
        assert_eq!(
            Destination::new(Some(&file)),
            Ok(Destination::File(file.clone()))
        );
        assert_eq!(
            Destination::new(Some(Path::new("lists.csv")))
                .unwrap()
                .file(),
            Some(Path::new("lists.csv"))
        );
        let err = Destination::new(Some(dir.path())).unwrap_err();
        assert_eq!(err.argument, "--out");
        assert!(err.message.contains("is a folder"), "{err}");
        let err = Destination::new(Some(&dir.path().join("missing/lists.csv"))).unwrap_err();
        assert_eq!(err.argument, "--out");
        assert!(err.message.contains("does not exist"), "{err}");
    }

    #[test]
    fn children_and_pairs_need_ids() {
        assert_eq!(Children::new(None, true), Ok(Children::All));
        assert_eq!(
            Children::new(Some("C0001"), false),
            Ok(Children::One(ChildId::from("C0001")))
        );
        assert_eq!(
            Children::new(Some(" "), false).unwrap_err().argument,
            "--child"
        );
        assert_eq!(pair("C0001", "").unwrap_err().argument, "--setting");
        assert_eq!(pair("", "900101").unwrap_err().argument, "--child");
    }

    #[test]
    fn the_shared_reach_goes_into_lists_and_placements() {
        let area = AreaOptions::new(Path::new("fixtures/demo"), None, Some(45.0));
        assert_eq!(area.rules, RuleSource::England);
        assert_eq!(
            list_query(&area, 3, true, Regime::Spp).reach_minutes,
            Some(45.0)
        );
        let after = default_placement(&area, Regime::Spp);
        assert_eq!(after.policy.reach_minutes, Some(45.0));
        assert_eq!(after.policy.regime, Regime::Spp);
        let choices = PlaceChoices {
            mode: Mode::Stable,
            budget: Some(1_000_000),
            min_mainstream_share: Some(0.4),
            siblings_together: true,
            lp: true,
            time_limit: 5.0,
            regime: Regime::Spp,
        };
        let o = placement_options(&area, &choices);
        assert_eq!(o.mode, Mode::Stable);
        assert!(o.force_lp && o.side.keep_siblings_together);
        assert_eq!(o.side.budget_pounds, Some(1_000_000));
        assert_eq!(o.lp.time_limit_seconds, 5.0);
        assert_eq!(o.policy.reach_minutes, Some(45.0));
        assert_eq!(o.policy.regime, Regime::Spp);
    }
}
