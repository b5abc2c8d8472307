//! The SEN2 person-level return (DfE): read from the XML message ([`xml`]) or the COLLECT
//! Blade CSV export ([`blade`]) into one tree of module records ([`Sen2Return`]), and written
//! as an XML message ([`write`]).

pub mod blade;
pub mod record;
pub mod write;
pub mod xml;

pub use record::{Module, Record, Sen2Return};

use crate::diag::Diagnostics;
use std::path::Path;

/// Reads a return: a folder is a Blade export, anything else an XML message.
pub fn read_return(path: &Path) -> Result<Sen2Return, Diagnostics> {
    if path.is_dir() {
        blade::read_blade(path)
    } else {
        xml::read_xml(path)
    }
}
