//! Rule files → validated [`RuleSet`]. Reads every `*.toml` in each rule folder (in name order),
//! collects every error with its location, and merges folders in order: a later folder (an area's
//! overrides) replaces rules with the same id and single sections such as `[travel]`, and may
//! `disable` rules by id.

use super::schema::*;
use super::toml_read::{Fields, Reader, Text};
use crate::diag::{Code, Diagnostic, Diagnostics, line_col};
use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

mod conditions;
mod draft;
mod hard_and_score;
mod packages;
mod price_bands;
mod sections;
mod vocabulary;

use draft::Draft;
use hard_and_score::{read_hard, read_score};
use sections::{
    read_band, read_group_money, read_placement, read_preference, read_presumption, read_travel,
};
use vocabulary::read_vocabulary;

const TOP_KEYS: &[&str] = &[
    "level",
    "feature",
    "hard",
    "score",
    "band",
    "place_funding",
    "travel",
    "preference",
    "mainstream_presumption",
    "placement",
    "disable",
    "packages",
    "package_group",
    "package",
    "package_rule",
    "package_offer",
    "package_combination",
    "inclusion_base",
    "price_bands",
    "price_band",
];

/// The files of one rule folder, read into memory.
pub struct RuleFiles {
    pub files: Vec<(PathBuf, String)>,
}

impl RuleFiles {
    /// Reads every `*.toml` file directly in `dir`, sorted by name.
    pub fn read_dir(dir: &Path, diags: &mut Diagnostics) -> RuleFiles {
        let mut files = Vec::new();
        match std::fs::read_dir(dir) {
            Err(e) => diags.push(Diagnostic::file(
                Code::Io,
                dir,
                format!("cannot read rule folder: {e}"),
            )),
            Ok(entries) => {
                let mut paths: Vec<PathBuf> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                    .collect();
                paths.sort();
                for p in paths {
                    match std::fs::read_to_string(&p) {
                        Ok(text) => files.push((p, text)),
                        Err(e) => {
                            diags.push(Diagnostic::file(Code::Io, &p, format!("cannot read: {e}")))
                        }
                    }
                }
                if files.is_empty() && diags.is_empty() {
                    diags.push(Diagnostic::file(
                        Code::Io,
                        dir,
                        "no .toml rule files in this folder",
                    ));
                }
            }
        }
        RuleFiles { files }
    }
}

/// Loads and validates rule folders, later folders overriding earlier ones.
#[cfg(any(test, feature = "testing"))]
pub fn load_rule_dirs(dirs: &[&Path]) -> Result<RuleSet, Diagnostics> {
    let mut diags = Diagnostics::default();
    let layers: Vec<RuleFiles> = dirs
        .iter()
        .map(|d| RuleFiles::read_dir(d, &mut diags))
        .collect();
    if !diags.is_empty() {
        return Err(diags);
    }
    load_layers(&layers, dirs.first().copied().unwrap_or(Path::new(".")))
}

/// Loads rule files already in memory: each element of `layers` is one folder.
pub fn load_layers(layers: &[RuleFiles], base: &Path) -> Result<RuleSet, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut draft = Draft::default();
    // Pass 1: vocabularies (plan levels, features), needed to check the rules that use them.
    let mut docs = Vec::new();
    for (layer_no, layer) in layers.iter().enumerate() {
        for (path, text) in &layer.files {
            let cx = Reader::new(path, text);
            if let Some(doc) = cx.parse() {
                docs.push((layer_no, path, text.as_str(), doc));
            }
            diags.extend(cx.into_diagnostics());
        }
    }
    for (_, path, text, doc) in &docs {
        let cx = Reader::new(path, text);
        let mut top = cx.top(doc);
        read_vocabulary(&mut top, &mut draft);
        packages::read_groups(&mut top, &mut draft);
        diags.extend(cx.into_diagnostics());
    }
    // Pass 1b: the packages, which name groups and features.
    for (_, path, text, doc) in &docs {
        let cx = Reader::new(path, text);
        packages::read_packages(&mut cx.top(doc), &mut draft);
        diags.extend(cx.into_diagnostics());
    }
    // Pass 2: everything else.
    let mut seen_in_layer: Vec<BTreeSet<String>> = vec![BTreeSet::new(); layers.len()];
    for (layer_no, path, text, doc) in &docs {
        let cx = Reader::new(path, text);
        read_layer_file(
            cx.top(doc),
            *layer_no,
            &mut draft,
            &mut seen_in_layer[*layer_no],
        );
        diags.extend(cx.into_diagnostics());
    }
    draft.finish(base, &docs, diags).map_err(|mut d| {
        d.sort();
        d
    })
}

/// Reads everything but the vocabularies from `top`, the top-level table of a file of layer
/// `layer_no`, into the draft; `seen` holds the rule ids already read in the layer.
fn read_layer_file(
    mut top: Fields<'_, '_>,
    layer_no: usize,
    draft: &mut Draft,
    seen: &mut BTreeSet<String>,
) {
    let cx = top.reader();
    top.get("level");
    top.get("feature");
    top.get("packages");
    top.get("package_group");
    top.get("package");
    packages::read_package_rules(&mut top, draft);
    price_bands::read_price_bands(&mut top, draft);
    let hard = top.opt::<Vec<Fields>>("hard");
    keep_rules(hard, draft, seen, read_hard, |d| &mut d.hard);
    let scores = top.opt::<Vec<Fields>>("score");
    keep_rules(scores, draft, seen, read_score, |d| &mut d.scores);
    let bands: Vec<Band> = top
        .opt::<Vec<Fields>>("band")
        .unwrap_or_default()
        .into_iter()
        .filter_map(read_band)
        .collect();
    if !bands.is_empty() {
        draft.bands_layer.retain(|(l, _)| *l == layer_no);
        for b in bands {
            draft.bands_layer.push((layer_no, b));
        }
    }
    if let Some(f) = top.opt::<Fields>("place_funding") {
        draft.place = read_group_money(f).map(|m| (m, origin(&top)));
    }
    if let Some(f) = top.opt::<Fields>("travel") {
        draft.travel = read_travel(f);
    }
    if let Some(f) = top.opt::<Fields>("preference") {
        draft.preference = read_preference(f);
    }
    if let Some(f) = top.opt::<Fields>("mainstream_presumption") {
        draft.presumption = read_presumption(f);
    }
    if let Some(f) = top.opt::<Fields>("placement") {
        draft.placement = read_placement(f);
    }
    if let Some(ids) = top.opt::<Vec<Text>>("disable") {
        for (id, span) in ids {
            draft.disabled.push((
                id,
                cx.src.path.to_path_buf(),
                line_col(cx.src.text, span.start).0,
                span,
            ));
        }
    }
    top.finish(TOP_KEYS);
}

/// A rule of an array of tables (`[[hard]]`, `[[score]]`), kept in the draft by its id.
trait Identified {
    /// The rule's id.
    fn id(&self) -> &str;
}

impl Identified for HardRule {
    fn id(&self) -> &str {
        &self.id
    }
}

impl Identified for ScoreRule {
    fn id(&self) -> &str {
        &self.id
    }
}

/// Reads each table of `tables` (the array of one layer) by `read`, and keeps each rule read
/// in the draft's rules of its kind (`kept`), in place of a rule of its id from an earlier
/// layer; an id used twice in the layer (`seen`) is reported.
fn keep_rules<R: Identified>(
    tables: Option<Vec<Fields<'_, '_>>>,
    draft: &mut Draft,
    seen: &mut BTreeSet<String>,
    read: impl Fn(Fields<'_, '_>, &Draft) -> Option<R>,
    kept: fn(&mut Draft) -> &mut Vec<R>,
) {
    for f in tables.unwrap_or_default() {
        let cx = f.reader();
        if let Some(rule) = read(f, draft) {
            check_unique(cx, rule.id(), seen);
            let rules = kept(draft);
            rules.retain(|r| r.id() != rule.id());
            rules.push(rule);
        }
    }
}

fn check_unique(cx: &Reader<'_>, id: &str, seen: &mut BTreeSet<String>) {
    if !seen.insert(id.to_string()) {
        duplicate_id(
            cx,
            id,
            format!("rule id `{id}` is defined twice in this rule folder"),
        );
    }
}

/// Reports `id` as defined twice, at its last occurrence.
fn duplicate_id(cx: &Reader<'_>, id: &str, message: String) {
    let span = find_span(cx.src.text, id);
    cx.push(
        cx.src
            .at(Code::DuplicateId, span, "id", message)
            .expected("a unique id"),
    );
}

/// Span of the last `"id"` occurrence, for duplicate reports.
fn find_span(text: &str, id: &str) -> Range<usize> {
    let quoted = format!("\"{id}\"");
    text.rfind(&quoted)
        .map(|i| i..i + quoted.len())
        .unwrap_or(0..0)
}

/// Where the table `f` starts.
fn origin(f: &Fields<'_, '_>) -> Origin {
    let src = &f.reader().src;
    Origin {
        file: src.path.to_path_buf(),
        line: line_col(src.text, f.span.start).0,
    }
}
