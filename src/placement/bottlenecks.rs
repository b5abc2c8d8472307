//! Where to add places: the binding sets of a placement ([`crate::solve::bottleneck`]) in the
//! area's terms — the unplaced children by need, phase and locality, the full pools they
//! compete for, and the fewest places to add, at which settings, to place them all.

use super::round::Round;
use crate::engine::Engine;
use crate::model::SettingKind;
use crate::solve::bottleneck::find_bottlenecks;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A place pool in a binding set or named for more places.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolRef {
    /// Setting id.
    pub setting: String,
    /// Setting name.
    pub setting_name: String,
    /// Kind of setting.
    pub kind: SettingKind,
    /// Pool id.
    pub pool: String,
    /// Places free in the pool at the start of the round (all taken after it), or, in
    /// [`Bottleneck::places_to_add`], the free places to add (for a pool on roll beyond its
    /// capacity, on top of bringing it back to capacity).
    pub places: u32,
}

/// One binding set: children who cannot all be placed, and the full pools that are all they
/// can use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bottleneck {
    /// The unplaced children of the set (pseudonymous ids, ascending).
    pub unplaced_children: Vec<String>,
    /// The unplaced children by primary need, phase and home locality.
    pub by_need: BTreeMap<String, usize>,
    /// The unplaced children by phase.
    pub by_phase: BTreeMap<String, usize>,
    /// The unplaced children by home locality.
    pub by_locality: BTreeMap<String, usize>,
    /// Children of the round, placed or not, competing for the set's pools.
    pub competing_children: usize,
    /// The set's pools: every suitable pool of its children; all full after the round.
    pub pools: Vec<PoolRef>,
    /// The fewest places to add to place every unplaced child of the set (one each, in the
    /// child's best-ranked suitable pool), by setting and pool.
    pub places_to_add: Vec<PoolRef>,
    /// Sum of `places_to_add`: the number of unplaced children of the set.
    pub places_needed: u32,
}

/// Why the round's unplaced children are unplaced.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bottlenecks {
    /// Binding sets, the largest shortfall first (ties: lowest child id).
    pub sets: Vec<Bottleneck>,
    /// Unplaced children with no suitable pool for their year group: new provision, not more
    /// places at an existing pool, would place them.
    pub without_suitable_pool: Vec<String>,
    /// Unplaced children a free place could be found for by moving others; the solver judged
    /// that dearer than leaving them unplaced (or, in stable mode, stability forbade it).
    pub placeable_by_moving: Vec<String>,
    /// Places to add over all sets.
    pub places_needed: u32,
}

/// For an unplaced child of a binding set: the set's number in [`Bottlenecks::sets`]
/// (1-based) and the setting where one more place would place the child.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct PlaceFor {
    pub(super) set: usize,
    pub(super) setting: String,
}

/// The bottlenecks of `pool_of_child` on `round`, and for each child of the round in a
/// binding set, where a place would place it.
pub(super) fn bottlenecks(
    engine: &Engine<'_>,
    round: &Round,
    pool_of_child: &[Option<u32>],
) -> (Bottlenecks, Vec<Option<PlaceFor>>) {
    let found = find_bottlenecks(&round.problem, pool_of_child);
    let child_id = |i: u32| {
        engine.area.children[round.children[i as usize]]
            .id
            .0
            .clone()
    };
    let pool_ref = |pool: u32, places: u32| {
        let (s, p) = round.pools[pool as usize];
        let setting = &engine.area.settings[s];
        PoolRef {
            setting: setting.id.0.clone(),
            setting_name: setting.name.clone(),
            kind: setting.kind,
            pool: setting.pools[p].id.0.clone(),
            places,
        }
    };
    let mut sets: Vec<(Bottleneck, &crate::solve::bottleneck::BindingSet)> = found
        .sets
        .iter()
        .map(|set| {
            let mut by_need = BTreeMap::new();
            let mut by_phase = BTreeMap::new();
            let mut by_locality = BTreeMap::new();
            for &i in &set.unplaced {
                let child = &engine.area.children[round.children[i as usize]];
                *by_need.entry(child.primary_need.to_string()).or_insert(0) += 1;
                *by_phase
                    .entry(child.year.phase().key().to_string())
                    .or_insert(0) += 1;
                let locality = if child.locality.is_empty() {
                    "(none)".to_string()
                } else {
                    child.locality.clone()
                };
                *by_locality.entry(locality).or_insert(0) += 1;
            }
            let mut unplaced_children: Vec<String> =
                set.unplaced.iter().map(|&i| child_id(i)).collect();
            unplaced_children.sort();
            let mut pools: Vec<PoolRef> = set
                .pools
                .iter()
                .map(|&q| pool_ref(q, round.problem.pools[q as usize].free))
                .collect();
            pools.sort_by(|a, b| (&a.setting, &a.pool).cmp(&(&b.setting, &b.pool)));
            let mut places_to_add: Vec<PoolRef> = set
                .places_to_add
                .iter()
                .map(|&(q, n)| pool_ref(q, n))
                .collect();
            places_to_add.sort_by(|a, b| {
                b.places
                    .cmp(&a.places)
                    .then_with(|| (&a.setting, &a.pool).cmp(&(&b.setting, &b.pool)))
            });
            let bottleneck = Bottleneck {
                places_needed: set.unplaced.len() as u32,
                unplaced_children,
                by_need,
                by_phase,
                by_locality,
                competing_children: set.children.len(),
                pools,
                places_to_add,
            };
            (bottleneck, set)
        })
        .collect();
    sets.sort_by(|(a, _), (b, _)| {
        b.places_needed
            .cmp(&a.places_needed)
            .then_with(|| a.unplaced_children[0].cmp(&b.unplaced_children[0]))
    });
    let mut place_for = vec![None; round.children.len()];
    for (number, (_, set)) in sets.iter().enumerate() {
        for (&i, &pool) in set.unplaced.iter().zip(&set.place_for) {
            place_for[i as usize] = Some(PlaceFor {
                set: number + 1,
                setting: engine.area.settings[round.pools[pool as usize].0]
                    .id
                    .0
                    .clone(),
            });
        }
    }
    let sets: Vec<Bottleneck> = sets.into_iter().map(|(b, _)| b).collect();
    let ids = |list: &[u32]| {
        let mut v: Vec<String> = list.iter().map(|&i| child_id(i)).collect();
        v.sort();
        v
    };
    let report = Bottlenecks {
        places_needed: sets.iter().map(|s| s.places_needed).sum(),
        sets,
        without_suitable_pool: ids(&found.without_candidates),
        placeable_by_moving: ids(&found.placeable_by_moving),
    };
    (report, place_for)
}
