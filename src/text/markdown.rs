//! Markdown to safe HTML.
//!
//! Contributed Markdown is untrusted: after pulldown-cmark renders it,
//! ammonia keeps only harmless elements and attributes, and only `http`,
//! `https`, `mailto` and `tel` links (relative links too). Text made of
//! paragraphs, headings, lists, emphasis, code spans and breaks alone
//! skips ammonia: pulldown-cmark writes those elements without attributes
//! (a list's `start` aside) and escapes every text. Headings are
//! moved so that the text's highest heading sits right below the page's:
//! a presentation never competes with the page's `h1`, and a text that
//! starts at `##` does not skip a level (which screen reader users rely on).
//!
//! Rendering stays linear in the text: both pulldown-cmark (blockquotes
//! and lists) and the HTML parser under ammonia (elements) take time that
//! grows with the square of the nesting depth, and a table's rows are
//! padded to its columns. [`excess`] measures both depths and the columns
//! in one linear pass, before anything else; `content::parse` refuses a
//! text past [`MAX_DEPTH`] or [`MAX_COLUMNS`], and [`render`] shows such a
//! text (which only a bypassed check lets through) as escaped text.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::text::html::{self, Html};

/// Renders Markdown to sanitised HTML; `min_heading` is the level the
/// text's highest heading gets (2 inside a page whose title is `h1`).
pub(crate) fn render(md: &str, min_heading: u8) -> Html {
    // The characters every escaped text leaves out (`html::dropped`) are
    // left out of the Markdown, and of the HTML too, since character
    // references (`&#x202E;`) write them again.
    let md = html::without_dropped(md);
    let md = md.as_ref();
    // One pass over the events finds the highest heading, and whether the
    // text has nothing but the elements below (most descriptions): then
    // pulldown-cmark's own HTML is safe as it is, with every text escaped,
    // and needs no sanitiser.
    // The text is parsed once; its events are kept for the second pass.
    let Ok(events) = parse(md) else {
        return Html::trusted(format!("<p>{}</p>\n", html::escape_html(md)));
    };
    let (mut highest, mut plain) = (None::<i8>, true);
    for ev in &events {
        if let Event::Start(Tag::Heading { level, .. }) = ev {
            highest = Some(highest.map_or(*level as i8, |h| h.min(*level as i8)));
        }
        plain &= match ev {
            Event::Start(tag) => matches!(
                tag,
                Tag::Paragraph
                    | Tag::Heading { id: None, .. }
                    | Tag::Emphasis
                    | Tag::Strong
                    | Tag::Strikethrough
                    | Tag::List(_)
                    | Tag::Item
            ),
            Event::End(tag) => matches!(
                tag,
                TagEnd::Paragraph
                    | TagEnd::Heading(_)
                    | TagEnd::Emphasis
                    | TagEnd::Strong
                    | TagEnd::Strikethrough
                    | TagEnd::List(_)
                    | TagEnd::Item
            ),
            Event::Text(_) | Event::Code(_) | Event::SoftBreak | Event::HardBreak | Event::Rule => true,
            _ => false,
        };
    }
    let shift = min_heading as i8 - highest.unwrap_or(1);
    let parser = events.into_iter().map(|ev| match ev {
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: shift_level(level, shift), id, classes, attrs })
        }
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift_level(level, shift))),
        other => other,
    });
    let mut raw = String::new();
    pulldown_cmark::html::push_html(&mut raw, parser);
    let safe = if plain { raw } else { sanitizer().clean(&raw).to_string() };
    match html::without_dropped(&safe) {
        Cow::Borrowed(_) => Html::trusted(safe),
        Cow::Owned(kept) => Html::trusted(kept),
    }
}

/// How deep blockquotes and lists (together), or HTML elements, may nest
/// in a text: far more than a text needs, few enough that rendering stays
/// fast.
pub(crate) const MAX_DEPTH: usize = 16;

/// How many columns a table may have: more do not fit a phone's screen, and
/// every row of a table is padded to its columns.
pub(crate) const MAX_COLUMNS: usize = 20;

/// What puts a text past the limits, with the byte where it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Excess {
    /// Blockquotes and lists nested deeper than [`MAX_DEPTH`].
    Nesting { at: usize },
    /// HTML elements nested deeper than [`MAX_DEPTH`].
    HtmlNesting { at: usize },
    /// A table of more than [`MAX_COLUMNS`] columns (its delimiter row).
    Columns { at: usize, columns: usize },
}

const OPTIONS: Options =
    Options::ENABLE_TABLES.union(Options::ENABLE_STRIKETHROUGH).union(Options::ENABLE_SMART_PUNCTUATION);

/// The first place where a Markdown text goes past the limits, if any.
pub(crate) fn excess(md: &str) -> Option<Excess> {
    parse(md).err()
}

/// The text's events, or where it goes past the limits. A first pass over
/// the lines catches what pulldown-cmark would be slow on (blockquote and
/// list markers piled up on a line) and wide tables, before it parses;
/// then the events give the true depth of containers and of HTML.
fn parse(md: &str) -> Result<Vec<Event<'_>>, Excess> {
    prescan(md)?;
    let mut events = Vec::new();
    let (mut depth, mut html) = (0usize, HtmlDepth::default());
    for (ev, range) in Parser::new_ext(md, OPTIONS).into_offset_iter() {
        match &ev {
            Event::Start(Tag::BlockQuote(_) | Tag::List(_)) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(Excess::Nesting { at: range.start });
                }
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_)) => depth = depth.saturating_sub(1),
            Event::Html(text) | Event::InlineHtml(text) => {
                if let Some(offset) = html.scan(text) {
                    return Err(Excess::HtmlNesting { at: range.start + offset.min(range.len()) });
                }
            }
            _ => {}
        }
        events.push(ev);
    }
    Ok(events)
}

/// Each line's container markers (`>`, `-`, `*`, `+`, `1.`, `1)`) in a row,
/// and each table's columns from its delimiter row (`| --- | :-: |`).
fn prescan(md: &str) -> Result<(), Excess> {
    let mut start = 0;
    for line in md.split_inclusive('\n') {
        let b = line.as_bytes();
        let (mut i, mut depth) = (0, 0);
        loop {
            while i < b.len() && matches!(b[i], b' ' | b'\t') {
                i += 1;
            }
            let marker = match b.get(i) {
                Some(b'>') => 1,
                Some(b'-' | b'*' | b'+') => 1,
                Some(b'0'..=b'9') => {
                    let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                    if digits <= 9 && matches!(b.get(i + digits), Some(b'.' | b')')) { digits + 1 } else { 0 }
                }
                _ => 0,
            };
            // A list marker needs a space after it (or the end of the line).
            let is_marker =
                marker > 0 && (b[i] == b'>' || matches!(b.get(i + marker), None | Some(b' ' | b'\t' | b'\r' | b'\n')));
            if !is_marker {
                break;
            }
            i += marker;
            depth += 1;
            if depth > MAX_DEPTH {
                return Err(Excess::Nesting { at: start + i - marker });
            }
        }
        let rest = line[i..].trim();
        if rest.contains('|')
            && rest.contains('-')
            && rest.bytes().all(|c| matches!(c, b'|' | b'-' | b':' | b' ' | b'\t'))
        {
            let inner = rest.strip_prefix('|').unwrap_or(rest);
            let inner = inner.strip_suffix('|').unwrap_or(inner);
            let columns = inner.split('|').count();
            if columns > MAX_COLUMNS {
                return Err(Excess::Columns { at: start + i, columns });
            }
        }
        start += line.len();
    }
    Ok(())
}

/// The open HTML elements across a text's HTML events, counted from their
/// tags: void elements, self-closed tags and the elements whose end tag
/// may be left out (`p`, `li`, `td`…, which the next one closes) do not
/// count. An over-estimate for broken HTML, never an under-estimate of
/// what nests.
#[derive(Default)]
struct HtmlDepth {
    open: usize,
}

impl HtmlDepth {
    /// The offset in `text` of the tag that opens one element too many.
    fn scan(&mut self, text: &str) -> Option<usize> {
        let b = text.as_bytes();
        let mut i = 0;
        while let Some(lt) = memchr::memchr(b'<', &b[i..]) {
            let at = i + lt;
            i = at + 1;
            let closing = b.get(i) == Some(&b'/');
            let name_start = if closing { i + 1 } else { i };
            let len = b[name_start..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'-').count();
            if len == 0 || !b[name_start].is_ascii_alphabetic() {
                continue;
            }
            let name = text[name_start..name_start + len].to_ascii_lowercase();
            let end = memchr::memchr(b'>', &b[name_start..]).map_or(b.len(), |e| name_start + e);
            let self_closed = end > name_start && b.get(end - 1) == Some(&b'/');
            if UNCOUNTED.contains(&name.as_str()) {
                continue;
            }
            if closing {
                self.open = self.open.saturating_sub(1);
            } else if !self_closed {
                self.open += 1;
                if self.open > MAX_DEPTH {
                    return Some(at);
                }
            }
        }
        None
    }
}

/// Void elements, and elements whose end tag may be left out.
const UNCOUNTED: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "p", "li",
    "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup", "rt", "rp", "colgroup", "caption",
];

/// Markdown as plain text, for the open data whose format says text: the
/// words without their marks, paragraphs apart, list items on lines of
/// their own, a link's address after its text, HTML left out, no character
/// that `html::dropped` removes.
pub(crate) fn plain_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut links: Vec<String> = Vec::new();
    let mut link_text = 0;
    for ev in Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Item) => {
                end_line(&mut out);
                out.push_str("- ");
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                links.push(dest_url.into_string());
                link_text = out.len();
            }
            Event::End(TagEnd::Link) => {
                if let Some(url) = links.pop()
                    && out.get(link_text..) != Some(url.as_str())
                    && !url.is_empty()
                {
                    out.push_str(&format!(" ({url})"));
                }
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::List(_) | TagEnd::Table | TagEnd::BlockQuote(_),
            ) => {
                end_line(&mut out);
                out.push('\n');
            }
            Event::End(TagEnd::TableCell) => out.push(' '),
            Event::End(TagEnd::TableRow | TagEnd::TableHead | TagEnd::CodeBlock) => end_line(&mut out),
            _ => {}
        }
    }
    // No run of blank lines: one between paragraphs.
    let mut text = String::with_capacity(out.len());
    for line in out.trim().lines().map(str::trim_end) {
        if line.is_empty() && (text.is_empty() || text.ends_with("\n\n")) {
            continue;
        }
        text.push_str(line);
        text.push('\n');
    }
    // Character references (`&#x202E;`) write again what reading the
    // fields took out: taken out once more.
    html::without_dropped(text.trim_end()).into_owned()
}

fn end_line(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn shift_level(level: HeadingLevel, by: i8) -> HeadingLevel {
    let n = (level as i8 + by).clamp(1, 6);
    HeadingLevel::try_from(n as usize).unwrap_or(HeadingLevel::H6)
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
            .link_rel(Some("noopener noreferrer"))
            .rm_tags(["img"]);
        b
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_javascript_links_are_removed() {
        let md = "# Titre\n\n<script>alert(1)</script>\n\n<a href=\"javascript:alert(1)\" onclick=\"x()\">lien</a>\n\n[ok](https://exemple.org) [bad](javascript:alert(2)) [data](data:text/html,x)";
        let out = render(md, 2);
        assert!(out.contains("<h2>Titre</h2>"), "{out}");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("javascript:"), "{out}");
        assert!(!out.contains("onclick"), "{out}");
        assert!(!out.contains("data:"), "{out}");
        assert!(out.contains("href=\"https://exemple.org\""), "{out}");
    }

    #[test]
    fn plain_text_skips_the_sanitiser_and_stays_escaped() {
        let md = "Ouvert **le mardi** & si 3 < 4 > 2, \"sans\" `<b>`\n\n- un\n- deux\n\n3. trois";
        let out = render(md, 2);
        assert!(!out.contains("<b>"), "{out}");
        assert!(out.contains("&amp; si 3 &lt; 4 &gt; 2") && out.contains("<code>&lt;b&gt;</code>"), "{out}");
        assert!(out.contains("<strong>le mardi</strong>") && out.contains("<ol start=\"3\">"), "{out}");
        // Any markup, link or image takes the sanitiser again.
        for md in ["Voir <b onclick=\"x()\">ici</b>", "[x](javascript:alert(1))", "![x](https://t.example/p.png)"] {
            let out = render(md, 2);
            assert!(!out.contains("onclick") && !out.contains("javascript:") && !out.contains("<img"), "{out}");
        }
    }

    #[test]
    fn plain_text_keeps_the_words_without_their_marks() {
        let md = "## Accueil\n\nOuvert **le mardi**, _sans_ rendez-vous.\nVoir [le site](https://exemple.org).\n\n- un\n- deux\n\n<div onclick=\"x()\">\n</div>\n\nFin <b>ici</b>.";
        assert_eq!(
            plain_text(md),
            "Accueil\n\nOuvert le mardi, sans rendez-vous. Voir le site (https://exemple.org).\n\n- un\n- deux\n\nFin ici."
        );
    }

    #[test]
    fn controls_are_left_out_even_written_as_character_references() {
        for md in [
            "a\u{202E}b\u{1}c\u{FFFF}d",
            "a&#x202E;b&#1;c&#xFFFF;d",
            "a&#8238;b&#x1B;c&#xFDD0;d",
            "<b>a&#x202E;b&#1;c&#xFFFF;d</b>",
        ] {
            let out = render(md, 2);
            assert!(!out.contains(html::dropped), "{md}: {}", out.escape_default());
            assert!(out.contains("abcd"), "{md}: {}", out.escape_default());
        }
    }

    #[test]
    fn nesting_past_the_limit_is_found_where_it_starts() {
        let ok = ">".repeat(MAX_DEPTH);
        assert_eq!(excess(&ok), None);
        assert_eq!(
            excess(&format!("Texte\n\n{}", ">".repeat(MAX_DEPTH + 1))),
            Some(Excess::Nesting { at: 7 + MAX_DEPTH })
        );
        assert!(matches!(excess(&"- ".repeat(MAX_DEPTH + 1)), Some(Excess::Nesting { .. })));
        // Nested by indentation, past the line's markers.
        let indented: String = (0..=MAX_DEPTH).map(|d| format!("{}- x\n", "  ".repeat(d))).collect();
        assert!(matches!(excess(&indented), Some(Excess::Nesting { .. })), "{indented}");
        // Many items side by side, and numbers, are not nesting.
        assert_eq!(excess(&"- x\n".repeat(1000)), None);
        assert_eq!(excess("2024. Une année\n\n-5 degrés"), None);
    }

    #[test]
    fn html_nesting_counts_elements_that_stay_open() {
        assert_eq!(excess(&"<div>".repeat(MAX_DEPTH)), None);
        assert_eq!(excess(&"<div>".repeat(MAX_DEPTH + 1)), Some(Excess::HtmlNesting { at: 5 * MAX_DEPTH }));
        assert_eq!(excess(&"<div></div>".repeat(1000)), None);
        assert_eq!(excess(&"<p>a<br>b<img src=x/>".repeat(1000)), None);
        assert!(matches!(excess(&format!("Un <b>{}", "<i>".repeat(MAX_DEPTH))), Some(Excess::HtmlNesting { .. })));
    }

    #[test]
    fn tables_have_a_bounded_number_of_columns() {
        let table = |n: usize| format!("{}|\n{}|\n", "| a ".repeat(n), "|---".repeat(n));
        assert_eq!(excess(&table(MAX_COLUMNS)), None);
        assert_eq!(
            excess(&format!("x\n\n{}", table(MAX_COLUMNS + 1))),
            Some(Excess::Columns { at: 3 + 4 * (MAX_COLUMNS + 1) + 2, columns: MAX_COLUMNS + 1 })
        );
        assert!(render(&table(3), 2).contains("<table>"));
    }

    #[test]
    fn a_text_past_the_limits_renders_as_escaped_text() {
        let deep = format!("{}<b>x</b>", ">".repeat(MAX_DEPTH + 1));
        assert_eq!(render(&deep, 2), format!("<p>{}&lt;b&gt;x&lt;/b&gt;</p>\n", "&gt;".repeat(MAX_DEPTH + 1)).as_str());
    }

    #[test]
    fn the_highest_heading_sits_right_below_the_page_title() {
        assert_eq!(render("## Un\n\n### Deux", 2), "<h2>Un</h2>\n<h3>Deux</h3>\n");
        assert_eq!(render("# Un\n\n## Deux", 3), "<h3>Un</h3>\n<h4>Deux</h4>\n");
        assert_eq!(render("#### Un\n\n###### Deux", 2), "<h2>Un</h2>\n<h4>Deux</h4>\n");
        assert_eq!(render("# Un", 6), "<h6>Un</h6>\n");
    }
}
