//! The optimality certificate: checks any flow and its potentials against the network
//! (conservation, bounds, cost, complementary slackness), however they were found.

use super::*;

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
