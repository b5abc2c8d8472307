#!/usr/bin/env python3
"""Solve a placewise instance with one Python peer and print one line of JSON.

    peer.py --engine ortools-mcf|highspy-lp|pulp-cbc|matching-hr INSTANCE

The instance format is documented in src/solve/instance.rs:

    placewise-instance v1 children N pools M candidates K
    P free setting locality mainstream      (M lines)
    C unplaced_cost sibling_group           (N lines)
    A child pool cost pounds                (K lines)

Every engine solves the same network as placewise's flow core: each child takes a place in one
of its candidate pools or stays unplaced (at its unplaced cost); a pool takes at most `free`
children; the objective is the sum of the chosen costs and unplaced penalties.

The JSON has the fields of `placewise-dev solve-instance --json`: engine, instance, children,
pools, candidates, read_seconds, build_seconds, solve_seconds, objective (integer, recomputed
from the solution), solver_objective, status, exact, placed, peak_rss_mib (this process;
`child_peak_rss_mib` adds the peak of solver subprocesses such as CBC).
"""

import argparse
import json
import resource
import sys
import time

import numpy as np
import pandas as pd


class Instance:
    """The numeric tables of an instance, as numpy arrays."""

    def __init__(self, path):
        started = time.perf_counter()
        with open(path, "rb") as f:
            header = f.readline().decode("ascii", "replace").split()
        if (
            len(header) != 8
            or header[0] != "placewise-instance"
            or header[1] != "v1"
            or header[2:7:2] != ["children", "pools", "candidates"]
        ):
            raise SystemExit(f"{path}: line 1: not a placewise-instance v1 header")
        self.n, self.m, self.k = int(header[3]), int(header[5]), int(header[7])

        def section(skip, rows, cols, tag):
            if rows == 0:
                return np.zeros((0, len(cols)), dtype=np.int64)
            table = pd.read_csv(
                path,
                sep=" ",
                header=None,
                skiprows=skip,
                nrows=rows,
                usecols=[0] + cols,
                dtype={0: str, **{c: np.int64 for c in cols}},
                engine="c",
                na_filter=False,
            )
            if len(table) != rows or (table[0] != tag).any():
                raise SystemExit(f"{path}: the {tag} section is not {rows} `{tag}` lines")
            return table[cols].to_numpy(dtype=np.int64)

        self.free = section(1, self.m, [1], "P")[:, 0]
        self.unplaced = section(1 + self.m, self.n, [1], "C")[:, 0]
        arcs = section(1 + self.m + self.n, self.k, [1, 2, 3], "A")
        self.child = np.ascontiguousarray(arcs[:, 0])
        self.pool = np.ascontiguousarray(arcs[:, 1])
        self.cost = np.ascontiguousarray(arcs[:, 2])
        self.read_seconds = time.perf_counter() - started

    def objective(self, chosen):
        """Integer objective of a 0/1 vector over the candidates (at most one per child)."""
        chosen = np.asarray(chosen, dtype=bool)
        placed = np.zeros(self.n, dtype=bool)
        placed[self.child[chosen]] = True
        return int(self.cost[chosen].sum()) + int(self.unplaced[~placed].sum()), int(placed.sum())


def solve_ortools(inst, report):
    from ortools.graph.python import min_cost_flow

    t = time.perf_counter()
    n, m = inst.n, inst.m
    sink = n + m
    smcf = min_cost_flow.SimpleMinCostFlow()
    children = np.arange(n, dtype=np.int64)
    pools = np.arange(m, dtype=np.int64)
    tails = np.concatenate([inst.child, children, n + pools])
    heads = np.concatenate([n + inst.pool, np.full(n, sink, dtype=np.int64), np.full(m, sink, dtype=np.int64)])
    caps = np.concatenate([np.ones(inst.k + n, dtype=np.int64), inst.free])
    costs = np.concatenate([inst.cost, inst.unplaced, np.zeros(m, dtype=np.int64)])
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.concatenate([np.ones(n, dtype=np.int64), np.zeros(m, dtype=np.int64), [-n]])
    smcf.set_nodes_supplies(np.arange(n + m + 1, dtype=np.int64), supplies)
    report["build_seconds"] = time.perf_counter() - t

    t = time.perf_counter()
    status = smcf.solve()
    report["solve_seconds"] = time.perf_counter() - t
    if status != smcf.OPTIMAL:
        report["status"] = f"status {status}"
        return
    flows = smcf.flows(np.arange(inst.k, dtype=np.int64))
    report["objective"], report["placed"] = inst.objective(flows > 0)
    report["solver_objective"] = float(smcf.optimal_cost())
    report["status"] = "optimal"
    report["exact"] = True


def solve_highspy(inst, report):
    import highspy

    t = time.perf_counter()
    n, m, k = inst.n, inst.m, inst.k
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    lp = highspy.HighsLp()
    lp.num_col_ = k + n
    lp.num_row_ = n + m
    lp.col_cost_ = np.concatenate([inst.cost, inst.unplaced]).astype(np.float64)
    lp.col_lower_ = np.zeros(k + n)
    lp.col_upper_ = np.ones(k + n)
    lp.row_lower_ = np.concatenate([np.ones(n), np.full(m, -highspy.kHighsInf)])
    lp.row_upper_ = np.concatenate([np.ones(n), inst.free.astype(np.float64)])
    # Column-wise: candidate k has a 1 in its child's row and in its pool's row; the unplaced
    # column of child i has a 1 in row i.
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.concatenate([np.arange(0, 2 * k + 1, 2), 2 * k + 1 + np.arange(n)]).astype(np.int32)
    index = np.empty(2 * k + n, dtype=np.int32)
    index[0 : 2 * k : 2] = inst.child
    index[1 : 2 * k : 2] = n + inst.pool
    index[2 * k :] = np.arange(n)
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = np.ones(2 * k + n)
    h.passModel(lp)
    report["build_seconds"] = time.perf_counter() - t

    t = time.perf_counter()
    h.run()
    report["solve_seconds"] = time.perf_counter() - t
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        report["status"] = h.modelStatusToString(status)
        return
    x = np.asarray(h.getSolution().col_value)[:k]
    report["solver_objective"] = float(h.getInfo().objective_function_value)
    if np.all(np.minimum(x, 1 - x) <= 1e-6):
        report["objective"], report["placed"] = inst.objective(x > 0.5)
        report["status"] = "optimal"
        report["exact"] = True
    else:
        report["status"] = "optimal-fractional"


def solve_pulp(inst, report):
    import pulp

    t = time.perf_counter()
    n, m, k = inst.n, inst.m, inst.k
    prob = pulp.LpProblem("placement", pulp.LpMinimize)
    x = [pulp.LpVariable(f"x{j}", cat=pulp.LpBinary) for j in range(k)]
    u = [pulp.LpVariable(f"u{i}", lowBound=0, upBound=1) for i in range(n)]
    cost = inst.cost.tolist()
    unplaced = inst.unplaced.tolist()
    prob += pulp.LpAffineExpression(list(zip(x, cost)) + list(zip(u, unplaced)))
    by_child = [[] for _ in range(n)]
    by_pool = [[] for _ in range(m)]
    for j, (c, p) in enumerate(zip(inst.child.tolist(), inst.pool.tolist())):
        by_child[c].append(x[j])
        by_pool[p].append(x[j])
    for i in range(n):
        expr = pulp.LpAffineExpression([(v, 1) for v in by_child[i]] + [(u[i], 1)])
        prob += pulp.LpConstraint(expr, pulp.LpConstraintEQ, f"child{i}", 1)
    for p in range(m):
        if by_pool[p]:
            expr = pulp.LpAffineExpression([(v, 1) for v in by_pool[p]])
            prob += pulp.LpConstraint(expr, pulp.LpConstraintLE, f"pool{p}", int(inst.free[p]))
    report["build_seconds"] = time.perf_counter() - t

    t = time.perf_counter()
    status = prob.solve(pulp.PULP_CBC_CMD(msg=False, threads=1))
    report["solve_seconds"] = time.perf_counter() - t
    if pulp.LpStatus[status] != "Optimal":
        report["status"] = pulp.LpStatus[status]
        return
    chosen = np.array([(v.varValue or 0.0) > 0.5 for v in x], dtype=bool)
    report["objective"], report["placed"] = inst.objective(chosen)
    report["solver_objective"] = float(pulp.value(prob.objective))
    report["status"] = "optimal"
    report["exact"] = True


def solve_matching(inst, report):
    """Hospital-residents, children proposing, with the preferences of placewise's stable mode:
    a child ranks its candidate pools by (cost, pool), a pool ranks children by (cost, child).
    Pools without free places are left out (nobody could be placed there)."""
    import warnings

    from matching.games import HospitalResident

    t = time.perf_counter()
    order = np.lexsort((inst.pool, inst.cost, inst.child))  # by child, then cost, then pool
    usable = inst.free[inst.pool] > 0
    resident_prefs = {i: [] for i in range(inst.n)}
    for j in order.tolist():
        if usable[j]:
            resident_prefs[int(inst.child[j])].append(int(inst.pool[j]))
    hospital_prefs = {p: [] for p in range(inst.m) if inst.free[p] > 0}
    for j in np.lexsort((inst.child, inst.cost, inst.pool)).tolist():  # by pool, cost, child
        if usable[j]:
            hospital_prefs[int(inst.pool[j])].append(int(inst.child[j]))
    capacities = {p: int(inst.free[p]) for p in hospital_prefs}
    # Children without a usable candidate stay unplaced; the library wants non-empty lists.
    resident_prefs = {i: prefs for i, prefs in resident_prefs.items() if prefs}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
    report["build_seconds"] = time.perf_counter() - t

    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        matching = game.solve(optimal="resident")
    report["solve_seconds"] = time.perf_counter() - t
    pool_of = {}
    for hospital, residents in matching.items():
        for r in residents:
            pool_of[r.name] = hospital.name
    position = {(int(c), int(p)): j for j, (c, p) in enumerate(zip(inst.child, inst.pool))}
    chosen = np.zeros(inst.k, dtype=bool)
    for c, p in pool_of.items():
        chosen[position[(c, p)]] = True
    report["objective"], report["placed"] = inst.objective(chosen)
    report["status"] = "stable"


ENGINES = {
    "ortools-mcf": solve_ortools,
    "highspy-lp": solve_highspy,
    "pulp-cbc": solve_pulp,
    "matching-hr": solve_matching,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", required=True, choices=sorted(ENGINES))
    parser.add_argument("instance")
    args = parser.parse_args()
    inst = Instance(args.instance)
    report = {
        "engine": args.engine,
        "instance": args.instance,
        "children": inst.n,
        "pools": inst.m,
        "candidates": inst.k,
        "read_seconds": inst.read_seconds,
        "build_seconds": None,
        "solve_seconds": None,
        "objective": None,
        "solver_objective": None,
        "status": "",
        "exact": False,
        "placed": 0,
    }
    if args.engine == "matching-hr":
        # The library deep-copies its graph of players recursively: give it a deep stack.
        import threading

        sys.setrecursionlimit(10**7)
        threading.stack_size(1 << 30)
        failure = []

        def target():
            try:
                solve_matching(inst, report)
            except BaseException as e:  # reported below, from the main thread
                failure.append(e)

        worker = threading.Thread(target=target)
        worker.start()
        worker.join()
        if failure:
            raise SystemExit(f"matching-hr failed: {type(failure[0]).__name__}: {failure[0]}")
    else:
        ENGINES[args.engine](inst, report)
    report["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report["child_peak_rss_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
