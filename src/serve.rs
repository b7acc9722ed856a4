//! `alimap serve`: a live preview for volunteers editing the site.
//!
//! It builds the site with the same pipeline as `alimap build` (into the
//! same output folder, written by `output` as always: this module never
//! writes pages), serves that folder over HTTP on the loopback address,
//! watches `content/` and `themes/`, rebuilds after each change and makes
//! open pages reload.
//!
//! Reloading needs a script, and pages forbid inline scripts (their CSP
//! allows only the site's own files). So, only in the responses of this
//! server, each HTML page gets `<script src="/__alimap/recharger.js">`
//! before `</body>`; the files on disk stay byte for byte those of
//! `alimap build`. The script long-polls `/__alimap/version` and reloads
//! when the version changes.
//!
//! While the last build has errors, every HTML request gets a page listing
//! the diagnostics instead of the stale site, so a volunteer never mistakes
//! an old page for the result of their edit.

use std::fs;
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, anyhow, bail};
use notify::event::{AccessKind, AccessMode, EventKind, MetadataKind, ModifyKind};
use notify::{RecursiveMode, Watcher};

use crate::build::{self, Cache, Report};
use crate::diagnostic::{Severity, render_all, terminal};
use crate::output;
use crate::text::html::escape_html;

mod http;
use http::{Answer, Head};

/// What `alimap serve` needs.
#[derive(Clone, Debug)]
pub struct Options {
    /// The build, with `output` set to the folder to write and serve.
    pub build: build::Options,
    pub adresse: IpAddr,
    /// `0` lets the system choose a free port.
    pub port: u16,
}

/// The script that reloads pages, served at [`RELOAD_PATH`].
const RELOAD_JS: &str = include_str!("serve/recharger.js");
const RELOAD_PATH: &str = "/__alimap/recharger.js";
const VERSION_PATH: &str = "/__alimap/version";
/// How long a version request waits for a change before answering anyway:
/// short enough for proxies and browsers not to give up on it.
const LONG_POLL: Duration = Duration::from_secs(25);
/// The most connections served at once; others are closed unanswered.
/// Each open page holds one (its version request), for [`LONG_POLL`].
const MAX_CONNECTIONS: usize = 128;
/// Editors save in several steps (temporary file, rename): wait until the
/// folder has been quiet this long before rebuilding.
const QUIET: Duration = Duration::from_millis(100);

/// What the server shows, shared between the builder and the requests.
struct State {
    /// Changes at every build; a page that has another one reloads. It
    /// starts from the time the server started, so that a page left open
    /// across a restart of `alimap serve` reloads too.
    version: String,
    /// The error page's text while the last build failed.
    failure: Option<Failure>,
}

struct Failure {
    errors: usize,
    /// The rendered diagnostics, or the reason the build itself failed.
    details: String,
}

struct Shared {
    out: PathBuf,
    state: Mutex<State>,
    changed: Condvar,
}

impl Shared {
    fn publish(&self, counter: u64, failure: Option<Failure>, session: &str) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.version = format!("{session}-{counter}");
        state.failure = failure;
        self.changed.notify_all();
    }
}

/// Builds, serves and rebuilds until the process is stopped.
pub fn serve(opts: &Options) -> Result<()> {
    let out = opts.build.output.clone().context("aucun dossier de sortie")?;
    build::check_output_place(&opts.build.root, &out)?;
    let out = output::destination(&out)?;
    // Serving a folder alimap did not make would show whatever is in it,
    // and the first successful build would refuse to replace it anyway.
    if out.exists() && !output::is_ours(&out)? {
        bail!(
            "le dossier `{}` existe et n’a pas été créé par alimap : il n’est pas modifié. \
             Choisissez un autre dossier avec `--sortie`",
            out.display()
        );
    }
    if !opts.adresse.is_loopback() {
        eprintln!(
            "attention : l’aperçu est ouvert aux autres machines du réseau sur {} ; \
             il n’a ni mot de passe ni chiffrement. Sans `--adresse`, il n’est visible que de cet ordinateur.",
            opts.adresse
        );
    }

    let session = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0).to_string();
    let shared = Arc::new(Shared {
        out: out.clone(),
        state: Mutex::new(State { version: String::new(), failure: None }),
        changed: Condvar::new(),
    });
    // Watch the folders the build reads, and the site folder itself to see
    // `themes/` appear, before the first build: an edit made while it runs,
    // or right after the address is printed, is never missed. Paths are
    // made absolute, as events report them.
    let root = opts.build.root.canonicalize().with_context(|| format!("dossier `{}`", opts.build.root.display()))?;
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx).context("surveillance des fichiers impossible")?;
    watcher.watch(&root, RecursiveMode::NonRecursive).context("surveillance du dossier du site")?;
    let watched = [root.join("content"), root.join("themes")];
    let mut watching = vec![false; watched.len()];
    watch_new_folders(&mut watcher, &watched, &mut watching);

    let mut cache = Cache::default();
    let mut counter = 1;
    shared.publish(counter, build_once(&opts.build, &mut cache), &session);

    let addr = SocketAddr::new(opts.adresse, opts.port);
    let listener = TcpListener::bind(addr).map_err(|e| {
        anyhow!("impossible d’écouter sur {addr} : {e}. Le port est peut-être déjà pris : choisissez-en un autre avec `--port`")
    })?;
    let bound = listener.local_addr().unwrap_or(addr);
    println!("Aperçu du site sur http://{bound}/ (Ctrl+C pour arrêter)");

    let requests = Arc::clone(&shared);
    thread::spawn(move || {
        let open = Arc::new(AtomicUsize::new(0));
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                open.fetch_sub(1, Ordering::SeqCst);
                continue;
            }
            let (shared, open) = (Arc::clone(&requests), Arc::clone(&open));
            // One thread per connection: version requests wait for a
            // while, and a preview has a handful of visitors.
            thread::spawn(move || {
                let _ = connection(&shared, stream);
                open.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });

    loop {
        watch_new_folders(&mut watcher, &watched, &mut watching);
        // Wait for a change in a folder the build reads, then for quiet.
        let relevant = |event: &notify::Result<notify::Event>| match event {
            Ok(e) => changes(&e.kind) && e.paths.iter().any(|p| watched.iter().any(|w| p.starts_with(w))),
            Err(_) => true,
        };
        loop {
            let event = rx.recv().context("la surveillance des fichiers s’est arrêtée")?;
            if relevant(&event) {
                break;
            }
        }
        loop {
            match rx.recv_timeout(QUIET) {
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => bail!("la surveillance des fichiers s’est arrêtée"),
            }
        }
        eprintln!("Modification détectée : reconstruction…");
        counter += 1;
        shared.publish(counter, build_once(&opts.build, &mut cache), &session);
    }
}

/// Starts watching those of `watched` that exist and are not watched yet.
fn watch_new_folders(watcher: &mut impl Watcher, watched: &[PathBuf], watching: &mut [bool]) {
    for (dir, on) in watched.iter().zip(watching) {
        if !*on && dir.is_dir() {
            *on = watcher.watch(dir, RecursiveMode::Recursive).is_ok();
        }
    }
}

/// Whether an event may change what the build reads. The build itself
/// opens every file, which the system reports too: those must not start
/// another build.
fn changes(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

/// Runs one build, prints what a volunteer needs in the terminal, and
/// returns the failure to show in the browser, if any.
fn build_once(opts: &build::Options, cache: &mut Cache) -> Option<Failure> {
    let started = Instant::now();
    let report: Report = match build::rebuild(opts, cache) {
        Ok(r) => r,
        Err(e) => {
            // Paths in it may come from the site's files.
            let details = terminal(&format!("{e:#}")).into_owned();
            eprintln!("erreur : {details}");
            return Some(Failure { errors: 1, details });
        }
    };
    let shown = render_all(&report.diagnostics, &report.sources);
    if !shown.is_empty() {
        eprintln!("{shown}");
    }
    let errors = report.diagnostics.count(Severity::Error);
    match report.summary {
        Some(s) if errors == 0 => {
            eprintln!("Site construit : {} pages ({:.2} s)", s.pages, started.elapsed().as_secs_f64());
            None
        }
        _ => {
            eprintln!(
                "Échec : {errors} erreur{} ; le navigateur affiche les erreurs jusqu’à leur correction.",
                plural(errors)
            );
            Some(Failure { errors, details: shown })
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n > 1 { "s" } else { "" }
}

// ------------------------------------------------------------------ HTTP

/// Reads one request on `stream` and answers it.
fn connection(shared: &Shared, mut stream: TcpStream) -> std::io::Result<()> {
    let (answer, with_body) = match http::read_head(&mut stream)? {
        Head::TooLarge => {
            (text(431, &format!("Requête refusée : son en-tête dépasse {} Kio.\n", http::MAX_HEAD / 1024)), true)
        }
        Head::Malformed => (text(400, "Requête mal formée.\n"), true),
        Head::Request { method, target } => match method.as_str() {
            "GET" => (answer(shared, &target), true),
            "HEAD" => (answer(shared, &target), false),
            _ => (
                text(405, "Méthode non autorisée : l’aperçu ne sert que GET et HEAD.\n")
                    .with_header("Allow", "GET, HEAD"),
                true,
            ),
        },
    };
    http::send(stream, &answer, with_body)
}

fn answer(shared: &Shared, target: &str) -> Answer {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    match path {
        RELOAD_PATH => Answer::new(200, RELOAD_JS.as_bytes().to_vec())
            .with_header("Content-Type", "text/javascript; charset=utf-8")
            .with_header("Cache-Control", "no-store"),
        VERSION_PATH => {
            let since = query.split('&').find_map(|kv| kv.strip_prefix("depuis=")).map(decode_lossy);
            Answer::new(200, wait_for_version(shared, since.as_deref()).into_bytes())
                .with_header("Content-Type", "text/plain; charset=utf-8")
                .with_header("Cache-Control", "no-store")
        }
        _ => file_response(shared, path),
    }
}

/// The current version, once it differs from `since` or after
/// [`LONG_POLL`].
fn wait_for_version(shared: &Shared, since: Option<&str>) -> String {
    let state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
    let Some(since) = since else { return state.version.clone() };
    let (state, _) =
        shared.changed.wait_timeout_while(state, LONG_POLL, |s| s.version == since).unwrap_or_else(|e| e.into_inner());
    state.version.clone()
}

fn file_response(shared: &Shared, raw_path: &str) -> Answer {
    let Some(parts) = request_path(raw_path) else {
        return text(400, "Requête refusée : ce chemin sort du site.\n");
    };
    let mut file = parts.iter().fold(shared.out.clone(), |p, s| p.join(s));
    if file.is_dir() {
        // Pages link relatively: `structures/` must be asked for with its
        // slash for its links to resolve.
        if !raw_path.ends_with('/') {
            return Answer::new(301, Vec::new()).with_header("Location", folder_location(&parts));
        }
        file.push("index.html");
    }
    let (status, file) = if file.is_file() { (200, file) } else { (404, shared.out.join("404.html")) };
    let kind = content_type(&file);
    let is_html = kind.starts_with("text/html");

    let state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
    let version = state.version.clone();
    if let Some(failure) = &state.failure
        && (is_html || status == 404)
    {
        return html(500, error_page(failure, &version));
    }
    drop(state);

    match fs::read(&file) {
        Ok(bytes) if is_html => html(status, with_reload_script(bytes, &version)),
        Ok(bytes) => {
            Answer::new(status, bytes).with_header("Content-Type", kind).with_header("Cache-Control", "no-store")
        }
        Err(_) => html(404, with_reload_script(NOT_BUILT.as_bytes().to_vec(), &version)),
    }
}

/// Shown when there is no page at all, not even `404.html`.
const NOT_BUILT: &str = "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
<title>Page introuvable</title></head><body><h1>Page introuvable</h1>\
<p>Cette adresse ne correspond à aucune page du site construit.</p></body></html>\n";

/// The path's segments, percent-decoded, or `None` when it could leave the
/// served folder or name a hidden file (such as alimap's marker): `..`,
/// `.`, back-slashes, NUL, or anything that does not decode.
fn request_path(raw: &str) -> Option<Vec<String>> {
    if !raw.starts_with('/') {
        return None;
    }
    let decoded = String::from_utf8(percent_decode(raw)?).ok()?;
    let mut parts = Vec::new();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment.starts_with('.') || segment.contains(['\\', '\0', ':']) {
            return None;
        }
        parts.push(segment.to_string());
    }
    Some(parts)
}

/// Where a folder asked for without its final slash is: its path on this
/// server, always one slash then the segments (`//lieux` would be another
/// host's address to a browser), percent-encoded again.
fn folder_location(parts: &[String]) -> String {
    let mut location = String::from("/");
    for part in parts {
        for &b in part.as_bytes() {
            if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@".contains(&b) {
                location.push(char::from(b));
            } else {
                location.push_str(&format!("%{b:02X}"));
            }
        }
        location.push('/');
    }
    location
}

/// `%xx` sequences into bytes; `None` on a malformed one.
fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

fn decode_lossy(s: &str) -> String {
    percent_decode(s).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default()
}

/// Adds the reload script before the last `</body>`, or at the end.
fn with_reload_script(mut page: Vec<u8>, version: &str) -> Vec<u8> {
    let tag = format!("<script src=\"{RELOAD_PATH}\" data-version=\"{}\"></script>\n", escape_html(version));
    let at = page.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(page.len());
    page.splice(at..at, tag.into_bytes());
    page
}

fn error_page(failure: &Failure, version: &str) -> Vec<u8> {
    let page = format!(
        "<!DOCTYPE html>
<html lang=\"fr\">
<head>
<meta charset=\"utf-8\">
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'\">
<title>Le site n’a pas pu être construit – aperçu alimap</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.5; }}
h1 {{ color: #a40000; }}
pre {{ background: #f4f4f4; border-left: 4px solid #a40000; padding: 1rem; overflow-x: auto; white-space: pre-wrap; }}
</style>
</head>
<body>
<main>
<h1>Le site n’a pas pu être construit</h1>
<p>alimap a trouvé {errors} erreur{s} dans les fichiers du site. Corrigez{them} puis enregistrez :
cette page se recharge d’elle-même dès que le site est construit.</p>
<pre>{details}</pre>
</main>
</body>
</html>
",
        errors = failure.errors,
        s = plural(failure.errors),
        them = if failure.errors > 1 { "-les" } else { "-la" },
        details = escape_html(&failure.details),
    );
    with_reload_script(page.into_bytes(), version)
}

fn html(status: u16, bytes: Vec<u8>) -> Answer {
    Answer::new(status, bytes)
        .with_header("Content-Type", "text/html; charset=utf-8")
        .with_header("Cache-Control", "no-store")
}

fn text(status: u16, body: &str) -> Answer {
    Answer::new(status, body.as_bytes().to_vec()).with_header("Content-Type", "text/plain; charset=utf-8")
}

fn content_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "geojson" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2e%2e/x",
            "/a%2f..%2fb",
            "/.alimap-build",
            "/%zz",
            "/a\\b",
            "x",
        ] {
            assert_eq!(request_path(bad), None, "{bad}");
        }
        assert_eq!(request_path("/lieux/a%20b.html"), Some(vec!["lieux".into(), "a b.html".into()]));
        assert_eq!(request_path("/"), Some(vec![]));
    }

    #[test]
    fn folders_redirect_to_a_path_of_this_server() {
        let location = |raw: &str| folder_location(&request_path(raw).unwrap());
        assert_eq!(location("//lieux"), "/lieux/");
        assert_eq!(location("///evil.example/x"), "/evil.example/x/");
        assert_eq!(location("/a//b"), "/a/b/");
        assert_eq!(location("/%2Fevil.example"), "/evil.example/");
        assert_eq!(location("/caf%C3%A9%20x"), "/caf%C3%A9%20x/");
        assert_eq!(location("/"), "/");
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = with_reload_script(b"<p>a</p></body></html>".to_vec(), "1-2");
        assert_eq!(
            String::from_utf8(page).unwrap(),
            "<p>a</p><script src=\"/__alimap/recharger.js\" data-version=\"1-2\"></script>\n</body></html>"
        );
    }
}
