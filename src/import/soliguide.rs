//! Soliguide places read into point entries.
//!
//! The shape is that of Soliguide's public place records (`ApiPlace` in
//! its open-source repository, solinumasso/soliguide, `packages/common`):
//! `lieu_id`, `name`, `position` (`address`, `postalCode`, `city`,
//! `location.coordinates` as longitude then latitude), `newhours` (one
//! entry per day, `open` and `timeslot` [{`start`, `end`}] as `hhmm`
//! numbers, `closedHolidays`), `tempInfos` (temporary closure and hours),
//! `modalities`, `publics`, `services_all` (each with its `category`) and
//! `entity` (phones, mail, website). Hours are converted exactly; places
//! without a food service are left out.

use serde_json::{Map, Value as Json};
use toml::Value;

use super::entry::Entry;
use crate::content::schema::FileKind;
use crate::model::vocab::{Acces, Public, Service, Vocabulary};

/// Whether records look like Soliguide places.
pub fn is_soliguide(records: &[Map<String, Json>]) -> bool {
    records.first().is_some_and(|r| r.contains_key("lieu_id") || r.contains_key("newhours"))
}

/// Soliguide's food categories and alimap's kinds of help.
const CATEGORIES: &[(&str, Service)] = &[
    ("food_distribution", Service::Repas),
    ("seated_catering", Service::Repas),
    ("food_packages", Service::ColisAlimentaire),
    ("social_grocery_stores", Service::EpicerieSociale),
    ("fountain", Service::EauPotable),
    ("solidarity_fridge", Service::FrigoSolidaire),
    ("shared_kitchen", Service::AtelierCuisine),
    ("cooking_workshop", Service::AtelierCuisine),
    ("baby_parcel", Service::ColisBebe),
    ("food_voucher", Service::ChequesAlimentaires),
    ("community_garden", Service::JardinSolidaire),
];

const DAYS: [(&str, &str); 7] = [
    ("monday", "Mo"),
    ("tuesday", "Tu"),
    ("wednesday", "We"),
    ("thursday", "Th"),
    ("friday", "Fr"),
    ("saturday", "Sa"),
    ("sunday", "Su"),
];

fn text<'a>(r: &'a Map<String, Json>, key: &str) -> Option<&'a str> {
    r.get(key).and_then(Json::as_str).map(str::trim).filter(|s| !s.is_empty())
}

fn object<'a>(r: &'a Map<String, Json>, key: &str) -> Option<&'a Map<String, Json>> {
    r.get(key).and_then(Json::as_object)
}

fn checked(r: &Map<String, Json>, key: &str) -> bool {
    match r.get(key) {
        Some(Json::Bool(b)) => *b,
        Some(Json::Object(o)) => o.get("checked").and_then(Json::as_bool).unwrap_or(false),
        _ => false,
    }
}

fn list(values: &[&str]) -> Value {
    Value::Array(values.iter().map(|v| Value::String((*v).to_string())).collect())
}

/// Point entries of Soliguide places, with each place's position in the
/// file (1-based) as its row.
pub fn entries(records: &[Map<String, Json>]) -> Vec<Entry> {
    records.iter().enumerate().filter_map(|(i, r)| place(r).map(|mut e| (e.row = Some(i + 1), e).1)).collect()
}

fn place(r: &Map<String, Json>) -> Option<Entry> {
    let services = services(r);
    if services.is_empty() {
        return None;
    }
    let id = match r.get("lieu_id") {
        Some(Json::Number(n)) => n.to_string(),
        Some(Json::String(s)) => s.clone(),
        _ => text(r, "_id").unwrap_or_default().to_string(),
    };
    let mut e = Entry::new(FileKind::Lieu, format!("soliguide:{id}"));
    if let Some(n) = text(r, "name") {
        e.set("nom", n);
    }
    if let Some(org) = r
        .get("organizations")
        .and_then(Json::as_array)
        .and_then(|a| a.first())
        .and_then(|o| o.get("name"))
        .and_then(Json::as_str)
    {
        e.set("structure", org.trim());
    }
    e.set("services", list(&services.iter().map(|s| s.value()).collect::<Vec<_>>()));
    if r.get("services_all")
        .and_then(Json::as_array)
        .is_some_and(|a| a.iter().any(|s| s.get("category").and_then(Json::as_str) == Some("food_distribution")))
    {
        e.check("services", "« food_distribution » de Soliguide lu comme « repas » : ou est-ce un colis ?");
    }
    position(&mut e, r);
    if let Some(h) = object(r, "newhours") {
        match hours(h) {
            Some(oh) => e.set("horaires_accueil", oh),
            None => e.check("horaires_accueil", "aucun jour d’ouverture dans Soliguide"),
        }
    }
    temporary(&mut e, r);
    modalities(&mut e, r);
    publics(&mut e, r);
    contacts(&mut e, r);
    if let Some(l) = r.get("languages").and_then(Json::as_array) {
        let codes: Vec<&str> = l.iter().filter_map(Json::as_str).filter(|c| c.len() <= 3).collect();
        if !codes.is_empty() {
            e.set("langues", list(&codes));
        }
    }
    if let Some(d) = text(r, "description").map(html_text).filter(|d| !d.is_empty()) {
        e.set("description", d);
    }
    if let Some(d) = text(r, "updatedByUserAt").or_else(|| text(r, "updatedAt")) {
        e.set("date_maj", d.get(..10).unwrap_or(d));
    }
    Some(e)
}

/// alimap's kinds of help for a place's food services, in order.
fn services(r: &Map<String, Json>) -> Vec<Service> {
    let mut out = Vec::new();
    for s in r.get("services_all").and_then(Json::as_array).into_iter().flatten() {
        let Some(cat) = s.get("category").and_then(Json::as_str) else { continue };
        if let Some((_, k)) = CATEGORIES.iter().find(|(c, _)| *c == cat)
            && !out.contains(k)
        {
            out.push(*k);
        }
    }
    out
}

fn position(e: &mut Entry, r: &Map<String, Json>) {
    let Some(p) = object(r, "position") else { return };
    let postal = text(p, "postalCode").or_else(|| text(p, "codePostal"));
    let city = text(p, "city").or_else(|| text(p, "ville"));
    if let Some(a) = text(p, "address").or_else(|| text(p, "adresse")) {
        // « 1 Rue Montmartre, 75001 Paris »: the street alone when the
        // rest is the postal code and city given apart.
        let street = match (postal, city) {
            (Some(pc), Some(c)) => {
                let tail = format!("{pc} {c}");
                a.strip_suffix(tail.as_str()).map(|s| s.trim_end().trim_end_matches(',').trim_end()).unwrap_or(a)
            }
            _ => a,
        };
        e.set("adresse", street);
    }
    if let Some(c) = text(p, "additionalInformation").or_else(|| text(p, "complementAdresse")) {
        e.set("complement_adresse", c);
    }
    if let Some(pc) = postal {
        e.set("code_postal", pc);
    }
    if let Some(c) = city {
        e.set("commune", c);
    }
    let coords = p.get("location").and_then(|l| l.get("coordinates")).and_then(Json::as_array);
    if let Some([lon, lat]) = coords.map(Vec::as_slice)
        && let (Some(lon), Some(lat)) = (lon.as_f64(), lat.as_f64())
    {
        e.set("latitude", lat);
        e.set("longitude", lon);
    }
}

/// `930` or `"09:30"` as `09:30`.
fn time(v: &Json) -> Option<String> {
    let (h, m) = match v {
        Json::Number(n) => {
            let n = n.as_u64()?;
            (n / 100, n % 100)
        }
        Json::String(s) => {
            let (h, m) = s.trim().split_once(':')?;
            (h.parse().ok()?, m.get(..2)?.parse().ok()?)
        }
        _ => return None,
    };
    (h <= 24 && m < 60 && (h < 24 || m == 0)).then(|| format!("{h:02}:{m:02}"))
}

/// A week of Soliguide hours as `opening_hours`: days with the same slots
/// grouped (`Mo-Fr 09:00-12:00,14:00-17:00`), `PH off` when closed on
/// public holidays. `None` when no day is open.
pub fn hours(h: &Map<String, Json>) -> Option<String> {
    if h.get("h24").and_then(Json::as_bool) == Some(true) {
        return Some(holidays("24/7".to_string(), h));
    }
    let mut week: Vec<Option<String>> = Vec::new();
    for (day, _) in DAYS {
        let d = object(h, day);
        let open = d.and_then(|d| d.get("open")).and_then(Json::as_bool).unwrap_or(false);
        let slots: Vec<String> = d
            .and_then(|d| d.get("timeslot"))
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| Some(format!("{}-{}", time(s.get("start")?)?, time(s.get("end")?)?)))
            .collect();
        week.push((open && !slots.is_empty()).then(|| slots.join(",")));
    }
    let mut rules: Vec<String> = Vec::new();
    let mut i = 0;
    while i < 7 {
        let Some(slots) = &week[i] else {
            i += 1;
            continue;
        };
        let mut j = i;
        while j + 1 < 7 && week[j + 1].as_ref() == Some(slots) {
            j += 1;
        }
        let days = match j - i {
            0 => DAYS[i].1.to_string(),
            1 => format!("{},{}", DAYS[i].1, DAYS[j].1),
            _ => format!("{}-{}", DAYS[i].1, DAYS[j].1),
        };
        rules.push(format!("{days} {slots}"));
        i = j + 1;
    }
    if rules.is_empty() {
        return None;
    }
    Some(holidays(rules.join("; "), h))
}

fn holidays(rule: String, h: &Map<String, Json>) -> String {
    if text(h, "closedHolidays") == Some("CLOSED") { format!("{rule}; PH off") } else { rule }
}

/// `2024-04-01T00:00:00.000Z` as a TOML date.
fn date(v: Option<&Json>) -> Option<Value> {
    let s = v?.as_str()?;
    let d = chrono::NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
    Some(Value::Datetime(crate::text::format::iso_date(d).parse().ok()?))
}

/// A temporary closure becomes a `[[fermetures]]`; temporary hours are
/// said, to be written by hand (alimap keeps one set of hours).
fn temporary(e: &mut Entry, r: &Map<String, Json>) {
    let Some(t) = object(r, "tempInfos") else { return };
    if let Some(c) = object(t, "closure")
        && c.get("actif").and_then(Json::as_bool) == Some(true)
    {
        match (date(c.get("dateDebut")), date(c.get("dateFin"))) {
            (Some(du), Some(au)) => {
                let mut f = toml::Table::new();
                f.insert("du".into(), du);
                f.insert("au".into(), au);
                if let Some(m) = text(c, "description").map(html_text).filter(|m| !m.is_empty()) {
                    f.insert("motif".into(), Value::String(m));
                }
                e.set("fermetures", Value::Array(vec![Value::Table(f)]));
            }
            (Some(_), None) => e.check("fermetures", "fermeture temporaire sans date de fin dans Soliguide"),
            _ => {}
        }
    }
    if let Some(h) = object(t, "hours")
        && h.get("actif").and_then(Json::as_bool) == Some(true)
    {
        let when = match (text(h, "dateDebut"), text(h, "dateFin")) {
            (Some(a), Some(b)) => format!(" du {} au {}", a.get(..10).unwrap_or(a), b.get(..10).unwrap_or(b)),
            _ => String::new(),
        };
        let oh = object(h, "hours").and_then(hours).unwrap_or_else(|| "fermé".into());
        e.check("horaires_accueil", format!("horaires temporaires dans Soliguide{when} : {oh}"));
    }
}

/// `modalities`: the conditions of access, the price.
fn modalities(e: &mut Entry, r: &Map<String, Json>) {
    let Some(m) = object(r, "modalities") else { return };
    let mut acces: Vec<&str> = Vec::new();
    let mut precisions: Vec<String> = Vec::new();
    if checked(m, "inconditionnel") {
        acces.push(Acces::SansCondition.value());
    }
    for (key, a) in
        [("orientation", Acces::Orientation), ("inscription", Acces::Inscription), ("appointment", Acces::RendezVous)]
    {
        if checked(m, key) {
            acces.push(a.value());
            if let Some(p) = object(m, key).and_then(|o| text(o, "precisions")).map(html_text).filter(|p| !p.is_empty())
            {
                precisions.push(p);
            }
        }
    }
    if let Some(o) = text(m, "other").map(html_text).filter(|o| !o.is_empty()) {
        precisions.push(o);
    }
    if !acces.is_empty() {
        e.set("acces", list(&acces));
    }
    if !precisions.is_empty() {
        e.set("conditions_acces", precisions.join(" "));
    }
    if checked(m, "price") {
        e.set("frais", "payant");
        if let Some(p) = object(m, "price").and_then(|o| text(o, "precisions")).map(html_text).filter(|p| !p.is_empty())
        {
            e.set("frais_precisions", p);
        }
    } else if m.contains_key("price") {
        e.set("frais", "gratuit");
    }
    if checked(m, "pmr") {
        e.set("accessibilite_pmr", true);
    }
}

/// `publics`: everyone when welcomed unconditionally (`accueil` 0), else
/// the groups named, to check.
fn publics(e: &mut Entry, r: &Map<String, Json>) {
    let Some(p) = object(r, "publics") else { return };
    let values = |key: &str| -> Vec<&str> {
        p.get(key).and_then(Json::as_array).map(|a| a.iter().filter_map(Json::as_str).collect()).unwrap_or_default()
    };
    let mut found: Vec<Public> = Vec::new();
    if p.get("accueil").and_then(Json::as_u64).unwrap_or(0) == 0 {
        found.push(Public::TousPublics);
    } else {
        let family = values("familialle");
        if family.iter().any(|f| matches!(*f, "family" | "pregnant")) && !family.contains(&"all") {
            found.push(Public::Familles);
        }
        let gender = values("gender");
        if gender == ["women"] {
            found.push(Public::Femmes);
        }
        let admin = values("administrative");
        if admin.iter().any(|a| matches!(*a, "asylum" | "refugee" | "undocumented")) && !admin.contains(&"all") {
            found.push(Public::Exilees);
        }
        let other = values("other");
        if other.contains(&"student") {
            found.push(Public::Etudiants);
        }
        if other.contains(&"handicap") {
            found.push(Public::Handicap);
        }
        let age = p.get("age");
        let (min, max) = (
            age.and_then(|a| a.get("min")).and_then(Json::as_u64).unwrap_or(0),
            age.and_then(|a| a.get("max")).and_then(Json::as_u64).unwrap_or(99),
        );
        if max <= 25 {
            found.push(Public::Jeunes);
        }
        if min >= 60 {
            found.push(Public::Seniors);
        }
        e.check("publics", "publics de Soliguide (accueil préférentiel ou exclusif) traduits : à vérifier");
    }
    if !found.is_empty() {
        e.set("publics", list(&found.iter().map(|p| p.value()).collect::<Vec<_>>()));
    }
    if let Some(d) = text(p, "description").map(html_text).filter(|d| !d.is_empty()) {
        e.set("publics_precisions", d);
    }
}

/// `entity`: the first phone number (the others in the description),
/// the e-mail and the website.
fn contacts(e: &mut Entry, r: &Map<String, Json>) {
    let Some(c) = object(r, "entity") else { return };
    let phones: Vec<&str> = c
        .get("phones")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| p.get("phoneNumber").and_then(Json::as_str))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if let Some(first) = phones.first() {
        e.set("telephone", *first);
    }
    if phones.len() > 1 {
        e.check("telephone", format!("autres numéros dans Soliguide : {}", phones[1..].join(", ")));
    }
    if let Some(m) = text(c, "mail") {
        e.set("courriel", m);
    }
    if let Some(w) = text(c, "website") {
        e.set("site_web", w);
    }
}

/// Soliguide's descriptions are HTML: the text, a paragraph per line.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[start + 1..start + end].trim_start_matches('/').to_ascii_lowercase();
        if tag.starts_with("br") || tag.starts_with("p") && !tag.starts_with("pre") || tag.starts_with("li") {
            out.push('\n');
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "’")
        .replace("&rsquo;", "’")
        .replace("&amp;", "&");
    decoded.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(v: serde_json::Value) -> Map<String, Json> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn hours_are_grouped_exactly() {
        let day = |slots: serde_json::Value| serde_json::json!({"open": true, "timeslot": slots});
        let closed = serde_json::json!({"open": false, "timeslot": []});
        let nine_noon = serde_json::json!([{"start": 900, "end": 1200}, {"start": 1400, "end": 1730}]);
        let h = obj(serde_json::json!({
            "monday": day(nine_noon.clone()), "tuesday": day(nine_noon.clone()), "wednesday": day(nine_noon),
            "thursday": closed, "friday": day(serde_json::json!([{"start": "19:30", "end": "20:15"}])),
            "saturday": day(serde_json::json!([{"start": 1930, "end": 2015}])), "sunday": {"open": false},
            "closedHolidays": "CLOSED"
        }));
        assert_eq!(hours(&h).unwrap(), "Mo-We 09:00-12:00,14:00-17:30; Fr,Sa 19:30-20:15; PH off");
        assert_eq!(hours(&obj(serde_json::json!({"monday": {"open": false}}))), None);
        assert_eq!(hours(&obj(serde_json::json!({"h24": true, "closedHolidays": "OPEN"}))).unwrap(), "24/7");
    }

    #[test]
    fn html_becomes_text() {
        assert_eq!(
            html_text("<p>Repas complets.</p><p><strong>Attention&nbsp;:</strong> l&#39;hiver &amp; après</p>"),
            "Repas complets.\nAttention : l’hiver & après"
        );
    }
}
