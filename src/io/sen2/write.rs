//! Writing children as an SEN2 person-level XML message: one `Person` per child with an EHC
//! plan, with an active plan (its placement and needs by rank) and a named plan (its
//! preferences as the settings named, by rank). Nothing that identifies a child is written:
//! the person id is the area's (pseudonymous) child id, the date of birth is the 15th of
//! January of the child's school cohort (it gives the year group back, nothing more), and no
//! name, UPN, ULN or postcode is written.

use crate::model::{NeedProfile, Setting, SettingKind, Sex};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The header of a written message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// Academic year of the placements (September); the reference date is in January of it.
    pub academic_year: i32,
    /// The authority's three-digit code (empty when unknown).
    pub lea: String,
}

/// Why a child could not be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Skipped {
    /// SEN support without a plan: not in the SEN2 return.
    NoPlan,
}

/// Escapes text for an XML element.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn item(out: &mut String, indent: usize, name: &str, value: &str) {
    let _ = writeln!(
        out,
        "{:indent$}<{name}>{}</{name}>",
        "",
        escape(value),
        indent = indent
    );
}

/// The URN and base indicators of a setting: a base is its host's URN with the indicator.
fn urn_of(
    id: &str,
    settings: &BTreeMap<&str, &Setting>,
) -> Result<(String, Option<&'static str>), String> {
    let s = settings
        .get(id)
        .ok_or_else(|| format!("setting `{id}` is not in the area"))?;
    let (urn, indicator) = match (s.kind, &s.host) {
        (SettingKind::ResourcedProvision, Some(h)) => {
            (h.0.as_str(), Some("ResourcedProvisionIndicator"))
        }
        (SettingKind::SenUnit, Some(h)) => (h.0.as_str(), Some("SENUnitIndicator")),
        _ => (s.id.0.as_str(), None),
    };
    if urn.is_empty() || !urn.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "setting `{}` has no URN (its id is not a number), so SEN2 cannot name it",
            s.id
        ));
    }
    Ok((urn.to_string(), indicator))
}

fn setting_items(
    out: &mut String,
    indent: usize,
    id: &str,
    rank: usize,
    settings: &BTreeMap<&str, &Setting>,
) -> Result<(), String> {
    let (urn, indicator) = urn_of(id, settings)?;
    item(out, indent, "URN", &urn);
    item(out, indent, "PlacementRank", &rank.to_string());
    if let Some(ind) = indicator {
        item(out, indent, ind, "1");
    }
    Ok(())
}

/// The message for `children` (in id order); children without a plan are skipped and
/// returned. An error names a setting that SEN2 cannot name.
pub fn write_message(
    header: &Header,
    children: &[NeedProfile],
    settings: &[Setting],
) -> Result<(String, Vec<(String, Skipped)>), String> {
    let by_id: BTreeMap<&str, &Setting> = settings.iter().map(|s| (s.id.0.as_str(), s)).collect();
    let y = header.academic_year;
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n  <Header>\n    <CollectionDetails>\n");
    item(&mut out, 6, "Collection", "SEN2");
    item(&mut out, 6, "Year", &y.to_string());
    item(&mut out, 6, "ReferenceDate", &format!("{y}-01-16"));
    out.push_str("    </CollectionDetails>\n    <Source>\n");
    item(&mut out, 6, "SourceLevel", "L");
    if !header.lea.is_empty() {
        item(&mut out, 6, "LEA", &header.lea);
    }
    item(&mut out, 6, "SoftwareCode", "placewise");
    out.push_str("    </Source>\n  </Header>\n  <Persons>\n");
    let mut skipped = Vec::new();
    let mut sorted: Vec<&NeedProfile> = children.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    for c in sorted {
        if c.plan_level == "sen-support" {
            skipped.push((c.id.0.clone(), Skipped::NoPlan));
            continue;
        }
        out.push_str("    <Person>\n");
        item(&mut out, 6, "PersonTableID", &c.id.0);
        // Cohort C: born September C-1 to August C; reception in September C+4.
        let cohort = y - i32::from(c.year.0) - 4;
        item(&mut out, 6, "PersonBirthDate", &format!("{cohort}-01-15"));
        item(
            &mut out,
            6,
            "Sex",
            match c.sex {
                Sex::Female => "F",
                Sex::Male => "M",
            },
        );
        out.push_str("      <Requests>\n        <Assessment>\n          <NamedPlan>\n");
        for (i, p) in c.preferences.iter().enumerate() {
            out.push_str("            <PlanDetail>\n");
            setting_items(&mut out, 14, &p.0, i + 1, &by_id)?;
            out.push_str("            </PlanDetail>\n");
        }
        out.push_str("          </NamedPlan>\n        </Assessment>\n        <ActivePlans>\n");
        if c.needs_place {
            item(&mut out, 10, "PhaseTransferDueDate", &format!("{y}-09-01"));
        }
        match (&c.current_setting, c.arrangement) {
            (Some(s), _) => {
                out.push_str("          <PlacementDetail>\n");
                setting_items(&mut out, 12, &s.0, 1, &by_id)?;
                out.push_str("          </PlacementDetail>\n");
            }
            (None, Some(a)) => {
                out.push_str("          <PlacementDetail>\n");
                item(&mut out, 12, "SENsetting", a.code());
                item(&mut out, 12, "PlacementRank", "1");
                out.push_str("          </PlacementDetail>\n");
            }
            (None, None) => {}
        }
        let needs = std::iter::once(c.primary_need)
            .chain(c.secondary_needs.iter().filter(|n| *n != c.primary_need));
        for (rank, n) in needs.enumerate() {
            if n == crate::model::Need::Nsa {
                continue;
            }
            out.push_str("          <SENneed>\n");
            item(&mut out, 12, "SENtype", n.code());
            item(&mut out, 12, "SENtypeRank", &(rank + 1).to_string());
            out.push_str("          </SENneed>\n");
        }
        out.push_str("        </ActivePlans>\n      </Requests>\n    </Person>\n");
    }
    out.push_str("  </Persons>\n</Message>\n");
    Ok((out, skipped))
}
