//! Coordination pages, printable guide and open data, on a fixture
//! territory whose figures are worked out by hand in the comments, and on
//! the sample site.

use std::path::Path;

use alimap::model::Site;
use alimap::pages::wording;
use alimap::site::coverage::{self, Coverage};
use alimap::text::i18n::french;
use chrono::NaiveDate;

use crate::support::*;

/// The checked site of a fixture, without rendering.
fn site(root: &Path, today: NaiveDate) -> Site {
    let (sources, diags) = alimap::content::load::load(root);
    assert!(diags.is_empty(), "{diags:?}");
    let (parsed, diags) = alimap::content::parse::parse(&sources);
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:?}");
    let (site, diags) = alimap::content::validate::validate(parsed, today);
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:?}");
    site.expect("a valid site")
}

fn coverage_of(site: &Site, today: NaiveDate) -> Coverage<'_> {
    let t = &site.territoires[0];
    let lieux: Vec<_> = site.lieux.iter().filter(|l| l.territoires.contains(&t.id)).collect();
    coverage::coverage(site, t, &lieux, today)
}

/// The coverage's gaps as a French page says them.
fn gaps_in_french(c: &Coverage<'_>) -> Vec<String> {
    let theme = alimap::theme::Theme::assemble("default", &Default::default());
    let (catalogue, _) = alimap::text::i18n::Catalogue::load(&theme);
    let fr = catalogue.tr("fr", "fr").unwrap();
    c.lacunes.iter().map(|l| wording::gap(l, &fr)).collect()
}

const MO: usize = 0;
const TU: usize = 1;
const WE: usize = 2;
const TH: usize = 3;
const FR: usize = 4;
const SA: usize = 5;
const SU: usize = 6;

#[test]
fn weekly_coverage_is_counted_by_hand() {
    let site = site(&fixture("coord/semaine"), today());
    let c = coverage_of(&site, today());
    assert_eq!(c.total, 5);
    // Monday: the meal 12–14 and the fridge 8–18.
    assert_eq!(c.grille[MO][7], 0);
    assert_eq!(c.grille[MO][8], 1);
    assert_eq!(c.grille[MO][12], 2);
    assert_eq!(c.grille[MO][13], 2);
    assert_eq!(c.grille[MO][14], 1);
    assert_eq!(c.grille[MO][17], 1);
    assert_eq!(c.grille[MO][18], 0);
    // Tuesday: the parcels 9–12 count in the regular week although they
    // are closed for an inventory from Monday 30 November.
    assert_eq!(c.grille[TU][9], 2);
    assert_eq!(c.grille[TU][11], 2);
    assert_eq!(c.grille[TU][12], 2);
    // Wednesday evening: only the outreach, 19–22.
    assert_eq!((c.grille[WE][18], c.grille[WE][19], c.grille[WE][21], c.grille[WE][22]), (0, 1, 1, 0));
    // Saturday: the fridge 8–18, and the workshop 10–13, open on the 1st
    // and 3rd Saturday only (5 and 19 December of the five Saturdays
    // read), which counts as open on Saturday. Sunday: nothing.
    assert_eq!(c.grille[SA][9], 1);
    assert_eq!((c.grille[SA][10], c.grille[SA][11], c.grille[SA][12]), (2, 2, 2));
    assert_eq!(c.grille[SA][13], 1);
    assert_eq!(c.grille[SA][18], 0);
    assert!(c.grille[SU].iter().all(|&n| n == 0));
    let per_kind: Vec<(&str, usize)> =
        c.services.iter().map(|s| (alimap::model::vocab::Vocabulary::value(s.service), s.lieux)).collect();
    assert_eq!(
        per_kind,
        [("repas", 1), ("colis-alimentaire", 1), ("maraude", 1), ("frigo-solidaire", 1), ("atelier-cuisine", 1)]
    );
    // Each kind of help's grid, as (day, hour) of its open cells: one
    // point per kind, so every open cell counts 1.
    let cells = |value: &str| -> Vec<(usize, usize)> {
        let s = c.services.iter().find(|s| alimap::model::vocab::Vocabulary::value(s.service) == value).unwrap();
        let mut out = Vec::new();
        for (d, row) in s.grille.iter().enumerate() {
            for (h, &n) in row.iter().enumerate() {
                assert!(n <= 1, "{value} {d} {h}: {n}");
                if n == 1 {
                    out.push((d, h));
                }
            }
        }
        out
    };
    let days_hours = |days: &[usize], hours: std::ops::Range<usize>| -> Vec<(usize, usize)> {
        days.iter().flat_map(|&d| hours.clone().map(move |h| (d, h))).collect()
    };
    // The meal 12–14 from Monday to Friday: hours 12 and 13.
    assert_eq!(cells("repas"), days_hours(&[MO, TU, WE, TH, FR], 12..14));
    // The parcels on Tuesday 9–12, closure or not.
    assert_eq!(cells("colis-alimentaire"), days_hours(&[TU], 9..12));
    // The outreach on Wednesday 19–22.
    assert_eq!(cells("maraude"), days_hours(&[WE], 19..22));
    // The fridge 8–18 from Monday to Saturday.
    assert_eq!(cells("frigo-solidaire"), days_hours(&[MO, TU, WE, TH, FR, SA], 8..18));
    // The workshop on some Saturdays 10–13.
    assert_eq!(cells("atelier-cuisine"), days_hours(&[SA], 10..13));
    // The grid of all kinds of help is their sum, one point each.
    let cuisine = &c.services[4].grille;
    assert_eq!(c.grille[SA][10], c.services[3].grille[SA][10] + cuisine[SA][10]);
    // The workshop is the point whose hours are not the same every week.
    let varying: Vec<&str> = c.certaines_semaines.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(varying, ["atelier-samedi"]);

    let lacunes = gaps_in_french(&c);
    assert_eq!(
        lacunes,
        [
            "Aucun lieu ouvert le dimanche",
            "Aucune distribution de repas le samedi",
            "Aucune distribution de colis alimentaires le lundi, le mercredi, le jeudi, le vendredi et le samedi",
            "Aucune maraude le lundi, le mardi, le jeudi, le vendredi et le samedi",
            "Aucun atelier cuisine le lundi, le mardi, le mercredi, le jeudi et le vendredi",
            // Saturday has a workshop, but not every Saturday.
            "Aucun atelier cuisine le samedi, sauf certaines semaines",
            "Aucun lieu ouvert après 18 h sans orientation",
        ]
    );

    // Without referral: the meal, the fridge and the workshop (on
    // registration). Free: all but the parcels. Wheelchair: the meal and
    // the workshop; the fridge and the outreach do not say.
    assert_eq!((c.sans_orientation, c.gratuits, c.pmr, c.pmr_non_renseigne), (3, 4, 2, 2));

    // Overdue: the parcels (January, six months) and the fridge (October,
    // one month), oldest first.
    assert_eq!(c.a_jour, 3);
    let late: Vec<&str> = c.en_retard.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(late, ["colis-mardi", "frigo"]);

    // The inventory closure overlaps the coming seven days.
    let closed: Vec<&str> = c.fermetures.iter().map(|(l, _)| l.id.as_str()).collect();
    assert_eq!(closed, ["colis-mardi"]);

    // Christmas, a Friday: the meal is closed on public holidays, the
    // fridge is open; a regular Friday has both (the workshop has none).
    let ferie = c.ferie.as_ref().unwrap();
    assert_eq!(ferie.date, NaiveDate::from_ymd_opt(2026, 12, 25).unwrap());
    assert_eq!((ferie.ouverts, ferie.ouverts_jour_ordinaire), (1, 2));
}

#[test]
fn public_holidays_do_not_empty_the_regular_week() {
    // Built on Christmas Eve: Friday 25 December and Friday 1 January are
    // holidays, so Friday is read on 8 January, and the meal counts.
    let christmas_eve = NaiveDate::from_ymd_opt(2026, 12, 24).unwrap();
    let site = site(&fixture("coord/semaine"), today());
    let c = coverage_of(&site, christmas_eve);
    assert_eq!(c.semaine[FR], NaiveDate::from_ymd_opt(2027, 1, 8).unwrap());
    assert_eq!(c.grille[FR][12], 2);
}

#[test]
fn communes_without_points_come_from_the_perimeters() {
    let site = site(&fixture("coord/semaine"), today());
    let c = coverage_of(&site, today());
    let counts: Vec<(&str, usize)> = c.communes.iter().map(|k| (k.nom.as_str(), k.lieux.len())).collect();
    assert_eq!(counts, [("Est", 0), ("Nord", 3), ("Sud", 2)]);
    assert_eq!(c.communes_sans_lieu(), ["Est"]);
    assert!(c.hors_communes.is_empty());
}

#[test]
fn the_coordination_page_says_it_in_words_and_tables() {
    let built = build_site(&fixture("coord/semaine"));
    assert!(!built.report.diagnostics.has_errors(), "{}", built.diagnostics());
    let html = built.read("coordination/ville-test.html");
    let text = visible_text(&html);
    for needle in [
        "Page destinée aux professionnels",
        "Semaine de référence : du samedi 28 novembre 2026 au vendredi 4 décembre 2026",
        "Aucun lieu ouvert après 18 h sans orientation.",
        "Aucune distribution de repas le samedi.",
        "Aucun atelier cuisine le samedi, sauf certaines semaines.",
        "sont lus sur 5 semaines (jours fériés mis à part), jusqu’au vendredi 15 janvier 2027 : un lieu compte \
         dans une case s’il est ouvert ce jour-là à cette heure au moins une de ces semaines.",
        "1 lieu n’a pas les mêmes horaires toutes les semaines : Atelier du samedi — samedi : 10 h – 13 h (les 5 \
         et 19 décembre)",
        // The grid's Saturday row: the fridge from 8 h, the workshop 10–13.
        "samedi 0 0 0 0 0 0 0 0 1 1 2 2 2 1 1 1 1 1 0 0 0 0 0 0 dimanche",
        "1 commune sans aucun lieu : Est.",
        "Sans orientation d’un travailleur social 3 60 %",
        "Gratuits 4 80 %",
        "3 lieux sur 5 (60 %) vérifiés",
        "Colis du mardi : fermé du lundi 30 novembre 2026 au dimanche 6 décembre 2026 (Inventaire)",
        "vendredi 25 décembre 2026 : 1 lieu ouvert, contre 2",
        "Association A Cherche des bénévoles. Le samedi matin.",
        "Produits frais, Produits d’hygiène",
    ] {
        assert!(text.contains(needle), "missing « {needle} » in:\n{text}");
    }
    // Tables for screen readers, a chart with a text alternative, no script.
    assert!(html.contains("<th scope=\"row\">lundi</th>"));
    assert!(html.contains("role=\"img\" aria-labelledby=\"svg-titre-toutes\""));
    // The only script is the offline one, which every page carries (with
    // the data block of its texts, which is not run).
    assert_eq!(html.matches("<script").count() - html.matches("<script type=\"application/json\"").count(), 1);
    assert!(html.contains("<script src=\"../assets/hors-ligne.js\" defer></script>"));
    // The territory page links to it and to the guide.
    let territoire = built.read("territoires/ville-test.html");
    assert!(territoire.contains("href=\"../coordination/ville-test.html\""));
    assert!(territoire.contains("href=\"../guide/ville-test.html\""));
    // The chart of shares is as high as its bars, with the same margin
    // above the first and below the last.
    let svg = &html[html.find("aria-labelledby=\"svg-titre-parts\"").unwrap()..];
    let svg = &svg[..svg.find("</svg>").unwrap()];
    let bars = svg.matches("fill=\"#0b5394\"").count();
    let start = html.find("aria-labelledby=\"svg-titre-parts\"").unwrap();
    let tag = &html[html[..start].rfind("<svg").unwrap()..start];
    assert!(bars > 0);
    assert!(tag.contains(&format!("height=\"{}\"", bars * 28 + 4)), "{bars} bars: {tag}");
}

#[test]
fn the_guide_lists_points_by_commune_with_regular_hours() {
    let built = build_site(&fixture("coord/semaine"));
    let html = built.read("guide/ville-test.html");
    let text = visible_text(&html);
    assert!(text.contains("Guide établi le 28 novembre 2026"), "{text}");
    let nord = text.find(" Nord Repas Repas du midi").expect(&text);
    let sud = text.find(" Sud Colis alimentaire Colis du mardi").expect(&text);
    assert!(nord < sud, "communes in alphabetical order");
    assert!(text.contains("Horaires : du lundi au vendredi : 12 h – 14 h"), "{text}");
    // Hours on the 1st and 3rd Saturday of the month, with their dates;
    // read from Sunday 29 November, three dates of five (never « sauf les
    // 12 et 26 décembre », which would say open on 9 January).
    let sample = site(&fixture("coord/semaine"), today());
    let atelier = sample.lieux.iter().find(|l| l.id == "atelier-samedi").unwrap();
    let sunday = today().succ_opt().unwrap();
    assert_eq!(
        wording::regular_hours(atelier, &coverage::reference_weeks(sunday), &french()),
        ["samedi : 10 h – 13 h (les 5, 19 décembre et 2 janvier)"]
    );
    assert!(
        text.contains(
            "Atelier du samedi Association A 5 rue du Nord, Bâtiment B, 93200 Nord — Tél. 01 48 00 00 01 \
             Horaires : samedi : 10 h – 13 h (les 5 et 19 décembre) Conditions"
        ),
        "{text}"
    );
    assert!(text.contains("Fermé du 30 novembre 2026 au 6 décembre 2026 (Inventaire)"), "{text}");
    assert!(text.contains("Tél. 01 48 00 00 02"), "phone of the structure when the point has none: {text}");
    assert!(html.contains("assets/coordination.css"));
    assert!(built.read("assets/coordination.css").contains("@page { size: A4"));
}

#[test]
fn the_needs_page_lists_structures_by_territory() {
    let built = build_site(&fixture("coord/semaine"));
    let text = visible_text(&built.read("besoins/index.html"));
    assert!(text.contains("Ville-Test Association A Cherche des bénévoles."), "{text}");
    assert!(!text.contains("Association B"), "B declares no need: {text}");
}

#[test]
fn besoins_keys_are_checked_like_the_others() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("coord/semaine"), dir.path());
    let s = dir.path().join("content/structures/asso-b.toml");
    let mut text = std::fs::read_to_string(&s).unwrap();
    text.push_str("\n[besoins]\nbenevoles = \"oui\"\ndons = [\"legumes\"]\nbenevole_precisions = \"x\"\n");
    std::fs::write(&s, text).unwrap();
    let built = build_site(dir.path());
    let d = built.diagnostics();
    assert!(d.contains("`besoins.benevoles` doit valoir true ou false, sans guillemets"), "{d}");
    assert!(d.contains("valeur inconnue « legumes » pour `besoins.dons` (type de don)"), "{d}");
    assert!(d.contains("clé inconnue `besoins.benevole_precisions`"), "{d}");
    assert!(d.contains("vouliez-vous écrire `benevoles_precisions` ?"), "{d}");
}

#[test]
fn csv_reads_back_to_the_same_points_and_defuses_formulas() {
    let built = build_site(&fixture("coord/semaine"));
    let site = site(&fixture("coord/semaine"), today());
    let bytes = std::fs::read(built.out().join("donnees/lieux.csv")).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "BOM for spreadsheets");
    let mut r = csv::ReaderBuilder::new().delimiter(b';').from_reader(&bytes[3..]);
    let headers = r.headers().unwrap().clone();
    assert_eq!(headers.iter().collect::<Vec<_>>(), alimap::files::export::CSV_COLUMNS);
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), site.lieux.len());
    // The workshop fills in every column, lists included.
    let atelier = site.lieux.iter().find(|l| l.id == "atelier-samedi").unwrap();
    assert_eq!(atelier.justificatifs.len(), 2);
    assert_eq!(atelier.langues.len(), 2);
    assert!(atelier.courriel.is_some() && atelier.adresse.complement_adresse.is_some());
    let weeks = coverage::reference_weeks(today());
    let values = |v: Vec<&str>| v.join(", ");
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    for (row, l) in rows.iter().zip(&site.lieux) {
        // Every column, read back from its cell, against the point's file.
        for (i, name) in alimap::files::export::CSV_COLUMNS.iter().enumerate() {
            let cell = alimap::files::export::unprotect(&row[i]);
            let a = &l.adresse;
            let expected = match *name {
                "id" => l.id.clone(),
                "nom" => l.nom.clone(),
                "structure" => l.structure.clone(),
                "structure_nom" => site.structure(&l.structure).unwrap().nom.clone(),
                "services" => values(l.services.iter().map(|s| alimap::model::vocab::Vocabulary::value(*s)).collect()),
                "adresse" => a.adresse.clone(),
                "complement_adresse" => opt(&a.complement_adresse),
                "code_postal" => a.code_postal.clone(),
                "commune" => a.commune.clone(),
                "code_insee" => opt(&a.code_insee),
                "latitude" => {
                    assert_eq!(cell.parse::<f64>().unwrap(), l.latitude);
                    continue;
                }
                "longitude" => {
                    assert_eq!(cell.parse::<f64>().unwrap(), l.longitude);
                    continue;
                }
                "horaires_accueil" => l.horaires.as_ref().unwrap().texte.clone(),
                "horaires_semaine" => wording::regular_hours(l, &weeks, &french()).join(" ; "),
                "acces" => values(l.acces.iter().map(|s| alimap::model::vocab::Vocabulary::value(*s)).collect()),
                "conditions_acces" => opt(&l.conditions_acces),
                "justificatifs" => {
                    // Read back as a list, split on the separator.
                    let back: Vec<&str> = if cell.is_empty() {
                        Vec::new()
                    } else {
                        cell.split(alimap::files::export::LIST_SEPARATOR).collect()
                    };
                    assert_eq!(back, l.justificatifs, "{}", l.id);
                    continue;
                }
                "frais" => alimap::model::vocab::Vocabulary::value(l.frais).to_string(),
                "frais_precisions" => opt(&l.frais_precisions),
                "publics" => values(l.publics.iter().map(|s| alimap::model::vocab::Vocabulary::value(*s)).collect()),
                "langues" => l.langues.join(", "),
                "accessibilite_pmr" => match l.accessibilite_pmr {
                    Some(true) => "oui".into(),
                    Some(false) => "non".into(),
                    None => String::new(),
                },
                "telephone" => opt(&l.telephone),
                "courriel" => opt(&l.courriel),
                "site_web" => opt(&l.site_web),
                "date_maj" => l.date_maj.to_string(),
                "url" => format!("https://exemple.org/coord/lieux/{}.html", l.id),
                other => panic!("column {other} is not compared"),
            };
            assert_eq!(cell, expected, "{} {name}", l.id);
        }
    }
    // The workshop's row as a reader sees it, by hand.
    let row = rows.iter().find(|r| &r[0] == "atelier-samedi").unwrap();
    let cells: Vec<&str> = row.iter().collect();
    assert_eq!(
        cells,
        [
            "atelier-samedi",
            "Atelier du samedi",
            "asso-a",
            "Association A",
            "atelier-cuisine",
            "5 rue du Nord",
            "Bâtiment B",
            "93200",
            "Nord",
            "99002",
            "48.945",
            "2.35",
            "Sa[1,3] 10:00-13:00",
            "samedi : 10 h – 13 h (les 5 et 19 décembre)",
            "inscription",
            "Inscription la veille ; huit places",
            "Pièce d’identité | Attestation de domicile",
            "gratuit",
            "Repas partagé offert",
            "familles, etudiants",
            "fr, ar",
            "oui",
            "",
            "atelier@exemple.org",
            "https://exemple.org/atelier",
            "2026-11-15",
            "https://exemple.org/coord/lieux/atelier-samedi.html",
        ]
    );
    // As written in the file, a formula or a leading "+" is defused.
    let colis = rows.iter().find(|r| &r[0] == "colis-mardi").unwrap();
    assert_eq!(&colis[col("conditions_acces")], "'=1+1");
    let maraude = rows.iter().find(|r| &r[0] == "maraude").unwrap();
    assert_eq!(&maraude[col("telephone")], "'+262 262 12 34 56");
}

#[test]
fn a_document_holding_the_list_separator_is_refused() {
    // " | " separates the documents in the CSV: a document holding it
    // would read back as two.
    let dir = scratch_copy("coord/semaine");
    let file = dir.path().join("content/lieux/atelier-samedi.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replace("\"Attestation de domicile\"", "\"Quittance | facture\"");
    std::fs::write(&file, text).unwrap();
    let built = build_site(dir.path());
    assert!(built.report.diagnostics.has_errors());
    let d = built.diagnostics();
    let expected = "erreur : un document à apporter ne peut pas contenir de barre verticale « | » : c’est le \
                    séparateur des documents dans les données ouvertes (CSV)
  --> content/lieux/atelier-samedi.toml:17:38
   |
17 | justificatifs = [\"Pièce d’identité\", \"Quittance | facture\"]
   |                                      ^^^^^^^^^^^^^^^^^^^^^
   |
   = aide : écrivez chaque document comme un élément de la liste, par exemple `justificatifs = [\"Pièce \
                    d’identité\", \"Justificatif de domicile\"]`, ou remplacez « | » par « / »
";
    assert!(d.contains(expected), "{d}");
}

#[test]
fn geojson_is_a_feature_collection_in_lon_lat_order() {
    let built = build_site(&fixture("coord/semaine"));
    let v: serde_json::Value = serde_json::from_str(&built.read("donnees/lieux.geojson")).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    let features = v["features"].as_array().unwrap();
    assert_eq!(features.len(), 5);
    let frigo = features.iter().find(|f| f["properties"]["id"] == "frigo").unwrap();
    assert_eq!(frigo["geometry"]["coordinates"], serde_json::json!([2.38, 48.95]));
    assert_eq!(frigo["properties"]["url"], "https://exemple.org/coord/lieux/frigo.html");
    assert_eq!(frigo["properties"]["horaires_semaine"], serde_json::json!(["du lundi au samedi : 8 h – 18 h"]));
    let atelier = features.iter().find(|f| f["properties"]["id"] == "atelier-samedi").unwrap();
    assert_eq!(
        atelier["properties"]["horaires_semaine"],
        serde_json::json!(["samedi : 10 h – 13 h (les 5 et 19 décembre)"])
    );
    let text = visible_text(&built.read("donnees/index.html"));
    assert!(text.contains("Licence : Licence Ouverte 2.0"), "{text}");
}

/// A site's own `fr.toml` changes how its pages write hours, not the open
/// data, which every site writes alike (`text::i18n::french`).
#[test]
fn a_sites_french_texts_leave_the_open_data_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("coord/semaine"), dir.path());
    let langues = dir.path().join("themes/default/langues");
    std::fs::create_dir_all(&langues).unwrap();
    std::fs::write(langues.join("fr.toml"), "[format]\nheure_pile = \"{h}h\"\n").unwrap();
    let built = build_site(dir.path());
    let guide = visible_text(&built.read("guide/ville-test.html"));
    assert!(guide.contains("Horaires : du lundi au vendredi : 12h – 14h"), "{guide}");
    let v: serde_json::Value = serde_json::from_str(&built.read("donnees/lieux.geojson")).unwrap();
    let frigo = v["features"].as_array().unwrap().iter().find(|f| f["properties"]["id"] == "frigo").unwrap();
    assert_eq!(frigo["properties"]["horaires_semaine"], serde_json::json!(["du lundi au samedi : 8 h – 18 h"]));
    assert!(built.read("donnees/lieux.csv").contains("du lundi au samedi : 8 h – 18 h"));
}

/// Validates every record against a data·inclusion v1 schema, plus the two
/// rules the schema does not encode.
fn check_data_inclusion(records: &[serde_json::Value], schema_file: &str, today: NaiveDate) {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("data/data-inclusion/v1").join(schema_file)).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::options().should_validate_formats(true).build(&schema).unwrap();
    // The validator does refuse: a record without its id, with a date that
    // is no date, or (through `$defs`) with an unknown vocabulary value.
    let mut broken = records[0].clone();
    broken.as_object_mut().unwrap().remove("id");
    assert!(!validator.is_valid(&broken), "{schema_file}: missing id accepted");
    let mut broken = records[0].clone();
    broken["date_maj"] = "2026-13-45".into();
    assert!(!validator.is_valid(&broken), "{schema_file}: bad date accepted");
    if schema_file == "service.json" {
        let mut broken = records[0].clone();
        broken["thematiques"] = serde_json::json!(["alimentation"]);
        assert!(!validator.is_valid(&broken), "unknown thematique accepted");
    }
    let min = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    for r in records {
        let errors: Vec<String> = validator.iter_errors(r).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{schema_file}: {r}\n{errors:#?}");
        let date: NaiveDate = r["date_maj"].as_str().unwrap().parse().unwrap();
        assert!(min <= date && date <= today, "date_maj out of range: {r}");
        if let Some(publics) = r.get("publics").and_then(|p| p.as_array()) {
            assert!(publics.len() == 1 || !publics.contains(&"tous-publics".into()), "tous-publics combined: {r}");
        }
    }
}

#[test]
fn data_inclusion_exports_follow_the_v1_schemas() {
    for root in [fixture("coord/semaine"), repo()] {
        let built = build_site(&root);
        assert!(!built.report.diagnostics.has_errors(), "{}", built.diagnostics());
        let structures: Vec<serde_json::Value> = serde_json::from_str(&built.read("donnees/structures.json")).unwrap();
        let services: Vec<serde_json::Value> = serde_json::from_str(&built.read("donnees/services.json")).unwrap();
        assert!(!structures.is_empty() && !services.is_empty());
        check_data_inclusion(&structures, "structure.json", today());
        check_data_inclusion(&services, "service.json", today());
        // Every service names a structure of the export.
        for s in &services {
            assert!(structures.iter().any(|x| x["id"] == s["structure_id"]), "{s}");
        }
    }
    // The food-aid theme is a value of the national vocabulary.
    let themes: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(repo().join("data/data-inclusion/v1/extra/thematiques.json")).unwrap(),
    )
    .unwrap();
    assert!(themes.iter().any(|t| t["value"] == alimap::files::export::THEMATIQUE));
}

/// The schema.org block of a point's page.
fn jsonld(built: &Built, id: &str) -> serde_json::Value {
    let html = built.read(&format!("lieux/{id}.html"));
    let start = html.find("<script type=\"application/ld+json\">").unwrap() + 35;
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

#[test]
fn point_pages_carry_schema_org_data() {
    let built = build_site(&fixture("coord/semaine"));
    let v = jsonld(&built, "repas-midi");
    assert_eq!(v["@context"], "https://schema.org");
    assert_eq!(v["name"], "Association A");
    let place = &v["location"];
    assert_eq!(place["address"]["addressLocality"], "Nord");
    assert_eq!(place["geo"]["latitude"], 48.94);
    let hours = place["openingHoursSpecification"].as_array().unwrap();
    assert_eq!(hours.len(), 5, "Monday to Friday");
    assert_eq!(hours[0]["dayOfWeek"], "https://schema.org/Monday");
    assert_eq!((hours[0]["opens"].as_str(), hours[0]["closes"].as_str()), (Some("12:00"), Some("14:00")));
    assert!(hours[0].get("validFrom").is_none(), "every week");

    // The 1st and 3rd Saturday: one specification for each date read.
    let v = jsonld(&built, "atelier-samedi");
    let saturday = |date: &str| {
        serde_json::json!({
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": "https://schema.org/Saturday",
            "opens": "10:00",
            "closes": "13:00",
            "validFrom": date,
            "validThrough": date,
        })
    };
    assert_eq!(
        v["location"]["openingHoursSpecification"],
        serde_json::json!([saturday("2026-12-05"), saturday("2026-12-19")])
    );
}

#[test]
fn a_day_open_only_some_weeks_is_a_gap_of_its_own() {
    // A Sunday meal on the 1st to 4th Sunday of the month: of the five
    // Sundays read, 29 November (the 5th of November) is closed.
    let dir = scratch_copy("coord/semaine");
    std::fs::write(
        dir.path().join("content/lieux/repas-dimanche.toml"),
        "nom = \"Repas du dimanche\"\nstructure = \"asso-a\"\nservices = [\"repas\"]\nadresse = \"6 rue du Sud\"\n\
         code_postal = \"93200\"\ncommune = \"Sud\"\nlatitude = 48.915\nlongitude = 2.34\n\
         horaires_accueil = \"Su[1-4] 10:00-12:00\"\nacces = [\"sans-condition\"]\nfrais = \"gratuit\"\n\
         date_maj = 2026-11-01\n",
    )
    .unwrap();
    let site_toml = dir.path().join("content/site.toml");
    let text = std::fs::read_to_string(&site_toml).unwrap();
    std::fs::write(&site_toml, format!("langues = [\"fr\", \"en\"]\n{text}")).unwrap();
    let site = site(dir.path(), today());
    let c = coverage_of(&site, today());
    assert_eq!((c.grille[SU][9], c.grille[SU][10], c.grille[SU][11], c.grille[SU][12]), (0, 1, 1, 0));
    let lacunes = gaps_in_french(&c);
    // Sunday is no longer a day without any point, but it is covered only
    // some weeks, which is said once, not for the meal again. The other
    // kinds of help, never open on Sunday, now say it for themselves.
    assert_eq!(
        lacunes,
        [
            "Aucun lieu ouvert le dimanche, sauf certaines semaines",
            "Aucune distribution de repas le samedi",
            "Aucune distribution de colis alimentaires le lundi, le mercredi, le jeudi, le vendredi, le samedi et \
             le dimanche",
            "Aucune maraude le lundi, le mardi, le jeudi, le vendredi, le samedi et le dimanche",
            "Aucun frigo solidaire accessible le dimanche",
            "Aucun atelier cuisine le lundi, le mardi, le mercredi, le jeudi, le vendredi et le dimanche",
            "Aucun atelier cuisine le samedi, sauf certaines semaines",
            "Aucun lieu ouvert après 18 h sans orientation",
        ]
    );
    // Open on most of the dates read: the guide names the one it is not.
    let built = build_site(dir.path());
    let text = visible_text(&built.read("guide/ville-test.html"));
    assert!(text.contains("Horaires : dimanche : 10 h – 12 h, sauf le 29 novembre Conditions"), "{text}");
    // The same in English.
    let text = visible_text(&built.read("en/guide/ville-test.html"));
    assert!(text.contains("Sunday: 10:00 – 12:00, except on 29 November"), "{text}");
}

#[test]
fn sample_territories_count_points_by_commune_under_the_names_of_their_addresses() {
    let site = site(&repo(), today());
    for t in &site.territoires {
        let lieux: Vec<_> = site.lieux.iter().filter(|l| l.territoires.contains(&t.id)).collect();
        let c = coverage::coverage(&site, t, &lieux, today());
        // Every sample territory declares its communes, so that communes
        // without any point are known.
        assert!(c.perimetres_communes, "{}", t.id);
        assert!(c.hors_communes.is_empty(), "{}: {:?}", t.id, c.hors_communes);
        // A commune is shown as its points' addresses write it: « Les
        // Lilas », not « Lilas » as the perimeters' source has it.
        for k in &c.communes {
            for l in &k.lieux {
                assert_eq!(k.nom, l.adresse.commune, "{} in {}", l.id, t.id);
            }
        }
    }
    let ssd = site.territoires.iter().find(|t| t.id == "seine-saint-denis").unwrap();
    let names: Vec<&str> = ssd.communes.iter().map(|c| c.nom.as_str()).collect();
    assert_eq!(names.len(), 39);
    for name in ["La Courneuve", "Le Bourget", "Le Raincy", "Les Lilas", "L'Île-Saint-Denis", "Saint-Denis"] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    assert!(!names.contains(&"Pierrefitte-sur-Seine"), "part of Saint-Denis since 2025");
}
