//! An invoice as the JSON document the Uzbek e-invoice operators take (Didox, Soliq Servis: the "factura"
//! schema, document type 002), checked first: every field the operators refuse an e-invoice without is
//! reported at once, each under a path the invoice page translates (`seller.oked`, `buyer.tax_id`,
//! `lines.3.mxik`, `contract_no`). Signing and sending through an operator is the company's own step.
//!
//! How the amounts are written: every sum (`Summa`, the unit price; `DeliverySum`, quantity × price;
//! `VatSum`; `DeliverySumWithVat`) as a decimal string with two places, the quantity (`Count`) as a decimal
//! string of up to six, `VatRate` as a whole number of percent: strings, as the operators' own documents
//! carry money, so no amount ever passes through a binary float. The sums are the invoice's rounded lines
//! (the rounding rule of [`super`]); a discounted line's unit price is its sum divided by its quantity, which
//! must come out to whole tiyins, or the line is refused (`DiscountNotExact`).

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{Invoice, InvoiceStatus};
use crate::core::{AppError, Checks, ErrCode};
use crate::counterparties::Requisites;

/// A side of the deal as the e-invoice names it (the company as seller, the counterparty as buyer).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Party {
    pub tax_id: Option<String>,
    pub name: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    /// The 20-digit account and the bank's MFO.
    pub account: Option<String>,
    pub bank_code: Option<String>,
    pub requisites: Requisites,
}

/// A product's codes in the state catalogue: MXIK (IKPU) and the unit's package code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductCodes {
    pub mxik: Option<String>,
    pub package_code: Option<String>,
}

/// 24 hex digits that name a document in the operators' system, the same on every export of it.
fn document_id(seller_tin: &str, number: &str, what: &str) -> String {
    let digest = Sha256::digest(format!("karvon/{seller_tin}/{number}/{what}").as_bytes());
    digest.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

fn money(d: Decimal) -> String {
    format!("{:.2}", d.round_dp(2))
}

/// The document, or every missing or unfit field at once.
pub fn factura(
    inv: &Invoice,
    seller: &Party,
    buyer: &Party,
    codes: &HashMap<i64, ProductCodes>,
) -> Result<Value, AppError> {
    let mut c = Checks::default();
    if inv.status == InvoiceStatus::Cancelled {
        c.fail("status", ErrCode::WrongStatus);
    }
    if inv.currency != "UZS" {
        c.fail("currency", ErrCode::NotInSoums);
    }
    let need = |c: &mut Checks, field: &str, v: &Option<String>| -> String {
        match v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) => v.to_string(),
            None => {
                c.fail(field, ErrCode::Required);
                String::new()
            }
        }
    };
    let contract_no = need(&mut c, "contract_no", &inv.contract_no);
    let contract_date = need(&mut c, "contract_date", &inv.contract_date);
    let has_vat = inv.lines.iter().any(|l| l.vat_rate.is_some());
    let party = |c: &mut Checks, side: &str, p: &Party, seller: bool| -> Value {
        let f = |name: &str| format!("{side}.{name}");
        let tax_id = need(c, &f("tax_id"), &p.tax_id);
        let name = need(c, &f("name"), &p.name);
        let address = need(c, &f("address"), &p.address);
        // The seller is paid to its account; a buyer's is printed when known.
        let (account, bank_code) = if seller {
            (need(c, &f("account"), &p.account), need(c, &f("bank_code"), &p.bank_code))
        } else {
            (p.account.clone().unwrap_or_default(), p.bank_code.clone().unwrap_or_default())
        };
        let vat_reg_code = if seller && has_vat {
            need(c, &f("vat_reg_code"), &p.requisites.vat_reg_code)
        } else {
            p.requisites.vat_reg_code.clone().unwrap_or_default()
        };
        let r = &p.requisites;
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        json!({
            "Tin": tax_id,
            "Name": name,
            "Account": account,
            "BankId": bank_code,
            "Address": address,
            "Mobile": "",
            "WorkPhone": text(&p.phone),
            "Oked": text(&r.oked),
            "DistrictId": "",
            "Director": text(&r.director),
            "Accountant": text(&r.accountant),
            "VatRegCode": vat_reg_code,
            "BranchCode": "",
            "BranchName": "",
        })
    };
    let seller_json = party(&mut c, "seller", seller, true);
    let buyer_json = party(&mut c, "buyer", buyer, false);
    let mut products = Vec::with_capacity(inv.lines.len());
    for l in &inv.lines {
        let f = |name: &str| format!("lines.{}.{name}", l.line_no);
        let code = codes.get(&l.product_id).cloned().unwrap_or_default();
        let mxik = need(&mut c, &f("mxik"), &code.mxik);
        let package_code = need(&mut c, &f("package_code"), &code.package_code);
        let unit_price = if l.discount.is_zero() { l.price } else { l.net / l.qty };
        if unit_price.round_dp(2) != unit_price {
            c.fail(&f("discount"), ErrCode::DiscountNotExact);
        }
        let rate = l.vat_rate.unwrap_or_default();
        if rate.fract() != Decimal::ZERO {
            c.fail(&f("vat_rate"), ErrCode::TooPrecise);
        }
        products.push(json!({
            "OrdNo": l.line_no,
            "CatalogCode": mxik,
            "Name": l.product_name,
            "Barcode": "",
            "PackageCode": package_code,
            "PackageName": l.unit,
            "Count": l.qty.normalize().to_string(),
            "Summa": money(unit_price),
            "DeliverySum": money(l.net),
            "VatRate": rate.trunc().to_string().parse::<u32>().unwrap_or_default(),
            "VatSum": money(l.vat),
            "DeliverySumWithVat": money(l.total),
            "WithoutVat": l.vat_rate.is_none(),
        }));
    }
    c.finish()?;
    let seller_tin = seller.tax_id.clone().unwrap_or_default();
    let buyer_tin = buyer.tax_id.clone().unwrap_or_default();
    let strip_tin = |mut v: Value| {
        v.as_object_mut().map(|o| o.remove("Tin"));
        v
    };
    Ok(json!({
        "FacturaId": document_id(&seller_tin, &inv.number, "factura"),
        "FacturaType": 0,
        "SingleSidedType": 0,
        "FacturaDoc": { "FacturaNo": inv.number, "FacturaDate": inv.invoice_date },
        "ContractDoc": { "ContractNo": contract_no, "ContractDate": contract_date },
        "FacturaEmpowermentDoc": { "EmpowermentNo": "", "EmpowermentDateOfIssue": "", "AgentFio": "", "AgentTin": "" },
        "ItemReleasedDoc": { "ItemReleasedFio": "" },
        "SellerTin": seller_tin,
        "BuyerTin": buyer_tin,
        "Seller": strip_tin(seller_json),
        "Buyer": strip_tin(buyer_json),
        "ProductList": {
            "FacturaProductId": document_id(&seller_tin, &inv.number, "products"),
            "Tin": seller_tin,
            "HasVat": has_vat,
            "HasExcise": false,
            "HasCommittent": false,
            "HasMedical": false,
            "Products": products,
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invoices::InvoiceLine;

    fn line(line_no: i32, qty: &str, price: &str, discount: &str, vat: Option<&str>) -> InvoiceLine {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let scaled = |s: &str, k: i64| i64::try_from(d(s) * Decimal::from(k)).unwrap();
        let bp = |s: &str| i32::try_from(scaled(s, 100)).unwrap();
        let (net, vat_sum, _) =
            crate::orders::line_amounts(scaled(qty, 1000), scaled(price, 100), bp(discount), vat.map(bp));
        let (net, vat_sum) = (Decimal::new(net, 2), Decimal::new(vat_sum, 2));
        InvoiceLine {
            id: i64::from(line_no),
            line_no,
            product_id: i64::from(line_no),
            product_name: format!("Mahsulot {line_no}"),
            order_line_id: None,
            unit: "dona".into(),
            qty: d(qty),
            price: d(price),
            discount: d(discount),
            vat_rate: vat.map(d),
            net,
            vat: vat_sum,
            total: net + vat_sum,
            credited: Decimal::ZERO,
        }
    }

    fn invoice(lines: Vec<InvoiceLine>) -> Invoice {
        Invoice {
            id: 1,
            kind: crate::invoices::InvoiceKind::Invoice,
            number: "SF-2026-000012".into(),
            status: InvoiceStatus::Issued,
            customer_id: 1,
            customer_name: "Aziz".into(),
            counterparty_id: Some(1),
            counterparty_name: Some("Aziz Savdo MChJ".into()),
            order_id: None,
            order_number: None,
            manager_id: 1,
            manager_name: "M".into(),
            currency: "UZS".into(),
            rate: Decimal::ONE,
            invoice_date: "2026-12-04".into(),
            due_date: "2026-12-14".into(),
            contract_no: Some("12/2026".into()),
            contract_date: Some("2026-01-15".into()),
            note: None,
            net: lines.iter().map(|l| l.net).sum(),
            vat: lines.iter().map(|l| l.vat).sum(),
            total: lines.iter().map(|l| l.total).sum(),
            paid: Decimal::ZERO,
            credited: Decimal::ZERO,
            credits: None,
            credit_notes: Vec::new(),
            lines,
            created_at: 0,
            version: 1,
            cancelled_at: None,
        }
    }

    fn seller() -> Party {
        Party {
            tax_id: Some("302123456".into()),
            name: Some("\"Karvon Savdo\" MChJ".into()),
            address: Some("Toshkent sh., Amir Temur 1".into()),
            phone: Some("+998 71 200 00 00".into()),
            account: Some("20208000900123456001".into()),
            bank_code: Some("00873".into()),
            requisites: Requisites {
                oked: Some("46900".into()),
                vat_reg_code: Some("326010012345".into()),
                director: Some("Aliyev Anvar".into()),
                accountant: Some("Karimova Dilnoza".into()),
            },
        }
    }

    fn buyer() -> Party {
        Party {
            tax_id: Some("301234567".into()),
            name: Some("Aziz Savdo MChJ".into()),
            address: Some("Samarqand sh., Registon 5".into()),
            ..Default::default()
        }
    }

    fn codes() -> HashMap<i64, ProductCodes> {
        (1..=3)
            .map(|id| {
                (id, ProductCodes { mxik: Some("10202001001000000".into()), package_code: Some("1503578".into()) })
            })
            .collect()
    }

    /// The worked example: 12 × 300 = 3,600, VAT 12 % 432, 4,032.
    #[test]
    fn the_worked_example_field_by_field() {
        let inv = invoice(vec![line(1, "12", "300", "0", Some("12"))]);
        let doc = factura(&inv, &seller(), &buyer(), &codes()).unwrap();
        let p = &doc["ProductList"]["Products"][0];
        assert_eq!(p["Count"], "12");
        assert_eq!(p["Summa"], "300.00");
        assert_eq!(p["DeliverySum"], "3600.00");
        assert_eq!(p["VatRate"], 12);
        assert_eq!(p["VatSum"], "432.00");
        assert_eq!(p["DeliverySumWithVat"], "4032.00");
        assert_eq!(
            (p["CatalogCode"].as_str(), p["PackageCode"].as_str()),
            (Some("10202001001000000"), Some("1503578"))
        );
        assert_eq!((p["OrdNo"].as_i64(), p["WithoutVat"].as_bool()), (Some(1), Some(false)));
        assert_eq!(doc["FacturaDoc"], json!({ "FacturaNo": "SF-2026-000012", "FacturaDate": "2026-12-04" }));
        assert_eq!(doc["ContractDoc"], json!({ "ContractNo": "12/2026", "ContractDate": "2026-01-15" }));
        assert_eq!((doc["SellerTin"].as_str(), doc["BuyerTin"].as_str()), (Some("302123456"), Some("301234567")));
        let s = &doc["Seller"];
        assert_eq!((s["Account"].as_str(), s["BankId"].as_str()), (Some("20208000900123456001"), Some("00873")));
        assert_eq!((s["Oked"].as_str(), s["VatRegCode"].as_str()), (Some("46900"), Some("326010012345")));
        assert_eq!(
            (s["Director"].as_str(), s["Accountant"].as_str()),
            (Some("Aliyev Anvar"), Some("Karimova Dilnoza"))
        );
        assert_eq!(doc["ProductList"]["Tin"], "302123456");
        assert_eq!(doc["ProductList"]["HasVat"], true);
        let id = doc["FacturaId"].as_str().unwrap();
        assert!(id.len() == 24 && id.bytes().all(|b| b.is_ascii_hexdigit()));
        // The same invoice exports to the same document.
        assert_eq!(factura(&inv, &seller(), &buyer(), &codes()).unwrap(), doc);
    }

    #[test]
    fn fractional_quantities_exempt_lines_and_exact_discounts() {
        let inv = invoice(vec![
            line(1, "2.125", "8000", "0", None),
            // 10 × 1,000 less 15 %: 8,500, 850.00 a unit.
            line(2, "10", "1000", "15", Some("12")),
        ]);
        let doc = factura(&inv, &seller(), &buyer(), &codes()).unwrap();
        let p = &doc["ProductList"]["Products"];
        assert_eq!((p[0]["Count"].as_str(), p[0]["DeliverySum"].as_str()), (Some("2.125"), Some("17000.00")));
        assert_eq!((p[0]["VatRate"].as_i64(), p[0]["WithoutVat"].as_bool()), (Some(0), Some(true)));
        assert_eq!((p[1]["Summa"].as_str(), p[1]["DeliverySum"].as_str()), (Some("850.00"), Some("8500.00")));
    }

    #[test]
    fn every_missing_field_is_reported_at_once() {
        let mut inv = invoice(vec![line(1, "3", "100", "0", Some("12")), line(2, "3", "1", "3.33", Some("12"))]);
        inv.contract_no = None;
        inv.currency = "USD".into();
        let mut s = seller();
        s.requisites.vat_reg_code = None;
        s.account = None;
        let b = Party { tax_id: None, ..buyer() };
        let mut codes = codes();
        codes.remove(&1);
        let err = factura(&inv, &s, &b, &codes).unwrap_err();
        for (field, code) in [
            ("contract_no", ErrCode::Required),
            ("currency", ErrCode::NotInSoums),
            ("seller.account", ErrCode::Required),
            ("seller.vat_reg_code", ErrCode::Required),
            ("buyer.tax_id", ErrCode::Required),
            ("lines.1.mxik", ErrCode::Required),
            ("lines.1.package_code", ErrCode::Required),
            ("lines.2.discount", ErrCode::DiscountNotExact),
        ] {
            assert_eq!(err.field_codes(field), vec![code], "{field}");
        }
        assert!(err.field_codes("seller.bank_code").is_empty() && err.field_codes("lines.2.mxik").is_empty());
        // Without VAT on any line the seller's VAT code is not needed.
        let exempt = invoice(vec![line(1, "1", "100", "0", None)]);
        let mut s = seller();
        s.requisites.vat_reg_code = None;
        assert_eq!(factura(&exempt, &s, &buyer(), &super::tests::codes()).unwrap()["ProductList"]["HasVat"], false);
    }
}
