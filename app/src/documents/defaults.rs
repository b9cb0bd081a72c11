//! The built-in templates: one HTML source per kind (`defaults/*.html`) with `[[label]]` placeholders, turned
//! into a plain template per language by putting in the language's words. An administrator edits that text;
//! resetting a template brings this one back.

use super::DocKind;
use crate::core::i18n::Lang;

/// `(key, Uzbek, Russian, English)`.
const LABELS: &[(&str, &str, &str, &str)] = &[
    ("invoice_title", "Hisob-faktura", "Счёт-фактура", "Invoice"),
    ("delivery_note_title", "Yuk xati", "Товарная накладная", "Delivery note"),
    ("act_title", "Bajarilgan ishlar dalolatnomasi", "Акт выполненных работ (оказанных услуг)", "Act of work done"),
    (
        "reconciliation_title",
        "Oʻzaro hisob-kitoblarni solishtirish dalolatnomasi",
        "Акт сверки взаимных расчётов",
        "Reconciliation statement",
    ),
    (
        "reconciliation_intro",
        "{{ period.from }} – {{ period.to }} davr uchun {{ company.name }} va {{ buyer.name }} oʻrtasida, {{ currency }}",
        "за период с {{ period.from }} по {{ period.to }} между {{ company.name }} и {{ buyer.name }}, {{ currency }}",
        "for {{ period.from }} – {{ period.to }} between {{ company.name }} and {{ buyer.name }}, {{ currency }}",
    ),
    ("dated", "sana", "от", "of"),
    ("contract", "Shartnoma", "Договор", "Contract"),
    ("seller", "Sotuvchi", "Поставщик", "Seller"),
    ("buyer", "Xaridor", "Покупатель", "Buyer"),
    ("contractor", "Ijrochi", "Исполнитель", "Contractor"),
    ("customer", "Buyurtmachi", "Заказчик", "Customer"),
    ("address", "Manzil", "Адрес", "Address"),
    ("tin", "STIR", "ИНН", "Tax id"),
    ("vat_code", "QQS toʻlovchi kodi", "Код плательщика НДС", "VAT registration code"),
    ("account", "H/r", "Р/с", "Account"),
    ("bank_code", "MFO", "МФО", "Bank code"),
    ("oked", "IFUT", "ОКЭД", "OKED"),
    ("product", "Tovar (ish, xizmat) nomi", "Наименование товара (работ, услуг)", "Goods (work, services)"),
    ("mxik", "MXIK", "ИКПУ", "MXIK"),
    ("unit", "Oʻlch. birl.", "Ед. изм.", "Unit"),
    ("qty", "Miqdori", "Кол-во", "Qty"),
    ("price", "Narxi", "Цена", "Price"),
    ("net", "Yetkazib berish qiymati", "Стоимость поставки", "Amount"),
    ("vat_rate", "QQS, %", "НДС, %", "VAT, %"),
    ("vat", "QQS summasi", "Сумма НДС", "VAT"),
    ("total", "QQS bilan qiymati", "Стоимость с НДС", "Total with VAT"),
    ("totals", "Jami", "Итого", "Total"),
    ("total_in_words", "Jami toʻlovga", "Всего к оплате", "Total due"),
    ("rate", "Kurs", "Курс", "Rate"),
    ("pay_by", "Toʻlov muddati", "Оплатить до", "Pay by"),
    ("director", "Rahbar", "Руководитель", "Director"),
    ("chief_accountant", "Bosh hisobchi", "Главный бухгалтер", "Chief accountant"),
    ("released_by", "Topshirdi", "Отпустил", "Released by"),
    ("received_by", "Qabul qildi", "Получил", "Received by"),
    (
        "act_intro",
        "Biz, quyida imzo qoʻyuvchilar, Ijrochi {{ company.name }} va Buyurtmachi {{ buyer.name }} vakillari, quyidagi ishlar (xizmatlar) bajarilganligi toʻgʻrisida ushbu dalolatnomani tuzdik:",
        "Мы, нижеподписавшиеся, представители Исполнителя {{ company.name }} и Заказчика {{ buyer.name }}, составили настоящий акт о том, что выполнены следующие работы (оказаны услуги):",
        "We, the undersigned, representatives of the Contractor {{ company.name }} and the Customer {{ buyer.name }}, state that the following work was done (services rendered):",
    ),
    (
        "act_outro",
        "Ishlar (xizmatlar) toʻliq hajmda va belgilangan muddatda bajarildi. Buyurtmachining hajmi, sifati va muddatlari boʻyicha eʼtirozlari yoʻq.",
        "Работы (услуги) выполнены полностью и в срок. Заказчик претензий по объёму, качеству и срокам не имеет.",
        "The work was done in full and on time. The Customer has no claims as to its scope, quality or terms.",
    ),
    ("date", "Sana", "Дата", "Date"),
    ("document", "Hujjat", "Документ", "Document"),
    ("debit", "Debet", "Дебет", "Debit"),
    ("credit", "Kredit", "Кредит", "Credit"),
    ("opening_balance", "Davr boshiga qoldiq", "Сальдо на начало периода", "Opening balance"),
    ("turnover", "Davr uchun aylanma", "Обороты за период", "Turnover for the period"),
    ("closing_balance", "Davr oxiriga qoldiq", "Сальдо на конец периода", "Closing balance"),
    (
        "buyer_owes",
        "{{ period.to }} holatiga {{ buyer.name }}ning {{ company.name }} oldidagi qarzi: <b>{{ closing.amount }}</b> ({{ closing.words }}).",
        "На {{ period.to }} задолженность {{ buyer.name }} перед {{ company.name }} составляет <b>{{ closing.amount }}</b> ({{ closing.words }}).",
        "As of {{ period.to }}, {{ buyer.name }} owes {{ company.name }} <b>{{ closing.amount }}</b> ({{ closing.words }}).",
    ),
    (
        "seller_owes",
        "{{ period.to }} holatiga {{ company.name }}ning {{ buyer.name }} oldidagi qarzi: <b>{{ closing.amount }}</b> ({{ closing.words }}).",
        "На {{ period.to }} задолженность {{ company.name }} перед {{ buyer.name }} составляет <b>{{ closing.amount }}</b> ({{ closing.words }}).",
        "As of {{ period.to }}, {{ company.name }} owes {{ buyer.name }} <b>{{ closing.amount }}</b> ({{ closing.words }}).",
    ),
    (
        "nobody_owes",
        "{{ period.to }} holatiga oʻzaro qarzdorlik yoʻq.",
        "На {{ period.to }} взаимной задолженности нет.",
        "As of {{ period.to }}, neither side owes the other.",
    ),
];

const PARTIES: &str = include_str!("defaults/parties.html");
const LINES: &str = include_str!("defaults/lines.html");

fn source(kind: DocKind) -> &'static str {
    match kind {
        DocKind::Invoice => include_str!("defaults/invoice.html"),
        DocKind::DeliveryNote => include_str!("defaults/delivery_note.html"),
        DocKind::Act => include_str!("defaults/act.html"),
        DocKind::Reconciliation => include_str!("defaults/reconciliation.html"),
    }
}

/// The built-in template of `kind` in `lang`.
pub fn body(kind: DocKind, lang: Lang) -> String {
    let mut text = source(kind).replace("[[parties]]", PARTIES).replace("[[lines]]", LINES);
    for (key, uz, ru, en) in LABELS {
        let word = match lang {
            Lang::Uz => uz,
            Lang::Ru => ru,
            Lang::En => en,
        };
        text = text.replace(&format!("[[{key}]]"), word);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_is_filled_in_and_the_html_is_allowed() {
        for kind in DocKind::ALL {
            for lang in Lang::ALL {
                let b = body(kind, lang);
                assert!(!b.contains("[["), "{kind:?} {lang:?}: {}", &b[b.find("[[").unwrap()..][..40]);
                assert_eq!(super::super::markup::check_source(&b), Ok(()), "{kind:?} {lang:?}");
            }
        }
    }
}
