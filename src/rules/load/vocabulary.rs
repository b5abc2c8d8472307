//! The rules' vocabularies: plan levels and setting features, read before the rules that use
//! them.

use super::draft::Draft;
use crate::diag::Diagnostics;
use crate::rules::schema::*;
use crate::rules::toml_read::{Fields, Source, Text};

/// Reads the plan levels (`[[level]]`) and setting features (`[[feature]]`) of one file, each
/// replacing an earlier one of its id.
pub(super) fn read_vocabulary(
    src: &Source<'_>,
    top: &mut Fields<'_, '_>,
    draft: &mut Draft,
    diags: &mut Diagnostics,
) {
    let keys = &["id", "rank", "text"];
    let rank =
        |f: &mut Fields<'_, '_>, diags: &mut Diagnostics| f.req_within(src, "rank", 0..=255, diags);
    for (id, text, rank) in read_entries(src, top, "level", keys, diags, rank) {
        if let Some(rank) = rank {
            draft.levels.retain(|l| l.id != id);
            draft.levels.push(PlanLevel {
                id,
                rank: rank as u8,
                text,
            });
        }
    }
    for (id, text, ()) in read_entries(src, top, "feature", &["id", "text"], diags, |_, _| ()) {
        draft.features.retain(|x| x.id != id);
        draft.features.push(FeatureDef { id, text });
    }
}

/// The entries of the array of tables `key`: each one's `id` (required), `text` (empty when
/// left out) and the rest as read by `rest`, with keys not in `keys` reported. An entry without
/// an id is left out.
fn read_entries<T>(
    src: &Source<'_>,
    top: &mut Fields<'_, '_>,
    key: &str,
    keys: &[&str],
    diags: &mut Diagnostics,
    mut rest: impl FnMut(&mut Fields<'_, '_>, &mut Diagnostics) -> T,
) -> Vec<(String, String, T)> {
    let mut entries = Vec::new();
    for mut f in top.opt::<Vec<Fields>>(src, key, diags).unwrap_or_default() {
        let id = f.req::<Text>(src, "id", diags);
        let rest = rest(&mut f, diags);
        let text = f
            .opt::<Text>(src, "text", diags)
            .map(|t| t.0)
            .unwrap_or_default();
        f.finish(src, keys, diags);
        if let Some((id, _)) = id {
            entries.push((id, text, rest));
        }
    }
    entries
}
