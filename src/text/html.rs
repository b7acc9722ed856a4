//! The one escaping policy: every text that reaches an output goes
//! through here, whatever the output (HTML pages, SVG and XML files, JSON
//! inside a `<script>` or in a script file, `serve`'s own pages).
//!
//! - Text in markup (HTML or XML, text or quoted attribute alike):
//!   [`escape_html`] / [`escape_into`], or [`Html::escape`].
//! - JSON inside an HTML `<script>` element: [`script_json`] /
//!   [`script_safe`]; JSON in a script file (map data, search index):
//!   [`script_file`].
//! - Both leave out the characters of [`dropped`]: bidirectional controls,
//!   control characters and noncharacters, which no directory text needs
//!   and which can reverse what follows them, make an XML file ill-formed
//!   or an HTML page invalid. JSON escapes of them (`\u0001`) go too: a
//!   script puts the text in a page all the same.
//! - [`Html`] is markup already safe to write as it is.

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;

use serde::Serialize;

/// Whether `c` is left out of every text written into a page, an SVG or
/// XML file or a script's data:
///
/// - bidirectional embedding, override and isolate controls (U+202A–U+202E,
///   U+2066–U+2069): no directory text needs them (Arabic or Hebrew text
///   flows right by itself), and an override can make a name, a phone
///   number or an address read as something else;
/// - control characters but tab, line feed and carriage return (C0 with
///   NUL, DEL, C1): XML 1.0 forbids C0, HTML calls them all parse errors;
/// - noncharacters (U+FDD0–U+FDEF and the last two code points of every
///   plane, U+FFFE and U+FFFF among them): XML 1.0 forbids U+FFFE and
///   U+FFFF, HTML calls them all parse errors.
///
/// Marks that only set the direction of neutral characters (U+200E,
/// U+200F, U+061C) stay: they cannot reverse a text.
pub(crate) fn dropped(c: char) -> bool {
    let c = c as u32;
    matches!(c, 0x00..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F | 0x7F..=0x9F | 0x202A..=0x202E | 0x2066..=0x2069 | 0xFDD0..=0xFDEF)
        || c & 0xFFFE == 0xFFFE
}

/// The bytes that may start a [`dropped`] character: the ASCII controls
/// themselves, and the first bytes in UTF-8 of C1 controls (C2), of
/// bidirectional controls (E2), of U+FDD0–U+FFFF (EF) and of the other
/// planes (F0–F4). No continuation byte (80–BF) is among them, so a scan
/// byte by byte never stops inside a character.
const fn may_drop() -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = !matches!(b, 0x09 | 0x0A | 0x0D);
        b += 1;
    }
    t[0x7F] = true;
    t[0xC2] = true;
    t[0xE2] = true;
    t[0xEF] = true;
    let mut b = 0xF0;
    while b <= 0xF4 {
        t[b] = true;
        b += 1;
    }
    t
}

/// The length in bytes of the [`dropped`] character that starts at
/// `bytes[i]` (valid UTF-8), or 0 when the character there is kept: the
/// test of [`dropped`] on the bytes, without decoding (a unit test checks
/// that both agree on every character).
#[inline]
fn dropped_len(bytes: &[u8], i: usize) -> usize {
    let at = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    match bytes[i] {
        0x00..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F | 0x7F => 1,
        // U+0080–U+009F.
        0xC2 if at(1) <= 0x9F => 2,
        // U+202A–U+202E, U+2066–U+2069.
        0xE2 if (at(1) == 0x80 && matches!(at(2), 0xAA..=0xAE)) || (at(1) == 0x81 && matches!(at(2), 0xA6..=0xA9)) => 3,
        // U+FDD0–U+FDEF, U+FFFE, U+FFFF.
        0xEF if (at(1) == 0xB7 && matches!(at(2), 0x90..=0xAF)) || (at(1) == 0xBF && at(2) >= 0xBE) => 3,
        // U+1FFFE, U+1FFFF… U+10FFFF: the low sixteen bits all ones but
        // the last.
        0xF0..=0xF4 if at(1) & 0x0F == 0x0F && at(2) == 0xBF && at(3) >= 0xBE => 4,
        _ => 0,
    }
}

/// `s` without its [`dropped`] characters; borrowed when it has none, as
/// almost every text.
pub(crate) fn without_dropped(s: &str) -> Cow<'_, str> {
    const MAY_DROP: [bool; 256] = may_drop();
    let bytes = s.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !MAY_DROP[bytes[i] as usize] {
            i += 1;
            continue;
        }
        match dropped_len(bytes, i) {
            0 => i += 1,
            len => {
                out.push_str(&s[copied..i]);
                i += len;
                copied = i;
            }
        }
    }
    if copied == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

/// Escapes the five characters that matter in HTML and XML text and quoted
/// attributes, and leaves out the [`dropped`] characters. Tera's default
/// also escapes `/`, which bloats every link and protects nothing in a
/// quoted attribute. XML reads `&#39;` as HTML does.
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    escape_into(&mut out, s);
    out
}

/// [`escape_html`], written at the end of `out`.
pub(crate) fn escape_into(out: &mut String, s: &str) {
    // Text between the characters to replace or drop is copied a run at a
    // time; most texts have none and are copied at once. The scan is over
    // bytes, one table look-up each: the five characters are ASCII, and a
    // dropped character starts with a byte that no other ASCII character
    // and no continuation byte is.
    const SPECIAL: [bool; 256] = {
        let mut t = may_drop();
        t[b'&' as usize] = true;
        t[b'<' as usize] = true;
        t[b'>' as usize] = true;
        t[b'"' as usize] = true;
        t[b'\'' as usize] = true;
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
            _ => match dropped_len(bytes, i) {
                0 => {
                    i += 1;
                    continue;
                }
                len => ("", len),
            },
        };
        out.push_str(&s[copied..i]);
        out.push_str(replacement);
        i += len;
        copied = i;
    }
    out.push_str(&s[copied..]);
}

/// HTML that can be written into a page as it is: text escaped here
/// ([`Html::escape`]), Markdown sanitised by `markdown::render`, or markup
/// that alimap's own code writes around such values ([`Html::trusted`]).
/// Serialised as its text: templates print it with `| safe`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Html(String);

impl Html {
    /// `text`, escaped by [`escape_html`].
    pub fn escape(text: &str) -> Html {
        Html(escape_html(text))
    }

    /// Markup made by alimap's code: literal tags and attributes around
    /// values escaped by this module (or themselves `Html`), or the output
    /// of the Markdown sanitiser. Never text from content or a translation
    /// file as it was read.
    pub fn trusted(markup: String) -> Html {
        Html(markup)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl Deref for Html {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<&str> for Html {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl AsRef<str> for Html {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Html {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// JSON that is safe inside an HTML `<script>` element: `<`, `>` and `&`
/// become `\u003c`, `\u003e` and `\u0026`, so that `</script>` or `<!--` in
/// a value cannot end the element; the JSON means the same, less the
/// [`dropped`] characters (see [`script_safe`]).
pub(crate) fn script_json(v: &serde_json::Value) -> String {
    script_safe(serde_json::to_string(v).unwrap_or_else(|_| "{}".into()))
}

/// [`script_json`] of JSON already written: `<`, `>`, `&`, U+2028 and
/// U+2029 escaped, [`dropped`] characters left out, written as they are or
/// as JSON escapes (`\u0001`, `\b`, `\f`). Copied in runs between them,
/// and not at all when there are none.
pub(crate) fn script_safe(raw: String) -> String {
    const SPECIAL: [bool; 256] = json_special(true);
    match json_for_script(raw.as_bytes(), &SPECIAL) {
        Some(bytes) => into_string(bytes),
        None => raw,
    }
}

/// JSON in a script file loaded by `<script src>` (map data, search
/// index): as [`script_safe`], but only `<` of the three markup characters
/// is escaped (the file is no HTML: this only keeps the text inert
/// wherever it ends up), so that `&` costs one byte, not six.
pub(crate) fn script_file(raw: Vec<u8>) -> Vec<u8> {
    const SPECIAL: [bool; 256] = json_special(false);
    json_for_script(&raw, &SPECIAL).unwrap_or(raw)
}

/// The bytes [`json_for_script`] looks at: those that may start a dropped
/// character, `\` (which may start the escape of one), `<` and, inside an
/// HTML element, `>` and `&`. U+2028 and U+2029 start with E2, which is
/// among the first.
const fn json_special(element: bool) -> [bool; 256] {
    let mut t = may_drop();
    t[b'\\' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = element;
    t[b'&' as usize] = element;
    t
}

/// `json` (UTF-8 JSON text) with the bytes of `special` escaped or left
/// out, or `None` when nothing changes.
fn json_for_script(json: &[u8], special: &[bool; 256]) -> Option<Vec<u8>> {
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < json.len() {
        if !special[json[i] as usize] {
            i += 1;
            continue;
        }
        // `i` is at an ASCII byte or the first byte of a character, and so
        // is every end of a replaced or removed part: runs copied whole
        // keep the text UTF-8.
        let (replacement, len): (&[u8], usize) = match json[i] {
            b'<' => (b"\\u003c", 1),
            b'>' => (b"\\u003e", 1),
            b'&' => (b"\\u0026", 1),
            b'\\' => match json.get(i + 1) {
                // Backspace and form feed.
                Some(b'b' | b'f') => (b"", 2),
                Some(b'u') => match escaped_char(json, i) {
                    Some((c, len)) if dropped(c) => (b"", len),
                    Some((_, len)) => {
                        i += len;
                        continue;
                    }
                    None => {
                        i += 2;
                        continue;
                    }
                },
                // `\"`, `\\`, `\n`…: the character after the backslash is
                // not the start of anything.
                _ => {
                    i += 2;
                    continue;
                }
            },
            // U+2028 and U+2029 are E2 80 A8 and E2 80 A9: engines before
            // ES2019 refuse them inside strings.
            0xE2 if json.get(i + 1) == Some(&0x80) && json.get(i + 2) == Some(&0xA8) => (b"\\u2028", 3),
            0xE2 if json.get(i + 1) == Some(&0x80) && json.get(i + 2) == Some(&0xA9) => (b"\\u2029", 3),
            _ => match dropped_len(json, i) {
                0 => {
                    i += 1;
                    continue;
                }
                len => (b"", len),
            },
        };
        let out = out.get_or_insert_with(|| Vec::with_capacity(json.len() + 16));
        out.extend_from_slice(&json[copied..i]);
        out.extend_from_slice(replacement);
        i += len;
        copied = i;
    }
    let mut out = out?;
    out.extend_from_slice(&json[copied..]);
    Some(out)
}

/// The character of the JSON escape `\uXXXX` at `json[i]` (or of the pair
/// `\uD8XX\uDCXX` of one outside the first plane), with the length of its
/// escape; `None` when no character is written there.
fn escaped_char(json: &[u8], i: usize) -> Option<(char, usize)> {
    let unit = |at: usize| -> Option<u32> {
        if json.get(at..at + 2)? != b"\\u" {
            return None;
        }
        u32::from_str_radix(std::str::from_utf8(json.get(at + 2..at + 6)?).ok()?, 16).ok()
    };
    let high = unit(i)?;
    if (0xD800..0xDC00).contains(&high)
        && let Some(low @ 0xDC00..0xE000) = unit(i + 6)
    {
        return Some((char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))?, 12));
    }
    Some((char::from_u32(high)?, 6))
}

fn into_string(bytes: Vec<u8>) -> String {
    // Whole characters and ASCII were replaced or removed: still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
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

    #[test]
    fn escaping_drops_controls_and_noncharacters() {
        assert_eq!(escape_html("a\u{0}b\u{1}c\u{1B}[31md\u{7F}e\u{85}f"), "abc[31mdef");
        assert_eq!(escape_html("tab\tline\ncr\r"), "tab\tline\ncr\r");
        assert_eq!(escape_html("\u{FFFF}x\u{FFFE}\u{FDD0}\u{1FFFF}\u{10FFFE}y"), "xy");
        // Kept: what shares a first byte with them.
        let kept = "« » \u{A0} ° ’ – … \u{200F} \u{FEFF} \u{FFFD} 😀 \u{1FFFD} \u{10FFFD}";
        assert_eq!(escape_html(kept), kept);
        assert_eq!(without_dropped(kept), Cow::Borrowed(kept));
        assert_eq!(without_dropped("a\u{202E}b\u{1}"), "ab");
    }

    /// The byte test of the scans says of every character what
    /// [`dropped`] says.
    #[test]
    fn the_byte_test_is_the_character_test() {
        const MAY_DROP: [bool; 256] = may_drop();
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            let len = if MAY_DROP[bytes[0] as usize] { dropped_len(bytes, 0) } else { 0 };
            assert_eq!(len != 0, dropped(c), "U+{:04X}", c as u32);
            assert!(len == 0 || len == bytes.len(), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn html_is_serialised_as_its_text() {
        let h = Html::escape("<b>");
        assert_eq!(serde_json::to_string(&h).unwrap(), "\"&lt;b&gt;\"");
        assert_eq!(&*h, "&lt;b&gt;");
    }

    #[test]
    fn script_json_leaves_out_dropped_characters_and_their_escapes() {
        let v = serde_json::json!({ "n": "a\u{202E}b\u{1}c\u{8}d\u{C}e\u{FFFF}f\u{1B}g\t\n\"\\h\u{1FFFE}" });
        let s = script_json(&v);
        assert_eq!(s, "{\"n\":\"abcdefg\\t\\n\\\"\\\\h\"}");
        // An escaped backslash followed by `u0001` is text, not an escape.
        assert_eq!(script_safe("\"\\\\u0001\"".into()), "\"\\\\u0001\"");
        // Escapes of kept characters, and pairs, are read whole.
        let kept = "\"\\u00e9\\ud83d\\ude00\\u2028\"";
        assert_eq!(script_safe(kept.into()), kept);
        assert_eq!(script_safe("\"\\ud83f\\udfff|\\u202e|\\u0000\"".into()), "\"||\"");
    }

    #[test]
    fn script_files_escape_only_the_opening_bracket() {
        let raw = "[\"</script> & > ]]> \u{2028}\u{202E}\u{1}\"]";
        let out = String::from_utf8(script_file(raw.as_bytes().to_vec())).unwrap();
        assert_eq!(out, "[\"\\u003c/script> & > ]]> \\u2028\"]");
        let element = script_safe(raw.to_string());
        assert_eq!(element, "[\"\\u003c/script\\u003e \\u0026 \\u003e ]]\\u003e \\u2028\"]");
        let plain = "{\"a\":\"Épicerie – l’Escale 😀\"}";
        assert_eq!(script_file(plain.as_bytes().to_vec()), plain.as_bytes());
    }
}
