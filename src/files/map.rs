//! Maps: the static SVG map of a territory (no script, no tile, prints
//! well), the compact data files that the interactive map loads on demand,
//! the territories' GeoJSON open data, and the tile settings the pages need.
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

use std::collections::BTreeMap;

use chrono::NaiveDate;
use geo::{Coord, LineString, MultiPolygon, Orient, Polygon, Simplify, orient::Direction};
use rayon::prelude::*;
use serde::Serialize;

use crate::model::vocab::{Service, Vocabulary};
use crate::model::{Lieu, Site, Territoire};
use crate::output::OutputFile;
use crate::pages::view;
use crate::site::index::Index;
use crate::site::urls;
use crate::text::format::tile_origin;
use crate::text::html::{Html, escape_html, script_file};
use crate::text::i18n::Tr;

/// Where the data file of the home page's map (every point) is written,
/// for the site's language; other languages have theirs under
/// `assets/carte/<code>/`, since the data holds texts (the day, the labels
/// of the kinds of help, the legend), and so do the popup texts.
pub const ALL_POINTS_DATA: &str = "assets/carte/tout.js";

/// Points per block of popup texts, `assets/carte/fiches/<n>.js`, in the
/// numbering of the search index ([`crate::files::search::ordered`]): the map
/// data holds positions and kinds of help only, and names, hours and
/// conditions load when a marker shows or opens.
pub const FICHES: usize = 32;

/// Width of the drawing area of the static map, in SVG units.
const SVG_SIZE: f64 = 480.0;
const SVG_MARGIN: f64 = 16.0;
/// Room below the drawing for the scale bar and the north mark.
const SVG_FOOTER: f64 = 34.0;
/// Metres in one degree of latitude (and of longitude at the equator).
const METRES_PER_DEGREE: f64 = 111_320.0;

// ------------------------------------------------------------------ tiles

/// Where a page's map finds its files.
pub struct MapPaths<'a> {
    /// Prefix to the site root, for scripts and styles.
    pub site_root: &'a str,
    /// The language's folder for map data (`""` or `"en/"`).
    pub data: &'a str,
    /// Prefix to the language's pages, for links to points.
    pub pages: &'a str,
}

/// What a page with an interactive map gives its template.
#[derive(Serialize)]
pub struct CarteView {
    /// Key of the data in `window.alimapDonnees`.
    pub cle: String,
    /// Relative link to the data file.
    pub donnees: String,
    /// Prefix from the page to the site root, for the scripts to load.
    pub racine: String,
    /// Prefix from the page to its language's pages, for links to points.
    pub pages: String,
    /// Tile URL template, absent when tiles are off.
    pub tuiles: Option<String>,
    pub attribution: String,
    pub zoom_max: u8,
    /// Origin to allow in the page's `img-src`, absent when tiles are off.
    pub origine: Option<String>,
    /// Point to centre on and open (a point's page), and its position
    /// (`"lat,lon"`, as the map data rounds it), by which the map finds it.
    pub lieu: Option<String>,
    pub position: Option<String>,
    /// The blocks of popup texts of a territory's points, which its page
    /// keeps for offline use with the map data (`data-garder`).
    pub garder: Vec<String>,
}

fn carte_view(site: &Site, cle: String, donnees: String, at: &MapPaths<'_>, lieu: Option<&Lieu>) -> CarteView {
    let c = &site.config.carte;
    let origine = if c.active { tile_origin(&c.tuiles) } else { None };
    CarteView {
        cle,
        donnees,
        racine: at.site_root.to_string(),
        pages: at.pages.to_string(),
        // Tiles are used only with an origin the policy can allow.
        tuiles: origine.as_ref().map(|_| c.tuiles.clone()),
        attribution: c.attribution.clone(),
        zoom_max: c.zoom_max,
        origine,
        lieu: lieu.map(|l| l.id.clone()),
        position: lieu.map(|l| format!("{},{}", round5(l.latitude), round5(l.longitude))),
        garder: Vec::new(),
    }
}

/// The home page's map: every point and every perimeter.
pub fn home_map(site: &Site, at: &MapPaths<'_>) -> CarteView {
    carte_view(site, "tout".into(), format!("{}{}", at.site_root, urls::carte_tout(at.data)), at, None)
}

/// A territory page's map: its perimeter and its points (`lieux`, whose
/// numbers in the search index, `numbers`, give their blocks of popup
/// texts).
pub fn territory_map(site: &Site, t: &Territoire, lieux: &[&Lieu], index: &Index<'_>, at: &MapPaths<'_>) -> CarteView {
    let data = format!("{}{}", at.site_root, urls::carte_territoire(at.data, &t.id));
    let mut view = carte_view(site, format!("territoires/{}", t.id), data, at, None);
    let blocks: std::collections::BTreeSet<usize> =
        lieux.iter().filter_map(|l| index.number(&l.id)).map(|n| n / FICHES).collect();
    let folder = urls::carte_fiches(at.data);
    view.garder = blocks.into_iter().map(|n| format!("{}{folder}{n}.js", at.site_root)).collect();
    view
}

/// A point's page: the map of the smallest territory holding it (its
/// neighbours give context), centred on the point.
pub fn point_map(site: &Site, index: &Index<'_>, l: &Lieu, at: &MapPaths<'_>) -> Option<CarteView> {
    let t = l.territoires.iter().min_by_key(|id| (index.territoire(id).len(), id.as_str()))?;
    let data = format!("{}{}", at.site_root, urls::carte_territoire(at.data, t));
    Some(carte_view(site, format!("territoires/{t}"), data, at, Some(l)))
}

// ------------------------------------------------------------ output files

/// Every map file: per territory its GeoJSON, and in each published
/// language (`langues`: each language's folder, `""` or `"en/"`, and its
/// texts) its static SVG map and its map data; in each language too, the
/// data of the home page's map and the blocks of popup texts.
pub fn files(site: &Site, index: &Index<'_>, today: NaiveDate, langues: &[(&str, Tr<'_>)]) -> Vec<OutputFile> {
    let numbered = &index.ordered;
    // Territories, then each language's whole-site map and blocks of popup
    // texts, made in parallel and kept in this order.
    let per_territory = site.territoires.par_iter().map(|t| {
        let points = crate::site::index::map_order(index.territoire(&t.id));
        let mut files = Vec::new();
        for (lang, tr) in langues {
            files.push(OutputFile {
                path: urls::carte_svg(lang, &t.id),
                bytes: svg_map(t, &points, tr).into_string().into_bytes(),
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

// --------------------------------------------------------------- static map

/// Above this many points, the static map is linked as an image rather
/// than written into the page, to keep the page light.
const INLINE_MAX_POINTS: usize = 300;

/// The static map on a territory page, and the numbered list beside it.
#[derive(Serialize)]
pub struct StaticMapView {
    /// The SVG to write into the page (built here, every text escaped);
    /// absent when the map is linked as an image instead.
    pub svg_html: Option<Html>,
    /// Relative link to the SVG file.
    pub fichier: String,
    pub titre: String,
    pub lieux: Vec<NumberedPoint>,
    /// Point id to number, for the cards of the page.
    pub numeros: BTreeMap<String, usize>,
    /// Point id to « Repère n° 3 sur la carte », for the cards.
    pub reperes: BTreeMap<String, String>,
}

#[derive(Serialize)]
pub struct NumberedPoint {
    pub numero: usize,
    pub nom: String,
    pub commune: String,
    pub href: String,
}

pub fn static_view(t: &Territoire, points: &[&Lieu], root: &str, tr: &Tr<'_>) -> StaticMapView {
    let points = crate::site::index::map_order(points);
    let lieux: Vec<NumberedPoint> = points
        .iter()
        .enumerate()
        .map(|(i, l)| NumberedPoint {
            numero: i + 1,
            nom: l.nom.clone(),
            commune: l.adresse.commune.clone(),
            href: urls::lieu(root, &l.id),
        })
        .collect();
    StaticMapView {
        svg_html: (points.len() <= INLINE_MAX_POINTS).then(|| svg_map(t, &points, tr)),
        fichier: format!("{}-carte.svg", t.id),
        titre: tr.format("carte.titre", &[("nom", &t.nom)]),
        numeros: points.iter().enumerate().map(|(i, l)| (l.id.clone(), i + 1)).collect(),
        reperes: points
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.clone(), tr.format("carte_lieu.repere", &[("numero", &(i + 1).to_string())])))
            .collect(),
        lieux,
    }
}

/// An equirectangular projection fitted to a box, with the longitude
/// shrunk by cos(latitude) so that shapes keep their proportions at the
/// territory's latitude.
struct Projection {
    min_lon: f64,
    max_lat: f64,
    kx: f64,
    scale: f64,
    width: f64,
    height: f64,
}

impl Projection {
    fn fit(bbox: geo::Rect<f64>, size: f64) -> Projection {
        let lat0 = bbox.center().y.to_radians();
        let kx = lat0.cos();
        let w = (bbox.width() * kx).max(1e-6);
        let h = bbox.height().max(1e-6);
        let scale = size / w.max(h);
        Projection {
            min_lon: bbox.min().x,
            max_lat: bbox.max().y,
            kx,
            scale,
            width: w * scale + 2.0 * SVG_MARGIN,
            height: h * scale + 2.0 * SVG_MARGIN,
        }
    }
    fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        (SVG_MARGIN + (lon - self.min_lon) * self.kx * self.scale, SVG_MARGIN + (self.max_lat - lat) * self.scale)
    }
    fn metres_per_unit(&self) -> f64 {
        METRES_PER_DEGREE / self.scale
    }
}

/// The static map of a territory: its perimeter and its points, numbered
/// 1, 2, 3… in the order given (use [`ordered`]), with a title and a
/// description for screen readers, a scale bar and a north mark. Colours
/// are presentation attributes, not CSS, so the file looks the same inline,
/// alone, and on paper.
pub fn svg_map(t: &Territoire, points: &[&Lieu], tr: &Tr<'_>) -> Html {
    let mut bbox = t.perimetre.bbox;
    for l in points {
        bbox = geo::Rect::new(
            Coord { x: bbox.min().x.min(l.longitude), y: bbox.min().y.min(l.latitude) },
            Coord { x: bbox.max().x.max(l.longitude), y: bbox.max().y.max(l.latitude) },
        );
    }
    let p = Projection::fit(bbox, SVG_SIZE);
    let (width, height) = (p.width.ceil(), (p.height + SVG_FOOTER).ceil());
    let id = &t.id;
    let n = points.len();
    let mut s = String::with_capacity(4096 + n * 160);
    s.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"carte-statique\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"carte-{id}-titre carte-{id}-desc\" font-family=\"sans-serif\">\n"
    ));
    let titre = tr.format("carte.titre", &[("nom", &t.nom)]);
    s.push_str(&format!("<title id=\"carte-{id}-titre\">{}</title>\n", escape_html(&titre)));
    let desc = tr.plural("carte.description", n, &[("nom", &t.nom)]);
    s.push_str(&format!("<desc id=\"carte-{id}-desc\">{}</desc>\n", escape_html(&desc)));
    s.push_str(&format!("<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>\n"));

    // The outline, simplified to half a unit: finer detail cannot be seen.
    let mut d = String::new();
    for poly in &t.perimetre.shape.0 {
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            let projected: LineString<f64> = ring.coords().map(|c| Coord::from(p.xy(c.x, c.y))).collect();
            let simple = projected.simplify(0.5);
            let ring = if simple.0.len() >= 4 { &simple } else { &projected };
            for (i, c) in ring.coords().enumerate() {
                d.push(if i == 0 { 'M' } else { 'L' });
                d.push_str(&format!("{:.1} {:.1}", c.x, c.y));
            }
            d.push('Z');
        }
    }
    s.push_str(&format!(
        "<path d=\"{d}\" fill=\"#eef3f8\" fill-rule=\"evenodd\" stroke=\"#1d4e89\" stroke-width=\"2\" stroke-linejoin=\"round\"/>\n"
    ));

    // Markers: a disc with its number, larger when numbers get longer.
    let r = if n >= 100 { 11.0 } else { 10.0 };
    let font = if n >= 100 { 10.0 } else { 12.0 };
    for (i, l) in points.iter().enumerate() {
        let (x, y) = p.xy(l.longitude, l.latitude);
        let num = i + 1;
        s.push_str(&format!(
            "<g data-numero=\"{num}\" data-lieu=\"{}\"><title>{num}. {}</title><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r}\" fill=\"#1d4e89\" stroke=\"#ffffff\" stroke-width=\"1.5\"/><text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"{font}\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#ffffff\">{num}</text></g>\n",
            escape_html(&l.id),
            escape_html(&l.nom),
            y + font * 0.35,
        ));
    }

    // Scale bar: the longest round length under a fifth of the width.
    let target = p.metres_per_unit() * width / 5.0;
    let metres = nice_length(target);
    let bar = metres / p.metres_per_unit();
    let (x0, y0) = (SVG_MARGIN, height - 10.0);
    let label = if metres >= 1000.0 {
        tr.format("carte.km", &[("n", &tr.decimal(metres / 1000.0))])
    } else {
        tr.format("carte.m", &[("n", &tr.decimal(metres))])
    };
    s.push_str(&format!(
        "<g class=\"echelle\"><path d=\"M{x0:.1} {:.1}V{y0:.1}H{:.1}V{:.1}\" fill=\"none\" stroke=\"#222222\" stroke-width=\"2\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#222222\">{}</text></g>\n",
        y0 - 6.0,
        x0 + bar,
        y0 - 6.0,
        x0 + bar + 6.0,
        y0 - 1.0,
        escape_html(&label),
    ));
    s.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\" fill=\"#222222\">{} ↑</text>\n",
        width - SVG_MARGIN,
        y0 - 1.0,
        escape_html(tr.text("carte.nord")),
    ));
    s.push_str("</svg>\n");
    // Literal markup and numbers around escaped texts.
    Html::trusted(s)
}

/// 1, 2 or 5 times a power of ten, at most `target`.
fn nice_length(target: f64) -> f64 {
    let pow = 10f64.powf(target.max(1.0).log10().floor());
    [5.0, 2.0, 1.0].into_iter().map(|k| k * pow).find(|&v| v <= target).unwrap_or(pow)
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

fn round5(x: f64) -> f64 {
    (x * 1e5).round() / 1e5
}

/// Rings simplified by `epsilon` degrees, as flat `[lon, lat…]` lists;
/// rings that simplification collapses are kept whole.
fn simplified(shape: &MultiPolygon<f64>, epsilon: f64) -> Vec<Vec<Vec<f64>>> {
    shape
        .0
        .iter()
        .map(|poly| {
            std::iter::once(poly.exterior())
                .chain(poly.interiors())
                .map(|ring| {
                    let simple = ring.simplify(epsilon);
                    let ring = if simple.0.len() >= 4 { &simple } else { ring };
                    ring.coords().flat_map(|c| [round5(c.x), round5(c.y)]).collect()
                })
                .collect()
        })
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
pub fn perimeter_geojson(site: &Site, t: &Territoire) -> String {
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
    fn tile_origins_are_plain_https_hosts() {
        let ok = [
            ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
            ("https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.fr"),
            ("https://Tiles.Example.org:8443/{z}/{x}/{y}.png", "https://tiles.example.org:8443"),
        ];
        for (template, origin) in ok {
            assert_eq!(tile_origin(template).as_deref(), Some(origin), "{template}");
        }
        for bad in [
            "http://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "https://tile.openstreetmap.org",
            "https://user@tile.org/{z}/{x}/{y}.png",
            "https://ti le.org/{z}/{x}/{y}.png",
            "https://a.{s}.org/{z}/{x}/{y}.png",
            "https://{s}.org/{z}/{x}/{y}.png",
            "https://localhost/{z}/{x}/{y}.png",
            "https://tile.org;script-src */{z}/{x}/{y}.png",
            "https://tile.org:/{z}/{x}/{y}.png",
        ] {
            assert_eq!(tile_origin(bad), None, "{bad}");
        }
    }

    #[test]
    fn scale_lengths_are_round() {
        assert_eq!(nice_length(1234.0), 1000.0);
        assert_eq!(nice_length(2600.0), 2000.0);
        assert_eq!(nice_length(740.0), 500.0);
    }

    #[test]
    fn data_scripts_keep_separators_and_tags_inert() {
        let script = String::from_utf8(data_script("k", &["a\u{2028}</script>\u{202E}\u{1}&"])).unwrap();
        assert_eq!(script, "(window.alimapDonnees=window.alimapDonnees||{})[\"k\"]=[\"a\\u2028\\u003c/script>&\"];\n");
    }
}
