//! The report page: a plain-English summary per scenario, then each figure with its table of
//! the same numbers.

use super::*;

/// What the page shows, gathered once from the results.
pub(super) struct Page<'a> {
    pub(super) r: &'a PlanResults,
    /// Every year any scenario has, ascending.
    pub(super) years: Vec<i32>,
    /// Census need codes with a shortfall metric in the final year, largest shortfall first.
    pub(super) needs: Vec<String>,
    /// Kinds of setting in the mix (metric suffix, plain name).
    pub(super) kinds: Vec<(String, String)>,
}

impl<'a> Page<'a> {
    pub(super) fn new(r: &'a PlanResults) -> Page<'a> {
        let years: Vec<i32> = r
            .scenarios
            .iter()
            .flat_map(|s| s.years.iter().map(|y| y.year))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let last = years.last().copied();
        let final_metrics = |prefix: &str| -> BTreeSet<String> {
            let Some(last) = last else {
                return BTreeSet::new();
            };
            r.scenarios
                .iter()
                .filter_map(|s| s.years.iter().find(|y| y.year == last))
                .flat_map(|y| {
                    y.metrics
                        .keys()
                        .filter_map(|k| k.strip_prefix(prefix).map(str::to_string))
                })
                .collect()
        };
        let biggest = |code: &str| {
            let name = format!("{NEED_PREFIX}{code}");
            r.scenarios
                .iter()
                .filter_map(|s| last.and_then(|y| metric(s, y, &name)))
                .map(|q| q.p50)
                .fold(0.0, f64::max)
        };
        let mut needs: Vec<(f64, String)> = final_metrics(NEED_PREFIX)
            .into_iter()
            .map(|c| (biggest(&c), c))
            .collect();
        needs.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let found = final_metrics(SHARE_PREFIX);
        let largest_share = |kind: &str| {
            let name = format!("{SHARE_PREFIX}{kind}");
            r.scenarios
                .iter()
                .filter_map(|s| last.and_then(|y| metric(s, y, &name)))
                .map(|q| q.p50)
                .fold(0.0, f64::max)
        };
        let mut kinds: Vec<(String, String)> = SHARE_KINDS
            .iter()
            .enumerate()
            .filter(|(i, (k, _))| found.contains(*k) && (*i < 4 || largest_share(k) > 0.0))
            .map(|(_, (k, n))| (k.to_string(), n.to_string()))
            .collect();
        for k in &found {
            if !SHARE_KINDS.iter().any(|(known, _)| known == k) && largest_share(k) > 0.0 {
                kinds.push((k.clone(), k.replace('-', " ")));
            }
        }
        Page {
            r,
            years,
            needs: needs.into_iter().map(|(_, c)| c).collect(),
            kinds,
        }
    }

    pub(super) fn last(&self) -> Option<i32> {
        self.years.last().copied()
    }

    /// First and last year for the title: from the data, else from the plan's settings.
    pub(super) fn span(&self) -> (i32, i32) {
        match (self.years.first(), self.years.last()) {
            (Some(a), Some(b)) => (*a, *b),
            _ => (
                self.r.base_year,
                self.r.base_year + self.r.years.saturating_sub(1) as i32,
            ),
        }
    }

    pub(super) fn write(&self, out: &mut String) -> fmt::Result {
        let r = self.r;
        let area = if r.area.trim().is_empty() {
            "the area".to_string()
        } else {
            r.area.clone()
        };
        let (first, last) = self.span();
        let period = if first == last {
            academic(first)
        } else {
            format!("{} to {}", academic(first), academic(last))
        };
        writeln!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">"
        )?;
        writeln!(
            out,
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        )?;
        writeln!(
            out,
            "<title>SEND place sufficiency: {}, {}</title>",
            escape(&area),
            escape(&period)
        )?;
        writeln!(out, "<style>{CSS}</style>\n</head>\n<body>\n<main>")?;
        writeln!(
            out,
            "<h1>School places for children with SEND in {}</h1>",
            escape(&area)
        )?;
        if r.scenarios.is_empty() {
            writeln!(
                out,
                "<p class=\"lede\">This plan has no scenario results.</p>"
            )?;
        } else {
            writeln!(
                out,
                "<p class=\"lede\">Will there be a suitable school place for every child with special educational needs and disabilities? \
             Projection for the academic years {}, {}.</p>",
                escape(&period),
                match r.scenarios.len() {
                    1 => "for one scenario".to_string(),
                    n => format!("comparing {n} scenarios"),
                }
            )?;
        }
        writeln!(
            out,
            "<div class=\"howto\"><h2 class=\"plain\">How to read this report</h2><p>Each scenario was simulated {} times, each time with a different \
             plausible future (random seed {}). Figures give the <strong>median</strong> — the middle result — and, in brackets, the range from \
             the <strong>10th to the 90th percentile</strong>: 8 out of 10 simulations fell inside it. These are projections, not forecasts, \
             and they are advisory: people decide. Every figure for every measure is also in <code>metrics.csv</code> and \
             <code>results.json</code> beside this page.</p></div>",
            grouped(i64::from(r.draws)),
            r.seed
        )?;
        super::lead::write_lead(r, out)?;
        self.write_summaries(out)?;
        writeln!(out, "<h2>Charts and figures</h2>")?;
        self.write_shortfall(out)?;
        self.write_cost(out)?;
        self.write_mix(out)?;
        self.write_needs(out)?;
        writeln!(out, "<h2>Assumptions</h2>")?;
        if r.assumptions.is_empty() {
            writeln!(out, "<p>No assumptions were recorded with this plan.</p>")?;
        } else {
            writeln!(out, "<ul class=\"assumptions\">")?;
            for a in &r.assumptions {
                writeln!(out, "<li>{}</li>", escape(a))?;
            }
            writeln!(out, "</ul>")?;
        }
        writeln!(out, "<h2>About these figures</h2>")?;
        writeln!(
            out,
            "<dl class=\"facts\"><dt>Area</dt><dd>{}</dd><dt>Base year</dt><dd>{}</dd><dt>Years projected</dt><dd>{}</dd>\
             <dt>Simulations (draws) per scenario</dt><dd>{}</dd><dt>Random seed</dt><dd>{}</dd></dl>",
            escape(&area),
            academic(r.base_year),
            r.years,
            grouped(i64::from(r.draws)),
            r.seed
        )?;
        writeln!(
            out,
            "<p class=\"small\">Produced by placewise. Running the same plan with the same seed gives the same figures.</p>"
        )?;
        writeln!(out, "</main>\n</body>\n</html>")
    }

    pub(super) fn write_summaries(&self, out: &mut String) -> fmt::Result {
        writeln!(out, "<h2>Summary by scenario</h2>")?;
        let scenarios = &self.r.scenarios;
        let Some(last) = self.last() else {
            return writeln!(
                out,
                "<p>This plan has no scenario results, so there is nothing to summarise or compare.</p>"
            );
        };
        let first = self.years[0];
        writeln!(out, "<div class=\"scenarios\">")?;
        for (i, s) in scenarios.iter().enumerate() {
            writeln!(
                out,
                "<section class=\"scenario\" style=\"--swatch:{}\">",
                hex(scenario_colour(i))
            )?;
            writeln!(out, "<h3>{}</h3>", escape(&s.name))?;
            if !s.description.trim().is_empty() {
                writeln!(out, "<p class=\"desc\">{}</p>", escape(&s.description))?;
            }
            let mut lines = Vec::new();
            let unplaced = metric(s, last, UNPLACED);
            let cost = metric(s, last, COST);
            let stats: Vec<String> = [
                (
                    unplaced.map(|q| count(q.p50)),
                    "children without a suitable place",
                ),
                (cost.map(|q| money(q.p50)), "high-needs cost a year"),
            ]
            .into_iter()
            .filter_map(|(v, what)| {
                v.map(|v| format!("<div><span class=\"big\">{v}</span> {what}</div>"))
            })
            .collect();
            if !stats.is_empty() {
                writeln!(
                    out,
                    "<div class=\"stats\" aria-hidden=\"true\">{}<div class=\"when\">{}, median</div></div>",
                    stats.concat(),
                    academic(last)
                )?;
            }
            let mut headline = format!("In {} (median), ", academic(last));
            match unplaced {
                Some(q) if count(q.p50) == "0" => {
                    headline.push_str("no child would be left without a suitable place")
                }
                Some(q) => {
                    let verb = if count(q.p50) == "1" {
                        "child would"
                    } else {
                        "children would"
                    };
                    write!(
                        headline,
                        "<strong>{} {verb} have no suitable place</strong>",
                        count(q.p50)
                    )?;
                }
                None if cost.is_none() => {
                    headline = format!("No figures were recorded for {}", academic(last))
                }
                None => headline
                    .push_str("the number of children without a suitable place was not recorded"),
            }
            if let Some(q) = unplaced {
                write!(
                    headline,
                    " (10th–90th percentile {}–{})",
                    count(q.p10),
                    count(q.p90)
                )?;
                if first != last
                    && let Some(q0) = metric(s, first, UNPLACED)
                {
                    write!(
                        headline,
                        ", compared with {} in {}",
                        count(q0.p50),
                        academic(first)
                    )?;
                }
            }
            if let Some(q) = cost {
                write!(
                    headline,
                    "; high-needs cost <strong>{}</strong> a year ({}–{})",
                    money(q.p50),
                    money(q.p10),
                    money(q.p90)
                )?;
            }
            headline.push('.');
            lines.push(headline);
            if let (Some(f), Some(fc)) = (
                metric(s, last, "fallback"),
                metric(s, last, "cost.fallback"),
            ) && f.p50 > 0.0
            {
                lines.push(format!(
                    "Fallback placements for children with plans and no suitable place (an independent or out-of-area special place): <strong>{}</strong> ({}–{}), costing <strong>{}</strong> a year, included in the high-needs cost.",
                    count(f.p50),
                    count(f.p10),
                    count(f.p90),
                    money(fc.p50)
                ));
            }
            let mix: Vec<String> = self
                .kinds
                .iter()
                .filter_map(|(k, name)| {
                    metric(s, last, &format!("{SHARE_PREFIX}{k}"))
                        .map(|q| format!("{} {}", percent(q.p50), name.to_lowercase()))
                })
                .collect();
            if !mix.is_empty() {
                lines.push(format!("Children with plans by type of setting (fallback placements counted as independent): {}.", mix.join(", ")));
            }
            if i > 0 {
                lines.extend(compare(s, &scenarios[0], last));
            }
            for line in lines {
                writeln!(out, "<p>{line}</p>")?;
            }
            writeln!(out, "</section>")?;
        }
        writeln!(out, "</div>")
    }

    pub(super) fn write_shortfall(&self, out: &mut String) -> fmt::Result {
        let title = "Children without a suitable place, by year";
        let (svg, _) = time_chart(
            self,
            UNPLACED,
            1.0,
            false,
            "Children without a suitable place",
            title,
        );
        let note = format!("{BAND_NOTE}{}", self.hidden_lines(UNPLACED));
        figure(out, 1, "shortfall", title, &note, &svg)?;
        self.year_table(
            out,
            1,
            "Children without a suitable place: median (10th–90th percentile)",
            UNPLACED,
            count,
        )
    }

    /// A sentence naming the scenarios whose median line for `name` is the same as an earlier
    /// scenario's in every year, and so is hidden under it (empty when there are none).
    pub(super) fn hidden_lines(&self, name: &str) -> String {
        let medians = |s: &ScenarioResult| -> Vec<Option<f64>> {
            self.years
                .iter()
                .map(|&y| metric(s, y, name).map(|q| q.p50))
                .collect()
        };
        let all: Vec<Vec<Option<f64>>> = self.r.scenarios.iter().map(medians).collect();
        let mut sentences = String::new();
        for (j, line) in all.iter().enumerate() {
            if line.iter().all(Option::is_none) {
                continue;
            }
            if let Some(i) = (0..j).find(|&i| all[i] == *line) {
                write!(
                    sentences,
                    " The median line of {} is the same as that of {} and lies under it.",
                    self.r.scenarios[j].name, self.r.scenarios[i].name
                )
                .ok();
            }
        }
        sentences
    }

    pub(super) fn write_cost(&self, out: &mut String) -> fmt::Result {
        let title = "Annual high-needs cost, by year (£ million)";
        let (svg, zoomed) = time_chart(
            self,
            COST,
            1e-6,
            true,
            "High-needs cost (£ million a year)",
            title,
        );
        let mut note = format!("{BAND_NOTE}{}", self.hidden_lines(COST));
        if zoomed {
            note.push_str(
                " The vertical axis does not start at zero, so that the scenarios can be told apart.",
            );
        }
        figure(out, 2, "cost", title, &note, &svg)?;
        self.year_table(
            out,
            2,
            "Annual high-needs cost: median (10th–90th percentile)",
            COST,
            money,
        )
    }

    pub(super) fn write_mix(&self, out: &mut String) -> fmt::Result {
        let when = self
            .last()
            .map_or_else(|| "final year".to_string(), academic);
        let title = format!("Where children with a place would be, {when} (median share)");
        let svg = mix_chart(self, &title);
        figure(
            out,
            3,
            "mix",
            &title,
            "Each bar is one scenario; segments are the median share of children in each kind of setting (medians of the shares need not add up to exactly 100%).",
            &svg,
        )?;
        writeln!(
            out,
            "<div class=\"table-wrap\">\n<table>\n<caption>Table 3. Share of children with a place by kind of setting, {when}: median (10th–90th percentile)</caption>"
        )?;
        write!(out, "<thead><tr><th scope=\"col\">Scenario</th>")?;
        for (i, (_, name)) in self.kinds.iter().enumerate() {
            write!(
                out,
                "<th scope=\"col\">{}</th>",
                keyed(KIND_COLOURS[i % KIND_COLOURS.len()], name)
            )?;
        }
        writeln!(out, "</tr></thead>\n<tbody>")?;
        for (i, s) in self.r.scenarios.iter().enumerate() {
            write!(out, "<tr>{}", row_header(i, &s.name))?;
            for (k, _) in &self.kinds {
                let q = self
                    .last()
                    .and_then(|y| metric(s, y, &format!("{SHARE_PREFIX}{k}")));
                write!(out, "{}", cell(q, percent))?;
            }
            writeln!(out, "</tr>")?;
        }
        writeln!(out, "</tbody>\n</table>\n</div>")
    }

    pub(super) fn write_needs(&self, out: &mut String) -> fmt::Result {
        let when = self
            .last()
            .map_or_else(|| "final year".to_string(), academic);
        let title = format!("Children without a suitable place by primary need, {when}");
        let svg = needs_chart(self, &title);
        figure(
            out,
            4,
            "needs",
            &title,
            "Bars show the median; whiskers the 10th–90th percentile range. Need codes are explained in Table 4.",
            &svg,
        )?;
        writeln!(
            out,
            "<div class=\"table-wrap\">\n<table>\n<caption>Table 4. Children without a suitable place by primary need, {when}: median (10th–90th percentile)</caption>"
        )?;
        self.scenario_header(out, "Primary need")?;
        for code in &self.needs {
            write!(
                out,
                "<tr><th scope=\"row\"><abbr>{}</abbr> {}</th>",
                escape(code),
                escape(need_name(code))
            )?;
            for s in &self.r.scenarios {
                let q = self
                    .last()
                    .and_then(|y| metric(s, y, &format!("{NEED_PREFIX}{code}")));
                write!(out, "{}", cell(q, count))?;
            }
            writeln!(out, "</tr>")?;
        }
        if self.needs.is_empty() {
            writeln!(
                out,
                "<tr><td colspan=\"{}\" class=\"none\">No shortfall by need was recorded.</td></tr>",
                self.r.scenarios.len() + 1
            )?;
        }
        writeln!(out, "</tbody>\n</table>\n</div>")
    }

    /// `<thead>` with one column per scenario (with its colour key), and `<tbody>` opened.
    pub(super) fn scenario_header(&self, out: &mut String, first: &str) -> fmt::Result {
        write!(out, "<thead><tr><th scope=\"col\">{first}</th>")?;
        for (i, s) in self.r.scenarios.iter().enumerate() {
            write!(
                out,
                "<th scope=\"col\">{}</th>",
                keyed(scenario_colour(i), &s.name)
            )?;
        }
        writeln!(out, "</tr></thead>\n<tbody>")
    }

    /// A table with one row per year and one column per scenario.
    pub(super) fn year_table(
        &self,
        out: &mut String,
        n: usize,
        caption: &str,
        name: &str,
        format: fn(f64) -> String,
    ) -> fmt::Result {
        writeln!(
            out,
            "<div class=\"table-wrap\">\n<table>\n<caption>Table {n}. {}</caption>",
            escape(caption)
        )?;
        self.scenario_header(out, "Academic year")?;
        for &year in &self.years {
            write!(out, "<tr><th scope=\"row\">{}</th>", academic(year))?;
            for s in &self.r.scenarios {
                write!(out, "{}", cell(metric(s, year, name), format))?;
            }
            writeln!(out, "</tr>")?;
        }
        if self.years.is_empty() {
            writeln!(
                out,
                "<tr><td colspan=\"{}\" class=\"none\">No figures were recorded.</td></tr>",
                self.r.scenarios.len() + 1
            )?;
        }
        writeln!(out, "</tbody>\n</table>\n</div>")
    }
}

/// Sentences comparing a scenario's final year with the baseline's.
pub(super) fn compare(s: &ScenarioResult, base: &ScenarioResult, year: i32) -> Option<String> {
    let mut parts = Vec::new();
    if let (Some(a), Some(b)) = (metric(s, year, UNPLACED), metric(base, year, UNPLACED)) {
        let d = a.p50.round() - b.p50.round();
        parts.push(match d {
            d if d < 0.0 => format!("{} fewer children without a place", count(-d)),
            d if d > 0.0 => format!("{} more children without a place", count(d)),
            _ => "the same number of children without a place".to_string(),
        });
    }
    if let (Some(a), Some(b)) = (metric(s, year, COST), metric(base, year, COST)) {
        let d = a.p50 - b.p50;
        parts.push(match money(d.abs()).as_str() {
            "£0" | "£0k" | "£0.0m" => "about the same cost".to_string(),
            m if d < 0.0 => format!("{m} a year less"),
            m => format!("{m} a year more"),
        });
    }
    (!parts.is_empty()).then(|| {
        format!(
            "Compared with {} (medians): {}.",
            escape(&base.name),
            parts.join("; ")
        )
    })
}

pub(super) fn row_header(i: usize, name: &str) -> String {
    format!("<th scope=\"row\">{}</th>", keyed(scenario_colour(i), name))
}

/// `name` with a colour key before it (a background square, which cannot wrap away from the
/// name).
pub(super) fn keyed(colour: RGBColor, name: &str) -> String {
    format!(
        "<span class=\"keyed\" style=\"--c:{}\">{}</span>",
        hex(colour),
        escape(name)
    )
}

pub(super) fn cell(q: Option<Quantiles>, format: fn(f64) -> String) -> String {
    match q {
        Some(q) => format!(
            "<td>{} <span class=\"range\">({}–{})</span></td>",
            format(q.p50),
            format(q.p10),
            format(q.p90)
        ),
        None => "<td class=\"none\">—</td>".to_string(),
    }
}

pub(super) fn figure(
    out: &mut String,
    n: usize,
    id: &str,
    title: &str,
    note: &str,
    svg: &str,
) -> fmt::Result {
    writeln!(
        out,
        "<figure id=\"figure-{id}\">\n<figcaption><span class=\"num\">Figure {n}.</span> {}</figcaption>\n{svg}\n<p class=\"note\">{}</p>\n</figure>",
        escape(title),
        escape(note)
    )
}

// ---------------------------------------------------------------------------------------------
// Charts (plotters, SVG backend into a String; text is SVG <text>, set in the reader's sans-serif
// font by the browser, so no font is needed at build or run time).
