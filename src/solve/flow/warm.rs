//! The warm start: a strongly feasible spanning tree around a given feasible flow.

use super::*;

impl Simplex {
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
    pub(super) fn warm(
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
    pub(super) fn tree_adjacency(&self) -> (Vec<u32>, Vec<u32>) {
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
    pub(super) fn build_tree(&mut self, bases: &[u32], art_cost: i64) {
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
}
