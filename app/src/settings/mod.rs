//! Settings: business modules switched on and off, and the company's own details (what its documents and
//! e-invoices state of the seller).

pub mod api;
#[cfg(feature = "ssr")]
pub mod company;
pub mod page_company;
pub mod page_modules;

use serde::{Deserialize, Serialize};

use crate::core::{AppError, Checks};
use crate::counterparties::{Requisites, check_tax_id};

/// `company_settings` key of [`CompanyDetails`] (JSON).
pub const COMPANY_KEY: &str = "company_details";

/// The company as its invoices, documents and e-invoices name the seller. Every field may stay empty until a
/// document needs it (an e-invoice's check lists what is missing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CompanyDetails {
    /// The legal name (`"Karvon Savdo" MChJ`).
    #[serde(default)]
    pub name: Option<String>,
    /// The 9-digit STIR (or a sole trader's 14-digit PINFL).
    #[serde(default)]
    pub tax_id: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(flatten)]
    pub requisites: Requisites,
    /// The bank account (one of the company's money accounts) invoices ask to be paid to; the first UZS bank
    /// account when none is chosen.
    #[serde(default)]
    pub account_id: Option<i64>,
}

impl CompanyDetails {
    /// Checks every field at once; the values in their stored form.
    pub fn validate(&self) -> Result<CompanyDetails, AppError> {
        let mut checks = Checks::default();
        let tax_id =
            self.tax_id.as_deref().filter(|t| !t.trim().is_empty()).map(|t| check_tax_id(&mut checks, "UZ", t));
        let out = CompanyDetails {
            name: checks.opt_text("name", self.name.as_deref(), 300),
            tax_id,
            address: checks.opt_text("address", self.address.as_deref(), 500),
            phone: checks.opt_text("phone", self.phone.as_deref(), 50),
            requisites: self.requisites.checked(&mut checks),
            account_id: self.account_id,
        };
        checks.finish()?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ErrCode;

    #[test]
    fn company_details_are_checked_like_a_counterparty() {
        let d = CompanyDetails {
            name: Some(" \"Karvon Savdo\" MChJ ".into()),
            tax_id: Some("302 123 456".into()),
            requisites: Requisites { oked: Some("46900".into()), ..Default::default() },
            ..Default::default()
        };
        let v = d.validate().unwrap();
        assert_eq!((v.name.as_deref(), v.tax_id.as_deref()), (Some("\"Karvon Savdo\" MChJ"), Some("302123456")));
        assert_eq!(CompanyDetails::default().validate().unwrap(), CompanyDetails::default());
        let bad = CompanyDetails {
            tax_id: Some("12345".into()),
            requisites: Requisites { vat_reg_code: Some("1".into()), ..Default::default() },
            ..Default::default()
        };
        let err = bad.validate().unwrap_err();
        assert_eq!(err.field_codes("tax_id"), vec![ErrCode::InvalidTaxId]);
        assert_eq!(err.field_codes("vat_reg_code"), vec![ErrCode::InvalidVatRegCode]);
    }
}
