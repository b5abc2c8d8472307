//! One pivot of the network simplex: the cycle of the entering arc, the leaving arc by the
//! strongly-feasible rule, the flow change, and re-hanging the subtree (parent, thread and
//! subtree arrays, potentials).

use super::*;

impl Simplex {
    /// Residual capacity of the tree arc above `v` in the direction from its parent down to `v`.
    #[inline]
    pub(super) fn residual_down(&self, v: usize) -> i64 {
        let a = self.pred[v] as usize;
        if self.dir[v] == DIR_UP {
            self.flow[a]
        } else {
            self.cap[a] - self.flow[a]
        }
    }

    /// Residual capacity of the tree arc above `v` in the direction from `v` up to its parent.
    #[inline]
    pub(super) fn residual_up(&self, v: usize) -> i64 {
        let a = self.pred[v] as usize;
        if self.dir[v] == DIR_UP {
            self.cap[a] - self.flow[a]
        } else {
            self.flow[a]
        }
    }

    /// One pivot with entering arc `e`.
    #[inline(never)]
    pub(super) fn pivot(&mut self, e: usize) {
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
            self.reprice(e);
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
        self.reprice(leaving);
        self.reprice(e);

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
    pub(super) fn rehang(
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
        self.move_subtree_ends(p_out, old_last, before);
        self.resize_up_to(p_out, join, |n| n - size);

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
        self.move_subtree_ends(v_in, v_in, new_last);
        self.resize_up_to(v_in, join, |n| n + size);

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

        // 5. Shift the potentials of the moved subtree.
        self.shift_potentials(u_in, new_last, size, sigma);
        self.path = path;
        self.segments = segments;
    }

    /// Shifts by `sigma` the potentials of the moved subtree (`u_in` to `new_last` in thread
    /// order), or (equivalently, up to a constant) those of all other nodes when that is fewer,
    /// renormalising now and then so that the root's potential, which then drifts, stays far
    /// from overflow.
    fn shift_potentials(&mut self, u_in: usize, new_last: usize, size: u32, sigma: i64) {
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
    }

    /// Sets the end of the subtree of `from`, and of each ancestor of it whose subtree ends at
    /// the same node `old_last`, to `new_last` (climbing stops at the first subtree that ends
    /// elsewhere).
    #[inline]
    fn move_subtree_ends(&mut self, from: usize, old_last: usize, new_last: usize) {
        let mut a = from;
        while a != NONE as usize && self.last_succ[a] as usize == old_last {
            self.last_succ[a] = new_last as u32;
            a = self.parent[a] as usize;
        }
    }

    /// Applies `resize` to the subtree size of `from` and of each ancestor of it below `join`.
    #[inline]
    fn resize_up_to(&mut self, from: usize, join: usize, resize: impl Fn(u32) -> u32) {
        let mut a = from;
        while a != join {
            self.succ_num[a] = resize(self.succ_num[a]);
            a = self.parent[a] as usize;
        }
    }

    /// Test-only consistency check of the tree structure, flows and potentials.
    #[cfg(test)]
    pub(super) fn check_tree(&self) {
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
}
