//! Phone numbers: stored in E.164 (`+998901234567`), shown in the local style (`+998 90 123 45 67`).

/// Parses a phone number written in any common way; numbers without a country code are taken as
/// Uzbek. `None` when it is not a valid number. Uses libphonenumber's metadata (server only).
#[cfg(feature = "ssr")]
pub fn normalize(input: &str) -> Option<String> {
    use phonenumber::{Mode, country};
    // Spaces, dashes, dots and brackets are only grouping; letters are refused by the parser.
    let cleaned: String = input.chars().filter(|c| !c.is_whitespace() && !"-.()".contains(*c)).collect();
    // "00" is the international prefix in Uzbekistan and most of the CIS.
    let cleaned = match cleaned.strip_prefix("00") {
        Some(rest) => format!("+{rest}"),
        None => cleaned,
    };
    let number = phonenumber::parse(Some(country::Id::UZ), &cleaned).ok()?;
    phonenumber::is_valid(&number).then(|| number.format().mode(Mode::E164).to_string())
}

/// The E.164 number grouped for reading: Uzbek `+998 90 123 45 67`, Russian/Kazakh `+7 912 345-67-89`,
/// anything else unchanged. Runs in the browser too, so it does not need the metadata.
pub fn display(e164: &str) -> String {
    let digits = |s: &str| s.len() > 1 && s.chars().all(|c| c.is_ascii_digit());
    if let Some(n) = e164.strip_prefix("+998").filter(|n| n.len() == 9 && digits(n)) {
        return format!("+998 {} {} {} {}", &n[..2], &n[2..5], &n[5..7], &n[7..]);
    }
    if let Some(n) = e164.strip_prefix("+7").filter(|n| n.len() == 10 && digits(n)) {
        return format!("+7 {} {}-{}-{}", &n[..3], &n[3..6], &n[6..8], &n[8..]);
    }
    e164.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "ssr")]
    fn normalises_common_spellings() {
        for input in ["+998 90 123-45-67", "90 123 45 67", "(90) 1234567", "00998901234567", "+998901234567"] {
            assert_eq!(normalize(input).as_deref(), Some("+998901234567"), "{input}");
        }
        assert_eq!(normalize("+7 912 345 67 89").as_deref(), Some("+79123456789"));
        assert_eq!(normalize("+1 650 253 0000").as_deref(), Some("+16502530000"));
        for bad in ["12", "abc", "+998 12", "+998 00 000 00 00"] {
            assert_eq!(normalize(bad), None, "{bad}");
        }
    }

    #[test]
    fn shows_local_groups() {
        assert_eq!(display("+998901234567"), "+998 90 123 45 67");
        assert_eq!(display("+79123456789"), "+7 912 345-67-89");
        assert_eq!(display("+16502530000"), "+16502530000");
    }
}
