//! The words of [`crate::site::coverage`]'s figures: a territory's gaps,
//! shares, and each point's regular week as lines of hours, in the
//! language of a [`Tr`]. Pages pass theirs; the open data passes
//! [`crate::text::i18n::french`], the fixed French of the default
//! theme's `fr.toml`.

use chrono::{Datelike, NaiveDate};

use crate::model::Lieu;
use crate::model::hours::Saison;
use crate::model::vocab::Vocabulary;
use crate::site::coverage::{Horaire, JourHabituel, Lacune, SOIR, Semaines, jours_habituels};
use crate::text::i18n::Tr;

/// The gap as a sentence: "Aucun lieu ouvert le dimanche".
pub fn gap(l: &Lacune, tr: &Tr<'_>) -> String {
    capitalise(&gap_text(l, tr))
}

fn gap_text(l: &Lacune, tr: &Tr<'_>) -> String {
    let soir = SOIR.to_string();
    match l {
        Lacune::Jours(days) => tr.format("couverture.aucun_lieu", &[("jours", &days_phrase(days, tr))]),
        Lacune::Service(s, days) => {
            let key = format!("absences.{}", s.value());
            tr.format(&key, &[("jours", &days_phrase(days, tr))])
        }
        Lacune::JoursCertainesSemaines(days) => {
            let gap = tr.format("couverture.aucun_lieu", &[("jours", &days_phrase(days, tr))]);
            tr.format("couverture.sauf_certaines_semaines", &[("lacune", &gap)])
        }
        Lacune::ServiceCertainesSemaines(s, days) => {
            let key = format!("absences.{}", s.value());
            let gap = tr.format(&key, &[("jours", &days_phrase(days, tr))]);
            tr.format("couverture.sauf_certaines_semaines", &[("lacune", &gap)])
        }
        Lacune::Soir => tr.format("couverture.aucun_lieu_soir", &[("heure", &soir)]),
        Lacune::SoirSansOrientation => tr.format("couverture.aucun_lieu_soir_sans_orientation", &[("heure", &soir)]),
        Lacune::SelonHorairesConnus(lacune, n) => {
            tr.plural("couverture.selon_horaires_connus", *n, &[("lacune", &gap_text(lacune, tr))])
        }
        Lacune::ServiceSansHoraires(s, n) => {
            tr.plural("couverture.service_sans_horaires", *n, &[("service", tr.label(*s))])
        }
        Lacune::AucunHoraire => tr.text("couverture.aucun_horaire").to_string(),
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
fn days_phrase(days: &[usize], tr: &Tr<'_>) -> String {
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

/// "le 5 décembre", "les 5 et 19 décembre", "les 28 novembre, 5 et 19
/// décembre": the month after the last day of each month.
fn dates_phrase(dates: &[NaiveDate], tr: &Tr<'_>) -> String {
    let items: Vec<String> = dates
        .iter()
        .enumerate()
        .map(|(i, d)| {
            // "5", "1er".
            let day = if d.day() == 1 { tr.text("format.premier").to_string() } else { d.day().to_string() };
            match dates.get(i + 1) {
                Some(next) if (next.year(), next.month()) == (d.year(), d.month()) => day,
                _ => tr.format("format.jour_mois", &[("jour", &day), ("mois", tr.month(*d))]),
            }
        })
        .collect();
    let key = if dates.len() > 1 { "guide.les_dates" } else { "guide.la_date" };
    tr.format(key, &[("dates", &tr.list(&items))])
}

fn horaire_text(h: &Horaire, tr: &Tr<'_>) -> String {
    if h.periodes.is_empty() {
        if h.incertain { tr.text("guide.a_confirmer").to_string() } else { String::new() }
    } else {
        let periods: Vec<String> = h.periodes.iter().map(|p| tr.periode(*p)).collect();
        periods.join(tr.text("format.periodes_separateur"))
    }
}

/// The hours of one weekday as texts: one for a regular day (empty when
/// closed), one per way of opening for a day that varies, with its dates.
/// A day open one way on every date read but one says that one (« sauf le
/// 24 décembre »): any other day that varies lists the dates it opens, so
/// that a printed guide never says open on a date beyond those read (a
/// 1st-and-3rd-Saturday rule must not read « sauf les 12 et 26 décembre »).
fn day_texts(j: &JourHabituel, tr: &Tr<'_>) -> Vec<String> {
    let with = |key: &str, h: &Horaire, dates: &[NaiveDate]| {
        tr.format(key, &[("horaires", &horaire_text(h, tr)), ("dates", &dates_phrase(dates, tr))])
    };
    match j {
        JourHabituel::Regulier(h) => vec![horaire_text(h, tr)],
        JourHabituel::Variable { horaires, fermes } => match horaires.as_slice() {
            [(h, _)] if fermes.len() == 1 => vec![with("guide.horaires_sauf", h, fermes)],
            _ => horaires.iter().map(|(h, dates)| with("guide.horaires_aux_dates", h, dates)).collect(),
        },
    }
}

/// Lines of hours, each with whether its day varies from week to week:
/// consecutive regular days with the same hours grouped ("du lundi au
/// vendredi : 9 h – 12 h"), a varying day on lines of its own.
fn lines(days: &[JourHabituel; 7], tr: &Tr<'_>) -> Vec<(bool, String)> {
    let texts: Vec<Vec<String>> = days.iter().map(|j| day_texts(j, tr)).collect();
    let regular = |i: usize| matches!(days[i], JourHabituel::Regulier(_));
    let ligne =
        |jours: &str, horaires: &str| tr.format("guide.ligne_horaires", &[("jours", jours), ("horaires", horaires)]);
    let mut out = Vec::new();
    let mut i = 0;
    while i < 7 {
        if !regular(i) {
            out.extend(texts[i].iter().map(|t| (true, ligne(tr.day_number(i), t))));
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < 7 && regular(j + 1) && texts[j + 1] == texts[i] {
            j += 1;
        }
        let text = &texts[i][0];
        if !text.is_empty() {
            let (a, b) = (tr.day_number(i), tr.day_number(j));
            let jours = match j - i {
                0 => a.to_string(),
                1 => tr.format("guide.jours_deux", &[("a", a), ("b", b)]),
                _ => tr.format("guide.jours_du_au", &[("a", a), ("b", b)]),
            };
            out.push((false, ligne(&jours, text)));
        }
        i = j + 1;
    }
    out
}

/// A point's regular weekly hours as lines for paper ("du lundi au
/// vendredi : 9 h – 12 h", "samedi : 10 h – 13 h (les 5 et 19
/// décembre)"). Temporary closures and holidays are left out, as in the
/// coverage grid. The open data writes them with
/// [`crate::text::i18n::french`].
pub fn regular_hours(l: &Lieu, semaines: &Semaines, tr: &Tr<'_>) -> Vec<String> {
    let Some(days) = jours_habituels(l, semaines) else { return Vec::new() };
    lines(&days, tr).into_iter().map(|(_, line)| line).collect()
}

/// A point's [`Saison`] in words, with the keys `jusqu_au` and
/// `reprise_le` of the language file's section `keys`: `guide` for the
/// short forms that follow the guide's lines of hours (« fermé, reprise le
/// 15 octobre »), `carte_lieu` for cards, `lieu` for the sentence under a
/// point page's week.
pub fn season(s: Saison, keys: &str, tr: &Tr<'_>) -> String {
    let (key, date) = match s {
        Saison::JusquAu(d) => ("jusqu_au", d),
        Saison::Reprise(d) => ("reprise_le", d),
    };
    tr.format(&format!("{keys}.{key}"), &[("date", &tr.day_month(date))])
}

/// [`regular_hours`], then the season on `today` (temporary closures
/// aside, as in the lines): what the guide and the open data write. The
/// reopening only when the lines are empty (closed every week read): a day
/// open some weeks has its dates in its line already.
pub fn hours_and_season(l: &Lieu, semaines: &Semaines, today: NaiveDate, tr: &Tr<'_>) -> Vec<String> {
    let mut lines = regular_hours(l, semaines, tr);
    match l.horaires.as_ref().and_then(|h| h.saison(today, &[])) {
        Some(s @ Saison::Reprise(_)) if lines.is_empty() => lines.push(season(s, "guide", tr)),
        Some(s @ Saison::JusquAu(_)) => lines.push(season(s, "guide", tr)),
        _ => {}
    }
    lines
}

/// The lines of [`regular_hours`] for the days that are not the same
/// every week.
pub fn varying_hours(l: &Lieu, semaines: &Semaines, tr: &Tr<'_>) -> Vec<String> {
    let Some(days) = jours_habituels(l, semaines) else { return Vec::new() };
    lines(&days, tr).into_iter().filter(|(varies, _)| *varies).map(|(_, line)| line).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::i18n::french;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn dates_name_their_month_once() {
        let phrase = |dates: &[&str]| dates_phrase(&dates.iter().map(|d| date(d)).collect::<Vec<_>>(), &french());
        assert_eq!(phrase(&["2026-12-01"]), "le 1er décembre");
        assert_eq!(phrase(&["2026-12-05", "2026-12-19"]), "les 5 et 19 décembre");
        assert_eq!(phrase(&["2026-11-28", "2026-12-05", "2026-12-19"]), "les 28 novembre, 5 et 19 décembre");
        assert_eq!(phrase(&["2026-12-26", "2027-01-02"]), "les 26 décembre et 2 janvier");
    }

    #[test]
    fn day_lists_read_as_french() {
        let fr = french();
        assert_eq!(days_phrase(&[6], &fr), "le dimanche");
        assert_eq!(days_phrase(&[5, 6], &fr), "le samedi et le dimanche");
        assert_eq!(days_phrase(&[0, 1, 3], &fr), "le lundi, le mardi et le jeudi");
        assert_eq!(percent(1, 3), "33 %");
        assert_eq!(percent(2, 3), "67 %");
        assert_eq!(percent(0, 0), "—");
    }
}
