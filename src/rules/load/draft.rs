//! The rule set being assembled from the layers: what each layer contributed, then the checks
//! when all are read (disabled ids exist, every required section is defined, the band table
//! covers every total intensity once).

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::{NeedArea, Pounds};
use crate::rules::schema::*;
use crate::rules::toml_read::Source;
use std::ops::Range;
use std::path::{Path, PathBuf};

#[derive(Default)]
pub(super) struct Draft {
    pub(super) levels: Vec<PlanLevel>,
    pub(super) features: Vec<FeatureDef>,
    pub(super) hard: Vec<HardRule>,
    pub(super) scores: Vec<ScoreRule>,
    pub(super) bands_layer: Vec<(usize, Band)>,
    pub(super) place: Option<([Pounds; 5], Origin)>,
    pub(super) travel: Option<Travel>,
    pub(super) preference: Option<(String, String, bool, Option<f64>, KindSet)>,
    pub(super) presumption: Option<(String, String, PresumptionMode)>,
    pub(super) placement: Option<PlacementWeights>,
    pub(super) disabled: Vec<(String, PathBuf, usize, Range<usize>)>,
    pub(super) packages: crate::rules::packages::PackageRules,
    /// The funding band each package names, by package id.
    pub(super) band_refs: Vec<(String, super::packages::BandReference)>,
    /// The national price bands.
    pub(super) price_bands: crate::rules::price_bands::PriceBands,
    /// The funding band each price band names, by price band id.
    pub(super) price_band_refs: Vec<(String, super::packages::BandReference)>,
}

/// The rule files read, as (layer, path, text, parsed document).
type Docs<'a, 'd> = [(
    usize,
    &'a PathBuf,
    &'a str,
    toml::Spanned<toml::de::DeTable<'d>>,
)];

impl Draft {
    pub(super) fn finish(
        mut self,
        base: &Path,
        docs: &Docs<'_, '_>,
        mut diags: Diagnostics,
    ) -> Result<RuleSet, Diagnostics> {
        self.remove_disabled(docs, &mut diags);
        let mut bands: Vec<Band> = std::mem::take(&mut self.bands_layer)
            .into_iter()
            .map(|(_, b)| b)
            .collect();
        bands.sort_by_key(|b| (b.from, b.to));
        check_bands(&bands, &mut diags);
        self.check_band_references(&bands, docs, &mut diags);
        self.check_sections(base, &bands, &mut diags);
        if !diags.is_empty() {
            return Err(diags);
        }
        let place = self.place.map(|p| p.0);
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
            packages: self.packages,
            price_bands: self.price_bands,
        })
    }

    /// Reports each disabled id that is not a hard or score rule, and drops the disabled rules.
    fn remove_disabled(&mut self, docs: &Docs<'_, '_>, diags: &mut Diagnostics) {
        for (id, path, _, span) in &self.disabled {
            let known =
                self.hard.iter().any(|r| &r.id == id) || self.scores.iter().any(|r| &r.id == id);
            if !known {
                let text = doc_text(docs, path);
                let ids = rule_ids(&self.hard, &self.scores);
                diags.push(
                    Source { path, text }
                        .unknown_reference(
                            span.clone(),
                            "disable",
                            format!("no rule with id `{id}` to disable"),
                            id,
                            &ids,
                        )
                        .expected("the id of a hard or score rule"),
                );
            }
        }
        let disabled: Vec<&String> = self.disabled.iter().map(|d| &d.0).collect();
        self.hard.retain(|r| !disabled.contains(&&r.id));
        self.scores.retain(|r| !disabled.contains(&&r.id));
    }

    /// Reports each funding band named by a package or price band that the band table lacks.
    fn check_band_references(&self, bands: &[Band], docs: &Docs<'_, '_>, diags: &mut Diagnostics) {
        let refs = self
            .band_refs
            .iter()
            .map(|(_, r)| (r, "package.funding_band"))
            .chain(
                self.price_band_refs
                    .iter()
                    .map(|(_, r)| (r, "price_band.funding_band")),
            );
        for (r, field) in refs {
            if !bands.is_empty() && !r.band.is_empty() && !bands.iter().any(|b| b.id == r.band) {
                let text = doc_text(docs, &r.path);
                let ids: Vec<&str> = bands.iter().map(|b| b.id.as_str()).collect();
                diags.push(
                    Source {
                        path: &r.path,
                        text,
                    }
                    .no_such_id(
                        r.span.clone(),
                        field,
                        "funding band",
                        &r.band,
                        &ids,
                    ),
                );
            }
        }
    }

    /// Reports each required section that no rule file defines.
    fn check_sections(&self, base: &Path, bands: &[Band], diags: &mut Diagnostics) {
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
            missing("level", diags);
        }
        if bands.is_empty() {
            missing("band", diags);
        }
        if self.place.is_none() {
            missing("place_funding", diags);
        }
        if self.travel.is_none() {
            missing("travel", diags);
        }
        if self.preference.is_none() {
            missing("preference", diags);
        }
        if self.presumption.is_none() {
            missing("mainstream_presumption", diags);
        }
        if self.placement.is_none() {
            missing("placement", diags);
        }
    }
}

/// The text of the rule file at `path`, empty when it is not among `docs`.
fn doc_text<'a>(docs: &Docs<'a, '_>, path: &Path) -> &'a str {
    docs.iter()
        .find(|d| d.1.as_path() == path)
        .map(|d| d.2)
        .unwrap_or("")
}

/// Reports gaps and overlaps in the band table over total intensity 0..=16.
pub(super) fn check_bands(bands: &[Band], diags: &mut Diagnostics) {
    let max_total = NeedArea::ALL.len() as u8 * crate::model::Intensity::MAX;
    let mut next = 0u16;
    for b in bands {
        let from = b.from as u16;
        if from > next {
            let message = format!("no band covers total intensity {next} to {}", from - 1);
            diags.push(
                at_band(b, Code::BandGap, message, "from")
                    .expected(format!("a band starting at {next}"))
                    .found(b.from.to_string()),
            );
        } else if from < next {
            let message = format!(
                "band `{}` overlaps the band before it at total intensity {} to {}",
                b.id,
                b.from,
                next - 1
            );
            diags.push(
                at_band(b, Code::BandOverlap, message, "from")
                    .expected(format!("from = {next}"))
                    .found(b.from.to_string()),
            );
        }
        next = next.max(b.to as u16 + 1);
    }
    if !bands.is_empty() && next <= max_total as u16 {
        let last = bands.last().unwrap();
        let message = format!("no band covers total intensity {next} to {max_total}");
        diags.push(
            at_band(last, Code::BandGap, message, "to")
                .expected(format!("the last band to end at {max_total}"))
                .found(last.to.to_string()),
        );
    }
}

/// A diagnostic on the line of band `b`, naming its field `field`.
fn at_band(b: &Band, code: Code, message: String, field: &str) -> Diagnostic {
    Diagnostic::file(code, &b.origin.file, message)
        .at(crate::diag::Location::Text {
            line: b.origin.line,
            column: 1,
            span: 0..0,
        })
        .field(format!("band `{}`.{field}", b.id))
}
