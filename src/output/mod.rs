//! Output: the only module that writes files.
//!
//! The new site is written into a staging folder beside the output folder
//! ([`Staging`], file by file as the build makes them), then swapped in
//! (see [`Staging::finish`]), so a failed or interrupted build never leaves
//! a half-written site and visitors of a served folder never see one. On
//! Linux the swap is one step (`renameat2` with `RENAME_EXCHANGE`): killed
//! at any point, a build leaves the output folder there, whole, old or new;
//! elsewhere it takes two renames, and a kill between them leaves no output
//! folder until the next build. An output folder given as a symbolic link
//! stays a link: the folder it leads to is the one replaced ([`destination`]),
//! and the staging folder is beside that one. The
//! staging folder is the site before the current one, which the last
//! build kept beside the output folder ([`previous_path`]): its files that
//! did not change stay where they are; files the current site already
//! has, byte for byte, are hard-linked from it; the others are written.
//! After the swap the replaced site is kept in turn. A file of the kept
//! site may be the current site's own file (a hard link): it is never
//! written over, only removed and replaced.
//! A marker file records that alimap made the folder: alimap replaces an
//! output folder only if it carries the marker (or is empty), and so never
//! deletes what it did not write.
//!
//! Beside the output folder, a manifest (`.<folder>.alimap-empreintes`,
//! [`manifest_path`]) records what each file held when alimap wrote it, and
//! which file that was, so that the next build knows an unchanged file from
//! one stat instead of reading it: a header line, then one line per file,
//! sorted by path:
//!
//! ```text
//! alimap-empreintes 1
//! <XXH3-64, 16 hex digits> <length> <inode> <modification time, ns since 1970> <path>
//! ```
//!
//! A file of the current site is linked into the new one only if its line
//! has the new bytes' length and hash, and the file still has the line's
//! length, inode and modification time: a file replaced (new inode) or
//! edited (new time) since is written again. A file modified in the clock
//! tick the manifest was written in could have been edited in that same
//! tick without its time changing: it is compared byte for byte, as git
//! does with "racily clean" entries. What the manifest cannot see is an
//! edit in place that sets the time back to the nanosecond, as `make` and
//! `rsync` cannot. Inodes and times differ from build to build, so the
//! manifest stays out of the output folder, which is the same for the same
//! input and publishes nothing but the site. A manifest that no longer
//! matches the folder (the folder moved or copied, a build interrupted
//! between the swap and the manifest's) only costs files written again.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

/// A file to write, at a path relative to the output folder.
#[derive(Debug)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What the build still knows of a file handed to the render's sink: its path,
/// and its length and XXH3 for the service worker's cache version.
#[derive(Debug)]
pub struct Digest {
    pub path: String,
    pub len: usize,
    pub hash: u64,
}

impl Digest {
    pub fn of(f: &OutputFile) -> Digest {
        Digest { path: f.path.clone(), len: f.bytes.len(), hash: xxhash_rust::xxh3::xxh3_64(&f.bytes) }
    }
}

/// Name of the marker file at the root of every folder alimap writes.
pub const MARKER: &str = ".alimap-build";

/// The name the manifest once had inside the staging folder: refused as a
/// path of the site, as the marker is.
const FINGERPRINTS: &str = ".alimap-empreintes";

/// Where the new site's manifest is written, beside the output folder,
/// until the new site is in place: the output folder never holds it, even
/// after a kill.
fn new_manifest_path(out: &Path) -> PathBuf {
    beside(out, "alimap-nouveau-empreintes")
}

/// Where the manifest of the output folder `out` is kept: beside it, named
/// after it like the staging folder (see the module's documentation).
pub fn manifest_path(out: &Path) -> PathBuf {
    beside(out, "alimap-empreintes")
}

/// Where the site before the current one is kept, beside the output folder
/// `out`, for the next build to write into (see [`Staging::begin`]).
pub fn previous_path(out: &Path) -> PathBuf {
    beside(out, "alimap-ancien")
}

/// The manifest of [`previous_path`]: the one the output folder had when it
/// was the current site.
fn previous_manifest_path(out: &Path) -> PathBuf {
    beside(out, "alimap-ancien-empreintes")
}

/// The folder to write for the output path `out`: `out` itself, or, when
/// it is a symbolic link, the folder it leads to. Replacing the link by a
/// folder would leave a web server that follows it serving the site it
/// led to, and writing beside the link would put the staging folder on
/// another file system than the folder it must replace.
pub fn destination(out: &Path) -> Result<PathBuf> {
    match fs::symlink_metadata(out) {
        Ok(m) if m.file_type().is_symlink() => {
            let target = fs::canonicalize(out).ok().filter(|t| t.is_dir());
            target.with_context(|| {
                format!(
                    "le dossier de sortie `{}` est un lien qui ne mène à aucun dossier : créez le dossier \
                     qu’il désigne, ou choisissez un autre dossier avec `--sortie`",
                    out.display()
                )
            })
        }
        _ => Ok(out.to_path_buf()),
    }
}

/// Where a test can stop the build as a kill would
/// (`ALIMAP_TEST_INTERRUPTION=<point>`): the process ends on the spot,
/// without unwinding or cleaning up, leaving the folders as they are.
fn interruption(point: &str) {
    if std::env::var_os("ALIMAP_TEST_INTERRUPTION").is_some_and(|p| p == point) {
        std::process::abort();
    }
}

/// Swaps the folders `a` and `b` in one step (`renameat2` with
/// `RENAME_EXCHANGE`); `false` when the system or the file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both paths are NUL-terminated strings that outlive the call.
    let r = unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    if r == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// `.<folder>.<what>`, beside the output folder: hidden, and named after it.
fn beside(out: &Path, what: &str) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    out.with_file_name(format!(".{name}.{what}"))
}

/// The manifest's first line: a manifest with another one (a later format)
/// is not read.
const FINGERPRINTS_HEADER: &str = "alimap-empreintes 1";

/// Writes `files` as the new content of `out`.
pub fn write(out: &Path, files: &[OutputFile]) -> Result<()> {
    let staging = Staging::begin(out)?;
    files.par_iter().for_each(|f| staging.put(f, Digest::of(f).hash));
    staging.finish()
}

/// A new site being written beside `out`, file by file, so that a build
/// can hand over each page as soon as it is rendered instead of keeping
/// the whole site in memory. [`Staging::finish`] swaps it in; dropped
/// unfinished (a template error, a failed write), it removes the staging
/// folder and leaves the current site as it was.
pub struct Staging {
    out: PathBuf,
    staging: PathBuf,
    previous: PathBuf,
    /// The current site, whose identical files are linked rather than
    /// written again.
    current: Option<PathBuf>,
    /// The current site's manifest, if it has a readable one.
    manifest: Option<Manifest>,
    /// When the staging folder is the site before the current one, reused.
    reused: Option<Reused>,
    /// What the new site's manifest will say, one entry per file put.
    stamps: Mutex<Vec<(String, Stamp)>>,
    /// Folders of the staging folder already created.
    dirs: Mutex<HashSet<PathBuf>>,
    /// The first failure of [`Staging::put`], reported by `finish`.
    failure: Mutex<Option<anyhow::Error>>,
    /// Whether there is one, read by every `put` without taking the lock.
    failed: AtomicBool,
    /// Set once the staging folder is complete: from then on it is left
    /// where it is, whatever happens (as an interrupted swap leaves it).
    complete: bool,
}

/// A staging folder that is the site before the current one (see
/// [`Staging::begin`]).
struct Reused {
    /// Its manifest, if readable.
    manifest: Option<Manifest>,
    /// Every path put, to remove the files the new site no longer has.
    put: Mutex<HashSet<String>>,
    /// What it held when the build began, listed on a thread of its own
    /// while the site renders, rather than at the end, when nothing else
    /// is left to do.
    listing: Option<std::thread::JoinHandle<std::io::Result<Listing>>>,
}

/// The files of a folder (path relative to it, and in full) and its
/// folders, shallowest first, without following links.
struct Listing {
    files: Vec<(String, PathBuf)>,
    dirs: Vec<PathBuf>,
}

/// The manifests of the output folder and of the site kept beside it,
/// read before [`Staging::begin`] needs them: a build reads them while it
/// validates the content, on the other thread, since at 100,000 pages each
/// takes a fifth of a second. Reading changes nothing.
pub struct Manifests {
    current: Option<Manifest>,
    previous: Option<Manifest>,
}

impl Manifests {
    /// Both manifests of the output folder `out`, each if readable.
    pub fn read(out: &Path) -> Manifests {
        let out = &destination(out).unwrap_or_else(|_| out.to_path_buf());
        let (current, previous) =
            rayon::join(|| read_manifest(&manifest_path(out)), || read_manifest(&previous_manifest_path(out)));
        Manifests { current, previous }
    }
}

impl Staging {
    /// Checks that `out` may be replaced, clears what an interrupted build
    /// left, and creates the staging folder with its marker.
    pub fn begin(out: &Path) -> Result<Staging> {
        Staging::begin_with(out, Manifests::read(out))
    }

    /// [`Staging::begin`], with the manifests read beforehand.
    pub fn begin_with(out: &Path, manifests: Manifests) -> Result<Staging> {
        let out = &destination(out)?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = out.file_name().context("le dossier de sortie doit avoir un nom")?.to_string_lossy().into_owned();
        if out.exists() && !is_ours(out)? {
            bail!(
                "le dossier `{}` existe et n’a pas été créé par alimap : il n’est pas modifié. \
                 Videz-le vous-même, ou choisissez un autre dossier avec `--sortie`",
                out.display()
            );
        }
        fs::create_dir_all(&parent).with_context(|| format!("création du dossier `{}`", parent.display()))?;
        let staging = parent.join(format!(".{name}.alimap-nouveau"));
        let previous = previous_path(out);
        // Ours by name and marker, or not touched; never a link, which
        // would have the new site written wherever it leads.
        for folder in [&staging, &previous] {
            if fs::symlink_metadata(folder).is_ok_and(|m| m.file_type().is_symlink()) {
                bail!(
                    "`{}` est un lien symbolique : alimap n’écrit pas à travers lui. Supprimez ce lien (le dossier \
                     qu’il désigne reste tel quel)",
                    folder.display()
                );
            }
            if folder.exists() && !is_ours(folder)? {
                bail!("le dossier `{}` existe et n’a pas été créé par alimap : déplacez-le", folder.display());
            }
        }
        // Left over from an interrupted build.
        remove_if_present(&new_manifest_path(out))?;
        if staging.exists() {
            fs::remove_dir_all(&staging).with_context(|| format!("suppression de `{}`", staging.display()))?;
        }
        // The site before the current one becomes the staging folder: on a
        // rebuild most of its files are those of the new site, and one kept
        // where it is costs one stat, where linking it from the current site
        // costs a link now and an unlink once the new site is in place.
        // Its manifest tells which files are still as it was written;
        // read, it is removed, since the folder is about to change.
        let reused = if previous.exists() {
            let manifest = manifests.previous;
            remove_if_present(&previous_manifest_path(out))?;
            fs::rename(&previous, &staging).with_context(|| format!("déplacement de `{}`", previous.display()))?;
            // A file put meanwhile may be listed or not, and is kept either
            // way; a file to remove is there all along, and a listing sees
            // every entry that stays while it reads a folder.
            let folder = staging.clone();
            let listing = std::thread::Builder::new().name("inventaire".into()).spawn(move || list(&folder)).ok();
            Some(Reused { manifest, put: Mutex::new(HashSet::new()), listing })
        } else {
            remove_if_present(&previous_manifest_path(out))?;
            fs::create_dir_all(&staging).with_context(|| format!("création de `{}`", staging.display()))?;
            None
        };
        let current = out.exists().then(|| out.to_path_buf());
        let this = Staging {
            out: out.to_path_buf(),
            manifest: manifests.current.filter(|_| current.is_some()),
            reused,
            stamps: Mutex::new(Vec::new()),
            current,
            dirs: Mutex::new(HashSet::from([staging.clone()])),
            staging,
            previous,
            failure: Mutex::new(None),
            failed: AtomicBool::new(false),
            complete: false,
        };
        // From here on, dropping `this` removes the folder: ours, with its
        // marker. (A reused folder's marker is its own, never a link to the
        // current site's: written over, it is never missing.)
        fs::write(
            this.staging.join(MARKER),
            b"Dossier produit par alimap build ; il est remplace a chaque construction.\n",
        )
        .context("écriture du marqueur")?;
        Ok(this)
    }

    /// Writes one file into the staging folder; from any thread. `hash` is
    /// the XXH3-64 of its bytes, as the render made it
    /// ([`Digest`](Digest)). A failure is kept for
    /// [`Staging::finish`] to report, and the files put after it are not
    /// written.
    pub fn put(&self, file: &OutputFile, hash: u64) {
        if self.failed.load(Ordering::Relaxed) {
            return;
        }
        if let Err(e) = self.write_one(file, hash) {
            self.failed.store(true, Ordering::Relaxed);
            self.failure.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(e);
        }
    }

    fn write_one(&self, f: &OutputFile, hash: u64) -> Result<()> {
        let rel = safe_relative(&f.path)?;
        let path = self.staging.join(&rel);
        // Each folder once: on a site of thousands of pages, creating
        // files is most of the writing time, not asking again for folders.
        if let Some(dir) = path.parent() {
            let mut dirs = self.dirs.lock().unwrap_or_else(|e| e.into_inner());
            if !dirs.contains(dir) {
                make_dir(&self.staging, dir)?;
                dirs.insert(dir.to_path_buf());
            }
        }
        if let Some(reused) = &self.reused {
            reused.put.lock().unwrap_or_else(|e| e.into_inner()).insert(f.path.clone());
            // Kept where it is, if the reused folder's file is still the one
            // its manifest lists, with the new bytes.
            if let Some(meta) = reused.manifest.as_ref().and_then(|m| unchanged(Some(m), &path, f, hash)) {
                self.record(f, hash, identity(&meta));
                return Ok(());
            }
            // Otherwise removed, never written over: it may be a link to
            // the current site's file.
            clear(&path)?;
        }
        // A file the current site already has, byte for byte, is linked
        // into the new one instead of written again: a rebuild then creates
        // only the files that changed, which is much faster than creating
        // thousands of files on most file systems.
        if let Some(current) = &self.current {
            let old = current.join(&rel);
            if let Some(meta) = unchanged(self.manifest.as_ref(), &old, f, hash)
                && fs::hard_link(&old, &path).is_ok()
            {
                // The link is the same inode, with the same times.
                self.record(f, hash, identity(&meta));
                return Ok(());
            }
        }
        let mut file = fs::File::options()
            .write(true)
            .create_new(true)
            .open(&path)
            .with_context(|| format!("écriture de `{}`", path.display()))?;
        file.write_all(&f.bytes).with_context(|| format!("écriture de `{}`", path.display()))?;
        // Read on the open handle, before closing: nothing writes the file
        // after this, and renaming the folder keeps its inode and time.
        self.record(f, hash, file.metadata().ok().as_ref().and_then(identity));
        Ok(())
    }
}

/// The metadata of the file at `old` if it holds the new file's bytes,
/// known from `manifest` (the manifest of the folder `old` is in) when
/// there is one.
fn unchanged(manifest: Option<&Manifest>, old: &Path, f: &OutputFile, hash: u64) -> Option<fs::Metadata> {
    // Without a manifest (the first build after upgrading, a folder
    // written by an older alimap, a damaged manifest), each file is
    // compared byte for byte rather than written: reading is about a
    // third of the cost of creating a file here, and an unchanged file
    // keeps its inode and time, so a deployment that compares times
    // (rsync) still sends only what changed.
    let Some(manifest) = manifest else {
        return same_file_content(old, &f.bytes);
    };
    let stamp = manifest.files.get(&f.path)?;
    if stamp.len != f.bytes.len() as u64 || stamp.hash != hash {
        return None;
    }
    let meta = fs::symlink_metadata(old).ok()?;
    if !meta.is_file() || meta.len() != stamp.len || identity(&meta)? != stamp.id {
        return None;
    }
    // Modified in the tick the manifest was written in: an edit in that
    // same tick would have left the time as it was.
    if stamp.id.mtime_ns >= manifest.written_ns {
        return fs::read(old).ok().filter(|b| *b == f.bytes).map(|_| meta);
    }
    Some(meta)
}

impl Staging {
    /// Keeps the manifest's entry for a file just put into the staging
    /// folder. A file whose identity is unknown (no unix metadata) or whose
    /// path cannot be one line is left out: the next build writes it.
    fn record(&self, f: &OutputFile, hash: u64, id: Option<Identity>) {
        if let Some(id) = id
            && !f.path.contains(['\n', '\r'])
        {
            let stamp = Stamp { len: f.bytes.len() as u64, hash, id };
            self.stamps.lock().unwrap_or_else(|e| e.into_inner()).push((f.path.clone(), stamp));
        }
    }

    /// Swaps the staging folder in as `out`, once every file is put; or,
    /// if a file could not be written, removes it and reports why. The
    /// current site goes beside, kept for the next build; a build killed
    /// before the swap leaves it as the output folder, after it the new
    /// one (see the module's documentation for systems without an
    /// exchange).
    pub fn finish(mut self) -> Result<()> {
        if let Some(e) = self.failure.get_mut().unwrap_or_else(|e| e.into_inner()).take() {
            return Err(e);
        }
        // A reused folder loses the files the new site does not have, while
        // the manifest's text is made (each goes through every file), and
        // each frees what it no longer needs (at 100,000 pages, freeing it
        // all afterwards took a tenth of a second). The manifest is written
        // last, so that its time is at or after every file's; not on
        // systems without inodes, where nothing could be checked.
        let stamps = self.stamps.get_mut().unwrap_or_else(|e| e.into_inner());
        let current_manifest = &mut self.manifest;
        let staging = &self.staging;
        let (removed, text) = rayon::join(
            || match &mut self.reused {
                Some(reused) => {
                    // A listing that met a folder removed meanwhile (a file
                    // put where the old site had a folder) is made again.
                    let listing = reused.listing.take().and_then(|l| l.join().ok()).and_then(Result::ok);
                    let listing = match listing {
                        Some(l) => l,
                        None => list(staging).with_context(|| format!("lecture de `{}`", staging.display()))?,
                    };
                    let put = std::mem::take(reused.put.get_mut().unwrap_or_else(|e| e.into_inner()));
                    drop(reused.manifest.take());
                    remove_others(listing, &put)
                }
                None => Ok(()),
            },
            || {
                let text = cfg!(unix).then(|| manifest_text(stamps));
                drop((std::mem::take(stamps), current_manifest.take()));
                text
            },
        );
        removed.context("suppression des anciennes pages")?;
        let (out, previous) = (&self.out, &self.previous);
        if let Some(text) = text {
            fs::write(new_manifest_path(out), text).context("écriture des empreintes")?;
        }
        self.complete = true;
        // Only another build running at the same time could have left one.
        if previous.exists() {
            remove_tree(previous).with_context(|| format!("suppression de `{}`", previous.display()))?;
        }
        if out.exists() {
            // The current site's manifest goes with it (see `begin`).
            if fs::rename(manifest_path(out), previous_manifest_path(out)).is_err() {
                remove_if_present(&previous_manifest_path(out))?;
            }
            interruption("echange");
            if exchange(&self.staging, out).with_context(|| format!("mise en place de `{}`", out.display()))? {
                // The new site is in place; the one it replaced is where
                // the staging folder was (a kill now only costs the next
                // build its files).
                interruption("ancien");
                fs::rename(&self.staging, previous)
                    .with_context(|| format!("déplacement de `{}`", self.staging.display()))?;
            } else {
                fs::rename(out, previous).with_context(|| format!("déplacement de `{}`", out.display()))?;
                fs::rename(&self.staging, out).with_context(|| format!("mise en place de `{}`", out.display()))?;
            }
        } else {
            fs::rename(&self.staging, out).with_context(|| format!("mise en place de `{}`", out.display()))?;
        }
        interruption("empreintes");
        // The manifest, written after the files, becomes the manifest of
        // the folder now in place (a rename keeps its time). Should that
        // fail, the next build only writes every file again.
        if cfg!(unix) && fs::rename(new_manifest_path(out), manifest_path(out)).is_err() {
            let _ = fs::remove_file(new_manifest_path(out));
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // Unfinished: the staging folder is ours (made by `begin`, with the
        // marker); the current site was never touched.
        if !self.complete {
            // Not while a listing still reads it.
            if let Some(listing) = self.reused.as_mut().and_then(|r| r.listing.take()) {
                let _ = listing.join();
            }
            let _ = remove_tree(&self.staging);
        }
    }
}

/// The metadata of `path` if it is a plain file (not a link to elsewhere)
/// holding exactly `bytes`.
fn same_file_content(path: &Path, bytes: &[u8]) -> Option<fs::Metadata> {
    let meta = fs::symlink_metadata(path).ok().filter(|m| m.is_file() && m.len() == bytes.len() as u64)?;
    fs::read(path).ok().filter(|b| b == bytes).map(|_| meta)
}

/// Which file a path is: a file replaced has another inode, a file
/// written has another modification time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Identity {
    ino: u64,
    mtime_ns: i128,
}

#[cfg(unix)]
fn identity(meta: &fs::Metadata) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    let mtime_ns = i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec());
    Some(Identity { ino: meta.ino(), mtime_ns })
}

/// Without inodes, no file can be told unchanged from its metadata.
#[cfg(not(unix))]
fn identity(_: &fs::Metadata) -> Option<Identity> {
    None
}

/// One line of the manifest, without its path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    len: u64,
    hash: u64,
    id: Identity,
}

/// A site's manifest, as read back.
#[derive(Debug, PartialEq, Eq)]
struct Manifest {
    files: HashMap<String, Stamp>,
    /// Its own modification time: a file modified at or after it may have
    /// been modified again in the same clock tick.
    written_ns: i128,
}

/// The manifest at `path`, if alimap can read it; a missing or damaged one
/// is no error, only slower.
fn read_manifest(path: &Path) -> Option<Manifest> {
    let mut file = fs::File::open(path).ok()?;
    let written_ns = identity(&file.metadata().ok()?)?.mtime_ns;
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    Some(Manifest { files: parse_manifest(&text)?, written_ns })
}

/// The manifest's text, sorted by path so that it does not depend on the
/// order the threads put files in.
fn manifest_text(stamps: &mut [(String, Stamp)]) -> String {
    stamps.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let lines: Vec<String> = stamps
        .par_chunks(4096)
        .map(|chunk| {
            let mut text = String::with_capacity(chunk.len() * 80);
            for (path, s) in chunk {
                use std::fmt::Write as _;
                let _ = writeln!(text, "{:016x} {} {} {} {path}", s.hash, s.len, s.id.ino, s.id.mtime_ns);
            }
            text
        })
        .collect();
    let mut text = String::with_capacity(64 + lines.iter().map(String::len).sum::<usize>());
    text.push_str(FINGERPRINTS_HEADER);
    text.push('\n');
    text.extend(lines);
    text
}

/// The entries of a manifest's text; `None` unless every line is whole
/// (a manifest cut short by a crash is not half trusted).
fn parse_manifest(text: &str) -> Option<HashMap<String, Stamp>> {
    let mut lines = text.strip_suffix('\n')?.split('\n');
    if lines.next()? != FINGERPRINTS_HEADER {
        return None;
    }
    let mut files = HashMap::new();
    for line in lines {
        let mut fields = line.splitn(5, ' ');
        let hash = fields.next().filter(|h| h.len() == 16)?;
        let hash = u64::from_str_radix(hash, 16).ok()?;
        let len = fields.next()?.parse().ok()?;
        let ino = fields.next()?.parse().ok()?;
        let mtime_ns = fields.next()?.parse().ok()?;
        let path = fields.next().filter(|p| !p.is_empty())?;
        let stamp = Stamp { len, hash, id: Identity { ino, mtime_ns } };
        if files.insert(path.to_owned(), stamp).is_some() {
            return None;
        }
    }
    Some(files)
}

/// Removes the file at `path` if there is one.
fn remove_if_present(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("suppression de `{}`", path.display())),
    }
}

/// Frees `path` in a reused staging folder: whatever is there (a file, a
/// link, a folder) is removed.
fn clear(path: &Path) -> Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => remove_tree(path).with_context(|| format!("suppression de `{}`", path.display())),
        Ok(_) => remove_if_present(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("lecture de `{}`", path.display())),
    }
}

/// Creates `dir` and the folders above it up to `root`, each a real folder:
/// in a reused staging folder, a file or a symbolic link where a folder
/// must be is removed first, so that no file is written through a link to
/// elsewhere.
fn make_dir(root: &Path, dir: &Path) -> Result<()> {
    let Ok(rel) = dir.strip_prefix(root) else { bail!("dossier hors du dossier de sortie : `{}`", dir.display()) };
    let mut at = root.to_path_buf();
    for part in rel.components() {
        at.push(part);
        match fs::symlink_metadata(&at) {
            Ok(m) if m.is_dir() => continue,
            Ok(_) => clear(&at)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("lecture de `{}`", at.display())),
        }
        fs::create_dir(&at).with_context(|| format!("création de `{}`", at.display()))?;
    }
    Ok(())
}

/// Lists `folder` (see [`Listing`]).
fn list(folder: &Path) -> std::io::Result<Listing> {
    let mut listing = Listing { files: Vec::new(), dirs: Vec::new() };
    for entry in walkdir::WalkDir::new(folder).min_depth(1).follow_links(false) {
        let entry = entry?;
        if entry.file_type().is_dir() {
            listing.dirs.push(entry.into_path());
            continue;
        }
        let rel = entry.path().strip_prefix(folder).unwrap_or(entry.path()).to_string_lossy();
        let rel = if cfg!(windows) { rel.replace('\\', "/") } else { rel.into_owned() };
        listing.files.push((rel, entry.into_path()));
    }
    Ok(listing)
}

/// Removes from a reused staging folder, listed in `listing`, every file
/// that is not in `put` (but the marker), then the folders left empty.
fn remove_others(listing: Listing, put: &HashSet<String>) -> Result<()> {
    let stale: Vec<&Path> =
        listing.files.iter().filter(|(rel, _)| rel != MARKER && !put.contains(rel)).map(|(_, p)| p.as_path()).collect();
    stale.par_iter().try_for_each(|p| match fs::remove_file(p) {
        // Already gone if a file put cleared the folder it was in (or put
        // itself there); a folder now if a file was put below a link that
        // stood there.
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory | std::io::ErrorKind::IsADirectory
            ) =>
        {
            Ok(())
        }
        r => r.with_context(|| format!("suppression de `{}`", p.display())),
    })?;
    for d in listing.dirs.iter().rev() {
        // A folder still holding files stays.
        let _ = fs::remove_dir(d);
    }
    Ok(())
}

/// Removes a folder alimap wrote, deleting its files in parallel (as many
/// as the site has pages), then its folders, deepest first.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(false) {
        let entry = entry?;
        if entry.file_type().is_dir() {
            dirs.push(entry.into_path());
        } else {
            files.push(entry.into_path());
        }
    }
    files.par_iter().try_for_each(fs::remove_file)?;
    for d in dirs.iter().rev() {
        fs::remove_dir(d)?;
    }
    Ok(())
}

/// What [`update`] last wrote, so that the next update writes only what
/// changed.
#[derive(Default)]
pub struct Written {
    folder: Option<PathBuf>,
    files: HashMap<String, (usize, u64)>,
}

/// Writes `files` as the new content of `out`, for `alimap serve`: the
/// first time, through a [`Staging`] folder as `alimap build` does; after
/// that, as long as the folder is the one `written` describes, only the
/// files whose bytes changed (each replaced with a rename, so the server
/// never reads half a file), and removes those no longer produced. A rebuild after a one-file change then writes a few
/// files instead of the whole site. `digests` are the files' own, made
/// when they were rendered: no file is read again here to compare it. The
/// manifest is not rewritten on updates: the files replaced get new inodes
/// that it does not list, so a later `alimap build` into the same folder
/// writes them again, as it must.
pub fn update(out: &Path, files: &[OutputFile], digests: &[Digest], written: &mut Written) -> Result<()> {
    let out = &destination(out)?;
    let fingerprints: HashMap<String, (usize, u64)> =
        digests.iter().map(|d| (d.path.clone(), (d.len, d.hash))).collect();
    if written.folder.as_deref() != Some(out) || !out.join(MARKER).is_file() {
        // With the render's hashes, for the manifest.
        let staging = Staging::begin(out)?;
        files.par_iter().for_each(|f| {
            let hash = fingerprints.get(&f.path).map_or_else(|| Digest::of(f).hash, |&(_, h)| h);
            staging.put(f, hash);
        });
        staging.finish()?;
        *written = Written { folder: Some(out.to_path_buf()), files: fingerprints };
        return Ok(());
    }
    // After a failure the folder is in no known state: write it whole next
    // time.
    let previous = std::mem::take(written);
    let changed: Vec<&OutputFile> =
        files.iter().filter(|f| previous.files.get(&f.path) != fingerprints.get(&f.path)).collect();
    // In parallel: a point renamed changes dozens of files (its pages, the
    // search index, the map data).
    changed.par_iter().try_for_each(|f| -> Result<()> {
        let path = out.join(safe_relative(&f.path)?);
        let dir = path.parent().unwrap_or(out);
        fs::create_dir_all(dir).with_context(|| format!("création de `{}`", dir.display()))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let staging = dir.join(format!(".{name}.alimap-nouveau"));
        fs::write(&staging, &f.bytes).with_context(|| format!("écriture de `{}`", staging.display()))?;
        fs::rename(&staging, &path).with_context(|| format!("mise en place de `{}`", path.display()))
    })?;
    for old in previous.files.keys().filter(|p| !fingerprints.contains_key(*p)) {
        // Listed only because alimap wrote it into this folder.
        remove_if_present(&out.join(safe_relative(old)?))?;
    }
    *written = Written { folder: previous.folder, files: fingerprints };
    Ok(())
}

/// A folder is ours if it carries the marker, or is empty.
pub fn is_ours(dir: &Path) -> Result<bool> {
    if !dir.is_dir() {
        return Ok(false);
    }
    if dir.join(MARKER).is_file() {
        return Ok(true);
    }
    let mut entries = fs::read_dir(dir).with_context(|| format!("lecture de `{}`", dir.display()))?;
    Ok(entries.next().is_none())
}

/// Refuses any path that could leave the output folder.
fn safe_relative(path: &str) -> Result<PathBuf> {
    let p = Path::new(path);
    let ok = !path.is_empty()
        && !path.contains('\\')
        && p.components().all(|c| matches!(c, Component::Normal(_)))
        && !p.starts_with(MARKER)
        && !p.starts_with(FINGERPRINTS);
    if !ok {
        bail!("chemin de sortie refusé : `{path}`");
    }
    Ok(p.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_escape_are_refused() {
        for bad in ["../x.html", "/etc/passwd", "a/../../b", "", "a\\..\\b", ".alimap-build", ".alimap-empreintes"] {
            assert!(safe_relative(bad).is_err(), "{bad}");
        }
        assert!(safe_relative("lieux/a.html").is_ok());
    }

    fn stamp(len: u64, hash: u64, ino: u64, mtime_ns: i128) -> Stamp {
        Stamp { len, hash, id: Identity { ino, mtime_ns } }
    }

    #[test]
    fn the_manifest_reads_back_what_was_written() {
        let mut stamps = vec![
            ("lieux/b c.html".to_string(), stamp(12, u64::MAX, 7, -1_500_000_000)),
            ("a.html".to_string(), stamp(0, 0x1f, u64::MAX, i128::from(i64::MAX) * 1_000_000_000)),
        ];
        let text = manifest_text(&mut stamps);
        assert!(text.starts_with("alimap-empreintes 1\n000000000000001f 0 "), "{text}");
        assert_eq!(parse_manifest(&text), Some(stamps.into_iter().collect()));
        assert_eq!(parse_manifest(&manifest_text(&mut [])), Some(HashMap::new()));
    }

    #[test]
    fn a_damaged_manifest_is_not_read_at_all() {
        let mut stamps = vec![
            ("a.html".to_string(), stamp(1, 2, 3, 4)),
            ("lieux/longue-adresse.html".to_string(), stamp(5, 6, 7, 8)),
        ];
        let text = manifest_text(&mut stamps);
        // Cut anywhere but after a whole line: even a last line that still
        // reads as one (a shorter path, a smaller time) is not trusted.
        for end in 0..text.len() {
            if !text[..end].ends_with('\n') {
                assert_eq!(parse_manifest(&text[..end]), None, "{:?}", &text[..end]);
            }
        }
        for bad in [
            text.replace("alimap-empreintes 1", "alimap-empreintes 2"),
            text.replace("0000000000000002", "2"),
            text.replace(" 3 4 ", " -3 4 "),
            text.replace(" 4 a.html", " 4 "),
            format!("{text}{}", text.lines().nth(1).unwrap()) + "\n",
            text.replace('\n', "\r\n"),
        ] {
            assert_eq!(parse_manifest(&bad), None, "{bad:?}");
        }
    }
}
