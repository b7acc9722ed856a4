use super::*;

/// Phrases as public food-aid listings write them, with the
/// `opening_hours` each converts to, or `FLAGGED` when it cannot be.
const FLAGGED: &str = "flagged";

const TABLE: &[(&str, &str)] = &[
    // Weekday ranges.
    ("du lundi au vendredi de 9h à 12h", "Mo-Fr 09:00-12:00"),
    ("du lundi au vendredi 9h-12h", "Mo-Fr 09:00-12:00"),
    ("Du Lundi au Vendredi : 9h - 12h", "Mo-Fr 09:00-12:00"),
    ("DU LUNDI AU VENDREDI DE 9H A 12H", "Mo-Fr 09:00-12:00"),
    ("du lundi au vendredi de 9 h à 12 h", "Mo-Fr 09:00-12:00"),
    ("du lundi au vendredi de 09h00 à 12h00", "Mo-Fr 09:00-12:00"),
    ("du lundi au vendredi 9:00-12:00", "Mo-Fr 09:00-12:00"),
    ("du lundi au vendredi 09:00 - 12:00", "Mo-Fr 09:00-12:00"),
    ("lundi-vendredi 9h-12h", "Mo-Fr 09:00-12:00"),
    ("lundi - vendredi : 9h-12h", "Mo-Fr 09:00-12:00"),
    ("lun.-ven. 9h-12h", "Mo-Fr 09:00-12:00"),
    ("lun - ven : 9h/12h30", FLAGGED),
    ("Lun. au ven. de 8h30 à 11h30", "Mo-Fr 08:30-11:30"),
    ("de lundi à vendredi de 14h à 17h", "Mo-Fr 14:00-17:00"),
    ("lundi à jeudi 13h30-16h30", "Mo-Th 13:30-16:30"),
    ("du mardi au samedi de 10h à 18h", "Tu-Sa 10:00-18:00"),
    ("du lundi au samedi 9h30-12h", "Mo-Sa 09:30-12:00"),
    ("du vendredi au lundi de 18h à 20h", "Mo,Fr-Su 18:00-20:00"),
    ("du lundi au dimanche de 12h à 14h", "Mo-Su 12:00-14:00"),
    ("du lundi au vendredi de 9h à 12h et de 14h à 17h", "Mo-Fr 09:00-12:00,14:00-17:00"),
    ("du lundi au vendredi 9h-12h / 14h-17h", "Mo-Fr 09:00-12:00,14:00-17:00"),
    ("du lundi au vendredi 9h-12h, 14h-17h", "Mo-Fr 09:00-12:00,14:00-17:00"),
    ("du lundi au vendredi 9h-12h et 13h30-17h", "Mo-Fr 09:00-12:00,13:30-17:00"),
    ("Lundi au vendredi : 8h30-12h / 13h30-17h", "Mo-Fr 08:30-12:00,13:30-17:00"),
    ("du lundi au vendredi de 9h30 à 12h00 et de 13h30 à 16h30", "Mo-Fr 09:30-12:00,13:30-16:30"),
    ("du lundi au vendredi, de 9h à 17h", "Mo-Fr 09:00-17:00"),
    ("du lundi au vendredi de 9h à 17h non-stop", "Mo-Fr 09:00-17:00"),
    ("du lundi au vendredi de 9h à 17h sans interruption", "Mo-Fr 09:00-17:00"),
    ("du lundi au vendredi de 9h à 12h, le samedi de 10h à 12h", "Mo-Fr 09:00-12:00; Sa 10:00-12:00"),
    ("du lundi au vendredi 9h-12h ; samedi 10h-12h", "Mo-Fr 09:00-12:00; Sa 10:00-12:00"),
    ("du lundi au vendredi 9h-12h\nsamedi 10h-12h", "Mo-Fr 09:00-12:00; Sa 10:00-12:00"),
    ("du lundi au vendredi de 9h à 17h sauf le mercredi de 9h à 12h", "Mo,Tu,Th,Fr 09:00-17:00; We 09:00-12:00"),
    (
        "du lundi au vendredi de 9h à 12h, le mercredi aussi de 14h à 17h",
        "Mo,Tu,Th,Fr 09:00-12:00; We 09:00-12:00,14:00-17:00",
    ),
    // Times alone.
    ("de 9h à 12h", "09:00-12:00"),
    ("9h-12h", "09:00-12:00"),
    ("9h - 12h", "09:00-12:00"),
    ("9H-12H", "09:00-12:00"),
    ("de 9h30 à 11h30", "09:30-11:30"),
    ("de 9 à 12h", "09:00-12:00"),
    ("9-12h", "09:00-12:00"),
    ("de 9h à 12h et de 14h à 17h", "09:00-12:00,14:00-17:00"),
    ("9h-12h / 14h-17h", "09:00-12:00,14:00-17:00"),
    ("9h-12h et 14h-17h", "09:00-12:00,14:00-17:00"),
    ("entre 9h et 12h", "09:00-12:00"),
    ("de 11h30 à midi", "11:30-12:00"),
    ("de midi à 14h", "12:00-14:00"),
    ("midi-14h", "12:00-14:00"),
    ("12h-14h", "12:00-14:00"),
    ("de 20h à minuit", "20:00-24:00"),
    ("de 20h à 2h", "20:00-02:00"),
    ("de 9h jusqu'à 12h", "09:00-12:00"),
    ("de 9h jusqu’à 12h", "09:00-12:00"),
    ("9h00-12h00", "09:00-12:00"),
    ("09h-12h", "09:00-12:00"),
    ("9h30-12h", "09:30-12:00"),
    ("9 h 30 - 12 h", "09:30-12:00"),
    ("14h30 à 17h", "14:30-17:00"),
    ("ouvert de 9h à 12h", "09:00-12:00"),
    ("accueil de 14h à 16h30", "14:00-16:30"),
    // Plural and single days.
    ("les mardis", FLAGGED),
    ("les mardis 14h-16h", "Tu 14:00-16:00"),
    ("les mardis de 14h à 16h", "Tu 14:00-16:00"),
    ("le mardi de 14h à 16h", "Tu 14:00-16:00"),
    ("mardi 14h-16h", "Tu 14:00-16:00"),
    ("Mardi : 14h-16h", "Tu 14:00-16:00"),
    ("chaque mardi de 14h à 16h", "Tu 14:00-16:00"),
    ("tous les mardis de 14h à 16h", "Tu 14:00-16:00"),
    ("tous les mardis après-midi de 14h à 16h", "Tu 14:00-16:00"),
    ("de 14h à 16h le mardi", "Tu 14:00-16:00"),
    ("14h-16h les mardis", "Tu 14:00-16:00"),
    ("mar. 14h-16h", "Tu 14:00-16:00"),
    ("mar 14h-16h", "Tu 14:00-16:00"),
    ("sam. 10h-12h", "Sa 10:00-12:00"),
    ("le samedi matin de 9h à 12h", "Sa 09:00-12:00"),
    ("le jeudi 9h30-11h30", "Th 09:30-11:30"),
    ("mercredis 14h-17h", "We 14:00-17:00"),
    ("le dimanche de 10h à 12h", "Su 10:00-12:00"),
    ("vendredi 18h30-20h", "Fr 18:30-20:00"),
    // Lists of days.
    ("lundi, mercredi et vendredi de 9h à 12h", "Mo,We,Fr 09:00-12:00"),
    ("lundi et jeudi 14h-17h", "Mo,Th 14:00-17:00"),
    ("le lundi et le jeudi de 14h à 17h", "Mo,Th 14:00-17:00"),
    ("les lundis et jeudis 14h-17h", "Mo,Th 14:00-17:00"),
    ("mardi, jeudi : 9h-11h30", "Tu,Th 09:00-11:30"),
    ("mar et jeu 14h30 à 17h", "Tu,Th 14:30-17:00"),
    ("lundi/mercredi 10h-12h", "Mo,We 10:00-12:00"),
    ("lundi & jeudi 10h-12h", "Mo,Th 10:00-12:00"),
    ("de 9h à 12h le lundi et le jeudi", "Mo,Th 09:00-12:00"),
    ("lundi 9h-12h, mercredi 14h-17h", "Mo 09:00-12:00; We 14:00-17:00"),
    ("lundi 9h-12h mercredi 14h-17h", "Mo 09:00-12:00; We 14:00-17:00"),
    ("lundi de 9h à 12h et mercredi de 14h à 17h", "Mo 09:00-12:00; We 14:00-17:00"),
    ("lundi 9h-12h et 14h-17h, mardi 9h-12h", "Mo 09:00-12:00,14:00-17:00; Tu 09:00-12:00"),
    ("Lundi : 9h-12h\nMardi : 14h-17h\nJeudi : 9h-12h", "Mo,Th 09:00-12:00; Tu 14:00-17:00"),
    ("Lundi 9h-12h. Jeudi 14h-16h.", "Mo 09:00-12:00; Th 14:00-16:00"),
    ("de 9h à 12h le lundi, de 14h à 16h le jeudi", "Mo 09:00-12:00; Th 14:00-16:00"),
    ("lundi, mardi, jeudi et vendredi de 9h à 12h", "Mo,Tu,Th,Fr 09:00-12:00"),
    // Every day, weekdays, weekend.
    ("tous les jours", FLAGGED),
    ("tous les jours de 12h à 14h", "Mo-Su 12:00-14:00"),
    ("tous les jours 12h-14h", "Mo-Su 12:00-14:00"),
    ("7j/7 de 9h à 19h", "Mo-Su 09:00-19:00"),
    ("7 jours sur 7, de 8h à 20h", "Mo-Su 08:00-20:00"),
    ("7/7 9h-19h", "Mo-Su 09:00-19:00"),
    ("24h/24", "24/7"),
    ("24h/24 7j/7", "24/7"),
    ("24h/24 et 7j/7", "24/7"),
    ("7j/7 24h/24", "24/7"),
    ("24h/24 du lundi au vendredi", "Mo-Fr 00:00-24:00"),
    ("tous les jours sauf le jeudi", FLAGGED),
    ("tous les jours sauf le jeudi de 12h à 14h", "Mo-We,Fr-Su 12:00-14:00"),
    ("tous les jours de 12h à 14h sauf le dimanche", "Mo-Sa 12:00-14:00"),
    ("tous les jours sauf dimanche 11h30-13h30", "Mo-Sa 11:30-13:30"),
    ("du lundi au samedi sauf le mercredi, 9h-12h", "Mo,Tu,Th-Sa 09:00-12:00"),
    ("de 9h à 12h sauf le lundi", "Tu-Su 09:00-12:00"),
    ("tous les jours sauf mercredi et dimanche de 9h à 12h", "Mo,Tu,Th-Sa 09:00-12:00"),
    ("en semaine", FLAGGED),
    ("en semaine de 9h à 17h", "Mo-Fr 09:00-17:00"),
    ("en semaine 9h-17h, le week-end 10h-12h", "Mo-Fr 09:00-17:00; Sa,Su 10:00-12:00"),
    ("les jours ouvrés de 9h à 12h", "Mo-Fr 09:00-12:00"),
    ("du lundi au vendredi (jours ouvrés) 9h-12h", "Mo-Fr 09:00-12:00"),
    ("le week-end", FLAGGED),
    ("le week-end de 10h à 12h", "Sa,Su 10:00-12:00"),
    ("le weekend 10h-12h", "Sa,Su 10:00-12:00"),
    ("le WE 10h-12h", "Sa,Su 10:00-12:00"),
    ("les week-ends de 18h à 20h", "Sa,Su 18:00-20:00"),
    ("samedi et dimanche 10h-12h", "Sa,Su 10:00-12:00"),
    // Closed days and holidays.
    ("du lundi au samedi de 9h à 12h, fermé le mercredi", "Mo,Tu,Th-Sa 09:00-12:00"),
    ("du lundi au vendredi 9h-12h, fermé le mercredi", "Mo,Tu,Th,Fr 09:00-12:00"),
    ("du lundi au vendredi 9h-17h ; mercredi : fermé", "Mo,Tu,Th,Fr 09:00-17:00"),
    ("du lundi au vendredi 9h-12h, fermé les jours fériés", "Mo-Fr 09:00-12:00; PH off"),
    ("du lundi au vendredi 9h-12h sauf jours fériés", "Mo-Fr 09:00-12:00; PH off"),
    ("lundi 9h-12h (fermé les jours fériés)", "Mo 09:00-12:00; PH off"),
    ("fermé le lundi", FLAGGED),
    ("fermé", FLAGGED),
    ("fermé temporairement", FLAGGED),
    ("Mo-Fr 9h-12h; PH off", "Mo-Fr 09:00-12:00; PH off"),
    ("Mo 9h-12h", "Mo 09:00-12:00"),
    ("Mo-Fr 9:00-12:00,14:00-17:00", "Mo-Fr 09:00-12:00,14:00-17:00"),
    // Open end, lone times, parts of the day.
    ("à partir de 20h", "20:00+"),
    ("à partir de 19h", "19:00+"),
    ("A partir de 19h30", "19:30+"),
    ("dès 20h", "20:00+"),
    ("après 20h", "20:00+"),
    ("le vendredi à partir de 18h", "Fr 18:00+"),
    ("tous les soirs à partir de 19h", "19:00+"),
    ("à partir de 20h jusqu'à 23h", "20:00-23:00"),
    ("à 10h", FLAGGED),
    ("le samedi à 10h", FLAGGED),
    ("10h", FLAGGED),
    ("vers 19h", FLAGGED),
    ("jusqu'à 14h", FLAGGED),
    ("jusqu’à 14h", FLAGGED),
    ("avant 12h", FLAGGED),
    ("le matin", FLAGGED),
    ("l'après-midi", FLAGGED),
    ("l’après-midi", FLAGGED),
    ("le mardi après-midi", FLAGGED),
    ("lundi matin", FLAGGED),
    ("le soir", FLAGGED),
    ("le midi", FLAGGED),
    ("à midi", FLAGGED),
    ("de 14h à 12h", FLAGGED),
    ("de 25h à 26h", FLAGGED),
    ("9h75-12h", FLAGGED),
    // Seasons.
    ("du 15 octobre au 31 mars", FLAGGED),
    ("du 15 octobre au 31 mars, tous les jours de 19h à 21h", "Oct 15-Mar 31 Mo-Su 19:00-21:00"),
    ("du 15 octobre au 31 mars de 9h à 12h", "Oct 15-Mar 31 09:00-12:00"),
    ("du 1er novembre au 31 mars, du lundi au vendredi de 18h à 20h", "Nov 01-Mar 31 Mo-Fr 18:00-20:00"),
    ("du 1er novembre au 31 mars : lundi 18h-20h", "Nov 01-Mar 31 Mo 18:00-20:00"),
    ("du 15 octobre au 31 mars les mardis de 14h à 16h", "Oct 15-Mar 31 Tu 14:00-16:00"),
    ("du 1 decembre au 28 fevrier, le soir de 19h a 21h", "Dec 01-Feb 28 19:00-21:00"),
    ("les mardis de 14h à 16h du 15 octobre au 31 mars", "Oct 15-Mar 31 Tu 14:00-16:00"),
    ("du 01/11 au 31/03 de 9h à 12h", "Nov 01-Mar 31 09:00-12:00"),
    ("d'octobre à mars, le lundi de 9h à 12h", "Oct-Mar Mo 09:00-12:00"),
    ("d’octobre à mars, le lundi de 9h à 12h", "Oct-Mar Mo 09:00-12:00"),
    ("de septembre à juin, mercredi 14h-17h", "Sep-Jun We 14:00-17:00"),
    ("en juillet et août, du lundi au vendredi 9h-12h", "Jul,Aug Mo-Fr 09:00-12:00"),
    ("juillet-août : lundi 9h-12h", "Jul-Aug Mo 09:00-12:00"),
    ("lundi 9h-12h, fermé en août", "Mo 09:00-12:00; Aug off"),
    ("lundi 9h-12h sauf en août", "Mo 09:00-12:00; Aug off"),
    ("lundi 9h-12h ; fermé du 15 juillet au 15 août", "Mo 09:00-12:00; Jul 15-Aug 15 off"),
    ("lundi 9h-12h ; du 24 décembre au 2 janvier : fermé", "Mo 09:00-12:00; Dec 24-Jan 02 off"),
    (
        "du 1er juin au 31 août de 9h à 12h, du 1er septembre au 31 mai de 14h à 17h",
        "Jun 01-Aug 31 09:00-12:00; Sep 01-May 31 14:00-17:00",
    ),
    (
        "de 9h à 12h du 1er juin au 31 août, de 14h à 17h du 1er septembre au 31 mai",
        "Jun 01-Aug 31 09:00-12:00; Sep 01-May 31 14:00-17:00",
    ),
    ("du 15 octobre 2025 au 31 mars 2026 de 9h à 12h", FLAGGED),
    ("du 31 février au 3 mars de 9h à 12h", FLAGGED),
    ("à partir du 1er décembre, le lundi de 9h à 12h", FLAGGED),
    ("jusqu'au 31 mars, le lundi de 9h à 12h", FLAGGED),
    ("fin juin, le lundi de 9h à 12h", FLAGGED),
    ("pendant les vacances scolaires, lundi 9h-12h", FLAGGED),
    ("hors vacances scolaires : lundi 9h-12h", FLAGGED),
    // Days of the month.
    ("le 1er mardi du mois de 14h à 16h", "Tu[1] 14:00-16:00"),
    ("le premier mardi du mois de 14h à 16h", "Tu[1] 14:00-16:00"),
    ("les 1er et 3e samedis du mois, 10h-12h", "Sa[1,3] 10:00-12:00"),
    ("le 2ème jeudi de chaque mois de 9h à 11h", "Th[2] 09:00-11:00"),
    ("le dernier vendredi du mois de 18h à 20h", "Fr[-1] 18:00-20:00"),
    ("lundi 9h-12h ; le 1er samedi du mois 10h-12h", "Mo 09:00-12:00; Sa[1] 10:00-12:00"),
    ("le 1er mardi du mois", FLAGGED),
    // Frequencies and appointments.
    ("un samedi sur deux", FLAGGED),
    ("un samedi sur deux de 10h à 12h", FLAGGED),
    ("une semaine sur deux le mardi 14h-16h", FLAGGED),
    ("tous les 15 jours le jeudi de 14h à 16h", FLAGGED),
    ("tous les quinze jours, le jeudi 14h-16h", FLAGGED),
    ("le mardi 14h-16h (semaines paires)", FLAGGED),
    ("deux fois par mois", FLAGGED),
    ("une fois par mois le samedi", FLAGGED),
    ("sur rendez-vous", FLAGGED),
    ("uniquement sur rendez-vous", FLAGGED),
    ("lundi 9h-12h sur rendez-vous", FLAGGED),
    ("sur RDV du lundi au vendredi", FLAGGED),
    ("sur inscription le mardi 14h-16h", FLAGGED),
    // Things that are not hours, or ambiguous.
    ("lundi ou mardi de 9h à 12h", FLAGGED),
    ("distribution de colis le mardi de 14h à 16h", FLAGGED),
    ("se renseigner", FLAGGED),
    ("voir site internet", FLAGGED),
    ("", FLAGGED),
    ("   ", FLAGGED),
    ("lundi 9h-12h, lundi 10h-11h", FLAGGED),
    ("tous les jours 9h-17h, le samedi 9h-12h", FLAGGED),
    ("lundi 9h-12h, mardi", FLAGGED),
    ("9-12", FLAGGED),
];

#[test]
fn french_phrases_convert_to_opening_hours_or_are_flagged() {
    assert!(TABLE.len() >= 150, "{} phrases", TABLE.len());
    let mut wrong = Vec::new();
    for (text, expected) in TABLE {
        let got = match convert(text) {
            Conversion::Hours(h) => {
                assert!(Horaires::parse(&h).is_ok(), "{text:?} gave {h:?}, which does not parse");
                h
            }
            Conversion::Flagged(_) => FLAGGED.to_string(),
        };
        if got != *expected {
            wrong.push(format!("{text:?}: expected {expected:?}, got {:?}", convert(text)));
        }
    }
    assert!(wrong.is_empty(), "{} of {} wrong:\n{}", wrong.len(), TABLE.len(), wrong.join("\n"));
}

/// What a volunteer reads when a text cannot be converted.
#[test]
fn flagged_phrases_say_why() {
    for (text, reason) in [
        ("un samedi sur deux", "« un samedi sur deux » : fréquence non représentable, à écrire en commentaire"),
        ("tous les 15 jours le jeudi de 14h à 16h", "« tous les 15 jours » : fréquence non représentable"),
        ("à 10h", "« à 10h » : heure de fin manquante"),
        ("jusqu'à 14h", "« jusqu'à 14h » : heure ou date de début manquante"),
        ("sur rendez-vous", "« sur rendez-vous » n’est pas un horaire : indiquez `rendez-vous` dans `acces`"),
        ("le matin", "« le matin » : partie de journée imprécise"),
        ("l’après-midi", "« l’après-midi » : partie de journée imprécise"),
        ("les mardis", "heures d’ouverture manquantes : les jours se lisent `Tu`"),
        ("tous les jours sauf le jeudi", "les jours se lisent `Mo-We,Fr-Su`"),
        ("le 1er mardi du mois", "les jours se lisent `Tu[1]`"),
        ("de 14h à 12h", "« 14h à 12h » : l’heure de fin est avant l’heure de début"),
        ("fermé", "utilisez `[[fermetures]]`"),
        ("lundi ou mardi de 9h à 12h", "« lundi ou mardi » : « ou » laisse le choix"),
        ("distribution de colis le mardi", "« colis » : mot non reconnu"),
        ("pendant les vacances scolaires, lundi 9h-12h", "« vacances scolaires » : dates variables"),
        ("tous les jours 9h-17h, le samedi 9h-12h", "deux horaires se chevauchent le samedi"),
    ] {
        match convert(text) {
            Conversion::Flagged(r) => assert!(r.starts_with(reason) || r.contains(reason), "{text:?}: {r}"),
            other => panic!("{text:?} gave {other:?}"),
        }
    }
}

/// Random texts made of the words the converter knows: it never panics,
/// and what it converts parses.
#[test]
fn any_mix_of_known_words_is_converted_validly_or_flagged() {
    const WORDS: &[&str] = &[
        "lundi",
        "mardis",
        "sam.",
        "du",
        "au",
        "de",
        "à",
        "9h",
        "12h30",
        "14:00",
        "midi",
        "minuit",
        "-",
        "/",
        ",",
        "et",
        ";",
        "\n",
        "sauf",
        "fermé",
        "les",
        "jours",
        "fériés",
        "tous",
        "le",
        "week-end",
        "en",
        "semaine",
        "15",
        "octobre",
        "1er",
        "mars",
        "à partir de",
        "20h",
        "jusqu'à",
        "24h/24",
        "7j/7",
        "matin",
        "sur",
        "deux",
        "Tu",
        "PH",
        "off",
        "août",
        "dernier",
        "du mois",
        "entre",
        "h",
        "0",
        "99",
        "’",
        "(",
        ")",
    ];
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let mut converted = 0;
    for _ in 0..3000 {
        let n = 1 + next(10);
        let text: Vec<&str> = (0..n).map(|_| WORDS[next(WORDS.len() as u64) as usize]).collect();
        let text = text.join(" ").replace("\\n", "\n");
        if let Conversion::Hours(h) = convert(&text) {
            assert!(Horaires::parse(&h).is_ok(), "{text:?} gave {h:?}");
            converted += 1;
        }
    }
    assert!(converted > 50, "only {converted} converted");
}
