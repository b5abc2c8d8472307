//! The rules' vocabularies: plan levels and setting features, read before the rules that use
//! them.

use super::draft::Draft;
use crate::rules::schema::*;
use crate::rules::toml_read::{Fields, Source};
use crate::diag::Diagnostics;

pub(super) fn read_levels(
    src: &Source<'_>,
    top: &mut Fields<'_, '_>,
    draft: &mut Draft,
    diags: &mut Diagnostics,
) {
    for mut f in top.opt_table_array(src, "level", diags) {
        let id = f.req_str(src, "id", diags);
        let rank = f.req_int(src, "rank", (0, 255), "an integer from 0 to 255", diags);
        let text = f
            .opt_str(src, "text", diags)
            .map(|t| t.0)
            .unwrap_or_default();
        f.finish(src, &["id", "rank", "text"], diags);
        if let (Some((id, span)), Some(rank)) = (id, rank) {
            if draft.levels.iter().any(|l| l.id == id) {
                draft.levels.retain(|l| l.id != id);
                let _ = span;
            }
            draft.levels.push(PlanLevel {
                id,
                rank: rank as u8,
                text,
            });
        }
    }
}

pub(super) fn read_features(
    src: &Source<'_>,
    top: &mut Fields<'_, '_>,
    draft: &mut Draft,
    diags: &mut Diagnostics,
) {
    for mut f in top.opt_table_array(src, "feature", diags) {
        let id = f.req_str(src, "id", diags);
        let text = f
            .opt_str(src, "text", diags)
            .map(|t| t.0)
            .unwrap_or_default();
        f.finish(src, &["id", "text"], diags);
        if let Some((id, _)) = id {
            draft.features.retain(|x| x.id != id);
            draft.features.push(FeatureDef { id, text });
        }
    }
}
