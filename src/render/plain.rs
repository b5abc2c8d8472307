//! The words a person reads on the web pages: needs, kinds of setting, plan levels and rules
//! spelled out, never the codes and ids the files and the JSON use. Each rule carries its own
//! sentence; the codes stay in the data for the caseworker's details.

use crate::model::{Need, SettingKind};
use crate::rules::RuleSet;
use crate::{Journey, PreferenceDecision, Session};

/// A need spelled out in lower case, e.g. "autism" for `ASD`.
pub(crate) fn need(n: Need) -> &'static str {
    match n {
        Need::Spld => "specific learning difficulty",
        Need::Mld => "moderate learning difficulty",
        Need::Sld => "severe learning difficulty",
        Need::Pmld => "profound and multiple learning difficulty",
        Need::Semh => "social, emotional and mental health needs",
        Need::Slcn => "speech, language and communication needs",
        Need::Hi => "hearing impairment",
        Need::Vi => "visual impairment",
        Need::Msi => "multi-sensory impairment",
        Need::Pd => "physical disability",
        Need::Asd => "autism",
        Need::Oth => "another difficulty or disability",
        Need::Nsa => "needs not yet assessed by a specialist",
    }
}

/// A kind of setting spelled out in lower case, e.g. "SEN unit in a mainstream school".
pub(crate) fn kind(k: SettingKind) -> &'static str {
    match k {
        SettingKind::Mainstream => "mainstream school",
        SettingKind::ResourcedProvision => "resource base in a mainstream school",
        SettingKind::SenUnit => "SEN unit in a mainstream school",
        SettingKind::SpecialMaintained => "maintained special school",
        SettingKind::SpecialAcademy => "special academy",
        SettingKind::SpecialNonMaintained => "non-maintained special school",
        SettingKind::SpecialIndependent => "independent special school",
        SettingKind::IndependentMainstream => "independent mainstream school",
        SettingKind::AlternativeProvision => "alternative provision",
        SettingKind::FurtherEducation => "further education college",
    }
}

/// How a parental preference was handled, in words.
pub(crate) fn decision(d: PreferenceDecision) -> &'static str {
    match d {
        PreferenceDecision::Named => "Named",
        PreferenceDecision::Exception => "Not named: an exception applies",
        PreferenceDecision::NotS39 => "Not a school the duty to name covers",
        PreferenceDecision::NotReached => "Not needed: an earlier preference is named",
    }
}

/// "1 place free", "3 places free".
pub(crate) fn places_free(n: impl Into<u64>) -> String {
    match n.into() {
        1 => "1 place free".into(),
        n => format!("{n} places free"),
    }
}

/// A count with its noun, e.g. "1 reason", "2 reasons".
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The journey against the guidance, e.g. "80 minutes — over the 75-minute guidance".
pub(crate) fn journey(j: &Journey) -> String {
    let (m, g) = (j.minutes.round(), j.guidance_minutes.round());
    if j.exceeds_guidance() {
        format!("{m:.0} minutes — over the {g:.0}-minute guidance")
    } else {
        format!("{m:.0} minutes — within the {g:.0}-minute guidance")
    }
}

/// A sentence whose first letter is a capital.
pub(crate) fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A phrase whose first letter is lower case, to follow a colon.
pub(crate) fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A statement from the list with its rule's id taken off the front ("S39: suitable …" →
/// "Suitable …") and any "(rules: …)" note dropped.
pub(crate) fn without_rule_id(s: &str) -> String {
    let rest = match s.split_once(": ") {
        Some((head, rest))
            if !head.is_empty()
                && head
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-') =>
        {
            rest
        }
        _ => s,
    };
    let rest = match rest.find(" (rules:") {
        Some(i) => &rest[..i],
        None => rest,
    };
    capitalised(rest)
}

/// The rules' own words: each rule's sentence, each feature's and plan level's text.
pub(crate) struct Words<'s> {
    rules: &'s RuleSet,
}

impl<'s> Words<'s> {
    /// The words of the session's rules.
    pub(crate) fn of(session: &'s Session) -> Words<'s> {
        Words {
            rules: &session.rules().rules,
        }
    }

    /// The sentence of rule `id` (hard or scoring); the id itself when the rules have none.
    pub(crate) fn rule<'a>(&'a self, id: &'a str) -> &'a str {
        self.rules
            .hard
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.text.as_str())
            .or_else(|| {
                self.rules
                    .scores
                    .iter()
                    .find(|r| r.id == id)
                    .map(|r| r.text.as_str())
            })
            .unwrap_or(id)
    }

    /// The sentence of a provision feature, e.g. "Sensory room" for `sensory-room`.
    pub(crate) fn feature<'a>(&'a self, id: &'a str) -> &'a str {
        self.rules
            .features
            .iter()
            .find(|f| f.id == id)
            .map_or(id, |f| f.text.as_str())
    }

    /// A Specialist Provision Package in words, e.g. its indicative title for `spp-pmld`.
    pub(crate) fn package<'a>(&'a self, id: &'a str) -> &'a str {
        self.rules
            .packages
            .packages
            .iter()
            .find(|p| p.id == id)
            .map_or(id, |p| p.text.as_str())
    }

    /// A package component a setting lacks, as the lists spell it (`curriculum: adapted`,
    /// `specialist-staff: specialist-teacher-learning`), in words: hyphens as spaces, a
    /// feature by its own text, a capital first.
    pub(crate) fn component(&self, text: &str) -> String {
        let words = |s: &str| {
            if self.rules.features.iter().any(|f| f.id == s) {
                self.feature(s).to_lowercase()
            } else {
                s.replace('-', " ")
            }
        };
        let plain = match text.split_once(": ") {
            Some((aspect, what)) => {
                let (id, rest) = what.split_once(' ').unwrap_or((what, ""));
                let rest = if rest.is_empty() {
                    String::new()
                } else {
                    format!(" {rest}")
                };
                format!("{}: {}{rest}", aspect.replace('-', " "), words(id))
            }
            None => text.replace('`', ""),
        };
        capitalised(&plain)
    }

    /// Every feature: its id and its sentence.
    pub(crate) fn features(&self) -> impl Iterator<Item = (&str, &str)> {
        self.rules
            .features
            .iter()
            .map(|f| (f.id.as_str(), f.text.as_str()))
    }

    /// A plan level in words, e.g. "education, health and care (EHC) plan" for `ehcp`.
    pub(crate) fn level(&self, id: &str) -> String {
        match id {
            "sen-support" => "SEN support, without an EHC plan".into(),
            "ehcp" => "education, health and care (EHC) plan".into(),
            "specialist-plan" => "plan for the most complex needs".into(),
            _ => self
                .rules
                .levels
                .iter()
                .find(|l| l.id == id)
                .map_or_else(|| id.to_string(), |l| l.text.clone()),
        }
    }

    /// A fact from the engine ("needs SPLD;SLCN", "sen-unit designated for SEMH") with its
    /// codes spelled out: need codes, kinds of setting, features and plan levels.
    pub(crate) fn facts(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 16);
        let mut word = String::new();
        let flush = |word: &mut String, out: &mut String| {
            if word.is_empty() {
                return;
            }
            let plain: Option<String> = if let Some(n) =
                Need::parse(word).filter(|_| word.chars().all(|c| c.is_ascii_uppercase()))
            {
                Some(need(n).into())
            } else if let Some(k) = SettingKind::parse(word) {
                Some(kind(k).into())
            } else if self.rules.features.iter().any(|f| f.id == *word) {
                Some(self.feature(word).to_lowercase())
            } else if self.rules.levels.iter().any(|l| l.id == *word) {
                Some(self.level(word))
            } else {
                None
            };
            out.push_str(plain.as_deref().unwrap_or(word));
            word.clear();
        };
        for c in text.chars() {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                word.push(c);
            } else {
                flush(&mut word, &mut out);
                if c == ';' {
                    out.push_str(", ");
                } else {
                    out.push(c);
                }
            }
        }
        flush(&mut word, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journeys_read_against_the_guidance() {
        let j = Journey {
            straight_km: 30.0,
            road_km: 40.0,
            minutes: 80.2,
            guidance_minutes: 75.0,
            within_walking_distance: false,
        };
        assert_eq!(journey(&j), "80 minutes — over the 75-minute guidance");
        let near = Journey { minutes: 20.0, ..j };
        assert_eq!(journey(&near), "20 minutes — within the 75-minute guidance");
    }

    #[test]
    fn ids_come_off_statements_and_counts_agree() {
        assert_eq!(
            without_rule_id("S39: suitable, with a place; listed first"),
            "Suitable, with a place; listed first"
        );
        assert_eq!(
            without_rule_id("S33: ranked by score alone (rules: score-only)"),
            "Ranked by score alone"
        );
        assert_eq!(
            without_rule_id("an earlier preference is named"),
            "An earlier preference is named"
        );
        assert_eq!(places_free(1u32), "1 place free");
        assert_eq!(places_free(3u32), "3 places free");
        assert_eq!(count(2, "reason", "reasons"), "2 reasons");
    }

    #[test]
    fn facts_spell_out_codes() {
        let session = Session::open("fixtures/demo".as_ref()).unwrap();
        let w = Words::of(&session);
        assert_eq!(
            w.facts("needs SPLD;SLCN"),
            "needs specific learning difficulty, speech, language and communication needs"
        );
        assert_eq!(
            w.facts("sen-unit designated for SEMH"),
            "SEN unit in a mainstream school designated for social, emotional and mental health needs"
        );
        assert_eq!(
            w.rule("H-YEAR"),
            "The setting admits the child's year group."
        );
        assert_eq!(w.level("ehcp"), "education, health and care (EHC) plan");
    }
}
