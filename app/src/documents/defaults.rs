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
    ("offer_title", "Tijorat taklifi", "Коммерческое предложение", "Commercial offer"),
    ("offer_to", "Kimga", "Кому", "To"),
    (
        "offer_intro",
        "{{ company.name }} sizga quyidagi tovarlar (ishlar, xizmatlar)ni taklif qiladi:",
        "{{ company.name }} предлагает вам следующие товары (работы, услуги):",
        "{{ company.name }} offers you the following goods (work, services):",
    ),
    (
        "offer_prices",
        "Narxlar {{ doc.date }} holatiga, {{ doc.currency }}da koʻrsatilgan.",
        "Цены указаны на {{ doc.date }}, в {{ doc.currency }}.",
        "Prices as of {{ doc.date }}, in {{ doc.currency }}.",
    ),
    ("manager", "Menejer", "Менеджер", "Manager"),
    ("contract_title", "Yetkazib berish shartnomasi", "Договор поставки", "Supply contract"),
    (
        "contract_preamble",
        "{{ company.name }} (bundan buyon «Sotuvchi») rahbar {{ company.director }} timsolida, bir tomondan, va {{ buyer.name }} (bundan buyon «Xaridor») rahbar {{ buyer.director }} timsolida, ikkinchi tomondan, ushbu shartnomani quyidagilar haqida tuzdilar:",
        "{{ company.name }}, именуемое в дальнейшем «Поставщик», в лице руководителя {{ company.director }}, с одной стороны, и {{ buyer.name }}, именуемое в дальнейшем «Покупатель», в лице руководителя {{ buyer.director }}, с другой стороны, заключили настоящий договор о нижеследующем:",
        "{{ company.name }} (the Seller), represented by its director {{ company.director }}, and {{ buyer.name }} (the Buyer), represented by its director {{ buyer.director }}, have made this contract as follows:",
    ),
    ("contract_subject_h", "Shartnoma predmeti", "Предмет договора", "Subject of the contract"),
    (
        "contract_subject",
        "Sotuvchi Xaridorga shartnoma ilovasida (spetsifikatsiyada) koʻrsatilgan tovarlarni (ishlar, xizmatlarni) yetkazib beradi, Xaridor esa ularni qabul qilib oladi va haqini toʻlaydi.",
        "Поставщик обязуется передать Покупателю товары (работы, услуги), указанные в спецификации (приложение к настоящему договору), а Покупатель — принять и оплатить их.",
        "The Seller delivers to the Buyer the goods (work, services) listed in the specification annexed to this contract, and the Buyer accepts and pays for them.",
    ),
    (
        "contract_price_h",
        "Shartnoma summasi va hisob-kitob tartibi",
        "Цена договора и порядок расчётов",
        "Price and payment",
    ),
    (
        "contract_price",
        "Shartnomaning umumiy summasi {{ totals.total }} {{ doc.currency }} ({{ totals.words }}), shu jumladan QQS {{ totals.vat }} {{ doc.currency }}.",
        "Общая сумма договора составляет {{ totals.total }} {{ doc.currency }} ({{ totals.words }}), в том числе НДС {{ totals.vat }} {{ doc.currency }}.",
        "The contract's total is {{ totals.total }} {{ doc.currency }} ({{ totals.words }}), VAT of {{ totals.vat }} {{ doc.currency }} included.",
    ),
    (
        "contract_payment",
        "Xaridor hisob-faktura asosida, u yozilgan kundan boshlab 10 bank kuni ichida Sotuvchining hisob raqamiga toʻlaydi.",
        "Покупатель оплачивает товар на расчётный счёт Поставщика на основании счёта-фактуры в течение 10 банковских дней с даты его выставления.",
        "The Buyer pays into the Seller's bank account against the invoice within 10 banking days of its date.",
    ),
    ("contract_delivery_h", "Yetkazib berish", "Поставка", "Delivery"),
    (
        "contract_delivery",
        "Tovarlar Sotuvchining omboridan yuk xati va hisob-faktura asosida topshiriladi.",
        "Товар передаётся со склада Поставщика по товарной накладной и счёту-фактуре.",
        "The goods are handed over at the Seller's warehouse against a delivery note and an invoice.",
    ),
    (
        "contract_acceptance",
        "Tovarlarning miqdori va sifati qabul qilishda tekshiriladi; eʼtirozlar yuk xatida qayd etiladi.",
        "Количество и качество товара проверяются при приёмке; замечания отмечаются в накладной.",
        "Quantity and quality are checked on acceptance; objections are written on the delivery note.",
    ),
    ("contract_liability_h", "Tomonlarning javobgarligi", "Ответственность сторон", "Liability"),
    (
        "contract_liability",
        "Majburiyatlar bajarilmagan yoki lozim darajada bajarilmagan taqdirda tomonlar Oʻzbekiston Respublikasi qonunchiligiga muvofiq javob beradilar.",
        "За неисполнение или ненадлежащее исполнение обязательств стороны несут ответственность в соответствии с законодательством Республики Узбекистан.",
        "A party that does not perform, or performs improperly, is liable under the law of the Republic of Uzbekistan.",
    ),
    (
        "contract_disputes",
        "Nizolar muzokaralar yoʻli bilan, kelishuvga erishilmasa, sud tartibida hal etiladi.",
        "Споры решаются путём переговоров, а при недостижении согласия — в судебном порядке.",
        "Disputes are settled by negotiation or, failing agreement, in court.",
    ),
    ("contract_final_h", "Yakuniy qoidalar", "Заключительные положения", "Final provisions"),
    (
        "contract_term",
        "Shartnoma imzolangan kundan kuchga kiradi va tomonlar majburiyatlarini toʻliq bajargunga qadar amal qiladi. Shartnoma bir xil yuridik kuchga ega ikki nusxada tuzildi.",
        "Договор вступает в силу с момента подписания и действует до полного исполнения сторонами своих обязательств. Составлен в двух экземплярах, имеющих одинаковую юридическую силу.",
        "The contract takes effect when signed and lasts until both parties have fully performed. It is made in two copies of equal force.",
    ),
    ("contract_requisites_h", "Tomonlarning rekvizitlari", "Реквизиты сторон", "The parties' details"),
    ("contract_annex", "Spetsifikatsiya", "Спецификация", "Specification"),
    (
        "contract_annex_of",
        "{{ doc.date }} dagi {{ doc.number }}-son shartnomaga ilova",
        "Приложение к договору № {{ doc.number }} от {{ doc.date }}",
        "Annex to contract № {{ doc.number }} of {{ doc.date }}",
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
        DocKind::Offer => include_str!("defaults/offer.html"),
        DocKind::Contract => include_str!("defaults/contract.html"),
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
