//! An authority's own children from its SEN2 person-level return, and an area's children back
//! out as a return: the entrances for the command line, the web app and Python.

use super::limits::OptionError;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::io::load_area_with;
use crate::io::sen2::write::{Header, write_message};
use crate::rules::RuleSource;
use crate::synth::sen2::{IdPolicy, ImportSpec, SettingsSource, import};
use std::path::{Path, PathBuf};

pub use crate::synth::sen2::Sen2Summary;

/// How to import an SEN2 return. Build with [`Sen2ImportOptions::from_school_file`] or
/// [`Sen2ImportOptions::from_area`]; the other methods check what they are given.
#[derive(Clone, Debug)]
pub struct Sen2ImportOptions {
    spec: ImportSpec,
    out: PathBuf,
    random_key: bool,
}

impl Sen2ImportOptions {
    fn new(source: &Path, settings: SettingsSource, out: &Path) -> Self {
        Sen2ImportOptions {
            spec: ImportSpec {
                source: source.to_path_buf(),
                settings,
                postcodes: None,
                ids: IdPolicy::Keep,
                seed: 1,
                reach_m: crate::synth::DEFAULT_REACH_KM * 1000.0,
                rules: RuleSource::England,
            },
            out: out.to_path_buf(),
            random_key: true,
        }
    }

    /// Imports `source` (an XML file or a Blade export folder) with the settings of the
    /// authority `la` built from the GIAS-shaped school file `gias`, into the new area folder
    /// `out`.
    pub fn from_school_file(source: &Path, gias: &Path, la: &str, out: &Path) -> Self {
        Self::new(
            source,
            SettingsSource::Gias {
                file: gias.to_path_buf(),
                la: la.to_string(),
            },
            out,
        )
    }

    /// Imports `source` onto the settings of the area folder `area`, into `out` (which may be
    /// `area` itself). Children the area has under the same id keep what SEN2 does not record.
    pub fn from_area(source: &Path, area: &Path, out: &Path) -> Self {
        Self::new(source, SettingsSource::Area(area.to_path_buf()), out)
    }

    /// Locates postcodes with this school file (with [`Sen2ImportOptions::from_area`]).
    pub fn postcodes(mut self, gias: &Path) -> Self {
        self.spec.postcodes = Some(gias.to_path_buf());
        self
    }

    /// Makes child ids keyed hashes with the key in `path` (at least 16 bytes); without a key
    /// file a random key is made and returned once in [`Sen2Imported::generated_key`].
    pub fn key_file(mut self, path: &Path) -> Result<Self, OptionError> {
        let bytes = std::fs::read(path).map_err(|e| {
            OptionError::new("key_file", format!("cannot read {}: {e}", path.display()))
        })?;
        self.spec.ids =
            IdPolicy::from_key_bytes(&bytes).map_err(|m| OptionError::new("key_file", m))?;
        self.random_key = false;
        Ok(self)
    }

    /// Keeps the return's own person ids (`PersonTableID`), for a return that is already
    /// pseudonymous.
    pub fn keep_ids(mut self) -> Self {
        self.spec.ids = IdPolicy::Keep;
        self.random_key = false;
        self
    }

    /// The seed of the provision built from the school file.
    pub fn seed(mut self, seed: u64) -> Self {
        self.spec.seed = seed;
        self
    }

    /// Other authorities' special schools and colleges within `km` (more than 0, at most
    /// 200) are included.
    pub fn reach_km(mut self, km: f64) -> Result<Self, OptionError> {
        if !(km.is_finite() && km > 0.0 && km <= 200.0) {
            return Err(OptionError::new(
                "reach_km",
                format!("{km} is out of range; expected kilometres, more than 0 and at most 200"),
            ));
        }
        self.spec.reach_m = km * 1000.0;
        Ok(self)
    }

    /// The rules an existing area is read with.
    pub fn rules(mut self, rules: RuleSource) -> Self {
        self.spec.rules = rules;
        self
    }
}

/// What an import did.
#[derive(Clone, Debug)]
pub struct Sen2Imported {
    /// Counts of children read, imported and left out.
    pub summary: Sen2Summary,
    /// The random key made for the ids (hex), when no key file was given: shown once, keep
    /// it to give the same children the same ids next time.
    pub generated_key: Option<String>,
    /// The area folder written.
    pub out: PathBuf,
}

/// Imports an SEN2 return into an area folder, written whole; on any error (each located)
/// nothing is written.
pub fn import_sen2(options: &Sen2ImportOptions) -> Result<Sen2Imported, Diagnostics> {
    let mut spec = options.spec.clone();
    let mut generated_key = None;
    if options.random_key {
        let (ids, hex) = IdPolicy::random().map_err(|m| {
            let mut d = Diagnostics::default();
            d.push(Diagnostic::file(Code::Io, Path::new("<random key>"), m));
            d
        })?;
        spec.ids = ids;
        generated_key = Some(hex);
    }
    let area = import(&spec)?;
    area.write(&options.out)?;
    Ok(Sen2Imported {
        summary: area.summary,
        generated_key,
        out: options.out.clone(),
    })
}

/// What an export wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sen2Exported {
    /// Persons written.
    pub persons: usize,
    /// Children left out because they have no EHC plan (SEN support).
    pub without_plan: usize,
}

/// Writes the children of the area folder `area` as an SEN2 person-level XML message to `out`
/// (whole or not at all). `lea` is the authority's three-digit code for the header (may be
/// empty).
pub fn export_sen2(area: &Path, out: &Path, lea: &str) -> Result<Sen2Exported, Diagnostics> {
    let loaded = load_area_with(area, &RuleSource::England)?;
    let header = Header {
        academic_year: loaded.config.academic_year,
        lea: lea.to_string(),
    };
    let (xml, skipped) = write_message(&header, &loaded.area.children, &loaded.area.settings)
        .map_err(|m| {
            let mut d = Diagnostics::default();
            d.push(Diagnostic::file(
                Code::UnknownReference,
                &area.join("settings.csv"),
                m,
            ));
            d
        })?;
    crate::io::write_atomically(out, xml.as_bytes())
        .map_err(|e| crate::io::io_error(out, "write", e))?;
    Ok(Sen2Exported {
        persons: loaded.area.children.len() - skipped.len(),
        without_plan: skipped.len(),
    })
}
