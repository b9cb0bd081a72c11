//! Likely duplicates: the same phone or e-mail, or a name that reduces to the same key (legal forms,
//! quotes and punctuation dropped, Cyrillic spelled in Latin), so that `"Ромашка" ООО`, `Romashka MChJ`
//! and `ROMASHKA LLC` meet.

use serde::{Deserialize, Serialize};

/// Legal-form words dropped from names (after transliteration, lower case).
const LEGAL_FORMS: &[&str] = &[
    "mchj",
    "ooo",
    "oao",
    "zao",
    "pao",
    "ao",
    "ip",
    "xk",
    "aj",
    "qk",
    "yatt",
    "chp",
    "llc",
    "ltd",
    "inc",
    "jsc",
    "plc",
    "gmbh",
    "co",
    "corp",
    "company",
    "fe",
    "xususiy",
    "korxona",
    "oilaviy",
    "korxonasi",
];

/// Cyrillic (Russian and Uzbek) to Latin, one letter at a time.
fn latin(c: char) -> &'static str {
    match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'э' => "e",
        'ё' => "yo",
        'ж' => "j",
        'з' => "z",
        'и' | 'й' | 'ы' => "i",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' | 'ҳ' => "x",
        'ц' => "ts",
        'ч' => "ch",
        'ш' | 'щ' => "sh",
        'ю' => "yu",
        'я' => "ya",
        'ў' => "o",
        'қ' => "q",
        'ғ' => "g",
        _ => "",
    }
}

/// The distinctive part of a name: lower case, Latin letters and digits, legal forms dropped, words joined.
pub fn name_key(name: &str) -> String {
    let mut spelled = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            spelled.push(c);
        } else if !latin(c).is_empty() {
            spelled.push_str(latin(c));
        } else if c == '\'' || c == 'ʻ' || c == 'ʼ' || c == '‘' || c == '’' || c == 'ъ' || c == 'ь' {
            // o'zbek: the apostrophe is part of the letter
        } else {
            spelled.push(' ');
        }
    }
    // "kh" and "x" are the same sound in Uzbek Latin and Russian transliteration.
    let spelled = spelled.replace("kh", "x");
    spelled.split_whitespace().filter(|w| !LEGAL_FORMS.contains(w)).collect::<Vec<_>>().join("")
}

/// Why a customer looks like a duplicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DuplicateReason {
    Phone,
    Email,
    Name,
}

impl DuplicateReason {
    /// Its name in the UI.
    pub fn msg(self) -> crate::core::Msg {
        match self {
            DuplicateReason::Phone => crate::core::Msg::SamePhone,
            DuplicateReason::Email => crate::core::Msg::SameEmail,
            DuplicateReason::Name => crate::core::Msg::SimilarName,
        }
    }
}

/// A customer that may be the same as the one being entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DuplicateHit {
    pub id: i64,
    pub name: String,
    pub manager_name: String,
    pub reasons: Vec<DuplicateReason>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_meet_across_scripts_and_legal_forms() {
        assert_eq!(name_key("\"Ромашка\" ООО"), "romashka");
        assert_eq!(name_key("Romashka MChJ"), "romashka");
        assert_eq!(name_key("ROMASHKA, LLC"), "romashka");
        assert_eq!(name_key("Toshkent Savdo XK"), name_key("Тошкент савдо"));
        assert_eq!(name_key("O'zbekiston Temir Yo'llari AJ"), "ozbekistontemiryollari");
        assert_ne!(name_key("Alfa"), name_key("Beta"));
        assert_eq!(name_key("ООО"), "");
    }
}
