//! Compact lists against full explanations, streaming against collected lists, and the
//! `list --all` output paths of the binary.

mod common;
use common::*;
use placewise::model::{NeedSet, SettingKind};
use placewise::testing::engine::Engine;
use placewise::testing::explain::Verdict;
use placewise::testing::lists::{
    ListOptions, ListQuery, TailoredList, all_lists_within, build_list, explain_exclusion,
    for_each_list,
};
use placewise::testing::rules::{
    ChildCondition, CompiledRules, HardRule, HardTest, KindSet, Origin, RuleSet, SettingCondition,
    Severity, reference,
};
use proptest::prelude::*;

/// The shipped rules plus an excluding condition rule on a need set and a setting kind set;
/// with `wide`, 60 more copies of it, so that the rules no longer fit the engine's one-word
/// form and the general path is tested too.
fn rules_with(need: u16, kinds: u16, wide: bool) -> RuleSet {
    let mut rules = england();
    let extra = HardRule {
        id: "H-EXTRA".into(),
        text: "An extra rule for testing.".into(),
        severity: Severity::Exclude,
        test: HardTest::Condition {
            when: ChildCondition {
                any_need: Some(NeedSet(need & 0x0fff)),
                ..Default::default()
            },
            require: SettingCondition {
                kind: Some(KindSet(kinds & 0x03ff)),
                ..Default::default()
            },
        },
        origin: Origin::default(),
    };
    let copies = if wide { 61 } else { 1 };
    for i in 0..copies {
        let mut rule = extra.clone();
        if i > 0 {
            rule.id = format!("H-EXTRA-{i}");
        }
        rules.hard.push(rule);
    }
    rules
}

fn json(lists: &[TailoredList]) -> String {
    serde_json::to_string(lists).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// The compact list gives, for every excluded setting, exactly the rules the full
    /// explanation (and the reference interpreter) gives; every setting considered is
    /// accounted for once; the parents' preferences and the current setting keep their facts.
    #[test]
    fn compact_and_full_explanations_agree(
        seed in any::<u64>(),
        need in any::<u16>(),
        kinds in any::<u16>(),
        reach in proptest::option::of(10.0f64..90.0),
        wide in any::<bool>(),
    ) {
        let rules = CompiledRules::new(rules_with(need, kinds, wide));
        let area = placewise::testkit::random_area(seed, 40, 30);
        let engine = Engine::new(&rules, &area);
        let mut excluded_seen = 0;
        for c in 0..area.children.len() {
            let query = ListQuery { options: ListOptions::new(4).unwrap(), reach_minutes: reach, explain_excluded: false, regime: Default::default() };
            let compact = build_list(&engine, c, &query);
            let full = build_list(&engine, c, &ListQuery { explain_excluded: true, ..query });
            // Explaining more changes nothing else.
            prop_assert_eq!(&compact.entries, &full.entries);
            prop_assert_eq!(&compact.omitted, &full.omitted);
            prop_assert_eq!(&compact.excluded, &full.excluded);
            prop_assert_eq!(full.explained.len(), full.excluded.len());
            let considered = engine.settings_considered(c, reach, true);
            prop_assert_eq!(
                compact.entries.len() + compact.omitted.len() + compact.excluded.len(),
                considered.len()
            );
            prop_assert_eq!(compact.beyond_reach, area.settings.len() - considered.len());
            // Listed and ranked-lower settings hold the ranks 1..=n once each, in list order,
            // and a listed setting carries exactly the full verdict's contributions and flags.
            let mut ranks: Vec<usize> = compact.entries.iter().map(|e| e.rank)
                .chain(compact.omitted.iter().map(|o| o.rank)).collect();
            let lower: Vec<usize> = compact.omitted.iter().map(|o| o.rank).collect();
            prop_assert!(lower.windows(2).all(|w| w[0] < w[1]));
            ranks.sort_unstable();
            prop_assert_eq!(ranks, (1..=compact.entries.len() + compact.omitted.len()).collect::<Vec<_>>());
            for e in &compact.entries {
                let s = area.setting_index(&e.setting).unwrap();
                match engine.evaluate(c, s) {
                    Verdict::Eligible { contributions, flags, score } => {
                        let nonzero: Vec<_> = contributions.into_iter().filter(|r| r.points != 0.0).collect();
                        prop_assert_eq!(&e.reasons, &nonzero);
                        prop_assert_eq!(&e.flags, &flags);
                        prop_assert_eq!(e.score, placewise::testing::lists::round2(score));
                    }
                    Verdict::Excluded { .. } => prop_assert!(false, "listed {} is excluded", e.setting),
                }
            }
            let mut kept = compact.explained.iter();
            for (x, e) in compact.excluded.iter().zip(&full.explained) {
                excluded_seen += 1;
                let s = x.setting_index;
                let ids: Vec<&str> = x.rules().collect();
                let full_ids: Vec<&str> = e.rules.iter().map(|r| r.rule.as_str()).collect();
                prop_assert_eq!(&ids, &full_ids, "child {} setting {}", c, x.setting);
                let oracle = reference::evaluate(&rules.rules, &area, &area.children[c], &area.settings[s]);
                prop_assert!(!oracle.eligible);
                prop_assert_eq!(ids.iter().map(|s| s.to_string()).collect::<Vec<_>>(), oracle.failed);
                prop_assert_eq!(Some(e.clone()), explain_exclusion(&engine, c, s));
                let child = &engine.children[c];
                let must_keep = child.preferences.contains(&(s as u32))
                    || child.current == Some(s as u32);
                if must_keep {
                    prop_assert_eq!(kept.next(), Some(e), "reasons kept for {}", x.setting);
                }
            }
            prop_assert!(kept.next().is_none(), "only preferences and the current setting keep facts");
        }
        prop_assert!(excluded_seen > 0);
    }
}

#[test]
fn independent_settings_are_in_the_random_areas() {
    // Guards the property above: the generator yields independent settings, preferences and
    // current settings.
    let area = placewise::testkit::random_area(3, 40, 30);
    assert!(
        area.settings
            .iter()
            .any(|s| s.kind == SettingKind::SpecialIndependent)
    );
    assert!(area.children.iter().any(|c| !c.preferences.is_empty()));
    assert!(area.children.iter().any(|c| c.current_setting.is_some()));
}

/// Streaming gives the lists `all_lists` collects, in child-id order, across chunk boundaries,
/// for one thread and two.
#[test]
fn streamed_lists_match_collected_lists_for_any_thread_count() {
    let rules = CompiledRules::new(england());
    let area = placewise::testkit::random_area(5, 25, 1300);
    let engine = Engine::new(&rules, &area);
    let options = ListOptions::new(3).unwrap();
    let collected = json(&all_lists_within(&engine, options, Some(60.0)));
    let query = ListQuery {
        options,
        reach_minutes: Some(60.0),
        explain_excluded: false,
        regime: Default::default(),
    };
    let stream = |threads: usize| {
        with_threads(threads, || {
            let mut lists = Vec::new();
            for_each_list(
                &engine,
                &query,
                |l| l,
                |l| {
                    lists.push(l);
                    Ok::<(), ()>(())
                },
            )
            .unwrap();
            lists
        })
    };
    let one = stream(1);
    assert!(one.windows(2).all(|w| w[0].child < w[1].child));
    assert_eq!(json(&one), collected);
    assert_eq!(json(&stream(2)), collected);
}

#[test]
fn jsonl_has_one_list_per_line_and_json_one_document() {
    let base = ["list", "--area", "fixtures/demo", "--all", "--format"];
    let jsonl = run(&[&base[..], &["jsonl"]].concat(), &[]);
    assert!(jsonl.status.success(), "{}", stderr(&jsonl));
    let lines: Vec<serde_json::Value> = stdout(&jsonl)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is a list"))
        .collect();
    assert_eq!(lines.len(), 20);
    let doc = run(&[&base[..], &["json"]].concat(), &[]);
    let v: serde_json::Value = serde_json::from_slice(&doc.stdout).expect("one JSON document");
    assert_eq!(v.as_array().unwrap(), &lines);
    // Compact exclusions: setting and rule ids; the facts only where kept.
    let c3 = &lines[2];
    assert_eq!(c3["child"], "C0003");
    for x in c3["excluded"].as_array().unwrap() {
        assert_eq!(x.as_object().unwrap().len(), 2, "{x}");
    }
    assert!(
        c3["explained"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["rules"][0]["child"].is_string())
    );
}

#[test]
fn jsonl_is_identical_for_one_and_two_threads() {
    let args = [
        "list",
        "--area",
        "fixtures/wyvernshire",
        "--all",
        "--format",
        "jsonl",
        "--explain-excluded",
    ];
    let one = run(&args, &[("RAYON_NUM_THREADS", "1")]);
    let two = run(&args, &[("RAYON_NUM_THREADS", "2")]);
    assert!(one.status.success(), "{}", stderr(&one));
    assert_eq!(one.stdout, two.stdout);
    assert_eq!(stdout(&one).lines().count(), 2455);
}

#[test]
fn out_is_written_whole_or_not_at_all() {
    let (dir, text) = demo_lists_written("lists.csv", "csv");
    assert!(text.starts_with("child,status,rank,"), "{text}");
    assert_eq!(
        text.lines()
            .filter(|l| l.contains(",ranked-lower,"))
            .count(),
        3
    );
    assert!(text.lines().count() > 1 + 20 * 2, "{text}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // A folder that does not exist: an error naming the file, and nothing written.
    let missing = dir.path().join("no/such/folder/lists.csv");
    let o = run_on("list", DEMO, &["--all", "--out", missing.to_str().unwrap()]);
    let err = failed(&o, 2);
    assert!(err.contains("lists.csv"), "{err}");
    assert!(!missing.exists());
}
