//! The SEN2 person-level return as a tree of module records, the same whichever file it came
//! from (the XML message or the COLLECT Blade CSV export). Every item keeps where it was read,
//! so that whoever interprets the return can locate each diagnostic.

use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use std::path::PathBuf;
use std::sync::Arc;

/// A module of the return (DfE SEN2 person-level technical specification).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Module {
    /// Module 0: the return's header (collection, reference date, authority).
    Header,
    /// Module 1: one child or young person.
    Person,
    /// Module 2: a request for an EHC needs assessment.
    Requests,
    /// Module 3: the assessment that followed a request.
    Assessment,
    /// Module 4a: a plan issued after an assessment.
    NamedPlan,
    /// Module 4b: a setting named in that plan.
    PlanDetail,
    /// Module 5a: a plan active on the reference date.
    ActivePlans,
    /// Module 5b: a placement of an active plan.
    PlacementDetail,
    /// Module 5c: a need of an active plan, by rank.
    SenNeed,
}

impl Module {
    /// Every module, parents before children.
    pub const ALL: [Module; 9] = [
        Module::Header,
        Module::Person,
        Module::Requests,
        Module::Assessment,
        Module::NamedPlan,
        Module::PlanDetail,
        Module::ActivePlans,
        Module::PlacementDetail,
        Module::SenNeed,
    ];

    /// The element name in the XML message.
    pub fn xml_name(self) -> &'static str {
        match self {
            Module::Header => "Header",
            Module::Person => "Person",
            Module::Requests => "Requests",
            Module::Assessment => "Assessment",
            Module::NamedPlan => "NamedPlan",
            Module::PlanDetail => "PlanDetail",
            Module::ActivePlans => "ActivePlans",
            Module::PlacementDetail => "PlacementDetail",
            Module::SenNeed => "SENneed",
        }
    }

    /// The Blade export's file stem, e.g. `placementdetail`.
    pub fn blade_name(self) -> &'static str {
        match self {
            Module::Header => "sen2",
            Module::Person => "person",
            Module::Requests => "requests",
            Module::Assessment => "assessment",
            Module::NamedPlan => "namedplan",
            Module::PlanDetail => "plandetail",
            Module::ActivePlans => "activeplans",
            Module::PlacementDetail => "placementdetail",
            Module::SenNeed => "senneed",
        }
    }

    /// The module a record of this one sits in (`None` for the header and persons).
    pub fn parent(self) -> Option<Module> {
        match self {
            Module::Header | Module::Person => None,
            Module::Requests => Some(Module::Person),
            Module::Assessment | Module::ActivePlans => Some(Module::Requests),
            Module::NamedPlan => Some(Module::Assessment),
            Module::PlanDetail => Some(Module::NamedPlan),
            Module::PlacementDetail | Module::SenNeed => Some(Module::ActivePlans),
        }
    }

    /// The Blade column holding a record's own table id (`None` for the header).
    pub fn table_id(self) -> Option<&'static str> {
        match self {
            Module::Header => None,
            Module::Person => Some("persontableid"),
            Module::Requests => Some("requeststableid"),
            Module::Assessment => Some("assessmenttableid"),
            Module::NamedPlan => Some("namedplantableid"),
            Module::PlanDetail => Some("plandetailtableid"),
            Module::ActivePlans => Some("activeplanstableid"),
            Module::PlacementDetail => Some("placementdetailtableid"),
            Module::SenNeed => Some("senneedtableid"),
        }
    }

    /// The items (data fields) of the module, in lower case as the Blade export names its
    /// columns; the XML uses the same names as elements (matched without regard to case).
    pub fn items(self) -> &'static [&'static str] {
        match self {
            Module::Header => &[
                "collection",
                "year",
                "referencedate",
                "sourcelevel",
                "lea",
                "softwarecode",
                "release",
                "serialno",
                "datetime",
                "dmo",
                "dco",
            ],
            Module::Person => &[
                "persontableid",
                "surname",
                "forename",
                "personbirthdate",
                "gendercurrent",
                "sex",
                "ethnicity",
                "postcode",
                "upn",
                "uniquelearnernumber",
                "upnunknown",
            ],
            Module::Requests => &[
                "requeststableid",
                "receiveddate",
                "requestsource",
                "rya",
                "requestoutcomedate",
                "requestoutcome",
                "requestmediation",
                "requesttribunal",
                "exported",
            ],
            Module::Assessment => &[
                "assessmenttableid",
                "assessmentoutcome",
                "assessmentoutcomedate",
                "assessmentmediation",
                "assessmenttribunal",
                "othermediation",
                "othertribunal",
            ],
            Module::NamedPlan => &[
                "namedplantableid",
                "startdate",
                "planres",
                "planwbp",
                "pb",
                "oa",
                "dp",
                "ceasedate",
                "ceasereason",
            ],
            Module::PlanDetail => &[
                "plandetailtableid",
                "urn",
                "ukprn",
                "sensetting",
                "sensettingother",
                "placementrank",
                "senunitindicator",
                "resourcedprovisionindicator",
            ],
            Module::ActivePlans => &[
                "activeplanstableid",
                "transferla",
                "res",
                "wbp",
                "reviewmeeting",
                "reviewoutcome",
                "reviewdraft",
                "phasetransferduedate",
                "phasetransferfinaldate",
                "lastreview",
            ],
            Module::PlacementDetail => &[
                "placementdetailtableid",
                "urn",
                "ukprn",
                "sensetting",
                "sensettingother",
                "placementrank",
                "entrydate",
                "leavingdate",
                "attendancepattern",
                "senunitindicator",
                "resourcedprovisionindicator",
                "res",
                "wbp",
            ],
            Module::SenNeed => &["senneedtableid", "sentype", "sentyperank"],
        }
    }

    /// The module whose XML element or Blade file is called `name` (any case).
    pub fn named(name: &str) -> Option<Module> {
        Module::ALL.into_iter().find(|m| {
            m.xml_name().eq_ignore_ascii_case(name) || m.blade_name().eq_ignore_ascii_case(name)
        })
    }

    /// The item of this module called `name` (any case, `_` and `-` ignored).
    pub fn item(self, name: &str) -> Option<&'static str> {
        let key = normalise_name(name);
        self.items().iter().copied().find(|i| *i == key)
    }
}

/// A name as the module tables spell items: lower case, without `_`, `-` or spaces.
pub fn normalise_name(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// One item's value and where it was read.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    /// The text, trimmed, entities resolved.
    pub text: String,
    /// Where the value (its element or cell) is.
    pub location: Location,
}

/// One module record: its items and the records inside it.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// Which module.
    pub module: Module,
    /// The file it was read from.
    pub file: Arc<PathBuf>,
    /// Where the record starts (its element, or its CSV row).
    pub location: Location,
    /// The element path for XML (`Person[3]/Requests[1]`); empty for CSV rows.
    pub path: String,
    /// Items given, in the order read.
    pub items: Vec<(&'static str, Value)>,
    /// Records inside this one.
    pub children: Vec<Record>,
}

impl Record {
    /// The value of `item`, when given and not blank.
    pub fn get(&self, item: &str) -> Option<&Value> {
        self.items
            .iter()
            .find(|(k, v)| *k == item && !v.text.is_empty())
            .map(|(_, v)| v)
    }

    /// The text of `item`, when given and not blank.
    pub fn text(&self, item: &str) -> Option<&str> {
        self.get(item).map(|v| v.text.as_str())
    }

    /// The records of module `module` inside this one.
    pub fn children_of(&self, module: Module) -> impl Iterator<Item = &Record> {
        self.children.iter().filter(move |r| r.module == module)
    }

    /// The field name used in diagnostics about `item`: the element path for XML, the
    /// column for CSV.
    pub fn field(&self, item: &str) -> String {
        if self.path.is_empty() {
            item.to_string()
        } else {
            format!("{}/{}", self.path, item)
        }
    }

    /// A diagnostic about `item` of this record, at the item when it was given, else at the
    /// record.
    pub fn error(&self, code: Code, item: &str, message: impl Into<String>) -> Diagnostic {
        let location = match (self.items.iter().find(|(k, _)| *k == item), &self.location) {
            (Some((_, v)), _) => v.location.clone(),
            (None, Location::Row { row, .. }) => Location::Row {
                row: *row,
                column: item.to_string(),
            },
            (None, l) => l.clone(),
        };
        Diagnostic::file(code, &self.file, message)
            .at(location)
            .field(self.field(item))
    }
}

/// A whole return: its header and its persons, in file order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sen2Return {
    /// Module 0, when the file has one.
    pub header: Option<Record>,
    /// Module 1 records with everything inside them.
    pub persons: Vec<Record>,
    /// Problems found while reading that did not stop it (unknown elements, misplaced
    /// modules, rows whose parent is missing): reported with everything else the import finds.
    pub diagnostics: Diagnostics,
}
