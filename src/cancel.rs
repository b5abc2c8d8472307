//! Cooperative cancellation of long runs (placements, plans).
//!
//! A [`Cancel`] is a shared flag with an optional deadline. The caller keeps one clone and
//! gives another to the run; the run checks it between its steps and stops early with an
//! error when it is set or the deadline has passed. Guarantee: a run that observes the flag
//! returns within one step (one placement phase, one plan draw, one HiGHS solve, whose own
//! time limit is cut to the deadline), and nothing it returns after that is a partial result
//! presented as a whole one.
//!
//! ```
//! use placewise::{Cancel, PlacementError, PlacementOptions, Session};
//! let session = Session::open("fixtures/demo".as_ref()).unwrap();
//! let cancel = Cancel::new();
//! cancel.cancel();
//! let run = session.place_cancellable(&PlacementOptions::default(), &cancel);
//! assert!(matches!(run, Err(PlacementError::Cancelled)));
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A shared stop flag with an optional deadline; clones share the flag.
#[derive(Clone, Debug, Default)]
pub struct Cancel {
    flag: Arc<AtomicBool>,
    deadline: Option<Instant>,
}

impl Cancel {
    /// A flag that is not set and has no deadline.
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// A flag that also counts as set once `deadline` has passed.
    pub fn with_deadline(deadline: Instant) -> Cancel {
        Cancel {
            flag: Arc::default(),
            deadline: Some(deadline),
        }
    }

    /// Asks every holder of a clone to stop.
    pub fn cancel(&self) {
        self.flag.store(true, Ordering::Release);
    }

    /// True once [`Cancel::cancel`] was called on any clone or the deadline has passed.
    pub fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::Acquire) || self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// Time left before the deadline (zero once cancelled); `None` without a deadline.
    pub fn remaining(&self) -> Option<Duration> {
        if self.flag.load(Ordering::Acquire) {
            return Some(Duration::ZERO);
        }
        self.deadline
            .map(|d| d.saturating_duration_since(Instant::now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_flag_and_a_passed_deadline_counts_as_set() {
        let a = Cancel::new();
        let b = a.clone();
        assert!(!b.is_cancelled() && b.remaining().is_none());
        a.cancel();
        assert!(b.is_cancelled());
        assert_eq!(b.remaining(), Some(Duration::ZERO));
        let past = Cancel::with_deadline(Instant::now());
        assert!(past.is_cancelled());
        let later = Cancel::with_deadline(Instant::now() + Duration::from_secs(60));
        assert!(!later.is_cancelled());
        assert!(later.remaining().unwrap() > Duration::from_secs(30));
    }
}
