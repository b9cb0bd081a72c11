//! What templates are filled in with: the company, the buyer, the document and its lines, with every sum and
//! date already written the language's way (`1 234 567,50`, `07.12.2026`) and the total in words. The field
//! names are the templates' public interface (the editor lists them): add, never rename.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::ReconciliationQuery;
use super::words::amount_in_words;
use crate::core::db::Db;
use crate::core::format::{calendar_date, document_amount, number};
use crate::core::i18n::Lang;
use crate::core::{AppError, ErrCode};
use crate::db_run;
use crate::invoices::efactura::Party;
use crate::invoices::{Invoice, InvoiceKind, InvoiceLine};
use crate::orders::{Order, OrderLine};

/// A party's fields (`company.*`, `buyer.*`); `fallback_name` when it has none (no counterparty).
pub fn party(p: &Party, fallback_name: &str) -> Value {
    json!({
        "name": p.name.clone().unwrap_or_else(|| fallback_name.to_string()),
        "tax_id": p.tax_id,
        "address": p.address,
        "phone": p.phone,
        "account": p.account,
        "bank_code": p.bank_code,
        "oked": p.requisites.oked,
        "vat_code": p.requisites.vat_reg_code,
        "director": p.requisites.director,
        "accountant": p.requisites.accountant,
    })
}

fn percent(lang: Lang, rate: Option<Decimal>) -> String {
    match (rate, lang) {
        (Some(r), _) => number(lang, r),
        (None, Lang::Uz) => "QQSsiz".into(),
        (None, Lang::Ru) => "Без НДС".into(),
        (None, Lang::En) => "Exempt".into(),
    }
}

/// A priced line of an order or an invoice, as documents print it.
pub struct Priced<'a> {
    pub no: i32,
    pub name: &'a str,
    pub product_id: i64,
    pub unit: &'a str,
    pub qty: Decimal,
    pub price: Decimal,
    pub discount: Decimal,
    pub vat_rate: Option<Decimal>,
    pub net: Decimal,
    pub vat: Decimal,
    pub total: Decimal,
}

/// The same fields of both kinds of line.
macro_rules! priced_from {
    ($($line:ty),*) => {$(
        impl<'a> From<&'a $line> for Priced<'a> {
            fn from(l: &'a $line) -> Self {
                Priced {
                    no: l.line_no,
                    name: &l.product_name,
                    product_id: l.product_id,
                    unit: &l.unit,
                    qty: l.qty,
                    price: l.price,
                    discount: l.discount,
                    vat_rate: l.vat_rate,
                    net: l.net,
                    vat: l.vat,
                    total: l.total,
                }
            }
        }
    )*};
}
priced_from!(InvoiceLine, OrderLine);

/// The `lines` of a document: every sum written the language's way, the product's MXIK code when it has one.
fn lines<'a>(lines: impl Iterator<Item = Priced<'a>>, mxik: &HashMap<i64, String>, lang: Lang) -> Vec<Value> {
    let amount = |d: Decimal| document_amount(lang, d);
    lines
        .map(|l| {
            json!({
                "no": l.no,
                "name": l.name,
                "mxik": mxik.get(&l.product_id),
                "unit": l.unit,
                "qty": number(lang, l.qty),
                "price": amount(l.price),
                "discount": number(lang, l.discount),
                "vat_rate": percent(lang, l.vat_rate),
                "net": amount(l.net),
                "vat": amount(l.vat),
                "total": amount(l.total),
            })
        })
        .collect()
}

/// The fields of an invoice's documents (the invoice, its delivery note, its act).
pub fn invoice(inv: &Invoice, seller: &Party, buyer: &Party, mxik: &HashMap<i64, String>, lang: Lang) -> Value {
    let amount = |d: Decimal| document_amount(lang, d);
    json!({
        "company": party(seller, ""),
        "buyer": party(buyer, &inv.customer_name),
        "customer": {"name": inv.customer_name},
        "doc": {
            "number": inv.number,
            "credit_note": inv.kind == InvoiceKind::CreditNote,
            "date": calendar_date(lang, &inv.invoice_date),
            "due_date": calendar_date(lang, &inv.due_date),
            "contract_no": inv.contract_no,
            "contract_date": inv.contract_date.as_deref().map(|d| calendar_date(lang, d)),
            "currency": inv.currency,
            "rate": number(lang, inv.rate),
            "note": inv.note,
            "manager": inv.manager_name,
        },
        "lines": lines(inv.lines.iter().map(Priced::from), mxik, lang),
        "totals": {
            "net": amount(inv.net),
            "vat": amount(inv.vat),
            "total": amount(inv.total),
            "paid": amount(inv.paid),
            "due": amount((inv.total - inv.paid - inv.credited).max(Decimal::ZERO)),
            "words": amount_in_words(inv.total, &inv.currency, lang),
        },
    })
}

/// The fields of an order's documents (the commercial offer, the supply contract): the order's number and
/// date are the document's.
pub fn order(o: &Order, seller: &Party, buyer: &Party, mxik: &HashMap<i64, String>, lang: Lang) -> Value {
    let amount = |d: Decimal| document_amount(lang, d);
    json!({
        "company": party(seller, ""),
        "buyer": party(buyer, &o.customer_name),
        "customer": {"name": o.customer_name},
        "doc": {
            "number": o.number,
            "date": calendar_date(lang, &o.order_date),
            "currency": o.currency,
            "note": o.note,
            "manager": o.manager_name,
            "deal": o.deal_title,
        },
        "lines": lines(o.lines.iter().map(Priced::from), mxik, lang),
        "totals": {
            "net": amount(o.net),
            "vat": amount(o.vat),
            "total": amount(o.total),
            "words": amount_in_words(o.total, &o.currency, lang),
        },
    })
}

/// One entry of a reconciliation act, in minor units: positive debit (the buyer owes more), credit.
struct Entry {
    date: String,
    document: String,
    debit: i64,
    credit: i64,
}

fn minor(v: i64) -> Decimal {
    Decimal::new(v, 2)
}

fn entry_name(lang: Lang, what: &str, number: Option<&str>) -> String {
    let word = match (what, lang) {
        ("invoice", Lang::Uz) => "Hisob-faktura",
        ("invoice", Lang::Ru) => "Счёт-фактура",
        ("invoice", Lang::En) => "Invoice",
        ("credit_note", Lang::Uz) => "Tuzatish hisob-fakturasi",
        ("credit_note", Lang::Ru) => "Корректировочный счёт-фактура",
        ("credit_note", Lang::En) => "Credit note",
        ("in", Lang::Uz) => "Toʻlov",
        ("in", Lang::Ru) => "Оплата",
        ("in", Lang::En) => "Payment",
        (_, Lang::Uz) => "Qaytarilgan pul",
        (_, Lang::Ru) => "Возврат",
        (_, Lang::En) => "Refund",
    };
    match number.filter(|n| !n.is_empty()) {
        Some(n) => format!("{word} № {n}"),
        None => word.to_string(),
    }
}

/// An invoice or payment as read: date, number, kind or direction, amount, counterparty.
type Row = (String, String, String, i64, Option<i64>);
/// The same of a payment, whose document number may be absent.
type PaymentRow = (String, Option<String>, String, i64, Option<i64>);

/// Checks a period: both days valid, `from` not after `to`, at most ten years.
pub fn check_period(q: &ReconciliationQuery) -> Result<(chrono::NaiveDate, chrono::NaiveDate), AppError> {
    let day = |field: &str, s: &str| {
        chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::field(field, ErrCode::InvalidDate))
    };
    let from = day("from", &q.from)?;
    let to = day("to", &q.to)?;
    if to < from || (to - from).num_days() > 3660 {
        return Err(AppError::field("to", ErrCode::InvalidDate));
    }
    Ok((from, to))
}

/// The fields of a reconciliation act of `customer_id` for the period, in one currency: invoices (debit),
/// credit notes and payments received (credit), refunds paid to the customer (debit); cancelled invoices and
/// reversed payments (with their reversals) left out. Opening balance: everything before `from`.
pub async fn reconciliation(
    db: &Db,
    customer_id: i64,
    customer_name: &str,
    q: &ReconciliationQuery,
    seller: &Party,
    buyer: &Party,
    lang: Lang,
) -> Result<Value, AppError> {
    let (from, to) = check_period(q)?;
    let (from, to) = (from.format("%Y-%m-%d").to_string(), to.format("%Y-%m-%d").to_string());
    let currency = q.currency.clone().unwrap_or_else(|| "UZS".into());
    let invoices: Vec<Row> = db_run!(db, p => sqlx::query_as(
        "SELECT invoice_date, number, kind, total_minor, counterparty_id FROM invoices \
         WHERE customer_id = $1 AND status = 'issued' AND currency = $2 AND invoice_date <= $3 \
         ORDER BY invoice_date, id")
        .bind(customer_id).bind(&currency).bind(&to).fetch_all(p).await)?;
    let payments: Vec<PaymentRow> = db_run!(db, p => sqlx::query_as(
        "SELECT pay_date, doc_no, direction, amount_minor, counterparty_id FROM payments \
         WHERE customer_id = $1 AND currency = $2 AND pay_date <= $3 AND reverses_id IS NULL \
         AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_id = payments.id) \
         ORDER BY pay_date, id")
        .bind(customer_id).bind(&currency).bind(&to).fetch_all(p).await)?;
    let of_party = |cp: Option<i64>| q.counterparty_id.is_none() || cp == q.counterparty_id;
    let mut entries: Vec<Entry> = invoices
        .into_iter()
        .filter(|r| of_party(r.4))
        .map(|(date, number, kind, total, _)| {
            let credit_note = kind == "credit_note";
            Entry {
                document: entry_name(lang, &kind, Some(&number)),
                date,
                debit: if credit_note { 0 } else { total },
                credit: if credit_note { total } else { 0 },
            }
        })
        .chain(payments.into_iter().filter(|r| of_party(r.4)).map(|(date, doc_no, direction, amount, _)| Entry {
            document: entry_name(lang, &direction, doc_no.as_deref()),
            date,
            debit: if direction == "out" { amount } else { 0 },
            credit: if direction == "in" { amount } else { 0 },
        }))
        .collect();
    // Invoices before payments of the same day: stable, as both queries were ordered.
    entries.sort_by(|a, b| a.date.cmp(&b.date));
    let (before, within): (Vec<Entry>, Vec<Entry>) = entries.into_iter().partition(|e| e.date < from);
    let opening: i64 = before.iter().map(|e| e.debit - e.credit).sum();
    let (turn_debit, turn_credit) = within.iter().fold((0i64, 0i64), |(d, c), e| (d + e.debit, c + e.credit));
    let closing = opening + turn_debit - turn_credit;
    let amount = |v: i64| document_amount(lang, minor(v));
    let blank_or = |v: i64| if v == 0 { String::new() } else { amount(v) };
    let side = |balance: i64| json!({"debit": blank_or(balance.max(0)), "credit": blank_or((-balance).max(0))});
    let rows: Vec<Value> = within
        .iter()
        .map(|e| {
            json!({
                "date": calendar_date(lang, &e.date),
                "document": e.document,
                "debit": blank_or(e.debit),
                "credit": blank_or(e.credit),
            })
        })
        .collect();
    let mut closing_json = side(closing);
    closing_json["owes"] = json!(match closing.signum() {
        1 => "buyer",
        -1 => "seller",
        _ => "",
    });
    closing_json["amount"] = json!(format!("{} {currency}", amount(closing.abs())));
    closing_json["words"] = json!(amount_in_words(minor(closing.abs()), &currency, lang));
    Ok(json!({
        "company": party(seller, ""),
        "buyer": party(buyer, customer_name),
        "customer": {"name": customer_name},
        "currency": currency,
        "period": {"from": calendar_date(lang, &from), "to": calendar_date(lang, &to)},
        "opening": side(opening),
        "rows": rows,
        "turnover": {"debit": amount(turn_debit), "credit": amount(turn_credit)},
        "closing": closing_json,
    }))
}
