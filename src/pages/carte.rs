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
    /// Empty when every point of the list is in one commune: a one-commune
    /// territory does not repeat its name after each point.
    pub commune: String,
    pub href: String,
}

pub(crate) fn static_view(t: &Territoire, points: &[&Lieu], root: &str, tr: &Tr<'_>) -> StaticMapView {
    let points = crate::site::index::map_order(points);
    let one_commune = points.windows(2).all(|w| w[0].adresse.commune == w[1].adresse.commune);
    let lieux: Vec<NumberedPoint> = points
        .iter()
        .enumerate()
        .map(|(i, l)| NumberedPoint {
            numero: i + 1,
            nom: l.nom.clone(),
            commune: if one_commune { String::new() } else { l.adresse.commune.clone() },
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

/// A marker's radius and the size of its number, in SVG units: two digits
/// fit a radius of 10 at 12 units, three a radius of 12 at 11 units. The
/// map is at most 512 units wide and 860 tall with its insets; printed on
/// A4 (at most 25 cm high, the print style), 11 units stay above 3 mm
/// (9 pt), and above 3.8 mm (11 pt) for a map without insets.
fn marker_size(n: usize) -> (f64, f64) {
    if n >= 100 { (12.0, 11.0) } else { (10.0, 12.0) }
}

/// The static map of a territory: its perimeter and its points, numbered
/// 1, 2, 3… in the order given (use [`crate::site::index::map_order`]),
/// with a title and a description for screen readers, a scale bar and a
/// north mark. Markers never cover one another (see [`spread`]): points
/// closer than a marker's width are drawn apart, each with a leader line to
/// a dot at its position; where they are too many for the map's scale, an
/// inset shows the crowded area larger (see [`Inset`]). Colours are
/// presentation attributes, not CSS, so the file looks the same inline,
/// alone, and on paper. Only arithmetic and fixed-precision formatting:
/// the same points give the same bytes.
pub(crate) fn svg_map(t: &Territoire, points: &[&Lieu], tr: &Tr<'_>) -> Html {
    StaticMap::new(t, points).svg(t, points, tr)
}

/// A territory's static map laid out, in no language: where each marker
/// goes, on the map or in an inset ([`StaticMap::svg`] writes it in one).
pub(crate) struct StaticMap {
    p: Projection,
    /// Markers' radius and font size.
    r: f64,
    font: f64,
    /// Points' positions on the map, their markers, and the inset holding
    /// each, if any.
    spots: Vec<(f64, f64)>,
    placed: Vec<Placed>,
    insets: Vec<Inset>,
    panel: Vec<Option<usize>>,
}

impl StaticMap {
    /// The layout of `points`, in the order they are numbered.
    pub(crate) fn new(t: &Territoire, points: &[&Lieu]) -> StaticMap {
        let mut bbox = t.perimetre.bbox;
        for l in points {
            bbox = geo::Rect::new(
                Coord { x: bbox.min().x.min(l.longitude), y: bbox.min().y.min(l.latitude) },
                Coord { x: bbox.max().x.max(l.longitude), y: bbox.max().y.max(l.latitude) },
            );
        }
        let p = Projection::fit(bbox, SVG_SIZE);
        let n = points.len();
        let (r, font) = marker_size(n);
        let spots: Vec<(f64, f64)> = points.iter().map(|l| p.xy(l.longitude, l.latitude)).collect();

        // Markers on the map; where some found no room near their point, the
        // crowded areas are framed and drawn again, larger, below the map.
        let map_area = Area { x0: r + 1.0, y0: r + 1.0, x1: p.width - r - 1.0, y1: p.height - r - 1.0 };
        if n > LAYOUT_MAX {
            // More markers than the map has room for: each on its position.
            let placed = spots.iter().map(|&(x, y)| Placed { x, y, moved: false }).collect();
            return StaticMap { p, r, font, spots, placed, insets: Vec::new(), panel: vec![None; n] };
        }
        let (mut placed, crowded) = spread(&spots, r, map_area, &[]);
        let map_bottom = (p.height + SVG_FOOTER).ceil();
        let insets = insets(&spots, &crowded, r, p.width, map_bottom);
        // Each point's panel: the first inset holding it, or the map (`None`).
        let panel: Vec<Option<usize>> = spots.iter().map(|&spot| insets.iter().position(|i| i.holds(spot))).collect();
        if !insets.is_empty() {
            let labels: Vec<(f64, f64, f64)> = insets.iter().map(|i| i.label(r)).collect();
            for k in std::iter::once(None).chain((0..insets.len()).map(Some)) {
                let members: Vec<usize> = (0..n).filter(|&i| panel[i] == k).collect();
                let (here, area, obstacles) = match k {
                    None => (members.iter().map(|&i| spots[i]).collect::<Vec<_>>(), map_area, labels.clone()),
                    Some(k) => {
                        let inset = &insets[k];
                        (
                            members.iter().map(|&i| inset.to_inset(spots[i])).collect(),
                            inset.area(r),
                            vec![inset.letter_box(r)],
                        )
                    }
                };
                let (laid, _) = spread(&here, r, area, &obstacles);
                for (m, &i) in members.iter().enumerate() {
                    placed[i] = laid[m];
                }
            }
        }
        StaticMap { p, r, font, spots, placed, insets, panel }
    }

    /// The map in `tr`'s language; `points` are those it was laid out for.
    pub(crate) fn svg(&self, t: &Territoire, points: &[&Lieu], tr: &Tr<'_>) -> Html {
        let StaticMap { p, r, font, spots, placed, insets, panel } = self;
        let (r, font, n) = (*r, *font, points.len());
        let map_bottom = (p.height + SVG_FOOTER).ceil();
        // Where each point is in the drawing: on the map, or in its inset.
        let position = |i: usize| match panel[i] {
            Some(k) => insets[k].to_inset(spots[i]),
            None => spots[i],
        };
        let width = insets.iter().map(|i| i.fx + i.frame().0 + SVG_MARGIN).fold(p.width, f64::max).ceil();
        let height =
            insets.iter().map(|i| i.fy + i.frame().1 + SVG_FOOTER).fold(p.height + SVG_FOOTER, f64::max).ceil();
        let id = &t.id;
        let mut s = String::with_capacity(4096 + n * 240);
        s.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"carte-statique\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"carte-{id}-titre carte-{id}-desc\" font-family=\"sans-serif\">\n"
    ));
        let titre = tr.format("carte.titre", &[("nom", &t.nom)]);
        s.push_str(&format!("<title id=\"carte-{id}-titre\">{}</title>\n", escape_html(&titre)));
        let mut desc = tr.plural("carte.description", n, &[("nom", &t.nom)]);
        if placed.iter().any(|m| m.moved) {
            desc.push(' ');
            desc.push_str(tr.text("carte.ecartes"));
        }
        if !insets.is_empty() {
            desc.push(' ');
            desc.push_str(tr.text(if insets.len() == 1 { "carte.encart" } else { "carte.encarts" }));
        }
        s.push_str(&format!("<desc id=\"carte-{id}-desc\">{}</desc>\n", escape_html(&desc)));
        s.push_str(&format!("<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>\n"));
        s.push_str(&format!(
        "<path d=\"{}\" fill=\"#eef3f8\" fill-rule=\"evenodd\" stroke=\"#1d4e89\" stroke-width=\"2\" stroke-linejoin=\"round\"/>\n",
        outline(t, p, |x, y| (x, y))
    ));
        s.push_str(&scale_bar(p.metres_per_unit(), SVG_MARGIN, p.width.ceil(), map_bottom - 10.0, tr));
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\" fill=\"#222222\">{} ↑</text>\n",
            p.width - SVG_MARGIN,
            map_bottom - 11.0,
            escape_html(tr.text("carte.nord")),
        ));

        for inset in insets {
            let (w, h) = inset.frame();
            let (fx, fy) = (inset.fx, inset.fy);
            // The framed area on the map, labelled as the inset is.
            let (x, y, fw, fh) = inset.shown();
            s.push_str(&format!(
            "<g class=\"encart-cadre\"><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{fw:.1}\" height=\"{fh:.1}\" fill=\"none\" stroke=\"#222222\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>{}</g>\n",
            letter(inset.label(r), inset.letter),
        ));
            let clip = format!("carte-{id}-encart-{}", inset.letter.to_ascii_lowercase());
            s.push_str(&format!(
            "<g class=\"encart\"><clipPath id=\"{clip}\"><rect x=\"{fx:.1}\" y=\"{fy:.1}\" width=\"{w:.1}\" height=\"{h:.1}\"/></clipPath><rect x=\"{fx:.1}\" y=\"{fy:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"#ffffff\"/><path d=\"{}\" clip-path=\"url(#{clip})\" fill=\"#eef3f8\" fill-rule=\"evenodd\" stroke=\"#1d4e89\" stroke-width=\"2\" stroke-linejoin=\"round\"/><rect x=\"{fx:.1}\" y=\"{fy:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"none\" stroke=\"#222222\" stroke-width=\"1.5\"/>{}</g>\n",
            outline(t, p, |x, y| inset.to_inset((x, y))),
            letter(inset.letter_box(r), inset.letter),
        ));
            s.push_str(&scale_bar(p.metres_per_unit() / inset.zoom, fx, w, (fy + h + SVG_FOOTER).ceil() - 10.0, tr));
        }

        // Leader lines from each point drawn apart to a dot at its position,
        // under every marker.
        let moved: Vec<usize> = (0..n).filter(|&i| placed[i].moved).collect();
        if !moved.is_empty() {
            s.push_str("<g class=\"reperes\" stroke=\"#222222\" stroke-width=\"1.2\">");
            for &i in &moved {
                let (x, y) = position(i);
                s.push_str(&format!(
                    "<line data-repere=\"{}\" x1=\"{x:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>",
                    i + 1,
                    placed[i].x,
                    placed[i].y
                ));
            }
            let mut seen = std::collections::BTreeSet::new();
            for &i in &moved {
                let (x, y) = position(i);
                let at = format!("cx=\"{x:.1}\" cy=\"{y:.1}\"");
                if seen.insert(at.clone()) {
                    s.push_str(&format!("<circle class=\"position\" {at} r=\"{DOT}\" fill=\"#222222\" stroke=\"#ffffff\" stroke-width=\"1\"/>"));
                }
            }
            s.push_str("</g>\n");
        }

        // Markers: a disc with its number, larger when numbers get longer.
        for (i, l) in points.iter().enumerate() {
            let Placed { x, y, .. } = placed[i];
            let num = i + 1;
            s.push_str(&format!(
            "<g data-numero=\"{num}\" data-lieu=\"{}\"><title>{num}. {}</title><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r}\" fill=\"#1d4e89\" stroke=\"#ffffff\" stroke-width=\"1.5\"/><text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"{font}\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#ffffff\">{num}</text></g>\n",
            escape_html(&l.id),
            escape_html(&l.nom),
            y + font * 0.35,
        ));
        }
        s.push_str("</svg>\n");
        // Literal markup and numbers around escaped texts.
        Html::trusted(s)
    }
}

/// The territory's outline as a path, projected then moved by `to` (the
/// map itself, or its inset), simplified to half a unit: finer detail
/// cannot be seen.
fn outline(t: &Territoire, p: &Projection, to: impl Fn(f64, f64) -> (f64, f64)) -> String {
    let mut d = String::new();
    for poly in &t.perimetre.shape.0 {
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            let projected: LineString<f64> = ring
                .coords()
                .map(|c| {
                    let (x, y) = p.xy(c.x, c.y);
                    Coord::from(to(x, y))
                })
                .collect();
            let simple = projected.simplify(0.5);
            let ring = if simple.0.len() >= 4 { &simple } else { &projected };
            for (i, c) in ring.coords().enumerate() {
                d.push(if i == 0 { 'M' } else { 'L' });
                d.push_str(&format!("{:.1} {:.1}", c.x, c.y));
            }
            d.push('Z');
        }
    }
    d
}

/// A scale bar from `x0`, its baseline at `y0`: the longest round length
/// under a fifth of the drawing's `width`, at `per_unit` metres per unit.
fn scale_bar(per_unit: f64, x0: f64, width: f64, y0: f64, tr: &Tr<'_>) -> String {
    let metres = nice_length(per_unit * width / 5.0);
    let bar = metres / per_unit;
    let label = if metres >= 1000.0 {
        tr.format("carte.km", &[("n", &tr.decimal(metres / 1000.0))])
    } else {
        tr.format("carte.m", &[("n", &tr.decimal(metres))])
    };
    format!(
        "<g class=\"echelle\"><path d=\"M{x0:.1} {:.1}V{y0:.1}H{:.1}V{:.1}\" fill=\"none\" stroke=\"#222222\" stroke-width=\"2\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#222222\">{}</text></g>\n",
        y0 - 6.0,
        x0 + bar,
        y0 - 6.0,
        x0 + bar + 6.0,
        y0 - 1.0,
        escape_html(&label),
    )
}

/// An inset's letter in a white box centred on (x, y).
fn letter((x, y, _): (f64, f64, f64), letter: char) -> String {
    format!(
        "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"16\" height=\"16\" fill=\"#ffffff\" stroke=\"#222222\" stroke-width=\"1.5\"/><text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"12\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#222222\">{letter}</text>",
        x - 8.0,
        y - 8.0,
        y + 4.2,
    )
}

// ------------------------------------------------------------ marker layout

/// Room between the edges of two markers, or of a marker and a dot.
const GAP: f64 = 3.0;
/// Radius of the dot at the position of a point drawn apart.
const DOT: f64 = 2.5;
/// Rings of places tried around a point before its area counts as crowded.
const RINGS: i32 = 2;
/// Rings tried for a crowded point left on the map.
const RINGS_FAR: i32 = 6;
/// A map of 480 units holds about 500 markers: above this many points,
/// each stays on its position, without a layout that cannot succeed.
const LAYOUT_MAX: usize = 600;
/// Crowded points beyond this many are more than the map has room for:
/// they stay on their position, without a search that would find nothing.
const FAR_MAX: usize = 300;
/// The inset's largest size and its useful magnifications.
const INSET_WIDTH: f64 = SVG_SIZE;
const INSET_HEIGHT: f64 = 280.0;
const INSET_ZOOM: (f64, f64) = (2.0, 8.0);
/// At most this many insets, side by side.
const INSETS: usize = 2;

/// Where a marker is drawn, and whether it left its point's position (it
/// then has a leader line to it).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Placed {
    x: f64,
    y: f64,
    moved: bool,
}

/// Bounds for the centres of markers.
#[derive(Clone, Copy)]
struct Area {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Area {
    fn holds(&self, x: f64, y: f64) -> bool {
        (self.x0..=self.x1).contains(&x) && (self.y0..=self.y1).contains(&y)
    }
}

/// Discs already drawn (markers, dots, labels), found by square cells at
/// least as wide as the room any two of them need.
struct Discs {
    cell: f64,
    cols: usize,
    rows: usize,
    discs: Vec<(f64, f64, f64)>,
    cells: Vec<Vec<usize>>,
}

impl Discs {
    /// Cells over (0, 0)–`extent`; a disc outside counts in the nearest
    /// cell, which keeps every disc within reach in the cells around.
    fn new(cell: f64, extent: (f64, f64)) -> Discs {
        let cols = ((extent.0 / cell).ceil() as usize).clamp(1, 1024);
        let rows = ((extent.1 / cell).ceil() as usize).clamp(1, 1024);
        Discs { cell, cols, rows, discs: Vec::new(), cells: vec![Vec::new(); cols * rows] }
    }
    fn key(&self, x: f64, y: f64) -> (usize, usize) {
        let clamp = |v: f64, n: usize| ((v / self.cell).floor().max(0.0) as usize).min(n - 1);
        (clamp(x, self.cols), clamp(y, self.rows))
    }
    fn add(&mut self, x: f64, y: f64, radius: f64) {
        let (i, j) = self.key(x, y);
        self.cells[j * self.cols + i].push(self.discs.len());
        self.discs.push((x, y, radius));
    }
    /// The discs in the cell of (x, y) and the eight around it.
    fn around(&self, x: f64, y: f64) -> impl Iterator<Item = usize> + '_ {
        let (i, j) = self.key(x, y);
        let (i0, i1) = (i.saturating_sub(1), (i + 1).min(self.cols - 1));
        let (j0, j1) = (j.saturating_sub(1), (j + 1).min(self.rows - 1));
        (j0..=j1)
            .flat_map(move |b| (i0..=i1).map(move |a| b * self.cols + a))
            .flat_map(|c| self.cells[c].iter().copied())
    }
    /// Whether a disc of `radius` at (x, y) keeps [`GAP`] from every disc
    /// but disc `skip`.
    fn free(&self, x: f64, y: f64, radius: f64, skip: Option<usize>) -> bool {
        self.around(x, y).filter(|&k| Some(k) != skip).all(|k| {
            let (ox, oy, or) = self.discs[k];
            let need = radius + or + GAP;
            // A hundredth of a unit for rounding on the lattice.
            (x - ox).powi(2) + (y - oy).powi(2) >= need * need - 0.01
        })
    }
}

/// The largest coordinates of `points`, at least 1.
fn extent(points: impl Iterator<Item = (f64, f64)>) -> (f64, f64) {
    points.fold((1.0, 1.0), |(x, y), p| (x.max(p.0), y.max(p.1)))
}

/// Ring `k` of the hexagonal lattice of step `d` around (x, y), clockwise
/// from north (y grows southwards): 6k places, all at least `d` apart.
fn ring(x: f64, y: f64, d: f64, k: i32) -> Vec<(f64, f64)> {
    // Axial steps: north, then every sixth of a turn clockwise.
    const STEPS: [(i32, i32); 6] = [(1, 0), (0, 1), (-1, 1), (-1, 0), (0, -1), (1, -1)];
    // √3/2: the lattice's second axis points to 60° east of north.
    let s = d * 0.866_025_403_784_438_6;
    let (mut q, mut r) = (k, 0);
    let mut places = Vec::with_capacity(6 * k as usize);
    for side in 0..6 {
        let (dq, dr) = STEPS[(side + 2) % 6];
        for _ in 0..k {
            places.push((x + f64::from(r) * s, y - f64::from(q) * d - f64::from(r) * d / 2.0));
            q += dq;
            r += dr;
        }
    }
    places
}

/// One marker per point, none covering another. Every point's position
/// is kept clear for a dot, so that a marker drawn apart can have a leader
/// line to it. First, points sit on their position where that covers no
/// other marker nor another point's dot, those with the fewest neighbours
/// (points within a marker's width) first. The others, in their order,
/// take the nearest free place of a hexagonal lattice around their
/// position, away from their neighbours first: points at one address make
/// a flower, clockwise from north, around their dot. Returns the markers,
/// in the order of `spots`, and the points that found no room within
/// [`RINGS`] rings: a crowded area. Those are still placed, further out, or
/// on their position as a last resort, when the map has more markers than
/// room. Deterministic: fixed orders, ties kept in lattice order.
fn spread(spots: &[(f64, f64)], r: f64, area: Area, obstacles: &[(f64, f64, f64)]) -> (Vec<Placed>, Vec<usize>) {
    let n = spots.len();
    let d = 2.0 * r + GAP;
    let dist2 = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).powi(2) + (a.1 - b.1).powi(2);

    // Discs 0..n are the points' dots.
    let reach = extent(
        spots.iter().copied().chain(obstacles.iter().map(|o| (o.0, o.1))).chain(std::iter::once((area.x1, area.y1))),
    );
    let mut taken = Discs::new(d, (reach.0 + d, reach.1 + d));
    for &(x, y) in spots {
        taken.add(x, y, DOT);
    }
    for &(x, y, radius) in obstacles {
        taken.add(x, y, radius);
    }
    // Each point's neighbours (itself included) and their centre.
    let centres: Vec<(f64, f64)> = spots
        .iter()
        .map(|&spot| {
            let mut near: Vec<usize> =
                taken.around(spot.0, spot.1).filter(|&k| k < n && dist2(spots[k], spot) < d * d).collect();
            near.sort_unstable();
            let k = near.len() as f64;
            (near.iter().map(|&i| spots[i].0).sum::<f64>() / k, near.iter().map(|&i| spots[i].1).sum::<f64>() / k)
        })
        .collect();
    let crowding: Vec<usize> = spots
        .iter()
        .map(|&spot| taken.around(spot.0, spot.1).filter(|&k| k < n && dist2(spots[k], spot) < d * d).count())
        .collect();

    let mut placed: Vec<Option<Placed>> = vec![None; n];
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (crowding[i], i));
    let mut apart = Vec::new();
    for i in order {
        let (x, y) = spots[i];
        if area.holds(x, y) && taken.free(x, y, r, Some(i)) {
            taken.add(x, y, r);
            placed[i] = Some(Placed { x, y, moved: false });
        } else {
            apart.push(i);
        }
    }
    apart.sort_unstable();
    let try_rings = |taken: &mut Discs, i: usize, rings: std::ops::RangeInclusive<i32>| {
        for k in rings {
            let mut places = ring(spots[i].0, spots[i].1, d, k);
            // Away from the neighbours first, to tenths of a unit so that
            // rounding never decides.
            places.sort_by_key(|&p| std::cmp::Reverse((dist2(p, centres[i]).sqrt() * 10.0).round() as i64));
            if let Some(&(x, y)) = places.iter().find(|&&(x, y)| area.holds(x, y) && taken.free(x, y, r, None)) {
                taken.add(x, y, r);
                return Some(Placed { x, y, moved: true });
            }
        }
        None
    };
    let mut crowded = Vec::new();
    for &i in &apart {
        placed[i] = try_rings(&mut taken, i, 1..=RINGS);
        if placed[i].is_none() {
            crowded.push(i);
        }
    }
    for (k, &i) in crowded.iter().enumerate() {
        let (x, y) = spots[i];
        let far = if k < FAR_MAX { try_rings(&mut taken, i, RINGS + 1..=RINGS_FAR) } else { None };
        placed[i] = Some(far.unwrap_or(Placed { x, y, moved: false }));
    }
    (placed.into_iter().map(|p| p.expect("every point is placed")).collect(), crowded)
}

/// The crowded area of a map drawn again, larger, below it: the frame
/// around the crowded points on the map (`x`, `y`, `w`, `h`, in map units)
/// and where the inset is drawn (`fx`, `fy`), `zoom` times larger.
struct Inset {
    letter: char,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    zoom: f64,
    fx: f64,
    fy: f64,
}

impl Inset {
    /// The inset of a group of crowded points, with a marker's room
    /// around them, if it can be at least twice as large as on the map and
    /// at most `width` wide; its top at `top` (`fx` and `letter` are set
    /// by [`insets`]).
    fn new(spots: &[(f64, f64)], group: &[usize], r: f64, width: f64, top: f64) -> Option<Inset> {
        let first = spots[*group.first()?];
        let (mut x0, mut y0, mut x1, mut y1) = (first.0, first.1, first.0, first.1);
        for &i in group {
            let (x, y) = spots[i];
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
        let pad = r;
        let (w, h) = (x1 - x0 + 2.0 * pad, y1 - y0 + 2.0 * pad);
        let m = 2.0 * SVG_MARGIN;
        let zoom = ((width - m) / w).min((INSET_HEIGHT - m) / h).min(INSET_ZOOM.1);
        (zoom >= INSET_ZOOM.0).then_some(Inset { letter: 'A', x: x0 - pad, y: y0 - pad, w, h, zoom, fx: 0.0, fy: top })
    }
    /// Whether the inset shows the place (x, y) of the map: then the
    /// point there is drawn in the inset only.
    fn holds(&self, (x, y): (f64, f64)) -> bool {
        let (x0, y0, w, h) = self.shown();
        (x0..=x0 + w).contains(&x) && (y0..=y0 + h).contains(&y)
    }
    /// Where a place of the map is in the inset, whose frame leaves a
    /// margin around the points, as the map does.
    fn to_inset(&self, (x, y): (f64, f64)) -> (f64, f64) {
        (self.fx + SVG_MARGIN + (x - self.x) * self.zoom, self.fy + SVG_MARGIN + (y - self.y) * self.zoom)
    }
    /// The inset's width and height.
    fn frame(&self) -> (f64, f64) {
        (self.w * self.zoom + 2.0 * SVG_MARGIN, self.h * self.zoom + 2.0 * SVG_MARGIN)
    }
    /// The area of the map the frame shows, margins included.
    fn shown(&self) -> (f64, f64, f64, f64) {
        let m = SVG_MARGIN / self.zoom;
        (self.x - m, self.y - m, self.w + 2.0 * m, self.h + 2.0 * m)
    }
    /// The letter's box on the map, at the frame's top left corner, as an
    /// obstacle for markers (a disc as wide as a marker).
    fn label(&self, r: f64) -> (f64, f64, f64) {
        let (x, y, _, _) = self.shown();
        (x, y, r)
    }
    /// The letter's box in the inset, inside its top left corner.
    fn letter_box(&self, r: f64) -> (f64, f64, f64) {
        (self.fx + 12.0, self.fy + 12.0, r)
    }
    /// Where the inset's markers may be.
    fn area(&self, r: f64) -> Area {
        let (w, h) = self.frame();
        Area { x0: self.fx + r + 1.0, y0: self.fy + r + 1.0, x1: self.fx + w - r - 1.0, y1: self.fy + h - r - 1.0 }
    }
    fn overlaps(&self, other: &Inset) -> bool {
        let (a, b) = (self.shown(), other.shown());
        a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
    }
}

/// The insets of a map whose `crowded` points found no room near their
/// position: the largest groups of crowded points (within four markers'
/// widths of one another, transitively), at most [`INSETS`], each drawn at
/// least twice as large, side by side below the map (`map_width` wide, its
/// footer ending at `top`) and lettered A, B… from left to right.
fn insets(spots: &[(f64, f64)], crowded: &[usize], r: f64, map_width: f64, top: f64) -> Vec<Inset> {
    let link = 4.0 * (2.0 * r + GAP);
    let mut parent: Vec<usize> = (0..crowded.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut near = Discs::new(link, extent(crowded.iter().map(|&i| spots[i])));
    for (a, &i) in crowded.iter().enumerate() {
        let (x, y) = spots[i];
        let close: Vec<usize> = near
            .around(x, y)
            .filter(|&b| (spots[crowded[b]].0 - x).powi(2) + (spots[crowded[b]].1 - y).powi(2) < link * link)
            .collect();
        for b in close {
            let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
            parent[ra.max(rb)] = ra.min(rb);
        }
        near.add(x, y, 0.0);
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (a, &i) in crowded.iter().enumerate() {
        let g = root(&mut parent, a);
        groups.entry(g).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = groups.into_values().collect();
    groups.sort_by_key(|g| (std::cmp::Reverse(g.len()), g[0]));
    // With the points they crowd (within a marker's width), if the inset
    // can still be large enough.
    let d = 2.0 * r + GAP;
    let mut all = Discs::new(d, extent(spots.iter().copied()));
    for &(x, y) in spots {
        all.add(x, y, 0.0);
    }
    let groups: Vec<(Vec<usize>, Vec<usize>)> = groups
        .into_iter()
        .map(|g| {
            let mut with: Vec<usize> = g
                .iter()
                .flat_map(|&i| {
                    all.around(spots[i].0, spots[i].1)
                        .filter(move |&j| (spots[j].0 - spots[i].0).powi(2) + (spots[j].1 - spots[i].1).powi(2) < d * d)
                })
                .collect();
            with.sort_unstable();
            with.dedup();
            (with, g)
        })
        .collect();
    // As many insets as fit, sharing the width; else fewer.
    let mut insets = Vec::new();
    for count in (1..=INSETS.min(groups.len())).rev() {
        let width = (INSET_WIDTH - SVG_MARGIN * (count - 1) as f64) / count as f64;
        insets.clear();
        for (with, g) in &groups[..count] {
            if let Some(inset) = Inset::new(spots, with, r, width, top).or_else(|| Inset::new(spots, g, r, width, top))
                && insets.iter().all(|other: &Inset| !other.overlaps(&inset))
            {
                insets.push(inset);
            }
        }
        if insets.len() == count {
            break;
        }
    }
    // Side by side, centred under the map, lettered left to right.
    let total = insets.iter().map(|i| i.frame().0).sum::<f64>() + SVG_MARGIN * insets.len().saturating_sub(1) as f64;
    let mut x = SVG_MARGIN.max((map_width - total) / 2.0).round();
    for (k, inset) in insets.iter_mut().enumerate() {
        inset.fx = x;
        inset.letter = char::from(b'A' + k as u8);
        x = (x + inset.frame().0 + SVG_MARGIN).round();
    }
    insets
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
