//! Coverage figures for a territory's coordination page: when points are
//! open over a regular week, which communes have none, how many points are
//! open without referral, free, accessible, and which information is
//! overdue for a check.
//!
//! Pure functions over the model: no I/O, no clock (the build date is an
//! argument), every list sorted. Figures only: `pages::wording` says
//! them in words.
//!
//! **The regular week.** Hours are read on each weekday's first
//! [`SEMAINES`] dates from the build date (five Mondays, five Tuesdays…),
//! public holidays left out and replaced by the same weekday one week
//! later, so that a holiday does not show as a gap. Five dates of a weekday
//! always hold a 1st, 2nd, 3rd, 4th and last of that weekday in a month,
//! so hours that repeat monthly (`Sa[1,3]`, the 1st and 3rd Saturday) or
//! every other week are seen. A weekday whose hours are the same on its
//! five dates is a regular day; one whose hours differ is written with its
//! dates (« samedi : 10 h – 13 h (les 5 et 19 décembre) ») and counts in
//! the coverage grid at every hour the point is open on at least one of
//! them. Gaps say so when a day or a kind of help is only covered some
//! weeks (« …, sauf certaines semaines »). Temporary closures
//! (`[[fermetures]]`) are not counted either: they are listed apart, with
//! the closures of the coming seven days, and the next public holiday gets
//! its own figure.

use chrono::{Datelike, NaiveDate};

use crate::model::hours::{self, Periodes, is_public_holiday};
use crate::model::vocab::{Acces, Frais, Service, Vocabulary};
use crate::model::{Commune, Fermeture, Lieu, Site, Territoire};

/// Number of points open, by day (Monday first) and hour of the day.
pub type Grid = [[u32; 24]; 7];

/// Hours at and after which a point counts as open in the evening.
pub const SOIR: usize = 18;

/// Where an open-ended period (`19:00+`, « à partir de 19 h ») stops
/// counting in the grids, in minutes: 22 h, or one hour after its start
/// when it starts later. Its end is not known; midnight would count
/// hours nobody said it was open.
pub const FIN_OUVERTE: u16 = 22 * 60;

/// How many dates of each weekday the regular week is read on (see the
/// module notes).
pub const SEMAINES: usize = 5;

/// The dates read for each weekday, Monday first: its first [`SEMAINES`]
/// dates from the build date that are not public holidays, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Semaines(pub [[NaiveDate; SEMAINES]; 7]);

impl Semaines {
    /// The first date read of each weekday: the regular week as one week.
    pub fn first(&self) -> [NaiveDate; 7] {
        self.0.map(|dates| dates[0])
    }

    /// The last date read.
    pub fn last(&self) -> NaiveDate {
        self.0.iter().map(|dates| dates[SEMAINES - 1]).max().unwrap_or(self.0[0][0])
    }
}

pub fn reference_weeks(today: NaiveDate) -> Semaines {
    let mut out = [[today; SEMAINES]; 7];
    for d in today.iter_days().take(7) {
        let dates = &mut out[d.weekday().num_days_from_monday() as usize];
        let mut n = 0;
        // A year has at most a few holidays on one weekday, never four in
        // a row: the bound is only there to be sure the loop ends.
        for day in (0..SEMAINES as i64 + 8).map(|w| d + chrono::Duration::days(7 * w)) {
            if n < SEMAINES && !is_public_holiday(day) {
                dates[n] = day;
                n += 1;
            }
        }
    }
    Semaines(out)
}

pub use crate::model::hours::{Horaire, JourHabituel};

/// Each weekday of a point over the reference weeks, Monday first.
/// Temporary closures are ignored (see the module notes).
/// Made once per hours text and weeks (see [`hours::Horaires::habituels`]).
pub fn jours_habituels<'l>(l: &'l Lieu, semaines: &Semaines) -> Option<std::borrow::Cow<'l, [JourHabituel; 7]>> {
    let h = l.horaires.as_ref()?;
    Some(h.habituels(semaines.0.as_flattened(), || days_of(h, semaines)))
}

fn days_of(h: &hours::Horaires, semaines: &Semaines) -> [JourHabituel; 7] {
    // Hours the same every week read the same on every date of a weekday.
    let weekly = h.same_every_week();
    semaines.0.map(|dates| {
        if weekly {
            // Closed reads as no periods, certain: what the loop below
            // makes of a closed day too.
            let day = h.day(dates[0], &[]);
            return JourHabituel::Regulier(Horaire { periodes: day.periodes, incertain: day.incertain });
        }
        let mut horaires: Vec<(Horaire, Vec<NaiveDate>)> = Vec::new();
        let mut fermes = Vec::new();
        for date in dates {
            let day = h.day(date, &[]);
            let horaire = Horaire { periodes: day.periodes, incertain: day.incertain };
            if horaire.ferme() {
                fermes.push(date);
            } else if let Some((_, ds)) = horaires.iter_mut().find(|(x, _)| *x == horaire) {
                ds.push(date);
            } else {
                horaires.push((horaire, vec![date]));
            }
        }
        match (horaires.len(), fermes.len()) {
            (0, _) => JourHabituel::Regulier(Horaire { periodes: Periodes::new(), incertain: false }),
            (1, 0) => JourHabituel::Regulier(horaires.swap_remove(0).0),
            _ => JourHabituel::Variable { horaires, fermes },
        }
    })
}

/// Hours of the regular week in which a point is open.
#[derive(Clone, Debug, Default)]
pub struct Slots {
    /// By day and hour: open at that hour on at least one of the dates
    /// read for that day. An hour counts when an open period overlaps it;
    /// periods running past midnight spill into the next day.
    pub heures: [[bool; 24]; 7],
    /// By day: open (at some hour) on every date read for that day.
    pub chaque_semaine: [bool; 7],
}

/// A point's [`Slots`] over the reference weeks. Temporary closures are
/// ignored (see the module notes).
pub fn open_slots(l: &Lieu, semaines: &Semaines) -> Slots {
    let mut slots = Slots::default();
    let Some(h) = &l.horaires else { return slots };
    let read = if h.same_every_week() { 1 } else { SEMAINES };
    for (i, dates) in semaines.0.iter().enumerate() {
        let mut every = true;
        for date in dates.iter().take(read) {
            let periodes = h.day(*date, &[]).periodes;
            every &= !periodes.is_empty();
            for p in periodes {
                let fin =
                    if p.fin_ouverte && p.fin >= 24 * 60 { FIN_OUVERTE.max(p.debut + 60).min(p.fin) } else { p.fin };
                let (debut, fin) = (u32::from(p.debut), u32::from(fin));
                for hour in 0..48u32 {
                    let (start, end) = (hour * 60, hour * 60 + 60);
                    if debut < end && fin > start {
                        let day = (i + hour as usize / 24) % 7;
                        slots.heures[day][hour as usize % 24] = true;
                    }
                }
            }
        }
        slots.chaque_semaine[i] = every;
    }
    slots
}

/// The point can be reached without a social worker's referral.
pub fn sans_orientation(l: &Lieu) -> bool {
    l.acces.contains(&Acces::SansCondition) || !l.acces.contains(&Acces::Orientation)
}

/// One kind of help over the regular week.
#[derive(Clone, Debug)]
pub struct ServiceCoverage {
    pub service: Service,
    pub lieux: usize,
    /// Of `lieux`, those without hours: in no grid.
    pub sans_horaires: usize,
    pub grille: Grid,
}

/// A commune and the points whose position falls in its perimeter.
#[derive(Clone, Debug)]
pub struct CommuneCount<'a> {
    pub nom: String,
    pub code: Option<String>,
    pub lieux: Vec<&'a Lieu>,
}

/// The next public holiday and how many points are open on it, against a
/// regular day of the same weekday.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ferie {
    pub date: NaiveDate,
    pub ouverts: usize,
    pub ouverts_jour_ordinaire: usize,
}

/// Everything the coordination page shows in figures.
#[derive(Clone, Debug)]
pub struct Coverage<'a> {
    /// The first date read of each weekday.
    pub semaine: [NaiveDate; 7],
    /// Every date read of each weekday.
    pub semaines: Semaines,
    pub total: usize,
    pub grille: Grid,
    /// Kinds of help offered on the territory, in vocabulary order.
    pub services: Vec<ServiceCoverage>,
    /// Gaps, in the order a coordinator reads them.
    pub lacunes: Vec<Lacune>,
    /// Points whose hours on some weekday are not the same every week,
    /// counted in the grids on that day nonetheless (see the module notes).
    pub certaines_semaines: Vec<&'a Lieu>,
    /// Points without hours (« horaires inconnus »): in no grid, and no
    /// gap is said from them.
    pub sans_horaires: Vec<&'a Lieu>,
    /// Points with an open-ended period (`19:00+`) in the reference weeks,
    /// counted until [`FIN_OUVERTE`].
    pub fins_ouvertes: usize,
    pub sans_orientation: usize,
    pub gratuits: usize,
    pub pmr: usize,
    pub pmr_non_renseigne: usize,
    pub a_jour: usize,
    /// Overdue points, oldest check first.
    pub en_retard: Vec<&'a Lieu>,
    /// Temporary closures overlapping the seven days from the build date.
    pub fermetures: Vec<(&'a Lieu, &'a Fermeture)>,
    pub ferie: Option<Ferie>,
    /// Points by commune: from the commune perimeters when the territory
    /// declares them, otherwise from the address of each point.
    pub communes: Vec<CommuneCount<'a>>,
    /// Whether `communes` comes from perimeters (so that communes without
    /// points are known).
    pub perimetres_communes: bool,
    /// Points outside every declared commune perimeter.
    pub hors_communes: Vec<&'a Lieu>,
}

impl Coverage<'_> {
    pub fn communes_sans_lieu(&self) -> Vec<&str> {
        if !self.perimetres_communes {
            return Vec::new();
        }
        self.communes.iter().filter(|c| c.lieux.is_empty()).map(|c| c.nom.as_str()).collect()
    }
}

pub fn coverage<'a>(site: &Site, t: &'a Territoire, lieux: &[&'a Lieu], today: NaiveDate) -> Coverage<'a> {
    let semaines = reference_weeks(today);
    let semaine = semaines.first();
    let slots: Vec<Slots> = lieux.iter().map(|l| open_slots(l, &semaines)).collect();
    let grid_of = |filter: &dyn Fn(&Lieu) -> bool| {
        let mut g: Grid = [[0; 24]; 7];
        for (l, s) in lieux.iter().zip(&slots) {
            if filter(l) {
                for (row, open) in g.iter_mut().zip(&s.heures) {
                    for (n, &o) in row.iter_mut().zip(open) {
                        *n += u32::from(o);
                    }
                }
            }
        }
        g
    };
    let grille = grid_of(&|_| true);
    let services: Vec<ServiceCoverage> = Service::ALL
        .iter()
        .filter_map(|s| {
            let n = lieux.iter().filter(|l| l.services.contains(s)).count();
            let sans_horaires = lieux.iter().filter(|l| l.services.contains(s) && l.horaires.is_none()).count();
            (n > 0).then(|| ServiceCoverage {
                service: *s,
                lieux: n,
                sans_horaires,
                grille: grid_of(&|l| l.services.contains(s)),
            })
        })
        .collect();

    let sans_horaires: Vec<&Lieu> = lieux.iter().copied().filter(|l| l.horaires.is_none()).collect();
    let lacunes = gaps(lieux, &slots, &grille, &services, &sans_horaires);
    let certaines_semaines: Vec<&Lieu> = lieux
        .iter()
        .copied()
        .filter(|l| {
            jours_habituels(l, &semaines).is_some_and(|days| {
                days.iter().any(|j| matches!(j, JourHabituel::Variable { horaires, .. } if horaires.iter().any(|(h, _)| !h.periodes.is_empty())))
            })
        })
        .collect();

    let fins_ouvertes = lieux
        .iter()
        .filter(|l| {
            l.horaires.as_ref().is_some_and(|h| {
                semaines.0.iter().flatten().any(|d| h.day(*d, &[]).periodes.iter().any(|p| p.fin_ouverte))
            })
        })
        .count();

    let default_months = site.config.frequence_maj_mois;
    let mut en_retard: Vec<&Lieu> = lieux.iter().copied().filter(|l| !l.a_jour(default_months, today)).collect();
    en_retard.sort_by(|a, b| (a.date_maj, &a.id).cmp(&(b.date_maj, &b.id)));

    let end = today + chrono::Duration::days(6);
    let mut fermetures: Vec<(&Lieu, &Fermeture)> = lieux
        .iter()
        .flat_map(|l| l.fermetures.iter().filter(|f| f.du <= end && f.au >= today).map(move |f| (*l, f)))
        .collect();
    fermetures.sort_by(|a, b| (a.1.du, &a.0.id).cmp(&(b.1.du, &b.0.id)));

    let ferie = next_holiday(lieux, &semaines, today);

    let (communes, perimetres_communes, hors_communes) = by_commune(&t.communes, lieux);
    Coverage {
        semaine,
        semaines,
        total: lieux.len(),
        grille,
        services,
        lacunes,
        certaines_semaines,
        sans_horaires,
        fins_ouvertes,
        sans_orientation: lieux.iter().filter(|l| sans_orientation(l)).count(),
        gratuits: lieux.iter().filter(|l| l.frais == Frais::Gratuit).count(),
        pmr: lieux.iter().filter(|l| l.accessibilite_pmr == Some(true)).count(),
        pmr_non_renseigne: lieux.iter().filter(|l| l.accessibilite_pmr.is_none()).count(),
        a_jour: lieux.len() - en_retard.len(),
        en_retard,
        fermetures,
        ferie,
        communes,
        perimetres_communes,
        hors_communes,
    }
}

/// The gaps of a territory's coverage, read from its points' known hours.
fn gaps(
    lieux: &[&Lieu],
    slots: &[Slots],
    grille: &Grid,
    services: &[ServiceCoverage],
    sans_horaires: &[&Lieu],
) -> Vec<Lacune> {
    // Gaps follow the grids: a day is covered when a point is open on at
    // least one of its dates; a day covered only some weeks is a gap of
    // its own, said once for every kind of help. Gaps are read from the
    // known hours only: without hours, a point is neither open nor closed,
    // and a gap its hours might fill says how many are unknown.
    let mut lacunes = Vec::new();
    // Days on which some point matching `filter` is open every week.
    let every_week = |filter: &dyn Fn(&Lieu) -> bool| -> [bool; 7] {
        std::array::from_fn(|d| lieux.iter().zip(slots).any(|(l, s)| filter(l) && s.chaque_semaine[d]))
    };
    let selon = |lacune: Lacune, inconnus: usize| match inconnus {
        0 => lacune,
        n => Lacune::SelonHorairesConnus(Box::new(lacune), n),
    };
    if !lieux.is_empty() && sans_horaires.len() == lieux.len() {
        lacunes.push(Lacune::AucunHoraire);
    } else if !lieux.is_empty() {
        let inconnus = sans_horaires.len();
        let closed_days: Vec<usize> = (0..7).filter(|&d| grille[d].iter().all(|&n| n == 0)).collect();
        if !closed_days.is_empty() {
            lacunes.push(selon(Lacune::Jours(closed_days.clone()), inconnus));
        }
        let every = every_week(&|_| true);
        let some_weeks: Vec<usize> = (0..7).filter(|&d| !closed_days.contains(&d) && !every[d]).collect();
        if !some_weeks.is_empty() {
            lacunes.push(selon(Lacune::JoursCertainesSemaines(some_weeks.clone()), inconnus));
        }
        for s in services {
            if s.sans_horaires == s.lieux {
                lacunes.push(Lacune::ServiceSansHoraires(s.service, s.lieux));
                continue;
            }
            let days: Vec<usize> =
                (0..7).filter(|&d| !closed_days.contains(&d) && s.grille[d].iter().all(|&n| n == 0)).collect();
            if !days.is_empty() {
                lacunes.push(selon(Lacune::Service(s.service, days.clone()), s.sans_horaires));
            }
            let every = every_week(&|l| l.services.contains(&s.service));
            let partly: Vec<usize> = (0..7)
                .filter(|&d| !closed_days.contains(&d) && !some_weeks.contains(&d) && !days.contains(&d) && !every[d])
                .collect();
            if !partly.is_empty() {
                lacunes.push(selon(Lacune::ServiceCertainesSemaines(s.service, partly), s.sans_horaires));
            }
        }
        let evening = |f: &dyn Fn(&Lieu) -> bool| {
            lieux.iter().zip(slots).any(|(l, s)| f(l) && s.heures.iter().any(|day| day[SOIR..].iter().any(|&o| o)))
        };
        if !evening(&|_| true) {
            lacunes.push(selon(Lacune::Soir, inconnus));
        } else if !evening(&|l| sans_orientation(l)) {
            let inconnus = sans_horaires.iter().filter(|l| sans_orientation(l)).count();
            lacunes.push(selon(Lacune::SoirSansOrientation, inconnus));
        }
    }
    lacunes
}

/// The next public holiday within a year, with how many points open on it
/// and on an ordinary day of the same weekday.
fn next_holiday(lieux: &[&Lieu], semaines: &Semaines, today: NaiveDate) -> Option<Ferie> {
    today.iter_days().take(366).find(|d| is_public_holiday(*d)).map(|date| {
        let ouverts = lieux
            .iter()
            .filter(|l| {
                l.horaires.as_ref().is_some_and(|h| {
                    let day = h.day(date, &l.fermetures);
                    !day.periodes.is_empty() && day.fermeture.is_none()
                })
            })
            .count();
        // An ordinary day of that weekday, counted as in the grid: open on
        // at least one of its dates.
        let wd = date.weekday().num_days_from_monday() as usize;
        let ordinary = lieux
            .iter()
            .filter(|l| {
                l.horaires.as_ref().is_some_and(|h| semaines.0[wd].iter().any(|d| !h.day(*d, &[]).periodes.is_empty()))
            })
            .count();
        Ferie { date, ouverts, ouverts_jour_ordinaire: ordinary }
    })
}

type ByCommune<'a> = (Vec<CommuneCount<'a>>, bool, Vec<&'a Lieu>);

/// Each point goes to the first commune (in name order) whose perimeter
/// contains it, so that a point on a shared border is counted once.
fn by_commune<'a>(communes: &[Commune], lieux: &[&'a Lieu]) -> ByCommune<'a> {
    if communes.is_empty() {
        let mut out: Vec<CommuneCount<'a>> = Vec::new();
        for l in lieux {
            match out.iter_mut().find(|c| c.nom == l.adresse.commune) {
                Some(c) => c.lieux.push(l),
                None => out.push(CommuneCount { nom: l.adresse.commune.clone(), code: None, lieux: vec![l] }),
            }
        }
        out.sort_by_cached_key(|c| crate::text::format::fold(&c.nom));
        return (out, false, Vec::new());
    }
    let mut out: Vec<CommuneCount<'a>> =
        communes.iter().map(|c| CommuneCount { nom: c.nom.clone(), code: c.code.clone(), lieux: Vec::new() }).collect();
    let mut hors = Vec::new();
    for l in lieux {
        match communes.iter().position(|c| c.perimetre.contains(l.latitude, l.longitude)) {
            Some(i) => out[i].lieux.push(l),
            None => hors.push(*l),
        }
    }
    (out, true, hors)
}

/// A gap in the regular week of a territory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lacune {
    /// No point open at all on these days (0 is Monday).
    Jours(Vec<usize>),
    /// A kind of help offered on the territory, but on none of these days.
    Service(Service, Vec<usize>),
    /// Points open on these days, but none every week.
    JoursCertainesSemaines(Vec<usize>),
    /// A kind of help offered on these days, but by no point every week.
    ServiceCertainesSemaines(Service, Vec<usize>),
    /// No point open after [`SOIR`] h.
    Soir,
    /// Points open after [`SOIR`] h, but all of them need a referral.
    SoirSansOrientation,
    /// A gap in the known hours, while this many points that might fill
    /// it have none.
    SelonHorairesConnus(Box<Lacune>, usize),
    /// A kind of help offered by this many points, none with hours.
    ServiceSansHoraires(Service, usize),
    /// No point of the territory has hours: no gap can be said.
    AucunHoraire,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn reference_week_skips_public_holidays() {
        // From Thursday 2026-12-24: Christmas (Friday) is replaced by the
        // Friday after, 2027-01-01 is a holiday too, so 2027-01-08.
        let w = reference_weeks(date("2026-12-24")).first();
        assert_eq!(w[3], date("2026-12-24"));
        assert_eq!(w[4], date("2027-01-08"));
        assert_eq!(w[0], date("2026-12-28"));
        assert!(w.iter().all(|d| !is_public_holiday(*d)));
    }

    #[test]
    fn five_dates_of_each_weekday_without_holidays() {
        // From Saturday 2026-11-28: Fridays 25 December and 1 January are
        // holidays, so the five Fridays run to 15 January.
        let s = reference_weeks(date("2026-11-28"));
        let fridays = ["2026-12-04", "2026-12-11", "2026-12-18", "2027-01-08", "2027-01-15"].map(date);
        assert_eq!(s.0[4], fridays);
        assert_eq!(s.0[5], ["2026-11-28", "2026-12-05", "2026-12-12", "2026-12-19", "2026-12-26"].map(date));
        let first = ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-11-28", "2026-11-29"];
        assert_eq!(s.first(), first.map(date));
        assert_eq!(s.last(), date("2027-01-15"));
    }
}
