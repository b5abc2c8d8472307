//! Placement: the problem in solver terms, an exact min-cost-flow core, a stable-matching
//! comparison and a good_lp/HiGHS model for side constraints.

pub mod assign;
pub mod bottleneck;
pub mod flow;
#[cfg(any(test, feature = "testing"))]
pub mod instance;
pub mod lp;
pub mod problem;
pub mod stable;
