//! Every child's list, streamed: children are taken in child-id order in chunks, each chunk's
//! lists are built (and mapped, e.g. rendered) in parallel, and the results are handed over one
//! by one in child-id order. Memory is bounded by one chunk, and the sequence handed over is
//! the same for any number of threads.

use super::{ListQuery, TailoredList, build_list};
use crate::engine::Engine;
use rayon::prelude::*;

/// Children per chunk: enough to keep every core busy, few enough to bound memory.
const CHUNK: usize = 512;

/// Builds every child's list as `query` asks, passes each through `map` (in parallel) and
/// hands the results to `sink` in child-id order. Stops at the first error from `sink`.
///
/// ```
/// use placewise::testing::{engine::Engine, io::load_area, lists::{for_each_list, ListQuery}};
/// let loaded = load_area("fixtures/demo".as_ref(), "rules/england".as_ref()).unwrap();
/// let engine = Engine::new(&loaded.rules, &loaded.area);
/// let mut ids = Vec::new();
/// for_each_list(&engine, &ListQuery::default(), |list| list.child, |id| {
///     ids.push(id);
///     Ok::<(), ()>(())
/// })
/// .unwrap();
/// assert_eq!(ids.len(), 20);
/// assert!(ids.windows(2).all(|w| w[0] < w[1]));
/// ```
pub fn for_each_list<T: Send, E>(
    engine: &Engine<'_>,
    query: &ListQuery,
    map: impl Fn(TailoredList) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let n = engine.children.len();
    let mut start = 0;
    while start < n {
        let end = (start + CHUNK).min(n);
        let done: Vec<T> = (start..end)
            .into_par_iter()
            .map(|c| map(build_list(engine, c, query)))
            .collect();
        for item in done {
            sink(item)?;
        }
        start = end;
    }
    Ok(())
}
