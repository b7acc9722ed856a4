//! The output folder: swapped in whole, never deleted when alimap did not
//! make it, identical for identical input.

use std::fs;

use alimap::build::{Options, build};

use crate::support::*;

fn build_into(root: &std::path::Path, out: &std::path::Path) -> alimap::build::Report {
    build(&Options { root: root.to_path_buf(), output: Some(out.to_path_buf()), today: today() }).unwrap()
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
    let left: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, vec![std::ffi::OsString::from("output")]);
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
    // No staging or previous folder is left beside it.
    let left: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, vec![std::ffi::OsString::from("output")]);
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
    let files = |root: &std::path::Path| {
        let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(root)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().strip_prefix(root).unwrap().display().to_string(), fs::read(e.path()).unwrap()))
            .collect();
        v.sort();
        v
    };
    let (fa, fb) = (files(&a.path().join("o")), files(&b.path().join("o")));
    assert!(fa.len() > 100);
    assert!(fa == fb, "outputs differ");
}
