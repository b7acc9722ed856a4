//! The output folder: swapped in whole, never deleted when alimap did not
//! make it, identical for identical input, and rebuilt by linking the files
//! that did not change, never keeping one edited since.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use alimap::build::{Options, build};
use alimap::output::{MARKER, manifest_path};

use crate::support::*;

fn build_into(root: &Path, out: &Path) -> alimap::build::Report {
    build(&Options { root: root.to_path_buf(), output: Some(out.to_path_buf()), today: today() }).unwrap()
}

/// Every file of a built site with its bytes, sorted.
fn files(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (e.path().strip_prefix(root).unwrap().to_str().unwrap().replace('\\', "/"), fs::read(e.path()).unwrap())
        })
        .collect();
    v.sort();
    v
}

/// Asserts that `out` holds what a fresh build of `site` writes.
fn assert_fresh(site: &Path, out: &Path) {
    let fresh = tempfile::tempdir().unwrap();
    build_into(site, &fresh.path().join("o"));
    let (got, want) = (files(out), files(&fresh.path().join("o")));
    assert_eq!(got.iter().map(|f| &f.0).collect::<Vec<_>>(), want.iter().map(|f| &f.0).collect::<Vec<_>>());
    for (g, w) in got.iter().zip(&want) {
        assert!(g.1 == w.1, "{} differs from a fresh build", g.0);
    }
}

fn mtime(path: &Path) -> SystemTime {
    fs::metadata(path).unwrap().modified().unwrap()
}

fn set_mtime(path: &Path, time: SystemTime) {
    fs::File::options().write(true).open(path).unwrap().set_modified(time).unwrap();
}

/// Changes one character of a page, keeping its length.
fn flip_one_character(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(text.contains("</html>"));
    text.replacen("</html>", "</HTML>", 1).into_bytes()
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_into(&fixture("build/minimal"), &out);
    let before = fs::read_to_string(out.join("index.html")).unwrap();
    let report = build_into(&fixture("diagnostics/references"), &out);
    assert!(report.diagnostics.has_errors());
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), before);
}

#[test]
fn a_template_error_while_rendering_leaves_the_previous_site_untouched() {
    // Pages go into the staging folder as they are rendered, so some are
    // written before the failing ones: the staging folder must go, and the
    // previous site stay whole.
    let site = scratch_copy("build/minimal");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_into(site.path(), &out);
    let page = |out: &std::path::Path| {
        let lieux = fs::read_dir(out.join("lieux")).unwrap().map(|e| e.unwrap().path());
        let path = lieux.filter(|p| p.extension().is_some_and(|x| x == "html")).min().unwrap();
        fs::read_to_string(path).unwrap()
    };
    let before = page(&out);
    let templates = site.path().join("themes/default/templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(templates.join("lieu.html"), "{{ inexistant.champ }}").unwrap();
    let report = build_into(site.path(), &out);
    let messages: Vec<&str> = report.diagnostics.0.iter().map(|d| d.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.starts_with("erreur de gabarit")), "{messages:?}");
    assert!(report.summary.is_none());
    assert_eq!(page(&out), before);
    let mut left: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    left.sort();
    assert_eq!(left, [".output.alimap-empreintes", "output"]);
}

#[test]
fn a_template_that_does_not_compile_is_reported_once_and_nothing_is_written() {
    // A language's templates compile while the first pages render, some of
    // them without templates (`render::langues::Templates`): the theme's
    // mistake is still reported once, and no site is written.
    let site = scratch_copy("build/minimal");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    let templates = site.path().join("themes/default/templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(templates.join("page.html"), "{% if page %}jamais fermé").unwrap();
    let report = build_into(site.path(), &out);
    let messages: Vec<&str> = report.diagnostics.0.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages.iter().filter(|m| m.starts_with("erreur de gabarit")).count(), 1, "{messages:?}");
    assert!(report.summary.is_none());
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "nothing written beside the output either");
}

#[test]
fn a_rebuild_replaces_the_old_site_and_removes_stale_pages() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_into(&repo(), &out);
    assert!(out.join("territoires/saint-denis.html").is_file());
    build_into(&fixture("build/minimal"), &out);
    assert!(!out.join("territoires/saint-denis.html").exists());
    assert!(out.join("territoires/ville-test.html").is_file());
    // Beside it: its manifest, and the site before it with its own, for
    // the next build to write into. No staging folder.
    let mut left: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    left.sort();
    assert_eq!(
        left,
        [".output.alimap-ancien", ".output.alimap-ancien-empreintes", ".output.alimap-empreintes", "output"]
    );
    assert!(dir.path().join(".output.alimap-ancien/territoires/saint-denis.html").is_file());
    // The next build writes into that folder: the pages of the sample site
    // it still held are gone.
    build_into(&fixture("build/minimal"), &out);
    assert!(!out.join("territoires/saint-denis.html").exists());
    assert!(walkdir::WalkDir::new(&out).into_iter().all(|e| !e.unwrap().path().ends_with("saint-denis")));
    assert_fresh(&fixture("build/minimal"), &out);
}

#[test]
fn a_rebuild_keeps_the_unchanged_files_of_the_site_before_where_they_are() {
    let site = scratch_copy("build/minimal");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    let ino = |p: &Path| fs::metadata(p).unwrap().ino();
    build_into(site.path(), &out);
    let kept = out.join("lieux/epicerie-nord.html");
    let first = ino(&kept);
    build_into(site.path(), &out);
    // The third build writes into the first one's folder: the unchanged
    // page is still the file the first build wrote, and the edited one
    // holds the new text.
    let page = site.path().join("content/pages/a-propos.md");
    fs::write(&page, fs::read_to_string(&page).unwrap().replace("un test", "un essai")).unwrap();
    build_into(site.path(), &out);
    assert_eq!(ino(&kept), first);
    assert!(fs::read_to_string(out.join("pages/a-propos.html")).unwrap().contains("un essai"));
    assert_fresh(site.path(), &out);
    // A page edited in place in the output folder is the same file as in
    // the folder kept beside it: neither copy is trusted any more.
    fs::write(&kept, flip_one_character(&fs::read(&kept).unwrap())).unwrap();
    set_mtime(&manifest_path(&out), mtime(&kept) + Duration::from_secs(60));
    for _ in 0..2 {
        build_into(site.path(), &out);
        assert_fresh(site.path(), &out);
    }
}

/// Builds `site` twice into `dir/output`: the output folder, and the site
/// kept beside it that the next build writes into.
fn built_twice(site: &Path, dir: &Path) -> (PathBuf, PathBuf) {
    let out = dir.join("output");
    build_into(site, &out);
    build_into(site, &out);
    (out, dir.join(".output.alimap-ancien"))
}

#[test]
fn links_planted_in_the_site_kept_beside_are_not_followed() {
    let (site, dir) = (fixture("build/minimal"), tempfile::tempdir().unwrap());
    let (out, kept) = built_twice(&site, dir.path());
    // Elsewhere: a folder and a file the build must not write into.
    let elsewhere = tempfile::tempdir().unwrap();
    fs::write(elsewhere.path().join("epicerie-nord.html"), "ailleurs").unwrap();
    fs::write(elsewhere.path().join("a-propos.html"), "ailleurs").unwrap();
    fs::remove_dir_all(kept.join("lieux")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), kept.join("lieux")).unwrap();
    fs::remove_file(kept.join("pages/a-propos.html")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("a-propos.html"), kept.join("pages/a-propos.html")).unwrap();
    build_into(&site, &out);
    let mut there: Vec<_> = fs::read_dir(elsewhere.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    there.sort();
    assert_eq!(there, ["a-propos.html", "epicerie-nord.html"]);
    for name in there {
        assert_eq!(fs::read_to_string(elsewhere.path().join(name)).unwrap(), "ailleurs");
    }
    assert_fresh(&site, &out);
}

/// The kept site is listed while pages are written into it: a page put
/// where it had a folder removes the folder, files the listing saw.
#[test]
fn a_folder_where_the_kept_site_needs_a_page_is_replaced_by_the_page() {
    let (site, dir) = (fixture("build/minimal"), tempfile::tempdir().unwrap());
    let (out, kept) = built_twice(&site, dir.path());
    let page = kept.join("pages/a-propos.html");
    fs::remove_file(&page).unwrap();
    fs::create_dir_all(page.join("ancien/plus-ancien")).unwrap();
    fs::write(page.join("ancien/plus-ancien/page.html"), "vieux").unwrap();
    fs::write(page.join("page.html"), "vieux").unwrap();
    build_into(&site, &out);
    assert!(fs::metadata(out.join("pages/a-propos.html")).unwrap().is_file());
    assert_fresh(&site, &out);
}

#[test]
fn a_folder_alimap_did_not_create_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("precieux.txt"), "à garder").unwrap();
    let err =
        build(&Options { root: fixture("build/minimal"), output: Some(out.clone()), today: today() }).unwrap_err();
    assert!(format!("{err:#}").contains("n’a pas été créé par alimap"), "{err:#}");
    assert_eq!(fs::read_to_string(out.join("precieux.txt")).unwrap(), "à garder");
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    build_into(&repo(), &a.path().join("o"));
    build_into(&repo(), &b.path().join("o"));
    let (fa, fb) = (files(&a.path().join("o")), files(&b.path().join("o")));
    assert!(fa.len() > 100);
    assert!(fa == fb, "outputs differ");
}

#[test]
fn the_manifest_lists_every_file_with_its_length_and_hash() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_into(&fixture("build/minimal"), &out);
    let manifest = fs::read_to_string(manifest_path(&out)).unwrap();
    let mut lines = manifest.lines();
    assert_eq!(lines.next(), Some("alimap-empreintes 1"));
    let mut listed = Vec::new();
    for line in lines {
        let fields: Vec<&str> = line.splitn(5, ' ').collect();
        let [hash, len, ino, mtime_ns, path] = fields[..] else { panic!("{line}") };
        let meta = fs::metadata(out.join(path)).unwrap();
        let bytes = fs::read(out.join(path)).unwrap();
        assert_eq!(hash, format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes)), "{path}");
        assert_eq!(len, bytes.len().to_string(), "{path}");
        assert_eq!(ino, meta.ino().to_string(), "{path}");
        assert_eq!(mtime_ns, (i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec())).to_string());
        listed.push(path.to_string());
    }
    // Sorted, every file but the marker.
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(listed, sorted);
    let all: Vec<String> = files(&out).into_iter().map(|f| f.0).filter(|p| p != MARKER).collect();
    assert_eq!(listed, all);
}

#[test]
fn the_manifest_is_kept_beside_the_output_folder_not_in_it() {
    // Its inodes and times differ from build to build: in the folder, it
    // would make two builds of the same input differ, and be published.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build_into(&fixture("build/minimal"), &out);
    assert!(dir.path().join(".site.alimap-empreintes").is_file());
    assert!(files(&out).iter().all(|(path, _)| !path.contains("empreintes")));
}

#[test]
fn a_rebuild_links_unchanged_files_and_rewrites_changed_ones() {
    let site = scratch_copy("build/minimal");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_into(site.path(), &out);
    let (kept, edited) = (out.join("lieux/epicerie-nord.html"), out.join("pages/a-propos.html"));
    let ino = |p: &Path| fs::metadata(p).unwrap().ino();
    let (kept_ino, kept_time) = (ino(&kept), mtime(&kept));
    let page = site.path().join("content/pages/a-propos.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, text.replace("un test", "un essai")).unwrap();
    build_into(site.path(), &out);
    // The same file, not a copy: a deployment that compares times sends
    // only what changed.
    assert_eq!(ino(&kept), kept_ino);
    assert_eq!(mtime(&kept), kept_time);
    assert!(fs::read_to_string(&edited).unwrap().contains("un essai"));
    assert_fresh(site.path(), &out);
}

#[test]
fn a_page_edited_in_the_output_folder_is_replaced_by_the_next_build() {
    let site = fixture("build/minimal");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_into(&site, &out);
    // Written in place: same inode, same length, a new modification time.
    let page = out.join("lieux/epicerie-nord.html");
    let time = mtime(&page);
    fs::write(&page, flip_one_character(&fs::read(&page).unwrap())).unwrap();
    // The build ended well after the page was written, so only the page's
    // new time tells (see below for the page written in its last tick).
    set_mtime(&manifest_path(&out), time + Duration::from_secs(60));
    build_into(&site, &out);
    assert_fresh(&site, &out);
}

#[test]
fn a_page_replaced_in_the_output_folder_is_replaced_even_with_its_old_time() {
    let site = fixture("build/minimal");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_into(&site, &out);
    // As editors save: a new file, renamed over the page, with the page's
    // length and, here, its modification time too. Only its inode tells.
    let page = out.join("lieux/epicerie-nord.html");
    let (bytes, time) = (fs::read(&page).unwrap(), mtime(&page));
    let new = out.join("lieux/.epicerie-nord.html.swp");
    fs::write(&new, flip_one_character(&bytes)).unwrap();
    set_mtime(&new, time);
    fs::rename(&new, &page).unwrap();
    // The build ended well after the page was written (so it is not
    // compared byte for byte as one written in the manifest's last clock
    // tick would be).
    set_mtime(&manifest_path(&out), time + Duration::from_secs(60));
    build_into(&site, &out);
    assert_fresh(&site, &out);
}

#[test]
fn a_page_edited_in_the_clock_tick_the_build_ended_in_is_replaced() {
    let site = fixture("build/minimal");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_into(&site, &out);
    // File systems keep times to a clock tick of a few milliseconds: a page
    // edited in place in the tick the manifest was written in keeps the
    // time the manifest recorded for it.
    let page = out.join("lieux/epicerie-nord.html");
    let time = mtime(&page);
    set_mtime(&manifest_path(&out), time);
    fs::write(&page, flip_one_character(&fs::read(&page).unwrap())).unwrap();
    set_mtime(&page, time);
    build_into(&site, &out);
    assert_fresh(&site, &out);
}

#[test]
fn a_damaged_or_missing_manifest_still_gives_the_right_site() {
    let site = fixture("build/minimal");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    build_into(&site, &out);
    let manifest = fs::read_to_string(manifest_path(&out)).unwrap();
    // Cut inside a line, as a crash could leave it.
    let cut = manifest[..manifest.len() / 2].trim_end_matches('\n');
    let damaged = [
        "".to_string(),
        cut.to_string(),
        manifest.replace("alimap-empreintes 1", "alimap-empreintes 99"),
        manifest.replacen(' ', "  ", 3),
        "\u{0}\u{1}binaire\n".to_string(),
    ];
    for text in damaged.iter().map(Some).chain([None]) {
        // An edit that keeps the page's length and time, that only its
        // bytes tell: without a manifest to trust, they are compared.
        let page = out.join("lieux/epicerie-nord.html");
        let time = mtime(&page);
        fs::write(&page, flip_one_character(&fs::read(&page).unwrap())).unwrap();
        set_mtime(&page, time);
        match text {
            Some(text) => fs::write(manifest_path(&out), text).unwrap(),
            None => fs::remove_file(manifest_path(&out)).unwrap(),
        }
        let report = build_into(&site, &out);
        assert!(report.summary.is_some(), "{text:?}");
        assert_fresh(&site, &out);
        // The rebuild wrote a manifest again.
        assert!(fs::read_to_string(manifest_path(&out)).unwrap().starts_with("alimap-empreintes 1\n"));
    }
}

/// What is beside the output folder `out`, by name.
fn beside(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Renames the first point, so that each build writes another site.
fn rename_point(site: &Path, name: &str) {
    let point = site.join("content/lieux/nord/epicerie-nord.toml");
    let text = fs::read_to_string(&point).unwrap();
    let old = text.lines().find(|l| l.starts_with("nom = ")).unwrap().to_string();
    fs::write(&point, text.replacen(&old, &format!("nom = \"{name}\""), 1)).unwrap();
}

#[test]
fn an_output_folder_given_as_a_link_stays_a_link_to_the_site() {
    let site = scratch_copy("build/minimal");
    let dir = tempfile::tempdir().unwrap();
    // A web root, and the link the build is given.
    let web = dir.path().join("www");
    fs::create_dir(&web).unwrap();
    let link = dir.path().join("sortie");
    std::os::unix::fs::symlink("www", &link).unwrap();
    for name in ["Premier nom", "Deuxième nom", "Troisième nom"] {
        rename_point(site.path(), name);
        let report = build_into(site.path(), &link);
        assert!(report.summary.is_some());
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link was replaced");
        assert_eq!(fs::read_link(&link).unwrap(), Path::new("www"));
        assert!(fs::read_to_string(web.join("lieux/epicerie-nord.html")).unwrap().contains(name));
        assert_fresh(site.path(), &web);
        // Kept site and manifest beside the folder, not beside the link.
        let expected =
            [".www.alimap-ancien", ".www.alimap-ancien-empreintes", ".www.alimap-empreintes", "sortie", "www"];
        for name in beside(&web) {
            assert!(expected.contains(&name.as_str()), "{name} beside the output folder");
        }
    }

    // A build that fails while writing leaves the linked site as it was.
    let before = files(&web);
    let templates = site.path().join("themes/default/templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(templates.join("lieu.html"), "{{ inexistant.champ }}").unwrap();
    rename_point(site.path(), "Nom jamais publié");
    assert!(build_into(site.path(), &link).summary.is_none());
    assert_eq!(fs::read_link(&link).unwrap(), Path::new("www"));
    assert!(files(&web) == before, "the linked site changed");

    // A link that leads nowhere is refused, not replaced.
    let dangling = dir.path().join("perdu");
    std::os::unix::fs::symlink("nulle-part", &dangling).unwrap();
    let err = build(&Options { root: site.path().to_path_buf(), output: Some(dangling.clone()), today: today() })
        .unwrap_err();
    assert!(format!("{err:#}").contains("est un lien qui ne mène à aucun dossier"), "{err:#}");
    assert!(fs::symlink_metadata(&dangling).unwrap().file_type().is_symlink());
}

#[test]
fn an_output_folder_in_content_or_themes_or_holding_them_is_refused() {
    let site = scratch_copy("build/minimal");
    let root = site.path();
    fs::create_dir_all(root.join("themes/default")).unwrap();
    let before = files(root);
    let elsewhere = tempfile::tempdir().unwrap();
    let into_content = elsewhere.path().join("lien");
    std::os::unix::fs::symlink(root.join("content/pages"), &into_content).unwrap();
    for (out, said) in [
        (root.join("content/site"), "est dans `content/`"),
        (root.join("content"), "est dans `content/`"),
        (root.join("output/../content/lieux/sortie"), "est dans `content/`"),
        (root.join("themes/default/sortie"), "est dans `themes/`"),
        (root.to_path_buf(), "contient `content/`"),
        (root.join(".."), "contient `content/`"),
        (into_content.clone(), "est dans `content/`"),
    ] {
        let err = build(&Options { root: root.to_path_buf(), output: Some(out.clone()), today: today() }).unwrap_err();
        let err = format!("{err:#}");
        assert!(err.contains(said) && err.contains("--sortie"), "{}: {err}", out.display());
    }
    // Nothing was written, read as content or replaced.
    assert!(files(root) == before);
    // The command says so, and stops with the tool's exit code.
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_alimap"))
        .args(["--racine", root.to_str().unwrap(), "--date", "2026-11-28", "build", "--sortie"])
        .arg(root.join("content/publie"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("est dans `content/`, que la construction lit"), "{stderr}");
    assert!(!root.join("content/publie").exists());
}

/// A build killed at each point of the swap (the process aborted there,
/// as a kill would stop it) leaves the output folder there and whole: the
/// old site before the exchange, the new one after it; the next build
/// then gives the new site, with nothing left over.
#[cfg(target_os = "linux")]
#[test]
fn a_build_killed_during_the_swap_leaves_a_whole_site() {
    let reference = |site: &Path| {
        let dir = tempfile::tempdir().unwrap();
        build_into(site, &dir.path().join("o"));
        files(&dir.path().join("o"))
    };
    for (point, new_in_place) in [("echange", false), ("ancien", true), ("empreintes", true)] {
        let site = scratch_copy("build/minimal");
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        rename_point(site.path(), "Ancien nom");
        build_into(site.path(), &out);
        build_into(site.path(), &out);
        let old = reference(site.path());
        rename_point(site.path(), "Nouveau nom");
        let new = reference(site.path());
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_alimap"))
            .args(["--racine", site.path().to_str().unwrap(), "--date", "2026-11-28", "build", "--sortie"])
            .arg(&out)
            .env("ALIMAP_TEST_INTERRUPTION", point)
            .output()
            .unwrap();
        assert!(!run.status.success(), "{point}: the build was not stopped");
        let left = files(&out);
        assert!(left == if new_in_place { new.clone() } else { old }, "{point}: the output folder is not whole");
        build_into(site.path(), &out);
        assert!(files(&out) == new, "{point}");
        // Nothing left from the staging: the kept site, the manifests
        // (the kept site's only if it had one), the site.
        let expected =
            [".output.alimap-ancien", ".output.alimap-ancien-empreintes", ".output.alimap-empreintes", "output"];
        for name in beside(&out) {
            assert!(expected.contains(&name.as_str()), "{point}: {name} left beside the output folder");
        }
    }
}
