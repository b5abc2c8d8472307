//! Minimum-cost flow by the primal network simplex method.
//!
//! [`FlowNetwork`] holds nodes with supplies and arcs with capacities and costs (lower bounds are
//! always zero). [`FlowNetwork::solve`] runs a primal network simplex: it starts from a strongly
//! feasible spanning tree made of artificial arcs to an extra root node, picks entering arcs by
//! block search (blocks of about `sqrt(arcs)` arcs, the most violating arc of the first block
//! that has one), chooses the leaving arc by the strongly-feasible rule (so degenerate pivots
//! cannot cycle), and keeps the tree in parent, preorder-thread and subtree-size arrays.
//! [`FlowNetwork::solve_from`] starts instead from a given feasible flow (say, a greedy one),
//! which on large assignment-like networks saves most of the pivots.
//!
//! [`FlowNetwork::solve_by_cost_scaling`] is a second, internal method (Goldberg's cost-scaling
//! push-relabel, exact through costs multiplied by `n + 1`, with the same certificate), kept
//! for comparison: on the placement rounds measured so far it is slower than the simplex.
//!
//! The answer carries node potentials that prove optimality: [`verify`] checks flow
//! conservation, bounds and complementary slackness, and so certifies any solution independently
//! of how it was found.
//!
//! Everything is integral (`i64` costs, capacities and flows; the total cost is `i128`) and
//! deterministic: the same network always yields the same flow.

use std::fmt;

mod certificate;
mod pivot;
mod pricing;
#[cfg(any(test, feature = "testing"))]
mod scaling;
mod simplex;
mod warm;

pub use certificate::verify;
use simplex::Simplex;

/// Largest accepted absolute arc cost. Keeps every potential and reduced cost inside `i64`.
pub const MAX_COST: i64 = 1 << 40;

/// Tree arc; never chosen to enter.
const STATE_TREE: i8 = 0;
/// Non-tree arc with zero flow; enters when its reduced cost is negative.
const STATE_LOWER: i8 = 1;
/// Non-tree arc at capacity; enters when its reduced cost is positive.
const STATE_UPPER: i8 = -1;

/// The tree arc of a node points from the node up to its parent.
const DIR_UP: i8 = 1;
/// The tree arc of a node points from its parent down to the node.
const DIR_DOWN: i8 = -1;

/// How far the root's potential may drift before all potentials are shifted back.
const POTENTIAL_DRIFT_LIMIT: u64 = 1 << 60;

/// Marks "no node" in `u32` node arrays.
const NONE: u32 = u32::MAX;

/// A flow network: nodes `0..node_count()` with supplies, and directed arcs, numbered in the
/// order they were added, each with a capacity (lower bound zero) and a cost per unit of flow.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlowNetwork {
    supply: Vec<i64>,
    from: Vec<u32>,
    to: Vec<u32>,
    capacity: Vec<i64>,
    cost: Vec<i64>,
}

/// An optimal flow with the node potentials that prove it optimal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowSolution {
    /// Flow on each arc, indexed like the arcs of the network.
    pub flow: Vec<i64>,
    /// Potential of each node. Every arc's reduced cost `cost + potential[from] - potential[to]`
    /// is `>= 0` when the arc has spare capacity and `<= 0` when it carries flow, which proves
    /// the flow optimal (linear-programming complementary slackness).
    pub potential: Vec<i64>,
    /// Total cost: the sum of `flow * cost` over all arcs.
    pub cost: i128,
}

/// Why a network could not be solved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FlowError {
    /// The supplies do not add up to zero; `total` is their sum (saturated to `i64`).
    Unbalanced {
        /// Sum of all node supplies.
        total: i64,
    },
    /// No flow satisfies every supply within the arc capacities.
    Infeasible,
    /// An arc cannot be used as given.
    InvalidArc {
        /// Index of the offending arc.
        arc: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
}

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlowError::Unbalanced { total } => {
                write!(f, "supplies do not balance: they add up to {total}, not 0")
            }
            FlowError::Infeasible => {
                write!(f, "no flow meets every supply within the arc capacities")
            }
            FlowError::InvalidArc { arc, reason } => write!(f, "arc {arc} is invalid: {reason}"),
        }
    }
}

impl std::error::Error for FlowError {}

impl FlowNetwork {
    /// An empty network with `nodes` nodes, all of supply zero, and no arcs.
    ///
    /// # Panics
    /// If `nodes >= u32::MAX`.
    #[cfg(any(test, feature = "testing"))]
    pub fn new(nodes: usize) -> Self {
        Self::with_capacity(nodes, 0)
    }

    /// Like [`FlowNetwork::new`], with room reserved for `arcs` arcs.
    ///
    /// # Panics
    /// If `nodes >= u32::MAX`.
    #[cfg(any(test, feature = "testing"))]
    pub fn with_capacity(nodes: usize, arcs: usize) -> Self {
        assert!(
            nodes < NONE as usize,
            "a flow network has fewer than 2^32 - 1 nodes"
        );
        FlowNetwork {
            supply: vec![0; nodes],
            from: Vec::with_capacity(arcs),
            to: Vec::with_capacity(arcs),
            capacity: Vec::with_capacity(arcs),
            cost: Vec::with_capacity(arcs),
        }
    }

    /// Empties the network into `nodes` nodes of supply zero and no arcs, with room for
    /// `arcs` arcs, keeping its allocations.
    ///
    /// # Panics
    /// If `nodes >= u32::MAX`.
    pub(crate) fn reset(&mut self, nodes: usize, arcs: usize) {
        assert!(
            nodes < NONE as usize,
            "a flow network has fewer than 2^32 - 1 nodes"
        );
        self.supply.clear();
        self.supply.resize(nodes, 0);
        self.from.clear();
        self.from.reserve(arcs);
        self.to.clear();
        self.to.reserve(arcs);
        self.capacity.clear();
        self.capacity.reserve(arcs);
        self.cost.clear();
        self.cost.reserve(arcs);
    }

    /// Sets the supply of `node`: positive for a source of that many units, negative for a sink.
    /// The supplies of all nodes must add up to zero for [`FlowNetwork::solve`] to succeed.
    ///
    /// # Panics
    /// If `node >= node_count()`.
    pub fn set_supply(&mut self, node: usize, supply: i64) {
        self.supply[node] = supply;
    }

    /// The supply of `node` (zero unless set).
    ///
    /// # Panics
    /// If `node >= node_count()`.
    #[cfg(any(test, feature = "testing"))]
    pub fn supply(&self, node: usize) -> i64 {
        self.supply[node]
    }

    /// Adds an arc `from -> to` that carries between 0 and `capacity` units at `cost` per unit,
    /// and returns its index (arcs are numbered `0, 1, 2, ...` in the order they are added).
    ///
    /// Parallel arcs and loops are allowed. Arguments are checked by [`FlowNetwork::solve`]:
    /// endpoints must be nodes, `capacity >= 0`, and `|cost| <= MAX_COST`.
    pub fn add_arc(&mut self, from: usize, to: usize, capacity: i64, cost: i64) -> usize {
        let index = self.from.len();
        self.from.push(u32::try_from(from).unwrap_or(NONE));
        self.to.push(u32::try_from(to).unwrap_or(NONE));
        self.capacity.push(capacity);
        self.cost.push(cost);
        index
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.supply.len()
    }

    /// Number of arcs.
    pub fn arc_count(&self) -> usize {
        self.from.len()
    }

    /// The arc with index `arc` as `(from, to, capacity, cost)`.
    ///
    /// # Panics
    /// If `arc >= arc_count()`.
    pub fn arc(&self, arc: usize) -> (usize, usize, i64, i64) {
        (
            self.from[arc] as usize,
            self.to[arc] as usize,
            self.capacity[arc],
            self.cost[arc],
        )
    }

    /// The solution of `flow` (one value an arc) and `potential` (one a node), with the flow's
    /// cost summed in `i128` so that it cannot overflow.
    fn solution(&self, flow: Vec<i64>, potential: Vec<i64>) -> FlowSolution {
        let cost = flow
            .iter()
            .zip(&self.cost)
            .map(|(&f, &c)| i128::from(f) * i128::from(c))
            .sum();
        FlowSolution {
            flow,
            potential,
            cost,
        }
    }

    /// Finds a minimum-cost flow that meets every supply, with potentials proving it optimal.
    ///
    /// # Errors
    /// [`FlowError::InvalidArc`] for an arc with an endpoint that is not a node, a negative
    /// capacity, a cost beyond [`MAX_COST`], or when the capacities and supplies are too large
    /// to add up inside `i64` (or the costs too large for the network size);
    /// [`FlowError::Unbalanced`] when the supplies do not add up to zero;
    /// [`FlowError::Infeasible`] when no flow meets the supplies.
    #[cfg(any(test, feature = "testing"))]
    pub fn solve(&self) -> Result<FlowSolution, FlowError> {
        self.solve_with(None, pricing::default_arcs_per_node(self))
    }

    /// Like [`FlowNetwork::solve`], but starts the simplex from the feasible flow `start` (one
    /// value per arc) instead of from scratch, which saves most of the work when `start` is
    /// close to optimal. The arcs strictly between their bounds in `start` must not contain a
    /// cycle (ignoring direction and loops); a greedy flow that saturates or empties all but a
    /// forest of arcs qualifies. When `start` is not such a flow (wrong length, out of bounds,
    /// unbalanced, or with a cycle of such arcs), it is ignored and the solve starts from
    /// scratch. The result is optimal either way, though among several optima the one returned
    /// may depend on `start`.
    ///
    /// # Errors
    /// As [`FlowNetwork::solve`].
    pub fn solve_from(&self, start: &[i64]) -> Result<FlowSolution, FlowError> {
        self.solve_with(Some(start), pricing::default_arcs_per_node(self))
    }

    /// Like [`FlowNetwork::solve_from`] (or [`FlowNetwork::solve`] without a start), but after
    /// the simplex has solved the first working set, cost scaling carries on from its flow and
    /// potentials over all arcs; the potentials returned are exact and [`verify`] holds. Falls
    /// back to the simplex when cost scaling does not apply (costs too large for its scaled
    /// prices) or the network is infeasible. Internal: kept to compare the two methods; slower
    /// than the simplex on the Shropshire, Kent and England rounds measured (benches/peers/FINDINGS.md).
    ///
    /// # Errors
    /// As [`FlowNetwork::solve`].
    #[doc(hidden)]
    #[cfg(any(test, feature = "testing"))]
    pub fn solve_by_cost_scaling(&self, start: Option<&[i64]>) -> Result<FlowSolution, FlowError> {
        let art_cost = self.check()?;
        let per_node = pricing::default_arcs_per_node(self).unwrap_or(pricing::ARCS_PER_NODE);
        if let Some(solution) = scaling::solve_after_simplex(self, art_cost, start, per_node) {
            debug_assert_eq!(verify(self, &solution), Ok(()));
            return Ok(solution);
        }
        self.solve_with(start, pricing::default_arcs_per_node(self))
    }

    /// The simplex from `start` (or from scratch), pricing all arcs at once when `per_node` is
    /// `None`, else on a working set of arcs grown by [`pricing`] rounds that starts from the
    /// `per_node` cheapest arcs out of each node.
    fn solve_with(
        &self,
        start: Option<&[i64]>,
        per_node: Option<usize>,
    ) -> Result<FlowSolution, FlowError> {
        let art_cost = self.check()?;
        let start = start.filter(|s| s.len() == self.arc_count());
        let working = per_node.map(|k| pricing::initial_arcs(self, k, start));
        let selection = working.as_ref().map(|w| w.arcs.as_slice());
        let mut simplex = start
            .and_then(|s| Simplex::warm(self, art_cost, s, selection))
            .unwrap_or_else(|| Simplex::new(self, art_cost, selection));
        match working {
            None => simplex.run(),
            Some(mut working) => loop {
                simplex.run();
                if !simplex.price_out(self, &mut working) {
                    break;
                }
            },
        }
        let solution = simplex.into_solution(self)?;
        debug_assert_eq!(verify(self, &solution), Ok(()));
        Ok(solution)
    }

    /// Validates the network and returns the cost of the artificial arcs.
    fn check(&self) -> Result<i64, FlowError> {
        let n = self.node_count();
        let limit = i128::from(i64::MAX / 4);
        let mut max_cost: i64 = 0;
        let mut magnitude: i128 = 0;
        for arc in 0..self.arc_count() {
            let invalid = |reason| Err(FlowError::InvalidArc { arc, reason });
            if self.from[arc] as usize >= n {
                return invalid("its tail is not a node of the network");
            }
            if self.to[arc] as usize >= n {
                return invalid("its head is not a node of the network");
            }
            if self.capacity[arc] < 0 {
                return invalid("its capacity is negative");
            }
            if self.cost[arc].unsigned_abs() > MAX_COST as u64 {
                return invalid("its cost is beyond MAX_COST in absolute value");
            }
            max_cost = max_cost.max(self.cost[arc].abs());
            magnitude += i128::from(self.capacity[arc]);
            if magnitude > limit {
                return invalid("the capacities add up to more than i64::MAX / 4");
            }
        }
        let mut total: i128 = 0;
        for &b in &self.supply {
            total += i128::from(b);
            magnitude += i128::from(b).abs();
        }
        if total != 0 {
            let total = i64::try_from(total).unwrap_or(if total > 0 { i64::MAX } else { i64::MIN });
            return Err(FlowError::Unbalanced { total });
        }
        if magnitude > limit {
            return Err(FlowError::InvalidArc {
                arc: self.arc_count().saturating_sub(1),
                reason: "the capacities and supplies add up to more than i64::MAX / 4",
            });
        }
        // A cycle through the root uses two artificial arcs and at most n - 1 real ones, so
        // this cost makes any such cycle that removes artificial flow profitable.
        let art_cost = (i128::from(max_cost) + 1) * (n as i128 + 1);
        if art_cost > i128::from(i64::MAX / 16) {
            return Err(FlowError::InvalidArc {
                arc: 0,
                reason: "the costs are too large for the size of the network",
            });
        }
        Ok(art_cost as i64)
    }
}

#[cfg(test)]
mod tests;
