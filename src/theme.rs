//! Themes: the templates and static files that give a site its look.
//!
//! The default theme (`themes/default/` in this repository) is embedded in
//! the binary, so `alimap` works from any folder. A site may override it
//! file by file: a file at the same path under the site's
//! `themes/<theme>/` wins, where `<theme>` is `theme` in `site.toml`
//! (`default` when absent). Files a site adds are used too.

use std::collections::BTreeMap;

use include_dir::{Dir, include_dir};

static DEFAULT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The files of the theme in use, by path inside the theme
/// (`templates/lieu.html`, `static/style.css`).
#[derive(Debug, Default)]
pub struct Theme {
    pub files: BTreeMap<String, Vec<u8>>,
    /// Which files came from the site rather than the embedded default, for
    /// diagnostics (`themes/mon-theme/templates/lieu.html`); a file the same
    /// as the default's is not among them.
    pub overridden: BTreeMap<String, String>,
}

impl Theme {
    /// The embedded default theme, with the site's files for `name` on top.
    pub fn assemble(name: &str, site_themes: &BTreeMap<String, Vec<u8>>) -> Theme {
        let mut theme = Theme::default();
        collect(&DEFAULT, &mut theme.files);
        let prefix = format!("{name}/");
        for (path, bytes) in site_themes {
            if let Some(rel) = path.strip_prefix(&prefix) {
                // A copy of the default's file is no override: the sample
                // site, built from this repository's root, finds the
                // default theme itself under `themes/default/`.
                if Theme::default_file(rel) == Some(bytes.as_slice()) {
                    continue;
                }
                theme.files.insert(rel.to_string(), bytes.clone());
                theme.overridden.insert(rel.to_string(), format!("themes/{path}"));
            }
        }
        theme
    }

    /// Where a theme file comes from, as a volunteer would find it.
    pub fn origin(&self, rel: &str) -> String {
        self.overridden.get(rel).cloned().unwrap_or_else(|| format!("thème par défaut : {rel}"))
    }

    /// How diagnostics name the embedded default theme's file.
    pub fn origin_default(&self, rel: &str) -> String {
        format!("thème par défaut : {rel}")
    }

    pub fn templates(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().filter_map(|(p, b)| p.strip_prefix("templates/").map(|name| (name, b.as_slice())))
    }

    /// The embedded default theme's version of a file, even when the site
    /// overrides it: translation files are merged key by key over it.
    pub fn default_file(rel: &str) -> Option<&'static [u8]> {
        DEFAULT.get_file(rel).map(|f| f.contents())
    }

    pub fn statics(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().filter_map(|(p, b)| p.strip_prefix("static/").map(|name| (name, b.as_slice())))
    }
}

fn collect(dir: &Dir<'_>, out: &mut BTreeMap<String, Vec<u8>>) {
    for f in dir.files() {
        out.insert(f.path().to_string_lossy().replace('\\', "/"), f.contents().to_vec());
    }
    for d in dir.dirs() {
        collect(d, out);
    }
}
