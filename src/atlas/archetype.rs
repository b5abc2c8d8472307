//! Archetype need profiles: typical children, read from a TOML file, that the atlas places in
//! every local authority. Every error is located (file, line, column, field).

use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean, text_location};
use crate::model::{Intensity, Need, NeedArea, NeedSet, Sex, YearGroup};
use crate::rules::RuleSet;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;

/// The archetypes shipped with the tool (`rules/archetypes/england.toml`).
pub const SHIPPED: &str = include_str!("../../rules/archetypes/england.toml");

/// One typical child.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Archetype {
    /// Short id, e.g. `asd-y7`.
    pub id: String,
    /// A title in words.
    pub title: String,
    /// Year group.
    pub year: YearGroup,
    /// Sex.
    pub sex: Sex,
    /// Primary need.
    pub primary_need: Need,
    /// Secondary needs.
    pub secondary_needs: NeedSet,
    /// Intensity of need by area.
    pub intensity: Intensity,
    /// Features the child needs a setting to have.
    pub features: Vec<String>,
    /// Plan level (e.g. `ehcp`).
    pub plan_level: String,
    /// True when the child's needs call for specialist provision (a special school, a SEN
    /// unit or a resourced provision base): the atlas then measures specialist access; else
    /// choice and the resourced-provision offer (mainstream suits the child).
    pub specialist: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    archetype: Vec<RawArchetype>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArchetype {
    id: Spanned<String>,
    title: String,
    year: Spanned<String>,
    sex: Spanned<String>,
    primary_need: Spanned<String>,
    #[serde(default)]
    secondary_needs: Vec<Spanned<String>>,
    #[serde(default)]
    intensity: BTreeMap<Spanned<String>, Spanned<u8>>,
    #[serde(default)]
    features: Vec<Spanned<String>>,
    plan_level: Option<Spanned<String>>,
    calls_for: Option<Spanned<String>>,
}

/// Reads archetypes from `text` (the contents of `file`), checking needs, features and plan
/// levels against `rules`.
pub fn parse_archetypes(
    text: &str,
    file: &Path,
    rules: &RuleSet,
) -> Result<Vec<Archetype>, Diagnostics> {
    let mut diags = Diagnostics::default();
    let raw: RawFile = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            diags.push(
                Diagnostic::file(Code::TomlSyntax, file, e.message().to_string())
                    .at(text_location(text, span))
                    .expected("[[archetype]] tables with id, title, year, sex, primary_need"),
            );
            return Err(diags);
        }
    };
    let err = |code: Code, span: std::ops::Range<usize>, field: &str, msg: String| {
        Diagnostic::file(code, file, msg)
            .at(text_location(text, span))
            .field(field)
    };
    let need = |s: &Spanned<String>, field: &str, diags: &mut Diagnostics| -> Option<Need> {
        let n = Need::parse(s.get_ref());
        if n.is_none() {
            diags.push(
                err(
                    Code::UnknownCode,
                    s.span(),
                    field,
                    format!("unknown need `{}`", s.get_ref()),
                )
                .expected("a census need code (ASD, SLCN, SEMH, MLD, SLD, PMLD, SPLD, HI, VI, MSI, PD, OTH, NSA)")
                .found(s.get_ref().clone()),
            );
        }
        n
    };
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for a in raw.archetype {
        if !seen.insert(a.id.get_ref().clone()) {
            diags.push(err(
                Code::DuplicateId,
                a.id.span(),
                "id",
                format!("archetype `{}` is defined twice", a.id.get_ref()),
            ));
        }
        let year = YearGroup::parse(a.year.get_ref());
        if year.is_none() {
            diags.push(
                err(
                    Code::InvalidValue,
                    a.year.span(),
                    "year",
                    "not a year group".into(),
                )
                .expected("R or 1 to 14")
                .found(a.year.get_ref().clone()),
            );
        }
        let sex = Sex::parse(a.sex.get_ref());
        if sex.is_none() {
            diags.push(
                err(Code::InvalidValue, a.sex.span(), "sex", "not a sex".into())
                    .expected("female or male")
                    .found(a.sex.get_ref().clone()),
            );
        }
        let primary = need(&a.primary_need, "primary_need", &mut diags);
        let mut secondary = NeedSet::default();
        for s in &a.secondary_needs {
            if let Some(n) = need(s, "secondary_needs", &mut diags) {
                secondary.insert(n);
            }
        }
        let intensity = read_intensity(&a.intensity, text, file, &mut diags);
        let features = read_features(&a.features, rules, text, file, &mut diags);
        let plan_level = read_plan_level(a.plan_level.as_ref(), rules, text, file, &mut diags);
        let specialist = calls_for(a.calls_for.as_ref(), text, file, &mut diags);
        if let (Some(year), Some(sex), Some(primary_need)) = (year, sex, primary) {
            out.push(Archetype {
                id: a.id.into_inner(),
                title: a.title,
                year,
                sex,
                primary_need,
                secondary_needs: secondary,
                intensity,
                features,
                plan_level,
                specialist,
            });
        }
    }
    if out.is_empty() && diags.is_empty() {
        diags.push(
            Diagnostic::file(Code::MissingField, file, "no archetypes in the file")
                .expected("at least one [[archetype]] table"),
        );
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        diags.sort();
        Err(diags)
    }
}

/// The intensity per broad area of need (0 to 4); bad entries are located errors.
fn read_intensity(
    raw: &BTreeMap<Spanned<String>, Spanned<u8>>,
    text: &str,
    file: &Path,
    diags: &mut Diagnostics,
) -> Intensity {
    let err = |code: Code, span: std::ops::Range<usize>, msg: String| {
        Diagnostic::file(code, file, msg)
            .at(text_location(text, span))
            .field("intensity")
    };
    let mut intensity = Intensity::default();
    for (k, v) in raw {
        match NeedArea::parse(k.get_ref()) {
            Some(area) if *v.get_ref() <= 4 => intensity.0[area as usize] = *v.get_ref(),
            Some(_) => diags.push(
                err(
                    Code::InvalidValue,
                    v.span(),
                    "intensity out of range".into(),
                )
                .expected("0 to 4")
                .found(v.get_ref().to_string()),
            ),
            None => diags.push(
                err(
                    Code::UnknownCode,
                    k.span(),
                    format!("unknown broad area of need `{}`", k.get_ref()),
                )
                .expected("communication-interaction, cognition-learning, semh or sensory-physical")
                .help(did_you_mean(
                    k.get_ref(),
                    NeedArea::ALL.iter().map(|a| a.key()),
                )),
            ),
        }
    }
    intensity
}

/// The provision features, sorted; one the rules do not define is a located error.
fn read_features(
    raw: &[Spanned<String>],
    rules: &RuleSet,
    text: &str,
    file: &Path,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut features = Vec::new();
    for f in raw {
        if rules.features.iter().any(|x| &x.id == f.get_ref()) {
            features.push(f.get_ref().clone());
        } else {
            diags.push(
                Diagnostic::file(
                    Code::UnknownCode,
                    file,
                    format!("unknown provision feature `{}`", f.get_ref()),
                )
                .at(text_location(text, f.span()))
                .field("features")
                .expected("a feature from the rules' features.toml")
                .help(did_you_mean(
                    f.get_ref(),
                    rules.features.iter().map(|x| x.id.as_str()),
                )),
            );
        }
    }
    features.sort();
    features
}

/// The plan level (`ehcp` when absent); one the rules do not define is a located error.
fn read_plan_level(
    raw: Option<&Spanned<String>>,
    rules: &RuleSet,
    text: &str,
    file: &Path,
    diags: &mut Diagnostics,
) -> String {
    match raw {
        Some(p) if rules.level_rank(p.get_ref()).is_none() => {
            diags.push(
                Diagnostic::file(
                    Code::UnknownCode,
                    file,
                    format!("unknown plan level `{}`", p.get_ref()),
                )
                .at(text_location(text, p.span()))
                .field("plan_level")
                .expected("a level from the rules' levels.toml"),
            );
            String::new()
        }
        Some(p) => p.get_ref().clone(),
        None => "ehcp".to_string(),
    }
}

/// Whether `calls_for` (`specialist` or `mainstream`, default `mainstream`) asks for specialist
/// provision; an unknown value is a located error.
fn calls_for(
    value: Option<&Spanned<String>>,
    text: &str,
    file: &Path,
    diags: &mut Diagnostics,
) -> bool {
    match value.map(|c| (c, c.get_ref().as_str())) {
        None | Some((_, "mainstream")) => false,
        Some((_, "specialist")) => true,
        Some((c, other)) => {
            diags.push(
                Diagnostic::file(
                    Code::InvalidValue,
                    file,
                    format!("unknown kind of provision `{other}`"),
                )
                .at(text_location(text, c.span()))
                .field("calls_for")
                .expected("specialist or mainstream")
                .found(other.to_string()),
            );
            false
        }
    }
}

/// Reads archetypes from `path`, or the shipped ones when `None`.
pub fn read_archetypes(
    path: Option<&Path>,
    rules: &RuleSet,
) -> Result<Vec<Archetype>, Diagnostics> {
    match path {
        None => parse_archetypes(SHIPPED, Path::new("rules/archetypes/england.toml"), rules),
        Some(p) => match std::fs::read_to_string(p) {
            Ok(text) => parse_archetypes(&text, p, rules),
            Err(e) => {
                let mut d = Diagnostics::default();
                d.push(Diagnostic::file(Code::Io, p, format!("cannot read: {e}")));
                Err(d)
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> RuleSet {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/england");
        crate::rules::load_rule_dirs(&[dir.as_path()]).unwrap()
    }

    #[test]
    fn the_shipped_archetypes_cover_the_main_needs_and_every_phase() {
        let a = read_archetypes(None, &rules()).unwrap();
        assert!(a.len() >= 10, "{}", a.len());
        for need in ["ASD", "SEMH", "SLCN", "MLD", "PMLD", "HI"] {
            assert!(a.iter().any(|x| x.primary_need.code() == need), "{need}");
        }
        for phase in crate::model::Phase::ALL {
            assert!(a.iter().any(|x| x.year.phase() == phase), "{phase:?}");
        }
        let pmld = a.iter().find(|x| x.id == "y9-pmld-nursing").unwrap();
        assert_eq!(pmld.features, ["nursing"]);
    }

    #[test]
    fn errors_name_the_line_field_and_what_was_expected() {
        let text = "[[archetype]]\nid = \"a\"\ntitle = \"A\"\nyear = \"15\"\nsex = \"male\"\nprimary_need = \"AUT\"\nfeatures = [\"sigining\"]\nintensity = { semh = 7 }\n";
        let d = parse_archetypes(text, Path::new("a.toml"), &rules()).unwrap_err();
        let all: Vec<String> = d
            .diagnostics
            .iter()
            .map(|d| format!("{} {} {:?} {:?}", d.place(), d.field, d.expected, d.help))
            .collect();
        // Each error: its place (file:line:) and a word of what it says.
        let wanted = [
            ("a.toml:4:", "year"),
            ("a.toml:6:", "primary_need"),
            ("a.toml:7:", "signing"),
            ("a.toml:8:", "0 to 4"),
        ];
        assert_eq!(d.diagnostics.len(), wanted.len(), "{all:#?}");
        for (line, (place, word)) in all.iter().zip(wanted) {
            assert!(line.starts_with(place) && line.contains(word), "{all:#?}");
        }
        let d =
            parse_archetypes("[[archetype]]\nid = 1\n", Path::new("b.toml"), &rules()).unwrap_err();
        assert!(
            d.diagnostics[0].place().starts_with("b.toml:2:"),
            "{}",
            d.diagnostics[0]
        );
    }
}
