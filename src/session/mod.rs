//! An engine that owns its data, for embedding: a [`Session`] holds an area and its compiled
//! rules behind `Arc`s with the engine's per-child and per-setting facts computed once. It is
//! cheap to clone and `Send + Sync`, so a web server or another language's binding can keep one
//! and answer many questions from it:
//!
//! - the tailored list of a child in the area ([`Session::list`]);
//! - the tailored list of a **need profile that is not in the area** — "what would this child
//!   get?" ([`Session::list_for_profile`]), without rebuilding the area;
//! - the explanation of one (child, setting) pair ([`Session::explain`]);
//! - an area-wide placement ([`Session::place`]).
//!
//! Ids at this interface are the typed [`ChildId`] and [`SettingId`]; an unknown id is an
//! error with a did-you-mean, never a panic.

pub mod limits;
mod profile;
mod published;
#[cfg(feature = "synth")]
mod sen2;
mod summary;
#[cfg(feature = "synth")]
mod synthesis;

pub use profile::ProfileError;
#[cfg(feature = "synth")]
pub use published::published_mix;
pub use published::{PublishedGrowth, backtest_published};
#[cfg(feature = "synth")]
pub use sen2::{
    Sen2Exported, Sen2ImportOptions, Sen2Imported, Sen2Summary, export_sen2, import_sen2,
};
pub use summary::AreaSummary;
#[cfg(feature = "synth")]
pub use synthesis::{
    ChildrenOptions, build_demo_county, import_schools, synthesise_children, write_built_area,
};

use crate::cancel::Cancel;
use crate::diag::{Diagnostics, did_you_mean};
use crate::engine::Engine;
use crate::explain::Explanation;
use crate::io::{
    AreaConfig, AreaSources, LoadedArea, area_from_sources, load_area, load_area_with,
};
use crate::lists::{
    ListOptions, ListQuery, TailoredList, build_list, explain_pair, for_each_list, tailored_list,
};
use crate::model::{Area, ChildId, NeedProfile, Setting, SettingId};
use crate::placement::{
    Mix, PlacementError, PlacementOptions, PlacementReport, mark_lists, place, place_cancellable,
};
use crate::plan::{PlanOptions, PlanResults, Scenario, run_plan_cancellable, scenarios_for};
use crate::rules::CompiledRules;
use crate::rules::RuleSource;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What a session's engine borrows from.
struct Data {
    /// The folder (or workbook) the area was read from, when it was read from one.
    dir: Option<PathBuf>,
    config: AreaConfig,
    area: Arc<Area>,
    rules: Arc<CompiledRules>,
}

self_cell::self_cell!(
    struct Prepared {
        owner: Data,
        #[covariant]
        dependent: Engine,
    }
);

/// An area, its rules and the engine over them, shared. Clones share everything.
///
/// ```
/// use placewise::{ChildId, ListOptions, Session};
///
/// let session = Session::open("fixtures/demo".as_ref()).unwrap();
/// let list = session.list(&ChildId::from("C0001"), ListOptions::new(5).unwrap()).unwrap();
/// assert_eq!(list.child, "C0001");
/// assert!(!list.entries.is_empty());
/// // A clone shares the area; both can be used from any thread.
/// let other = session.clone();
/// std::thread::spawn(move || other.area().children.len()).join().unwrap();
/// ```
#[derive(Clone)]
pub struct Session {
    prepared: Arc<Prepared>,
    /// Whether an unknown child id gets a did-you-mean naming a real child (see
    /// [`Session::without_child_suggestions`]).
    suggest_children: bool,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("area", &self.area().name)
            .field("settings", &self.area().settings.len())
            .field("children", &self.area().children.len())
            .finish()
    }
}

/// An id the session does not know.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    /// No child with this id.
    #[error("no child `{id}` in the area{}", hint(.suggestion))]
    UnknownChild {
        /// The id asked for.
        id: ChildId,
        /// The closest known id, if any.
        suggestion: Option<String>,
    },
    /// No setting with this id.
    #[error("no setting `{id}` in the area{}", hint(.suggestion))]
    UnknownSetting {
        /// The id asked for.
        id: SettingId,
        /// The closest known id, if any.
        suggestion: Option<String>,
    },
}

fn hint(s: &Option<String>) -> String {
    s.as_ref().map(|h| format!(" ({h})")).unwrap_or_default()
}

impl LookupError {
    /// The message naming the table the id was looked for in, inside the area folder
    /// `area_dir` (`children.csv` or `settings.csv`) instead of "the area".
    ///
    /// ```
    /// # let session = placewise::Session::open("fixtures/demo".as_ref()).unwrap();
    /// use placewise::ChildId;
    /// let err = session.child(&ChildId::from("C00001")).unwrap_err();
    /// assert_eq!(
    ///     err.located_in("demo".as_ref()),
    ///     "no child `C00001` in demo/children.csv (did you mean `C0001`?)"
    /// );
    /// ```
    pub fn located_in(&self, area_dir: &Path) -> String {
        let (what, id, table, suggestion) = match self {
            LookupError::UnknownChild { id, suggestion } => {
                ("child", id.as_str(), "children.csv", suggestion)
            }
            LookupError::UnknownSetting { id, suggestion } => {
                ("setting", id.as_str(), "settings.csv", suggestion)
            }
        };
        let file = area_dir.join(table);
        format!("no {what} `{id}` in {}{}", file.display(), hint(suggestion))
    }
}

/// The index of child `id` in `area`, or an error naming the closest id there is.
pub fn child_index(area: &Area, id: &ChildId) -> Result<usize, LookupError> {
    area.child_index(id.as_str())
        .ok_or_else(|| LookupError::UnknownChild {
            id: id.clone(),
            suggestion: did_you_mean(id.as_str(), area.children.iter().map(|c| c.id.as_str())),
        })
}

/// The index of setting `id` in `area`, or an error naming the closest id there is.
pub fn setting_index(area: &Area, id: &SettingId) -> Result<usize, LookupError> {
    area.setting_index(id.as_str())
        .ok_or_else(|| LookupError::UnknownSetting {
            id: id.clone(),
            suggestion: did_you_mean(id.as_str(), area.settings.iter().map(|s| s.id.as_str())),
        })
}

impl Session {
    /// A session over `area` (normalised here) and `rules`; `config` gives the area's name and
    /// academic year, which turns dates of birth in posted profiles into year groups.
    pub(crate) fn new(area: Area, rules: CompiledRules, config: AreaConfig) -> Session {
        let mut area = area;
        area.normalise();
        Session::from_shared(Arc::new(area), Arc::new(rules), config)
    }

    /// A session over an area and rules already shared elsewhere (`area` must be normalised,
    /// as every loader leaves it).
    pub(crate) fn from_shared(
        area: Arc<Area>,
        rules: Arc<CompiledRules>,
        config: AreaConfig,
    ) -> Session {
        Session::build(area, rules, config, None)
    }

    /// The session over `area` and `rules`, read from `dir` when it was read from a folder or
    /// workbook (which [`Session::locate`] names).
    fn build(
        area: Arc<Area>,
        rules: Arc<CompiledRules>,
        config: AreaConfig,
        dir: Option<PathBuf>,
    ) -> Session {
        let data = Data {
            dir,
            config,
            area,
            rules,
        };
        let prepared = Prepared::new(data, |d| Engine::new(&d.rules, &d.area));
        Session {
            prepared: Arc::new(prepared),
            suggest_children: true,
        }
    }

    /// Loads an area folder with the shipped England rules (and the folder's own `rules/`
    /// overrides, when it has them).
    ///
    /// ```
    /// let session = placewise::Session::open("fixtures/demo".as_ref()).unwrap();
    /// assert_eq!(session.config().name, "Marlshire (small demo)");
    /// ```
    pub fn open(area_dir: &Path) -> Result<Session, Diagnostics> {
        Session::load_with(area_dir, &RuleSource::England)
    }

    /// Loads an area folder with the rules in the folder `rules_dir` instead of the shipped
    /// ones.
    pub fn load(area_dir: &Path, rules_dir: &Path) -> Result<Session, Diagnostics> {
        Ok(Session::from_loaded(load_area(area_dir, rules_dir)?))
    }

    /// Loads an area folder with the rules from `rules`.
    pub fn load_with(area_dir: &Path, rules: &RuleSource) -> Result<Session, Diagnostics> {
        Ok(Session::from_loaded(load_area_with(area_dir, rules)?))
    }

    /// An area built from tables held in memory (CSV text or JSON-like rows), with exactly
    /// the folder loader's checks: every error in every table, located by the table's name,
    /// row and column.
    ///
    /// ```
    /// use placewise::{AreaSources, RuleSource, Session, TableSource};
    /// let settings = "id,name,kind,first_year,last_year,easting,northing\n\
    ///                 S1,Brook Primary,mainstream,R,6,400000,300000\n";
    /// let pools = "setting,pool,first_year,last_year,capacity,on_roll\nS1,main,R,6,210,200\n";
    /// let children = "id,year,sex,easting,northing,primary_need,plan_level\n\
    ///                 C1,3,F,400500,300500,ASD,ehcp\n";
    /// let sources = AreaSources {
    ///     name: "Example".into(),
    ///     academic_year: 2025,
    ///     settings: TableSource::csv("settings.csv", settings.as_bytes()),
    ///     pools: TableSource::csv("pools.csv", pools.as_bytes()),
    ///     children: TableSource::csv("children.csv", children.as_bytes()),
    /// };
    /// let session = Session::from_sources(&sources, &RuleSource::England).unwrap();
    /// assert_eq!(session.area().children.len(), 1);
    /// ```
    pub fn from_sources(
        sources: &AreaSources<'_>,
        rules: &RuleSource,
    ) -> Result<Session, Diagnostics> {
        let rules = rules.load()?;
        let area = area_from_sources(sources, &rules)?;
        let config = AreaConfig {
            name: sources.name.clone(),
            description: String::new(),
            academic_year: sources.academic_year,
        };
        Ok(Session::new(area, CompiledRules::new(rules), config))
    }

    /// The area.
    pub fn area(&self) -> &Area {
        &self.prepared.borrow_owner().area
    }

    /// The area's configuration (name, description, academic year).
    pub fn config(&self) -> &AreaConfig {
        &self.prepared.borrow_owner().config
    }

    /// The compiled rules.
    pub(crate) fn rules(&self) -> &CompiledRules {
        &self.prepared.borrow_owner().rules
    }

    /// The engine over the area, for the lower-level functions of [`crate::lists`] and
    /// [`crate::placement`].
    pub(crate) fn engine(&self) -> &Engine<'_> {
        self.prepared.borrow_dependent()
    }

    /// The child with id `id`.
    pub fn child(&self, id: &ChildId) -> Result<&NeedProfile, LookupError> {
        self.child_index(id).map(|c| &self.area().children[c])
    }

    /// The setting with id `id`.
    pub fn setting(&self, id: &SettingId) -> Result<&Setting, LookupError> {
        self.setting_index(id).map(|s| &self.area().settings[s])
    }

    fn child_index(&self, id: &ChildId) -> Result<usize, LookupError> {
        if self.suggest_children {
            return child_index(self.area(), id);
        }
        self.area()
            .child_index(id.as_str())
            .ok_or_else(|| LookupError::UnknownChild {
                id: id.clone(),
                suggestion: None,
            })
    }

    /// This session with no did-you-mean for unknown child ids: a suggestion would confirm
    /// that a child with a neighbouring pseudonymous id exists (the web app uses this; setting
    /// ids, which are public, keep theirs).
    ///
    /// ```
    /// # let session = placewise::Session::open("fixtures/demo".as_ref()).unwrap();
    /// use placewise::{ChildId, LookupError};
    /// let quiet = session.clone().without_child_suggestions();
    /// let err = quiet.child(&ChildId::from("C00001")).unwrap_err();
    /// assert!(matches!(err, LookupError::UnknownChild { suggestion: None, .. }));
    /// assert!(session.child(&ChildId::from("C00001")).is_err());
    /// ```
    pub fn without_child_suggestions(mut self) -> Session {
        self.suggest_children = false;
        self
    }

    fn setting_index(&self, id: &SettingId) -> Result<usize, LookupError> {
        setting_index(self.area(), id)
    }

    /// The message of `err`, naming the table of the folder the area was read from
    /// (`children.csv` or `settings.csv`) when it was read from one, otherwise "the area".
    ///
    /// ```
    /// # let session = placewise::Session::open("fixtures/demo".as_ref()).unwrap();
    /// use placewise::ChildId;
    /// let err = session.child(&ChildId::from("C00001")).unwrap_err();
    /// assert_eq!(
    ///     session.locate(&err),
    ///     "no child `C00001` in fixtures/demo/children.csv (did you mean `C0001`?)"
    /// );
    /// ```
    pub fn locate(&self, err: &LookupError) -> String {
        match &self.prepared.borrow_owner().dir {
            Some(dir) => err.located_in(dir),
            None => err.to_string(),
        }
    }

    /// What the area and its rules hold, counted (as `placewise check` reports it).
    pub fn summary(&self) -> AreaSummary {
        AreaSummary::new(&self.config().name, self.area(), &self.rules().rules)
    }

    /// The tailored list of child `id` in the area.
    ///
    /// ```
    /// # let session = placewise::Session::open("fixtures/demo".as_ref()).unwrap();
    /// use placewise::{ChildId, ListOptions, LookupError};
    /// let err = session.list(&ChildId::from("C00001"), ListOptions::new(5).unwrap()).unwrap_err();
    /// assert!(matches!(err, LookupError::UnknownChild { .. }));
    /// assert_eq!(err.to_string(), "no child `C00001` in the area (did you mean `C0001`?)");
    /// ```
    pub fn list(&self, id: &ChildId, options: ListOptions) -> Result<TailoredList, LookupError> {
        let c = self.child_index(id)?;
        Ok(tailored_list(self.engine(), c, options))
    }

    /// The tailored list of child `id` shaped by `query`: its length, the reach of a journey
    /// and how much of what is excluded to explain.
    ///
    /// ```
    /// # let session = placewise::Session::open("fixtures/demo".as_ref()).unwrap();
    /// use placewise::{ChildId, ListOptions, ListQuery, Regime};
    /// let query = ListQuery { options: ListOptions::new(3).unwrap(), reach_minutes: Some(30.0), explain_excluded: true, regime: Regime::Spp };
    /// let list = session.list_with(&ChildId::from("C0001"), &query).unwrap();
    /// assert!(list.entries.len() <= 3 + 3);
    /// // Under the package model every listed setting can deliver the child's package.
    /// assert_eq!(list.regime, Regime::Spp);
    /// let package = &list.package.as_ref().unwrap().need.packages;
    /// assert!(list.entries.iter().all(|e| e.delivers.as_ref() == Some(package)));
    /// ```
    pub fn list_with(&self, id: &ChildId, query: &ListQuery) -> Result<TailoredList, LookupError> {
        let c = self.child_index(id)?;
        Ok(build_list(self.engine(), c, query))
    }

    /// Marks each setting listed in `list` with what the placement `report` (a placement run
    /// by this session) leaves for the child: their place, places free, or full.
    pub fn mark_after_placement(&self, report: &PlacementReport, list: &mut TailoredList) {
        mark_lists(self.engine(), report, std::slice::from_mut(list));
    }

    /// The area's mix of children with EHC plans by type of setting, as it is (before any
    /// placement).
    pub fn mix(&self) -> Mix {
        Mix::after_round(self.engine(), &Default::default())
    }

    /// The explanation of every rule on (child `child`, setting `setting`), with the facts.
    ///
    /// ```
    /// # let session = placewise::Session::open("fixtures/demo".as_ref()).unwrap();
    /// use placewise::ChildId;
    /// let setting = session.area().settings[0].id.clone();
    /// let e = session.explain(&ChildId::from("C0001"), &setting).unwrap();
    /// assert_eq!(e.setting, setting.as_str());
    /// ```
    pub fn explain(
        &self,
        child: &ChildId,
        setting: &SettingId,
    ) -> Result<Explanation, LookupError> {
        let c = self.child_index(child)?;
        let s = self.setting_index(setting)?;
        Ok(explain_pair(self.engine(), c, s))
    }

    /// [`Session::explain`] under a legal regime: under [`Regime::Spp`](crate::Regime::Spp)
    /// the explanation also says which of the child's Specialist Provision Packages the setting
    /// cannot deliver, and what it lacks.
    ///
    /// ```
    /// # let session = placewise::Session::open("fixtures/demo".as_ref()).unwrap();
    /// use placewise::{ChildId, Regime, SettingId};
    /// let e = session.explain_under(&ChildId::from("C0001"), &SettingId::from("900101"), Regime::Spp).unwrap();
    /// assert_eq!(e.regime, Regime::Spp);
    /// assert!(e.shortfalls.is_some());
    /// ```
    pub fn explain_under(
        &self,
        child: &ChildId,
        setting: &SettingId,
        regime: crate::model::Regime,
    ) -> Result<Explanation, LookupError> {
        let c = self.child_index(child)?;
        let s = self.setting_index(setting)?;
        Ok(crate::lists::explain_pair_under(
            self.engine(),
            c,
            s,
            regime,
        ))
    }

    /// An area-wide placement run on the area as it is.
    ///
    /// ```
    /// # let session = placewise::Session::open("fixtures/demo".as_ref()).unwrap();
    /// use placewise::PlacementOptions;
    /// let report = session.place(&PlacementOptions::default()).unwrap();
    /// assert!(!report.placements.is_empty());
    /// ```
    pub fn place(&self, options: &PlacementOptions) -> Result<PlacementReport, PlacementError> {
        place(self.engine(), options)
    }

    /// [`Session::place`], stopped early with [`PlacementError::Cancelled`] once `cancel` is
    /// set or its deadline passes (see [`Cancel`]).
    pub fn place_cancellable(
        &self,
        options: &PlacementOptions,
        cancel: &Cancel,
    ) -> Result<PlacementReport, PlacementError> {
        place_cancellable(self.engine(), options, cancel)
    }
}

impl Session {
    /// A sufficiency plan: every scenario projected `options.years` years ahead, `options.draws`
    /// times, in parallel; metrics per scenario and year with uncertainty bands.
    ///
    /// ```
    /// use placewise::{PlanOptions, Scenario, Session};
    /// let session = Session::open("fixtures/demo".as_ref()).unwrap();
    /// let options = PlanOptions::new(2, 2, 1, Default::default());
    /// let results = session.plan(&[Scenario::baseline()], &options).unwrap();
    /// assert_eq!(results.scenarios.len(), 1);
    /// ```
    pub fn plan(
        &self,
        scenarios: &[Scenario],
        options: &PlanOptions,
    ) -> Result<PlanResults, PlacementError> {
        self.plan_with_progress(scenarios, options, &|| {})
    }

    /// [`Session::plan`], calling `progress` once after each scenario draw (from any thread):
    /// there are `scenarios.len() × options.draws` calls in all.
    ///
    /// ```
    /// use placewise::{PlanOptions, Scenario, Session};
    /// use std::sync::atomic::{AtomicU32, Ordering};
    /// let session = Session::open("fixtures/demo".as_ref()).unwrap();
    /// let options = PlanOptions::new(2, 3, 1, Default::default());
    /// let draws = AtomicU32::new(0);
    /// let progress = || {
    ///     draws.fetch_add(1, Ordering::Relaxed);
    /// };
    /// session.plan_with_progress(&[Scenario::baseline()], &options, &progress).unwrap();
    /// assert_eq!(draws.load(Ordering::Relaxed), 3);
    /// ```
    pub fn plan_with_progress(
        &self,
        scenarios: &[Scenario],
        options: &PlanOptions,
        progress: &(dyn Fn() + Sync),
    ) -> Result<PlanResults, PlacementError> {
        self.plan_cancellable(scenarios, options, progress, &Cancel::new())
    }

    /// [`Session::plan_with_progress`], stopped with [`PlacementError::Cancelled`] once
    /// `cancel` is set or its deadline passes: no draw starts after that.
    ///
    /// ```
    /// use placewise::{Cancel, PlacementError, PlanOptions, Scenario, Session};
    /// let session = Session::open("fixtures/demo".as_ref()).unwrap();
    /// let options = PlanOptions::new(2, 50, 1, Default::default());
    /// let cancel = Cancel::new();
    /// cancel.cancel();
    /// let run = session.plan_cancellable(&[Scenario::baseline()], &options, &|| {}, &cancel);
    /// assert!(matches!(run, Err(PlacementError::Cancelled)));
    /// ```
    pub fn plan_cancellable(
        &self,
        scenarios: &[Scenario],
        options: &PlanOptions,
        progress: &(dyn Fn() + Sync),
        cancel: &Cancel,
    ) -> Result<PlanResults, PlacementError> {
        run_plan_cancellable(
            self.area(),
            &self.rules().rules,
            self.config().academic_year,
            scenarios,
            options,
            progress,
            cancel,
        )
    }
}

impl Session {
    /// Every child's tailored list, in child-id order, with memory bounded by a chunk of
    /// children: `map` runs in parallel on each list (e.g. renders it), `sink` receives the
    /// results in order and may stop the run with an error.
    ///
    /// ```
    /// use placewise::{ListOptions, ListQuery, Session};
    /// let session = Session::open("fixtures/demo".as_ref()).unwrap();
    /// let query = ListQuery { options: ListOptions::new(3).unwrap(), reach_minutes: None, explain_excluded: false, regime: Default::default() };
    /// let mut ids = Vec::new();
    /// session
    ///     .for_each_list(&query, |list| list.child, |id| -> Result<(), ()> { ids.push(id); Ok(()) })
    ///     .unwrap();
    /// assert_eq!(ids.len(), session.area().children.len());
    /// ```
    pub fn for_each_list<T: Send, E>(
        &self,
        query: &ListQuery,
        map: impl Fn(TailoredList) -> T + Sync,
        sink: impl FnMut(T) -> Result<(), E>,
    ) -> Result<(), E> {
        for_each_list(self.engine(), query, map, sink)
    }

    /// Reads a scenarios file (TOML) against this area's settings and rules, baseline first
    /// (added when the file does not define one): every error is located by line and column.
    pub fn read_scenarios(&self, path: &Path) -> Result<Vec<Scenario>, Diagnostics> {
        scenarios_for(&self.area().settings, &self.rules().rules, path)
    }
}

impl Session {
    /// The session over an area read from a folder or workbook.
    fn from_loaded(loaded: LoadedArea) -> Session {
        let mut area = loaded.area;
        area.normalise();
        Session::build(
            Arc::new(area),
            Arc::new(loaded.rules),
            loaded.config,
            Some(loaded.dir),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Session {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        Session::load(&root.join("fixtures/demo"), &root.join("rules/england")).unwrap()
    }

    #[test]
    fn a_cancelled_placement_or_plan_stops_without_a_result() {
        use crate::{PlacementOptions, PlanOptions, Scenario};
        let s = demo();
        let cancel = Cancel::new();
        assert!(
            s.place_cancellable(&PlacementOptions::default(), &cancel)
                .is_ok()
        );
        cancel.cancel();
        let placed = s.place_cancellable(&PlacementOptions::default(), &cancel);
        assert!(matches!(placed, Err(PlacementError::Cancelled)));
        let draws = std::sync::atomic::AtomicU32::new(0);
        let progress = || {
            draws.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        };
        let options = PlanOptions::new(2, 50, 1, Default::default());
        let plan = s.plan_cancellable(&[Scenario::baseline()], &options, &progress, &cancel);
        assert!(matches!(plan, Err(PlacementError::Cancelled)));
        assert_eq!(
            draws.load(std::sync::atomic::Ordering::Relaxed),
            0,
            "no draw ran"
        );
        // A deadline already passed counts as cancelled.
        let past = Cancel::with_deadline(std::time::Instant::now());
        let placed = s.place_cancellable(&PlacementOptions::default(), &past);
        assert!(matches!(placed, Err(PlacementError::Cancelled)));
    }

    #[test]
    fn a_session_is_send_sync_and_clones_share_the_area() {
        fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}
        assert_send_sync::<Session>();
        let a = demo();
        let b = a.clone();
        assert!(std::ptr::eq(a.area(), b.area()));
    }

    #[test]
    fn unknown_setting_is_an_error_not_a_panic() {
        let s = demo();
        let err = s
            .explain(&ChildId::from("C0001"), &SettingId::from("NOPE"))
            .unwrap_err();
        assert!(matches!(err, LookupError::UnknownSetting { .. }), "{err}");
    }
}
