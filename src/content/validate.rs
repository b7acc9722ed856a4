//! Validation: the checks that need more than one file, and the assembly of
//! the [`Site`].
//!
//! Runs after every file has been parsed on its own. Errors here are about
//! how files relate (a point naming a structure that does not exist, a point
//! outside every territory, two files with the same id); warnings are what a
//! coordinator wants to know but that should not stop a build (information
//! not checked for too long, a point without hours).

use std::collections::HashMap;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::model::vocab::TypeTerritoire;
use crate::model::{Lieu, Site, Territoire};
use crate::text::format::closest;
use crate::text::format::fold;
use crate::text::i18n::french;

/// Beyond this distance from the centre of the commune its address names,
/// a point outside that commune is probably misplaced. Large enough for the
/// largest communes of metropolitan France (Arles is about 40 km across).
/// Used where the commune table has no centre, with the commune territory's
/// perimeter.
pub const FAR_FROM_COMMUNE_KM: f64 = 15.0;
/// Beyond the farthest point of its commune from the centre (the commune
/// table's `rayon_km`), plus this margin, a point is not in its commune.
const BEYOND_COMMUNE_KM: f64 = 1.0;
/// Two points closer than this, with similar names, are probably one place
/// entered twice.
const SAME_PLACE_M: f64 = 100.0;
use crate::content::parse::Parsed;
use crate::text::communes;

pub fn validate(parsed: Parsed, today: NaiveDate) -> (Option<Site>, Vec<Diagnostic>) {
    let Parsed { config, mut territoires, mut structures, mut lieux, mut pages, unread } = parsed;
    let mut diags = Vec::new();

    territoires = sorted(territoires, |a, b| a.id.cmp(&b.id).then_with(|| a.origin.file.cmp(&b.origin.file)));
    structures = sorted(structures, |a, b| a.id.cmp(&b.id).then_with(|| a.origin.file.cmp(&b.origin.file)));
    lieux = sorted(lieux, |a, b| a.id.cmp(&b.id).then_with(|| a.origin.file.cmp(&b.origin.file)));
    pages.sort_by(|a, b| a.id.cmp(&b.id));

    // Ids are file names, and `lieux/` may have sub-folders: two files with
    // the same name would write the same page.
    duplicates(territoires.iter().map(|t| (&t.id, &t.origin.file)), &mut diags);
    duplicates(structures.iter().map(|s| (&s.id, &s.origin.file)), &mut diags);
    duplicates(lieux.iter().map(|l| (&l.id, &l.origin.file)), &mut diags);
    territoires.dedup_by(|a, b| a.id == b.id);
    structures.dedup_by(|a, b| a.id == b.id);
    lieux.dedup_by(|a, b| a.id == b.id);

    let structure_ids: Vec<&str> = structures.iter().map(|s| s.id.as_str()).collect();
    // A structure whose file could not be read exists all the same: its
    // file's error is the one problem to report, not every reference to it.
    let mut existing: Vec<&str> =
        structure_ids.iter().copied().chain(unread.structures.iter().map(String::as_str)).collect();
    existing.sort_unstable();
    existing.dedup();
    let known_structure = |id: &str| existing.binary_search(&id).is_ok();

    for t in &territoires {
        if let Some(c) = &t.coordination {
            for (m, span) in &c.membres {
                if !known_structure(m) {
                    diags.push(unknown_structure(&t.origin.file, span.clone(), m, &existing));
                }
            }
        }
    }

    let default_months = config.as_ref().map_or(6, |c| c.frequence_maj_mois);
    // Which structures some point depends on, by their place in `structures`.
    let mut used_structures = vec![false; structures.len()];
    for s in unread.structures_of_lieux.iter().flatten() {
        if let Ok(i) = structure_ids.binary_search(&s.as_str()) {
            used_structures[i] = true;
        }
    }
    // A point that could not be read may be any structure's: no structure
    // is said to be without points then.
    let points_unknown = unread.structures_of_lieux.iter().any(Option::is_none);
    // A point belongs to every territory whose perimeter contains it: the
    // one check per point and territory, done in parallel.
    let memberships: Vec<Vec<String>> = lieux
        .par_iter()
        .map(|l| {
            let inside = |t: &&Territoire| t.perimetre.contains(l.latitude, l.longitude);
            territoires.iter().filter(inside).map(|t| t.id.clone()).collect()
        })
        .collect();
    for (l, in_territoires) in lieux.iter_mut().zip(memberships) {
        if let Ok(i) = structure_ids.binary_search(&l.structure.as_str()) {
            used_structures[i] = true;
        } else if !known_structure(&l.structure)
            && let Some(span) = l.origin.span("structure")
        {
            diags.push(unknown_structure(&l.origin.file, span, &l.structure, &existing));
        }
        l.territoires = in_territoires;
        // The point may lie in a territory whose file could not be read.
        if l.territoires.is_empty() && !territoires.is_empty() && unread.territoires.is_empty() {
            diags.push(outside_every_territory(l, &territoires));
        }
        date_checks(default_months, today, l, &mut diags);
        if l.horaires.is_none() {
            diags.push(
                Diagnostic::warning(&l.origin.file, None, "ce lieu n’a pas d’horaires (`horaires_accueil`)")
                    .of_kind("lieux sans horaires (`horaires_accueil`)")
                    .with_help("sans horaires, le site ne peut pas dire quand y aller : ajoutez par exemple `horaires_accueil = \"Tu 09:00-12:00\"`"),
            );
        }
    }

    same_address(&lieux, &mut diags);
    close_duplicates(&lieux, &mut diags);
    let far: Vec<Diagnostic> = lieux
        .par_iter()
        .flat_map_iter(|l| far_from_commune(l, &territoires).into_iter().chain(other_departement(l, &territoires)))
        .collect();
    diags.extend(far);

    for (s, used) in structures.iter().zip(used_structures) {
        // The same bounds as a point's date: not in the future, not before
        // 2000 (a typo in the year, such as 1026 for 2026).
        let span = s.origin.span("date_maj");
        if s.date_maj > today {
            diags.push(future(&s.origin.file, span.unwrap_or(0..0), s.date_maj, today));
        } else if s.date_maj < oldest_date() {
            diags.push(too_old(&s.origin.file, span));
        }
        if !used && !points_unknown {
            diags.push(
                Diagnostic::warning(&s.origin.file, None, "aucun lieu ne dépend de cette structure")
                    .of_kind("structures dont aucun lieu ne dépend")
                    .with_help(format!("ajoutez `structure = \"{}\"` dans la fiche de ses lieux, ou supprimez ce fichier si elle n’est plus active", s.id)),
            );
        }
    }

    let Some(config) = config else { return (None, diags) };
    for l in &lieux {
        translation_languages(l, &config, &mut diags);
    }
    let site = Site { config, territoires, structures, lieux, pages: sort_pages(pages) };
    (Some(site), diags)
}

/// `items` sorted by `cmp`, each item moved once: an item of the model is
/// large, and thousands of them are sorted on every build.
fn sorted<T: Sync>(items: Vec<T>, cmp: impl Fn(&T, &T) -> std::cmp::Ordering + Sync) -> Vec<T> {
    if items.is_sorted_by(|a, b| cmp(a, b).is_le()) {
        return items;
    }
    // In parallel: the comparisons of thousands of ids are most of the time
    // validation takes. No two items compare equal (they differ by file
    // at least), so the order is the same as a sequential sort's.
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.par_sort_unstable_by(|&a, &b| cmp(&items[a], &items[b]));
    // The items then move into their places by swaps, cycle by cycle, in
    // the same vector: copying 100,000 points into new vectors touched
    // hundreds of megabytes of fresh memory. `order[k]` is the item that
    // goes to `k`; each place is marked done (`order[k] = k`) once filled.
    let mut items = items;
    for start in 0..order.len() {
        let mut k = start;
        while order[k] != k {
            let next = order[k];
            order[k] = k;
            if next == start {
                break;
            }
            items.swap(k, next);
            k = next;
        }
    }
    items
}

fn sort_pages(mut pages: Vec<crate::model::Page>) -> Vec<crate::model::Page> {
    pages.sort_by(|a, b| (a.ordre.unwrap_or(i64::MAX), &a.id).cmp(&(b.ordre.unwrap_or(i64::MAX), &b.id)));
    pages
}

/// Items sorted by id: the files of one id are next to each other, and the
/// first of them keeps it.
fn duplicates<'a>(items: impl Iterator<Item = (&'a String, &'a std::path::PathBuf)>, diags: &mut Vec<Diagnostic>) {
    let mut seen: Option<(&String, &std::path::PathBuf)> = None;
    for (id, file) in items {
        if let Some((_, first)) = seen.filter(|(first_id, _)| *first_id == id) {
            diags.push(
                Diagnostic::error(
                    file,
                    None,
                    format!("l’identifiant « {id} » est déjà pris par `{}`", first.display()),
                )
                .with_help(
                    "chaque fichier doit avoir un nom unique, même dans des sous-dossiers : renommez l’un des deux",
                ),
            );
        } else {
            seen = Some((id, file));
        }
    }
}

fn unknown_structure(file: &std::path::Path, span: std::ops::Range<usize>, id: &str, known: &[&str]) -> Diagnostic {
    let help = match closest(id, known) {
        Some(c) => format!("vouliez-vous écrire `{c}` ?"),
        None => format!(
            "créez le fichier `content/structures/{id}.toml`, ou écrivez l’identifiant d’une structure existante"
        ),
    };
    Diagnostic::error(file, Some(span), format!("la structure « {id} » n’existe pas")).with_help(help)
}

fn outside_every_territory(l: &Lieu, territoires: &[crate::model::Territoire]) -> Diagnostic {
    let nearest = territoires
        .iter()
        .map(|t| (t.perimetre.distance_m(l.latitude, l.longitude), t))
        .min_by(|a, b| a.0.total_cmp(&b.0));
    let help = match nearest {
        Some((d, t)) if d.is_finite() => format!(
            "le territoire le plus proche est « {} » ({}), à {} : vérifiez les coordonnées, ou ajoutez un territoire qui couvre ce lieu",
            t.nom,
            t.origin.file.display(),
            distance(d)
        ),
        _ => "vérifiez les coordonnées, ou ajoutez un territoire qui couvre ce lieu".into(),
    };
    Diagnostic::error(&l.origin.file, l.origin.span("latitude"), "ce lieu n’est dans le périmètre d’aucun territoire")
        .with_help(help)
}

fn distance(m: f64) -> String {
    if m < 1000.0 {
        format!("{} m", (m / 10.0).round() * 10.0)
    } else {
        format!("{:.1} km", m / 1000.0).replace('.', ",")
    }
}

fn future(file: &std::path::Path, span: std::ops::Range<usize>, d: NaiveDate, today: NaiveDate) -> Diagnostic {
    Diagnostic::error(file, Some(span), format!("`date_maj` est dans le futur ({})", french().date(d))).with_help(
        format!("écrivez la date de la dernière vérification, au plus tard aujourd’hui ({})", today.format("%Y-%m-%d")),
    )
}

/// The earliest `date_maj` accepted, for points and structures alike.
fn oldest_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN)
}

fn too_old(file: &std::path::Path, span: Option<std::ops::Range<usize>>) -> Diagnostic {
    Diagnostic::error(file, span, "`date_maj` est antérieure à l’an 2000")
        .with_help("écrivez la date de la dernière vérification des informations")
}

fn date_checks(default_months: u32, today: NaiveDate, l: &Lieu, diags: &mut Vec<Diagnostic>) {
    let (date_maj, months) = (l.date_maj, l.frequence(default_months));
    let span = l.origin.span("date_maj");
    if date_maj > today {
        diags.push(future(&l.origin.file, span.unwrap_or(0..0), date_maj, today));
    } else if date_maj < oldest_date() {
        diags.push(too_old(&l.origin.file, span));
    } else if !l.a_jour(default_months, today) {
        diags.push(
            Diagnostic::warning(
                &l.origin.file,
                span,
                format!("informations vérifiées il y a plus de {months} mois (le {})", french().date(date_maj)),
            )
            .of_kind("informations à revérifier : `date_maj` est ancienne")
            .with_help(
                "contactez la structure pour vérifier les horaires et conditions, puis mettez `date_maj` à jour",
            ),
        );
    }
}

/// An address reduced to what identifies it: no case, accents, punctuation
/// or repeated spaces, and common abbreviations spelt out, so that
/// `12, Rue de la République` and `12 r. de la republique` match.
fn address_key(text: &str) -> String {
    let folded = fold(text);
    let mut key = String::with_capacity(folded.len());
    // Words are the runs of letters and digits.
    for w in folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let w = match w {
            "r" => "rue",
            "av" | "ave" => "avenue",
            "bd" | "bld" | "boul" => "boulevard",
            "pl" => "place",
            "ch" | "chem" => "chemin",
            "imp" => "impasse",
            "st" => "saint",
            "ste" => "sainte",
            w => w,
        };
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(w);
    }
    key
}

/// Warns when two points share an address (same postal code, same street
/// address and same complement) under different names: often the same
/// place entered twice, by two volunteers or after a change of name. The
/// second file (in id order) gets the warning and names the first.
fn same_address(lieux: &[Lieu], diags: &mut Vec<Diagnostic>) {
    let keys: Vec<(&str, String, String)> = lieux
        .par_iter()
        .map(|l| {
            let a = &l.adresse;
            let complement = a.complement_adresse.as_deref().unwrap_or("");
            (a.code_postal.as_str(), address_key(&a.adresse), address_key(complement))
        })
        .collect();
    let mut seen: HashMap<&(&str, String, String), &Lieu> = HashMap::with_capacity(lieux.len());
    for (l, key) in lieux.iter().zip(&keys) {
        match seen.get(key) {
            Some(first) if fold(&first.nom).trim() != fold(&l.nom).trim() => diags.push(
                Diagnostic::warning(
                    &l.origin.file,
                    l.origin.span("adresse"),
                    format!(
                        "ce lieu est à la même adresse que « {} » (`{}`), sous un autre nom",
                        first.nom,
                        first.origin.file.display()
                    ),
                )
                .with_help(
                    "s’il s’agit du même lieu, gardez une seule fiche (elle peut avoir plusieurs services et plusieurs créneaux d’horaires) ; si ce sont deux accueils distincts au même endroit, précisez la salle ou l’entrée dans `complement_adresse`",
                ),
            ),
            Some(_) => {}
            None => {
                seen.insert(key, l);
            }
        }
    }
}

/// The commune territory a point's address names: by INSEE code when both
/// have one, else by name.
fn commune_of<'t>(l: &Lieu, territoires: &'t [Territoire]) -> Option<&'t Territoire> {
    territoires.iter().filter(|t| t.type_ == TypeTerritoire::Commune).find(|t| {
        match (&t.code_insee, &l.adresse.code_insee) {
            (Some(a), Some(b)) => a == b,
            _ => fold(&t.nom) == fold(&l.adresse.commune),
        }
    })
}

/// The commune of a point's address in the commune table: by its INSEE
/// code, else by its postal code and commune name.
fn table_commune(l: &Lieu) -> Option<&'static communes::Commune> {
    match &l.adresse.code_insee {
        Some(code) => communes::by_insee(code),
        None => communes::of_address(&l.adresse.code_postal, &l.adresse.commune),
    }
}

/// Warns when a point lies far from the commune its address names: the
/// coordinates or the commune are probably wrong (a copied file, a position
/// picked on the wrong town). With the commune table's centre where it has
/// one (Île-de-France), else with the commune territory's perimeter. Points
/// outside every territory already get an error, so they are left alone.
fn far_from_commune(l: &Lieu, territoires: &[Territoire]) -> Option<Diagnostic> {
    if l.territoires.is_empty() {
        return None;
    }
    let position = (l.latitude, l.longitude);
    if let Some(commune) = table_commune(l)
        && let Some(centre) = commune.centre()
    {
        let d = crate::model::geo::distance_m((centre.latitude, centre.longitude), position);
        if d <= (centre.rayon_km + BEYOND_COMMUNE_KM) * 1000.0 {
            return None;
        }
        // An arrondissement has its city's centre.
        let nom = commune.parent().map_or(commune.nom, |p| p.nom);
        return Some(
            Diagnostic::warning(
                &l.origin.file,
                l.origin.span("latitude"),
                format!("ce lieu est à {} du centre de {nom}, la commune de son adresse", distance(d)),
            )
            .with_help(format!(
                "{nom} ne s’étend pas à plus de {} de son centre : vérifiez la latitude et la longitude (sur OpenStreetMap, clic droit sur l’adresse puis « Afficher l’adresse »), le code postal et la commune",
                distance(centre.rayon_km * 1000.0)
            )),
        );
    }
    let t = commune_of(l, territoires)?;
    if t.perimetre.contains(l.latitude, l.longitude) {
        return None;
    }
    let d = crate::model::geo::distance_m(t.perimetre.centre(), position);
    if d <= FAR_FROM_COMMUNE_KM * 1000.0 {
        return None;
    }
    Some(
        Diagnostic::warning(
            &l.origin.file,
            l.origin.span("latitude"),
            format!(
                "ce lieu est à {} du centre de {}, la commune de son adresse",
                distance(d),
                t.nom
            ),
        )
        .with_help(format!(
            "vérifiez la latitude et la longitude (sur OpenStreetMap, clic droit puis « Afficher l’adresse ») et la commune ; le territoire « {} » est décrit dans `{}`",
            t.nom,
            t.origin.file.display()
        )),
    )
}

/// The département of a territory: that of its INSEE code, else the one
/// all its communes share, else that of the one commune of its name.
pub(crate) fn departement_of(t: &Territoire) -> Option<&'static str> {
    if let Some(code) = &t.code_insee {
        return communes::by_insee(code).map(communes::Commune::departement);
    }
    if t.type_ == TypeTerritoire::Commune && t.communes.is_empty() {
        let mut named = communes::by_name(&t.nom);
        return match (named.next(), named.next()) {
            (Some(c), None) => Some(c.departement()),
            _ => None,
        };
    }
    let mut deps = t.communes.iter().filter_map(|c| communes::by_insee(c.code.as_deref()?));
    let first = deps.next()?.departement();
    deps.all(|c| c.departement() == first).then_some(first)
}

/// Warns when a point's postal code is in another département than every
/// territory its position is in: a position copied from elsewhere (a Lyon
/// address with a Paris position), or a wrong postal code.
fn other_departement(l: &Lieu, territoires: &[Territoire]) -> Option<Diagnostic> {
    let dep = communes::departement_of_postal_code(&l.adresse.code_postal)?;
    let theirs: Vec<(&Territoire, &str)> = l
        .territoires
        .iter()
        .filter_map(|id| territoires.binary_search_by(|t| t.id.cmp(id)).ok().map(|i| &territoires[i]))
        .filter_map(|t| Some((t, departement_of(t)?)))
        .collect();
    let (t, theirs_dep) = *theirs.first()?;
    if theirs.iter().any(|(_, d)| *d == dep) {
        return None;
    }
    Some(
        Diagnostic::warning(
            &l.origin.file,
            l.origin.span("code_postal"),
            format!(
                "le code postal {} est dans le département {dep}, mais la position de ce lieu est dans « {} » (département {theirs_dep})",
                l.adresse.code_postal, t.nom
            ),
        )
        .with_help("vérifiez l’adresse et la position : la latitude et la longitude sont peut-être celles d’un autre lieu (sur OpenStreetMap, clic droit sur l’adresse puis « Afficher l’adresse »)"),
    )
}

/// The words of a name that tell places apart: no case, accents or
/// punctuation, without the small words (`de`, `la`…).
fn name_words(nom: &str) -> Vec<String> {
    const SMALL: &[&str] = &["a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les"];
    let key = communes::name_key(nom);
    let mut words: Vec<String> =
        key.split(' ').filter(|w| !w.is_empty() && !SMALL.contains(w)).map(str::to_string).collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// Two names are similar when they share at least half the words of the
/// longer: `Épicerie solidaire` and `Épicerie solidaire du centre`.
fn similar_names(a: &[String], b: &[String]) -> bool {
    let common = a.iter().filter(|w| b.binary_search(w).is_ok()).count();
    common > 0 && common * 2 >= a.len().max(b.len())
}

/// Warns when two points lie within [`SAME_PLACE_M`] of each other under
/// similar names: often one place entered twice, with addresses written
/// differently (`same_address` compares the text of addresses). Points are
/// put in cells of about 110 m, and each compared with the points of its
/// cell and the neighbouring ones. The second file (in id order) gets the
/// warning and names the first.
fn close_duplicates(lieux: &[Lieu], diags: &mut Vec<Diagnostic>) {
    let cell = |l: &Lieu| ((l.latitude * 1000.0).floor() as i64, (l.longitude * 700.0).floor() as i64);
    let mut cells: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (i, l) in lieux.iter().enumerate() {
        cells.entry(cell(l)).or_default().push(i);
    }
    let words: Vec<Vec<String>> = lieux.par_iter().map(|l| name_words(&l.nom)).collect();
    let found: Vec<Option<Diagnostic>> = (0..lieux.len())
        .into_par_iter()
        .map(|i| {
            let l = &lieux[i];
            let (y, x) = cell(l);
            let mut near: Vec<(usize, f64)> = (y - 1..=y + 1)
                .flat_map(|y| (x - 1..=x + 1).map(move |x| (y, x)))
                .filter_map(|c| cells.get(&c))
                .flatten()
                .filter(|&&j| j < i)
                .map(|&j| (j, crate::model::geo::distance_m((l.latitude, l.longitude), (lieux[j].latitude, lieux[j].longitude))))
                .filter(|&(j, d)| {
                    d <= SAME_PLACE_M
                        && similar_names(&words[i], &words[j])
                        && address_key(&l.adresse.adresse) != address_key(&lieux[j].adresse.adresse)
                })
                .collect();
            near.sort_by_key(|&(j, _)| j);
            let &(j, d) = near.first()?;
            let first = &lieux[j];
            Some(
                Diagnostic::warning(
                    &l.origin.file,
                    l.origin.span("nom"),
                    format!(
                        "ce lieu est à {} de « {} » (`{}`), sous un nom proche",
                        distance(d),
                        first.nom,
                        first.origin.file.display()
                    ),
                )
                .with_help("s’il s’agit du même lieu, gardez une seule fiche (elle peut avoir plusieurs services et plusieurs créneaux d’horaires) ; sinon, donnez-leur des noms qui les distinguent (la salle, l’entrée, le jour)"),
            )
        })
        .collect();
    diags.extend(found.into_iter().flatten());
}

/// A point's `[traductions.<code>]` must be in a language the site
/// publishes (`langues` of site.toml), or it would never be shown: a code
/// that is no language at all is an error, a language not published yet a
/// warning, and so is a translation into the language of the content.
fn translation_languages(l: &Lieu, config: &crate::model::Config, diags: &mut Vec<Diagnostic>) {
    let published: Vec<&str> = config.langues.iter().map(String::as_str).collect();
    for (code, t) in &l.traductions {
        if *code == config.langue {
            diags.push(
                Diagnostic::warning(
                    &l.origin.file,
                    Some(t.span.clone()),
                    format!("traduction dans la langue du contenu (`{code}`) : elle ne sera jamais affichée"),
                )
                .with_help("écrivez ces textes directement dans les clés du lieu, et retirez cette section"),
            );
            continue;
        }
        if published.contains(&code.as_str()) {
            continue;
        }
        let list = crate::text::format::quoted(&published);
        let known = crate::model::vocab::langue_label(code).is_some() || code.contains('-');
        if known {
            diags.push(
                Diagnostic::warning(
                    &l.origin.file,
                    Some(t.span.clone()),
                    format!("traduction en `{code}`, une langue que le site ne publie pas : elle ne sera pas affichée"),
                )
                .of_kind("traductions dans une langue que le site ne publie pas")
                .with_help(format!(
                    "langues publiées : {list} ; ajoutez `{code}` à `langues` dans `content/site.toml` pour la publier"
                )),
            );
            continue;
        }
        let help = match closest(code, &published) {
            Some(c) => format!("vouliez-vous écrire `[traductions.{c}]` ? Langues publiées : {list}"),
            None => format!("langues publiées par le site (`langues` de `content/site.toml`) : {list}"),
        };
        diags.push(
            Diagnostic::error(
                &l.origin.file,
                Some(t.span.clone()),
                format!("langue inconnue « {code} » dans `traductions`"),
            )
            .with_help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_gives_the_order_of_a_plain_sort() {
        // Permutations of every shape: cycles of all lengths, fixed points.
        let mut seed = 7u64;
        for len in [0, 1, 2, 3, 10, 257, 1000] {
            let items: Vec<(u64, usize)> = (0..len)
                .map(|i| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    (seed % 50, i)
                })
                .collect();
            let mut want = items.clone();
            want.sort();
            assert_eq!(sorted(items, |a, b| a.cmp(b)), want, "{len}");
        }
    }
}
