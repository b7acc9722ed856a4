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
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION;
    // One pass over the events finds the highest heading, and whether the
    // text has nothing but the elements below (most descriptions): then
    // pulldown-cmark's own HTML is safe as it is, with every text escaped,
    // and needs no sanitiser.
    // The text is parsed once; its events are kept for the second pass.
    let events: Vec<Event<'_>> = Parser::new_ext(md, options).collect();
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
    fn the_highest_heading_sits_right_below_the_page_title() {
        assert_eq!(render("## Un\n\n### Deux", 2), "<h2>Un</h2>\n<h3>Deux</h3>\n");
        assert_eq!(render("# Un\n\n## Deux", 3), "<h3>Un</h3>\n<h4>Deux</h4>\n");
        assert_eq!(render("#### Un\n\n###### Deux", 2), "<h2>Un</h2>\n<h4>Deux</h4>\n");
        assert_eq!(render("# Un", 6), "<h6>Un</h6>\n");
    }
}
