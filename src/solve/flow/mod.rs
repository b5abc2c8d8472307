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
//! The answer carries node potentials that prove optimality: [`verify`] checks flow
//! conservation, bounds and complementary slackness, and so certifies any solution independently
//! of how it was found.
//!
//! Everything is integral (`i64` costs, capacities and flows; the total cost is `i128`) and
//! deterministic: the same network always yields the same flow.

use std::fmt;

mod pricing;

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
    pub fn new(nodes: usize) -> Self {
        Self::with_capacity(nodes, 0)
    }

    /// Like [`FlowNetwork::new`], with room reserved for `arcs` arcs.
    ///
    /// # Panics
    /// If `nodes >= u32::MAX`.
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

    /// Finds a minimum-cost flow that meets every supply, with potentials proving it optimal.
    ///
    /// # Errors
    /// [`FlowError::InvalidArc`] for an arc with an endpoint that is not a node, a negative
    /// capacity, a cost beyond [`MAX_COST`], or when the capacities and supplies are too large
    /// to add up inside `i64` (or the costs too large for the network size);
    /// [`FlowError::Unbalanced`] when the supplies do not add up to zero;
    /// [`FlowError::Infeasible`] when no flow meets the supplies.
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

/// Working state of one network simplex run. Nodes `0..n` are the network's, node `n` is the
/// artificial root; arcs `0..m` are the network's arcs in the working set (arc `i` is the
/// network's arc `arc_of[i]`, in increasing order within each pricing round), arc `m + v`
/// joins node `v` and the root.
///
/// The spanning tree is kept as: `parent` and `pred` (the tree arc to the parent) with `dir`
/// (whether that arc points up or down), a preorder `thread` (a cycle through all nodes
/// starting at the root) with its inverse `rev_thread`, and per node the size `succ_num` and
/// the last node in preorder `last_succ` of its subtree.
struct Simplex {
    n: usize,
    m: usize,
    /// Network arc of each working arc; empty when every network arc is a working arc, in
    /// order (then working arc `i` is network arc `i`).
    arc_of: Vec<u32>,
    source: Vec<u32>,
    target: Vec<u32>,
    cap: Vec<i64>,
    cost: Vec<i64>,
    flow: Vec<i64>,
    state: Vec<i8>,
    pi: Vec<i64>,
    parent: Vec<u32>,
    pred: Vec<u32>,
    dir: Vec<i8>,
    thread: Vec<u32>,
    rev_thread: Vec<u32>,
    succ_num: Vec<u32>,
    last_succ: Vec<u32>,
    /// Scratch: the path from the entering node up to the leaving arc.
    path: Vec<u32>,
    /// Scratch: per path step, old (end of the part before the hole, first node after the
    /// hole, last node of the subtree).
    segments: Vec<[u32; 3]>,
    /// Arcs per block of the pivot search.
    block: usize,
    /// Most arcs out of a node added to the working set in one pricing round.
    added_per_node: usize,
}

impl Simplex {
    /// Copies the network's arcs (all, or the `selection` of them, in increasing order) and
    /// appends the artificial arcs `v -> root` (all non-tree, zero flow, cost `art_cost`,
    /// unbounded); the tree arrays are left to the caller.
    fn alloc(net: &FlowNetwork, art_cost: i64, selection: Option<&[u32]>) -> Self {
        let n = net.node_count();
        let m = selection.map_or(net.arc_count(), <[u32]>::len);
        let total = m + n;
        let root = n as u32;
        let mut source = Vec::with_capacity(total);
        let mut target = Vec::with_capacity(total);
        let mut cap = Vec::with_capacity(total);
        let mut cost = Vec::with_capacity(total);
        match selection {
            None => {
                source.extend_from_slice(&net.from);
                target.extend_from_slice(&net.to);
                cap.extend_from_slice(&net.capacity);
                cost.extend_from_slice(&net.cost);
            }
            Some(arcs) => {
                for &a in arcs {
                    let a = a as usize;
                    source.push(net.from[a]);
                    target.push(net.to[a]);
                    cap.push(net.capacity[a]);
                    cost.push(net.cost[a]);
                }
            }
        }
        source.extend(0..root);
        target.resize(total, root);
        cap.resize(total, i64::MAX);
        cost.resize(total, art_cost);
        Simplex {
            n,
            m,
            arc_of: selection.map_or_else(Vec::new, <[u32]>::to_vec),
            source,
            target,
            cap,
            cost,
            flow: vec![0; total],
            state: vec![STATE_LOWER; total],
            pi: vec![0; n + 1],
            parent: vec![NONE; n + 1],
            pred: vec![NONE; n + 1],
            dir: vec![0; n + 1],
            thread: vec![0; n + 1],
            rev_thread: vec![0; n + 1],
            succ_num: vec![1; n + 1],
            last_succ: vec![0; n + 1],
            path: Vec::new(),
            segments: Vec::new(),
            block: ((m as f64).sqrt() as usize).max(10),
            added_per_node: pricing::ADDED_PER_NODE,
        }
    }

    /// The classic start: every node hangs from the root by its artificial arc, which carries
    /// the node's supply towards the root (or its demand from it). Strongly feasible: arcs with
    /// zero flow point up to the root.
    fn new(net: &FlowNetwork, art_cost: i64, selection: Option<&[u32]>) -> Self {
        let mut s = Self::alloc(net, art_cost, selection);
        let (n, m) = (s.n, s.m);
        let root = n;
        for v in 0..n {
            let arc = m + v;
            let b = net.supply[v];
            if b >= 0 {
                s.flow[arc] = b;
                s.pi[v] = -art_cost;
                s.dir[v] = DIR_UP;
            } else {
                s.source[arc] = root as u32;
                s.target[arc] = v as u32;
                s.flow[arc] = -b;
                s.pi[v] = art_cost;
                s.dir[v] = DIR_DOWN;
            }
            s.state[arc] = STATE_TREE;
            s.parent[v] = root as u32;
            s.pred[v] = arc as u32;
            s.last_succ[v] = v as u32;
        }
        for v in 0..=n {
            s.thread[v] = ((v + 1) % (n + 1)) as u32;
            s.rev_thread[(v + 1) % (n + 1)] = v as u32;
        }
        s.succ_num[root] = (n + 1) as u32;
        s.last_succ[root] = if n == 0 { root as u32 } else { (n - 1) as u32 };
        s
    }

    /// A strongly feasible start around the feasible flow `start` (see
    /// [`FlowNetwork::solve_from`]), or `None` when `start` does not qualify.
    ///
    /// The arcs strictly between their bounds must be tree arcs; they form a forest. Each
    /// tree of that forest hangs from the root by the artificial arc of its node of highest
    /// degree, with zero flow and pointing up, so the whole tree is strongly feasible. (Joining
    /// the forest's trees by real arcs instead was tried: from a greedy start it saved no
    /// pivots and cost more time.)
    ///
    /// With a `selection` of working arcs, every arc with flow in `start` must be in it.
    fn warm(
        net: &FlowNetwork,
        art_cost: i64,
        start: &[i64],
        selection: Option<&[u32]>,
    ) -> Option<Self> {
        let n = net.node_count();
        if start.len() != net.arc_count() {
            return None;
        }
        let mut s = Self::alloc(net, art_cost, selection);
        let m = s.m;
        match selection {
            None => s.flow[..m].copy_from_slice(start),
            Some(arcs) => {
                for (i, &a) in arcs.iter().enumerate() {
                    s.flow[i] = start[a as usize];
                }
            }
        }
        let mut balance: Vec<i64> = net.supply.clone();
        let mut degree = vec![0u32; n];
        for e in 0..m {
            let (from, to, cap) = (s.source[e] as usize, s.target[e] as usize, s.cap[e]);
            let f = s.flow[e];
            if f < 0 || f > cap {
                return None;
            }
            if from == to {
                // A loop never affects balances: put it at its better bound.
                s.flow[e] = if s.cost[e] < 0 { cap } else { 0 };
            } else {
                balance[from] -= f;
                balance[to] += f;
                if f > 0 && f < cap {
                    degree[from] += 1;
                    degree[to] += 1;
                }
            }
            s.state[e] = if s.flow[e] == 0 {
                STATE_LOWER
            } else if s.flow[e] == cap {
                STATE_UPPER
            } else {
                STATE_TREE
            };
        }
        if balance.iter().any(|&b| b != 0) {
            return None;
        }

        // Components of the free arcs, which must not close a cycle.
        fn find(leader: &mut [u32], mut v: u32) -> u32 {
            while leader[v as usize] != v {
                let up = leader[leader[v as usize] as usize];
                leader[v as usize] = up;
                v = up;
            }
            v
        }
        let mut leader: Vec<u32> = (0..n as u32).collect();
        for e in 0..m {
            if s.state[e] == STATE_TREE {
                let a = find(&mut leader, s.source[e]);
                let b = find(&mut leader, s.target[e]);
                if a == b {
                    return None;
                }
                leader[a as usize] = b;
            }
        }
        let mut comp = vec![0u32; n];
        let mut comp_of_leader = vec![NONE; n];
        let mut comps = 0u32;
        for (v, slot) in comp.iter_mut().enumerate() {
            let l = find(&mut leader, v as u32) as usize;
            if comp_of_leader[l] == NONE {
                comp_of_leader[l] = comps;
                comps += 1;
            }
            *slot = comp_of_leader[l];
        }
        drop((leader, comp_of_leader));
        // Each component's representative: its node of highest degree (ties: lowest index).
        let comps = comps as usize;
        let mut size = vec![0u32; comps];
        let mut rep = vec![NONE; comps];
        for v in 0..n {
            let c = comp[v] as usize;
            size[c] += 1;
            if rep[c] == NONE || degree[v] > degree[rep[c] as usize] {
                rep[c] = v as u32;
            }
        }
        // Largest trees first in the thread (any order is valid).
        let mut bases: Vec<u32> = (0..comps).map(|c| rep[c]).collect();
        bases.sort_by_key(|&r| std::cmp::Reverse(size[comp[r as usize] as usize]));
        s.build_tree(&bases, art_cost);
        Some(s)
    }

    /// The tree arcs among the network's arcs, as compressed adjacency rows per node.
    fn tree_adjacency(&self) -> (Vec<u32>, Vec<u32>) {
        let (n, m) = (self.n, self.m);
        let mut first = vec![0u32; n + 1];
        for e in 0..m {
            if self.state[e] == STATE_TREE {
                first[self.source[e] as usize + 1] += 1;
                first[self.target[e] as usize + 1] += 1;
            }
        }
        for v in 0..n {
            first[v + 1] += first[v];
        }
        let mut fill: Vec<u32> = first[..n].to_vec();
        let mut adjacent = vec![0u32; first[n] as usize];
        for e in 0..m {
            if self.state[e] == STATE_TREE {
                for v in [self.source[e] as usize, self.target[e] as usize] {
                    adjacent[fill[v] as usize] = e as u32;
                    fill[v] += 1;
                }
            }
        }
        (first, adjacent)
    }

    /// Builds the tree arrays and potentials from the arcs marked as tree arcs, which must
    /// form a forest with one tree per node of `bases`; each base hangs from the root by its
    /// artificial arc, with zero flow, pointing up.
    fn build_tree(&mut self, bases: &[u32], art_cost: i64) {
        let (n, m) = (self.n, self.m);
        let root = n;
        let (first, adjacent) = self.tree_adjacency();
        let mut order: Vec<u32> = Vec::with_capacity(n);
        let mut stack: Vec<u32> = Vec::new();
        for &r in bases {
            let r = r as usize;
            self.parent[r] = root as u32;
            self.pred[r] = (m + r) as u32;
            self.dir[r] = DIR_UP;
            self.pi[r] = -art_cost;
            self.state[m + r] = STATE_TREE;
            stack.push(r as u32);
            while let Some(v) = stack.pop() {
                let v = v as usize;
                order.push(v as u32);
                for &e in adjacent[first[v] as usize..first[v + 1] as usize]
                    .iter()
                    .rev()
                {
                    if e == self.pred[v] {
                        continue;
                    }
                    let e = e as usize;
                    let (w, d) = if self.source[e] as usize == v {
                        (self.target[e] as usize, DIR_DOWN)
                    } else {
                        (self.source[e] as usize, DIR_UP)
                    };
                    self.parent[w] = v as u32;
                    self.pred[w] = e as u32;
                    self.dir[w] = d;
                    self.pi[w] = if d == DIR_DOWN {
                        self.pi[v] + self.cost[e]
                    } else {
                        self.pi[v] - self.cost[e]
                    };
                    stack.push(w as u32);
                }
            }
        }
        debug_assert_eq!(order.len(), n);
        let mut last = root;
        for &v in &order {
            self.thread[last] = v;
            self.rev_thread[v as usize] = last as u32;
            last = v as usize;
        }
        self.thread[last] = root as u32;
        self.rev_thread[root] = last as u32;
        for &v in order.iter().rev() {
            let p = self.parent[v as usize] as usize;
            self.succ_num[p] += self.succ_num[v as usize];
        }
        for (i, &v) in order.iter().enumerate() {
            self.last_succ[v as usize] = order[i + self.succ_num[v as usize] as usize - 1];
        }
        self.last_succ[root] = last as u32;
    }

    /// Pivots until no arc violates optimality.
    fn run(&mut self) {
        let mut next = 0;
        while let Some(entering) = self.find_entering(&mut next) {
            self.pivot(entering);
            #[cfg(test)]
            if self.n <= 64 {
                self.check_tree();
            }
        }
    }

    /// Block search: scans the arcs cyclically from `next`, in blocks of `self.block` arcs (the
    /// last block before the wrap-around may be shorter), and returns the most violating arc
    /// of the first block that has one, or `None` when no arc violates optimality.
    #[inline(never)]
    fn find_entering(&self, next: &mut usize) -> Option<usize> {
        let m = self.m;
        let mut from = *next;
        let mut scanned = 0;
        while scanned < m {
            let to = (from + self.block).min(m);
            let (value, arc) = self.best_in(from, to);
            scanned += to - from;
            from = if to == m { 0 } else { to };
            if value < 0 {
                *next = from;
                return Some(arc);
            }
        }
        None
    }

    /// The most violating arc among arcs `from..to` (lowest index on ties) with its violation
    /// (negative), or a non-negative value when none violates optimality. An arc violates
    /// optimality when its reduced cost is negative at its lower bound or positive at its
    /// upper bound; the state (+1, -1, or 0 for tree arcs) turns both into a negative product.
    #[inline]
    fn best_in(&self, from: usize, to: usize) -> (i64, usize) {
        let pi = &self.pi[..];
        let arcs = self.source[from..to]
            .iter()
            .zip(&self.target[from..to])
            .zip(&self.cost[from..to])
            .zip(&self.state[from..to]);
        let mut best_value = 0;
        let mut best = usize::MAX;
        for (i, (((&s, &t), &c), &state)) in arcs.enumerate() {
            let value = i64::from(state) * (c + pi[s as usize] - pi[t as usize]);
            if value < best_value {
                best_value = value;
                best = from + i;
            }
        }
        (best_value, best)
    }

    /// Residual capacity of the tree arc above `v` in the direction from its parent down to `v`.
    #[inline]
    fn residual_down(&self, v: usize) -> i64 {
        let a = self.pred[v] as usize;
        if self.dir[v] == DIR_UP {
            self.flow[a]
        } else {
            self.cap[a] - self.flow[a]
        }
    }

    /// Residual capacity of the tree arc above `v` in the direction from `v` up to its parent.
    #[inline]
    fn residual_up(&self, v: usize) -> i64 {
        let a = self.pred[v] as usize;
        if self.dir[v] == DIR_UP {
            self.cap[a] - self.flow[a]
        } else {
            self.flow[a]
        }
    }

    /// One pivot with entering arc `e`.
    #[inline(never)]
    fn pivot(&mut self, e: usize) {
        // Flow goes round the cycle join -> ... -> first -> (e) -> second -> ... -> join.
        let (first, second) = if self.state[e] == STATE_LOWER {
            (self.source[e] as usize, self.target[e] as usize)
        } else {
            (self.target[e] as usize, self.source[e] as usize)
        };

        // Find the join and the leaving arc in one climb (the deeper side moves: a node's
        // subtree is smaller than any ancestor's). Strongly feasible rule: of the blocking
        // arcs, leave by the last one met going round the cycle from the join. The first side
        // is met in reverse while climbing (strict `<` keeps the one nearest `first`, and `e`
        // beats it on ties); the second side in order (`<=` keeps the last one).
        let mut delta1 = self.cap[e];
        let mut out1 = usize::MAX;
        let mut delta2 = i64::MAX;
        let mut out2 = usize::MAX;
        let (mut a, mut b) = (first, second);
        while a != b {
            if self.succ_num[a] < self.succ_num[b] {
                let d = self.residual_down(a);
                if d < delta1 {
                    delta1 = d;
                    out1 = a;
                }
                a = self.parent[a] as usize;
            } else {
                let d = self.residual_up(b);
                if d <= delta2 {
                    delta2 = d;
                    out2 = b;
                }
                b = self.parent[b] as usize;
            }
        }
        let join = a;
        let (delta, u_out, out_first) = if out2 != usize::MAX && delta2 <= delta1 {
            (delta2, out2, false)
        } else {
            (delta1, out1, true)
        };

        if delta > 0 {
            self.flow[e] += i64::from(self.state[e]) * delta;
            let mut v = first;
            while v != join {
                let a = self.pred[v] as usize;
                self.flow[a] -= i64::from(self.dir[v]) * delta;
                v = self.parent[v] as usize;
            }
            let mut v = second;
            while v != join {
                let a = self.pred[v] as usize;
                self.flow[a] += i64::from(self.dir[v]) * delta;
                v = self.parent[v] as usize;
            }
        }

        if u_out == usize::MAX {
            // The entering arc itself blocks: it just moves to its other bound.
            self.state[e] = -self.state[e];
            return;
        }

        let (u_in, v_in) = if out_first {
            (first, second)
        } else {
            (second, first)
        };
        let leaving = self.pred[u_out] as usize;
        self.state[leaving] = if self.flow[leaving] == 0 {
            STATE_LOWER
        } else {
            STATE_UPPER
        };
        self.state[e] = STATE_TREE;

        // Potential shift for the moved subtree, making `e`'s reduced cost zero.
        let s = self.source[e] as usize;
        let t = self.target[e] as usize;
        let rc = self.cost[e] + self.pi[s] - self.pi[t];
        let sigma = if u_in == s { -rc } else { rc };

        self.rehang(u_in, u_out, v_in, join, e, sigma);
    }

    /// Cuts the subtree of `u_out` off its parent, re-roots it at `u_in` (a node in it), hangs
    /// it below `v_in` by arc `e`, and shifts its potentials by `sigma`. `join` is the nearest
    /// common ancestor of `u_in` and `v_in`.
    #[inline(never)]
    fn rehang(
        &mut self,
        u_in: usize,
        u_out: usize,
        v_in: usize,
        join: usize,
        e: usize,
        sigma: i64,
    ) {
        // Path x_0 = u_in, ..., x_k = u_out, and for each step i >= 1 the old thread facts
        // needed to cut T(x_{i-1}) out of T(x_i): in preorder, T(x_i) is x_i, then a part B
        // before the hole T(x_{i-1}), then a part C after it.
        let mut path = std::mem::take(&mut self.path);
        let mut segments = std::mem::take(&mut self.segments);
        path.clear();
        segments.clear();
        let mut v = u_in;
        path.push(v as u32);
        while v != u_out {
            let up = self.parent[v] as usize;
            segments.push([
                self.rev_thread[v],
                self.thread[self.last_succ[v] as usize],
                self.last_succ[up],
            ]);
            v = up;
            path.push(v as u32);
        }

        let size = self.succ_num[u_out];
        let old_last = self.last_succ[u_out] as usize;
        let before = self.rev_thread[u_out] as usize;
        let after = self.thread[old_last] as usize;
        let p_out = self.parent[u_out] as usize;

        // 1. Cut T(u_out) out of the thread and out of its old ancestors.
        self.thread[before] = after as u32;
        self.rev_thread[after] = before as u32;
        let mut a = p_out;
        while a != NONE as usize && self.last_succ[a] as usize == old_last {
            self.last_succ[a] = before as u32;
            a = self.parent[a] as usize;
        }
        let mut a = p_out;
        while a != join {
            self.succ_num[a] -= size;
            a = self.parent[a] as usize;
        }

        // 2. Re-root: new preorder T(x_0), B_1, C_1, ..., B_k, C_k (each part keeps its order).
        let mut tail = self.last_succ[u_in] as usize;
        for (i, seg) in segments.iter().enumerate() {
            let x = path[i + 1] as usize;
            let prev_last = if i == 0 {
                // Old last node of T(x_0) is where T(x_0) ended; C_1 starts after it.
                tail
            } else {
                segments[i - 1][2] as usize
            };
            self.thread[tail] = x as u32;
            self.rev_thread[x] = tail as u32;
            tail = seg[0] as usize;
            let x_last = seg[2] as usize;
            if x_last != prev_last {
                let c_first = seg[1] as usize;
                self.thread[tail] = c_first as u32;
                self.rev_thread[c_first] = tail as u32;
                tail = x_last;
            }
        }
        let new_last = tail;

        // 3. Splice the run in as the first subtree of v_in and fix v_in's ancestors.
        let v_next = self.thread[v_in] as usize;
        self.thread[v_in] = u_in as u32;
        self.rev_thread[u_in] = v_in as u32;
        self.thread[new_last] = v_next as u32;
        self.rev_thread[v_next] = new_last as u32;
        if self.last_succ[v_in] as usize == v_in {
            let mut a = v_in;
            while a != NONE as usize && self.last_succ[a] as usize == v_in {
                self.last_succ[a] = new_last as u32;
                a = self.parent[a] as usize;
            }
        }
        let mut a = v_in;
        while a != join {
            self.succ_num[a] += size;
            a = self.parent[a] as usize;
        }

        // 4. Reverse the path: parents, tree arcs, subtree sizes and ends.
        for i in (1..path.len()).rev() {
            let x = path[i] as usize;
            let prev = path[i - 1] as usize;
            self.parent[x] = prev as u32;
            self.pred[x] = self.pred[prev];
            self.dir[x] = -self.dir[prev];
            self.succ_num[x] = size - self.succ_num[prev];
            self.last_succ[x] = new_last as u32;
        }
        self.parent[u_in] = v_in as u32;
        self.pred[u_in] = e as u32;
        self.dir[u_in] = if self.source[e] as usize == u_in {
            DIR_UP
        } else {
            DIR_DOWN
        };
        self.succ_num[u_in] = size;
        self.last_succ[u_in] = new_last as u32;

        // 5. Shift the potentials of the moved subtree, or (equivalently, up to a constant)
        // those of all other nodes when that is fewer, renormalising now and then so that
        // the root's potential, which then drifts, stays far from overflow.
        if 2 * size as usize <= self.n + 1 {
            let mut v = u_in;
            loop {
                self.pi[v] += sigma;
                if v == new_last {
                    break;
                }
                v = self.thread[v] as usize;
            }
        } else {
            let mut v = self.thread[new_last] as usize;
            while v != u_in {
                self.pi[v] -= sigma;
                v = self.thread[v] as usize;
            }
            let drift = self.pi[self.n];
            if drift.unsigned_abs() > POTENTIAL_DRIFT_LIMIT {
                for p in &mut self.pi {
                    *p -= drift;
                }
            }
        }
        self.path = path;
        self.segments = segments;
    }

    /// Test-only consistency check of the tree structure, flows and potentials.
    #[cfg(test)]
    fn check_tree(&self) {
        let (n, m) = (self.n, self.m);
        let root = n;
        // Thread: one cycle from the root through all nodes, parents before children.
        let mut seen = vec![false; n + 1];
        let mut pos = vec![0usize; n + 1];
        let mut v = root;
        for i in 0..=n {
            assert!(!seen[v], "thread revisits {v}");
            seen[v] = true;
            pos[v] = i;
            assert_eq!(self.rev_thread[self.thread[v] as usize] as usize, v);
            v = self.thread[v] as usize;
        }
        assert_eq!(v, root, "thread is not one cycle");
        let mut size = vec![1u32; n + 1];
        let mut order: Vec<usize> = (0..=n).collect();
        order.sort_by_key(|&v| pos[v]);
        for &v in order.iter().rev() {
            if v != root {
                let p = self.parent[v] as usize;
                assert!(pos[p] < pos[v], "parent after child");
                size[p] += size[v];
            }
        }
        for v in 0..=n {
            assert_eq!(self.succ_num[v], size[v], "succ_num of {v}");
            let last = order[pos[v] + size[v] as usize - 1];
            assert_eq!(self.last_succ[v] as usize, last, "last_succ of {v}");
        }
        for v in 0..n {
            let a = self.pred[v] as usize;
            let p = self.parent[v] as usize;
            assert_eq!(self.state[a], STATE_TREE);
            if self.dir[v] == DIR_UP {
                assert_eq!((self.source[a] as usize, self.target[a] as usize), (v, p));
            } else {
                assert_eq!((self.source[a] as usize, self.target[a] as usize), (p, v));
            }
            let rc =
                self.cost[a] + self.pi[self.source[a] as usize] - self.pi[self.target[a] as usize];
            assert_eq!(rc, 0, "tree arc {a} has reduced cost {rc}");
            assert!(self.residual_up(v) > 0, "not strongly feasible at {v}");
        }
        let tree_arcs = self.state.iter().filter(|&&s| s == STATE_TREE).count();
        assert_eq!(tree_arcs, n);
        for e in 0..m + n {
            let f = self.flow[e];
            assert!(f >= 0 && f <= self.cap[e]);
            match self.state[e] {
                STATE_LOWER => assert_eq!(f, 0),
                STATE_UPPER => assert_eq!(f, self.cap[e]),
                _ => {}
            }
        }
    }

    fn into_solution(self, net: &FlowNetwork) -> Result<FlowSolution, FlowError> {
        if self.flow[self.m..].iter().any(|&f| f != 0) {
            return Err(FlowError::Infeasible);
        }
        let mut flow = self.flow;
        flow.truncate(self.m);
        if !self.arc_of.is_empty() || self.m != net.arc_count() {
            let mut full = vec![0; net.arc_count()];
            for (&a, &f) in self.arc_of.iter().zip(&flow) {
                full[a as usize] = f;
            }
            flow = full;
        }

        let mut potential = self.pi;
        potential.truncate(self.n);
        let cost = flow
            .iter()
            .zip(&net.cost)
            .map(|(&f, &c)| i128::from(f) * i128::from(c))
            .sum();
        Ok(FlowSolution {
            flow,
            potential,
            cost,
        })
    }
}

/// Checks that `solution` is an optimal flow of `network`: one flow and potential per arc and
/// node, every flow within `0..=capacity`, every node's outflow minus inflow equal to its
/// supply, `cost` equal to the flow's cost, and complementary slackness (reduced cost
/// `cost + potential[from] - potential[to]` is `>= 0` on arcs below capacity and `<= 0` on arcs
/// with flow). Passing proves optimality by linear-programming duality.
///
/// # Errors
/// A description of the first violation found.
pub fn verify(network: &FlowNetwork, solution: &FlowSolution) -> Result<(), String> {
    let n = network.node_count();
    let m = network.arc_count();
    if solution.flow.len() != m {
        return Err(format!("{} flows for {m} arcs", solution.flow.len()));
    }
    if solution.potential.len() != n {
        return Err(format!(
            "{} potentials for {n} nodes",
            solution.potential.len()
        ));
    }
    let mut balance: Vec<i128> = network.supply.iter().map(|&b| i128::from(b)).collect();
    let mut cost: i128 = 0;
    for arc in 0..m {
        let (from, to, capacity, arc_cost) = network.arc(arc);
        if from >= n || to >= n {
            return Err(format!("arc {arc} has an endpoint outside the network"));
        }
        let f = solution.flow[arc];
        if f < 0 || f > capacity {
            return Err(format!("arc {arc} carries {f}, outside 0..={capacity}"));
        }
        balance[from] -= i128::from(f);
        balance[to] += i128::from(f);
        cost += i128::from(f) * i128::from(arc_cost);
        let reduced = i128::from(arc_cost) + i128::from(solution.potential[from])
            - i128::from(solution.potential[to]);
        if f < capacity && reduced < 0 {
            return Err(format!(
                "arc {arc} has spare capacity but reduced cost {reduced} < 0"
            ));
        }
        if f > 0 && reduced > 0 {
            return Err(format!(
                "arc {arc} carries flow but has reduced cost {reduced} > 0"
            ));
        }
    }
    if let Some(node) = balance.iter().position(|&b| b != 0) {
        return Err(format!(
            "node {node} is out of balance by {}",
            balance[node]
        ));
    }
    if cost != solution.cost {
        return Err(format!(
            "the flow costs {cost}, but the solution says {}",
            solution.cost
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
