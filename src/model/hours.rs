//! Opening hours: reading `horaires_accueil` (OpenStreetMap `opening_hours`
//! syntax) and saying, day by day, when a point is open.
//!
//! Parsing and evaluation are done by the `opening-hours` crate, with the
//! French public holidays calendar so that `PH off` means something. This
//! module adds what a volunteer needs when the text is wrong (a French
//! message and where the fault is; `content::prose_hours` suggests a text
//! for hours written in French) and applies temporary closures on top of
//! the hours.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{Datelike, NaiveDate};
use opening_hours::localization::Country;
use opening_hours::{Context, OpeningHours, RuleKind};

/// A temporary closure, both days included.
#[derive(Clone, Debug)]
pub struct Fermeture {
    pub du: NaiveDate,
    pub au: NaiveDate,
    pub motif: Option<String>,
}

/// A day's hours as read: open periods, and whether part of the day is
/// unknown. Neither means closed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Horaire {
    pub periodes: Periodes,
    pub incertain: bool,
}

impl Horaire {
    pub(crate) fn ferme(&self) -> bool {
        self.periodes.is_empty() && !self.incertain
    }
}

/// A point's hours on one weekday over the reference weeks (see
/// `coverage::jours_habituels`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JourHabituel {
    /// The same on every date read (closed when [`Horaire`] is empty).
    Regulier(Horaire),
    /// Not the same from one week to the next: each way the point opens
    /// (or may open), with its dates in order, first date first; and the
    /// dates it is closed.
    Variable { horaires: Vec<(Horaire, Vec<NaiveDate>)>, fermes: Vec<NaiveDate> },
}

impl Default for JourHabituel {
    fn default() -> JourHabituel {
        JourHabituel::Regulier(Horaire::default())
    }
}

/// The reference weeks' dates, flattened, and each weekday over them
/// ([`Horaires::habituels`]).
type Habituels = (Box<[NaiveDate]>, [JourHabituel; 7]);

/// Parsed `horaires_accueil`, with the text as written.
#[derive(Clone)]
pub struct Horaires {
    pub texte: String,
    rules: Rules,
    /// Shared by clones: `alimap serve` keeps parsed points between builds,
    /// and their evaluated days with them.
    days: Arc<OnceLock<DayCache>>,
    /// Each weekday over the reference weeks, as `coverage::jours_habituels`
    /// made it for the first weeks it was asked for (the dates, flattened):
    /// the exports, the schema.org block, the guides and coordination
    /// pages each read it, and it depends on nothing else. Shared by clones
    /// like `days`.
    habituels: Arc<OnceLock<Habituels>>,
    /// How the hours repeat, which says which dates can share an
    /// evaluation (see [`Cadence`]).
    cadence: Cadence,
    /// [`Horaires::fin_de_saison`] of the first date it was asked for.
    /// Shared by clones like `days`.
    fin_de_saison: Arc<OnceLock<(NaiveDate, Option<NaiveDate>)>>,
}

/// The text alone: the parsed rules follow from it, and their own form
/// would print the whole holiday calendar. `alimap serve` fingerprints
/// points through this form (see `render::memo`).
impl std::fmt::Debug for Horaires {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Horaires").field("texte", &self.texte).finish()
    }
}

/// A problem in an hours text: a French message, and where in the text it
/// is (a character offset, when the parser says).
#[derive(Clone, Debug, PartialEq)]
pub struct HoursError {
    pub message: String,
    pub offset: Option<usize>,
    /// What to write instead, when the text reads but cannot be shown
    /// truthfully (an impossible date, the sun's hours).
    pub aide: Option<String>,
}

impl Horaires {
    pub fn parse(text: &str) -> Result<Horaires, HoursError> {
        if let Some(week) = Week::read(text) {
            let cadence = if week.ph_off { Cadence::WeeklyBesidesHolidays } else { Cadence::Weekly };
            return Ok(Horaires {
                texte: text.to_string(),
                cadence,
                rules: Rules::Week(Box::new(week)),
                days: Arc::default(),
                habituels: Arc::default(),
                fin_de_saison: Arc::default(),
            });
        }
        Horaires::parse_rules(text)
    }

    /// [`Horaires::parse`] by the `opening-hours` crate.
    fn parse_rules(text: &str) -> Result<Horaires, HoursError> {
        match parse_oh(text) {
            Ok(oh) => {
                unsupported(&oh, text)?;
                Ok(Horaires {
                    texte: text.to_string(),
                    cadence: Cadence::of(&oh),
                    rules: Rules::Parsed(Box::new(Parsed::new(oh))),
                    days: Arc::default(),
                    habituels: Arc::default(),
                    fin_de_saison: Arc::default(),
                })
            }
            Err(detail) => Err(HoursError {
                message: "horaires illisibles : ce texte ne suit pas la syntaxe opening_hours d’OpenStreetMap".into(),
                offset: error_column(&detail),
                aide: None,
            }),
        }
    }

    /// [`Horaires::parse`] through `known`: a text already parsed during
    /// this build is not parsed again, and the points that share it share
    /// its evaluated days too (they only depend on the text). Directories
    /// repeat a few common hours many times, and parsing one text costs
    /// more than reading the rest of its point's file.
    pub fn parse_known(text: &str, known: &Known) -> Result<Horaires, HoursError> {
        if let Some(found) = known.get(text) {
            return found;
        }
        // Parsed outside the lock, so that both threads parse at once; if
        // another thread stored the same text meanwhile, its result is kept
        // and shared.
        let parsed = Horaires::parse(text);
        let mut map = known.parsed.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(text.to_string()).or_insert(parsed).clone()
    }

    /// `make()`, kept for the reference weeks `dates`: computed once, then
    /// read, for the weeks first asked for; computed each time for others
    /// (`alimap serve` past midnight asks for new weeks).
    pub fn habituels(
        &self,
        dates: &[NaiveDate],
        make: impl FnOnce() -> [JourHabituel; 7],
    ) -> std::borrow::Cow<'_, [JourHabituel; 7]> {
        let mut make = Some(make);
        let (kept_for, kept) =
            self.habituels.get_or_init(|| (dates.into(), make.take().map(|m| m()).unwrap_or_default()));
        match make {
            Some(m) if **kept_for != *dates => std::borrow::Cow::Owned(m()),
            _ => std::borrow::Cow::Borrowed(kept),
        }
    }

    /// Whether a date's hours are those of any other date on the same
    /// weekday, public holidays included (see [`Cadence`]).
    pub fn same_every_week(&self) -> bool {
        self.cadence == Cadence::Weekly
    }

    /// What happens on one day: open periods, closure, or uncertainty.
    pub fn day(&self, date: NaiveDate, fermetures: &[Fermeture]) -> Day {
        let ferie = is_public_holiday(date);
        if let Some(f) = fermetures.iter().find(|f| f.contains(date)) {
            return Day {
                date,
                periodes: Periodes::new(),
                fermeture: Some(f.motif.clone().unwrap_or_default()),
                incertain: false,
                ferie,
            };
        }
        let (periodes, incertain) = self.schedule(date, ferie);
        Day { date, periodes, fermeture: None, incertain, ferie }
    }

    /// The open periods of `date`, and whether part of it is unknown.
    ///
    /// A build asks for the same days many times per point (its page, the
    /// lists it appears in, the search index, the exports), so days are
    /// evaluated once and kept: hours the same every week, as most are,
    /// once per weekday; others, for each day near the first one asked
    /// for.
    fn schedule(&self, date: NaiveDate, ferie: bool) -> Schedule {
        let cache = self.days.get_or_init(|| DayCache {
            first: date - chrono::Days::new(DayCache::BEFORE),
            days: (0..DayCache::LEN).map(|_| OnceLock::new()).collect(),
            week: Default::default(),
        });
        let regular = match self.cadence {
            Cadence::Weekly => true,
            // The day after a holiday too: its hours may run past midnight.
            Cadence::WeeklyBesidesHolidays => !(ferie || is_public_holiday(date - chrono::Days::new(1))),
            Cadence::Other => false,
        };
        if regular {
            let slot = &cache.week[date.weekday().num_days_from_monday() as usize];
            return slot.get_or_init(|| self.evaluate(date)).clone();
        }
        let slot = usize::try_from((date - cache.first).num_days()).ok().and_then(|i| cache.days.get(i));
        match slot {
            Some(slot) => slot.get_or_init(|| self.evaluate(date)).clone(),
            None => self.evaluate(date),
        }
    }

    fn evaluate(&self, date: NaiveDate) -> Schedule {
        let parsed = match &self.rules {
            Rules::Parsed(parsed) => parsed,
            Rules::Week(week) => return week.day(date),
        };
        let mut periodes = Periodes::new();
        let mut incertain = false;
        for range in parsed.oh.schedule_at(date) {
            match range.kind {
                RuleKind::Open => {
                    let (debut, fin) = (range.range.start.mins_from_midnight(), range.range.end.mins_from_midnight());
                    // The crate reads `19:00+` as open until midnight: the
                    // period that ends where an open-ended span ends, and
                    // holds its start, is that span.
                    let fin_ouverte = parsed.fins_ouvertes.iter().any(|&(s, e)| e == fin && debut <= s && s < fin);
                    periodes.push(Periode { debut, fin, fin_ouverte });
                }
                RuleKind::Unknown => incertain = true,
                RuleKind::Closed => {}
            }
        }
        (periodes, incertain)
    }
}

/// The hours texts parsed during one build, each with its outcome, for
/// [`Horaires::parse_known`].
#[derive(Default)]
pub struct Known {
    parsed: Mutex<HashMap<String, Result<Horaires, HoursError>>>,
}

impl Known {
    fn get(&self, text: &str) -> Option<Result<Horaires, HoursError>> {
        self.parsed.lock().unwrap_or_else(|e| e.into_inner()).get(text).cloned()
    }
}

/// A day's open periods, and whether part of it is unknown.
type Schedule = (Periodes, bool);

/// Evaluated days: by weekday for the dates that only depend on it (see
/// [`Cadence`]); for others, around the first one asked for, from a week
/// before to nine weeks after, which covers the search index’s eight weeks.
#[derive(Clone)]
struct DayCache {
    first: NaiveDate,
    days: Box<[OnceLock<Schedule>]>,
    /// Monday first.
    week: [OnceLock<Schedule>; 7],
}

impl DayCache {
    const BEFORE: u64 = 7;
    const LEN: usize = 7 * 10;
}

/// A point's hours as the program reads them.
#[derive(Clone)]
enum Rules {
    /// By the `opening-hours` crate.
    Parsed(Box<Parsed>),
    /// Written the common way, read here ([`Week`]).
    Week(Box<Week>),
}

/// Hours read by the crate, with what its evaluation leaves out.
#[derive(Clone)]
struct Parsed {
    oh: OpeningHours,
    /// The open-ended spans (`19:00+`), start and end in minutes (the end
    /// midnight when none is written).
    fins_ouvertes: Vec<(u16, u16)>,
    /// When every rule that opens is dated (`Oct 15-Mar 31 …`, a year, a
    /// week number), the dates of each such rule, read alone: its season.
    /// Empty otherwise.
    saisons: Vec<OpeningHours>,
}

impl Parsed {
    fn new(oh: OpeningHours) -> Parsed {
        use opening_hours_syntax::rules::time::Time;
        let rules = &oh.get_expression().rules;
        let minutes = |t: &Time| match t {
            Time::Fixed(t) => Some(t.mins_from_midnight()),
            Time::Variable(_) => None,
        };
        let fins_ouvertes = rules
            .iter()
            .flat_map(|r| &r.time_selector.spans)
            .filter(|s| s.open_end)
            .filter_map(|s| Some((minutes(&s.range.start)?, minutes(&s.range.end)?)))
            .collect();
        let opening: Vec<_> = rules.iter().filter(|r| r.kind != RuleKind::Closed).collect();
        let dated = |r: &&opening_hours_syntax::rules::RuleSequence| {
            let d = &r.day_selector;
            !(d.year.is_empty() && d.monthday.is_empty() && d.week.is_empty())
        };
        let saisons = if !opening.is_empty() && opening.iter().all(dated) {
            opening
                .iter()
                .filter_map(|r| {
                    // The rule's dates alone: its day selector without the
                    // weekdays, open all day.
                    let mut days = r.day_selector.clone();
                    days.weekday.clear();
                    parse_oh(&days.to_string()).ok()
                })
                .collect()
        } else {
            Vec::new()
        };
        Parsed { oh, fins_ouvertes, saisons }
    }

    /// Whether `date` is in one of the seasons.
    fn in_season(&self, date: NaiveDate) -> bool {
        self.saisons.iter().any(|s| s.schedule_at(date).into_iter().any(|r| r.kind == RuleKind::Open))
    }
}

/// How far ahead seasons and reopenings are looked for: a year.
const HORIZON: usize = 366;

impl Horaires {
    /// When the hours are seasonal (every rule that opens is dated) and
    /// `date` is in season: the season's last day, if it ends within a
    /// year. Kept for the first date asked for.
    pub fn fin_de_saison(&self, date: NaiveDate) -> Option<NaiveDate> {
        let Rules::Parsed(parsed) = &self.rules else { return None };
        if parsed.saisons.is_empty() {
            return None;
        }
        let compute = || {
            if !parsed.in_season(date) {
                return None;
            }
            let last = date.iter_days().take(HORIZON).take_while(|d| parsed.in_season(*d)).last()?;
            (last < date + chrono::Days::new(HORIZON as u64 - 1)).then_some(last)
        };
        let (kept_for, kept) = *self.fin_de_saison.get_or_init(|| (date, compute()));
        if kept_for == date { kept } else { compute() }
    }

    /// The first date from `from` on which the point opens, temporary
    /// closures included, within a year.
    pub fn prochaine_ouverture(&self, from: NaiveDate, fermetures: &[Fermeture]) -> Option<NaiveDate> {
        from.iter_days().take(HORIZON).find(|d| {
            let day = self.day(*d, fermetures);
            day.fermeture.is_none() && !day.periodes.is_empty()
        })
    }
}

/// Where a point stands in its seasons on a date ([`Horaires::saison`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Saison {
    /// Open in the coming week, in a season whose last day this is.
    JusquAu(NaiveDate),
    /// Not open in the coming week; opens again on this date.
    Reprise(NaiveDate),
}

impl Horaires {
    /// What a reader needs beyond the seven days from `today`: when the
    /// point does not open in them, the date it opens again; when its
    /// hours are seasonal, the last day of the season.
    pub fn saison(&self, today: NaiveDate, fermetures: &[Fermeture]) -> Option<Saison> {
        let opens = today.iter_days().take(7).any(|d| {
            let day = self.day(d, fermetures);
            day.fermeture.is_none() && (!day.periodes.is_empty() || day.incertain)
        });
        if !opens {
            return self.prochaine_ouverture(today + chrono::Days::new(7), fermetures).map(Saison::Reprise);
        }
        self.fin_de_saison(today).map(Saison::JusquAu)
    }
}

/// What the crate reads but cannot evaluate truthfully: a date that does
/// not exist (`Feb 30`, which it reads as a range running on), the sun's
/// hours (`sunrise`, which need the point's coordinates), school holidays
/// (`SH`, no calendar for France). An error in French with the place in
/// the text and what to write instead.
fn unsupported(oh: &OpeningHours, text: &str) -> Result<(), HoursError> {
    use opening_hours_syntax::rules::day::{Date, HolidayKind, MonthdayRange, WeekDayRange};
    use opening_hours_syntax::rules::time::Time;
    const MOIS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let lower = text.to_ascii_lowercase();
    let char_offset = |byte: usize| text[..byte].chars().count();
    for rule in &oh.get_expression().rules {
        for range in &rule.day_selector.monthday {
            let MonthdayRange::Date { start, end } = range else { continue };
            for (date, _) in [start, end] {
                let Date::Fixed { year, month, day } = *date else { continue };
                let m = month as u32;
                // Without a year, 29 February exists (in leap years).
                let y = year.map_or(2024, |y| *y);
                if NaiveDate::from_ymd_opt(y, m, u32::from(day)).is_some() {
                    continue;
                }
                let jours = (28..=31).rev().find(|d| NaiveDate::from_ymd_opt(y, m, *d).is_some()).unwrap_or(28);
                let abbr = &month.as_str()[..3];
                let at = find_date(&lower, &abbr.to_ascii_lowercase(), day);
                let mois = MOIS[(m - 1) as usize];
                let annee = year.map(|y| format!(" {}", *y)).unwrap_or_default();
                return Err(HoursError {
                    message: format!(
                        "le {day} {mois}{annee} n’existe pas ({mois} n’a que {jours} jours) : ces horaires s’appliqueraient à d’autres dates"
                    ),
                    offset: at.map(char_offset),
                    aide: Some(format!(
                        "écrivez une date qui existe : `{abbr} {jours:02}` pour le dernier jour du mois, ou le 1er du mois suivant (`{} 01`)",
                        &month.next().as_str()[..3]
                    )),
                });
            }
        }
        for span in &rule.time_selector.spans {
            for t in [&span.range.start, &span.range.end] {
                let Time::Variable(v) = t else { continue };
                let name = v.event.as_str();
                let (quoi, exemple) = match name {
                    "sunrise" => ("le lever du soleil", "08:00"),
                    "sunset" => ("le coucher du soleil", "18:00"),
                    "dawn" => ("l’aube", "07:30"),
                    _ => ("le crépuscule", "18:30"),
                };
                return Err(HoursError {
                    message: format!(
                        "`{name}` ({quoi}) change chaque jour et dépend de la position du lieu : alimap ne calcule pas ces heures"
                    ),
                    offset: lower.find(name).map(char_offset),
                    aide: Some(format!(
                        "écrivez des heures fixes, par exemple `{exemple}` à la place de `{name}` ; si elles changent avec la saison, une règle par période : `Apr-Sep 07:00-21:00; Oct-Mar 08:00-18:00`"
                    )),
                });
            }
        }
        for w in &rule.day_selector.weekday {
            if let WeekDayRange::Holiday { kind: HolidayKind::School, .. } = w {
                return Err(HoursError {
                    message: "`SH` (vacances scolaires) n’est pas connu d’alimap : ces horaires ne s’appliqueraient jamais"
                        .into(),
                    offset: text.find("SH").map(char_offset),
                    aide: Some(
                        "écrivez les dates des vacances, par exemple `Dec 19-Jan 03 off` (du 19 décembre au 3 janvier), ou une fermeture `[[fermetures]]`"
                            .into(),
                    ),
                });
            }
        }
    }
    Ok(())
}

/// The byte offset of a date written `feb 30`, `feb 30` or `feb 30-…` in
/// `lower` (the text in lower case): the month's abbreviation followed by
/// the day, spaces allowed between them.
fn find_date(lower: &str, month: &str, day: u8) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = lower[from..].find(month) {
        let at = from + i;
        let rest = lower[at + month.len()..].trim_start();
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if digits.parse::<u8>().ok() == Some(day) {
            return Some(at);
        }
        from = at + month.len();
    }
    None
}

/// Hours written the common way, `Mo-Fr 09:00-12:00,14:00-17:00; Sa
/// 10:00-12:00; PH off`: rules of weekdays and ranges of weekdays at
/// increasing times within the day (or `off`), separated by `; `, the last
/// one perhaps `PH off`. Most directories write nearly all their hours so.
/// The `opening-hours` crate's grammar takes about 150,000 instructions to
/// read one text, nearly as much as the rest of a point's file; these are
/// read here by splitting the text. What it says of a date is what the
/// crate says (a test compares them on many texts and dates); any other
/// text goes to the crate.
#[derive(Clone, Debug, PartialEq)]
struct Week {
    /// Monday first. As in OpenStreetMap, a later rule replaces what an
    /// earlier one said of the days it names.
    days: [Periodes; 7],
    /// Closed on public holidays.
    ph_off: bool,
}

impl Week {
    fn read(text: &str) -> Option<Week> {
        let mut week = Week { days: Default::default(), ph_off: false };
        let rules: Vec<&str> = text.split("; ").collect();
        for (i, rule) in rules.iter().enumerate() {
            if *rule == "PH off" && i + 1 == rules.len() && i > 0 {
                week.ph_off = true;
                continue;
            }
            let (days, times) = rule.split_once(' ')?;
            let periodes = if times == "off" { Periodes::new() } else { Week::times(times)? };
            for part in days.split(',') {
                let (from, to) = match part.split_once('-') {
                    Some((a, b)) => (Week::weekday(a)?, Week::weekday(b)?),
                    None => (Week::weekday(part)?, Week::weekday(part)?),
                };
                if from > to {
                    return None;
                }
                for d in from..=to {
                    week.days[d].clone_from(&periodes);
                }
            }
        }
        Some(week)
    }

    fn weekday(s: &str) -> Option<usize> {
        ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"].iter().position(|d| *d == s)
    }

    /// `09:00-12:00,14:00-17:00`: each range within the day, each after the
    /// previous one with a gap between them (the crate joins ranges that
    /// touch or overlap).
    fn times(s: &str) -> Option<Periodes> {
        let mut out = Periodes::new();
        for range in s.split(',') {
            let (a, b) = range.split_once('-')?;
            let (debut, fin) = (Week::time(a)?, Week::time(b)?);
            if debut >= fin || out.last().is_some_and(|p| p.fin >= debut) {
                return None;
            }
            out.push(Periode { debut, fin, fin_ouverte: false });
        }
        Some(out)
    }

    /// `HH:MM`, from `00:00` to `24:00`.
    fn time(s: &str) -> Option<u16> {
        let b = s.as_bytes();
        if b.len() != 5 || b[2] != b':' || !b.iter().enumerate().all(|(i, c)| i == 2 || c.is_ascii_digit()) {
            return None;
        }
        let (h, m) = (
            u16::from(b[0] - b'0') * 10 + u16::from(b[1] - b'0'),
            u16::from(b[3] - b'0') * 10 + u16::from(b[4] - b'0'),
        );
        (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
    }

    fn day(&self, date: NaiveDate) -> Schedule {
        if self.ph_off && is_public_holiday(date) {
            return (Periodes::new(), false);
        }
        (self.days[date.weekday().num_days_from_monday() as usize].clone(), false)
    }
}

/// How a point's hours repeat.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Cadence {
    /// The same every week: a date's hours are those of any other date on
    /// the same weekday. Every rule applies to fixed weekdays, or to every
    /// day, at fixed times.
    Weekly,
    /// The same, except on public holidays (`PH off`, `Mo-Fr,PH 9:00-12:00`)
    /// and the day after one.
    WeeklyBesidesHolidays,
    /// A month, a date, a week number, the nth weekday of a month (`Sa[1]`),
    /// a day counted from a holiday or a time like `sunrise`: a date's hours
    /// depend on more than its weekday.
    Other,
}

impl Cadence {
    fn of(oh: &OpeningHours) -> Cadence {
        use opening_hours_syntax::rules::day::{HolidayKind, WeekDayRange};
        use opening_hours_syntax::rules::time::Time;
        let mut holidays = false;
        let weekly = oh.get_expression().rules.iter().all(|rule| {
            let days = &rule.day_selector;
            let weekdays = days.weekday.iter().all(|w| match w {
                WeekDayRange::Fixed { nth_from_start, nth_from_end, .. } => {
                    nth_from_start.iter().all(|n| *n) || nth_from_end.iter().all(|n| *n)
                }
                WeekDayRange::Holiday { kind: HolidayKind::Public, offset: 0 } => {
                    holidays = true;
                    true
                }
                WeekDayRange::Holiday { .. } => false,
            });
            let times = rule
                .time_selector
                .spans
                .iter()
                .all(|span| matches!((span.range.start, span.range.end), (Time::Fixed(_), Time::Fixed(_))));
            days.year.is_empty() && days.monthday.is_empty() && days.week.is_empty() && weekdays && times
        });
        match (weekly, holidays) {
            (true, false) => Cadence::Weekly,
            (true, true) => Cadence::WeeklyBesidesHolidays,
            (false, _) => Cadence::Other,
        }
    }
}

fn parse_oh(text: &str) -> Result<OpeningHours, String> {
    let oh: OpeningHours = text.parse().map_err(|e| format!("{e}"))?;
    Ok(oh.with_context(Context::default().with_holidays(Country::FR.holidays())))
}

pub fn is_public_holiday(date: NaiveDate) -> bool {
    static HOLIDAYS: std::sync::OnceLock<opening_hours::ContextHolidays> = std::sync::OnceLock::new();
    HOLIDAYS.get_or_init(|| Country::FR.holidays()).get_public().contains(date)
}

/// The parser's report reads `--> line:col`; the column is 1-based.
fn error_column(detail: &str) -> Option<usize> {
    let at = detail.find("--> ")?;
    let rest = &detail[at + 4..];
    let (_, col) = rest.split_once(':')?;
    let digits: String = col.chars().take_while(char::is_ascii_digit).collect();
    digits.parse::<usize>().ok().map(|c| c.saturating_sub(1))
}

/// One open period, in minutes from midnight (the end may pass 24:00).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Periode {
    pub debut: u16,
    pub fin: u16,
    /// Written open-ended (`19:00+`, « à partir de 19 h »): the end is
    /// not known; `fin` is the end written (`19:00-22:00+`) or midnight.
    pub fin_ouverte: bool,
}

/// A day's open periods, in order. Days are asked for hundreds of
/// thousands of times on a large site, and have at most a few periods:
/// kept inline, copying one allocates nothing.
pub type Periodes = smallvec::SmallVec<[Periode; 4]>;

/// What happens on one day at a point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    pub periodes: Periodes,
    /// Why the point is closed that day, for a temporary closure (empty
    /// when the closure gives no reason).
    pub fermeture: Option<String>,
    /// The hours say the state is unknown for part of the day.
    pub incertain: bool,
    pub ferie: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Kept for the dates first asked for, made again for others: `alimap
    /// serve` running past midnight asks for the next day's weeks.
    #[test]
    fn usual_days_are_kept_for_the_weeks_first_asked_for() {
        let h = Horaires::parse("Mo 09:00-12:00").unwrap();
        let made = std::cell::Cell::new(0);
        let make = |n: u16| {
            made.set(made.get() + 1);
            let mut days: [JourHabituel; 7] = Default::default();
            days[0] = JourHabituel::Regulier(Horaire {
                periodes: [Periode { debut: n, fin: 720, fin_ouverte: false }].into_iter().collect(),
                incertain: false,
            });
            days
        };
        let (first, other) = ([date("2026-11-30")], [date("2026-12-07")]);
        assert_eq!(h.habituels(&first, || make(540))[0], make(540)[0]);
        assert_eq!(made.get(), 2);
        // Kept: not made again, even by a `make` that would differ.
        assert!(matches!(h.habituels(&first, || make(600)), std::borrow::Cow::Borrowed(_)));
        assert_eq!(h.habituels(&first, || make(600))[0], make(540)[0]);
        assert_eq!(made.get(), 3);
        // Other weeks: made each time, and the kept ones stay.
        assert_eq!(h.habituels(&other, || make(600))[0], make(600)[0]);
        assert_eq!(made.get(), 5);
        assert_eq!(h.clone().habituels(&first, || make(660))[0], make(540)[0]);
    }

    #[test]
    fn weekday_hours_and_holidays() {
        let h = Horaires::parse("Mo-Fr 09:00-12:00,14:00-17:00; PH off").unwrap();
        // 2026-11-30 is a Monday.
        let monday = h.day(date("2026-11-30"), &[]);
        assert_eq!(
            monday.periodes.as_slice(),
            [
                Periode { debut: 540, fin: 720, fin_ouverte: false },
                Periode { debut: 840, fin: 1020, fin_ouverte: false }
            ]
        );
        assert!(h.day(date("2026-11-29"), &[]).periodes.is_empty());
        // Christmas Day 2026 is a Friday and a public holiday.
        let christmas = h.day(date("2026-12-25"), &[]);
        assert!(christmas.ferie);
        assert!(christmas.periodes.is_empty());
    }

    #[test]
    fn hours_read_from_their_weekday_are_the_hours_of_each_date() {
        // Each text, evaluated through the cache (from its weekday when
        // `weekly`), against the parser's own evaluation of every date of
        // two years, holidays included.
        use Cadence::*;
        let cases = [
            ("Mo-Fr 09:00-12:00,14:00-17:00", Weekly),
            ("Mo,We,Fr 08:30-11:30; Sa 10:00-12:00 open \"sur rendez-vous\"", Weekly),
            ("Tu 18:00-02:00", Weekly),
            ("Su-Tu 09:00-12:00", Weekly),
            ("24/7", Weekly),
            ("10:00-12:00", Weekly),
            ("Mo-Sa 09:00-17:00; We off", Weekly),
            ("Mo-Fr 09:00-12:00 || Sa unknown", Weekly),
            ("Mo-Fr 09:00-12:00; PH off", WeeklyBesidesHolidays),
            ("Mo-Fr,PH 09:00-12:00", WeeklyBesidesHolidays),
            ("Mo-Fr 09:00-12:00; PH 20:00-02:00", WeeklyBesidesHolidays),
            ("PH off; Mo-Fr 09:00-12:00", WeeklyBesidesHolidays),
            ("Mo-Fr 09:00-12:00; PH 10:00-11:00 unknown", WeeklyBesidesHolidays),
            ("Mo-Fr 09:00-12:00; PH +1 day off", Other),
            ("Mo-Fr 09:00-12:00; Jan 02 off", Other),
            ("Sa[1,3] 10:00-12:00", Other),
            ("Mo[-1] 14:00-16:00", Other),
            ("Mo-Fr 09:00-12:00; Dec 24-Jan 01 off", Other),
            ("Jul-Aug Mo-Fr 09:00-12:00", Other),
            ("week 01-53/2 Th 14:00-16:00", Other),
            ("Oct 15-Mar 31 Mo-Su 19:00+", Other),
        ];
        for (text, expected) in cases {
            let h = Horaires::parse_rules(text).unwrap();
            assert_eq!(h.cadence, expected, "{text}");
            for date in date("2026-11-02").iter_days().take(730) {
                let day = h.day(date, &[]);
                assert_eq!((day.periodes, day.incertain), h.evaluate(date), "{text} le {date}");
            }
        }
    }

    #[test]
    fn hours_written_the_common_way_read_as_the_crate_reads_them() {
        // Texts drawn at random in and around the form `Week` reads, each
        // compared with the crate's reading on the dates around Christmas
        // and in May, which have public holidays on several weekdays.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        const DAYS: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
        let dates: Vec<NaiveDate> = [("2026-12-14", 35), ("2027-04-26", 28)]
            .iter()
            .flat_map(|(from, n)| date(from).iter_days().take(*n))
            .collect();
        let mut read = 0;
        let common = ["Mo-Fr 09:00-12:00,14:00-17:00; PH off", "Mo-Su 00:00-24:00", "Mo-Sa 09:00-17:00; We off"];
        for text in common {
            let (week, by_crate) = (Week::read(text).unwrap(), Horaires::parse_rules(text).unwrap());
            for d in &dates {
                assert_eq!(week.day(*d), by_crate.evaluate(*d), "{text} le {d}");
            }
        }
        for _ in 0..400 {
            let mut rules = Vec::new();
            for _ in 0..=next(3) {
                let days: Vec<String> = (0..=next(2))
                    .map(|_| {
                        let (a, b) = (next(7) as usize, next(7) as usize);
                        if next(2) == 0 { DAYS[a].to_string() } else { format!("{}-{}", DAYS[a], DAYS[b]) }
                    })
                    .collect();
                let times = if next(5) == 0 {
                    "off".to_string()
                } else {
                    // Quarter hours from 6:00, increasing; sometimes touching.
                    let mut at = 24 + next(16);
                    let spans: Vec<String> = (0..=next(2))
                        .map(|_| {
                            let (from, to) = (at, at + 1 + next(20));
                            at = to + next(3);
                            let hm =
                                |q: u64| format!("{:02}:{:02}", (q / 4).min(24), if q >= 96 { 0 } else { q % 4 * 15 });
                            format!("{}-{}", hm(from), hm(to))
                        })
                        .collect();
                    spans.join(",")
                };
                rules.push(format!("{} {times}", days.join(",")));
            }
            if next(5) < 2 {
                rules.push("PH off".into());
            }
            let text = rules.join("; ");
            let Some(week) = Week::read(&text) else { continue };
            read += 1;
            let by_crate = Horaires::parse_rules(&text).unwrap_or_else(|e| panic!("{text}: {}", e.message));
            for d in &dates {
                assert_eq!(week.day(*d), by_crate.evaluate(*d), "{text} le {d}");
            }
        }
        assert!(read > 120, "only {read} texts of the common form");
        // Other forms go to the crate.
        for text in ["Mo-Fr 9:00-12:00", "Su-Tu 09:00-12:00", "Mo 09:00-12:00,12:00-14:00", "PH off", "Tu 18:00-02:00"]
        {
            assert!(Week::read(text).is_none(), "{text}");
        }
    }

    #[test]
    fn open_ended_periods_are_marked_with_the_end_the_crate_gives() {
        let p = |text: &str, d: &str| Horaires::parse(text).unwrap().day(date(d), &[]).periodes.to_vec();
        let open = |debut, fin, fin_ouverte| Periode { debut, fin, fin_ouverte };
        assert_eq!(p("Mo-Su 19:00+", "2026-11-28"), [open(1140, 1440, true)]);
        assert_eq!(p("Mo-Su 19:00-22:00+", "2026-11-28"), [open(1140, 1320, true)]);
        assert_eq!(p("Mo-Su 09:00-12:00,19:00+", "2026-11-28"), [open(540, 720, false), open(1140, 1440, true)]);
        // Until midnight as written is not open-ended.
        assert_eq!(p("Mo-Su 19:00-24:00", "2026-11-28"), [open(1140, 1440, false)]);
    }

    #[test]
    fn seasons_end_and_points_reopen() {
        let winter = Horaires::parse("Oct 15-Mar 31 Mo-Su 19:00+").unwrap();
        assert_eq!(winter.saison(date("2026-11-28"), &[]), Some(Saison::JusquAu(date("2027-03-31"))));
        assert_eq!(winter.saison(date("2027-05-10"), &[]), Some(Saison::Reprise(date("2027-10-15"))));
        // The last week of the season: still open, still until 31 March.
        assert_eq!(winter.saison(date("2027-03-28"), &[]), Some(Saison::JusquAu(date("2027-03-31"))));
        // Two seasons that follow each other are one.
        let two = Horaires::parse("Oct 15-Dec 31 Mo-Fr 19:00-21:00; Jan 01-Mar 31 Mo-Fr 18:00-21:00").unwrap();
        assert_eq!(two.saison(date("2026-11-28"), &[]), Some(Saison::JusquAu(date("2027-03-31"))));
        // Hours open all year, or only dated closures, have no season.
        for text in ["Mo-Fr 09:00-12:00", "Mo-Fr 09:00-12:00; Aug off", "Mo-Fr 09:00-12:00; Jul-Aug Sa 10:00-12:00"] {
            assert_eq!(Horaires::parse(text).unwrap().saison(date("2026-11-28"), &[]), None, "{text}");
        }
        // A closure over the whole week: the day after it.
        let weekly = Horaires::parse("Mo-Fr 09:00-12:00").unwrap();
        let f = Fermeture { du: date("2026-11-28"), au: date("2026-12-13"), motif: None };
        assert_eq!(weekly.saison(date("2026-11-28"), &[f]), Some(Saison::Reprise(date("2026-12-14"))));
        assert_eq!(Horaires::parse("Mo off").unwrap().saison(date("2026-11-28"), &[]), None);
    }

    #[test]
    fn impossible_dates_and_the_sun_are_refused_with_their_place() {
        let e = Horaires::parse("Feb 30 09:00-12:00").unwrap_err();
        assert_eq!(
            e.message,
            "le 30 février n’existe pas (février n’a que 29 jours) : ces horaires s’appliqueraient à d’autres dates"
        );
        assert_eq!(e.offset, Some(0));
        let e = Horaires::parse("Mo-Fr 09:00-12:00; 2027 Feb 29 off").unwrap_err();
        assert!(e.message.starts_with("le 29 février 2027 n’existe pas (février n’a que 28 jours)"), "{}", e.message);
        assert_eq!(e.offset, Some(24));
        assert!(Horaires::parse("Feb 29 09:00-12:00").is_ok());
        let e = Horaires::parse("Mo-Fr 09:00-12:00; Jun 01-Jun 31 off").unwrap_err();
        assert!(e.message.starts_with("le 31 juin n’existe pas"), "{}", e.message);
        assert_eq!(e.offset, Some(26));
        let e = Horaires::parse("Mo-Su 10:00-dusk").unwrap_err();
        assert!(e.message.starts_with("`dusk` (le crépuscule)"), "{}", e.message);
        assert_eq!(e.offset, Some(12));
    }

    #[test]
    fn temporary_closure_wins_over_hours() {
        let h = Horaires::parse("Mo-Fr 09:00-12:00").unwrap();
        let f = Fermeture { du: date("2026-11-30"), au: date("2026-12-02"), motif: Some("Travaux".into()) };
        let d = h.day(date("2026-12-01"), std::slice::from_ref(&f));
        assert_eq!(d.fermeture.as_deref(), Some("Travaux"));
        assert!(d.periodes.is_empty());
        assert_eq!(h.day(date("2026-12-03"), &[f]).periodes.len(), 1);
    }

    #[test]
    fn a_text_known_is_parsed_once_and_its_days_shared() {
        let known = Known::default();
        let a = Horaires::parse_known("Mo-Fr 09:00-12:00", &known).unwrap();
        let b = Horaires::parse_known("Mo-Fr 09:00-12:00", &known).unwrap();
        assert!(Arc::ptr_eq(&a.days, &b.days));
        assert_eq!(a.day(date("2026-11-30"), &[]), b.day(date("2026-11-30"), &[]));
        let e = Horaires::parse_known("lundi 9h-12h", &known).unwrap_err();
        assert_eq!(Horaires::parse_known("lundi 9h-12h", &known).unwrap_err(), e);
        assert_eq!(e, Horaires::parse("lundi 9h-12h").unwrap_err());
    }
}
