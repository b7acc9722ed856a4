//! The links that leave the site for its repository: the forge's web
//! editor on an item's file, a new issue prefilled, or, for a site without
//! a repository, an e-mail prefilled. Next to [`super::urls`], which has
//! the links inside the site.
//!
//! Everything that comes from content is percent-encoded here; the
//! repository's address and branch were checked by `content::parse`.

use std::path::Path;

use crate::model::{Depot, Forge};
use crate::text::format::percent_encode;

/// The path of a content file in the repository: the site's `dossier`,
/// then the file's path in the site folder (`content/lieux/x.toml`), with
/// `/` between folders whatever the system.
pub(crate) fn file_path(depot: Option<&Depot>, file: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(d) = depot
        && !d.dossier.is_empty()
    {
        parts.push(d.dossier.clone());
    }
    parts.extend(file.components().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}

/// The forge's web editor on `file` (relative to the site folder), on the
/// published branch. Without write access, both forges offer to propose
/// the change as a pull or merge request.
pub(crate) fn edit(depot: &Depot, file: &Path) -> String {
    let action = match depot.forge {
        Forge::GitHub => "edit",
        Forge::GitLab => "-/edit",
    };
    format!(
        "{}/{action}/{}/{}",
        depot.adresse,
        percent_encode(&depot.branche, b"/"),
        percent_encode(&file_path(Some(depot), file), b"/")
    )
}

/// The forge's form for a new issue, with its title and text filled in:
/// nothing is sent until the visitor submits it.
pub(crate) fn new_issue(depot: &Depot, title: &str, body: &str) -> String {
    let (title, body) = (percent_encode(title, b""), percent_encode(body, b""));
    match depot.forge {
        Forge::GitHub => format!("{}/issues/new?title={title}&body={body}", depot.adresse),
        Forge::GitLab => {
            format!("{}/-/issues/new?issue%5Btitle%5D={title}&issue%5Bdescription%5D={body}", depot.adresse)
        }
    }
}

/// A `mailto:` link with its subject and text filled in (RFC 6068: line
/// breaks as CRLF).
pub(crate) fn mailto(address: &str, subject: &str, body: &str) -> String {
    format!(
        "mailto:{}?subject={}&body={}",
        percent_encode(address, b"@+"),
        percent_encode(subject, b""),
        percent_encode(&body.replace("\r\n", "\n").replace('\n', "\r\n"), b"")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depot(forge: Forge, dossier: &str) -> Depot {
        Depot {
            adresse: "https://forge.exemple.org/collectif/annuaire".into(),
            forge,
            branche: "publie/2026".into(),
            dossier: dossier.into(),
        }
    }

    #[test]
    fn edit_links_name_the_branch_and_the_file_in_the_repository() {
        let file = Path::new("content/lieux/saint-denis/épicerie.toml");
        assert_eq!(
            edit(&depot(Forge::GitHub, ""), file),
            "https://forge.exemple.org/collectif/annuaire/edit/publie/2026/content/lieux/saint-denis/%C3%A9picerie.toml"
        );
        assert_eq!(
            edit(&depot(Forge::GitLab, "sites/93"), file),
            "https://forge.exemple.org/collectif/annuaire/-/edit/publie/2026/sites/93/content/lieux/saint-denis/%C3%A9picerie.toml"
        );
    }

    #[test]
    fn issue_and_mail_texts_are_percent_encoded() {
        let url = new_issue(&depot(Forge::GitHub, ""), "Erreur & « x »", "a=b\n?#");
        assert_eq!(
            url,
            "https://forge.exemple.org/collectif/annuaire/issues/new?title=Erreur%20%26%20%C2%AB%20x%20%C2%BB&body=a%3Db%0A%3F%23"
        );
        let url = new_issue(&depot(Forge::GitLab, ""), "t", "b");
        assert!(url.ends_with("/-/issues/new?issue%5Btitle%5D=t&issue%5Bdescription%5D=b"), "{url}");
        assert_eq!(mailto("a+b@exemple.org", "s", "l1\nl2"), "mailto:a+b@exemple.org?subject=s&body=l1%0D%0Al2");
    }
}
