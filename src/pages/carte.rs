//! The maps of pages: the interactive map's `carte` view (where its script
//! and data are, the tiles' origin for the page's policy), and the static,
//! printable SVG map of a territory with the numbered list beside it. The
//! map's data files are `files::map`'s.

use std::collections::BTreeMap;

use geo::{Coord, LineString, Simplify};
use serde::Serialize;

use crate::model::{Lieu, Site, Territoire};
use crate::site::index::Index;
use crate::site::urls;
use crate::text::format::{coord, tile_origin};
use crate::text::html::{Html, escape_html};
use crate::text::i18n::Tr;

/// Width of the drawing area of the static map, in SVG units.
const SVG_SIZE: f64 = 480.0;
const SVG_MARGIN: f64 = 16.0;
/// Room below the drawing for the scale bar and the north mark.
const SVG_FOOTER: f64 = 34.0;
/// Metres in one degree of latitude (and of longitude at the equator).
const METRES_PER_DEGREE: f64 = 111_320.0;

// ------------------------------------------------------------------ tiles

/// Where a page's map finds its files.
pub(crate) struct MapPaths<'a> {
    /// Prefix to the site root, for scripts and styles.
    pub site_root: &'a str,
    /// The language's folder for map data (`""` or `"en/"`).
    pub data: &'a str,
    /// Prefix to the language's pages, for links to points.
    pub pages: &'a str,
}

/// What a page with an interactive map gives its template.
#[derive(Serialize)]
pub(crate) struct CarteView {
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
        position: lieu.map(|l| format!("{},{}", coord(l.latitude), coord(l.longitude))),
        garder: Vec::new(),
    }
}

/// The home page's map: every point and every perimeter.
pub(crate) fn home_map(site: &Site, at: &MapPaths<'_>) -> CarteView {
    carte_view(site, "tout".into(), format!("{}{}", at.site_root, urls::carte_tout(at.data)), at, None)
}

/// A territory page's map: its perimeter and its points (`lieux`, whose
/// numbers in the search index, `numbers`, give their blocks of popup
/// texts).
pub(crate) fn territory_map(
    site: &Site,
    t: &Territoire,
    lieux: &[&Lieu],
    index: &Index<'_>,
    at: &MapPaths<'_>,
) -> CarteView {
    let data = format!("{}{}", at.site_root, urls::carte_territoire(at.data, &t.id));
    let mut view = carte_view(site, format!("territoires/{}", t.id), data, at, None);
    let blocks: std::collections::BTreeSet<usize> =
        lieux.iter().filter_map(|l| index.number(&l.id)).map(|n| n / urls::FICHES).collect();
    let folder = urls::carte_fiches(at.data);
    view.garder = blocks.into_iter().map(|n| format!("{}{folder}{n}.js", at.site_root)).collect();
    view
}

/// A point's page: the map of the smallest territory holding it (its
/// neighbours give context), centred on the point.
pub(crate) fn point_map(site: &Site, index: &Index<'_>, l: &Lieu, at: &MapPaths<'_>) -> Option<CarteView> {
    let t = l.territoires.iter().min_by_key(|id| (index.territoire(id).len(), id.as_str()))?;
    let data = format!("{}{}", at.site_root, urls::carte_territoire(at.data, t));
    Some(carte_view(site, format!("territoires/{t}"), data, at, Some(l)))
}

// --------------------------------------------------------------- static map

/// Above this many points, the static map is linked as an image rather
/// than written into the page, to keep the page light.
const INLINE_MAX_POINTS: usize = 300;

/// The static map on a territory page, and the numbered list beside it.
#[derive(Serialize)]
pub(crate) struct StaticMapView {
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
pub(crate) struct NumberedPoint {
    pub numero: usize,
    pub nom: String,
    pub commune: String,
    pub href: String,
}

pub(crate) fn static_view(t: &Territoire, points: &[&Lieu], root: &str, tr: &Tr<'_>) -> StaticMapView {
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
pub(crate) fn svg_map(t: &Territoire, points: &[&Lieu], tr: &Tr<'_>) -> Html {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_lengths_are_round() {
        assert_eq!(nice_length(1234.0), 1000.0);
        assert_eq!(nice_length(2600.0), 2000.0);
        assert_eq!(nice_length(740.0), 500.0);
    }
}
