//! Maps: the static SVG map of each territory and its numbered list, the
//! GeoJSON open data, the interactive map's data files and the pages'
//! security policy for tiles.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::support::*;

/// Values of `attr="…"` in order of appearance.
fn attr_values(text: &str, attr: &str) -> Vec<String> {
    let needle = format!("{attr}=\"");
    text.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &text[i + needle.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let i = text.find(start).unwrap_or_else(|| panic!("no {start:?}")) + start.len();
    let j = text[i..].find(end).unwrap_or_else(|| panic!("no {end:?} after {start:?}")) + i;
    &text[i..j]
}

fn territory_ids(built: &Built) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(built.out().join("territoires"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".html").map(str::to_string))
        .collect();
    ids.sort();
    ids
}

#[test]
fn static_map_numbers_every_point_of_a_territory_as_the_list_beside_it() {
    let built = build_site(&repo());
    assert!(!built.report.diagnostics.has_errors(), "{}", built.diagnostics());
    let ids = territory_ids(&built);
    assert_eq!(ids.len(), 8);
    for id in &ids {
        let page = built.read(&format!("territoires/{id}.html"));
        let svg = built.read(&format!("territoires/{id}-carte.svg"));

        // The points of the territory, as its cards (grouped by kind of
        // help, so a point may appear more than once) show them.
        let cards: BTreeSet<String> = attr_values(&page, "class=\"lieu-carte\" data-lieu").into_iter().collect();
        let list = between(&page, "<ol class=\"liste-carte\"", "</ol>");
        let numbers: Vec<usize> = attr_values(list, "value").iter().map(|v| v.parse().unwrap()).collect();
        let listed: Vec<String> = attr_values(list, "href")
            .iter()
            .map(|h| h.strip_prefix("../lieux/").unwrap().strip_suffix(".html").unwrap().to_string())
            .collect();
        assert!(!listed.is_empty(), "{id}: the sample territories all have points");
        assert_eq!(numbers, (1..=listed.len()).collect::<Vec<_>>(), "{id}: the list is numbered 1…n");
        assert_eq!(listed.iter().cloned().collect::<BTreeSet<_>>(), cards, "{id}: the list holds the page's points");

        // The SVG draws one numbered marker per point, same number, same point.
        let svg_numbers: Vec<usize> = attr_values(&svg, "data-numero").iter().map(|v| v.parse().unwrap()).collect();
        let svg_points = attr_values(&svg, "data-lieu");
        assert_eq!(svg_numbers, numbers, "{id}");
        assert_eq!(svg_points, listed, "{id}: marker n is list item n");
        for n in &numbers {
            assert!(svg.contains(&format!("fill=\"#ffffff\">{n}</text>")), "{id}: number {n} is written on its marker");
        }
        // Readable without sight, with a scale, and the same in the page.
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{id}");
        assert!(svg.contains("role=\"img\""), "{id}");
        assert!(svg.contains(&format!("<title id=\"carte-{id}-titre\">Carte : ")), "{id}");
        assert!(svg.contains(&format!("numérotés de 1 à {}", listed.len())), "{id}");
        assert!(svg.contains("class=\"echelle\"") && (svg.contains(" km</text>") || svg.contains(" m</text>")), "{id}");
        assert!(page.contains(svg.trim_end()), "{id}: the page shows the same map inline");
        assert_apart(&read_map(&svg));
        // Each card carries its number on the map.
        let first = &listed[0];
        let card = between(&page, &format!("<article class=\"lieu-carte\" data-lieu=\"{first}\">"), "</article>");
        assert!(card.contains("Repère n° 1 sur la carte"), "{id}: {card}");
    }
}

#[test]
fn static_map_projects_points_inside_the_drawn_perimeter_box_north_up() {
    let built = build_site(&fixture("build/minimal"));
    let svg = built.read("territoires/ville-test-carte.svg");
    // Ville-Test is the box lon 2.30–2.40, lat 48.90–48.96; the épicerie
    // (48.93, 2.35) is in its middle and the meal (further north) above it.
    let view: Vec<f64> = between(&svg, "viewBox=\"", "\"").split(' ').map(|v| v.parse().unwrap()).collect();
    let cx = |id: &str| -> (f64, f64) {
        let g = between(&svg, &format!("data-lieu=\"{id}\">"), "</g>");
        (attr_values(g, "cx")[0].parse().unwrap(), attr_values(g, "cy")[0].parse().unwrap())
    };
    let (x, y) = cx("epicerie-nord");
    assert!((x - view[2] / 2.0).abs() < 2.0, "{x} is the middle of {view:?}");
    let repas = std::fs::read_to_string(fixture("build/minimal/content/lieux/nord/repas-du-soir.toml")).unwrap();
    let lat: f64 = between(&repas, "latitude = ", "\n").parse().unwrap();
    let (_, y2) = cx("repas-du-soir");
    assert_eq!(lat > 48.93, y2 < y, "north is up");
}

/// Checks the rules of RFC 7946 that matter to a reuser; returns the
/// features.
fn check_rfc7946(name: &str, text: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(v["type"], "FeatureCollection", "{name}");
    assert!(v.get("crs").is_none(), "{name}: RFC 7946 has no crs member (WGS 84 only)");
    let features = v["features"].as_array().unwrap_or_else(|| panic!("{name}: features is an array")).clone();
    let position = |p: &Value| {
        let p = p.as_array().unwrap();
        assert_eq!(p.len(), 2, "{name}: [longitude, latitude]");
        let (lon, lat) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
        assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat), "{name}: {lon} {lat}");
        // The sample is in Île-de-France: longitude about 2, latitude about 48.
        assert!((1.0..4.0).contains(&lon) && (48.0..50.0).contains(&lat), "{name}: longitude first: {p:?}");
        (lon, lat)
    };
    for f in &features {
        assert_eq!(f["type"], "Feature", "{name}");
        assert!(f.get("crs").is_none(), "{name}");
        assert!(f["properties"].is_object(), "{name}");
        let g = &f["geometry"];
        match g["type"].as_str().unwrap() {
            "Point" => {
                position(&g["coordinates"]);
            }
            "MultiPolygon" => {
                for polygon in g["coordinates"].as_array().unwrap() {
                    for (i, ring) in polygon.as_array().unwrap().iter().enumerate() {
                        let ring: Vec<(f64, f64)> = ring.as_array().unwrap().iter().map(position).collect();
                        assert!(ring.len() >= 4, "{name}: a ring has at least four positions");
                        assert_eq!(ring.first(), ring.last(), "{name}: rings are closed");
                        // Shoelace: positive is counterclockwise.
                        let area: f64 = ring.windows(2).map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1).sum();
                        assert_eq!(area > 0.0, i == 0, "{name}: exterior counterclockwise, holes clockwise");
                    }
                }
            }
            other => panic!("{name}: unexpected geometry {other}"),
        }
    }
    features
}

#[test]
fn territory_geojson_follows_rfc_7946_with_what_a_reuser_needs() {
    let built = build_site(&repo());
    // Every GeoJSON export describes a point the same way.
    let all: serde_json::Value = serde_json::from_str(&built.read("donnees/lieux.geojson")).unwrap();
    let everywhere: BTreeMap<&str, &Value> =
        all["features"].as_array().unwrap().iter().map(|f| (f["id"].as_str().unwrap(), f)).collect();
    for id in territory_ids(&built) {
        let name = format!("donnees/territoires/{id}.geojson");
        let features = check_rfc7946(&name, &built.read(&name));
        for f in &features {
            let point = f["id"].as_str().unwrap();
            assert_eq!(Some(&f), everywhere.get(point), "{name}: {point} as in donnees/lieux.geojson");
            assert!(f["properties"]["territoires"].as_array().unwrap().iter().any(|t| t == id.as_str()), "{name}");
        }
        let svg_points = attr_values(&built.read(&format!("territoires/{id}-carte.svg")), "data-lieu");
        let ids: BTreeSet<&str> = features.iter().map(|f| f["id"].as_str().unwrap()).collect();
        assert_eq!(ids, svg_points.iter().map(String::as_str).collect(), "{name}: the territory's points");
        for f in &features {
            let p = &f["properties"];
            let point = p["id"].as_str().unwrap();
            for key in ["nom", "adresse", "code_postal", "commune", "frais", "date_maj"] {
                assert!(p[key].is_string(), "{name}: {point} has {key}");
            }
            assert!(p["services"].as_array().is_some_and(|s| !s.is_empty()), "{name}: {point}");
            assert!(p["acces"].as_array().is_some_and(|s| !s.is_empty()), "{name}: {point}");
            assert!(p.get("horaires_accueil").is_some() && p.get("conditions_acces").is_some(), "{name}: {point}");
            let url = format!("https://exemple.alimap.fr/lieux/{point}.html");
            assert_eq!(p["url"], url.as_str(), "{name}: absolute page address");
            // The page that the URL names exists, and shows the same place.
            let page = built.read(&format!("lieux/{point}.html"));
            let c = f["geometry"]["coordinates"].as_array().unwrap();
            let geo = format!("geo:{:.6},{:.6}", c[1].as_f64().unwrap(), c[0].as_f64().unwrap());
            assert!(page.contains(&geo), "{name}: {point} is at {geo} on its page");
        }
        let name = format!("donnees/territoires/{id}-perimetre.geojson");
        let features = check_rfc7946(&name, &built.read(&name));
        assert_eq!(features.len(), 1, "{name}");
        assert_eq!(features[0]["properties"]["id"], id.as_str(), "{name}");
    }
}

/// The object a map data file assigns, and its key.
fn map_data(script: &str) -> (String, Value) {
    let rest = script.strip_prefix("(window.alimapDonnees=window.alimapDonnees||{})[").expect("assigns the global");
    let (key, json) = rest.split_once("]=").unwrap();
    let json = json.trim_end().strip_suffix(';').unwrap();
    (serde_json::from_str(key).unwrap(), serde_json::from_str(json).unwrap())
}

/// Point numbers of map data: gaps in base 36.
fn numbers(data: &Value) -> Vec<usize> {
    let mut n = 0;
    let s = data["numeros"].as_str().unwrap();
    s.split(',')
        .filter(|g| !g.is_empty())
        .map(|g| {
            n += usize::from_str_radix(g, 36).unwrap();
            n
        })
        .collect()
}

/// The popup texts of point `n`: `[id, name, today's hours, conditions]`.
fn fiche(built: &Built, per_block: usize, n: usize) -> Value {
    let (key, block) = map_data(&built.read(&format!("assets/carte/fiches/{}.js", n / per_block)));
    assert_eq!(key, format!("fiches/{}", n / per_block));
    block[n % per_block].clone()
}

#[test]
fn map_data_of_a_territory_lists_its_points_with_hours_and_conditions_and_stays_small() {
    let built = build_site(&repo());
    for id in territory_ids(&built) {
        let path = format!("assets/carte/territoires/{id}.js");
        let script = built.read(&path);
        let (key, data) = map_data(&script);
        assert_eq!(key, format!("territoires/{id}"));
        let per_block = data["fiches"].as_u64().unwrap() as usize;
        let numbers = numbers(&data);
        assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{path}: ascending");
        for list in ["lat", "lon", "aides"] {
            assert_eq!(data[list].as_array().unwrap().len(), numbers.len(), "{path}: {list}");
        }
        // The points are those of the static map, at their place.
        let svg_points = attr_values(&built.read(&format!("territoires/{id}-carte.svg")), "data-lieu");
        let mut ids = Vec::new();
        let (mut lat, mut lon) = (0, 0);
        for (i, &n) in numbers.iter().enumerate() {
            let f = fiche(&built, per_block, n);
            let point_id = f[0].as_str().unwrap().to_string();
            lat += data["lat"][i].as_i64().unwrap();
            lon += data["lon"][i].as_i64().unwrap();
            let toml = std::fs::read_to_string(
                walkdir::WalkDir::new(repo().join("content/lieux"))
                    .into_iter()
                    .map(|e| e.unwrap().into_path())
                    .find(|p| p.file_stem().unwrap() == point_id.as_str())
                    .unwrap(),
            )
            .unwrap();
            let value = |key: &str| -> f64 { between(&toml, &format!("\n{key} = "), "\n").parse().unwrap() };
            assert_eq!(lat, (value("latitude") * 1e5).round() as i64, "{path}: {point_id}");
            assert_eq!(lon, (value("longitude") * 1e5).round() as i64, "{path}: {point_id}");
            assert!(f[2].is_string(), "{path}: today's hours");
            let conditions = f[3].as_str().unwrap();
            assert!(conditions.contains("Gratuit") || conditions.contains("Payant"), "{path}: {conditions}");
            assert!(data["aides"][i].as_u64().unwrap() > 0, "{path}: at least one kind of help");
            ids.push(point_id);
        }
        ids.sort();
        let mut expected = svg_points.clone();
        expected.sort();
        assert_eq!(ids, expected, "{path}");
        assert_eq!(data["perimetres"][0]["id"], id.as_str());
        // A few tens of kilobytes at most once compressed; uncompressed is a
        // stricter bound that needs no compressor. The benchmark measures
        // 10,000 points.
        assert!(script.len() < 30_000, "{path}: {} bytes", script.len());
    }
    let (key, data) = map_data(&built.read("assets/carte/tout.js"));
    assert_eq!(key, "tout");
    let lieux = built.report.summary.as_ref().unwrap().lieux;
    assert_eq!(numbers(&data), (0..lieux).collect::<Vec<_>>());
    assert_eq!(data["perimetres"].as_array().unwrap().len(), 8);
}

#[test]
fn pages_with_a_map_allow_the_tile_server_and_no_other_page_does() {
    let built = build_site(&repo());
    let csp =
        |page: &str| between(&built.read(page), "http-equiv=\"Content-Security-Policy\" content=\"", "\"").to_string();
    for page in ["index.html", "recherche.html", "territoires/paris.html", "lieux/ccas-agora.html"] {
        assert!(csp(page).contains("img-src 'self' data: https://tile.openstreetmap.org;"), "{page}: {}", csp(page));
        let html = built.read(page);
        // The search page asks for the map's script once its results are
        // drawn (tests/browser/maps.test.mjs); other pages load it deferred.
        let script = html.contains("assets/carte.js\" defer></script>");
        assert_eq!(script, page != "recherche.html", "{page}");
        assert!(html.contains("data-tuiles=\"https://tile.openstreetmap.org/{z}/{x}/{y}.png\""), "{page}");
        // The map is hidden until the script shows it: without script
        // there is no dead button.
        assert!(html.contains("data-carte-bloc hidden>"), "{page}");
    }
    for page in ["structures/index.html", "pages/mentions-legales.html", "404.html"] {
        assert!(csp(page).contains("img-src 'self' data:;"), "{page}: {}", csp(page));
        // No map loader; the offline script is the page's only one.
        let html = built.read(page);
        assert!(!html.contains("carte.js"), "{page}");
        let data_blocks = html.matches("<script type=\"application/json\"").count();
        assert_eq!(html.matches("<script").count() - data_blocks, 1, "{page}");
        assert!(html.contains("assets/hors-ligne.js\" defer></script>"), "{page}");
    }
}

#[test]
fn with_tiles_off_no_page_names_the_tile_server_and_maps_still_have_data() {
    let built = build_site(&fixture("maps/sans-tuiles"));
    assert!(!built.report.diagnostics.has_errors(), "{}", built.diagnostics());
    for page in ["index.html", "territoires/ville-test.html", "lieux/epicerie-nord.html"] {
        let html = built.read(page);
        assert!(html.contains("img-src 'self' data:;"), "{page}");
        assert!(!html.contains("tuiles.exemple.org") && !html.contains("data-tuiles"), "{page}");
        assert!(html.contains("data-donnees="), "{page}: the map still draws perimeters and points");
    }
    let (_, data) = map_data(&built.read("assets/carte/territoires/ville-test.js"));
    assert_eq!(numbers(&data).len(), 2);
    assert!(!data["perimetres"][0]["polygones"][0][0].as_array().unwrap().is_empty());
}

#[test]
fn hostile_names_stay_text_in_maps_and_data() {
    let built = build_site(&fixture("build/hostile"));
    assert!(!built.report.diagnostics.has_errors(), "{}", built.diagnostics());
    let svg = built.read("territoires/ville-test-carte.svg");
    for forbidden in ["<script", "<img", " onmouseover=", "<b "] {
        assert!(!svg.contains(forbidden), "svg contains {forbidden}");
    }
    let script = built.read("assets/carte/fiches/0.js");
    assert!(!script.contains('<'), "no markup can close or open a tag in the data script");
    let (_, data) = map_data(&script);
    assert!(data.as_array().unwrap().iter().any(|l| l[1].as_str().unwrap().contains("<script>")));
    check_geojson_parses(&built.read("donnees/territoires/ville-test.geojson"));
}

fn check_geojson_parses(text: &str) {
    let v: Value = serde_json::from_str(text).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
}

#[test]
fn bad_perimeters_and_tile_addresses_get_a_diagnostic_naming_the_file() {
    let root = fixture("diagnostics/perimetres");
    let built = build_site(&root);
    assert!(built.report.diagnostics.has_errors());
    assert!(!built.out().exists());
    assert_snapshot(&root.join("expected.txt"), &built.diagnostics());
    let text = built.diagnostics();
    for needle in [
        "--> content/territoires/pas-du-geojson.geojson\n",
        "pas du JSON valide (ligne 2, colonne 0)",
        "--> content/territoires/ligne.geojson\n",
        "pas un LineString",
        "--> content/territoires/inverse.geojson\n",
        "les coordonnées semblent inversées",
        "--> content/territoires/vide.geojson\n",
        "ce périmètre ne contient aucun polygone",
        "--> content/territoires/croise.geojson\n",
        "polygone n° 2, le contour extérieur se croise lui-même près de [2.55, 48.93] (entre les positions n° 2 et n° 4 de cet anneau)",
        "--> content/territoires/ouvert.geojson\n",
        "polygone n° 1, contour extérieur : un anneau de polygone doit être fermé : sa dernière position doit répéter la première ([2.3, 48.9])",
        "--> content/site.toml:6:10",
        "l’adresse des tuiles doit avoir un nom de serveur simple",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

#[test]
fn the_printable_guide_carries_the_static_map_and_its_numbered_list() {
    let built = build_site(&repo());
    for id in territory_ids(&built) {
        let guide = built.read(&format!("guide/{id}.html"));
        let page = built.read(&format!("territoires/{id}.html"));
        assert!(guide.contains("class=\"carte-statique\""), "{id}: the guide has the map, no tile needed");
        // Same numbering as the territory page, so the two can be read together.
        let numbered = |html: &str| attr_values(between(html, "<ol class=\"liste-carte\"", "</ol>"), "value");
        assert_eq!(numbered(&guide), numbered(&page), "{id}");
    }
}

type Xy = (f64, f64);

/// A numbered marker of a static map.
struct Marker {
    numero: usize,
    lieu: String,
    centre: Xy,
    r: f64,
    font: f64,
    text: String,
}

/// A static map as drawn, read back from its SVG.
struct Drawn {
    markers: Vec<Marker>,
    /// Leader lines by number: from the point's position to the marker.
    leaders: BTreeMap<usize, (Xy, Xy)>,
    /// Dots at the positions of points drawn apart: centre, radius.
    dots: Vec<((f64, f64), f64)>,
    /// Insets by letter: the frame on the map and the inset's frame, as
    /// (x, y, width, height).
    insets: BTreeMap<String, ([f64; 4], [f64; 4])>,
    /// The box of the territory's outline on the map.
    outline: [f64; 4],
    desc: String,
}

fn read_map(svg: &str) -> Drawn {
    let doc = roxmltree::Document::parse(svg).expect("the map is well-formed XML");
    let num = |n: roxmltree::Node<'_, '_>, a: &str| -> f64 {
        n.attribute(a).unwrap_or_else(|| panic!("no {a}")).parse().unwrap()
    };
    let rect = |n: roxmltree::Node<'_, '_>| [num(n, "x"), num(n, "y"), num(n, "width"), num(n, "height")];
    let mut drawn = Drawn {
        markers: Vec::new(),
        leaders: BTreeMap::new(),
        dots: Vec::new(),
        insets: BTreeMap::new(),
        outline: [0.0; 4],
        desc: String::new(),
    };
    let mut cadres = Vec::new();
    let mut encarts = Vec::new();
    for n in doc.descendants().filter(|n| n.is_element()) {
        let child = |tag: &str| n.children().find(|c| c.has_tag_name(tag)).unwrap_or_else(|| panic!("no {tag}"));
        match (n.tag_name().name(), n.attribute("class")) {
            ("desc", _) => drawn.desc = n.text().unwrap().to_string(),
            ("g", _) if n.has_attribute("data-numero") => {
                let (c, t) = (child("circle"), child("text"));
                drawn.markers.push(Marker {
                    numero: n.attribute("data-numero").unwrap().parse().unwrap(),
                    lieu: n.attribute("data-lieu").unwrap().to_string(),
                    centre: (num(c, "cx"), num(c, "cy")),
                    r: num(c, "r"),
                    font: num(t, "font-size"),
                    text: t.text().unwrap().to_string(),
                });
            }
            ("line", _) => {
                let numero = n.attribute("data-repere").unwrap().parse().unwrap();
                let ends = ((num(n, "x1"), num(n, "y1")), (num(n, "x2"), num(n, "y2")));
                assert!(drawn.leaders.insert(numero, ends).is_none(), "one leader for {numero}");
            }
            ("circle", Some("position")) => drawn.dots.push(((num(n, "cx"), num(n, "cy")), num(n, "r"))),
            ("g", Some("encart-cadre")) => {
                cadres.push((rect(child("rect")), child("text").text().unwrap().to_string()))
            }
            ("g", Some("encart")) => {
                let frame = n.children().find(|c| c.has_tag_name("rect") && c.attribute("fill") == Some("#ffffff"));
                encarts.push((rect(frame.unwrap()), child("text").text().unwrap().to_string()));
            }
            ("path", _) if n.attribute("fill") == Some("#eef3f8") && !n.has_attribute("clip-path") => {
                let v: Vec<f64> = n
                    .attribute("d")
                    .unwrap()
                    .split(|c: char| c.is_ascii_alphabetic() || c == ' ')
                    .filter(|s| !s.is_empty())
                    .map(|s| s.parse().unwrap())
                    .collect();
                let (xs, ys): (Vec<f64>, Vec<f64>) =
                    (v.iter().step_by(2).copied().collect(), v.iter().skip(1).step_by(2).copied().collect());
                let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
                let max = |v: &[f64]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                drawn.outline = [min(&xs), min(&ys), max(&xs) - min(&xs), max(&ys) - min(&ys)];
            }
            _ => {}
        }
    }
    assert_eq!(cadres.len(), encarts.len(), "each inset has its frame on the map");
    for ((cadre, a), (encart, b)) in cadres.into_iter().zip(encarts) {
        assert_eq!(a, b, "the frame and its inset have the same letter");
        drawn.insets.insert(a, (cadre, encart));
    }
    drawn
}

/// No marker of a static map covers another (white outlines of 1.5
/// included), nor a dot.
fn assert_apart(drawn: &Drawn) {
    for (i, a) in drawn.markers.iter().enumerate() {
        for b in &drawn.markers[i + 1..] {
            let d = ((a.centre.0 - b.centre.0).powi(2) + (a.centre.1 - b.centre.1).powi(2)).sqrt();
            assert!(d >= a.r + b.r + 1.5, "markers {} and {} overlap ({d:.1} apart)", a.numero, b.numero);
        }
        for &(c, r) in &drawn.dots {
            let d = ((a.centre.0 - c.0).powi(2) + (a.centre.1 - c.1).powi(2)).sqrt();
            assert!(d >= a.r + r, "marker {} covers the dot at {c:?}", a.numero);
        }
    }
}

/// Checks that a static map draws every point of `root`'s fixture, the
/// territory a box of lon 2.30–2.40 and lat 48.90–48.96: each number once,
/// readable, no marker covering another or a dot, and each marker on its
/// point's position or joined to it by a leader line. Returns the map.
fn check_layout(root: &std::path::Path, svg: &str) -> Drawn {
    let drawn = read_map(svg);
    // Coordinates are written to a tenth of a unit; an inset magnifies
    // the rounding of its frame on the map.
    let close =
        |a: (f64, f64), b: (f64, f64), zoom: f64| (a.0 - b.0).abs() <= 0.3 * zoom && (a.1 - b.1).abs() <= 0.3 * zoom;
    let numbers: Vec<usize> = drawn.markers.iter().map(|m| m.numero).collect();
    assert_eq!(numbers, (1..=numbers.len()).collect::<Vec<_>>());
    let files: BTreeSet<String> = std::fs::read_dir(root.join("content/lieux"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".toml").to_string())
        .collect();
    assert_eq!(drawn.markers.iter().map(|m| m.lieu.clone()).collect::<BTreeSet<_>>(), files, "every point, once");
    for Marker { numero, r, font, text, .. } in &drawn.markers {
        assert_eq!(text, &numero.to_string(), "the marker shows its number");
        assert!(*font >= 11.0 && *r >= 10.0, "{numero}: readable on paper");
    }
    assert_apart(&drawn);
    // Each marker is on its point's position, or has a leader line from a
    // dot there: on the map, or, for a point in an inset, in the inset.
    let [ox, oy, ow, oh] = drawn.outline;
    for Marker { numero, lieu: id, centre, r, .. } in &drawn.markers {
        let toml = std::fs::read_to_string(root.join(format!("content/lieux/{id}.toml"))).unwrap();
        let value = |key: &str| -> f64 { between(&toml, &format!("\n{key} = "), "\n").parse().unwrap() };
        let on_map = (ox + (value("longitude") - 2.30) / 0.10 * ow, oy + (48.96 - value("latitude")) / 0.06 * oh);
        let inside =
            |f: &[f64; 4], p: (f64, f64)| (f[0]..=f[0] + f[2]).contains(&p.0) && (f[1]..=f[1] + f[3]).contains(&p.1);
        let (mut position, mut zoom) = (on_map, 1.0);
        for (cadre, encart) in drawn.insets.values() {
            if inside(cadre, on_map) {
                zoom = encart[2] / cadre[2];
                position = (
                    encart[0] + (on_map.0 - cadre[0]) / cadre[2] * encart[2],
                    encart[1] + (on_map.1 - cadre[1]) / cadre[3] * encart[3],
                );
                assert!(inside(encart, *centre), "{numero}: drawn in its inset");
            } else {
                assert!(!inside(encart, *centre), "{numero}: not in an inset that does not hold it");
            }
        }
        match drawn.leaders.get(numero) {
            Some(&(from, to)) => {
                assert!(
                    close(from, position, zoom),
                    "{numero}: its leader starts at {from:?}, its position is {position:?}"
                );
                assert_eq!(to, *centre, "{numero}: its leader ends at its marker");
                assert!(drawn.dots.iter().any(|&(c, _)| c == from), "{numero}: a dot marks its position");
                let length = ((from.0 - to.0).powi(2) + (from.1 - to.1).powi(2)).sqrt();
                assert!(length > *r, "{numero}: the leader shows beyond its marker");
            }
            None => assert!(close(*centre, position, zoom), "{numero}: at {centre:?}, its position is {position:?}"),
        }
    }
    drawn
}

#[test]
fn static_map_draws_points_sharing_a_place_apart_with_leader_lines_to_it() {
    // 20 points at 5 places: six and five services at one address each,
    // four neighbours within 40 m, three at one address 220 m from two
    // others, near the northern edge.
    let root = fixture("maps/lieux-groupes");
    let built = build_site(&root);
    assert!(!built.report.diagnostics.has_errors(), "{}", built.diagnostics());
    let svg = built.read("territoires/ville-test-carte.svg");
    let drawn = check_layout(&root, &svg);
    assert_eq!(drawn.markers.len(), 20);
    // Every point shares its place: none hides the others, all are drawn
    // apart, around one dot per address.
    assert_eq!(drawn.leaders.len(), 20);
    let dots: BTreeSet<String> = drawn.dots.iter().map(|(c, _)| format!("{c:?}")).collect();
    assert_eq!(dots.len(), 1 + 1 + 4 + 1 + 1, "one dot per distinct position");
    assert!(drawn.insets.is_empty(), "five places fit the map");
    assert!(drawn.desc.contains("dessinés côte à côte, chacun relié par un trait"), "{}", drawn.desc);
    // The page and the guide show the same map; the same input gives the
    // same bytes.
    assert!(built.read("territoires/ville-test.html").contains(svg.trim_end()));
    assert!(built.read("guide/ville-test.html").contains(svg.trim_end()));
    assert_eq!(build_site(&root).read("territoires/ville-test-carte.svg"), svg);
}

#[test]
fn static_map_shows_crowded_areas_larger_in_insets_below_it() {
    // Two crowded areas (grids of 5 by 5 and 4 by 4 points 110 m apart)
    // and three points alone.
    let root = fixture("maps/lieux-denses");
    let built = build_site(&root);
    assert!(!built.report.diagnostics.has_errors(), "{}", built.diagnostics());
    let svg = built.read("territoires/ville-test-carte.svg");
    let drawn = check_layout(&root, &svg);
    assert_eq!(drawn.markers.len(), 44);
    assert_eq!(drawn.insets.keys().map(String::as_str).collect::<Vec<_>>(), ["A", "B"]);
    // Each inset holds one crowded area, larger; the points alone stay on
    // the map.
    let held = |letter: &str| -> BTreeSet<&str> {
        let (_, f) = &drawn.insets[letter];
        drawn
            .markers
            .iter()
            .filter(|m| (f[0]..=f[0] + f[2]).contains(&m.centre.0) && (f[1]..=f[1] + f[3]).contains(&m.centre.1))
            .map(|m| m.lieu.split('-').next().unwrap())
            .collect()
    };
    assert_eq!(held("A"), BTreeSet::from(["ouest"]));
    assert_eq!(held("B"), BTreeSet::from(["est"]));
    for (cadre, encart) in drawn.insets.values() {
        assert!(encart[2] / cadre[2] >= 1.5, "an inset is larger than the map: {cadre:?} {encart:?}");
        assert!(encart[1] >= drawn.outline[1] + drawn.outline[3], "below the map");
    }
    assert!(drawn.desc.contains("marqués A et B, sont agrandis sous la carte"), "{}", drawn.desc);
    assert!(built.read("territoires/ville-test.html").contains(svg.trim_end()));
}
