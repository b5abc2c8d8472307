//! Declarative rules: raw TOML (with spans) → validated typed rules ([`RuleSet`]) → compiled
//! form ([`CompiledRules`]). A plain reference interpreter ([`reference`]) evaluates the typed
//! rules directly; tests check that the compiled engine agrees with it.

mod compile;
mod load;
pub mod packages;
pub mod price_bands;
pub mod reference;
mod schema;
mod shipped;
pub mod tests_data;
pub(crate) mod toml_read;

pub use compile::{CompiledRules, child_holds, setting_holds};
#[cfg(any(test, feature = "testing"))]
pub use load::load_rule_dirs;
pub use load::{RuleFiles, load_layers};
pub use schema::*;
#[cfg(feature = "testing")]
pub use shipped::load_source;
pub use shipped::{ENGLAND_CASE_FILES, ENGLAND_FILES, RuleSource};

#[cfg(test)]
mod travel_tests;
