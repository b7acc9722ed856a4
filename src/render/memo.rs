//! Pages kept between the builds of one `alimap serve` session, so that a
//! one-file change renders again only the pages it changes.
//!
//! A page's bytes depend only on its template set and its Tera context (the
//! templates call no function that reads anything else). So each page is
//! kept with a fingerprint of its template name and context, and the whole
//! memo is forgotten when any template changes. Point pages, which are
//! most of a site and each depend on a few items, are keyed instead by
//! those items (the point, its structure, its territories and what every
//! page shows), so that their context is not even built when they did not
//! change.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tera::Context;

use crate::files::kept::Fingerprinter;
use crate::files::kept::{Fingerprint, PerPoint};
use crate::theme::Theme;

/// Pages move in and out of the memo rather than being copied: a build
/// takes the unchanged pages out (`take`), and once they are written the
/// build's pages go back in (`keep`), without copying the whole site's
/// bytes twice per rebuild.
#[derive(Default)]
pub struct Memo {
    templates: Option<Fingerprint>,
    /// Each language's template set, compiled once while the templates and
    /// translation files stay the same, by language code and `plain`.
    template_sets: HashMap<(String, bool), Arc<tera::Tera>>,
    pages: Mutex<HashMap<String, (Fingerprint, Vec<u8>)>>,
    /// The keys of the pages of the build under way, until `keep`.
    pending: HashMap<String, Fingerprint>,
    /// Each point's records in the exports and entry in the search index.
    pub(super) records: PerPoint<crate::files::export::Records>,
    pub(super) entries: PerPoint<crate::files::search::Entry>,
}

impl Memo {
    /// Called before rendering: forgets every page and template set if a
    /// template or a translation file changed.
    pub(super) fn start(&mut self, theme: &Theme) {
        let mut f = Fingerprinter::new();
        for (name, bytes) in &theme.files {
            if name.starts_with("templates/") || name.starts_with(crate::text::i18n::FOLDER) {
                f.field(name.as_bytes());
                f.field(bytes);
            }
        }
        let templates = f.finish();
        if self.templates != Some(templates) {
            self.pages.get_mut().unwrap_or_else(|e| e.into_inner()).clear();
            self.template_sets.clear();
            self.templates = Some(templates);
        }
    }

    /// The template set compiled for `code` since the templates last changed.
    pub(super) fn template_set(&self, code: &str, plain: bool) -> Option<Arc<tera::Tera>> {
        self.template_sets.get(&(code.to_string(), plain)).cloned()
    }

    pub(super) fn keep_template_set(&mut self, code: &str, plain: bool, tera: &Arc<tera::Tera>) {
        self.template_sets.insert((code.to_string(), plain), Arc::clone(tera));
    }

    /// The fingerprint of what rendering `template` with `ctx` depends on.
    pub(super) fn key(template: &str, ctx: &Context) -> Fingerprint {
        let mut f = Fingerprinter::new();
        f.field(template.as_bytes());
        // The context's `Debug` form shows every value, in the sorted order
        // of its map, and can be fed to the hasher as it is produced: no
        // copy of the context is made. It changes only between versions of
        // Tera, and the memo lives for one process.
        use std::fmt::Write as _;
        let _ = write!(f, "{ctx:?}");
        f.finish()
    }

    /// The bytes rendered last time for `path`, taken out of the memo, if
    /// its key is the same.
    pub(super) fn take(&self, path: &str, key: Fingerprint) -> Option<Vec<u8>> {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        match pages.get(path) {
            Some((k, _)) if *k == key => pages.remove(path).map(|(_, bytes)| bytes),
            _ => None,
        }
    }

    /// Notes the keys of this build's pages, for [`Memo::keep`].
    pub(super) fn expect(&mut self, keys: HashMap<String, Fingerprint>) {
        self.pending = keys;
    }

    /// Keeps exactly the pages of this build, for the next one: those of
    /// `files` (the build's output, once written) that [`Memo::expect`]
    /// gave a key.
    pub fn keep(&mut self, files: Vec<crate::output::OutputFile>) {
        let mut pending = std::mem::take(&mut self.pending);
        let pages =
            files.into_iter().filter_map(|f| Some((pending.remove(&f.path)?, f))).map(|(k, f)| (f.path, (k, f.bytes)));
        *self.pages.get_mut().unwrap_or_else(|e| e.into_inner()) = pages.collect();
    }
}
