//! The working state of one network simplex run (arcs, flows, potentials and the spanning tree
//! as parent, thread and subtree arrays), its cold start, the block-search pricing loop and the
//! solution it yields.

use super::*;

/// Working state of one network simplex run. Nodes `0..n` are the network's, node `n` is the
/// artificial root; arcs `0..m` are the network's arcs in the working set (arc `i` is the
/// network's arc `arc_of[i]`, in increasing order within each pricing round), arc `m + v`
/// joins node `v` and the root.
///
/// The spanning tree is kept as: `parent` and `pred` (the tree arc to the parent) with `dir`
/// (whether that arc points up or down), a preorder `thread` (a cycle through all nodes
/// starting at the root) with its inverse `rev_thread`, and per node the size `succ_num` and
/// the last node in preorder `last_succ` of its subtree.
pub(super) struct Simplex {
    pub(super) n: usize,
    pub(super) m: usize,
    /// Network arc of each working arc; empty when every network arc is a working arc, in
    /// order (then working arc `i` is network arc `i`).
    pub(super) arc_of: Vec<u32>,
    pub(super) source: Vec<u32>,
    pub(super) target: Vec<u32>,
    pub(super) cap: Vec<i64>,
    pub(super) cost: Vec<i64>,
    pub(super) flow: Vec<i64>,
    pub(super) state: Vec<i8>,
    pub(super) pi: Vec<i64>,
    pub(super) parent: Vec<u32>,
    pub(super) pred: Vec<u32>,
    pub(super) dir: Vec<i8>,
    pub(super) thread: Vec<u32>,
    pub(super) rev_thread: Vec<u32>,
    pub(super) succ_num: Vec<u32>,
    pub(super) last_succ: Vec<u32>,
    /// Scratch: the path from the entering node up to the leaving arc.
    pub(super) path: Vec<u32>,
    /// Scratch: per path step, old (end of the part before the hole, first node after the
    /// hole, last node of the subtree).
    pub(super) segments: Vec<[u32; 3]>,
    /// Each working arc as [`Simplex::best_in`] prices it (see [`Priced`]), rebuilt at the
    /// start of [`Simplex::run`] and kept up to date by the pivots.
    pub(super) priced: Vec<Priced>,
    /// Arcs per block of the pivot search.
    pub(super) block: usize,
    /// Most arcs out of a node added to the working set in one pricing round.
    pub(super) added_per_node: usize,
}

/// A working arc as the pricing reads it: its violation of optimality is
/// `cost + pi[tail] - pi[head]` when negative. An arc at its lower bound is itself; an arc at
/// its upper bound is turned round with its cost negated (its reduced cost times -1, the
/// state's sign); a tree arc is a loop of cost zero at node 0, which never violates.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Priced {
    pub(super) cost: i64,
    pub(super) tail: u32,
    pub(super) head: u32,
}

impl Simplex {
    /// Copies the network's arcs (all, or the `selection` of them, in increasing order) and
    /// appends the artificial arcs `v -> root` (all non-tree, zero flow, cost `art_cost`,
    /// unbounded); the tree arrays are left to the caller.
    pub(super) fn alloc(net: &FlowNetwork, art_cost: i64, selection: Option<&[u32]>) -> Self {
        let n = net.node_count();
        let m = selection.map_or(net.arc_count(), <[u32]>::len);
        let total = m + n;
        let root = n as u32;
        let spare = SPARE.take();
        let [mut source, mut target] = [spare.source, spare.target].map(|mut v| {
            v.clear();
            v.reserve(total);
            v
        });
        let [mut cap, mut cost] = [spare.cap, spare.cost].map(|mut v| {
            v.clear();
            v.reserve(total);
            v
        });
        let mut state = spare.state;
        state.clear();
        state.resize(total, STATE_LOWER);
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
            state,
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
            priced: spare.priced,
            block: ((m as f64).sqrt() as usize).max(10),
            added_per_node: pricing::ADDED_PER_NODE,
        }
    }

    /// The classic start: every node hangs from the root by its artificial arc, which carries
    /// the node's supply towards the root (or its demand from it). Strongly feasible: arcs with
    /// zero flow point up to the root.
    pub(super) fn new(net: &FlowNetwork, art_cost: i64, selection: Option<&[u32]>) -> Self {
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
    /// Pivots until no arc violates optimality.
    pub(super) fn run(&mut self) {
        let mut priced = std::mem::take(&mut self.priced);
        priced.clear();
        priced.extend((0..self.source.len()).map(|a| self.priced_arc(a)));
        self.priced = priced;
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
    pub(super) fn find_entering(&self, next: &mut usize) -> Option<usize> {
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
    ///
    /// Reads the arcs as [`Priced`]: the same values as `state * (cost + pi[source] -
    /// pi[target])`, from one array and without the product.
    #[inline]
    pub(super) fn best_in(&self, from: usize, to: usize) -> (i64, usize) {
        let pi = &self.pi[..];
        let mut best_value = 0;
        let mut best = usize::MAX;
        for (i, arc) in self.priced[from..to].iter().enumerate() {
            let value = arc.cost + pi[arc.tail as usize] - pi[arc.head as usize];
            if value < best_value {
                best_value = value;
                best = from + i;
            }
        }
        (best_value, best)
    }

    /// Arc `a` as the pricing reads it, from its current state.
    pub(super) fn priced_arc(&self, a: usize) -> Priced {
        let (s, t, c) = (self.source[a], self.target[a], self.cost[a]);
        match self.state[a] {
            STATE_LOWER => Priced {
                cost: c,
                tail: s,
                head: t,
            },
            STATE_UPPER => Priced {
                cost: c.wrapping_neg(),
                tail: t,
                head: s,
            },
            _ => Priced::default(),
        }
    }

    /// Brings the pricing's copy of arc `a` up to date after its state changed (a no-op
    /// outside [`Simplex::run`], which rebuilds the copy first).
    pub(super) fn reprice(&mut self, a: usize) {
        if a < self.priced.len() {
            self.priced[a] = self.priced_arc(a);
        }
    }

    pub(super) fn into_solution(self, net: &FlowNetwork) -> Result<FlowSolution, FlowError> {
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
        SPARE.set(Spare {
            source: self.source,
            target: self.target,
            cap: self.cap,
            cost: self.cost,
            state: self.state,
            priced: self.priced,
        });
        Ok(net.solution(flow, potential))
    }
}

/// The arc arrays of the last simplex run on a thread, kept for the next one. A plan solves
/// a round of tens of thousands of arcs each year of each draw; arrays that size, freshly
/// allocated, mostly come from pages the allocator had handed back to the system, which the
/// system zeroes again on first touch.
#[derive(Default)]
struct Spare {
    source: Vec<u32>,
    target: Vec<u32>,
    cap: Vec<i64>,
    cost: Vec<i64>,
    state: Vec<i8>,
    priced: Vec<Priced>,
}

thread_local! {
    static SPARE: std::cell::Cell<Spare> = std::cell::Cell::new(Spare::default());
}
