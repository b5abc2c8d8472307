//! Where places bind: the sets of children a placement cannot all place, the pools that are
//! all full for them, and the fewest places to add to place them.
//!
//! Take a placement (one pool or none per child) and its residual network: a child may move
//! into any candidate pool it is not placed in (child → pool), and a placed child may be moved
//! out of its pool (pool → child). An unplaced child could be placed, by moving others along,
//! exactly when this network leads from it to a pool with a free place. When it does not, the
//! children `X` it reaches and the pools `N(X)` it reaches form a Hall violator: every
//! candidate pool of a child in `X` is in `N(X)`, every pool in `N(X)` is full, and all its
//! places go to children of `X`, so `|X|` exceeds the places of `N(X)` by exactly the number
//! of unplaced children in `X`. Overlapping violators are merged (a union of violators is
//! one); the result is a [`BindingSet`]: no move among existing places can help its children,
//! and adding places anywhere outside its pools cannot either.
//!
//! Each added place places at most one child, so a set with `d` unplaced children needs at
//! least `d` more places; `d` suffice: one more place in each unplaced child's own cheapest
//! candidate pool (all in `N(X)`). [`BindingSet::places_to_add`] lists them. Re-solving a
//! round whose unplaced penalty outweighs any chain of moves then leaves exactly `d` fewer
//! children unplaced for each set.
//!
//! The residual network is walked in place (with petgraph's traversal and union-find over an
//! implicit graph), so the analysis needs memory in proportion to the children and pools, not
//! to the candidate pairs.

use super::problem::PlacementProblem;
use fixedbitset::FixedBitSet;
use petgraph::unionfind::UnionFind;
use petgraph::visit::{Bfs, GraphBase, IntoNeighbors, Visitable, Walker};
use std::collections::BTreeMap;

/// A set of children who compete for the same full pools, some of whom are left unplaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BindingSet {
    /// The unplaced children of the set (problem child indices, ascending).
    pub unplaced: Vec<u32>,
    /// For each unplaced child (aligned with `unplaced`), the pool where one more place
    /// places it: its cheapest candidate pool (ties: lower pool index).
    pub place_for: Vec<u32>,
    /// All children of the set, placed or not (ascending): those whose places could be
    /// reshuffled to make room, and the unplaced.
    pub children: Vec<u32>,
    /// The pools of the set (ascending): every candidate pool of its children; all full.
    pub pools: Vec<u32>,
    /// The fewest places to add to place every unplaced child of the set, as (pool, places),
    /// by pool: one in each unplaced child's cheapest candidate pool (ties: lower pool index).
    /// The places add up to `unplaced.len()`.
    pub places_to_add: Vec<(u32, u32)>,
}

/// Why each unplaced child of a placement is unplaced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bottlenecks {
    /// Binding sets, ordered by their lowest unplaced child.
    pub sets: Vec<BindingSet>,
    /// Unplaced children with no candidate pool: no place at an existing pool can help them.
    pub without_candidates: Vec<u32>,
    /// Unplaced children for whom a free place can be reached by moving others: the solver
    /// judged the moves (or the place) dearer than leaving them unplaced.
    pub placeable_by_moving: Vec<u32>,
}

impl Bottlenecks {
    /// The places the binding sets need in all, which is how many of their children more a
    /// re-solve with those places added will place.
    #[cfg(any(test, feature = "testing"))]
    pub fn places_needed(&self) -> u32 {
        self.sets
            .iter()
            .flat_map(|s| &s.places_to_add)
            .map(|&(_, n)| n)
            .sum()
    }
}

/// Finds the binding sets of `pool_of_child` (one entry per child of `problem`, a feasible
/// placement such as the solver's), see the module documentation.
///
/// # Panics
/// If `pool_of_child` is not one entry per child or names a pool outside the problem.
///
/// # Example
/// ```
/// use placewise::testing::solve::bottleneck::find_bottlenecks;
/// use placewise::testing::solve::problem::{Candidate, Demand, PlacementProblem, Pool};
/// let pool = |free| Pool { free, setting: 0, locality: 0, mainstream: false };
/// let child = Demand { unplaced_cost: 1000, sibling_group: None };
/// let pair = |child, pool, cost| Candidate { child, pool, cost, pounds: 0 };
/// // Three children, one pool of two places that all of them can use.
/// let problem = PlacementProblem {
///     children: vec![child.clone(), child.clone(), child],
///     pools: vec![pool(2)],
///     candidates: vec![pair(0, 0, 1), pair(1, 0, 1), pair(2, 0, 1)],
///     ..Default::default()
/// };
/// let b = find_bottlenecks(&problem, &[Some(0), Some(0), None]);
/// assert_eq!(b.sets.len(), 1);
/// assert_eq!(b.sets[0].children, vec![0, 1, 2]);
/// assert_eq!(b.sets[0].places_to_add, vec![(0, 1)]);
/// ```
pub fn find_bottlenecks(problem: &PlacementProblem, pool_of_child: &[Option<u32>]) -> Bottlenecks {
    let residual = Residual::new(problem, pool_of_child);
    let mut result = Bottlenecks::default();
    let mut capacity_bound = Vec::new();
    let mut open_components = Vec::new();
    let unplaced: Vec<u32> = (0..problem.children.len() as u32)
        .filter(|&c| pool_of_child[c as usize].is_none())
        .collect();
    for &c in &unplaced {
        if residual.candidates(c as usize).is_empty() {
            result.without_candidates.push(c);
        } else {
            capacity_bound.push(c);
        }
    }
    // Merged reach of all the unplaced; a component that reaches a free place needs each of
    // its unplaced children looked at alone (rare: the solver places whom it can).
    let components = residual.components(&capacity_bound);
    for (_, nodes) in &components {
        if nodes.iter().any(|&v| residual.has_room(v)) {
            open_components.extend(nodes.iter().copied().filter(|&v| v < residual.children));
        }
    }
    if !open_components.is_empty() {
        let open: std::collections::BTreeSet<usize> = open_components
            .iter()
            .copied()
            .filter(|&v| pool_of_child[v].is_none())
            .collect();
        capacity_bound.retain(|&c| {
            if !open.contains(&(c as usize)) {
                return true;
            }
            let reaches_room = Bfs::new(&residual, c as usize)
                .iter(&residual)
                .any(|v| residual.has_room(v));
            if reaches_room {
                result.placeable_by_moving.push(c);
            }
            !reaches_room
        });
    }
    let components = residual.components(&capacity_bound);
    for (_, nodes) in components {
        let mut set = BindingSet {
            unplaced: Vec::new(),
            place_for: Vec::new(),
            children: Vec::new(),
            pools: Vec::new(),
            places_to_add: Vec::new(),
        };
        let mut add: BTreeMap<u32, u32> = BTreeMap::new();
        for v in nodes {
            if v < residual.children {
                set.children.push(v as u32);
                if pool_of_child[v].is_none() {
                    let pool = residual.cheapest_pool(v);
                    set.unplaced.push(v as u32);
                    set.place_for.push(pool);
                    *add.entry(pool).or_insert(0) += 1;
                }
            } else {
                set.pools.push((v - residual.children) as u32);
            }
        }
        set.places_to_add = add.into_iter().collect();
        result.sets.push(set);
    }
    result.sets.sort_by_key(|s| s.unplaced[0]);
    result
}

/// The residual network of a placement as an implicit graph: nodes `0..children` are the
/// children, `children + p` is pool `p`.
struct Residual<'a> {
    problem: &'a PlacementProblem,
    pool_of_child: &'a [Option<u32>],
    /// Candidate range of each child (candidates are sorted by child).
    first: Vec<usize>,
    /// The children placed in each pool, as compressed rows.
    occupant_start: Vec<u32>,
    occupants: Vec<u32>,
    /// Free places left in each pool.
    room: Vec<u32>,
    children: usize,
}

impl<'a> Residual<'a> {
    fn new(problem: &'a PlacementProblem, pool_of_child: &'a [Option<u32>]) -> Self {
        let children = problem.children.len();
        let pools = problem.pools.len();
        assert_eq!(pool_of_child.len(), children, "one entry per child");
        let ranges = problem.candidate_ranges();
        let mut first: Vec<usize> = ranges.iter().map(|r| r.start).collect();
        first.push(problem.candidates.len());
        let mut occupant_start = vec![0u32; pools + 1];
        let mut room: Vec<u32> = problem.pools.iter().map(|p| p.free).collect();
        for &p in pool_of_child.iter().flatten() {
            occupant_start[p as usize + 1] += 1;
            room[p as usize] = room[p as usize].saturating_sub(1);
        }
        for p in 0..pools {
            occupant_start[p + 1] += occupant_start[p];
        }
        let mut fill = occupant_start.clone();
        let mut occupants = vec![0u32; occupant_start[pools] as usize];
        for (c, p) in pool_of_child.iter().enumerate() {
            if let Some(p) = p {
                occupants[fill[*p as usize] as usize] = c as u32;
                fill[*p as usize] += 1;
            }
        }
        Residual {
            problem,
            pool_of_child,
            first,
            occupant_start,
            occupants,
            room,
            children,
        }
    }

    fn candidates(&self, child: usize) -> &'a [super::problem::Candidate] {
        &self.problem.candidates[self.first[child]..self.first[child + 1]]
    }

    fn has_room(&self, v: usize) -> bool {
        v >= self.children && self.room[v - self.children] > 0
    }

    /// The child's cheapest candidate pool (ties: lower pool index).
    fn cheapest_pool(&self, child: usize) -> u32 {
        self.candidates(child)
            .iter()
            .min_by_key(|c| (c.cost, c.pool))
            .map(|c| c.pool)
            .expect("a child of a binding set has a candidate")
    }

    /// The weakly connected components of the part reachable from `starts` (one traversal
    /// from all of them), each as (lowest node, nodes ascending).
    /// (An arc out of a reached node ends at a reached node, so these components are exactly
    /// the overlapping reach sets of the starts, merged.)
    fn components(&self, starts: &[u32]) -> Vec<(usize, Vec<usize>)> {
        let mut order = Vec::new();
        if let Some((&head, rest)) = starts.split_first() {
            let mut bfs = Bfs::new(self, head as usize);
            for &c in rest {
                if !bfs.discovered.put(c as usize) {
                    bfs.stack.push_back(c as usize);
                }
            }
            while let Some(v) = bfs.next(self) {
                order.push(v);
            }
        }
        let mut groups: UnionFind<usize> = UnionFind::new(self.children + self.room.len());
        for &v in &order {
            for w in self.neighbors(v) {
                groups.union(v, w);
            }
        }
        let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        order.sort_unstable();
        for v in order {
            by_root.entry(groups.find_mut(v)).or_default().push(v);
        }
        let mut components: Vec<(usize, Vec<usize>)> = by_root
            .into_values()
            .map(|nodes| (nodes[0], nodes))
            .collect();
        components.sort_by_key(|c| c.0);
        components
    }
}

impl GraphBase for Residual<'_> {
    type NodeId = usize;
    type EdgeId = (usize, usize);
}

impl Visitable for Residual<'_> {
    type Map = FixedBitSet;

    fn visit_map(&self) -> FixedBitSet {
        FixedBitSet::with_capacity(self.children + self.room.len())
    }

    fn reset_map(&self, map: &mut FixedBitSet) {
        map.clear();
        map.grow(self.children + self.room.len());
    }
}

impl<'a> IntoNeighbors for &'a Residual<'a> {
    type Neighbors = Box<dyn Iterator<Item = usize> + 'a>;

    /// From a child: its candidate pools other than its own. From a pool: its children.
    fn neighbors(self, v: usize) -> Self::Neighbors {
        if v < self.children {
            let own = self.pool_of_child[v];
            let children = self.children;
            Box::new(
                self.candidates(v)
                    .iter()
                    .filter(move |c| Some(c.pool) != own)
                    .map(move |c| children + c.pool as usize),
            )
        } else {
            let p = v - self.children;
            let rows = self.occupant_start[p] as usize..self.occupant_start[p + 1] as usize;
            Box::new(self.occupants[rows].iter().map(|&c| c as usize))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::assign::solve_assignment;
    use super::super::problem::from_costs;
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn two_separate_shortages_and_a_child_with_no_candidate() {
        // Pool 0 (1 place) is wanted by children 0, 1, 2; pool 1 (1 place) by 3 and 4;
        // pool 2 has room but only child 5 wants it; child 6 has no candidate.
        let p = from_costs(
            &[
                &[Some(1), None, None],
                &[Some(2), None, None],
                &[Some(3), None, None],
                &[None, Some(1), None],
                &[None, Some(1), None],
                &[None, None, Some(1)],
                &[None, None, None],
            ],
            &[1, 1, 5],
            10_000,
        );
        let a = solve_assignment(&p).unwrap();
        let b = find_bottlenecks(&p, &a.pool_of_child);
        assert_eq!(b.without_candidates, vec![6]);
        assert!(b.placeable_by_moving.is_empty());
        assert_eq!(b.sets.len(), 2);
        assert_eq!(b.sets[0].children, vec![0, 1, 2]);
        assert_eq!(b.sets[0].unplaced, vec![1, 2]);
        assert_eq!(b.sets[0].pools, vec![0]);
        assert_eq!(b.sets[0].places_to_add, vec![(0, 2)]);
        assert_eq!(b.sets[1].children, vec![3, 4]);
        assert_eq!(b.sets[1].places_to_add, vec![(1, 1)]);
        assert_eq!(b.places_needed(), 3);
    }

    #[test]
    fn a_chain_of_moves_joins_children_into_one_set() {
        // Child 0 can use pools 0 and 1; child 1 only pool 1; child 2 only pool 0. One place
        // each: one child stays unplaced, and all three compete for both pools.
        let p = from_costs(
            &[&[Some(1), Some(2)], &[None, Some(1)], &[Some(1), None]],
            &[1, 1],
            10_000,
        );
        let a = solve_assignment(&p).unwrap();
        let b = find_bottlenecks(&p, &a.pool_of_child);
        assert_eq!(b.sets.len(), 1);
        assert_eq!(b.sets[0].children, vec![0, 1, 2]);
        assert_eq!(b.sets[0].pools, vec![0, 1]);
        assert_eq!(b.places_needed(), 1);
    }

    #[test]
    fn a_free_place_reached_by_moving_is_not_a_bottleneck() {
        // Child 1 is unplaced though moving child 0 to pool 1 would make room.
        let p = from_costs(&[&[Some(1), Some(2)], &[Some(1), None]], &[1, 1], 10_000);
        let b = find_bottlenecks(&p, &[Some(0), None]);
        assert!(b.sets.is_empty());
        assert_eq!(b.placeable_by_moving, vec![1]);
    }

    fn arb_problem() -> impl Strategy<Value = PlacementProblem> {
        (1usize..=12, 1usize..=4).prop_flat_map(|(children, pools)| {
            (
                prop::collection::vec(prop::option::weighted(0.5, 0i64..=20), children * pools),
                prop::collection::vec(0u32..=3, pools),
            )
                .prop_map(move |(costs, free)| {
                    let rows: Vec<Vec<Option<i64>>> =
                        costs.chunks(pools).map(<[_]>::to_vec).collect();
                    let rows: Vec<&[Option<i64>]> = rows.iter().map(Vec::as_slice).collect();
                    from_costs(&rows, &free, 10_000)
                })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// Adding the places the binding sets ask for and re-solving places exactly that many
        /// more children; and adding one fewer place to a set places fewer.
        #[test]
        fn adding_the_places_places_exactly_that_many_more(p in arb_problem()) {
            let before = solve_assignment(&p).unwrap();
            let b = find_bottlenecks(&p, &before.pool_of_child);
            // Penalty 10,000 outweighs any chain of moves at costs up to 20: the solver
            // places everyone it can.
            prop_assert!(b.placeable_by_moving.is_empty());
            let unplaced = |a: &crate::solve::problem::Assignment| {
                a.pool_of_child.iter().filter(|x| x.is_none()).count()
            };
            let accounted = b.sets.iter().map(|s| s.unplaced.len()).sum::<usize>()
                + b.without_candidates.len();
            prop_assert_eq!(accounted, unplaced(&before));
            let mut more = p.clone();
            for set in &b.sets {
                prop_assert!(set.pools.iter().all(|&q| {
                    let used = before.pool_of_child.iter().filter(|x| **x == Some(q)).count();
                    used as u32 == p.pools[q as usize].free
                }), "every pool of a binding set is full");
                for &(q, n) in &set.places_to_add {
                    more.pools[q as usize].free += n;
                }
            }
            let after = solve_assignment(&more).unwrap();
            prop_assert_eq!(
                unplaced(&before) - unplaced(&after),
                b.places_needed() as usize
            );
            if let Some(set) = b.sets.first() {
                let mut fewer = more.clone();
                fewer.pools[set.places_to_add[0].0 as usize].free -= 1;
                let short = solve_assignment(&fewer).unwrap();
                prop_assert_eq!(unplaced(&short), unplaced(&after) + 1);
            }
        }
    }
}
