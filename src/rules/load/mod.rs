//! Rule files → validated [`RuleSet`]. Reads every `*.toml` in each rule folder (in name order),
//! collects every error with its location, and merges folders in order: a later folder (an area's
//! overrides) replaces rules with the same id and single sections such as `[travel]`, and may
//! `disable` rules by id.

use super::schema::*;
use super::toml_read::{Fields, Source, Text, parse};
use crate::diag::{Code, Diagnostic, Diagnostics, line_col};
use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

mod conditions;
mod draft;
mod hard_and_score;
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
            let src = Source { path, text };
            if let Some(doc) = parse(&src, &mut diags) {
                docs.push((layer_no, path, text.as_str(), doc));
            }
        }
    }
    for (_, path, text, doc) in &docs {
        let src = Source { path, text };
        let mut top = Fields::new(doc.get_ref(), doc.span(), "");
        read_vocabulary(&src, &mut top, &mut draft, &mut diags);
    }
    // Pass 2: everything else.
    let mut seen_in_layer: Vec<BTreeSet<String>> = vec![BTreeSet::new(); layers.len()];
    for (layer_no, path, text, doc) in &docs {
        let src = Source { path, text };
        let mut top = Fields::new(doc.get_ref(), doc.span(), "");
        top.get("level");
        top.get("feature");
        let seen = &mut seen_in_layer[*layer_no];
        let hard = top.opt::<Vec<Fields>>(&src, "hard", &mut diags);
        keep_rules(&src, hard, &mut draft, seen, &mut diags, read_hard, |d| {
            &mut d.hard
        });
        let scores = top.opt::<Vec<Fields>>(&src, "score", &mut diags);
        keep_rules(
            &src,
            scores,
            &mut draft,
            seen,
            &mut diags,
            read_score,
            |d| &mut d.scores,
        );
        let bands: Vec<Band> = top
            .opt::<Vec<Fields>>(&src, "band", &mut diags)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|f| read_band(&src, f, &mut diags))
            .collect();
        if !bands.is_empty() {
            draft.bands_layer.retain(|(l, _)| l == layer_no);
            for b in bands {
                draft.bands_layer.push((*layer_no, b));
            }
        }
        if let Some(f) = top.opt::<Fields>(&src, "place_funding", &mut diags) {
            draft.place =
                read_group_money(&src, f, &mut diags).map(|m| (m, origin(&src, doc.span())));
        }
        if let Some(f) = top.opt::<Fields>(&src, "travel", &mut diags) {
            draft.travel = read_travel(&src, f, &mut diags);
        }
        if let Some(f) = top.opt::<Fields>(&src, "preference", &mut diags) {
            draft.preference = read_preference(&src, f, &mut diags);
        }
        if let Some(f) = top.opt::<Fields>(&src, "mainstream_presumption", &mut diags) {
            draft.presumption = read_presumption(&src, f, &mut diags);
        }
        if let Some(f) = top.opt::<Fields>(&src, "placement", &mut diags) {
            draft.placement = read_placement(&src, f, &mut diags);
        }
        if let Some(ids) = top.opt::<Vec<Text>>(&src, "disable", &mut diags) {
            for (id, span) in ids {
                draft.disabled.push((
                    id,
                    src.path.to_path_buf(),
                    line_col(src.text, span.start).0,
                    span,
                ));
            }
        }
        top.finish(&src, TOP_KEYS, &mut diags);
    }
    draft.finish(base, &docs, diags).map_err(|mut d| {
        d.sort();
        d
    })
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
    src: &Source<'_>,
    tables: Option<Vec<Fields<'_, '_>>>,
    draft: &mut Draft,
    seen: &mut BTreeSet<String>,
    diags: &mut Diagnostics,
    read: impl Fn(&Source<'_>, Fields<'_, '_>, &Draft, &mut Diagnostics) -> Option<R>,
    kept: fn(&mut Draft) -> &mut Vec<R>,
) {
    for f in tables.unwrap_or_default() {
        if let Some(rule) = read(src, f, draft, diags) {
            check_unique(src, rule.id(), seen, diags);
            let rules = kept(draft);
            rules.retain(|r| r.id() != rule.id());
            rules.push(rule);
        }
    }
}

fn check_unique(src: &Source<'_>, id: &str, seen: &mut BTreeSet<String>, diags: &mut Diagnostics) {
    if !seen.insert(id.to_string()) {
        let span = find_span(src.text, id);
        diags.push(
            src.at(
                Code::DuplicateId,
                span,
                "id",
                format!("rule id `{id}` is defined twice in this rule folder"),
            )
            .expected("a unique id"),
        );
    }
}

/// Span of the last `"id"` occurrence, for duplicate reports.
fn find_span(text: &str, id: &str) -> Range<usize> {
    let quoted = format!("\"{id}\"");
    text.rfind(&quoted)
        .map(|i| i..i + quoted.len())
        .unwrap_or(0..0)
}

fn origin(src: &Source<'_>, span: Range<usize>) -> Origin {
    Origin {
        file: src.path.to_path_buf(),
        line: line_col(src.text, span.start).0,
    }
}
