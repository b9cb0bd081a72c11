//! Amounts in words, as Uzbek and Russian documents write them under the total: "Toʻrt ming oʻttiz ikki soʻm
//! 00 tiyin", "Четыре тысячи тридцать два сума 00 тийинов" (whole units in words, the cents in digits).
//!
//! Russian agrees each group with its scale word (одна тысяча, две тысячи, пять тысяч; один миллион) and the
//! currency's gender (одна копейка); Uzbek Latin writes "bir yuz" and uses the letter ʻ (U+02BB) of the
//! official alphabet. Currencies other than UZS, USD, EUR and RUB are named by their code.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::core::i18n::Lang;

/// `amount` in words with its currency, the minor units in two digits; a negative amount starts with minus.
pub fn amount_in_words(amount: Decimal, currency: &str, lang: Lang) -> String {
    let cents = (amount.abs() * Decimal::ONE_HUNDRED).round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    let cents: u128 = cents.try_into().unwrap_or(0);
    let (whole, minor) = (cents / 100, cents % 100);
    let names = currency_names(currency, lang);
    let words = match lang {
        Lang::Ru => russian(whole, names.feminine),
        Lang::Uz => uzbek(whole),
        Lang::En => english(whole),
    };
    let major = match lang {
        Lang::Ru => russian_plural(whole, names.major),
        _ => names.major[0],
    };
    let minor_name = match lang {
        Lang::Ru => russian_plural(minor, names.minor),
        _ => names.minor[0],
    };
    let minus = match (amount.is_sign_negative() && cents > 0, lang) {
        (false, _) => "",
        (true, Lang::Ru) => "минус ",
        (true, Lang::Uz) => "minus ",
        (true, Lang::En) => "minus ",
    };
    capitalize(&format!("{minus}{words} {major} {minor:02} {minor_name}"))
}

struct CurrencyNames<'a> {
    /// Russian forms for 1, 2–4 and 5+ (one form repeated where a language does not decline).
    major: [&'a str; 3],
    minor: [&'a str; 3],
    /// Russian: the currency's word is feminine (одна, две).
    feminine: bool,
}

fn currency_names(currency: &str, lang: Lang) -> CurrencyNames<'_> {
    let same = |s| [s, s, s];
    let n = |major, minor| CurrencyNames { major, minor, feminine: false };
    match (currency, lang) {
        ("UZS", Lang::Uz) => n(same("soʻm"), same("tiyin")),
        ("UZS", Lang::Ru) => n(["сум", "сума", "сумов"], ["тийин", "тийина", "тийинов"]),
        ("UZS", Lang::En) => n(same("sum"), same("tiyin")),
        ("USD", Lang::Uz) => n(same("AQSh dollari"), same("sent")),
        ("USD", Lang::Ru) => n(["доллар США", "доллара США", "долларов США"], ["цент", "цента", "центов"]),
        ("USD", Lang::En) => n(same("US dollars"), same("cents")),
        ("EUR", Lang::Uz) => n(same("yevro"), same("sent")),
        ("EUR", Lang::Ru) => n(same("евро"), ["цент", "цента", "центов"]),
        ("EUR", Lang::En) => n(same("euro"), same("cents")),
        ("RUB", Lang::Uz) => n(same("rubl"), same("tiyin")),
        ("RUB", Lang::Ru) => CurrencyNames {
            major: ["рубль", "рубля", "рублей"],
            minor: ["копейка", "копейки", "копеек"],
            feminine: false,
        },
        ("RUB", Lang::En) => n(same("roubles"), same("kopecks")),
        (code, _) => n(same(code), same("/100")),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Groups of three digits, lowest first.
fn groups(mut n: u128) -> Vec<u32> {
    let mut g = Vec::new();
    while n > 0 {
        g.push((n % 1000) as u32);
        n /= 1000;
    }
    g
}

/// The Russian form for `n`: 1 (один рубль), 2–4 (два рубля), else (пять рублей).
fn russian_plural(n: u128, forms: [&str; 3]) -> &str {
    let (d100, d10) = (n % 100, n % 10);
    if (11..=14).contains(&d100) {
        forms[2]
    } else if d10 == 1 {
        forms[0]
    } else if (2..=4).contains(&d10) {
        forms[1]
    } else {
        forms[2]
    }
}

fn russian(n: u128, feminine_units: bool) -> String {
    if n == 0 {
        return "ноль".into();
    }
    const HUNDREDS: [&str; 10] =
        ["", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот"];
    const TENS: [&str; 10] =
        ["", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто"];
    const TEENS: [&str; 10] = [
        "десять",
        "одиннадцать",
        "двенадцать",
        "тринадцать",
        "четырнадцать",
        "пятнадцать",
        "шестнадцать",
        "семнадцать",
        "восемнадцать",
        "девятнадцать",
    ];
    const ONES_M: [&str; 10] = ["", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"];
    const ONES_F: [&str; 10] = ["", "одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"];
    // (forms, feminine) of each scale above the units.
    const SCALES: [([&str; 3], bool); 5] = [
        (["тысяча", "тысячи", "тысяч"], true),
        (["миллион", "миллиона", "миллионов"], false),
        (["миллиард", "миллиарда", "миллиардов"], false),
        (["триллион", "триллиона", "триллионов"], false),
        (["квадриллион", "квадриллиона", "квадриллионов"], false),
    ];
    let g = groups(n);
    if g.len() > SCALES.len() + 1 {
        return n.to_string();
    }
    let mut words: Vec<&str> = Vec::new();
    for (i, &v) in g.iter().enumerate().rev() {
        if v == 0 {
            continue;
        }
        let feminine = if i == 0 { feminine_units } else { SCALES[i - 1].1 };
        words.push(HUNDREDS[(v / 100) as usize]);
        let rest = v % 100;
        if (10..20).contains(&rest) {
            words.push(TEENS[(rest - 10) as usize]);
        } else {
            words.push(TENS[(rest / 10) as usize]);
            words.push(if feminine { ONES_F } else { ONES_M }[(rest % 10) as usize]);
        }
        if i > 0 {
            words.push(russian_plural(u128::from(v), SCALES[i - 1].0));
        }
    }
    words.retain(|w| !w.is_empty());
    words.join(" ")
}

fn uzbek(n: u128) -> String {
    if n == 0 {
        return "nol".into();
    }
    const ONES: [&str; 10] = ["", "bir", "ikki", "uch", "toʻrt", "besh", "olti", "yetti", "sakkiz", "toʻqqiz"];
    const TENS: [&str; 10] =
        ["", "oʻn", "yigirma", "oʻttiz", "qirq", "ellik", "oltmish", "yetmish", "sakson", "toʻqson"];
    const SCALES: [&str; 5] = ["ming", "million", "milliard", "trillion", "kvadrillion"];
    let g = groups(n);
    if g.len() > SCALES.len() + 1 {
        return n.to_string();
    }
    let mut words: Vec<&str> = Vec::new();
    for (i, &v) in g.iter().enumerate().rev() {
        if v == 0 {
            continue;
        }
        if v >= 100 {
            words.push(ONES[(v / 100) as usize]);
            words.push("yuz");
        }
        words.push(TENS[(v % 100 / 10) as usize]);
        words.push(ONES[(v % 10) as usize]);
        if i > 0 {
            words.push(SCALES[i - 1]);
        }
    }
    words.retain(|w| !w.is_empty());
    words.join(" ")
}

fn english(n: u128) -> String {
    if n == 0 {
        return "zero".into();
    }
    const ONES: [&str; 20] = [
        "",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
    const SCALES: [&str; 5] = ["thousand", "million", "billion", "trillion", "quadrillion"];
    let g = groups(n);
    if g.len() > SCALES.len() + 1 {
        return n.to_string();
    }
    let mut words: Vec<String> = Vec::new();
    for (i, &v) in g.iter().enumerate().rev() {
        if v == 0 {
            continue;
        }
        if v >= 100 {
            words.push(format!("{} hundred", ONES[(v / 100) as usize]));
        }
        let rest = (v % 100) as usize;
        match rest {
            0 => {}
            1..20 => words.push(ONES[rest].into()),
            _ if rest.is_multiple_of(10) => words.push(TENS[rest / 10].into()),
            _ => words.push(format!("{}-{}", TENS[rest / 10], ONES[rest % 10])),
        }
        if i > 0 {
            words.push(SCALES[i - 1].into());
        }
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn w(amount: &str, currency: &str, lang: Lang) -> String {
        amount_in_words(Decimal::from_str(amount).unwrap(), currency, lang)
    }

    #[test]
    fn uzbek_sums() {
        assert_eq!(w("4032", "UZS", Lang::Uz), "Toʻrt ming oʻttiz ikki soʻm 00 tiyin");
        assert_eq!(w("0.5", "UZS", Lang::Uz), "Nol soʻm 50 tiyin");
        assert_eq!(w("1250000.07", "UZS", Lang::Uz), "Bir million ikki yuz ellik ming soʻm 07 tiyin");
        assert_eq!(w("119", "UZS", Lang::Uz), "Bir yuz oʻn toʻqqiz soʻm 00 tiyin");
        assert_eq!(w("3000000000", "UZS", Lang::Uz), "Uch milliard soʻm 00 tiyin");
    }

    #[test]
    fn russian_agreement() {
        assert_eq!(w("4032", "UZS", Lang::Ru), "Четыре тысячи тридцать два сума 00 тийинов");
        assert_eq!(w("1001.01", "UZS", Lang::Ru), "Одна тысяча один сум 01 тийин");
        assert_eq!(w("2000000", "UZS", Lang::Ru), "Два миллиона сумов 00 тийинов");
        assert_eq!(w("11", "UZS", Lang::Ru), "Одиннадцать сумов 00 тийинов");
        assert_eq!(w("212512.22", "UZS", Lang::Ru), "Двести двенадцать тысяч пятьсот двенадцать сумов 22 тийина");
        assert_eq!(w("21000", "RUB", Lang::Ru), "Двадцать одна тысяча рублей 00 копеек");
        assert_eq!(w("2.01", "RUB", Lang::Ru), "Два рубля 01 копейка");
        assert_eq!(w("5", "USD", Lang::Ru), "Пять долларов США 00 центов");
        assert_eq!(w("-15.5", "UZS", Lang::Ru), "Минус пятнадцать сумов 50 тийинов");
    }

    #[test]
    fn english_and_unknown_currencies() {
        assert_eq!(w("4032", "UZS", Lang::En), "Four thousand thirty-two sum 00 tiyin");
        assert_eq!(w("115.10", "USD", Lang::En), "One hundred fifteen US dollars 10 cents");
        assert_eq!(w("7", "KZT", Lang::En), "Seven KZT 00 /100");
        // Half a tiyin rounds away from zero, like every sum of an invoice.
        assert_eq!(w("0.005", "UZS", Lang::En), "Zero sum 01 tiyin");
    }
}
