//! `alimap serve`, as a volunteer uses it: the real binary on a copy of a
//! fixture site, asked for pages over HTTP on the loopback address while
//! files are edited.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use alimap::build::{Cache, Options, build, rebuild};

use crate::support::*;

/// The running server, stopped when the test ends, even on a panic.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_alimap"))
            .args(["--racine", root.to_str().unwrap(), "--date", "2026-11-28", "serve", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start alimap serve");
        // The first line says where the preview is; the port was chosen by
        // the system, so no two tests compete for one.
        let stdout = child.stdout.take().unwrap();
        // Placeholder until the address is known; the guard already holds
        // the child, so a failure below still stops it.
        let mut server = Server { child, addr: SocketAddr::from(([127, 0, 0, 1], 0)) };
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("read the first line of alimap serve");
        server.addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        assert!(server.addr.ip().is_loopback());
        server
    }

    /// Sends `target` as written (no normalisation, unlike most clients)
    /// and returns the status code and the body.
    fn get(&self, target: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(self.addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        write!(stream, "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.addr).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let response = String::from_utf8_lossy(&response).into_owned();
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, body.to_string())
    }

    /// Sends `request` as it is and returns the whole response, head and
    /// body.
    fn raw(&self, request: &[u8]) -> String {
        let mut stream = TcpStream::connect(self.addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        stream.write_all(request).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        String::from_utf8_lossy(&response).into_owned()
    }

    /// Asks for `target` until `done` holds, for at most 20 s.
    fn wait_for(&self, target: &str, what: &str, done: impl Fn(u16, &str) -> bool) -> (u16, String) {
        let start = Instant::now();
        loop {
            let (status, body) = self.get(target);
            if done(status, &body) {
                return (status, body);
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!("after 20 s, still not {what}: {status}\n{body}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[test]
fn edits_show_up_errors_replace_pages_until_fixed() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("build/minimal"), dir.path());
    let server = Server::start(dir.path());
    let page = "/lieux/epicerie-nord.html";
    let file = dir.path().join("content/lieux/nord/epicerie-nord.toml");
    let original = std::fs::read_to_string(&file).unwrap();

    let (status, body) = server.wait_for(page, "served", |s, _| s == 200);
    assert!(visible_text(&body).contains("Épicerie solidaire du Nord"), "{body}");
    // Served pages load the reload script from the server, never inline.
    assert!(body.contains(r#"<script src="/__alimap/recharger.js" data-version=""#), "{body}");
    let on_disk = std::fs::read_to_string(dir.path().join("output").join(&page[1..])).unwrap();
    assert!(!on_disk.contains("__alimap"), "the built file must stay as `alimap build` writes it");
    let (status_js, js) = server.get("/__alimap/recharger.js");
    assert_eq!((status, status_js), (200, 200));
    assert!(js.contains("location.reload"), "{js}");

    std::fs::write(&file, original.replace("Épicerie solidaire du Nord", "Épicerie du Canal")).unwrap();
    server
        .wait_for(page, "rebuilt with the new name", |s, b| s == 200 && visible_text(b).contains("Épicerie du Canal"));

    std::fs::write(&file, format!("{original}\nhoraires = [\n")).unwrap();
    let (_, error_page) =
        server.wait_for(page, "showing the error page", |s, b| s == 500 && b.contains("pas pu être construit"));
    let text = visible_text(&error_page);
    assert!(text.contains("syntaxe TOML invalide"), "{text}");
    assert!(text.contains("content/lieux/nord/epicerie-nord.toml"), "{text}");
    // Every HTML page shows it, the home page too; the reload script too.
    let (status, home) = server.get("/");
    assert_eq!(status, 500);
    assert!(home.contains("pas pu être construit") && home.contains("/__alimap/recharger.js"), "{home}");

    std::fs::write(&file, &original).unwrap();
    server.wait_for(page, "fixed", |s, b| s == 200 && visible_text(b).contains("Épicerie solidaire du Nord"));
}

#[test]
fn paths_leaving_the_site_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("build/minimal"), dir.path());
    let server = Server::start(dir.path());
    server.wait_for("/", "served", |s, _| s == 200);
    for target in
        ["/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/lieux/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "/.alimap-build"]
    {
        let (status, body) = server.get(target);
        assert_eq!(status, 400, "{target}: {body}");
        assert!(!body.contains("root:"), "{target}: {body}");
    }
    // A folder is asked for with its slash, so its relative links work; a
    // missing page gets the site's 404 page.
    assert_eq!(server.get("/structures").0, 301);
    let (status, body) = server.get("/structures/");
    assert_eq!(status, 200);
    assert!(body.contains("</html>"));
    let (status, body) = server.get("/lieux/inconnu.html");
    assert_eq!(status, 404);
    assert!(body.contains("/__alimap/recharger.js"), "{body}");
}

/// Every file under `root`, with its bytes, sorted.
fn tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(root).unwrap().display().to_string(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

/// What a volunteer did, and how to do it again here.
type Edit<'a> = (&'a str, Box<dyn Fn() + 'a>);

#[test]
fn rebuilds_after_edits_write_exactly_what_a_fresh_build_writes() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(&fixture("build/minimal"), &site);
    let served = Options { root: site.clone(), output: Some(dir.path().join("apercu")), today: today() };
    let fresh = Options { output: Some(dir.path().join("neuf")), ..served.clone() };
    let mut cache = Cache::default();
    let content = site.join("content");
    let lieu = content.join("lieux/nord/epicerie-nord.toml");
    let text = std::fs::read_to_string(&lieu).unwrap();
    let template = std::fs::read(fixture("build/theme-override/themes/default/templates/page.html")).unwrap();
    let structure = content.join("structures/asso-test.toml");
    let territoire = content.join("territoires/ville-test.toml");
    let replace_in = |file: &Path, from: &str, to: &str| {
        let text = std::fs::read_to_string(file).unwrap();
        assert!(text.contains(from), "{}", file.display());
        std::fs::write(file, text.replacen(from, to, 1)).unwrap();
    };

    let edits: Vec<Edit> = vec![
        ("nothing", Box::new(|| {})),
        ("a point renamed", Box::new(|| std::fs::write(&lieu, text.replace("solidaire du Nord", "du Canal")).unwrap())),
        (
            "a point added",
            Box::new(|| {
                std::fs::write(content.join("lieux/nord/nouveau.toml"), text.replace("solidaire du Nord", "Nouvelle"))
                    .unwrap()
            }),
        ),
        // What a territory's coordination page and guide count and list.
        ("a point's hours changed", Box::new(|| replace_in(&lieu, "Mo-Fr 09:00-12:00", "Mo-Sa 09:00-12:00"))),
        ("a point moved", Box::new(|| replace_in(&lieu, "latitude = 48.93", "latitude = 48.9312"))),
        (
            "a structure's needs declared",
            Box::new(|| {
                let text = std::fs::read_to_string(&structure).unwrap();
                std::fs::write(&structure, format!("{text}\n[besoins]\nbenevoles = true\ndons = [\"denrees\"]\n"))
                    .unwrap()
            }),
        ),
        // Point pages are kept when their own inputs did not change: these
        // change what every point page shows without touching its file.
        ("a structure renamed", Box::new(|| replace_in(&structure, "nom = \"", "nom = \"Nouvelle "))),
        ("a territory renamed", Box::new(|| replace_in(&territoire, "nom = \"", "nom = \"Grande "))),
        ("the site renamed", Box::new(|| replace_in(&content.join("site.toml"), "titre = \"", "titre = \"Nouvel "))),
        ("a page removed", Box::new(|| std::fs::remove_file(content.join("pages/a-propos.md")).unwrap())),
        (
            "a template overridden",
            Box::new(|| {
                let dir = site.join("themes/default/templates");
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(dir.join("page.html"), &template).unwrap();
            }),
        ),
        // serve keeps each language's compiled templates until one changes.
        (
            "the overridden template edited",
            Box::new(|| {
                let file = site.join("themes/default/templates/page.html");
                replace_in(&file, "Gabarit de page du territoire", "Gabarit de page modifié")
            }),
        ),
    ];
    for (what, edit) in &edits {
        edit();
        let report = rebuild(&served, &mut cache).unwrap();
        assert!(!report.diagnostics.has_errors(), "{what}");
        build(&fresh).unwrap();
        let (a, b) = (tree(&dir.path().join("apercu")), tree(&dir.path().join("neuf")));
        let names = |t: &[(String, Vec<u8>)]| t.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
        assert_eq!(names(&a), names(&b), "after {what}");
        for (x, y) in a.iter().zip(&b) {
            assert!(x.1 == y.1, "after {what}, {} differs from a fresh build", x.0);
        }
    }
    let page = std::fs::read_to_string(dir.path().join("apercu/pages/mentions-legales.html")).unwrap();
    assert!(page.contains("Gabarit de page modifié"));
    assert!(dir.path().join("apercu/lieux/nouveau.html").is_file());
    assert!(!dir.path().join("apercu/pages/a-propos.html").exists());
}

#[test]
fn redirects_stay_on_this_server_and_request_heads_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("build/minimal"), dir.path());
    let server = Server::start(dir.path());
    server.wait_for("/", "served", |s, _| s == 200);
    // A folder asked for without its slash: redirected to its path on this
    // server, never to `//host/…`, which a browser reads as another host.
    for target in ["/lieux", "//lieux", "///lieux", "/%2F%2Flieux", "//lieux?x=1"] {
        let response = server.raw(format!("GET {target} HTTP/1.1\r\nHost: a\r\n\r\n").as_bytes());
        let head = response.split("\r\n\r\n").next().unwrap();
        assert!(head.starts_with("HTTP/1.1 301 "), "{target}: {head}");
        let location: Vec<&str> = head.lines().filter_map(|l| l.strip_prefix("Location: ")).collect();
        assert_eq!(location, ["/lieux/"], "{target}: {head}");
    }
    // A head larger than the bound is refused while it is being sent: the
    // server answers without waiting for its end.
    let mut huge = b"GET / HTTP/1.1\r\nHost: a\r\nX-Grand: ".to_vec();
    huge.extend(std::iter::repeat_n(b'a', 64 * 1024));
    let response = server.raw(&huge);
    assert!(response.starts_with("HTTP/1.1 431 "), "{}", &response[..response.len().min(200)]);
    let mut long_line = b"GET /".to_vec();
    long_line.extend(std::iter::repeat_n(b'a', 32 * 1024));
    let response = server.raw(&long_line);
    assert!(response.starts_with("HTTP/1.1 431 "), "{}", &response[..response.len().min(200)]);
    // Malformed request lines, and what other methods get.
    assert!(server.raw(b"GET\r\n\r\n").starts_with("HTTP/1.1 400 "));
    let response = server.raw(b"POST / HTTP/1.1\r\nHost: a\r\n\r\n");
    assert!(response.starts_with("HTTP/1.1 405 ") && response.contains("Allow: GET, HEAD"), "{response}");
    // HEAD gets the head alone; the server still answers afterwards.
    let response = server.raw(b"HEAD /structures/ HTTP/1.1\r\nHost: a\r\n\r\n");
    assert!(response.starts_with("HTTP/1.1 200 ") && response.ends_with("\r\n\r\n"), "{response}");
    assert_eq!(server.get("/structures/").0, 200);
}
