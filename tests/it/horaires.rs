//! Hours as they are written: open-ended periods (`19:00+`), seasons,
//! unknown hours and hours that cannot be read truthfully, as a visitor
//! reads them on each kind of page, in the printed guide, in the open data
//! and on the coordination page. Fixture: `tests/fixtures/horaires/reels`,
//! built on Saturday 28 November 2026:
//!
//! - `maraude-soir`: `Mo-Su 19:00+`, every evening from 19 h;
//! - `abri-hiver`: `Oct 15-Mar 31 Mo-Su 19:00+`, in season;
//! - `jardin-ete`: `Apr 15-Sep 30 We,Sa 10:00-12:00`, out of season: the
//!   15th of April 2027 is a Thursday, so it opens again on Saturday 17;
//! - `colis`: `Mo 09:00-12:00`;
//! - two fountains (`eau-potable`) without hours;
//! - two fridges: one `Mo-Fr 08:00-20:00`, one without hours.

use crate::support::*;

const MO: usize = 0;
const SA: usize = 5;
const SU: usize = 6;

fn reels() -> Built {
    let built = build_site(&fixture("horaires/reels"));
    assert!(!built.report.diagnostics.has_errors(), "{}", built.diagnostics());
    built
}

/// The text of a point page's hours section.
fn hours_section(html: &str) -> String {
    let start = html.find("id=\"titre-horaires\"").expect("hours section");
    let end = start + html[start..].find("</section>").unwrap();
    visible_text(&html[start..end])
}

#[test]
fn open_ended_hours_read_from_their_start_on_every_page_kind() {
    let built = reels();
    let page = hours_section(&built.read("lieux/maraude-soir.html"));
    // Seven days from Saturday 28 November, each from 19 h, never until
    // midnight.
    assert_eq!(page.matches("à partir de 19 h").count(), 7, "{page}");
    assert!(!page.contains("24 h"), "{page}");
    // The card in the territory's list says today's hours the same way.
    let territoire = visible_text(&built.read("territoires/ville-test.html"));
    assert!(territoire.contains("Maraude du soir"), "{territoire}");
    assert!(territoire.contains("Aujourd’hui (samedi 28 novembre) : Ouvert à partir de 19 h"), "{territoire}");
    assert!(!territoire.contains("19 h – 24 h"), "{territoire}");
    // Search engines read no closing time either.
    let page = built.read("lieux/maraude-soir.html");
    let ld = &page[page.find("application/ld+json").expect("schema.org block")..];
    let ld = &ld[..ld.find("</script>").unwrap()];
    assert_eq!(ld.matches("\"opens\":\"19:00\"").count(), 7, "{ld}");
    assert!(!ld.contains("closes"), "{ld}");
    let colis = built.read("lieux/colis.html");
    assert!(colis.contains("\"closes\":\"12:00\""), "{colis}");
    // Every interface language.
    let en = hours_section(&built.read("en/lieux/maraude-soir.html"));
    assert_eq!(en.matches("from 19:00").count(), 7, "{en}");
    assert!(!en.contains("24:00"), "{en}");
    let ar = hours_section(&built.read("ar/lieux/maraude-soir.html"));
    assert_eq!(ar.matches("ابتداءً من 19:00").count(), 7, "{ar}");
}

#[test]
fn seasons_show_their_end_in_season_and_the_reopening_out_of_it() {
    let built = reels();
    // In season: open every evening, until 31 March.
    let abri = hours_section(&built.read("lieux/abri-hiver.html"));
    assert_eq!(abri.matches("à partir de 19 h").count(), 7, "{abri}");
    assert!(abri.contains("Ces horaires valent jusqu’au 31 mars."), "{abri}");
    // Out of season: closed all week, and when it opens again.
    let jardin = hours_section(&built.read("lieux/jardin-ete.html"));
    assert_eq!(jardin.matches("Fermé").count(), 7, "{jardin}");
    assert!(jardin.contains("Pas d’accueil ces sept jours : reprise le 17 avril."), "{jardin}");
    // A point open every week says nothing of seasons.
    let colis = hours_section(&built.read("lieux/colis.html"));
    assert!(!colis.contains("jusqu’au") && !colis.contains("reprise"), "{colis}");
    // Cards.
    let territoire = visible_text(&built.read("territoires/ville-test.html"));
    assert!(territoire.contains("à partir de 19 h — jusqu’au 31 mars"), "{territoire}");
    assert!(territoire.contains("Aujourd’hui (samedi 28 novembre) : Fermé — reprise le 17 avril"), "{territoire}");
    let en = visible_text(&built.read("en/territoires/ville-test.html"));
    assert!(en.contains("from 19:00 — until 31 March"), "{en}");
    assert!(en.contains("reopens on 17 April"), "{en}");
    let en = hours_section(&built.read("en/lieux/jardin-ete.html"));
    assert!(en.contains("Not open in the next seven days: reopens on 17 April."), "{en}");
}

/// The search index gives the script that makes its cards each point's
/// season: `[0, date]` open until that date, `[1, date]` opens again on it.
#[test]
fn the_search_index_carries_each_season() {
    let built = reels();
    let data = |name: &str| -> serde_json::Value {
        let js = built.read(&format!("recherche/{name}.js"));
        let body = js.strip_prefix(&format!("ALIMAP_recu(\"{name}\",")).and_then(|r| r.strip_suffix(");\n"));
        serde_json::from_str(body.unwrap_or_else(|| panic!("{js}"))).unwrap()
    };
    let meta = crate::search::inline_meta(&built.read("recherche.html"));
    let (n, bloc) = (meta["nombre"].as_u64().unwrap(), meta["bloc"].as_u64().unwrap());
    let mut seasons = std::collections::BTreeMap::new();
    for b in 0..n.div_ceil(bloc) {
        for p in data(&format!("p-{b}")).as_array().unwrap() {
            seasons.insert(p[0].as_str().unwrap().to_string(), p[13].to_string());
        }
    }
    assert_eq!(seasons["abri-hiver"], "[0,\"2027-03-31\"]");
    assert_eq!(seasons["jardin-ete"], "[1,\"2027-04-17\"]");
    for id in ["maraude-soir", "colis", "fontaine-gare"] {
        assert_eq!(seasons[id], "null", "{id}");
    }
    // The script's texts: month names and the two sentences.
    let page = built.read("en/recherche.html");
    assert!(page.contains("\"mois\":[\"January\""), "{page}");
    assert!(page.contains("\"jusqu_au\":\"{etat} — until {date}\""), "{page}");
}

#[test]
fn out_of_season_the_next_season_is_announced() {
    // Built on Monday 10 May 2027: the winter soup is closed until
    // 15 October, a Friday.
    let built = build_site_on(&fixture("horaires/reels"), chrono::NaiveDate::from_ymd_opt(2027, 5, 10).unwrap());
    assert!(!built.report.diagnostics.has_errors(), "{}", built.diagnostics());
    let abri = hours_section(&built.read("lieux/abri-hiver.html"));
    assert_eq!(abri.matches("Fermé").count(), 7, "{abri}");
    assert!(abri.contains("reprise le 15 octobre."), "{abri}");
    // The summer garden is in season until 30 September.
    let jardin = hours_section(&built.read("lieux/jardin-ete.html"));
    assert!(jardin.contains("10 h – 12 h"), "{jardin}");
    assert!(jardin.contains("Ces horaires valent jusqu’au 30 septembre."), "{jardin}");
    let guide = visible_text(&built.read("guide/ville-test.html"));
    assert!(guide.contains("Horaires : fermé en ce moment, reprise le 15 octobre"), "{guide}");
    assert!(
        guide.contains("Horaires : mercredi et samedi : 10 h – 12 h ; jusqu’au 30 septembre")
            || guide.contains("Horaires : mercredi : 10 h – 12 h ; samedi : 10 h – 12 h ; jusqu’au 30 septembre"),
        "{guide}"
    );
}

#[test]
fn the_guide_and_the_open_data_write_hours_as_they_are() {
    let built = reels();
    let guide = visible_text(&built.read("guide/ville-test.html"));
    assert!(guide.contains("Horaires : du lundi au dimanche : à partir de 19 h Conditions"), "{guide}");
    assert!(guide.contains("Horaires : du lundi au dimanche : à partir de 19 h ; jusqu’au 31 mars"), "{guide}");
    assert!(guide.contains("Horaires : fermé en ce moment, reprise le 17 avril"), "{guide}");
    assert!(!guide.contains("24 h"), "{guide}");
    let en = visible_text(&built.read("en/guide/ville-test.html"));
    assert!(en.contains("from 19:00 ; until 31 March") || en.contains("from 19:00; until 31 March"), "{en}");

    // The CSV: one row per point, `horaires_semaine` in French.
    let csv = built.read("donnees/lieux.csv");
    let mut reader =
        csv::ReaderBuilder::new().delimiter(b';').from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let head = reader.headers().unwrap().clone();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} in {head:?}"));
    let (id, texte, semaine) = (col("id"), col("horaires_accueil"), col("horaires_semaine"));
    let rows: Vec<(String, String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[id].to_string(), r[texte].to_string(), r[semaine].to_string())
        })
        .collect();
    let row = |lieu: &str| rows.iter().find(|r| r.0 == lieu).unwrap_or_else(|| panic!("{lieu} in {rows:?}"));
    assert_eq!(row("maraude-soir").1, "Mo-Su 19:00+");
    assert_eq!(row("maraude-soir").2, "du lundi au dimanche : à partir de 19 h");
    assert_eq!(row("abri-hiver").2, "du lundi au dimanche : à partir de 19 h ; jusqu’au 31 mars");
    assert_eq!(row("jardin-ete").2, "fermé en ce moment, reprise le 17 avril");
    assert_eq!(row("colis").2, "lundi : 9 h – 12 h");
    assert_eq!(row("fontaine-gare").2, "");
}

/// The checked site of the fixture, without rendering.
fn site() -> alimap::model::Site {
    let (sources, diags) = alimap::content::load::load(&fixture("horaires/reels"));
    assert!(diags.is_empty(), "{diags:?}");
    let (parsed, diags) = alimap::content::parse::parse(&sources);
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:?}");
    let (site, diags) = alimap::content::validate::validate(parsed, today());
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:?}");
    site.expect("a valid site")
}

#[test]
fn coverage_counts_open_ended_hours_until_the_evening_limit_and_keeps_unknown_hours_apart() {
    use alimap::site::coverage;
    let site = site();
    let t = &site.territoires[0];
    let lieux: Vec<_> = site.lieux.iter().collect();
    let c = coverage::coverage(&site, t, &lieux, today());
    assert_eq!(c.total, 8);
    assert_eq!(coverage::FIN_OUVERTE, 22 * 60);
    // Every evening, the outreach and the winter soup from 19 h to 22 h,
    // not to midnight; the fridge until 20 h on weekdays.
    for d in 0..7 {
        let fridge = u32::from(d < 5);
        assert_eq!(c.grille[d][18], fridge, "day {d}");
        assert_eq!((c.grille[d][19], c.grille[d][20], c.grille[d][21]), (2 + fridge, 2, 2), "day {d}");
        assert_eq!((c.grille[d][22], c.grille[d][23]), (0, 0), "day {d}");
    }
    assert_eq!(c.grille[MO][9], 2);
    assert_eq!((c.grille[SA][10], c.grille[SU][10]), (0, 0), "the summer garden is out of season");
    assert_eq!(c.fins_ouvertes, 2);
    let mut inconnus: Vec<&str> = c.sans_horaires.iter().map(|l| l.id.as_str()).collect();
    inconnus.sort_unstable();
    assert_eq!(inconnus, ["fontaine-gare", "fontaine-square", "frigo-marche"]);
    let eau = c.services.iter().find(|s| s.service == alimap::model::vocab::Service::EauPotable).unwrap();
    assert_eq!((eau.lieux, eau.sans_horaires), (2, 2));
    assert!(eau.grille.iter().flatten().all(|&n| n == 0));
}

#[test]
fn the_coordination_page_separates_closed_from_unknown() {
    let built = reels();
    let html = built.read("coordination/ville-test.html");
    let text = visible_text(&html);
    let gaps: Vec<&str> = {
        let start = html.find("<ul class=\"lacunes\">").expect(&text);
        let end = start + html[start..].find("</ul>").unwrap();
        html[start..end].split("<li>").skip(1).map(|li| li.trim_end_matches("</li>")).collect()
    };
    assert_eq!(
        gaps,
        [
            "Aucune distribution de colis alimentaires le mardi, le mercredi, le jeudi, le vendredi, le samedi et le \
             dimanche.",
            "Aucun frigo solidaire accessible le samedi et le dimanche d’après les horaires connus (1 lieu aux \
             horaires inconnus).",
            "Eau potable : 2 lieux, tous aux horaires inconnus.",
            // Closed out of season: a gap in the hours as written.
            "Aucun jardin solidaire ouvert le lundi, le mardi, le mercredi, le jeudi, le vendredi, le samedi et le \
             dimanche.",
        ]
    );
    assert!(!text.contains("Aucun point d’eau potable"), "{text}");
    for needle in [
        "3 lieux n’ont pas d’horaires et n’apparaissent pas dans les tableaux.",
        "2 lieux ouverts « à partir de » une heure, sans heure de fin, comptent jusqu’à 22 h (ou pendant une heure \
         s’ils ouvrent plus tard).",
        "Eau potable (2 lieux, dont 2 aux horaires inconnus)",
        "Frigo solidaire (2 lieux, dont 1 aux horaires inconnus)",
    ] {
        assert!(text.contains(needle), "missing « {needle} » in:\n{text}");
    }
    assert!(html.contains(
        "<p class=\"horaires-inconnus\">Horaires inconnus : <a href=\"../lieux/fontaine-gare.html\">Fontaine de la \
         gare</a>, <a href=\"../lieux/fontaine-square.html\">Fontaine du square</a>, <a \
         href=\"../lieux/frigo-marche.html\">Frigo du marché</a>.</p>"
    ));
    let en = visible_text(&built.read("en/coordination/ville-test.html"));
    assert!(
        en.contains("Drinking water: 2 places, all with unknown hours")
            || en.contains(": 2 places, all with unknown hours"),
        "{en}"
    );
}
