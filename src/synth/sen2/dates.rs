//! Dates as the SEN2 files write them: `2025-01-16` (XML), `2025-01-16T00:00:00`,
//! `2022-Sep-28 00:00:00` (COLLECT Blade export) or `16/01/2025`.

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

impl Date {
    /// Parses one of the accepted forms; `None` for anything else or an impossible date.
    pub fn parse(text: &str) -> Option<Date> {
        let day_part = text.trim().split(['T', ' ']).next()?;
        let parts: Vec<&str> = if day_part.contains('/') {
            let mut p: Vec<&str> = day_part.split('/').collect();
            p.reverse();
            p
        } else {
            day_part.split('-').collect()
        };
        let [y, m, d] = parts.as_slice() else {
            return None;
        };
        let year: i32 = y.parse().ok()?;
        let month: u32 = match m.parse() {
            Ok(v) => v,
            Err(_) => {
                let lower = m.to_ascii_lowercase();
                MONTHS.iter().position(|x| *x == lower)? as u32 + 1
            }
        };
        let day: u32 = d.parse().ok()?;
        let days = match month {
            2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            1..=12 => 31,
            _ => return None,
        };
        ((1800..=2200).contains(&year) && (1..=days).contains(&day)).then_some(Date {
            year,
            month,
            day,
        })
    }

    /// The school cohort: the calendar year in which a child born on this date turns five
    /// during the reception year's autumn-to-summer span (born September Y-1 to August Y).
    pub fn cohort(self) -> i32 {
        if self.month >= 9 {
            self.year + 1
        } else {
            self.year
        }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// National curriculum year (reception = 0) in the academic year starting September
/// `academic_year` of a child of `cohort` (see [`Date::cohort`]).
pub fn year_group(cohort: i32, academic_year: i32) -> i32 {
    academic_year - cohort - 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sen2_dates_in_every_form() {
        let want = Date {
            year: 2022,
            month: 9,
            day: 28,
        };
        for t in [
            "2022-09-28",
            "2022-09-28T00:00:00",
            "2022-Sep-28 00:00:00",
            "28/09/2022",
        ] {
            assert_eq!(Date::parse(t), Some(want), "{t}");
        }
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("2024-02-29").map(|d| d.day), Some(29));
        assert_eq!(Date::parse("yesterday"), None);
        // Born October 2019: reception 2024/25, year 1 in 2025/26.
        let dob = Date::parse("2019-10-01").unwrap();
        assert_eq!(year_group(dob.cohort(), 2025), 1);
        let dob = Date::parse("2020-08-31").unwrap();
        assert_eq!(year_group(dob.cohort(), 2025), 1);
    }
}
