//! Map files: each territory's standalone SVG map (drawn by
//! `pages::carte`, which also gives the pages their maps), the compact data
//! files that the interactive map loads on demand, and the territories'
//! perimeters as GeoJSON open data.
//!
//! Everything here is pure: the functions take the model and return text.
//! [`files`] lists the output files; `render` adds them to the site and
//! `output` writes them.
//!
//! The interactive map itself is `themes/default/static/carte.js`, over
//! Leaflet and Leaflet.markercluster (vendored under `static/vendor/`). It
//! reads the data files written here, which are scripts assigning a global
//! (`window.alimapDonnees[key]`) because browsers refuse `fetch` of local
//! files when a site is opened from disk.

use chrono::NaiveDate;
use geo::{LineString, MultiPolygon, Orient, Polygon, orient::Direction};
use rayon::prelude::*;
use serde::Serialize;

use crate::model::vocab::{Service, Vocabulary};
use crate::model::{Lieu, Site, Territoire};
use crate::output::OutputFile;
use crate::pages::carte::StaticMap;
use crate::pages::view;
use crate::site::index::Index;
use crate::site::urls::{self, FICHES};
use crate::text::format::coord;
use crate::text::html::script_file;
use crate::text::i18n::Tr;

// ------------------------------------------------------------ output files

/// Every map file: per territory its GeoJSON, and in each published
/// language (`langues`: each language's folder, `""` or `"en/"`, and its
/// texts) its static SVG map and its map data; in each language too, the
/// data of the home page's map and the blocks of popup texts.
pub(crate) fn files(site: &Site, index: &Index<'_>, today: NaiveDate, langues: &[(&str, Tr<'_>)]) -> Vec<OutputFile> {
    let numbered = &index.ordered;
    // Territories, then each language's whole-site map and blocks of popup
    // texts, made in parallel and kept in this order.
    let per_territory = site.territoires.par_iter().map(|t| {
        let points = crate::site::index::map_order(index.territoire(&t.id));
        // The static map is laid out once, then written in each language.
        let layout = StaticMap::new(t, &points);
        let mut files = Vec::new();
        for (lang, tr) in langues {
            files.push(OutputFile {
                path: urls::carte_svg(lang, &t.id),
                bytes: layout.svg(t, &points, tr).into_string().into_bytes(),
            });
            let data = map_data(std::slice::from_ref(t), &points, index, today, 2000.0, lang, tr);
            files.push(OutputFile {
                path: urls::carte_territoire(lang, &t.id),
                bytes: data_script(&format!("territoires/{}", t.id), &data),
            });
        }
        files.push(OutputFile { path: urls::perimetre_geojson(&t.id), bytes: perimeter_geojson(site, t).into_bytes() });
        files
    });
    let per_language = langues.par_iter().map(|(lang, tr)| {
        // Coarser outlines on the whole-site map: it opens zoomed out.
        let data = map_data(&site.territoires, numbered, index, today, 800.0, lang, tr);
        let all = OutputFile { path: urls::carte_tout(lang), bytes: data_script("tout", &data) };
        let blocks = numbered.par_chunks(FICHES).enumerate().map(|(n, block)| {
            let fiches: Vec<(&str, &str, String, String)> = block
                .iter()
                .map(|l| {
                    let (jour, conditions) = popup_texts(l, today, tr);
                    (l.id.as_str(), l.nom.as_str(), jour, conditions)
                })
                .collect();
            OutputFile {
                path: format!("{}{n}.js", urls::carte_fiches(lang)),
                bytes: data_script(&format!("fiches/{n}"), &fiches),
            }
        });
        std::iter::once(all).chain(blocks.collect::<Vec<_>>()).collect::<Vec<_>>()
    });
    let (territories, languages): (Vec<Vec<OutputFile>>, Vec<Vec<OutputFile>>) =
        rayon::join(|| per_territory.collect(), || per_language.collect());
    territories.into_iter().chain(languages).flatten().collect()
}

// ----------------------------------------------------------------- map data

/// The data of an interactive map, kept small: positions and kinds of
/// help as numbers, so that a map of 10,000 points stays a few tens of
/// kilobytes once compressed. Names, hours and conditions are in the
/// blocks of popup texts ([`FICHES`]), loaded for the markers shown.
#[derive(Serialize)]
struct MapData<'a> {
    /// The day the hours are for: "samedi 28 novembre".
    jour: String,
    /// `[value, label]` in `Service::ALL` order; bit `i` of a point's
    /// services is `services[i]`.
    services: Vec<[String; 2]>,
    /// What the map says in its language (legend, popups), for carte.js:
    /// loaded with the data, not carried by every page.
    interface: serde_json::Map<String, serde_json::Value>,
    perimetres: Vec<PerimeterData<'a>>,
    /// Points per block of popup texts, and where the blocks of the data's
    /// language are, from the site root.
    fiches: usize,
    dossier_fiches: String,
    /// The points' numbers in the search index, ascending, as gaps in base
    /// 36 (`"0,3,1a"`).
    numeros: String,
    /// Latitudes and longitudes in hundred-thousandths of a degree (about
    /// a metre), each the difference from the previous point's: points
    /// numbered along a Z-order curve are near each other, so the numbers
    /// are short.
    lat: Vec<i64>,
    lon: Vec<i64>,
    /// Each point's kinds of help, as bits of `services`.
    aides: Vec<u32>,
}

#[derive(Serialize)]
struct PerimeterData<'a> {
    id: &'a str,
    nom: &'a str,
    /// Polygons, each a list of rings, each ring `[lon, lat, lon, lat…]`.
    polygones: Vec<Vec<Vec<f64>>>,
}

/// Today's hours and the conditions of a point, as its popup shows them,
/// in the language of `tr`.
/// (What a point's card shows, without making the whole card.)
fn popup_texts(l: &Lieu, today: NaiveDate, tr: &Tr<'_>) -> (String, String) {
    let aujourdhui = l.horaires.as_ref().map(|h| view::day_view(&h.day(today, &l.fermetures), today, tr));
    let jour = match &aujourdhui {
        None => tr.text("carte.horaires_non_communiques").to_string(),
        Some(d) => match (&d.note, &d.motif) {
            (Some(note), Some(motif)) => format!("{} ({note}{}{motif})", d.texte, tr.text("commun.deux_points")),
            (Some(note), None) => format!("{} ({note})", d.texte),
            _ => d.texte.clone(),
        },
    };
    let acces: Vec<&str> = l.acces.iter().map(|a| tr.label(*a)).collect();
    let conditions = format!(
        "{} — {} — {}",
        acces.join(tr.text("format.conditions_separateur")),
        tr.label(l.frais),
        tr.text(if l.justificatifs.is_empty() {
            "carte_lieu.aucun_justificatif"
        } else {
            "carte_lieu.justificatifs_demandes"
        })
    );
    (jour, conditions)
}

/// `resolution`: how many distinct positions across the perimeters' extent
/// the outlines keep after simplification.
fn map_data<'a>(
    territoires: &'a [Territoire],
    points: &[&Lieu],
    index: &Index<'_>,
    today: NaiveDate,
    resolution: f64,
    lang: &str,
    tr: &Tr<'_>,
) -> MapData<'a> {
    let mut points: Vec<(usize, &Lieu)> = points.iter().filter_map(|l| Some((index.number(&l.id)?, *l))).collect();
    points.sort_by_key(|(n, _)| *n);
    let micro = |v: f64| (v * 1e5).round() as i64;
    let deltas = |values: Vec<i64>| -> Vec<i64> {
        let mut prev = 0;
        values
            .into_iter()
            .map(|v| {
                let d = v - prev;
                prev = v;
                d
            })
            .collect()
    };
    let perimetres = territoires
        .iter()
        .map(|t| {
            let b = t.perimetre.bbox;
            let epsilon = b.width().max(b.height()) / resolution;
            PerimeterData { id: &t.id, nom: &t.nom, polygones: simplified(&t.perimetre.shape, epsilon) }
        })
        .collect();
    MapData {
        jour: {
            use chrono::Datelike;
            tr.format("format.jour_date", &[("jour_semaine", tr.day(today.weekday())), ("date", &tr.day_month(today))])
        },
        services: Service::ALL.iter().map(|s| [s.value().to_string(), tr.label(*s).to_string()]).collect(),
        interface: tr.section("js_carte"),
        perimetres,
        fiches: FICHES,
        dossier_fiches: urls::carte_fiches(lang),
        numeros: crate::files::search::postings(
            &points.iter().map(|(n, _)| *n).collect::<std::collections::BTreeSet<usize>>(),
        ),
        lat: deltas(points.iter().map(|(_, l)| micro(l.latitude)).collect()),
        lon: deltas(points.iter().map(|(_, l)| micro(l.longitude)).collect()),
        aides: points
            .iter()
            .map(|(_, l)| {
                Service::ALL
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| l.services.contains(s))
                    .fold(0u32, |acc, (i, _)| acc | (1 << i))
            })
            .collect(),
    }
}

/// Rings simplified by `epsilon` degrees, as flat `[lon, lat…]` lists,
/// without the polygons and holes too small to show ([`crate::model::geo::simplified`]).
fn simplified(shape: &MultiPolygon<f64>, epsilon: f64) -> Vec<Vec<Vec<f64>>> {
    crate::model::geo::simplified(shape, epsilon)
        .into_iter()
        .map(|rings| rings.iter().map(|ring| ring.coords().flat_map(|c| [coord(c.x), coord(c.y)]).collect()).collect())
        .collect()
}

/// A script assigning the data to `window.alimapDonnees[key]`, its JSON
/// made safe for a script file by `text::html::script_file`.
fn data_script<T: Serialize>(key: &str, data: &T) -> Vec<u8> {
    let json = serde_json::to_string(data).expect("map data serialises");
    let key = serde_json::to_string(key).expect("a string serialises");
    script_file(format!("(window.alimapDonnees=window.alimapDonnees||{{}})[{key}]={json};\n").into_bytes())
}

// ------------------------------------------------------------------ GeoJSON

#[derive(Serialize)]
struct FeatureCollection<T: Serialize> {
    #[serde(rename = "type")]
    type_: &'static str,
    features: Vec<Feature<T>>,
}

#[derive(Serialize)]
struct Feature<T: Serialize> {
    #[serde(rename = "type")]
    type_: &'static str,
    id: String,
    geometry: serde_json::Value,
    properties: T,
}

#[derive(Serialize)]
struct PerimeterProperties<'a> {
    id: &'a str,
    nom: &'a str,
    #[serde(rename = "type")]
    type_: &'static str,
    code_insee: Option<&'a str>,
    url: String,
}

/// The territory's perimeter as an RFC 7946 MultiPolygon: exterior rings
/// counterclockwise, holes clockwise, as the RFC asks.
pub(crate) fn perimeter_geojson(site: &Site, t: &Territoire) -> String {
    let shape = t.perimetre.shape.orient(Direction::Default);
    let ring = |r: &LineString<f64>| -> Vec<[f64; 2]> { r.coords().map(|c| [c.x, c.y]).collect() };
    let polygon = |p: &Polygon<f64>| -> Vec<Vec<[f64; 2]>> {
        std::iter::once(p.exterior()).chain(p.interiors()).map(ring).collect()
    };
    let coordinates: Vec<_> = shape.0.iter().map(polygon).collect();
    let feature = Feature {
        type_: "Feature",
        id: t.id.clone(),
        geometry: serde_json::json!({"type": "MultiPolygon", "coordinates": coordinates}),
        properties: PerimeterProperties {
            id: &t.id,
            nom: &t.nom,
            type_: t.type_.value(),
            code_insee: t.code_insee.as_deref(),
            url: urls::territoire(&site.config.url, &t.id),
        },
    };
    to_json(&FeatureCollection { type_: "FeatureCollection", features: vec![feature] })
}

fn to_json<T: Serialize>(v: &T) -> String {
    let mut s = serde_json::to_string(v).expect("GeoJSON serialises");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_scripts_keep_separators_and_tags_inert() {
        let script = String::from_utf8(data_script("k", &["a\u{2028}</script>\u{202E}\u{1}&"])).unwrap();
        assert_eq!(script, "(window.alimapDonnees=window.alimapDonnees||{})[\"k\"]=[\"a\\u2028\\u003c/script>&\"];\n");
    }
}
