//! Coverage figures for a territory's coordination page: when points are
//! open over a regular week, which communes have none, how many points are
//! open without referral, free, accessible, and which information is
//! overdue for a check.
//!
//! Pure functions over the model: no I/O, no clock (the build date is an
//! argument), every list sorted.
//!
//! **The regular week.** Hours are evaluated on the seven days starting
//! with the build date. A day of that week that is a public holiday is
//! replaced by the same weekday one week later (again if needed), so that a
//! holiday does not show as a gap in the regular week. Temporary closures
//! (`[[fermetures]]`) are not counted either: they are listed apart, with
//! the closures of the coming seven days, and the next public holiday gets
//! its own figure.

use chrono::{Datelike, NaiveDate};

use crate::hours::{self, is_public_holiday};
use crate::i18n::Tr;
use crate::model::{Commune, Fermeture, Lieu, Site, Territoire};
use crate::vocab::{Acces, Frais, Service, Vocabulary};

/// Number of points open, by day (Monday first) and hour of the day.
pub type Grid = [[u32; 24]; 7];

/// Hours at and after which a point counts as open in the evening.
pub const SOIR: usize = 18;

/// The dates evaluated for each weekday, Monday first.
pub fn reference_week(today: NaiveDate) -> [NaiveDate; 7] {
    let mut week = [today; 7];
    for d in today.iter_days().take(7) {
        let mut day = d;
        // A year has at most a few holidays in a row on the same weekday.
        for _ in 0..8 {
            if !is_public_holiday(day) {
                break;
            }
            day += chrono::Duration::days(7);
        }
        week[d.weekday().num_days_from_monday() as usize] = day;
    }
    week
}

/// Hours of the regular week in which a point is open: an hour counts when
/// an open period overlaps it. Periods running past midnight spill into
/// the next day. Temporary closures are ignored (see the module notes).
pub fn open_slots(l: &Lieu, week: &[NaiveDate; 7]) -> [[bool; 24]; 7] {
    let mut slots = [[false; 24]; 7];
    let Some(h) = &l.horaires else { return slots };
    for (i, date) in week.iter().enumerate() {
        for p in h.day(*date, &[]).periodes {
            let (debut, fin) = (u32::from(p.debut), u32::from(p.fin));
            for hour in 0..48u32 {
                let (start, end) = (hour * 60, hour * 60 + 60);
                if debut < end && fin > start {
                    let day = (i + hour as usize / 24) % 7;
                    slots[day][hour as usize % 24] = true;
                }
            }
        }
    }
    slots
}

/// A point open on a day when it is open in at least one hour of it.
pub fn open_on(slots: &[[bool; 24]; 7], day: usize) -> bool {
    slots[day].iter().any(|&s| s)
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
    pub semaine: [NaiveDate; 7],
    pub total: usize,
    pub grille: Grid,
    /// Kinds of help offered on the territory, in vocabulary order.
    pub services: Vec<ServiceCoverage>,
    /// Gaps, in the order a coordinator reads them.
    pub lacunes: Vec<Lacune>,
    pub sans_horaires: usize,
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
    let semaine = reference_week(today);
    let slots: Vec<[[bool; 24]; 7]> = lieux.iter().map(|l| open_slots(l, &semaine)).collect();
    let grid_of = |filter: &dyn Fn(&Lieu) -> bool| {
        let mut g: Grid = [[0; 24]; 7];
        for (l, s) in lieux.iter().zip(&slots) {
            if filter(l) {
                for d in 0..7 {
                    for h in 0..24 {
                        g[d][h] += u32::from(s[d][h]);
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
            (n > 0).then(|| ServiceCoverage { service: *s, lieux: n, grille: grid_of(&|l| l.services.contains(s)) })
        })
        .collect();

    let mut lacunes = Vec::new();
    if !lieux.is_empty() {
        let closed_days: Vec<usize> = (0..7).filter(|&d| grille[d].iter().all(|&n| n == 0)).collect();
        if !closed_days.is_empty() {
            lacunes.push(Lacune::Jours(closed_days.clone()));
        }
        for s in &services {
            let days: Vec<usize> =
                (0..7).filter(|&d| !closed_days.contains(&d) && s.grille[d].iter().all(|&n| n == 0)).collect();
            if !days.is_empty() {
                lacunes.push(Lacune::Service(s.service, days));
            }
        }
        let evening = |f: &dyn Fn(&Lieu) -> bool| {
            lieux.iter().zip(&slots).any(|(l, s)| f(l) && s.iter().any(|day| day[SOIR..].iter().any(|&o| o)))
        };
        if !evening(&|_| true) {
            lacunes.push(Lacune::Soir);
        } else if !evening(&|l| sans_orientation(l)) {
            lacunes.push(Lacune::SoirSansOrientation);
        }
    }

    let default_months = site.config.frequence_maj_mois;
    let mut en_retard: Vec<&Lieu> = lieux.iter().copied().filter(|l| !l.a_jour(default_months, today)).collect();
    en_retard.sort_by(|a, b| (a.date_maj, &a.id).cmp(&(b.date_maj, &b.id)));

    let end = today + chrono::Duration::days(6);
    let mut fermetures: Vec<(&Lieu, &Fermeture)> = lieux
        .iter()
        .flat_map(|l| l.fermetures.iter().filter(|f| f.du <= end && f.au >= today).map(move |f| (*l, f)))
        .collect();
    fermetures.sort_by(|a, b| (a.1.du, &a.0.id).cmp(&(b.1.du, &b.0.id)));

    let ferie = today.iter_days().take(366).find(|d| is_public_holiday(*d)).map(|date| {
        let ordinary = semaine[date.weekday().num_days_from_monday() as usize];
        let count = |d: NaiveDate, with_closures: bool| {
            lieux
                .iter()
                .filter(|l| {
                    l.horaires.as_ref().is_some_and(|h| {
                        let day = h.day(d, if with_closures { &l.fermetures } else { &[] });
                        !day.periodes.is_empty() && day.fermeture.is_none()
                    })
                })
                .count()
        };
        Ferie { date, ouverts: count(date, true), ouverts_jour_ordinaire: count(ordinary, false) }
    });

    let (communes, perimetres_communes, hors_communes) = by_commune(&t.communes, lieux);
    Coverage {
        semaine,
        total: lieux.len(),
        grille,
        services,
        lacunes,
        sans_horaires: lieux.iter().filter(|l| l.horaires.is_none()).count(),
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
        out.sort_by_cached_key(|c| crate::text::fold(&c.nom));
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
    /// No point open after [`SOIR`] h.
    Soir,
    /// Points open after [`SOIR`] h, but all of them need a referral.
    SoirSansOrientation,
}

impl Lacune {
    /// The gap as a sentence in the page's language: "Aucun lieu ouvert le
    /// dimanche".
    pub fn text(&self, tr: &Tr<'_>) -> String {
        let soir = SOIR.to_string();
        let text = match self {
            Lacune::Jours(days) => tr.format("couverture.aucun_lieu", &[("jours", &days_phrase(days, tr))]),
            Lacune::Service(s, days) => {
                let key = format!("absences.{}", s.value());
                tr.format(&key, &[("jours", &days_phrase(days, tr))])
            }
            Lacune::Soir => tr.format("couverture.aucun_lieu_soir", &[("heure", &soir)]),
            Lacune::SoirSansOrientation => {
                tr.format("couverture.aucun_lieu_soir_sans_orientation", &[("heure", &soir)])
            }
        };
        capitalise(&text)
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "le dimanche", "le samedi et le dimanche", "le lundi, le mardi et le jeudi".
pub fn days_phrase(days: &[usize], tr: &Tr<'_>) -> String {
    let parts: Vec<String> =
        days.iter().map(|&d| tr.format("couverture.le_jour", &[("jour", tr.day_number(d))])).collect();
    tr.list(&parts)
}

/// "12 %": a share rounded to the unit, "—" when there is nothing to share.
pub fn percent(n: usize, total: usize) -> String {
    match (n * 100 + total / 2).checked_div(total) {
        Some(p) => format!("{p} %"),
        None => "—".into(),
    }
}

/// Regular weekly hours as lines for paper ("du lundi au vendredi : 9 h –
/// 12 h"), consecutive days with the same hours grouped. Temporary closures
/// and holidays are left out, as in the coverage grid. In French, for the
/// open data; pages use [`regular_hours_in`].
pub fn regular_hours(l: &Lieu, week: &[NaiveDate; 7]) -> Vec<String> {
    let Some(h) = &l.horaires else { return Vec::new() };
    let texts: Vec<String> = week
        .iter()
        .map(|d| {
            let day = h.day(*d, &[]);
            if day.periodes.is_empty() {
                if day.incertain { "à confirmer".into() } else { String::new() }
            } else {
                day.periodes.iter().map(|p| hours::format_periode(*p)).collect::<Vec<_>>().join(", ")
            }
        })
        .collect();
    let mut lines = Vec::new();
    for (i, j) in runs(&texts) {
        let days = match j - i {
            0 => hours::JOURS[i].to_string(),
            1 => format!("{} et {}", hours::JOURS[i], hours::JOURS[j]),
            _ => format!("du {} au {}", hours::JOURS[i], hours::JOURS[j]),
        };
        lines.push(format!("{days} : {}", texts[i]));
    }
    lines
}

/// [`regular_hours`] in the language of a page.
pub fn regular_hours_in(l: &Lieu, week: &[NaiveDate; 7], tr: &Tr<'_>) -> Vec<String> {
    let Some(h) = &l.horaires else { return Vec::new() };
    let texts: Vec<String> = week
        .iter()
        .map(|d| {
            let day = h.day(*d, &[]);
            if day.periodes.is_empty() {
                if day.incertain { tr.text("guide.a_confirmer").into() } else { String::new() }
            } else {
                let periods: Vec<String> = day.periodes.iter().map(|p| tr.periode(*p)).collect();
                periods.join(tr.text("format.periodes_separateur"))
            }
        })
        .collect();
    runs(&texts)
        .into_iter()
        .map(|(i, j)| {
            let (a, b) = (tr.day_number(i), tr.day_number(j));
            let days = match j - i {
                0 => a.to_string(),
                1 => tr.format("guide.jours_deux", &[("a", a), ("b", b)]),
                _ => tr.format("guide.jours_du_au", &[("a", a), ("b", b)]),
            };
            tr.format("guide.ligne_horaires", &[("jours", &days), ("horaires", &texts[i])])
        })
        .collect()
}

/// Runs of consecutive days with the same non-empty text, as (first, last).
fn runs(texts: &[String]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < texts.len() {
        let mut j = i;
        while j + 1 < texts.len() && texts[j + 1] == texts[i] {
            j += 1;
        }
        if !texts[i].is_empty() {
            out.push((i, j));
        }
        i = j + 1;
    }
    out
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
        let w = reference_week(date("2026-12-24"));
        assert_eq!(w[3], date("2026-12-24"));
        assert_eq!(w[4], date("2027-01-08"));
        assert_eq!(w[0], date("2026-12-28"));
        assert!(w.iter().all(|d| !is_public_holiday(*d)));
    }

    #[test]
    fn day_lists_read_as_french() {
        let theme = crate::theme::Theme::assemble("default", &Default::default());
        let (catalogue, _) = crate::i18n::Catalogue::load(&theme);
        let fr = catalogue.tr("fr", "fr").unwrap();
        assert_eq!(days_phrase(&[6], &fr), "le dimanche");
        assert_eq!(days_phrase(&[5, 6], &fr), "le samedi et le dimanche");
        assert_eq!(days_phrase(&[0, 1, 3], &fr), "le lundi, le mardi et le jeudi");
        assert_eq!(percent(1, 3), "33 %");
        assert_eq!(percent(2, 3), "67 %");
        assert_eq!(percent(0, 0), "—");
    }
}
