//! Perimeters and positions: reading a territory's GeoJSON and telling which
//! territories contain a point.
//!
//! Reading is pure (text in, shape or problems out); the caller turns the
//! problems into diagnostics naming the file.

use geo::line_intersection::{LineIntersection, line_intersection};
use geo::{BoundingRect, Centroid, ClosestPoint, Distance, Haversine, Intersects};
use geo::{Coord, Line, LineString, MultiPolygon, Point, Polygon, Rect};
use geojson::GeoJson;

/// Metropolitan France and overseas départements, loosely: used to catch
/// coordinates that are plainly wrong (zero, swapped, another continent).
const FRANCE_BOXES: &[(f64, f64, f64, f64)] = &[
    // (min lon, min lat, max lon, max lat)
    (-5.8, 41.2, 9.8, 51.2),    // metropolitan France and Corsica
    (-61.9, 15.8, -60.8, 16.6), // Guadeloupe
    (-61.3, 14.3, -60.8, 14.9), // Martinique
    (-54.7, 2.0, -51.5, 6.0),   // Guyane
    (55.1, -21.5, 55.9, -20.8), // La Réunion
    (44.9, -13.1, 45.4, -12.5), // Mayotte
    (-56.5, 46.7, -56.1, 47.2), // Saint-Pierre-et-Miquelon
];

pub fn in_france(lat: f64, lon: f64) -> bool {
    FRANCE_BOXES.iter().any(|&(x0, y0, x1, y1)| (x0..=x1).contains(&lon) && (y0..=y1).contains(&lat))
}

/// Most polygons in a perimeter: a département with its islands has a few
/// hundred; more is a file cut into pieces, which would be slow to test
/// every point against and heavy on every map.
pub const MAX_POLYGONS: usize = 1_000;

/// Most positions in a perimeter, all polygons together: every point of the
/// site is tested against them. A département at a metre's precision has a
/// few tens of thousands.
pub const MAX_POSITIONS: usize = 200_000;

/// A territory's outline: one or more polygons, in WGS 84 (lon, lat).
#[derive(Clone, Debug)]
pub struct Perimeter {
    pub shape: MultiPolygon<f64>,
    pub bbox: Rect<f64>,
}

impl Perimeter {
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        let p = Point::new(lon, lat);
        self.bbox.intersects(&p) && self.shape.intersects(&p)
    }

    /// Distance in metres from a point to the nearest edge of the perimeter
    /// (zero inside).
    pub fn distance_m(&self, lat: f64, lon: f64) -> f64 {
        let p = Point::new(lon, lat);
        if self.contains(lat, lon) {
            return 0.0;
        }
        match self.shape.closest_point(&p) {
            geo::Closest::Intersection(q) | geo::Closest::SinglePoint(q) => Haversine.distance(p, q),
            geo::Closest::Indeterminate => f64::INFINITY,
        }
    }

    /// Centre of the perimeter as (lat, lon).
    pub fn centre(&self) -> (f64, f64) {
        let c = self.shape.centroid().unwrap_or_else(|| self.bbox.center().into());
        (c.y(), c.x())
    }
}

/// Distance in metres between two (lat, lon) positions, on the sphere.
pub fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    Haversine.distance(Point::new(a.1, a.0), Point::new(b.1, b.0))
}

/// Reads a perimeter from GeoJSON text: a geometry, a feature or a feature
/// collection, whose geometries are all Polygon or MultiPolygon.
/// Errors are French sentences for the volunteer.
pub fn parse_perimeter(text: &str) -> Result<Perimeter, String> {
    // JSON syntax first, to point at the line in French; then GeoJSON.
    let json: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "ce fichier n’est pas du JSON valide (ligne {}, colonne {}) : vérifiez les crochets, les accolades et les virgules",
            e.line(),
            e.column()
        )
    })?;
    let gj: GeoJson =
        serde_json::from_value(json).map_err(|e| format!("ce fichier n’est pas du GeoJSON valide ({e})"))?;
    let geometries: Vec<geojson::Geometry> = match gj {
        GeoJson::Geometry(g) => vec![g],
        GeoJson::Feature(f) => f.geometry.into_iter().collect(),
        GeoJson::FeatureCollection(fc) => fc.features.into_iter().filter_map(|f| f.geometry).collect(),
    };
    let mut polygons = Vec::new();
    let counted = |polygons: &Vec<Polygon<f64>>| -> Result<(), String> {
        let positions: usize = polygons
            .iter()
            .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
            .sum();
        if polygons.len() > MAX_POLYGONS {
            return Err(format!(
                "ce périmètre a plus de {MAX_POLYGONS} polygones ; regroupez ou supprimez les plus petits (îlots), par exemple avec mapshaper : `-filter-islands min-area=10000`"
            ));
        }
        if positions > MAX_POSITIONS {
            return Err(format!(
                "ce périmètre a {positions} positions, pour {MAX_POSITIONS} au plus ; simplifiez-le, par exemple avec mapshaper : `-simplify 10%`"
            ));
        }
        Ok(())
    };
    for g in geometries {
        match g.value {
            geojson::GeometryValue::Polygon { coordinates: rings } => {
                polygons.push(polygon(&rings, polygons.len() + 1)?);
                counted(&polygons)?;
            }
            geojson::GeometryValue::MultiPolygon { coordinates: polys } => {
                for rings in &polys {
                    polygons.push(polygon(rings, polygons.len() + 1)?);
                    counted(&polygons)?;
                }
            }
            other => {
                return Err(format!(
                    "un périmètre doit être un Polygon ou un MultiPolygon, pas un {}",
                    other.type_name()
                ));
            }
        }
    }
    if polygons.is_empty() {
        return Err("ce périmètre ne contient aucun polygone".into());
    }
    let shape = MultiPolygon(polygons);
    let bbox = shape.bounding_rect().ok_or("ce périmètre est vide")?;
    let (c_lon, c_lat) = (bbox.center().x, bbox.center().y);
    if !in_france(c_lat, c_lon) {
        if in_france(c_lon, c_lat) {
            return Err("les coordonnées semblent inversées : GeoJSON attend la longitude avant la latitude ([2.35, 48.85], pas [48.85, 2.35])".into());
        }
        return Err(format!(
            "ce périmètre est hors de France (centre : longitude {c_lon:.4}, latitude {c_lat:.4}) ; GeoJSON attend des coordonnées WGS 84 en degrés, longitude d’abord"
        ));
    }
    Ok(Perimeter { shape, bbox })
}

/// One commune read from a communes file: INSEE code (when given), name,
/// perimeter.
pub type CommuneShape = (Option<String>, String, Perimeter);

/// Reads a territory's communes: a GeoJSON `FeatureCollection` (or one
/// `Feature`) whose features each carry a `nom` property, an optional
/// `code` (INSEE) and a Polygon or MultiPolygon geometry. Sorted by name,
/// then code, so that pages do not depend on the order of the file.
pub fn parse_communes(text: &str) -> Result<Vec<CommuneShape>, String> {
    let gj: GeoJson = text.parse().map_err(|e| format!("ce fichier n’est pas du GeoJSON valide ({e})"))?;
    let features = match gj {
        GeoJson::Feature(f) => vec![f],
        GeoJson::FeatureCollection(fc) => fc.features,
        GeoJson::Geometry(_) => {
            return Err(
                "un fichier de communes doit être une FeatureCollection dont chaque Feature a une propriété `nom`"
                    .into(),
            );
        }
    };
    let mut out = Vec::with_capacity(features.len());
    for (i, f) in features.into_iter().enumerate() {
        let prop = |k: &str| {
            f.properties.as_ref().and_then(|p| p.get(k)).and_then(|v| match v {
                serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
        };
        let nom = prop("nom").ok_or_else(|| format!("la commune n° {} n’a pas de propriété `nom`", i + 1))?;
        let code = prop("code");
        let geometry = f.geometry.ok_or_else(|| format!("la commune « {nom} » n’a pas de géométrie"))?;
        let perimetre = parse_perimeter(&geometry.to_string()).map_err(|e| format!("commune « {nom} » : {e}"))?;
        out.push((code, nom, perimetre));
    }
    if out.is_empty() {
        return Err("ce fichier ne contient aucune commune".into());
    }
    Ok(out)
}

/// One polygon of a perimeter, `number` counting from 1 in the file, its
/// rings checked: enough positions, closed, in range, and none crossing or
/// touching itself or another ring of the polygon.
fn polygon(rings: &[Vec<geojson::Position>], number: usize) -> Result<Polygon<f64>, String> {
    let mut lines = Vec::with_capacity(rings.len());
    for (r, ring) in rings.iter().enumerate() {
        let place = ring_place(number, r);
        if ring.len() < 4 {
            return Err(format!(
                "{place} : un anneau de polygone doit avoir au moins 4 positions (il en a {})",
                ring.len()
            ));
        }
        let coords: Vec<Coord<f64>> = ring
            .iter()
            .enumerate()
            .map(|(i, p)| match p.as_slice() {
                [x, y, ..] if x.is_finite() && y.is_finite() => Ok(Coord { x: *x, y: *y }),
                _ => Err(format!(
                    "{place}, position n° {} : une position doit avoir deux nombres [longitude, latitude]",
                    i + 1
                )),
            })
            .collect::<Result<_, _>>()?;
        if coords.first() != coords.last() {
            return Err(format!(
                "{place} : un anneau de polygone doit être fermé : sa dernière position doit répéter la première ({})",
                position(coords[0])
            ));
        }
        for (i, c) in coords.iter().enumerate() {
            if !(-180.0..=180.0).contains(&c.x) || !(-90.0..=90.0).contains(&c.y) {
                return Err(format!("{place}, position n° {} hors limites : {}", i + 1, position(*c)));
            }
        }
        lines.push(LineString(coords));
    }
    if let Some(problem) = crossing(&lines) {
        return Err(format!("polygone n° {number}, {problem}"));
    }
    let mut lines = lines.into_iter();
    let exterior = lines.next().ok_or(format!("polygone n° {number} : un polygone doit avoir au moins un anneau"))?;
    Ok(Polygon::new(exterior, lines.collect()))
}

fn ring_place(polygon: usize, ring: usize) -> String {
    match ring {
        0 => format!("polygone n° {polygon}, contour extérieur"),
        n => format!("polygone n° {polygon}, trou n° {n}"),
    }
}

fn ring_name(ring: usize) -> String {
    match ring {
        0 => "le contour extérieur".into(),
        n => format!("le trou n° {n}"),
    }
}

/// `[2.35, 48.85]`, as GeoJSON writes a position, to a micro-degree (a
/// tenth of a metre).
fn position(c: Coord<f64>) -> String {
    let short = |v: f64| {
        let s = format!("{v:.6}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" { "0".to_string() } else { s.to_string() }
    };
    format!("[{}, {}]", short(c.x), short(c.y))
}

/// The first place where the rings of one polygon cross or touch
/// themselves or each other (a ring's two neighbouring edges only meet at
/// their shared position). Edges are sorted by their leftmost longitude and
/// each is compared with the edges that overlap it in longitude: about
/// linear for the outlines of places.
fn crossing(rings: &[LineString<f64>]) -> Option<String> {
    struct Edge {
        line: Line<f64>,
        ring: usize,
        /// The edge's place among its ring's edges, and their number.
        i: usize,
        of: usize,
        /// The number of its first position in the ring, from 1.
        from: usize,
    }
    let mut edges: Vec<Edge> = Vec::new();
    for (r, ring) in rings.iter().enumerate() {
        // Repeated positions make edges of no length: left out.
        let kept: Vec<(usize, Line<f64>)> = ring.lines().enumerate().filter(|(_, l)| l.start != l.end).collect();
        let of = kept.len();
        edges.extend(kept.into_iter().enumerate().map(|(i, (at, line))| Edge { line, ring: r, i, of, from: at + 1 }));
    }
    let min_x = |e: &Edge| e.line.start.x.min(e.line.end.x);
    let mut order: Vec<usize> = (0..edges.len()).collect();
    order.sort_by(|&a, &b| min_x(&edges[a]).total_cmp(&min_x(&edges[b])).then(a.cmp(&b)));
    for (k, &a) in order.iter().enumerate() {
        let ea = &edges[a];
        let max_x = ea.line.start.x.max(ea.line.end.x);
        let (lo_y, hi_y) = (ea.line.start.y.min(ea.line.end.y), ea.line.start.y.max(ea.line.end.y));
        for &b in &order[k + 1..] {
            let eb = &edges[b];
            if min_x(eb) > max_x {
                break;
            }
            if eb.line.start.y.max(eb.line.end.y) < lo_y || eb.line.start.y.min(eb.line.end.y) > hi_y {
                continue;
            }
            let Some(meet) = line_intersection(ea.line, eb.line) else { continue };
            let neighbours = ea.ring == eb.ring && (ea.i.abs_diff(eb.i) == 1 || ea.i.abs_diff(eb.i) == ea.of - 1);
            let at = match meet {
                // Neighbouring edges meet at the position they share; a hole
                // may touch the outline or another hole at one position.
                LineIntersection::SinglePoint { .. } if neighbours => continue,
                LineIntersection::SinglePoint { is_proper: false, .. } if ea.ring != eb.ring => continue,
                LineIntersection::SinglePoint { intersection, .. } => intersection,
                LineIntersection::Collinear { intersection } => intersection.start,
            };
            let (first, second) = if a < b { (ea, eb) } else { (eb, ea) };
            let (pa, pb) = (first.from, second.from);
            let what = if first.ring == second.ring {
                format!(
                    "{} se croise lui-même près de {} (entre les positions n° {pa} et n° {pb} de cet anneau) ; un contour ne doit ni se croiser ni se toucher",
                    ring_name(first.ring),
                    position(at)
                )
            } else {
                format!(
                    "{} et {} se croisent près de {} ; un trou doit rester à l’intérieur du contour sans le croiser",
                    ring_name(first.ring),
                    ring_name(second.ring),
                    position(at)
                )
            };
            return Some(what);
        }
    }
    None
}

/// A perimeter's polygons for a map drawn at `epsilon` (in the unit of the
/// coordinates, degrees or a drawing's units): each ring simplified by
/// Douglas–Peucker to `epsilon`, and the polygons and holes smaller than
/// `epsilon` across left out, since they would not show; the largest
/// polygon is always kept. The same shape gives the same result.
pub fn simplified(shape: &MultiPolygon<f64>, epsilon: f64) -> Vec<Vec<LineString<f64>>> {
    use geo::Simplify;
    let size = |r: &LineString<f64>| r.bounding_rect().map_or(0.0, |b| b.width().max(b.height()));
    let largest = shape
        .0
        .iter()
        .enumerate()
        .max_by(|a, b| size(a.1.exterior()).total_cmp(&size(b.1.exterior())).then(b.0.cmp(&a.0)))
        .map(|(i, _)| i);
    shape
        .0
        .iter()
        .enumerate()
        .filter(|(i, p)| Some(*i) == largest || size(p.exterior()) >= epsilon)
        .map(|(_, poly)| {
            std::iter::once(poly.exterior())
                .chain(poly.interiors().iter().filter(|r| size(r) >= epsilon))
                .map(|ring| {
                    let simple = ring.simplify(epsilon);
                    if simple.0.len() >= 4 { simple } else { ring.clone() }
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: &str =
        r#"{"type":"Polygon","coordinates":[[[2.0,48.0],[3.0,48.0],[3.0,49.0],[2.0,49.0],[2.0,48.0]]]}"#;

    #[test]
    fn contains_points_inside_only() {
        let p = parse_perimeter(SQUARE).unwrap();
        assert!(p.contains(48.5, 2.5));
        assert!(!p.contains(2.5, 48.5));
        assert!(!p.contains(49.5, 2.5));
        assert!(p.distance_m(49.5, 2.5) > 50_000.0);
    }

    #[test]
    fn communes_need_a_name() {
        let fc = format!(
            r#"{{"type":"FeatureCollection","features":[
            {{"type":"Feature","properties":{{"code":"93002","nom":"Zèbre"}},"geometry":{SQUARE}}},
            {{"type":"Feature","properties":{{"code":"93001","nom":"Abeille"}},"geometry":{SQUARE}}}]}}"#
        );
        let c = parse_communes(&fc).unwrap();
        assert_eq!(c.iter().map(|x| x.1.as_str()).collect::<Vec<_>>(), ["Zèbre", "Abeille"]);
        assert_eq!(c[1].0.as_deref(), Some("93001"));
        let unnamed = format!(r#"{{"type":"Feature","properties":{{}},"geometry":{SQUARE}}}"#);
        assert!(parse_communes(&unnamed).unwrap_err().contains("nom"));
        assert!(parse_communes(SQUARE).unwrap_err().contains("FeatureCollection"));
    }

    #[test]
    fn refuses_rings_that_cross_themselves_and_says_where() {
        // A bow tie: the edge from [3, 48] to [2, 49] crosses the one from
        // [3, 49] back to [2, 48].
        let bowtie = r#"{"type":"Polygon","coordinates":[[[2.0,48.0],[3.0,48.0],[2.0,49.0],[3.0,49.0],[2.0,48.0]]]}"#;
        let e = parse_perimeter(bowtie).unwrap_err();
        assert!(e.contains("polygone n° 1, le contour extérieur se croise lui-même près de [2.5, 48.5]"), "{e}");
        assert!(e.contains("positions n° 2 et n° 4"), "{e}");
        // A spike going back on itself.
        let spike = r#"{"type":"Polygon","coordinates":[[[2.0,48.0],[3.0,48.0],[3.0,49.0],[3.0,48.5],[2.0,48.0]]]}"#;
        assert!(parse_perimeter(spike).unwrap_err().contains("se croise lui-même"));
        // A hole crossing the outline, in the second polygon.
        let holed = format!(
            r#"{{"type":"MultiPolygon","coordinates":[{},[[[2.0,48.0],[3.0,48.0],[3.0,49.0],[2.0,49.0],[2.0,48.0]],[[2.5,48.5],[3.5,48.5],[3.5,48.6],[2.5,48.6],[2.5,48.5]]]]}}"#,
            &SQUARE[32..SQUARE.len() - 1]
        );
        let e = parse_perimeter(&holed).unwrap_err();
        assert!(e.contains("polygone n° 2, le contour extérieur et le trou n° 1 se croisent près de [3, 48.5"), "{e}");
        // Repeated positions, a hole inside, a triangle: valid.
        let fine = r#"{"type":"Polygon","coordinates":[[[2.0,48.0],[3.0,48.0],[3.0,48.0],[3.0,49.0],[2.0,49.0],[2.0,48.0]],[[2.4,48.4],[2.6,48.4],[2.5,48.6],[2.4,48.4]]]}"#;
        assert!(parse_perimeter(fine).is_ok());
    }

    #[test]
    fn simplification_drops_what_would_not_show_and_keeps_the_largest() {
        let square = |x: f64, side: f64| {
            Polygon::new(
                LineString::from(vec![
                    (x, 48.0),
                    (x + side, 48.0),
                    (x + side, 48.0 + side),
                    (x, 48.0 + side),
                    (x, 48.0),
                ]),
                vec![],
            )
        };
        let mut polys = vec![square(2.0, 0.5)];
        polys.extend((0..100).map(|i| square(3.0 + i as f64 * 0.01, 0.001)));
        let shape = MultiPolygon(polys);
        assert_eq!(simplified(&shape, 0.01).len(), 1);
        assert_eq!(simplified(&shape, 0.0001).len(), 101);
        let tiny = MultiPolygon(vec![square(2.0, 0.001)]);
        assert_eq!(simplified(&tiny, 0.01).len(), 1);
    }

    #[test]
    fn refuses_swapped_open_and_wrong_geometries() {
        let swapped = r#"{"type":"Polygon","coordinates":[[[48.0,2.0],[48.0,3.0],[49.0,3.0],[49.0,2.0],[48.0,2.0]]]}"#;
        assert!(parse_perimeter(swapped).unwrap_err().contains("inversées"));
        let open = r#"{"type":"Polygon","coordinates":[[[2.0,48.0],[3.0,48.0],[3.0,49.0],[2.0,49.0]]]}"#;
        assert!(parse_perimeter(open).unwrap_err().contains("fermé"));
        let point = r#"{"type":"Point","coordinates":[2.0,48.0]}"#;
        assert!(parse_perimeter(point).unwrap_err().contains("Point"));
        assert!(parse_perimeter("{").unwrap_err().contains("JSON valide (ligne 1"));
        let empty = r#"{"type":"FeatureCollection","features":[]}"#;
        assert!(parse_perimeter(empty).unwrap_err().contains("aucun polygone"));
    }
}
