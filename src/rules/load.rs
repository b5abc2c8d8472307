//! Rule files → validated [`RuleSet`]. Reads every `*.toml` in each rule folder (in name order),
//! collects every error with its location, and merges folders in order: a later folder (an area's
//! overrides) replaces rules with the same id and single sections such as `[travel]`, and may
//! `disable` rules by id.

use super::schema::*;
use super::toml_read::{Fields, Source, parse};
use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean, line_col};
use crate::model::{Need, NeedArea, NeedSet, Phase, Pounds, SettingKind, YearGroup};
use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

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
const HARD_KEYS: &[&str] = &[
    "id",
    "text",
    "test",
    "severity",
    "when",
    "require",
    "applies_to",
    "any_need",
];
const SCORE_KEYS: &[&str] = &[
    "id",
    "text",
    "weight",
    "measure",
    "when",
    "setting",
    "zero_at",
    "secondary",
];
const CHILD_KEYS: &[&str] = &[
    "primary_need",
    "primary_need_not",
    "any_need",
    "plan_at_least",
    "plan_below",
    "phase",
    "min_year",
    "max_year",
    "intensity_at_least",
    "total_intensity_at_least",
    "requires_features",
];
const SETTING_KEYS: &[&str] = &["kind", "kind_not", "designated_for", "features"];
const HARD_TESTS: &[&str] = &[
    "condition",
    "year-group",
    "sex",
    "features",
    "designation",
    "travel-guidance",
];
const MEASURES: &[&str] = &[
    "condition",
    "travel",
    "designation",
    "preference",
    "sibling",
    "continuity",
    "mainstream",
    "free-place",
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
        read_levels(&src, &mut top, &mut draft, &mut diags);
        read_features(&src, &mut top, &mut draft, &mut diags);
    }
    // Pass 2: everything else.
    let mut seen_in_layer: Vec<BTreeSet<String>> = vec![BTreeSet::new(); layers.len()];
    for (layer_no, path, text, doc) in &docs {
        let src = Source { path, text };
        let mut top = Fields::new(doc.get_ref(), doc.span(), "");
        top.get("level");
        top.get("feature");
        let seen = &mut seen_in_layer[*layer_no];
        for f in top.opt_table_array(&src, "hard", &mut diags) {
            if let Some(rule) = read_hard(&src, f, &draft, &mut diags) {
                check_unique(&src, &rule.id, &rule.origin, seen, &mut diags);
                draft.hard.retain(|r| r.id != rule.id);
                draft.hard.push(rule);
            }
        }
        for f in top.opt_table_array(&src, "score", &mut diags) {
            if let Some(rule) = read_score(&src, f, &draft, &mut diags) {
                check_unique(&src, &rule.id, &rule.origin, seen, &mut diags);
                draft.scores.retain(|r| r.id != rule.id);
                draft.scores.push(rule);
            }
        }
        let bands: Vec<Band> = top
            .opt_table_array(&src, "band", &mut diags)
            .into_iter()
            .filter_map(|f| read_band(&src, f, &mut diags))
            .collect();
        if !bands.is_empty() {
            draft.bands_layer.retain(|(l, _)| l == layer_no);
            for b in bands {
                draft.bands_layer.push((*layer_no, b));
            }
        }
        if let Some(f) = top.opt_table(&src, "place_funding", &mut diags) {
            draft.place =
                read_group_money(&src, f, &mut diags).map(|m| (m, origin(&src, doc.span())));
        }
        if let Some(f) = top.opt_table(&src, "travel", &mut diags) {
            draft.travel = read_travel(&src, f, &mut diags);
        }
        if let Some(f) = top.opt_table(&src, "preference", &mut diags) {
            draft.preference = read_preference(&src, f, &mut diags);
        }
        if let Some(f) = top.opt_table(&src, "mainstream_presumption", &mut diags) {
            draft.presumption = read_presumption(&src, f, &mut diags);
        }
        if let Some(f) = top.opt_table(&src, "placement", &mut diags) {
            draft.placement = read_placement(&src, f, &mut diags);
        }
        if let Some(ids) = top.opt_str_list(&src, "disable", &mut diags) {
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

fn check_unique(
    src: &Source<'_>,
    id: &str,
    origin: &Origin,
    seen: &mut BTreeSet<String>,
    diags: &mut Diagnostics,
) {
    if !seen.insert(id.to_string()) {
        let _ = origin;
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

#[derive(Default)]
struct Draft {
    levels: Vec<PlanLevel>,
    features: Vec<FeatureDef>,
    hard: Vec<HardRule>,
    scores: Vec<ScoreRule>,
    bands_layer: Vec<(usize, Band)>,
    place: Option<([Pounds; 5], Origin)>,
    travel: Option<Travel>,
    preference: Option<(String, String, bool, Option<f64>, KindSet)>,
    presumption: Option<(String, String, PresumptionMode)>,
    placement: Option<PlacementWeights>,
    disabled: Vec<(String, PathBuf, usize, Range<usize>)>,
}

impl Draft {
    fn finish(
        mut self,
        base: &Path,
        docs: &[(usize, &PathBuf, &str, toml::Spanned<toml::de::DeTable<'_>>)],
        mut diags: Diagnostics,
    ) -> Result<RuleSet, Diagnostics> {
        for (id, path, _, span) in &self.disabled {
            let known =
                self.hard.iter().any(|r| &r.id == id) || self.scores.iter().any(|r| &r.id == id);
            if !known {
                let text = docs.iter().find(|d| d.1 == path).map(|d| d.2).unwrap_or("");
                let ids: Vec<&str> = self
                    .hard
                    .iter()
                    .map(|r| r.id.as_str())
                    .chain(self.scores.iter().map(|r| r.id.as_str()))
                    .collect();
                diags.push(
                    Source { path, text }
                        .at(
                            Code::UnknownReference,
                            span.clone(),
                            "disable",
                            format!("no rule with id `{id}` to disable"),
                        )
                        .expected("the id of a hard or score rule")
                        .help(did_you_mean(id, ids)),
                );
            }
        }
        let disabled: Vec<&String> = self.disabled.iter().map(|d| &d.0).collect();
        self.hard.retain(|r| !disabled.contains(&&r.id));
        self.scores.retain(|r| !disabled.contains(&&r.id));
        let mut bands: Vec<Band> = self.bands_layer.into_iter().map(|(_, b)| b).collect();
        bands.sort_by_key(|b| (b.from, b.to));
        check_bands(&bands, &mut diags);
        let missing = |what: &str, diags: &mut Diagnostics| {
            diags.push(
                Diagnostic::file(
                    Code::MissingField,
                    base,
                    format!("no rule file defines `{what}`"),
                )
                .field(what)
                .expected(format!("a `[{what}]` section in one of the rule files")),
            )
        };
        if self.levels.is_empty() {
            missing("level", &mut diags);
        }
        if bands.is_empty() {
            missing("band", &mut diags);
        }
        let place = self.place.map(|p| p.0);
        if place.is_none() {
            missing("place_funding", &mut diags);
        }
        if self.travel.is_none() {
            missing("travel", &mut diags);
        }
        if self.preference.is_none() {
            missing("preference", &mut diags);
        }
        if self.presumption.is_none() {
            missing("mainstream_presumption", &mut diags);
        }
        if self.placement.is_none() {
            missing("placement", &mut diags);
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let (pid, ptext, full, ratio, kinds) = self.preference.unwrap();
        let (sid, stext, mode) = self.presumption.unwrap();
        self.levels
            .sort_by(|a, b| a.rank.cmp(&b.rank).then(a.id.cmp(&b.id)));
        Ok(RuleSet {
            levels: self.levels,
            features: self.features,
            travel: self.travel.unwrap(),
            hard: self.hard,
            scores: self.scores,
            funding: Funding {
                place: place.unwrap(),
                bands,
            },
            statutory: Statutory {
                preference_id: pid,
                preference_text: ptext,
                full_is_exception: full,
                cost_ratio_exception: ratio,
                preference_kinds: kinds,
                presumption_id: sid,
                presumption_text: stext,
                presumption: mode,
            },
            placement: self.placement.unwrap(),
        })
    }
}

/// Reports gaps and overlaps in the band table over total intensity 0..=16.
fn check_bands(bands: &[Band], diags: &mut Diagnostics) {
    let max_total = NeedArea::ALL.len() as u8 * crate::model::Intensity::MAX;
    let mut next = 0u16;
    for b in bands {
        let from = b.from as u16;
        if from > next {
            diags.push(
                Diagnostic::file(
                    Code::BandGap,
                    &b.origin.file,
                    format!("no band covers total intensity {next} to {}", from - 1),
                )
                .at(crate::diag::Location::Text {
                    line: b.origin.line,
                    column: 1,
                    span: 0..0,
                })
                .field(format!("band `{}`.from", b.id))
                .expected(format!("a band starting at {next}"))
                .found(b.from.to_string()),
            );
        } else if from < next {
            diags.push(
                Diagnostic::file(
                    Code::BandOverlap,
                    &b.origin.file,
                    format!(
                        "band `{}` overlaps the band before it at total intensity {} to {}",
                        b.id,
                        b.from,
                        next - 1
                    ),
                )
                .at(crate::diag::Location::Text {
                    line: b.origin.line,
                    column: 1,
                    span: 0..0,
                })
                .field(format!("band `{}`.from", b.id))
                .expected(format!("from = {next}"))
                .found(b.from.to_string()),
            );
        }
        next = next.max(b.to as u16 + 1);
    }
    if !bands.is_empty() && next <= max_total as u16 {
        let last = bands.last().unwrap();
        diags.push(
            Diagnostic::file(
                Code::BandGap,
                &last.origin.file,
                format!("no band covers total intensity {next} to {max_total}"),
            )
            .at(crate::diag::Location::Text {
                line: last.origin.line,
                column: 1,
                span: 0..0,
            })
            .field(format!("band `{}`.to", last.id))
            .expected(format!("the last band to end at {max_total}"))
            .found(last.to.to_string()),
        );
    }
}

fn read_levels(
    src: &Source<'_>,
    top: &mut Fields<'_, '_>,
    draft: &mut Draft,
    diags: &mut Diagnostics,
) {
    for mut f in top.opt_table_array(src, "level", diags) {
        let id = f.req_str(src, "id", diags);
        let rank = f.opt_int(src, "rank", 0, 255, diags);
        if rank.is_none() && f.keys().iter().all(|(k, _)| k != "rank") {
            f.missing(src, "rank", "an integer from 0 to 255", diags);
        }
        let text = f
            .opt_str(src, "text", diags)
            .map(|t| t.0)
            .unwrap_or_default();
        f.finish(src, &["id", "rank", "text"], diags);
        if let (Some((id, span)), Some(rank)) = (id, rank) {
            if draft.levels.iter().any(|l| l.id == id) {
                draft.levels.retain(|l| l.id != id);
                let _ = span;
            }
            draft.levels.push(PlanLevel {
                id,
                rank: rank as u8,
                text,
            });
        }
    }
}

fn read_features(
    src: &Source<'_>,
    top: &mut Fields<'_, '_>,
    draft: &mut Draft,
    diags: &mut Diagnostics,
) {
    for mut f in top.opt_table_array(src, "feature", diags) {
        let id = f.req_str(src, "id", diags);
        let text = f
            .opt_str(src, "text", diags)
            .map(|t| t.0)
            .unwrap_or_default();
        f.finish(src, &["id", "text"], diags);
        if let Some((id, _)) = id {
            draft.features.retain(|x| x.id != id);
            draft.features.push(FeatureDef { id, text });
        }
    }
}

fn read_hard(
    src: &Source<'_>,
    mut f: Fields<'_, '_>,
    draft: &Draft,
    diags: &mut Diagnostics,
) -> Option<HardRule> {
    let before = diags.diagnostics.len();
    let id = f.req_str(src, "id", diags);
    let text = f.req_str(src, "text", diags);
    let severity = match f.opt_str(src, "severity", diags) {
        None => Severity::Exclude,
        Some((s, span)) => match s.as_str() {
            "exclude" => Severity::Exclude,
            "flag" => Severity::Flag,
            _ => {
                diags.push(unknown_code(
                    src,
                    span,
                    &f.name("severity"),
                    &s,
                    &["exclude", "flag"],
                ));
                Severity::Exclude
            }
        },
    };
    let test_name = f.opt_str(src, "test", diags);
    let test_key = test_name
        .as_ref()
        .map(|t| t.0.as_str())
        .unwrap_or("condition");
    if let Some((t, span)) = &test_name
        && !HARD_TESTS.contains(&t.as_str())
    {
        diags.push(unknown_code(
            src,
            span.clone(),
            &f.name("test"),
            t,
            HARD_TESTS,
        ));
    }
    let test = match test_key {
        "condition" => {
            let when = match f.opt_table(src, "when", diags) {
                Some(w) => read_child_condition(src, w, draft, diags),
                None => ChildCondition::default(),
            };
            let require = match f.opt_table(src, "require", diags) {
                Some(r) => read_setting_condition(src, r, draft, diags),
                None => {
                    f.missing(src, "require", "a table of setting conditions", diags);
                    SettingCondition::default()
                }
            };
            Some(HardTest::Condition { when, require })
        }
        "year-group" => Some(HardTest::YearGroup),
        "sex" => Some(HardTest::Sex),
        "features" => Some(HardTest::Features),
        "travel-guidance" => Some(HardTest::TravelGuidance),
        "designation" => {
            let applies_to = match f.opt_str_list(src, "applies_to", diags) {
                Some(list) => kinds(src, &f.name("applies_to"), &list, diags),
                None => {
                    f.missing(src, "applies_to", "a list of setting kinds", diags);
                    KindSet::default()
                }
            };
            let any_need = f.opt_bool(src, "any_need", diags).unwrap_or(false);
            Some(HardTest::Designation {
                applies_to,
                any_need,
            })
        }
        _ => None,
    };
    let span = f_span_start(&f);
    f.finish(src, HARD_KEYS, diags);
    let (id, _) = id?;
    let (text, _) = text?;
    if diags.diagnostics.len() > before {
        return None;
    }
    Some(HardRule {
        id,
        text,
        severity,
        test: test?,
        origin: origin(src, span),
    })
}

fn f_span_start(f: &Fields<'_, '_>) -> Range<usize> {
    f.span.clone()
}

fn read_score(
    src: &Source<'_>,
    mut f: Fields<'_, '_>,
    draft: &Draft,
    diags: &mut Diagnostics,
) -> Option<ScoreRule> {
    let before = diags.diagnostics.len();
    let id = f.req_str(src, "id", diags);
    let text = f.req_str(src, "text", diags);
    let weight = f.req_num(src, "weight", -1000.0, 1000.0, diags);
    let measure_name = f.opt_str(src, "measure", diags);
    let key = measure_name
        .as_ref()
        .map(|m| m.0.as_str())
        .unwrap_or("condition");
    if let Some((m, span)) = &measure_name
        && !MEASURES.contains(&m.as_str())
    {
        diags.push(unknown_code(
            src,
            span.clone(),
            &f.name("measure"),
            m,
            MEASURES,
        ));
    }
    let measure = match key {
        "condition" => {
            let when = match f.opt_table(src, "when", diags) {
                Some(w) => read_child_condition(src, w, draft, diags),
                None => ChildCondition::default(),
            };
            let setting = match f.opt_table(src, "setting", diags) {
                Some(s) => read_setting_condition(src, s, draft, diags),
                None => {
                    f.missing(src, "setting", "a table of setting conditions", diags);
                    SettingCondition::default()
                }
            };
            Some(Measure::Condition { when, setting })
        }
        "travel" => Some(Measure::Travel {
            zero_at: f.opt_num(src, "zero_at", 0.1, 10.0, diags).unwrap_or(1.0),
        }),
        "designation" => Some(Measure::Designation {
            secondary: f.opt_num(src, "secondary", 0.0, 1.0, diags).unwrap_or(0.5),
        }),
        "preference" => Some(Measure::Preference),
        "sibling" => Some(Measure::Sibling),
        "continuity" => Some(Measure::Continuity),
        "mainstream" => Some(Measure::Mainstream),
        "free-place" => Some(Measure::FreePlace),
        _ => None,
    };
    let span = f.span.clone();
    f.finish(src, SCORE_KEYS, diags);
    let (id, _) = id?;
    let (text, _) = text?;
    if diags.diagnostics.len() > before {
        return None;
    }
    Some(ScoreRule {
        id,
        text,
        weight: weight?,
        measure: measure?,
        origin: origin(src, span),
    })
}

fn unknown_code(
    src: &Source<'_>,
    span: Range<usize>,
    field: &str,
    found: &str,
    known: &[&str],
) -> Diagnostic {
    src.at(
        Code::UnknownCode,
        span,
        field,
        format!("unknown value `{found}`"),
    )
    .not_one_of(found, known)
}

fn needs(
    src: &Source<'_>,
    field: &str,
    list: &[(String, Range<usize>)],
    diags: &mut Diagnostics,
) -> NeedSet {
    let codes: Vec<&str> = Need::ALL.iter().map(|n| n.code()).collect();
    let mut set = NeedSet::default();
    for (i, (code, span)) in list.iter().enumerate() {
        match Need::parse(code) {
            Some(n) => set.insert(n),
            None => diags.push(unknown_code(
                src,
                span.clone(),
                &format!("{field}[{i}]"),
                code,
                &codes,
            )),
        }
    }
    set
}

fn kinds(
    src: &Source<'_>,
    field: &str,
    list: &[(String, Range<usize>)],
    diags: &mut Diagnostics,
) -> KindSet {
    let keys: Vec<&str> = SettingKind::ALL.iter().map(|k| k.key()).collect();
    let mut set = KindSet::default();
    for (i, (k, span)) in list.iter().enumerate() {
        match SettingKind::parse(k) {
            Some(kind) => set.insert(kind),
            None => diags.push(unknown_code(
                src,
                span.clone(),
                &format!("{field}[{i}]"),
                k,
                &keys,
            )),
        }
    }
    set
}

fn features(
    src: &Source<'_>,
    field: &str,
    list: &[(String, Range<usize>)],
    draft: &Draft,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let known: Vec<&str> = draft.features.iter().map(|f| f.id.as_str()).collect();
    let mut out = Vec::new();
    for (i, (feat, span)) in list.iter().enumerate() {
        if known.contains(&feat.as_str()) {
            out.push(feat.clone());
        } else {
            diags.push(unknown_code(
                src,
                span.clone(),
                &format!("{field}[{i}]"),
                feat,
                &known,
            ));
        }
    }
    out.sort();
    out.dedup();
    out
}

fn level(
    src: &Source<'_>,
    field: &str,
    value: Option<(String, Range<usize>)>,
    draft: &Draft,
    diags: &mut Diagnostics,
) -> Option<u8> {
    let (id, span) = value?;
    match draft.levels.iter().find(|l| l.id == id) {
        Some(l) => Some(l.rank),
        None => {
            let known: Vec<&str> = draft.levels.iter().map(|l| l.id.as_str()).collect();
            diags.push(unknown_code(src, span, field, &id, &known));
            None
        }
    }
}

fn read_child_condition(
    src: &Source<'_>,
    mut f: Fields<'_, '_>,
    draft: &Draft,
    diags: &mut Diagnostics,
) -> ChildCondition {
    let mut c = ChildCondition::default();
    if let Some(l) = f.opt_str_list(src, "primary_need", diags) {
        c.primary_need = Some(needs(src, &f.name("primary_need"), &l, diags));
    }
    if let Some(l) = f.opt_str_list(src, "primary_need_not", diags) {
        c.primary_need_not = Some(needs(src, &f.name("primary_need_not"), &l, diags));
    }
    if let Some(l) = f.opt_str_list(src, "any_need", diags) {
        c.any_need = Some(needs(src, &f.name("any_need"), &l, diags));
    }
    let v = f.opt_str(src, "plan_at_least", diags);
    c.plan_at_least = level(src, &f.name("plan_at_least"), v, draft, diags);
    let v = f.opt_str(src, "plan_below", diags);
    c.plan_below = level(src, &f.name("plan_below"), v, draft, diags);
    if let Some(l) = f.opt_str_list(src, "phase", diags) {
        let keys: Vec<&str> = Phase::ALL.iter().map(|p| p.key()).collect();
        let mut phases = Vec::new();
        for (i, (p, span)) in l.iter().enumerate() {
            match Phase::parse(p) {
                Some(ph) => phases.push(ph),
                None => diags.push(unknown_code(
                    src,
                    span.clone(),
                    &format!("{}[{i}]", f.name("phase")),
                    p,
                    &keys,
                )),
            }
        }
        c.phase = Some(phases);
    }
    c.min_year = year_field(src, &mut f, "min_year", diags);
    c.max_year = year_field(src, &mut f, "max_year", diags);
    if let Some(mut t) = f.opt_table(src, "intensity_at_least", diags) {
        let keys: Vec<&str> = NeedArea::ALL.iter().map(|a| a.key()).collect();
        for (key, span) in t.keys() {
            match NeedArea::parse(&key) {
                Some(area) => {
                    if let Some(v) = t.opt_int(src, &key, 0, Intensity::MAX as i64, diags) {
                        c.intensity_at_least.push((area, v as u8));
                    }
                }
                None => {
                    t.get(&key);
                    diags.push(unknown_code(src, span, &t.name(&key), &key, &keys));
                }
            }
        }
        t.finish(src, &keys, diags);
    }
    let max_total = NeedArea::ALL.len() as i64 * Intensity::MAX as i64;
    c.total_intensity_at_least = f
        .opt_int(src, "total_intensity_at_least", 0, max_total, diags)
        .map(|v| v as u8);
    if let Some(l) = f.opt_str_list(src, "requires_features", diags) {
        c.requires_features = features(src, &f.name("requires_features"), &l, draft, diags);
    }
    f.finish(src, CHILD_KEYS, diags);
    c
}

use crate::model::Intensity;

fn year_field(
    src: &Source<'_>,
    f: &mut Fields<'_, '_>,
    key: &str,
    diags: &mut Diagnostics,
) -> Option<u8> {
    let v = f.get(key)?;
    let text = match v.get_ref() {
        toml::de::DeValue::String(s) => s.to_string(),
        toml::de::DeValue::Integer(i) => i.as_str().to_string(),
        other => {
            diags.push(super::toml_read::wrong_type(
                src,
                v.span(),
                &f.name(key),
                "a year group (R or 1-14)",
                other,
            ));
            return None;
        }
    };
    match YearGroup::parse(&text) {
        Some(y) => Some(y.0),
        None => {
            diags.push(
                src.at(
                    Code::InvalidValue,
                    v.span(),
                    &f.name(key),
                    "not a year group",
                )
                .expected("R or 1 to 14")
                .found(text),
            );
            None
        }
    }
}

fn read_setting_condition(
    src: &Source<'_>,
    mut f: Fields<'_, '_>,
    draft: &Draft,
    diags: &mut Diagnostics,
) -> SettingCondition {
    let mut c = SettingCondition::default();
    if let Some(l) = f.opt_str_list(src, "kind", diags) {
        c.kind = Some(kinds(src, &f.name("kind"), &l, diags));
    }
    if let Some(l) = f.opt_str_list(src, "kind_not", diags) {
        c.kind_not = Some(kinds(src, &f.name("kind_not"), &l, diags));
    }
    if let Some(l) = f.opt_str_list(src, "designated_for", diags) {
        c.designated_for = Some(needs(src, &f.name("designated_for"), &l, diags));
    }
    if let Some(l) = f.opt_str_list(src, "features", diags) {
        c.features = features(src, &f.name("features"), &l, draft, diags);
    }
    f.finish(src, SETTING_KEYS, diags);
    c
}

fn read_group_money(
    src: &Source<'_>,
    mut f: Fields<'_, '_>,
    diags: &mut Diagnostics,
) -> Option<[Pounds; 5]> {
    let mut out = [Pounds(0); 5];
    let mut ok = true;
    for (i, g) in FundingGroup::ALL.iter().enumerate() {
        let key = g.key();
        if f.keys().iter().all(|(k, _)| k != key) {
            f.missing(src, key, "an amount in whole pounds", diags);
            ok = false;
            continue;
        }
        match f.opt_int(src, key, 0, 10_000_000, diags) {
            Some(v) => out[i] = Pounds(v),
            None => ok = false,
        }
    }
    let keys: Vec<&str> = FundingGroup::ALL.iter().map(|g| g.key()).collect();
    f.finish(src, &keys, diags);
    ok.then_some(out)
}

fn read_band(src: &Source<'_>, mut f: Fields<'_, '_>, diags: &mut Diagnostics) -> Option<Band> {
    let max_total = NeedArea::ALL.len() as i64 * Intensity::MAX as i64;
    let id = f.req_str(src, "id", diags);
    let text = f
        .opt_str(src, "text", diags)
        .map(|t| t.0)
        .unwrap_or_default();
    let from = f.opt_int(src, "from", 0, max_total, diags);
    let to = f.opt_int(src, "to", 0, max_total, diags);
    for (key, v) in [("from", from), ("to", to)] {
        if v.is_none() && f.keys().iter().all(|(k, _)| k != key) {
            f.missing(
                src,
                key,
                &format!("a total intensity from 0 to {max_total}"),
                diags,
            );
        }
    }
    let topup = match f.opt_table(src, "topup", diags) {
        Some(t) => read_group_money(src, t, diags),
        None => {
            f.missing(src, "topup", "a table of top-ups per funding group", diags);
            None
        }
    };
    let span = f.span.clone();
    f.finish(src, &["id", "text", "from", "to", "topup"], diags);
    let (from, to) = (from?, to?);
    if from > to {
        diags.push(
            src.at(
                Code::InvalidValue,
                span.clone(),
                "band.to",
                "band ends before it starts",
            )
            .expected(format!("to >= {from}"))
            .found(to.to_string()),
        );
        return None;
    }
    Some(Band {
        id: id?.0,
        text,
        from: from as u8,
        to: to as u8,
        // A band with a bad top-up still takes its place in the table, so gaps and overlaps are
        // found too; the load fails on the top-up error anyway.
        topup: topup.unwrap_or_default(),
        origin: origin(src, span),
    })
}

fn read_travel(src: &Source<'_>, mut f: Fields<'_, '_>, diags: &mut Diagnostics) -> Option<Travel> {
    let road_factor = f.req_num(src, "road_factor", 1.0, 3.0, diags);
    let speed = f.req_num(src, "speed_kmh", 1.0, 200.0, diags);
    let mut guidance = [0.0; 3];
    let mut ok = true;
    match f.opt_table(src, "guidance_minutes", diags) {
        Some(mut g) => {
            for (i, p) in Phase::ALL.iter().enumerate() {
                match g.req_num(src, p.key(), 1.0, 600.0, diags) {
                    Some(v) => guidance[i] = v,
                    None => ok = false,
                }
            }
            let keys: Vec<&str> = Phase::ALL.iter().map(|p| p.key()).collect();
            g.finish(src, &keys, diags);
        }
        None => {
            f.missing(
                src,
                "guidance_minutes",
                "a table of minutes per phase",
                diags,
            );
            ok = false;
        }
    }
    let (mut under8, mut over8) = (2.0, 3.0);
    if let Some(mut w) = f.opt_table(src, "walking_miles", diags) {
        under8 = w.req_num(src, "under-8", 0.0, 20.0, diags).unwrap_or(2.0);
        over8 = w
            .req_num(src, "eight-and-over", 0.0, 20.0, diags)
            .unwrap_or(3.0);
        w.finish(src, &["under-8", "eight-and-over"], diags);
    }
    f.finish(
        src,
        &[
            "road_factor",
            "speed_kmh",
            "guidance_minutes",
            "walking_miles",
        ],
        diags,
    );
    const METRES_PER_MILE: f64 = 1609.344;
    ok.then_some(Travel {
        road_factor: road_factor?,
        speed_kmh: speed?,
        guidance_minutes: guidance,
        walking_under_8_m: under8 * METRES_PER_MILE,
        walking_8_plus_m: over8 * METRES_PER_MILE,
    })
}

#[allow(clippy::type_complexity)]
fn read_preference(
    src: &Source<'_>,
    mut f: Fields<'_, '_>,
    diags: &mut Diagnostics,
) -> Option<(String, String, bool, Option<f64>, KindSet)> {
    let id = f.req_str(src, "id", diags);
    let text = f.req_str(src, "text", diags);
    let full = f.opt_bool(src, "full_is_exception", diags).unwrap_or(true);
    let ratio = f.opt_num(src, "cost_ratio_exception", 1.0, 100.0, diags);
    let kinds = match f.opt_str_list(src, "kinds", diags) {
        Some(l) => kinds(src, &f.name("kinds"), &l, diags),
        None => {
            f.missing(src, "kinds", "the setting kinds s.39 applies to", diags);
            KindSet::default()
        }
    };
    f.finish(
        src,
        &[
            "id",
            "text",
            "full_is_exception",
            "cost_ratio_exception",
            "kinds",
        ],
        diags,
    );
    Some((id?.0, text?.0, full, ratio, kinds))
}

fn read_presumption(
    src: &Source<'_>,
    mut f: Fields<'_, '_>,
    diags: &mut Diagnostics,
) -> Option<(String, String, PresumptionMode)> {
    let id = f.req_str(src, "id", diags);
    let text = f.req_str(src, "text", diags);
    let mode = match f.opt_str(src, "mode", diags) {
        None => Some(PresumptionMode::MainstreamFirst),
        Some((m, span)) => match m.as_str() {
            "mainstream-first" => Some(PresumptionMode::MainstreamFirst),
            "score-only" => Some(PresumptionMode::ScoreOnly),
            _ => {
                diags.push(unknown_code(
                    src,
                    span,
                    &f.name("mode"),
                    &m,
                    &["mainstream-first", "score-only"],
                ));
                None
            }
        },
    };
    f.finish(src, &["id", "text", "mode"], diags);
    Some((id?.0, text?.0, mode?))
}

fn read_placement(
    src: &Source<'_>,
    mut f: Fields<'_, '_>,
    diags: &mut Diagnostics,
) -> Option<PlacementWeights> {
    let a = f.req_num(src, "per_score_point", 0.0, 1e6, diags);
    let b = f.req_num(src, "per_travel_minute", 0.0, 1e6, diags);
    let c = f.req_num(src, "per_thousand_pounds", 0.0, 1e6, diags);
    let d = f.req_num(src, "unplaced_penalty", 0.0, 1e9, diags);
    f.finish(
        src,
        &[
            "per_score_point",
            "per_travel_minute",
            "per_thousand_pounds",
            "unplaced_penalty",
        ],
        diags,
    );
    Some(PlacementWeights {
        per_score_point: a?,
        per_travel_minute: b?,
        per_thousand_pounds: c?,
        unplaced_penalty: d?,
    })
}
