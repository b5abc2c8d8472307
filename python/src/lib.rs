//! The native module of the `placewise` Python package: an area held as a
//! [`placewise::Session`], answering in JSON or CSV text that the Python layer turns into dicts
//! and DataFrames. Every call releases the GIL while it works, and a failure of any kind comes
//! back as `NativeError(message, diagnostics_json)`, never as a panic across the boundary.

use placewise::{
    AreaSources, ChildId, Diagnostics, Growth, ListOptions, ListQuery, Mode, PlacementOptions,
    PlanOptions, Regime, RuleSource, Scenario, Sen2ImportOptions, Session, SettingId, TableSource,
    limits, render,
};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

create_exception!(
    _placewise,
    NativeError,
    PyException,
    "An error from the native module: (message, diagnostics as a JSON list)."
);

/// Why a call failed.
enum Failure {
    /// Located input errors.
    Input(String, Diagnostics),
    /// Anything else (an unknown id, a solver failure), as a sentence.
    Other(String),
}

impl From<Failure> for PyErr {
    fn from(f: Failure) -> PyErr {
        match f {
            Failure::Input(message, d) => {
                let records: Vec<_> = d.diagnostics.iter().map(|x| x.record()).collect();
                let json = serde_json::to_string(&records).unwrap_or_else(|_| "[]".into());
                let first = d
                    .diagnostics
                    .first()
                    .map(|x| format!(": {x}"))
                    .unwrap_or_default();
                let more = match d.diagnostics.len() {
                    0 | 1 => String::new(),
                    n => format!(" (and {} more)", n - 1),
                };
                NativeError::new_err((format!("{message}{first}{more}"), json))
            }
            Failure::Other(message) => NativeError::new_err((message, "[]".to_string())),
        }
    }
}

fn other(e: impl std::fmt::Display) -> Failure {
    Failure::Other(e.to_string())
}

/// Runs `work` without the GIL; a panic becomes an error naming it as a fault of the library.
fn guarded<T: Send>(
    py: Python<'_>,
    work: impl FnOnce() -> Result<T, Failure> + Send,
) -> PyResult<T> {
    let result = py.detach(|| catch_unwind(AssertUnwindSafe(work)));
    match result {
        Ok(r) => r.map_err(PyErr::from),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(Failure::Other(format!(
                "internal error in placewise (please report it): {what}"
            ))
            .into())
        }
    }
}

fn rule_source(rules: Option<PathBuf>) -> RuleSource {
    RuleSource::from_option(rules.as_deref())
}

/// An area loaded with its rules: the engine behind `placewise.Area`.
#[pyclass(frozen, module = "placewise._placewise")]
struct NativeArea {
    session: Session,
}

#[pymethods]
impl NativeArea {
    /// Loads an area folder or workbook (`.xlsx`) with the shipped England rules, or the rule
    /// folder `rules`.
    #[staticmethod]
    #[pyo3(signature = (path, rules=None))]
    fn load(py: Python<'_>, path: PathBuf, rules: Option<PathBuf>) -> PyResult<NativeArea> {
        guarded(py, move || {
            let session = Session::load_with(&path, &rule_source(rules))
                .map_err(|d| Failure::Input(format!("cannot load {}", path.display()), d))?;
            Ok(NativeArea { session })
        })
    }

    /// An area from three tables of JSON records (one object per row), each named in
    /// diagnostics as given in `names`.
    #[staticmethod]
    #[pyo3(signature = (settings, pools, children, names, name, academic_year, rules=None))]
    #[allow(clippy::too_many_arguments)]
    fn from_records(
        py: Python<'_>,
        settings: String,
        pools: String,
        children: String,
        names: (String, String, String),
        name: String,
        academic_year: i32,
        rules: Option<PathBuf>,
    ) -> PyResult<NativeArea> {
        guarded(py, move || {
            let rules = rule_source(rules);
            let mut diags = Diagnostics::default();
            let mut table = |json: &str, label: &str| -> Option<TableSource<'static>> {
                let rows: Vec<serde_json::Value> = match serde_json::from_str(json) {
                    Ok(r) => r,
                    Err(e) => {
                        diags.push(placewise::diag::Diagnostic::file(
                            placewise::diag::Code::WrongType,
                            Path::new(label),
                            format!("the frame cannot be read as records: {e}"),
                        ));
                        return None;
                    }
                };
                match TableSource::json_rows(label, &rows) {
                    Ok(t) => Some(t),
                    Err(d) => {
                        diags.extend(d);
                        None
                    }
                }
            };
            let s = table(&settings, &names.0);
            let p = table(&pools, &names.1);
            let c = table(&children, &names.2);
            let (Some(s), Some(p), Some(c)) = (s, p, c) else {
                return Err(Failure::Input("the frames are not valid".into(), diags));
            };
            let sources = AreaSources {
                name: name.clone(),
                academic_year,
                settings: s,
                pools: p,
                children: c,
            };
            let session = Session::from_sources(&sources, &rules)
                .map_err(|d| Failure::Input("the frames are not a valid area".into(), d))?;
            Ok(NativeArea { session })
        })
    }

    /// Imports an SEN2 person-level return (XML file or Blade export folder) into the area
    /// folder `out` (with the settings built from the school file `gias` for authority `la`,
    /// or those of the area folder `settings_from`), then loads it. Returns the area, the
    /// data-quality summary as JSON and the random key made for the ids (when no `key_file`
    /// and not `keep_ids`).
    #[staticmethod]
    #[pyo3(signature = (source, out, gias=None, la=None, settings_from=None, key_file=None, keep_ids=false, rules=None))]
    #[allow(clippy::too_many_arguments)]
    fn from_sen2(
        py: Python<'_>,
        source: PathBuf,
        out: PathBuf,
        gias: Option<PathBuf>,
        la: Option<String>,
        settings_from: Option<PathBuf>,
        key_file: Option<PathBuf>,
        keep_ids: bool,
        rules: Option<PathBuf>,
    ) -> PyResult<(NativeArea, String, Option<String>)> {
        guarded(py, move || {
            let rules = rule_source(rules);
            let mut options = match (settings_from, gias, la) {
                (Some(area), gias, _) => {
                    let o = Sen2ImportOptions::from_area(&source, &area, &out);
                    match gias {
                        Some(g) => o.postcodes(&g),
                        None => o,
                    }
                }
                (None, Some(gias), Some(la)) => {
                    Sen2ImportOptions::from_school_file(&source, &gias, &la, &out)
                }
                _ => {
                    return Err(Failure::Other(
                        "say where the settings come from: gias= and la=, or settings_from=".into(),
                    ));
                }
            };
            options = options.rules(rules.clone());
            if let Some(k) = key_file {
                options = options.key_file(&k).map_err(other)?;
            }
            if keep_ids {
                options = options.keep_ids();
            }
            let done = placewise::import_sen2(&options)
                .map_err(|d| Failure::Input(format!("cannot import {}", source.display()), d))?;
            let summary = serde_json::to_string(&done.summary).map_err(other)?;
            let session = Session::load_with(&out, &rules)
                .map_err(|d| Failure::Input(format!("cannot load {}", out.display()), d))?;
            Ok((NativeArea { session }, summary, done.generated_key))
        })
    }

    /// A summary of the area and its rules as JSON.
    fn check(&self, py: Python<'_>) -> PyResult<String> {
        guarded(py, || {
            let academic_year = self.session.config().academic_year;
            let doc = self
                .session
                .summary()
                .to_json(&[("academic_year", academic_year.into())]);
            Ok(doc.to_string())
        })
    }

    /// The area's name.
    #[getter]
    fn name(&self) -> String {
        self.session.config().name.clone()
    }

    /// The ids of the area's children, in id order.
    fn child_ids(&self) -> Vec<String> {
        self.session
            .area()
            .children
            .iter()
            .map(|c| c.id.0.clone())
            .collect()
    }

    /// One child's tailored list as JSON (as `placewise list --format json`), under `regime`
    /// (`cfa2014`, today's law, the default; or `spp`, the package model as consulted).
    #[pyo3(signature = (child_id, top=10, regime=None))]
    fn list(
        &self,
        py: Python<'_>,
        child_id: String,
        top: usize,
        regime: Option<String>,
    ) -> PyResult<String> {
        guarded(py, move || {
            let options = check_top(top)?;
            let regime = check_regime(regime)?;
            let id = ChildId::from(child_id.as_str());
            let list = match regime {
                None => self.session.list(&id, options),
                Some(regime) => self.session.list_with(
                    &id,
                    &ListQuery {
                        options,
                        reach_minutes: None,
                        explain_excluded: false,
                        regime,
                    },
                ),
            }
            .map_err(other)?;
            serde_json::to_string(&list).map_err(other)
        })
    }

    /// Every rule on one child and one setting as JSON (as `placewise explain --format
    /// json`), under `regime`: under `spp` also the child's packages the setting cannot
    /// deliver and what it lacks.
    #[pyo3(signature = (child_id, setting_id, regime=None))]
    fn explain(
        &self,
        py: Python<'_>,
        child_id: String,
        setting_id: String,
        regime: Option<String>,
    ) -> PyResult<String> {
        guarded(py, move || {
            let regime = check_regime(regime)?.unwrap_or_default();
            let e = self
                .session
                .explain_under(
                    &ChildId::from(child_id.as_str()),
                    &SettingId::from(setting_id.as_str()),
                    regime,
                )
                .map_err(other)?;
            serde_json::to_string(&e).map_err(other)
        })
    }

    /// The tailored list of a need profile given as a JSON object of `children.csv` columns.
    #[pyo3(signature = (profile, top=10))]
    fn list_profile(&self, py: Python<'_>, profile: String, top: usize) -> PyResult<String> {
        guarded(py, move || {
            let options = check_top(top)?;
            let value: serde_json::Value = serde_json::from_str(&profile).map_err(other)?;
            let Some(object) = value.as_object() else {
                return Err(Failure::Other(
                    "a profile is a dict of children.csv columns".into(),
                ));
            };
            let child = self
                .session
                .profile_from_json(object, "profile")
                .map_err(|d| Failure::Input("the need profile is not valid".into(), d))?;
            let list = self
                .session
                .list_for_profile(&child, options)
                .map_err(other)?;
            serde_json::to_string(&list).map_err(other)
        })
    }

    /// Every child's list as CSV text (as `placewise list --all --format csv`), without the
    /// excluded rows unless `excluded`.
    #[pyo3(signature = (top=10, excluded=false, regime=None))]
    fn lists_csv(
        &self,
        py: Python<'_>,
        top: usize,
        excluded: bool,
        regime: Option<String>,
    ) -> PyResult<String> {
        guarded(py, move || {
            let query = ListQuery {
                options: check_top(top)?,
                reach_minutes: None,
                explain_excluded: false,
                regime: check_regime(regime)?.unwrap_or_default(),
            };
            let mut out = Vec::new();
            render::write_list_csv_header(&mut out).map_err(other)?;
            self.session.for_each_list(
                &query,
                |list| {
                    let mut rows = Vec::new();
                    render::write_list_csv(&list, &mut rows).map(|_| rows)
                },
                |rows| -> Result<(), Failure> {
                    let rows = rows.map_err(other)?;
                    if excluded {
                        out.extend_from_slice(&rows);
                        return Ok(());
                    }
                    let mut reader = csv::ReaderBuilder::new()
                        .has_headers(false)
                        .from_reader(rows.as_slice());
                    let mut w = csv::Writer::from_writer(&mut out);
                    for rec in reader.records() {
                        let rec = rec.map_err(other)?;
                        if !matches!(rec.get(1), Some("excluded" | "explained")) {
                            w.write_record(&rec).map_err(other)?;
                        }
                    }
                    w.flush().map_err(other)
                },
            )?;
            String::from_utf8(out).map_err(other)
        })
    }

    /// An area-wide placement report as JSON (as `placewise place --format json`).
    #[pyo3(signature = (mode=None, budget=None, min_mainstream_share=None, siblings_together=false, regime=None))]
    fn place(
        &self,
        py: Python<'_>,
        mode: Option<String>,
        budget: Option<i64>,
        min_mainstream_share: Option<f64>,
        siblings_together: bool,
        regime: Option<String>,
    ) -> PyResult<String> {
        guarded(py, move || {
            let regime = check_regime(regime)?.unwrap_or_default();
            // Python spells names with underscores as often as with hyphens.
            let mode: Mode = match mode {
                Some(m) => m.replace('_', "-").parse().map_err(other)?,
                None => Mode::default(),
            };
            let mut options = PlacementOptions::new(mode)
                .with_siblings_together(siblings_together)
                .with_regime(regime);
            if let Some(b) = budget {
                options = options.with_budget(b).map_err(other)?;
            }
            if let Some(s) = min_mainstream_share {
                options = options.with_min_mainstream_share(s).map_err(other)?;
            }
            let report = self.session.place(&options).map_err(other)?;
            serde_json::to_string(&report).map_err(other)
        })
    }

    /// A sufficiency plan: (metrics CSV, SCAP CSV, assumptions JSON), as `placewise plan`
    /// writes `metrics.csv` and `scap.csv`.
    #[pyo3(signature = (years=7, draws=100, seed=1, scenarios=None, growth=None, only=None))]
    #[allow(clippy::too_many_arguments)]
    fn plan(
        &self,
        py: Python<'_>,
        years: u32,
        draws: u32,
        seed: u64,
        scenarios: Option<PathBuf>,
        growth: Option<f64>,
        only: Option<String>,
    ) -> PyResult<(String, String, String)> {
        guarded(py, move || {
            // The options are checked before the scenarios are read.
            PlanOptions::checked(years, draws, seed, Growth::default()).map_err(other)?;
            if let Some(g) = growth {
                limits::growth_rate(g).map_err(other)?;
            }
            let list = match &scenarios {
                None => vec![Scenario::baseline()],
                Some(path) => {
                    // Baseline first, as the command line has it.
                    self.session
                        .read_scenarios(path)
                        .map_err(|d| Failure::Input("the scenarios are not valid".into(), d))?
                }
            };
            let mut list = list;
            if let Some(name) = &only {
                let names: Vec<String> = list.iter().map(|s| s.name.clone()).collect();
                list.retain(|s| &s.name == name);
                if list.is_empty() {
                    return Err(Failure::Other(format!(
                        "no scenario `{name}`; expected one of: {}{}",
                        names.join(", "),
                        placewise::diag::did_you_mean(name, names.iter().map(String::as_str))
                            .map(|h| format!(" ({h})"))
                            .unwrap_or_default()
                    )));
                }
            }
            let mut g = Growth::default();
            if let Some(rate) = growth {
                g.rate = rate;
                g.source = "set by the caller".into();
            }
            let options = PlanOptions::checked(years, draws, seed, g).map_err(other)?;
            let results = self.session.plan(&list, &options).map_err(other)?;
            Ok((
                render::metrics_csv(&results),
                render::scap_csv(&results),
                serde_json::to_string(&results.assumptions).map_err(other)?,
            ))
        })
    }
}

fn check_top(top: usize) -> Result<ListOptions, Failure> {
    ListOptions::new(top).map_err(other)
}

/// The `regime` argument: `None` when left out; a name that is neither `cfa2014` nor `spp` is
/// an error naming the argument (`regime: unknown regime ...`).
fn check_regime(regime: Option<String>) -> Result<Option<Regime>, Failure> {
    regime
        .map(|r| r.parse::<Regime>().map_err(other))
        .transpose()
}

/// The native module.
#[pymodule]
fn _placewise(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeArea>()?;
    m.add("NativeError", m.py().get_type::<NativeError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
