//! The version of the JSON form of the library's outputs (tailored lists, explanations and
//! placement reports), written in each as `schema_version` and checked when one is read back.

/// The version of the JSON form of [`crate::TailoredList`], [`crate::Explanation`] and
/// [`crate::PlacementReport`], written first in each as `schema_version`. It changes only
/// when a field is removed, renamed or changes meaning; a field may be added within a
/// version. Reading JSON of another version is an error naming both versions.
///
/// ```
/// use placewise::{ChildId, ListOptions, SCHEMA_VERSION, Session, TailoredList};
/// let session = Session::open("fixtures/demo".as_ref()).unwrap();
/// let list = session.list(&ChildId::from("C0001"), ListOptions::new(3).unwrap()).unwrap();
/// let json = serde_json::to_string(&list).unwrap();
/// assert!(json.starts_with(&format!("{{\"schema_version\":{SCHEMA_VERSION},")));
/// let back: TailoredList = serde_json::from_str(&json).unwrap();
/// assert_eq!(serde_json::to_string(&back).unwrap(), json);
/// ```
pub const SCHEMA_VERSION: u32 = 1;

/// Reads a `schema_version`, refusing any but [`SCHEMA_VERSION`].
pub(crate) fn read<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let v = <u32 as serde::Deserialize>::deserialize(d)?;
    if v == SCHEMA_VERSION {
        Ok(v)
    } else {
        Err(serde::de::Error::custom(format!(
            "schema_version {v} is not one this build reads; expected {SCHEMA_VERSION}"
        )))
    }
}
