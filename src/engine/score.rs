//! Scores of many settings for one child, rule by rule: each score rule's measure is worked out
//! once per child (which test, which of the child's facts) and then applied to every setting in a
//! tight loop. Every setting's total is the same sum, in the same rule order, as
//! [`Engine::score`] gives, so the two agree to the last bit (see the tests below and the
//! property tests).

use super::Engine;
use crate::rules::Measure;

impl Engine<'_> {
    /// Sets the second field of each `(setting, _)` of `settings` to the score of child `c` at
    /// that setting ([`Engine::score`]). `settings` must be in ascending setting order.
    pub fn score_each(&self, c: usize, settings: &mut [(usize, f64)]) {
        self.score_each_by(c, settings, |_, s| self.journey(c, s).minutes);
    }

    /// [`Engine::score_each`] with the journeys already worked out: `minutes[k]` is the minutes
    /// of [`Engine::journey`] from child `c` to the setting of `settings[k]`.
    pub fn score_each_with_minutes(
        &self,
        c: usize,
        settings: &mut [(usize, f64)],
        minutes: &[f64],
    ) {
        debug_assert_eq!(settings.len(), minutes.len());
        self.score_each_by(c, settings, |k, _| minutes[k]);
    }

    /// [`Engine::score_each`], asking `minutes(k, s)` for the journey to setting `s`, entry `k`
    /// of `settings`.
    fn score_each_by(
        &self,
        c: usize,
        settings: &mut [(usize, f64)],
        minutes: impl Fn(usize, usize) -> f64,
    ) {
        let scores = &self.rules.rules.scores;
        if scores.len() > 64 {
            for x in settings.iter_mut() {
                x.1 = self.score(c, x.0);
            }
            return;
        }
        let child = &self.children[c];
        for x in settings.iter_mut() {
            x.1 = 0.0;
        }
        // Only the rules that can add points for this child, in rule order (as `score`).
        let mut live = child.score_live;
        while live != 0 {
            let i = live.trailing_zeros() as usize;
            live &= live - 1;
            let rule = &scores[i];
            let w = rule.weight;
            match &rule.measure {
                Measure::Condition { .. } => {
                    let bit = self.rules.score_bit[i];
                    match child.score_when_word {
                        Some(a) => {
                            for x in settings.iter_mut() {
                                let b = self.settings[x.0].score_holds_word.unwrap_or(0);
                                x.1 += w * ((a & b) >> bit & 1) as f64;
                            }
                        }
                        None => {
                            let when = child.score_when.contains(bit);
                            for x in settings.iter_mut() {
                                let holds = when && self.settings[x.0].score_holds.contains(bit);
                                x.1 += w * f64::from(holds);
                            }
                        }
                    }
                }
                Measure::Travel { zero_at } => {
                    let zero = zero_at * child.guidance_minutes;
                    for (k, x) in settings.iter_mut().enumerate() {
                        let minutes = minutes(k, x.0);
                        x.1 += w * (1.0 - minutes / zero).max(0.0);
                    }
                }
                Measure::Designation { secondary } => {
                    for x in settings.iter_mut() {
                        let d = self.settings[x.0].designations;
                        let value = if d.contains(child.primary) {
                            1.0
                        } else if child.needs.intersects(d) {
                            *secondary
                        } else {
                            0.0
                        };
                        x.1 += w * value;
                    }
                }
                // The three rules below add points only at a few settings; everywhere else they
                // add `w × 0`, which leaves a total unchanged (weights are finite and a total
                // is never -0), so only those settings are visited.
                Measure::Preference => {
                    for (r, &p) in child.preferences.iter().enumerate() {
                        // A setting named twice counts at its first rank, as in `score`.
                        if child.preferences[..r].contains(&p) {
                            continue;
                        }
                        if let Some(x) = find(settings, p) {
                            x.1 += w * (1.0 / (r as f64 + 1.0));
                        }
                    }
                }
                Measure::Continuity => {
                    if let Some(x) = child.current.and_then(|p| find(settings, p)) {
                        x.1 += w;
                    }
                }
                Measure::Sibling => {
                    for x in settings.iter_mut() {
                        let s = x.0 as u32;
                        let host = self.settings[x.0].host;
                        let value = child.siblings.contains(&s)
                            || host.is_some_and(|h| child.siblings.contains(&h));
                        x.1 += w * f64::from(value);
                    }
                }
                Measure::Mainstream => {
                    for x in settings.iter_mut() {
                        x.1 += w * f64::from(self.settings[x.0].kind.is_mainstream());
                    }
                }
                Measure::FreePlace => {
                    let year = child.year.0.min(15);
                    for x in settings.iter_mut() {
                        let free = self.settings[x.0].free_years >> year & 1 == 1;
                        x.1 += w * f64::from(free);
                    }
                }
            }
        }
    }
}

/// The entry of setting `s` in `settings` (ascending setting order), if there.
fn find(settings: &mut [(usize, f64)], s: u32) -> Option<&mut (usize, f64)> {
    let s = s as usize;
    settings
        .binary_search_by_key(&s, |x| x.0)
        .ok()
        .map(|i| &mut settings[i])
}

#[cfg(test)]
mod tests {
    use crate::engine::Engine;

    #[test]
    fn scores_each_setting_as_score_does() {
        let (rules, area) = crate::engine::tests::shipped_rules_and_random_area(3, 80, 300);
        let engine = Engine::new(&rules, &area);
        for c in 0..area.children.len() {
            let mut all: Vec<(usize, f64)> = (0..area.settings.len()).map(|s| (s, -1.0)).collect();
            engine.score_each(c, &mut all);
            for &(s, score) in &all {
                assert_eq!(
                    score.to_bits(),
                    engine.score(c, s).to_bits(),
                    "child {c}, setting {s}"
                );
            }
        }
    }
}
