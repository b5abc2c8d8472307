//! Property tests: the compiled engine against the reference interpreter, monotonicity of hard
//! rules, and determinism across input order and thread counts.

mod common;
use common::*;
use placewise::model::{NeedArea, NeedSet, Phase, SettingKind};
use placewise::testing::engine::Engine;
use placewise::testing::lists::{ListOptions, all_lists};
use placewise::testing::rules::{
    ChildCondition, CompiledRules, HardRule, HardTest, KindSet, Origin, RuleSet, SettingCondition,
    Severity, reference,
};
use proptest::prelude::*;

/// A random extra hard rule of the `condition` kind.
fn arb_condition_rule() -> impl Strategy<Value = HardRule> {
    let child = (
        proptest::option::of(any::<u16>().prop_map(|m| NeedSet(m & 0x0fff))),
        proptest::option::of(0u8..3),
        proptest::option::of(proptest::sample::select(vec![
            Phase::Primary,
            Phase::Secondary,
            Phase::Post16,
        ])),
        proptest::option::of((0usize..4, 0u8..5)),
        proptest::option::of(0u8..14),
    );
    let setting = (
        proptest::option::of(any::<u16>().prop_map(|m| KindSet(m & 0x03ff))),
        proptest::option::of(any::<u16>().prop_map(|m| NeedSet(m & 0x0fff))),
        proptest::sample::subsequence(vec!["signing", "nursing", "small-class"], 0..2),
    );
    (child, setting, any::<bool>()).prop_map(
        |((need, plan, phase, intensity, total), (kind, des, feats), flag)| HardRule {
            id: "H-EXTRA".into(),
            text: "An extra rule for testing.".into(),
            severity: if flag {
                Severity::Flag
            } else {
                Severity::Exclude
            },
            test: HardTest::Condition {
                when: ChildCondition {
                    any_need: need,
                    plan_at_least: plan,
                    phase: phase.map(|p| vec![p]),
                    intensity_at_least: intensity
                        .map(|(a, v)| vec![(NeedArea::ALL[a], v)])
                        .unwrap_or_default(),
                    total_intensity_at_least: total,
                    ..Default::default()
                },
                require: SettingCondition {
                    kind,
                    designated_for: des,
                    features: feats.into_iter().map(String::from).collect(),
                    ..Default::default()
                },
            },
            origin: Origin::default(),
        },
    )
}

fn with_rule(mut rules: RuleSet, rule: HardRule) -> RuleSet {
    rules.hard.push(rule);
    rules
}

fn eligible_pairs(rules: &CompiledRules, area: &placewise::model::Area) -> Vec<(usize, usize)> {
    let engine = Engine::new(rules, area);
    let mut out = Vec::new();
    for c in 0..area.children.len() {
        for s in 0..area.settings.len() {
            if engine.is_eligible(c, s) {
                out.push((c, s));
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn compiled_engine_agrees_with_reference(seed in any::<u64>(), extra in arb_condition_rule()) {
        let rules = CompiledRules::new(with_rule(england(), extra));
        let area = random_area(seed, 30, 40);
        let engine = Engine::new(&rules, &area);
        for c in 0..area.children.len() {
            for s in 0..area.settings.len() {
                let fast = engine.is_eligible(c, s);
                let full = engine.evaluate(c, s);
                let oracle = reference::evaluate(&rules.rules, &area, &area.children[c], &area.settings[s]);
                prop_assert_eq!(fast, oracle.eligible, "fast path vs reference for {:?}", (c, s));
                prop_assert_eq!(full.is_eligible(), oracle.eligible);
                let failed: Vec<String> = full.failed_rules().iter().map(|x| x.to_string()).collect();
                prop_assert_eq!(failed, oracle.failed.clone());
                if fast {
                    let score = engine.score(c, s);
                    prop_assert!((score - oracle.score).abs() < 1e-9, "score {} vs {}", score, oracle.score);
                    prop_assert!((full.score().unwrap() - score).abs() < 1e-9);
                }
            }
        }
    }

    #[test]
    fn adding_a_hard_rule_never_enlarges_the_eligible_set(seed in any::<u64>(), extra in arb_condition_rule()) {
        let area = random_area(seed, 25, 30);
        let before = eligible_pairs(&CompiledRules::new(england()), &area);
        let after = eligible_pairs(&CompiledRules::new(with_rule(england(), extra)), &area);
        prop_assert!(after.iter().all(|p| before.contains(p)), "a new hard rule made a pair eligible");
    }

    #[test]
    fn lists_do_not_depend_on_input_order(seed in any::<u64>(), shuffle in any::<u64>()) {
        let rules = CompiledRules::new(england());
        let area = random_area(seed, 20, 25);
        let mut shuffled = area.clone();
        let mut r = Rng(shuffle);
        for i in (1..shuffled.settings.len()).rev() {
            let j = r.below(i as u64 + 1) as usize;
            shuffled.settings.swap(i, j);
        }
        for i in (1..shuffled.children.len()).rev() {
            let j = r.below(i as u64 + 1) as usize;
            shuffled.children.swap(i, j);
        }
        shuffled.normalise();
        let a = serde_json::to_string(&all_lists(&Engine::new(&rules, &area), ListOptions::new(5).unwrap())).unwrap();
        let b = serde_json::to_string(&all_lists(&Engine::new(&rules, &shuffled), ListOptions::new(5).unwrap())).unwrap();
        prop_assert_eq!(a, b);
    }
}

#[test]
fn lists_identical_for_one_and_two_threads() {
    let rules = CompiledRules::new(england());
    let area = random_area(42, 60, 300);
    assert_same_on_one_and_two_threads(|| {
        let lists = all_lists(&Engine::new(&rules, &area), ListOptions::new(8).unwrap());
        serde_json::to_string(&lists).unwrap()
    });
}

#[test]
fn rule_file_order_does_not_change_results() {
    // Reverse the order of hard and score rules: verdicts and scores are unchanged except for
    // the order in which failures are listed.
    let rules = england();
    let mut reversed = rules.clone();
    reversed.hard.reverse();
    reversed.scores.reverse();
    let (a, b) = (CompiledRules::new(rules), CompiledRules::new(reversed));
    let area = random_area(7, 30, 60);
    let (ea, eb) = (Engine::new(&a, &area), Engine::new(&b, &area));
    for c in 0..area.children.len() {
        for s in 0..area.settings.len() {
            assert_eq!(ea.is_eligible(c, s), eb.is_eligible(c, s));
            if ea.is_eligible(c, s) {
                assert!((ea.score(c, s) - eb.score(c, s)).abs() < 1e-9);
            }
            let failed = |e: &Engine<'_>| {
                let mut ids: Vec<String> = e
                    .evaluate(c, s)
                    .failed_rules()
                    .iter()
                    .map(|x| x.to_string())
                    .collect();
                ids.sort();
                ids
            };
            assert_eq!(failed(&ea), failed(&eb));
        }
    }
}

#[test]
fn random_areas_exercise_both_verdicts() {
    // Guards the properties above against vacuity: the generator yields eligible and excluded
    // pairs, and exclusions by several different rules.
    let rules = CompiledRules::new(england());
    let area = random_area(3, 40, 80);
    let engine = Engine::new(&rules, &area);
    let pairs = eligible_pairs(&rules, &area);
    let total = area.children.len() * area.settings.len();
    assert!(
        pairs.len() > total / 50 && pairs.len() < total,
        "{} of {}",
        pairs.len(),
        total
    );
    let mut rule_ids = std::collections::BTreeSet::new();
    for c in 0..area.children.len() {
        for s in 0..area.settings.len() {
            for id in engine.evaluate(c, s).failed_rules() {
                rule_ids.insert(id.to_string());
            }
        }
    }
    assert!(rule_ids.len() >= 8, "{rule_ids:?}");
    let _ = SettingKind::Mainstream;
}
