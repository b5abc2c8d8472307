//! The rules' vocabularies: plan levels and setting features, read before the rules that use
//! them.

use super::draft::Draft;
use crate::diag::Diagnostics;
use crate::rules::schema::*;
use crate::rules::toml_read::{Fields, Source, Text};

pub(super) fn read_levels(
    src: &Source<'_>,
    top: &mut Fields<'_, '_>,
    draft: &mut Draft,
    diags: &mut Diagnostics,
) {
    for mut f in top
        .opt::<Vec<Fields>>(src, "level", diags)
        .unwrap_or_default()
    {
        let id = f.req::<Text>(src, "id", diags);
        let rank = f.req_within(src, "rank", 0..=255, diags);
        let text = f
            .opt::<Text>(src, "text", diags)
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
    for mut f in top
        .opt::<Vec<Fields>>(src, "feature", diags)
        .unwrap_or_default()
    {
        let id = f.req::<Text>(src, "id", diags);
        let text = f
            .opt::<Text>(src, "text", diags)
            .map(|t| t.0)
            .unwrap_or_default();
        f.finish(src, &["id", "text"], diags);
        if let Some((id, _)) = id {
            draft.features.retain(|x| x.id != id);
            draft.features.push(FeatureDef { id, text });
        }
    }
}
