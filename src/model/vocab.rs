//! Controlled vocabularies: the values a volunteer may write for a key, with
//! the French label shown on the site.
//!
//! Where the national data·inclusion v1 schema has a vocabulary for the same
//! thing (`frais`, `publics`, `reseaux_porteurs`), its values are used as is,
//! so that exports need no translation table.

use serde::Serialize;

/// A closed list of values, each with a label for people.
pub trait Vocabulary: Sized + Copy + 'static {
    /// What the key means, for diagnostics ("type de lieu", …).
    const WHAT: &'static str;
    const ALL: &'static [Self];
    fn value(self) -> &'static str;
    /// The French label, for diagnostics, schemas and the open data. Pages
    /// take theirs from the translation files; a test of `text::i18n` keeps
    /// `fr.toml`'s equal to these.
    fn label(self) -> &'static str;
    /// The value's key in the translation files (`services.repas`).
    fn key(self) -> &'static str;
    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.value() == s)
    }
    fn values() -> Vec<&'static str> {
        Self::ALL.iter().map(|v| v.value()).collect()
    }
}

macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident, $what:literal, $section:literal, { $($variant:ident = $value:literal : $label:literal,)+ }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant,)+ }

        impl Vocabulary for $name {
            const WHAT: &'static str = $what;
            const ALL: &'static [Self] = &[$($name::$variant,)+];
            fn value(self) -> &'static str {
                match self { $($name::$variant => $value,)+ }
            }
            fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }
            fn key(self) -> &'static str {
                match self { $($name::$variant => concat!($section, ".", $value),)+ }
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.value())
            }
        }
    };
}

vocabulary!(
    /// The kinds of food help a point gives.
    Service, "type d’aide", "services", {
        Repas = "repas": "Repas",
        ColisAlimentaire = "colis-alimentaire": "Colis alimentaire",
        ColisBebe = "colis-bebe": "Colis bébé",
        ChequesAlimentaires = "cheques-alimentaires": "Chèques et bons alimentaires",
        EpicerieSociale = "epicerie-sociale": "Épicerie sociale et solidaire",
        Maraude = "maraude": "Maraude",
        FrigoSolidaire = "frigo-solidaire": "Frigo solidaire",
        EauPotable = "eau-potable": "Eau potable",
        AtelierCuisine = "atelier-cuisine": "Cuisine partagée, atelier cuisine",
        JardinSolidaire = "jardin-solidaire": "Jardin solidaire",
        PetitDejeuner = "petit-dejeuner": "Petit-déjeuner",
    }
);

vocabulary!(
    /// How a person gets access to a point.
    Acces, "condition d’accès", "acces", {
        SansCondition = "sans-condition": "Sans condition, ouvert à tous",
        Orientation = "orientation": "Sur orientation d’un travailleur social",
        Inscription = "inscription": "Sur inscription",
        RendezVous = "rendez-vous": "Sur rendez-vous",
    }
);

vocabulary!(
    /// Whether the service costs something (data·inclusion `frais`).
    Frais, "frais", "frais", {
        Gratuit = "gratuit": "Gratuit",
        Payant = "payant": "Payant",
    }
);

vocabulary!(
    /// Dietary options offered.
    Regime, "régime alimentaire", "regimes", {
        Halal = "halal": "Halal",
        Casher = "casher": "Casher",
        Vegetarien = "vegetarien": "Végétarien",
        Vegetalien = "vegetalien": "Végétalien",
        SansPorc = "sans-porc": "Sans porc",
        SansGluten = "sans-gluten": "Sans gluten",
    }
);

vocabulary!(
    /// What kind of organisation a structure is.
    TypeStructure, "type de structure", "types_structure", {
        Association = "association": "Association",
        Ccas = "ccas": "Centre communal ou intercommunal d’action sociale (CCAS, CIAS)",
        Collectivite = "collectivite": "Collectivité",
        Autre = "autre": "Autre",
    }
);

vocabulary!(
    /// What kind of area a territory is.
    TypeTerritoire, "type de territoire", "types_territoire", {
        Commune = "commune": "Commune",
        Intercommunalite = "intercommunalite": "Intercommunalité",
        Departement = "departement": "Département",
        Quartier = "quartier": "Quartier",
        Autre = "autre": "Territoire",
    }
);

vocabulary!(
    /// Who a service is meant for (data·inclusion `publics`).
    Public, "public", "publics", {
        Actifs = "actifs": "Actifs",
        BeneficiairesMinimasSociaux = "beneficiaires-des-minimas-sociaux": "Bénéficiaires des minima sociaux",
        DemandeursEmploi = "demandeurs-emploi": "Demandeurs d’emploi",
        Etudiants = "etudiants": "Étudiants",
        Familles = "familles": "Familles",
        Femmes = "femmes": "Femmes",
        Jeunes = "jeunes": "Jeunes",
        Handicap = "personnes-en-situation-de-handicap": "Personnes en situation de handicap",
        Urgence = "personnes-en-situation-durgence": "Personnes en situation d’urgence",
        SituationJuridique = "personnes-en-situation-juridique-specifique": "Personnes en situation juridique spécifique",
        Exilees = "personnes-exilees": "Personnes exilées",
        ResidentsQpv = "residents-qpv-frr": "Résidents des quartiers prioritaires et zones rurales",
        Seniors = "seniors": "Seniors",
        TousPublics = "tous-publics": "Tous publics",
    }
);

vocabulary!(
    /// Donations a structure accepts (`[besoins] dons`).
    Don, "type de don", "dons", {
        Denrees = "denrees": "Denrées alimentaires non périssables",
        ProduitsFrais = "produits-frais": "Produits frais",
        Hygiene = "hygiene": "Produits d’hygiène",
        Bebe = "bebe": "Produits pour bébé",
        Materiel = "materiel": "Matériel (réfrigérateur, cagettes, chariots…)",
        Argent = "argent": "Dons financiers",
    }
);

/// One entry of a data·inclusion vocabulary file.
#[derive(serde::Deserialize)]
struct Entry {
    value: String,
    label: String,
}

/// Networks a structure belongs to: data·inclusion's `reseaux_porteurs`
/// vocabulary, read from the copy of the schema shipped in `data/`.
pub fn reseaux_porteurs() -> &'static [(String, String)] {
    static LIST: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    LIST.get_or_init(|| {
        let raw = include_str!("../../data/data-inclusion/v1/extra/reseaux-porteurs.json");
        let entries: Vec<Entry> = serde_json::from_str(raw).expect("the shipped vocabulary is valid JSON");
        entries.into_iter().map(|e| (e.value, e.label)).collect()
    })
}

pub fn reseau_porteur_label(value: &str) -> Option<&'static str> {
    reseaux_porteurs().iter().find(|(v, _)| v == value).map(|(_, l)| l.as_str())
}

/// Languages a point's team may speak: ISO 639-1 code, and the language's own
/// name so that a person who does not read French recognises it.
pub const LANGUES: &[(&str, &str)] = &[
    ("fr", "français"),
    ("en", "English"),
    ("ar", "العربية"),
    ("es", "español"),
    ("pt", "português"),
    ("it", "italiano"),
    ("de", "Deutsch"),
    ("ro", "română"),
    ("pl", "polski"),
    ("ru", "русский"),
    ("uk", "українська"),
    ("tr", "Türkçe"),
    ("fa", "فارسی"),
    ("ps", "پښتو"),
    ("ur", "اردو"),
    ("bn", "বাংলা"),
    ("ta", "தமிழ்"),
    ("zh", "中文"),
    ("vi", "Tiếng Việt"),
    ("ti", "ትግርኛ"),
    ("am", "አማርኛ"),
    ("so", "Soomaali"),
    ("wo", "Wolof"),
    ("bm", "bamanankan"),
    ("ff", "Fulfulde"),
    ("ln", "lingála"),
    ("sw", "Kiswahili"),
    ("ka", "ქართული"),
    ("hy", "Հայերեն"),
    ("sq", "shqip"),
    ("ku", "Kurdî"),
    ("ber", "Tamaziɣt"),
    ("lsf", "langue des signes française"),
];

pub fn langue_label(code: &str) -> Option<&'static str> {
    LANGUES.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip() {
        for s in Service::ALL {
            assert_eq!(Service::parse(s.value()), Some(*s));
        }
        assert_eq!(Frais::parse("gratuit"), Some(Frais::Gratuit));
        assert_eq!(Frais::parse("Gratuit"), None);
        assert_eq!(reseau_porteur_label("restos-du-coeur"), Some("Restos du Coeur"));
    }
}
