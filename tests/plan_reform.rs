//! Reform scenarios on the demo county: the additional-learning-support tier (plans leave the
//! EHC plan count by the share that moves, in the year it starts) and the resource-base
//! programme (bases at the pools the bottleneck analysis names, fallback placements not up).

mod common;
use common::*;
use placewise::model::SettingKind;
use placewise::testing::plan::reform::{BaseProgramme, LearningSupportTier};
use placewise::testing::plan::{
    Change, Growth, PlanOptions, PlanResults, ProvisionGrowth, Scenario, load_scenarios,
};

fn wyvernshire() -> placewise::testing::io::LoadedArea {
    load_fixture("wyvernshire")
}

fn tier(from: i32, share: f64) -> Scenario {
    Scenario {
        name: format!("tier-{share}"),
        changes: vec![Change::LearningSupport(LearningSupportTier {
            from,
            share,
            max_intensity: 4,
            level: "additional-learning-support".into(),
            pounds: 4_000,
            transfer_years: Vec::new(),
        })],
        ..Scenario::baseline()
    }
}

fn plan(
    w: &placewise::testing::io::LoadedArea,
    scenarios: &[Scenario],
    years: u32,
    draws: u32,
) -> PlanResults {
    plan_with(w, scenarios, years, draws, ProvisionGrowth::default())
}

fn plan_with(
    w: &placewise::testing::io::LoadedArea,
    scenarios: &[Scenario],
    years: u32,
    draws: u32,
    provision: ProvisionGrowth,
) -> PlanResults {
    let mut options = PlanOptions::new(years, draws, 3, Growth::default());
    options.provision = provision;
    plan_all(&w.area, &w.rules.rules, 2025, scenarios, &options)
}

/// Children the tier could move in the base year: EHC plans in mainstream, intensity ≤ 4.
fn eligible_at_base(w: &placewise::testing::io::LoadedArea) -> usize {
    w.area
        .children
        .iter()
        .filter(|c| c.plan_level == "ehcp" && c.intensity.total() <= 4)
        .filter(|c| {
            c.current_setting.as_ref().is_some_and(|id| {
                w.area
                    .settings
                    .iter()
                    .any(|s| &s.id == id && s.kind == SettingKind::Mainstream)
            })
        })
        .count()
}

#[test]
fn a_full_tier_moves_every_eligible_plan_and_costs_the_stated_price() {
    let w = wyvernshire();
    let eligible = eligible_at_base(&w);
    assert!(eligible > 100, "{eligible}");
    let r = plan(&w, &[Scenario::baseline(), tier(2025, 1.0)], 1, 1);
    let (base, full) = (
        &r.scenarios[0].years[0].metrics,
        &r.scenarios[1].years[0].metrics,
    );
    assert_eq!(full["als.pupils"].p50, eligible as f64);
    assert_eq!(full["cost.als"].p50, eligible as f64 * 4_000.0);
    // They leave the EHC plan count one for one.
    assert_eq!(
        full["plans"].p50 + full["als.pupils"].p50,
        base["plans"].p50
    );
    // The tier's cost is part of the total.
    assert!(full["cost.total"].p50 >= full["cost.als"].p50);
}

#[test]
fn the_plans_fall_by_the_moved_share_in_the_year_the_tier_starts() {
    let w = wyvernshire();
    let r = plan(&w, &[Scenario::baseline(), tier(2027, 0.5)], 3, 1);
    let (base, half) = (&r.scenarios[0].years, &r.scenarios[1].years);
    // Nothing changes before it starts.
    assert_eq!(base[0].metrics, half[0].metrics);
    assert_eq!(base[1].metrics, half[1].metrics);
    let (b, h) = (&base[2].metrics, &half[2].metrics);
    assert_eq!(base[2].year, 2027);
    let moved = h["als.pupils"].p50;
    assert_eq!(h["plans"].p50 + moved, b["plans"].p50);
    // About half of the eligible plans (binomial; the base year's count as a yardstick).
    let eligible = eligible_at_base(&w) as f64;
    assert!(
        moved > 0.3 * eligible && moved < 0.7 * eligible,
        "{moved} of about {eligible}"
    );
    assert_eq!(h["als.moved"].p50, moved);
}

#[test]
fn a_tier_with_a_zero_share_is_the_baseline() {
    let w = wyvernshire();
    let r = plan(&w, &[Scenario::baseline(), tier(2026, 0.0)], 3, 2);
    assert_eq!(r.scenarios[0].years, r.scenarios[1].years);
}

#[test]
fn the_demo_reform_file_reads_both_new_scenarios() {
    let w = wyvernshire();
    let path = root().join("fixtures/wyvernshire/scenarios/reform.toml");
    let scenarios = load_scenarios(&w, &path).unwrap();
    let t = scenarios
        .iter()
        .find(|s| s.name == "learning-support-tier")
        .and_then(|s| s.learning_support())
        .unwrap();
    assert_eq!(
        (t.from, t.share, t.max_intensity, t.pounds),
        (2027, 0.5, 4, 4_000)
    );
    assert_eq!(t.level, "additional-learning-support");
    let p: Vec<&BaseProgramme> = scenarios
        .iter()
        .find(|s| s.name == "resource-base-programme")
        .unwrap()
        .base_programmes()
        .collect();
    assert_eq!(p.len(), 1);
    assert_eq!((p[0].from, p[0].bases, p[0].places), (2028, 6, 12));
}

#[test]
fn reform_changes_with_bad_fields_are_located() {
    let w = wyvernshire();
    let text = scenario_file_errors(
        "[[scenario]]\nname = \"x\"\n[[scenario.change]]\naction = \"additional-learning-support\"\nfrom = 2027\nshare = 1.5\nmax_intensity = 4\n\n[[scenario]]\nname = \"y\"\n[[scenario.change]]\naction = \"resource-bases\"\nfrom = 2027\nbases = 3\n",
        &w.area.settings,
    );
    assert_eq!(text.len(), 3, "{text:#?}");
    assert!(
        text.iter()
            .any(|t| t.contains(":6:9:") && t.contains("scenario[0].change[0].share")),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|t| t.contains("scenario[0].change[0].pounds")),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|t| t.contains("scenario[1].change[0].places")),
        "{text:#?}"
    );
}

fn programme(bases: u32) -> Scenario {
    Scenario {
        name: format!("bases-{bases}"),
        changes: vec![Change::ResourceBases(BaseProgramme {
            from: 2027,
            bases,
            places: 10,
        })],
        ..Scenario::baseline()
    }
}

#[test]
fn bases_go_where_the_bottlenecks_are_and_fallback_does_not_rise() {
    let w = wyvernshire();
    let r = plan_with(
        &w,
        &[Scenario::baseline(), programme(3)],
        6,
        2,
        ProvisionGrowth::Fixed,
    );
    let (base, with) = (&r.scenarios[0], &r.scenarios[1]);
    assert!(base.bases.is_empty());
    assert_eq!(with.bases.len(), 3, "{:#?}", with.bases);
    for b in &with.bases {
        assert_eq!((b.places, b.from), (10, 2027));
        assert!(b.places_to_add > 0 && b.year >= 2027);
        // The baseline's bottleneck analysis asked for places at that setting in that year.
        let year = base.years.iter().find(|y| y.year == b.year).unwrap();
        let key = format!("bottleneck.add.{}", b.setting);
        assert!(
            year.metrics.get(&key).is_some_and(|q| q.mean > 0.0),
            "{key} in {}",
            b.year
        );
    }
    let total = |s: &placewise::testing::plan::results::ScenarioResult| -> f64 {
        s.years.iter().map(|y| y.metrics["fallback"].mean).sum()
    };
    assert!(
        total(with) <= total(base),
        "{} > {}",
        total(with),
        total(base)
    );
    assert!(total(base) > 0.0);
}

#[test]
fn a_programme_of_no_bases_is_the_baseline() {
    let w = wyvernshire();
    let r = plan(&w, &[Scenario::baseline(), programme(0)], 3, 1);
    assert!(r.scenarios[1].bases.is_empty());
    assert_eq!(r.scenarios[0].years, r.scenarios[1].years);
}

#[test]
fn reassessment_at_phase_transfer_changes_nothing_before_2029_and_moves_transfer_years_only() {
    let w = wyvernshire();
    let path = root().join("fixtures/wyvernshire/scenarios/reform.toml");
    let scenarios = load_scenarios(&w, &path).unwrap();
    let isp = scenarios
        .iter()
        .find(|s| s.name == "isp-at-phase-transfer")
        .unwrap();
    let t = isp.learning_support().unwrap();
    assert_eq!((t.from, t.share, t.pounds), (2029, 0.25, 3_000));
    assert_eq!(t.level, "targeted-plus");
    let years: Vec<String> = t.transfer_years.iter().map(|y| y.to_string()).collect();
    assert_eq!(years, ["R", "7", "12"]);
    let r = plan(&w, &[Scenario::baseline(), isp.clone()], 5, 1);
    let (base, with) = (&r.scenarios[0].years, &r.scenarios[1].years);
    for (b, s) in base.iter().zip(with) {
        let before = s.year < 2029;
        let same = b.metrics["cost.total"].p50 == s.metrics["cost.total"].p50;
        assert_eq!(same, before, "{}: cost.total", s.year);
        let moved = s.metrics.get("als.pupils").map_or(0.0, |m| m.p50);
        assert_eq!(moved > 0.0, !before, "{}: als.pupils {moved}", s.year);
        if !before {
            assert_eq!(s.metrics["cost.als"].p50, moved * 3_000.0, "{}", s.year);
        }
    }
}
