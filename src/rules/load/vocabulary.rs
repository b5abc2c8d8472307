//! The rules' vocabularies: plan levels and setting features, read before the rules that use
//! them.

use super::draft::Draft;
use crate::rules::schema::*;
use crate::rules::toml_read::{Fields, Text};

/// Reads the plan levels (`[[level]]`) and setting features (`[[feature]]`) of one file, each
/// replacing an earlier one of its id.
pub(super) fn read_vocabulary(top: &mut Fields<'_, '_>, draft: &mut Draft) {
    let keys = &["id", "rank", "text"];
    let rank = |f: &mut Fields<'_, '_>| f.req_within("rank", 0..=255);
    for (id, text, rank) in read_entries(top, "level", keys, rank) {
        if let Some(rank) = rank {
            draft.levels.retain(|l| l.id != id);
            draft.levels.push(PlanLevel {
                id,
                rank: rank as u8,
                text,
            });
        }
    }
    for (id, text, ()) in read_entries(top, "feature", &["id", "text"], |_| ()) {
        draft.features.retain(|x| x.id != id);
        draft.features.push(FeatureDef { id, text });
    }
}

/// The entries of the array of tables `key`: each one's `id` (required), `text` (empty when
/// left out) and the rest as read by `rest`, with keys not in `keys` reported. An entry without
/// an id is left out.
fn read_entries<T>(
    top: &mut Fields<'_, '_>,
    key: &str,
    keys: &[&str],
    mut rest: impl FnMut(&mut Fields<'_, '_>) -> T,
) -> Vec<(String, String, T)> {
    let mut entries = Vec::new();
    for mut f in top.opt::<Vec<Fields>>(key).unwrap_or_default() {
        let id = f.req::<Text>("id");
        let rest = rest(&mut f);
        let text = f.opt::<Text>("text").map(|t| t.0).unwrap_or_default();
        f.finish(keys);
        if let Some((id, _)) = id {
            entries.push((id, text, rest));
        }
    }
    entries
}
