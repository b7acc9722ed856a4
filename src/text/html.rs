//! The one escaping policy: every text that reaches an output goes
//! through here, whatever the output (HTML pages, SVG and XML files, JSON
//! inside a `<script>`, `serve`'s own pages).

/// Escapes the five characters that matter in HTML text and quoted
/// attributes. Tera's default also escapes `/`, which bloats every link and
/// protects nothing in a quoted attribute.
///
/// Bidirectional embedding, override and isolate controls are removed: no
/// directory text needs them (Arabic or Hebrew text flows right by itself),
/// and an override can make a name, a phone number or an address read as
/// something else.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    escape_into(&mut out, s);
    out
}

/// [`escape_html`], written at the end of `out`.
pub fn escape_into(out: &mut String, s: &str) {
    // Text between the characters to replace or drop is copied a run at a
    // time; most texts have none and are copied at once. The scan is over
    // bytes, one table look-up each: the five characters are ASCII, and
    // every bidirectional control is three bytes starting with 0xE2, a byte
    // no ASCII character and no continuation byte has.
    const SPECIAL: [bool; 256] = {
        let mut t = [false; 256];
        t[b'&' as usize] = true;
        t[b'<' as usize] = true;
        t[b'>' as usize] = true;
        t[b'"' as usize] = true;
        t[b'\'' as usize] = true;
        t[0xE2] = true;
        t
    };
    let bytes = s.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !SPECIAL[bytes[i] as usize] {
            i += 1;
            continue;
        }
        let (replacement, len) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&#39;", 1),
            _ => match s[i..].chars().next() {
                Some(c) if crate::text::markdown::is_bidi_control(c) => ("", c.len_utf8()),
                _ => {
                    i += 1;
                    continue;
                }
            },
        };
        out.push_str(&s[copied..i]);
        out.push_str(replacement);
        i += len;
        copied = i;
    }
    out.push_str(&s[copied..]);
}

pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// JSON that is safe inside an HTML `<script>` element: `<`, `>` and `&`
/// become `\u003c`, `\u003e` and `\u0026`, so that `</script>` or `<!--` in
/// a value cannot end the element; the JSON means the same.
pub fn script_json(v: &serde_json::Value) -> String {
    script_safe(serde_json::to_string(v).unwrap_or_else(|_| "{}".into()))
}

/// [`script_json`] of JSON already written. The characters escaped are
/// rare: the text is copied in runs between them.
pub fn script_safe(raw: String) -> String {
    let bytes = raw.as_bytes();
    let escape = |i: usize| -> Option<(&'static str, usize)> {
        match bytes[i] {
            b'<' => Some(("\\u003c", 1)),
            b'>' => Some(("\\u003e", 1)),
            b'&' => Some(("\\u0026", 1)),
            // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8.
            0xE2 if bytes.get(i + 1) == Some(&0x80) => match bytes.get(i + 2) {
                Some(0xA8) => Some(("\\u2028", 3)),
                Some(0xA9) => Some(("\\u2029", 3)),
                _ => None,
            },
            _ => None,
        }
    };
    // Most texts have none of them (but many have other characters
    // starting with E2, as `’` and `–`): two fast searches tell.
    if memchr::memchr3(b'<', b'>', b'&', bytes).is_none() && !raw.contains(['\u{2028}', '\u{2029}']) {
        return raw;
    }
    let Some(first) = (0..bytes.len()).find(|&i| escape(i).is_some()) else { return raw };
    let mut out = String::with_capacity(raw.len() + 16);
    let (mut start, mut i) = (0, first);
    while i < bytes.len() {
        match escape(i) {
            // `i` is at an ASCII byte or the first byte of a character:
            // both ends of each run are character boundaries.
            Some((text, len)) => {
                out.push_str(&raw[start..i]);
                out.push_str(text);
                i += len;
                start = i;
            }
            None => i += 1,
        }
    }
    out.push_str(&raw[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_plain_text_and_drops_direction_overrides() {
        assert_eq!(escape_html("Épicerie – l’Escale"), "Épicerie – l’Escale");
        assert_eq!(escape_html("a\u{202E}b<c>&\"'"), "ab&lt;c&gt;&amp;&quot;&#39;");
        assert_eq!(escape_html("x\u{2066}y"), "xy");
        assert_eq!(escape_html("«\u{2067}l’a – \u{202A}"), "«l’a – ");
    }
}
