//! One person of the return to one child: validation of every item the import uses (each
//! problem a located diagnostic), then the child's need profile. Everything SEN2 does not carry
//! (intensity of need, required features, siblings) is set by the documented rule in
//! [`intensity_for`], or kept from the area the settings came from.

use super::dates::{Date, year_group};
use super::geo::{Geography, HomeSource};
use super::ids::IdPolicy;
use crate::diag::{Code, Diagnostics, did_you_mean};
use crate::io::sen2::{Module, Record};
use crate::model::{
    Arrangement, ChildId, GridRef, Intensity, Need, NeedArea, NeedProfile, NeedSet, Setting,
    SettingId, SettingKind, Sex, YearGroup,
};
use std::collections::{BTreeMap, BTreeSet};

/// Need codes of the return beyond the census ones: Down syndrome (2025), which the published
/// statistics fold into OTH, as the import does.
const EXTRA_NEEDS: [&str; 1] = ["DS"];

/// Cease reasons (SEN2 guide 2025).
const CEASE_REASONS: [&str; 9] = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];

/// A school's settings by URN: its main setting and its bases.
#[derive(Clone, Debug, Default)]
pub struct SchoolSettings {
    pub main: Option<usize>,
    pub resourced: Option<usize>,
    pub unit: Option<usize>,
}

/// The settings the children are matched to, by URN and UKPRN.
#[derive(Clone, Debug, Default)]
pub struct SettingIndex<'a> {
    pub settings: &'a [Setting],
    pub by_urn: BTreeMap<String, SchoolSettings>,
    pub urn_of_ukprn: BTreeMap<String, String>,
}

impl<'a> SettingIndex<'a> {
    /// Indexes `settings` (bases under their host's URN) and the UKPRN → URN pairs given.
    pub fn new(settings: &'a [Setting], ukprns: BTreeMap<String, String>) -> Self {
        let mut by_urn: BTreeMap<String, SchoolSettings> = BTreeMap::new();
        for (i, s) in settings.iter().enumerate() {
            match (&s.host, s.kind) {
                (Some(h), SettingKind::ResourcedProvision) => {
                    by_urn.entry(h.0.clone()).or_default().resourced = Some(i)
                }
                (Some(h), SettingKind::SenUnit) => {
                    by_urn.entry(h.0.clone()).or_default().unit = Some(i)
                }
                _ => by_urn.entry(s.id.0.clone()).or_default().main = Some(i),
            }
        }
        SettingIndex {
            settings,
            by_urn,
            urn_of_ukprn: ukprns,
        }
    }
}

/// What the import knows when it reads a person.
pub struct Context<'a> {
    pub reference: Date,
    pub academic_year: i32,
    pub settings: &'a SettingIndex<'a>,
    pub geography: &'a Geography,
    /// Children of the area the settings came from, by id.
    pub known: &'a BTreeMap<String, NeedProfile>,
    pub ids: &'a IdPolicy,
}

/// What became of one person.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Imported, with how the home was located and the notes for the data-quality summary.
    Child {
        child: Box<NeedProfile>,
        home: HomeSource,
        kept_profile: bool,
        has_plan: bool,
        notes: Vec<&'static str>,
    },
    /// Left out, and why.
    Dropped(&'static str),
}

/// A placement or a named setting, resolved.
struct Place {
    setting: Option<usize>,
    arrangement: Option<Arrangement>,
    note: Option<&'static str>,
}

fn check_date(r: &Record, item: &str, diags: &mut Diagnostics) -> Option<Date> {
    let v = r.get(item)?;
    let d = Date::parse(&v.text);
    if d.is_none() {
        diags.push(
            r.error(Code::InvalidValue, item, "not a date")
                .expected("a date such as 2025-01-16")
                .found(format!("`{}`", v.text)),
        );
    }
    d
}

fn check_order(r: &Record, first: &str, then: &str, diags: &mut Diagnostics) {
    let (a, b) = (
        r.text(first).and_then(Date::parse),
        r.text(then).and_then(Date::parse),
    );
    if let (Some(a), Some(b)) = (a, b)
        && b < a
    {
        diags.push(
            r.error(
                Code::InvalidValue,
                then,
                format!("dates out of order: `{then}` is before `{first}`"),
            )
            .expected(format!("a date on or after {a}"))
            .found(b.to_string()),
        );
    }
}

fn indicator(r: &Record, item: &str, diags: &mut Diagnostics) -> bool {
    match r.text(item) {
        None => false,
        Some(t) => match t.to_ascii_lowercase().as_str() {
            "1" | "y" | "yes" | "true" => true,
            "0" | "n" | "no" | "false" => false,
            _ => {
                diags.push(
                    r.error(Code::InvalidValue, item, "not an indicator")
                        .expected("1 or 0 (Y or N)")
                        .found(format!("`{t}`")),
                );
                false
            }
        },
    }
}

/// Checks the ranks of `records` (item `rank`): whole numbers from 1, none repeated.
/// Returns the records in rank order (unranked last, in file order).
fn ranked<'r>(records: Vec<&'r Record>, rank: &str, diags: &mut Diagnostics) -> Vec<&'r Record> {
    let mut seen: BTreeMap<u32, ()> = BTreeMap::new();
    let mut keyed: Vec<(u32, usize, &Record)> = Vec::new();
    for (i, r) in records.into_iter().enumerate() {
        let k = match r.text(rank) {
            None => u32::MAX,
            Some(t) => match t.parse::<u32>() {
                Ok(v) if v >= 1 => {
                    if seen.insert(v, ()).is_some() {
                        diags.push(
                            r.error(Code::DuplicateId, rank, format!("rank {v} repeats"))
                                .expected("each rank once"),
                        );
                    }
                    v
                }
                _ => {
                    diags.push(
                        r.error(Code::InvalidValue, rank, "not a rank")
                            .expected("a whole number from 1")
                            .found(format!("`{t}`")),
                    );
                    u32::MAX
                }
            },
        };
        keyed.push((k, i, r));
    }
    keyed.sort_by_key(|(k, i, _)| (*k, *i));
    keyed.into_iter().map(|(_, _, r)| r).collect()
}

/// Resolves a placement or plan detail: URN, else UKPRN, else the SEN2 setting code.
fn place(r: &Record, ctx: &Context<'_>, diags: &mut Diagnostics) -> Place {
    let unit = indicator(r, "senunitindicator", diags);
    let rp = indicator(r, "resourcedprovisionindicator", diags);
    let code = r.text("sensetting");
    let arrangement = code.and_then(|c| {
        let a = Arrangement::parse(c);
        if a.is_none() {
            diags.push(
                r.error(
                    Code::UnknownCode,
                    "sensetting",
                    format!("unknown SEN setting `{c}`"),
                )
                .expected_one_of(c, &Arrangement::codes()),
            );
        }
        a
    });
    let urn = match (r.text("urn"), r.text("ukprn")) {
        (Some(u), _) => {
            if !u.chars().all(|c| c.is_ascii_digit()) || u.len() > 8 {
                diags.push(
                    r.error(Code::InvalidValue, "urn", "not a URN")
                        .expected("a URN: six or seven digits")
                        .found(format!("`{u}`")),
                );
                return Place {
                    setting: None,
                    arrangement: None,
                    note: None,
                };
            }
            Some(("urn", u.to_string()))
        }
        (None, Some(p)) => match ctx.settings.urn_of_ukprn.get(p) {
            Some(u) => Some(("ukprn", u.clone())),
            None => {
                diags.push(
                    r.error(
                        Code::UnknownReference,
                        "ukprn",
                        format!("UKPRN `{p}` is not a provider in the school file"),
                    )
                    .expected("the UKPRN of a school or college in the school file, or the URN"),
                );
                return Place {
                    setting: None,
                    arrangement: None,
                    note: None,
                };
            }
        },
        (None, None) => None,
    };
    let Some((item, urn)) = urn else {
        if code.is_none() {
            diags.push(
                r.error(
                    Code::MissingField,
                    "urn",
                    "a placement with no URN, UKPRN or SEN setting",
                )
                .expected("a URN or UKPRN for a school or college, else a SEN setting code"),
            );
        }
        return Place {
            setting: None,
            arrangement,
            note: None,
        };
    };
    let Some(school) = ctx.settings.by_urn.get(&urn) else {
        let near = did_you_mean(&urn, ctx.settings.by_urn.keys().map(String::as_str));
        diags.push(
            r.error(
                Code::UnknownReference,
                item,
                format!("URN `{urn}` is not a setting of this area"),
            )
            .expected("the URN of a school or college in the school file (or the area's settings)")
            .help(near),
        );
        return Place {
            setting: None,
            arrangement: None,
            note: None,
        };
    };
    let (setting, note) = match (unit, rp) {
        (true, _) if school.unit.is_some() => (school.unit, None),
        (_, true) if school.resourced.is_some() => (school.resourced, None),
        (true, _) | (_, true) => (
            school.main.or(school.resourced).or(school.unit),
            Some(
                "unit or resourced-provision indicator at a school with no such base: placed in the school",
            ),
        ),
        _ => (school.main.or(school.resourced).or(school.unit), None),
    };
    Place {
        setting,
        arrangement: None,
        note,
    }
}

/// The documented rule for what SEN2 does not record. Intensity of the primary need's broad
/// area by where the child is: 2 in a mainstream class, a college or no setting; 3 in a
/// resource base, unit, state special school or alternative provision; 4 in a non-maintained or
/// independent special school; 1 while a request is being assessed. Each secondary need's area
/// at least 1. PMLD: cognition 4, communication at least 3, sensory at least 2. SLD: cognition
/// at least 3 outside a mainstream class. No required features.
pub fn intensity_for(
    primary: Need,
    secondary: NeedSet,
    setting: Option<&Setting>,
    has_plan: bool,
) -> Intensity {
    use SettingKind as K;
    let main_level = match setting.map(|s| s.kind) {
        _ if !has_plan => 1,
        Some(K::ResourcedProvision | K::SenUnit | K::SpecialMaintained | K::SpecialAcademy) => 3,
        Some(K::AlternativeProvision) => 3,
        Some(K::SpecialNonMaintained | K::SpecialIndependent) => 4,
        _ => 2,
    };
    let area = |n: Need| n.area().unwrap_or(NeedArea::CognitionLearning) as usize;
    let mut v = [0u8; 4];
    v[area(primary)] = main_level;
    for n in secondary.iter() {
        let a = area(n);
        v[a] = v[a].max(1);
    }
    let (comm, cog, sens) = (
        NeedArea::CommunicationInteraction as usize,
        NeedArea::CognitionLearning as usize,
        NeedArea::SensoryPhysical as usize,
    );
    let mainstream_class = matches!(
        setting.map(|s| s.kind),
        Some(K::Mainstream | K::IndependentMainstream) | None
    );
    match primary {
        Need::Pmld => {
            v[cog] = 4;
            v[comm] = v[comm].max(3);
            v[sens] = v[sens].max(2);
        }
        Need::Sld if !mainstream_class => v[cog] = v[cog].max(3),
        _ => {}
    }
    Intensity(v)
}

/// The identifier a child's id is made from: the return's person id, else UPN, else ULN.
fn identifier(p: &Record, ids: &IdPolicy) -> Option<String> {
    match ids {
        IdPolicy::Keep => p.text("persontableid").map(str::to_string),
        IdPolicy::Key(_) => p
            .text("upn")
            .map(|u| format!("upn:{}", u.to_ascii_uppercase()))
            .or_else(|| p.text("uniquelearnernumber").map(|u| format!("uln:{u}")))
            .or_else(|| p.text("persontableid").map(|u| format!("person:{u}"))),
    }
}

/// Reads one person record.
pub fn read_person(p: &Record, ctx: &Context<'_>, diags: &mut Diagnostics) -> Outcome {
    let before = diags.diagnostics.len();
    let dob = birth_date(p, diags);
    let sex = recorded_sex(p, diags);
    let id_text = identifier(p, ctx.ids);
    if id_text.is_none() {
        let message = match ctx.ids {
            IdPolicy::Keep => "no person id to keep (--keep-ids)",
            IdPolicy::Key(_) => "no UPN, ULN or person id to make the child's id from",
        };
        diags.push(
            p.error(Code::MissingField, "persontableid", message)
                .expected("`PersonTableID` (or a UPN or ULN without --keep-ids)"),
        );
    }
    // Every module is validated whether or not the child is imported.
    let requests = read_requests(p, ctx, diags);
    // Placements and needs of the active plan.
    let plan = requests
        .active
        .map(|ap| read_active_plan(ap, ctx, diags))
        .unwrap_or_default();
    let preferences = named_settings(&requests.named, ctx, diags);
    if diags.diagnostics.len() > before {
        return Outcome::Dropped("errors");
    }
    let (Some(dob), Some(id_text)) = (dob, id_text) else {
        return Outcome::Dropped("errors");
    };
    let has_plan = requests.active.is_some();
    if !has_plan && !requests.in_progress {
        return Outcome::Dropped(if requests.plan_ceased {
            "plan ceased, no active plan"
        } else {
            "no active plan and no request in progress"
        });
    }
    let ncy = year_group(dob.cohort(), ctx.academic_year);
    if ncy < 0 {
        return Outcome::Dropped("under reception age in the placement year");
    }
    if ncy > i32::from(YearGroup::MAX) {
        return Outcome::Dropped("past year 14 in the placement year");
    }
    let person = Person {
        id_text,
        year: YearGroup(ncy as u8),
        sex,
        has_plan,
        plan,
        preferences,
    };
    child_of(p, ctx, person)
}

/// The person's date of birth, which every person must have.
fn birth_date(p: &Record, diags: &mut Diagnostics) -> Option<Date> {
    match p.get("personbirthdate") {
        None => {
            diags.push(
                p.error(Code::MissingField, "personbirthdate", "no date of birth")
                    .expected("the person's date of birth"),
            );
            None
        }
        Some(_) => check_date(p, "personbirthdate", diags),
    }
}

/// The person's sex (or current gender), when recorded as male or female.
fn recorded_sex(p: &Record, diags: &mut Diagnostics) -> Option<Sex> {
    let (item, t) = p
        .text("sex")
        .map(|s| ("sex", s))
        .or(p.text("gendercurrent").map(|s| ("gendercurrent", s)))?;
    match t.to_ascii_uppercase().as_str() {
        "M" | "1" => Some(Sex::Male),
        "F" | "2" => Some(Sex::Female),
        "U" | "0" | "9" => None,
        _ => {
            diags.push(
                p.error(Code::UnknownCode, item, format!("unknown sex `{t}`"))
                    .expected_one_of(t, &["M", "F", "U"]),
            );
            None
        }
    }
}

/// What a person's requests say: the active plan, the settings named in the latest plan, and
/// whether a request is still being decided or a plan has ceased.
struct Requests<'r> {
    active: Option<&'r Record>,
    named: Vec<&'r Record>,
    in_progress: bool,
    plan_ceased: bool,
}

/// Checks every request, assessment, named plan and active plan of a person, and keeps what
/// the import uses from them.
fn read_requests<'r>(p: &'r Record, ctx: &Context<'_>, diags: &mut Diagnostics) -> Requests<'r> {
    let mut out = Requests {
        active: None,
        named: Vec::new(),
        in_progress: false,
        plan_ceased: false,
    };
    for req in p.children_of(Module::Requests) {
        check_date(req, "receiveddate", diags);
        check_date(req, "requestoutcomedate", diags);
        check_order(req, "receiveddate", "requestoutcomedate", diags);
        let mut decided = req.get("requestoutcome").is_some();
        for a in req.children_of(Module::Assessment) {
            check_date(a, "assessmentoutcomedate", diags);
            decided = a.get("assessmentoutcome").is_some()
                || a.children_of(Module::NamedPlan).next().is_some();
            for plan in a.children_of(Module::NamedPlan) {
                read_named_plan(plan, ctx, &mut out, diags);
            }
        }
        if !decided {
            out.in_progress = true;
        }
        for ap in req.children_of(Module::ActivePlans) {
            check_date(ap, "phasetransferduedate", diags);
            out.active = Some(ap);
        }
    }
    out
}

/// Checks one named plan: a ceased plan is noted, and the settings of a plan in force are
/// the ones named.
fn read_named_plan<'r>(
    plan: &'r Record,
    ctx: &Context<'_>,
    out: &mut Requests<'r>,
    diags: &mut Diagnostics,
) {
    let start = check_date(plan, "startdate", diags);
    let cease = check_date(plan, "ceasedate", diags);
    check_order(plan, "startdate", "ceasedate", diags);
    if let Some(reason) = plan.text("ceasereason")
        && !CEASE_REASONS.contains(&reason)
    {
        diags.push(
            plan.error(
                Code::UnknownCode,
                "ceasereason",
                format!("unknown cease reason `{reason}`"),
            )
            .expected_one_of(reason, &CEASE_REASONS),
        );
    }
    if cease.is_some_and(|c| c <= ctx.reference) {
        out.plan_ceased = true;
    } else if start.is_some() || plan.get("startdate").is_none() {
        let details: Vec<&Record> = plan.children_of(Module::PlanDetail).collect();
        out.named = ranked(details, "placementrank", diags);
    }
}

/// What the active plan says: the current placement, the needs in rank order, and when a
/// phase transfer is due.
#[derive(Default)]
struct ActivePlan {
    current: Option<Place>,
    needs: Vec<Need>,
    transfer_due: Option<Date>,
}

/// Checks the placements and needs of the active plan; the first placement by rank is the
/// current one.
fn read_active_plan(ap: &Record, ctx: &Context<'_>, diags: &mut Diagnostics) -> ActivePlan {
    let mut current: Option<Place> = None;
    let transfer_due = ap.text("phasetransferduedate").and_then(Date::parse);
    let placements = ranked(
        ap.children_of(Module::PlacementDetail).collect(),
        "placementrank",
        diags,
    );
    for (i, pl) in placements.iter().enumerate() {
        check_date(pl, "entrydate", diags);
        check_date(pl, "leavingdate", diags);
        check_order(pl, "entrydate", "leavingdate", diags);
        let resolved = place(pl, ctx, diags);
        if i == 0 {
            current = Some(resolved);
        }
    }
    ActivePlan {
        current,
        needs: read_needs(ap, diags),
        transfer_due,
    }
}

/// The needs of the active plan in rank order (Down syndrome read as OTH).
fn read_needs(ap: &Record, diags: &mut Diagnostics) -> Vec<Need> {
    let mut needs: Vec<Need> = Vec::new();
    for n in ranked(
        ap.children_of(Module::SenNeed).collect(),
        "sentyperank",
        diags,
    ) {
        let Some(code) = n.text("sentype") else {
            diags.push(
                n.error(Code::MissingField, "sentype", "a need with no type")
                    .expected("a SEN type code"),
            );
            continue;
        };
        match Need::parse(code).filter(|n| *n != Need::Nsa) {
            Some(need) => needs.push(need),
            None if EXTRA_NEEDS.iter().any(|e| e.eq_ignore_ascii_case(code)) => {
                needs.push(Need::Oth)
            }
            None => {
                let mut known: Vec<&str> =
                    Need::codes().into_iter().filter(|c| *c != "NSA").collect();
                known.extend(EXTRA_NEEDS);
                diags.push(
                    n.error(
                        Code::UnknownCode,
                        "sentype",
                        format!("unknown SEN type `{code}`"),
                    )
                    .expected_one_of(code, &known),
                );
            }
        }
    }
    needs
}

/// The settings named in the plan, each once, in rank order.
fn named_settings(named: &[&Record], ctx: &Context<'_>, diags: &mut Diagnostics) -> Vec<SettingId> {
    named
        .iter()
        .filter_map(|d| place(d, ctx, diags).setting)
        .map(|i| ctx.settings.settings[i].id.clone())
        .fold(Vec::new(), |mut v, id| {
            if !v.contains(&id) {
                v.push(id);
            }
            v
        })
}

/// A person who passed every check, with what the return says about them.
struct Person {
    id_text: String,
    year: YearGroup,
    sex: Option<Sex>,
    has_plan: bool,
    plan: ActivePlan,
    preferences: Vec<SettingId>,
}

/// The child a checked person becomes: what the return does not say is taken from the area
/// the settings came from, the current setting, or the documented rules.
fn child_of(p: &Record, ctx: &Context<'_>, person: Person) -> Outcome {
    let Person {
        id_text,
        year,
        sex,
        has_plan,
        plan,
        preferences,
    } = person;
    let id = ctx.ids.id(&id_text);
    let known = ctx.known.get(&id);
    let mut notes: Vec<&'static str> = Vec::new();
    let place = plan.current.unwrap_or(Place {
        setting: None,
        arrangement: None,
        note: None,
    });
    if let Some(n) = place.note {
        notes.push(n);
    }
    let setting = place.setting.map(|i| &ctx.settings.settings[i]);
    let sex = match sex {
        Some(s) => s,
        None => {
            notes.push("sex not recorded: set from the id (half female, half male)");
            if id.bytes().map(u32::from).sum::<u32>() % 2 == 0 {
                Sex::Female
            } else {
                Sex::Male
            }
        }
    };
    let (primary, secondary) = match plan.needs.split_first() {
        Some((p, rest)) => (
            *p,
            rest.iter().copied().filter(|n| n != p).collect::<NeedSet>(),
        ),
        None => {
            notes.push("no need recorded yet: primary need NSA");
            (Need::Nsa, NeedSet::default())
        }
    };
    let located = p.text("postcode").and_then(|pc| ctx.geography.locate(pc));
    let (home, home_source) = match (located, known, setting) {
        (Some((g, s)), _, _) => (g, s),
        (None, Some(k), _) => (k.home, HomeSource::Kept),
        (None, None, Some(s)) => (s.location, HomeSource::Setting),
        (None, None, None) => {
            return Outcome::Dropped("no home location: postcode not located and no setting");
        }
    };
    let needs_place = !has_plan
        || (setting.is_none() && place.arrangement.is_none())
        || plan.transfer_due.is_some_and(|d| {
            d > ctx.reference
                && d <= Date {
                    year: ctx.academic_year,
                    month: 9,
                    day: 30,
                }
        })
        || setting.is_some_and(|s| !s.admits_year(year));
    let locality = known
        .map(|k| k.locality.clone())
        .or_else(|| setting.map(|s| s.locality.clone()))
        .or_else(|| nearest_locality(ctx.settings.settings, home))
        .unwrap_or_default();
    let (intensity, features, siblings, kept_profile) = match known {
        Some(k) if k.primary_need == primary && k.secondary_needs == secondary => (
            k.intensity,
            k.features.clone(),
            k.sibling_settings.clone(),
            true,
        ),
        _ => (
            intensity_for(primary, secondary, setting, has_plan),
            Vec::new(),
            Vec::new(),
            false,
        ),
    };
    let child = NeedProfile {
        id: ChildId(id),
        year,
        sex,
        home,
        primary_need: primary,
        secondary_needs: secondary,
        intensity,
        features,
        plan_level: "ehcp".to_string(),
        current_setting: setting.map(|s| s.id.clone()),
        preferences,
        sibling_settings: siblings,
        needs_place,
        locality,
        arrangement: place.arrangement,
        packages: Vec::new(),
    };
    Outcome::Child {
        child: Box::new(child),
        home: home_source,
        kept_profile,
        has_plan,
        notes,
    }
}

/// The locality of the setting nearest `at`.
fn nearest_locality(settings: &[Setting], at: GridRef) -> Option<String> {
    settings
        .iter()
        .filter(|s| s.host.is_none() && !s.locality.is_empty())
        .min_by(|a, b| {
            a.location
                .distance_to(at)
                .total_cmp(&b.location.distance_to(at))
                .then(a.id.cmp(&b.id))
        })
        .map(|s| s.locality.clone())
}

/// Every URN a return refers to (placements and named settings), for including out-of-area
/// settings.
pub fn urns(persons: &[Record], ukprns: &BTreeMap<String, String>) -> BTreeSet<u32> {
    fn walk(r: &Record, ukprns: &BTreeMap<String, String>, out: &mut BTreeSet<u32>) {
        if matches!(r.module, Module::PlacementDetail | Module::PlanDetail) {
            let urn = r.text("urn").or_else(|| {
                r.text("ukprn")
                    .and_then(|p| ukprns.get(p))
                    .map(String::as_str)
            });
            if let Some(u) = urn.and_then(|u| u.parse().ok()) {
                out.insert(u);
            }
        }
        for c in &r.children {
            walk(c, ukprns, out);
        }
    }
    let mut out = BTreeSet::new();
    for p in persons {
        walk(p, ukprns, &mut out);
    }
    out
}
