//! Perimeters and positions: reading a territory's GeoJSON and telling which
//! territories contain a point.
//!
//! Reading is pure (text in, shape or problems out); the caller turns the
//! problems into diagnostics naming the file.

use geo::{BoundingRect, Centroid, ClosestPoint, Distance, Haversine, Intersects};
use geo::{Coord, LineString, MultiPolygon, Point, Polygon, Rect};
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
    for g in geometries {
        match g.value {
            geojson::GeometryValue::Polygon { coordinates: rings } => polygons.push(polygon(&rings)?),
            geojson::GeometryValue::MultiPolygon { coordinates: polys } => {
                for rings in &polys {
                    polygons.push(polygon(rings)?);
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

fn polygon(rings: &[Vec<geojson::Position>]) -> Result<Polygon<f64>, String> {
    let mut lines = Vec::with_capacity(rings.len());
    for ring in rings {
        if ring.len() < 4 {
            return Err("un anneau de polygone doit avoir au moins 4 positions".into());
        }
        let coords: Vec<Coord<f64>> = ring
            .iter()
            .map(|p| match p.as_slice() {
                [x, y, ..] if x.is_finite() && y.is_finite() => Ok(Coord { x: *x, y: *y }),
                _ => Err("une position doit avoir deux nombres [longitude, latitude]".to_string()),
            })
            .collect::<Result<_, _>>()?;
        if coords.first() != coords.last() {
            return Err("un anneau de polygone doit être fermé : sa dernière position doit répéter la première".into());
        }
        for c in &coords {
            if !(-180.0..=180.0).contains(&c.x) || !(-90.0..=90.0).contains(&c.y) {
                return Err(format!("position hors limites : [{}, {}]", c.x, c.y));
            }
        }
        lines.push(LineString(coords));
    }
    let mut lines = lines.into_iter();
    let exterior = lines.next().ok_or("un polygone doit avoir au moins un anneau")?;
    Ok(Polygon::new(exterior, lines.collect()))
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
