//! The columns of an area folder's tables, listed once: the reader checks a file's header
//! against them, the synthesiser writes them in this order, and the workbook converter types
//! its cells by them.

/// How a column is read and written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// Every file must have it; written.
    Required,
    /// A file may leave it out; written.
    Optional,
    /// Read when present (an alternative to another column), never written.
    ReadOnly,
}

/// What a column's cells hold, for a workbook: numbers are written as numbers when their text
/// is a number's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cells {
    /// Text (ids, codes, lists).
    Text,
    /// A number (a year group, metres, places, an intensity).
    Number,
    /// An amount in pounds.
    Money,
}

/// One column of an area table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// The header.
    pub name: &'static str,
    /// Whether a file must have it and whether it is written.
    pub presence: Presence,
    /// What its cells hold.
    pub cells: Cells,
}

/// One table of an area folder: its file and its columns in the order they are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AreaTable {
    /// The file's name in the folder.
    pub file: &'static str,
    /// The columns, in written order.
    pub columns: &'static [Column],
}

impl AreaTable {
    fn names(&self, keep: impl Fn(Presence) -> bool) -> Vec<&'static str> {
        self.columns
            .iter()
            .filter(|c| keep(c.presence))
            .map(|c| c.name)
            .collect()
    }

    /// The columns a file must have.
    pub fn required(&self) -> Vec<&'static str> {
        self.names(|p| p == Presence::Required)
    }

    /// The columns a file may have besides the required ones.
    pub fn optional(&self) -> Vec<&'static str> {
        self.names(|p| p != Presence::Required)
    }

    /// The header as written.
    pub fn written(&self) -> Vec<&'static str> {
        self.names(|p| p != Presence::ReadOnly)
    }

    /// What the cells of the column `name` hold (text for a column the table does not have).
    pub fn cells(&self, name: &str) -> Cells {
        self.columns
            .iter()
            .find(|c| c.name == name)
            .map_or(Cells::Text, |c| c.cells)
    }
}

const fn text(name: &'static str, presence: Presence) -> Column {
    Column {
        name,
        presence,
        cells: Cells::Text,
    }
}

const fn number(name: &'static str, presence: Presence) -> Column {
    Column {
        name,
        presence,
        cells: Cells::Number,
    }
}

use Presence::{Optional, ReadOnly, Required};

/// `settings.csv`: one row per setting.
#[rustfmt::skip]
pub const SETTINGS: AreaTable = AreaTable {
    file: "settings.csv",
    columns: &[
        text("id", Required), text("name", Required), text("kind", Required),
        text("host", Optional),
        number("first_year", Required), number("last_year", Required), text("admits", Optional),
        number("easting", Required), number("northing", Required),
        text("designations", Optional), text("features", Optional), text("locality", Optional),
        Column { name: "annual_fee", presence: Optional, cells: Cells::Money },
        text("s41_approved", Optional), text("local_authority", Optional),
        text("packages", Optional),
    ],
};

/// `pools.csv`: one row per place pool of a setting.
#[rustfmt::skip]
pub const POOLS: AreaTable = AreaTable {
    file: "pools.csv",
    columns: &[
        text("setting", Required), text("pool", Required),
        number("first_year", Required), number("last_year", Required),
        number("capacity", Required), number("on_roll", Required),
        text("inclusion_base", Optional),
    ],
};

/// `children.csv`: one row per child (a year group, or a date of birth to derive it from).
#[rustfmt::skip]
pub const CHILDREN: AreaTable = AreaTable {
    file: "children.csv",
    columns: &[
        text("id", Required), number("year", Optional), text("date_of_birth", ReadOnly),
        text("sex", Required), number("easting", Required), number("northing", Required),
        text("primary_need", Required), text("secondary_needs", Optional),
        number("intensity_communication", Optional), number("intensity_cognition", Optional),
        number("intensity_semh", Optional), number("intensity_sensory", Optional),
        text("features", Optional), text("plan_level", Required),
        text("current_setting", Optional), text("preferences", Optional),
        text("siblings_at", Optional), text("needs_place", Optional), text("locality", Optional),
        text("arrangement", Optional), text("package", Optional),
    ],
};

/// The three tables of an area, in the order they are read.
pub const AREA_TABLES: [AreaTable; 3] = [SETTINGS, POOLS, CHILDREN];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reader_and_the_writer_see_the_columns_in_one_order() {
        assert_eq!(
            SETTINGS.required(),
            [
                "id",
                "name",
                "kind",
                "first_year",
                "last_year",
                "easting",
                "northing"
            ]
        );
        assert_eq!(CHILDREN.optional()[..2], ["year", "date_of_birth"]);
        assert!(!CHILDREN.written().contains(&"date_of_birth"));
        assert_eq!(CHILDREN.written().len(), 20);
        assert_eq!(POOLS.optional(), ["inclusion_base"]);
        assert_eq!(SETTINGS.cells("annual_fee"), Cells::Money);
        assert_eq!(CHILDREN.cells("intensity_sensory"), Cells::Number);
        assert_eq!(CHILDREN.cells("no-such-column"), Cells::Text);
        for t in AREA_TABLES {
            let names = t.written();
            let unique: std::collections::BTreeSet<_> = names.iter().collect();
            assert_eq!(unique.len(), names.len(), "{}", t.file);
        }
    }
}
