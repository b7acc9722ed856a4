//! Small text helpers shared by validation and rendering: folding for
//! comparisons, and checks of the formats volunteers write (phones, emails,
//! web addresses, postal codes, ids).

/// Lower-case, without accents: `Épicerie` → `epicerie`. Used to compare
/// what people type with what is written.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        // A run of ASCII, most of any French text, lower-cased at once.
        let ascii = rest.bytes().take_while(u8::is_ascii).count();
        if ascii > 0 {
            let start = out.len();
            out.push_str(&rest[..ascii]);
            out[start..].make_ascii_lowercase();
            rest = &rest[ascii..];
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        rest = &rest[c.len_utf8()..];
        match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' | 'À' | 'Â' | 'Ä' | 'Á' | 'Ã' | 'Å' => out.push('a'),
            'ç' | 'Ç' => out.push('c'),
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => out.push('e'),
            'î' | 'ï' | 'í' | 'ì' | 'Î' | 'Ï' | 'Í' | 'Ì' => out.push('i'),
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' | 'Ô' | 'Ö' | 'Ó' | 'Ò' | 'Õ' => out.push('o'),
            'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' | 'Ú' => out.push('u'),
            'ÿ' | 'Ÿ' => out.push('y'),
            'ñ' | 'Ñ' => out.push('n'),
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            '’' | '\'' => out.push('\''),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// `2026-11-28`: a date as ISO 8601 writes it, as chrono's `%Y-%m-%d`
/// does, without reading a format string (dates are written hundreds of
/// thousands of times on a large site).
pub(crate) fn iso_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    match d.year() {
        y @ 0..=9999 => format!("{y:04}-{:02}-{:02}", d.month(), d.day()),
        _ => d.format("%Y-%m-%d").to_string(),
    }
}

/// An id is a file name made of lower-case ASCII letters, digits and single
/// hyphens, so that it is safe as a path segment and in a URL.
pub(crate) fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id
            .split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// Suggests an id for a file name that is not one: `Épicerie Nord` →
/// `epicerie-nord`.
pub(crate) fn slugify(s: &str) -> String {
    let folded = fold(s);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A French phone number: 10 digits starting with 0, or `+33` and 9
/// digits, or a short number (3 digits like 115, 4 digits starting with 3).
/// Spaces, dots and hyphens are allowed between digits.
/// Returns the number for a `tel:` link (`+33148000012`).
pub(crate) fn phone_link(s: &str) -> Option<String> {
    if s.chars().any(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '+' | '\u{a0}' | '\u{202f}'))) {
        return None;
    }
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let plus = s.trim_start().starts_with('+');
    if s.matches('+').count() > usize::from(plus) {
        return None;
    }
    match (plus, digits.len()) {
        (false, 10) if digits.starts_with('0') && !digits.starts_with("00") => Some(format!("+33{}", &digits[1..])),
        (true, 11) if digits.starts_with("33") => Some(format!("+{digits}")),
        (true, 11..=15)
            if digits.starts_with("262")
                || digits.starts_with("590")
                || digits.starts_with("596")
                || digits.starts_with("594")
                || digits.starts_with("269") =>
        {
            Some(format!("+{digits}"))
        }
        (false, 3) if ["115", "112", "119", "114"].contains(&digits.as_str()) => Some(digits),
        (false, 4) if digits.starts_with('3') => Some(digits),
        _ => None,
    }
}

/// A phone number as pages show it: a French number in pairs of digits,
/// `01 23 45 67 89`, whether written `0123456789`, `01.23.45.67.89` or
/// `+33 1 23 45 67 89`; any other number (short, overseas, foreign) as
/// written. Its `tel:` link is [`phone_link`]'s.
pub(crate) fn phone_display(s: &str) -> String {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let plus = s.trim_start().starts_with('+');
    let national = match (plus, digits.len()) {
        (false, 10) if digits.starts_with('0') && !digits.starts_with("00") => digits,
        (true, 11) if digits.starts_with("33") => format!("0{}", &digits[2..]),
        _ => return s.trim().to_string(),
    };
    let pairs: Vec<&str> = (0..5).map(|i| &national[2 * i..2 * i + 2]).collect();
    pairs.join(" ")
}

/// A plausible email address: one `@`, a dot in the domain, no spaces or
/// characters that would break a `mailto:` link.
pub(crate) fn is_valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    let ok_char = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    !local.is_empty()
        && local.chars().all(ok_char)
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

/// Why a web address is refused, if it is: only `https://` and `http://`
/// addresses with a host are allowed, so that no `javascript:` or `data:`
/// link can reach a page.
pub(crate) fn url_problem(s: &str) -> Option<&'static str> {
    let lower = s.to_ascii_lowercase();
    let rest = if let Some(r) = lower.strip_prefix("https://") {
        r
    } else if let Some(r) = lower.strip_prefix("http://") {
        r
    } else {
        return Some("une adresse web doit commencer par https:// (ou http://)");
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || !host.contains('.') && !host.starts_with("localhost") {
        return Some("cette adresse web n’a pas de nom de domaine");
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\' | '`')) {
        return Some("une adresse web ne peut pas contenir d’espace ni de guillemet ou de chevron");
    }
    None
}

/// The web address of a git repository on a forge, as `[depot] adresse`
/// and `alimap init --depot-alimap` take it: `https://host/owner/name`
/// (GitLab groups may add folders), without `.git`, credentials, query or
/// fragment. Returns it without a trailing `/`, or why it is refused.
///
/// The address goes into links of every page and into the generated CI
/// files: only plain host names and path segments of letters, digits,
/// `.`, `_` and `-` are accepted, so that nothing in it needs escaping.
pub(crate) fn repository_address(s: &str) -> Result<&str, &'static str> {
    let Some(rest) = s.strip_prefix("https://") else {
        return Err("l’adresse du dépôt doit commencer par https://");
    };
    if s.contains(['?', '#']) {
        return Err(
            "l’adresse du dépôt ne peut pas contenir de `?` ni de `#` : donnez l’adresse de la page du dépôt, sans paramètres",
        );
    }
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    if authority.contains('@') {
        return Err(
            "l’adresse du dépôt ne doit contenir ni identifiant ni mot de passe (`nom@` ou `nom:motdepasse@`) : elle est publiée sur chaque page",
        );
    }
    let (host, port) = authority.split_once(':').unwrap_or((authority, "0"));
    let host_ok = host.contains('.')
        && !host.starts_with(['.', '-'])
        && !host.ends_with(['.', '-'])
        && host.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    if !host_ok || port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(
            "le nom de serveur de l’adresse du dépôt est invalide (lettres minuscules, chiffres, points et tirets)",
        );
    }
    let path = path.strip_suffix('/').unwrap_or(path);
    if path.ends_with(".git") {
        return Err("retirez `.git` à la fin de l’adresse du dépôt : donnez l’adresse de sa page web");
    }
    let segments: Vec<&str> = path.split('/').collect();
    let segment_ok = |p: &&str| {
        !p.is_empty()
            && *p != "."
            && *p != ".."
            && p.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    };
    if segments.len() < 2 || !segments.iter().all(segment_ok) {
        return Err(
            "l’adresse du dépôt doit finir par son propriétaire et son nom, en lettres, chiffres, points, tirets et soulignés : https://github.com/proprietaire/depot",
        );
    }
    Ok(&s[..8 + authority.len() + 1 + path.len()])
}

/// Percent-encodes `s` for a URL: every byte but the unreserved characters
/// (RFC 3986: letters, digits, `-._~`) and those of `keep`.
pub(crate) fn percent_encode(s: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') || keep.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub(crate) fn is_postal_code(s: &str) -> bool {
    s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit())
}

/// An INSEE commune code: 5 characters, digits except `2A`/`2B` for Corsica.
pub(crate) fn is_insee_code(s: &str) -> bool {
    s.len() == 5
        && (s.bytes().all(|b| b.is_ascii_digit())
            || (s.starts_with("2A") || s.starts_with("2B")) && s[2..].bytes().all(|b| b.is_ascii_digit()))
}

pub(crate) fn is_siret(s: &str) -> bool {
    s.len() == 14 && s.bytes().all(|b| b.is_ascii_digit())
}

pub(crate) fn is_rna(s: &str) -> bool {
    s.len() == 10 && s.starts_with('W') && s[1..].bytes().all(|b| b.is_ascii_alphanumeric())
}

/// French name of a TOML value's type, with an article.
pub(crate) fn type_name(v: &toml::de::DeValue<'_>) -> &'static str {
    match v {
        toml::de::DeValue::String(_) => "du texte",
        toml::de::DeValue::Integer(_) => "un nombre entier",
        toml::de::DeValue::Float(_) => "un nombre décimal",
        toml::de::DeValue::Boolean(_) => "un booléen",
        toml::de::DeValue::Datetime(_) => "une date",
        toml::de::DeValue::Array(_) => "une liste",
        toml::de::DeValue::Table(_) => "une table",
    }
}

/// `` `a`, `b`, `c` ``.
pub(crate) fn quoted(values: &[&str]) -> String {
    values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
}

/// The candidate closest to `word`, when it is close enough to be a typo.
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let w = fold(word);
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(&w, &fold(c)), *c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The origin of a tile URL template, as it must appear in the page's
/// Content-Security-Policy `img-src`: `https://tile.openstreetmap.org`, or
/// `https://*.tile.example.org` when the first label is the `{s}`
/// subdomain placeholder. `None` when the template is not an `https` URL
/// with a plain host name, so that nothing odd reaches the policy.
pub(crate) fn tile_origin(template: &str) -> Option<String> {
    let rest = template.strip_prefix("https://")?;
    let authority = &rest[..rest.find('/')?];
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => (h, Some(p)),
        Some(_) => return None,
        None => (authority, None),
    };
    let mut labels: Vec<String> = Vec::new();
    for (i, label) in host.split('.').enumerate() {
        if i == 0 && label == "{s}" {
            labels.push("*".into());
            continue;
        }
        let ok = !label.is_empty()
            && label.len() <= 63
            && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-');
        if !ok {
            return None;
        }
        labels.push(label.to_ascii_lowercase());
    }
    // A bare `{s}` or a single label is no public tile server.
    if labels.len() < 2 || (labels[0] == "*" && labels.len() < 3) {
        return None;
    }
    let mut origin = format!("https://{}", labels.join("."));
    if let Some(p) = port {
        origin.push(':');
        origin.push_str(p);
    }
    Some(origin)
}

/// Rounds a coordinate to about one metre, so that files stay small and
/// identical from one build to the next.
pub(crate) fn coord(v: f64) -> f64 {
    (v * 1e5).round() / 1e5
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
    fn iso_dates_are_written_as_chrono_writes_them() {
        for (y, m, d) in
            [(2026, 11, 28), (2027, 1, 1), (987, 3, 9), (0, 12, 31), (9999, 6, 15), (-44, 3, 15), (12345, 1, 2)]
        {
            let date = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(iso_date(date), date.format("%Y-%m-%d").to_string());
        }
    }

    #[test]
    fn folding_ignores_accents_and_case() {
        assert_eq!(fold("Épicerie Œcuménique"), "epicerie oecumenique");
    }

    #[test]
    fn ids() {
        assert!(is_valid_id("epicerie-nord-2"));
        for bad in ["", "Epicerie", "a--b", "-a", "a-", "../x", "a/b", "é"] {
            assert!(!is_valid_id(bad), "{bad}");
        }
        assert_eq!(slugify("Épicerie Nord (2)"), "epicerie-nord-2");
    }

    #[test]
    fn phones() {
        assert_eq!(phone_link("01 48 00 00 12").as_deref(), Some("+33148000012"));
        assert_eq!(phone_link("+33 1 48 00 00 12").as_deref(), Some("+33148000012"));
        assert_eq!(phone_link("115").as_deref(), Some("115"));
        assert_eq!(phone_link("3949").as_deref(), Some("3949"));
        assert_eq!(phone_link("01 48 00 00"), None);
        assert_eq!(phone_link("javascript:alert(1)"), None);
        for written in ["0123456789", "01.23.45.67.89", "+33 1 23 45 67 89", "01-23-45-67-89", " 01 23 45 67 89 "] {
            assert_eq!(phone_display(written), "01 23 45 67 89", "{written}");
        }
        assert_eq!(phone_display("+262 262 12 34 56"), "+262 262 12 34 56");
        assert_eq!(phone_display("115"), "115");
    }

    #[test]
    fn emails_and_urls() {
        assert!(is_valid_email("contact@exemple.org"));
        assert!(!is_valid_email("contact@exemple"));
        assert!(!is_valid_email("a b@exemple.org"));
        assert!(url_problem("https://exemple.org/a?b=c").is_none());
        assert!(url_problem("javascript:alert(1)").is_some());
        assert!(url_problem("data:text/html,x").is_some());
        assert!(url_problem("https://exemple.org/\"onclick=").is_some());
        assert!(url_problem("www.exemple.org").is_some());
    }
}
