//! The one shape every reader produces: a file to write, in alimap's keys.

use crate::content::schema::FileKind;

/// One point, structure or territory as a source gave it, already in the
/// keys of alimap's files (`nom`, `adresse`, `horaires_accueil`…).
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub kind: FileKind,
    /// Where the entry comes from, stable from one import to the next: the
    /// source's own id when it has one (`dora:1234`), else a key built from
    /// the row (`tableur:<name>|<address>`). The site's `source → id` table
    /// is keyed by it.
    pub source: String,
    /// Where to point the report at: the row or the record's position in
    /// the source file (1-based), when there is one.
    pub row: Option<usize>,
    /// The id the source suggests (data·inclusion's own export gives it);
    /// otherwise the writer makes one from `nom`.
    pub id: Option<String>,
    /// Keys and values, in the order they should be written.
    pub fields: Vec<(String, toml::Value)>,
    /// Values the import defaulted, guessed or could not convert: written
    /// as `# à vérifier : …` comments and counted in the report.
    pub checks: Vec<Check>,
}

/// A value to check by hand, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub key: String,
    /// French, for the volunteer who reads the file (« valeur par défaut
    /// donnée à l'import », « horaires non convertis : … »).
    pub reason: String,
}

impl Entry {
    pub fn new(kind: FileKind, source: impl Into<String>) -> Entry {
        Entry { kind, source: source.into(), row: None, id: None, fields: Vec::new(), checks: Vec::new() }
    }

    /// The value of `key`, if set.
    pub fn get(&self, key: &str) -> Option<&toml::Value> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Sets `key`, replacing its value in place or adding it at the end.
    pub fn set(&mut self, key: &str, value: impl Into<toml::Value>) {
        let value = value.into();
        match self.fields.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value,
            None => self.fields.push((key.to_string(), value)),
        }
    }

    /// Marks `key` to be checked by hand.
    pub fn check(&mut self, key: &str, reason: impl Into<String>) {
        self.checks.push(Check { key: key.to_string(), reason: reason.into() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_replaces_in_place_and_keeps_the_order() {
        let mut e = Entry::new(FileKind::Lieu, "tableur:1");
        e.set("nom", "Épicerie");
        e.set("commune", "Paris");
        e.set("nom", "Épicerie solidaire");
        let keys: Vec<_> = e.fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["nom", "commune"]);
        assert_eq!(e.get("nom").and_then(|v| v.as_str()), Some("Épicerie solidaire"));
    }
}
