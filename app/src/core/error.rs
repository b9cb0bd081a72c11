//! One error type for every server call, UI and REST alike; the UI translates it by tag.

use serde::{Deserialize, Serialize};

use super::i18n::{Lang, Msg};

/// Why a single field was refused; translated in the UI, shown next to the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrCode {
    Required,
    TooLong,
    TooShort,
    InvalidEmail,
    InvalidPhone,
    EmailTaken,
    NameTaken,
    InvalidChoice,
    WrongPassword,
    PasswordsDiffer,
    NotANumber,
    TooMany,
    InvalidTaxId,
    TaxIdTaken,
    InvalidCountry,
    InvalidBankCode,
    InvalidBankAccount,
    InvalidDate,
    AlreadyThere,
    InvalidKey,
    KeyTaken,
    InvalidUrl,
    UnknownField,
    FieldRetired,
    TooPrecise,
    TooLarge,
    MergeIntoItself,
    EmptyFile,
    UnreadableFile,
    FormulaNotAllowed,
    RaggedRow,
    NameNotMapped,
    CustomerNotMapped,
    TaxIdNotMapped,
    CustomerNotFound,
    CustomerAmbiguous,
    NotYours,
    OutOfRange,
    EndBeforeStart,
    ControlCharacter,
    AttachmentTooLarge,
    ReminderAfterDue,
    SmsNotConfigured,
    InvalidHost,
    MailLoginFailed,
    MailUnreachable,
    MailPrivateHost,
    MailRefused,
    MailKeyMissing,
    UnknownCurrency,
    NoStages,
    OtherPipeline,
    StageSkipped,
    ChecklistIncomplete,
    RequiredAtStage,
    RequiredToWin,
    StageHasDeals,
    DealClosed,
    OwnPasswordInProfile,
    IdempotencyKeyReused,
    KeptAsSent,
    ResetUnavailable,
    ResetLinkInvalid,
    InvalidMxik,
    SkuTaken,
    BarcodeTaken,
    UnitInUse,
    WrongStatus,
    PeriodClosed,
    SameWarehouse,
    ServiceNotStocked,
    UnknownUnit,
    CurrencyFixed,
    UnknownProduct,
    AmbiguousProduct,
    GroupLoop,
    GroupNotEmpty,
    GroupTooDeep,
    SlashInName,
    /// A product photo that is not a JPEG, PNG or WebP image.
    NotAnImage,
    /// A product photo above [`crate::stock::photos::MAX_PHOTO_BYTES`].
    PhotoTooLarge,
    PriceReasonRequired,
    MoreThanOrdered,
    NothingToShip,
    OrderExists,
    AlreadyShipped,
    LostDeal,
    /// A customer or counterparty with documents past their draft (orders, invoices) is archived or erased,
    /// never deleted.
    HasDocuments,
    /// An invoice numbering prefix that is not 1 to 10 Latin capitals or digits.
    InvalidPrefix,
    DueBeforeDate,
    NothingToInvoice,
    /// An invoice paid from a payment in another currency.
    OtherCurrency,
    /// More than an invoice has open.
    MoreThanOpen,
    /// Allocations past what a payment has left.
    MoreThanPayment,
    /// No invoice number or taxpayer id names the payer.
    UnknownPayer,
    /// A taxpayer id of several customers' counterparties.
    AmbiguousPayer,
    /// An OKED that is not 5 digits.
    InvalidOked,
    /// A VAT registration code that is not 12 digits.
    InvalidVatRegCode,
    /// An e-invoice in a currency other than UZS.
    NotInSoums,
    /// An e-invoice line whose discounted sum is no whole number of tiyins per unit (the operators want a
    /// unit price that multiplies out to the line's sum).
    DiscountNotExact,
    /// A credit note taking back more of an invoice line than is left of it.
    MoreThanInvoiced,
    /// An invoice with live credit notes (cancel them first).
    HasCreditNotes,
    /// A bank statement mapped without an amount column (in, out or signed).
    AmountNotMapped,
    /// A document template that MiniJinja cannot parse (the field names its line: `body.12`).
    TemplateSyntax,
    /// A template field that documents do not have.
    TemplateUnknownField,
    /// An HTML element a template may not use.
    TemplateElement,
    /// An attribute, class or value a template may not use.
    TemplateAttribute,
    /// A template whose loops ran out of their budget.
    TemplateTooLong,
}

impl ErrCode {
    /// The message users see for this code.
    pub fn msg(self) -> Msg {
        match self {
            ErrCode::Required => Msg::ErrRequired,
            ErrCode::TooLong => Msg::ErrTooLong,
            ErrCode::TooShort => Msg::ErrTooShort,
            ErrCode::InvalidEmail => Msg::ErrInvalidEmail,
            ErrCode::InvalidPhone => Msg::ErrInvalidPhone,
            ErrCode::EmailTaken => Msg::ErrEmailTaken,
            ErrCode::NameTaken => Msg::ErrNameTaken,
            ErrCode::InvalidChoice => Msg::ErrInvalidChoice,
            ErrCode::WrongPassword => Msg::ErrWrongPassword,
            ErrCode::OwnPasswordInProfile => Msg::ErrOwnPasswordInProfile,
            ErrCode::IdempotencyKeyReused => Msg::ErrIdempotencyKeyReused,
            ErrCode::KeptAsSent => Msg::ErrKeptAsSent,
            ErrCode::ResetUnavailable => Msg::ErrResetUnavailable,
            ErrCode::ResetLinkInvalid => Msg::ErrResetLinkInvalid,
            ErrCode::PasswordsDiffer => Msg::ErrPasswordsDiffer,
            ErrCode::NotANumber => Msg::ErrNotANumber,
            ErrCode::TooMany => Msg::ErrTooMany,
            ErrCode::InvalidTaxId => Msg::ErrInvalidTaxId,
            ErrCode::TaxIdTaken => Msg::ErrTaxIdTaken,
            ErrCode::InvalidCountry => Msg::ErrInvalidCountry,
            ErrCode::InvalidBankCode => Msg::ErrInvalidBankCode,
            ErrCode::InvalidBankAccount => Msg::ErrInvalidBankAccount,
            ErrCode::InvalidDate => Msg::ErrInvalidDate,
            ErrCode::AlreadyThere => Msg::ErrAlreadyThere,
            ErrCode::InvalidKey => Msg::ErrInvalidKey,
            ErrCode::KeyTaken => Msg::ErrKeyTaken,
            ErrCode::InvalidUrl => Msg::ErrInvalidUrl,
            ErrCode::UnknownField => Msg::ErrUnknownField,
            ErrCode::FieldRetired => Msg::ErrFieldRetired,
            ErrCode::TooPrecise => Msg::ErrTooPrecise,
            ErrCode::TooLarge => Msg::ErrTooLarge,
            ErrCode::MergeIntoItself => Msg::ErrMergeIntoItself,
            ErrCode::EmptyFile => Msg::ErrEmptyFile,
            ErrCode::UnreadableFile => Msg::ErrUnreadableFile,
            ErrCode::FormulaNotAllowed => Msg::ErrFormula,
            ErrCode::RaggedRow => Msg::ErrRaggedRow,
            ErrCode::NameNotMapped => Msg::ErrNameNotMapped,
            ErrCode::CustomerNotMapped => Msg::ErrCustomerNotMapped,
            ErrCode::TaxIdNotMapped => Msg::ErrTaxIdNotMapped,
            ErrCode::CustomerNotFound => Msg::ErrCustomerNotFound,
            ErrCode::CustomerAmbiguous => Msg::ErrCustomerAmbiguous,
            ErrCode::NotYours => Msg::ErrNotYours,
            ErrCode::OutOfRange => Msg::ErrOutOfRange,
            ErrCode::EndBeforeStart => Msg::ErrEndBeforeStart,
            ErrCode::ControlCharacter => Msg::ErrControlCharacter,
            ErrCode::AttachmentTooLarge => Msg::ErrAttachmentTooLarge,
            ErrCode::ReminderAfterDue => Msg::ErrReminderAfterDue,
            ErrCode::SmsNotConfigured => Msg::ErrSmsNotConfigured,
            ErrCode::InvalidHost => Msg::ErrInvalidHost,
            ErrCode::MailLoginFailed => Msg::ErrMailLoginFailed,
            ErrCode::MailUnreachable => Msg::ErrMailUnreachable,
            ErrCode::MailPrivateHost => Msg::ErrMailPrivateHost,
            ErrCode::MailRefused => Msg::ErrMailRefused,
            ErrCode::MailKeyMissing => Msg::ErrMailKeyMissing,
            ErrCode::UnknownCurrency => Msg::ErrUnknownCurrency,
            ErrCode::NoStages => Msg::ErrNoStages,
            ErrCode::OtherPipeline => Msg::ErrOtherPipeline,
            ErrCode::StageSkipped => Msg::ErrStageSkipped,
            ErrCode::ChecklistIncomplete => Msg::ErrChecklistIncomplete,
            ErrCode::RequiredAtStage => Msg::ErrRequiredAtStage,
            ErrCode::RequiredToWin => Msg::ErrRequiredToWin,
            ErrCode::StageHasDeals => Msg::ErrStageHasDeals,
            ErrCode::DealClosed => Msg::ErrDealClosed,
            ErrCode::InvalidMxik => Msg::ErrInvalidMxik,
            ErrCode::SkuTaken => Msg::ErrSkuTaken,
            ErrCode::BarcodeTaken => Msg::ErrBarcodeTaken,
            ErrCode::UnitInUse => Msg::ErrUnitInUse,
            ErrCode::WrongStatus => Msg::ErrWrongStatus,
            ErrCode::PeriodClosed => Msg::ErrPeriodClosed,
            ErrCode::SameWarehouse => Msg::ErrSameWarehouse,
            ErrCode::ServiceNotStocked => Msg::ErrServiceNotStocked,
            ErrCode::UnknownUnit => Msg::ErrUnknownUnit,
            ErrCode::CurrencyFixed => Msg::ErrCurrencyFixed,
            ErrCode::UnknownProduct => Msg::ErrUnknownProduct,
            ErrCode::AmbiguousProduct => Msg::ErrAmbiguousProduct,
            ErrCode::GroupLoop => Msg::ErrGroupLoop,
            ErrCode::GroupNotEmpty => Msg::ErrGroupNotEmpty,
            ErrCode::GroupTooDeep => Msg::ErrGroupTooDeep,
            ErrCode::SlashInName => Msg::ErrSlashInName,
            ErrCode::NotAnImage => Msg::ErrNotAnImage,
            ErrCode::PhotoTooLarge => Msg::ErrPhotoTooLarge,
            ErrCode::PriceReasonRequired => Msg::ErrPriceReasonRequired,
            ErrCode::MoreThanOrdered => Msg::ErrMoreThanOrdered,
            ErrCode::NothingToShip => Msg::ErrNothingToShip,
            ErrCode::OrderExists => Msg::ErrOrderExists,
            ErrCode::AlreadyShipped => Msg::ErrAlreadyShipped,
            ErrCode::LostDeal => Msg::ErrLostDeal,
            ErrCode::HasDocuments => Msg::ErrHasDocuments,
            ErrCode::InvalidPrefix => Msg::ErrInvalidPrefix,
            ErrCode::DueBeforeDate => Msg::ErrDueBeforeDate,
            ErrCode::NothingToInvoice => Msg::ErrNothingToInvoice,
            ErrCode::OtherCurrency => Msg::ErrOtherCurrency,
            ErrCode::MoreThanOpen => Msg::ErrMoreThanOpen,
            ErrCode::MoreThanPayment => Msg::ErrMoreThanPayment,
            ErrCode::UnknownPayer => Msg::ErrUnknownPayer,
            ErrCode::AmbiguousPayer => Msg::ErrAmbiguousPayer,
            ErrCode::InvalidOked => Msg::ErrInvalidOked,
            ErrCode::InvalidVatRegCode => Msg::ErrInvalidVatRegCode,
            ErrCode::NotInSoums => Msg::ErrNotInSoums,
            ErrCode::DiscountNotExact => Msg::ErrDiscountNotExact,
            ErrCode::MoreThanInvoiced => Msg::ErrMoreThanInvoiced,
            ErrCode::HasCreditNotes => Msg::ErrHasCreditNotes,
            ErrCode::AmountNotMapped => Msg::ErrAmountNotMapped,
            ErrCode::TemplateSyntax => Msg::ErrTemplateSyntax,
            ErrCode::TemplateUnknownField => Msg::ErrTemplateUnknownField,
            ErrCode::TemplateElement => Msg::ErrTemplateElement,
            ErrCode::TemplateAttribute => Msg::ErrTemplateAttribute,
            ErrCode::TemplateTooLong => Msg::ErrTemplateTooLong,
        }
    }
}

/// A refused field and the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub code: ErrCode,
}

/// A product a stock document wants more of than its warehouse has (quantities in the product's base unit,
/// as decimal strings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Shortage {
    pub line_no: i32,
    pub product_id: i64,
    pub product_name: String,
    pub unit: String,
    pub available: String,
    pub wanted: String,
}

/// Every way a call can fail, with a stable snake_case tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum AppError {
    #[error("validation failed")]
    Validation { fields: Vec<FieldError> },
    #[error("not found")]
    NotFound,
    #[error("the record was changed by someone else")]
    Conflict,
    #[error("forbidden")]
    Forbidden,
    #[error("not signed in")]
    Unauthenticated,
    #[error("wrong e-mail or password")]
    BadCredentials,
    /// An administrator set this user's password: nothing but choosing their own is allowed until they do.
    #[error("the password must be changed first")]
    PasswordChangeRequired,
    /// A stock document refused whole: these products lack stock in its warehouse.
    #[error("not enough stock")]
    Shortage { items: Vec<Shortage> },
    #[error("too many attempts")]
    RateLimited { retry_after_secs: u32 },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("bad request")]
    BadRequest,
    #[error("internal error {ref_id}")]
    Internal { ref_id: String },
    /// The call never reached the application (network, decoding): from the server-fn layer.
    #[error("transport: {message}")]
    Transport { message: String },
}

impl AppError {
    /// One field refused for one reason.
    pub fn field(field: &str, code: ErrCode) -> Self {
        AppError::Validation { fields: vec![FieldError { field: field.into(), code }] }
    }

    /// The stable tag used in JSON (`{"error": tag}`).
    pub fn tag(&self) -> &'static str {
        match self {
            AppError::Validation { .. } => "validation",
            AppError::NotFound => "not_found",
            AppError::Conflict => "conflict",
            AppError::Forbidden => "forbidden",
            AppError::Unauthenticated => "unauthenticated",
            AppError::BadCredentials => "bad_credentials",
            AppError::PasswordChangeRequired => "password_change_required",
            AppError::Shortage { .. } => "shortage",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::BadRequest => "bad_request",
            AppError::Internal { .. } => "internal",
            AppError::Transport { .. } => "transport",
        }
    }

    /// HTTP status for this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Validation { .. } | AppError::Shortage { .. } => 422,
            AppError::NotFound => 404,
            AppError::Conflict => 409,
            AppError::Forbidden | AppError::PasswordChangeRequired => 403,
            AppError::Unauthenticated | AppError::BadCredentials => 401,
            AppError::RateLimited { .. } => 429,
            AppError::PayloadTooLarge => 413,
            AppError::BadRequest | AppError::Transport { .. } => 400,
            AppError::Internal { .. } => 500,
        }
    }

    /// The general, translated message for this error.
    pub fn msg(&self) -> Msg {
        match self {
            AppError::Validation { .. } => Msg::ErrValidation,
            AppError::NotFound => Msg::ErrNotFound,
            AppError::Conflict => Msg::ErrConflict,
            AppError::Forbidden => Msg::ErrForbidden,
            AppError::Unauthenticated => Msg::ErrUnauthenticated,
            AppError::BadCredentials => Msg::ErrBadCredentials,
            AppError::PasswordChangeRequired => Msg::ErrPasswordChangeRequired,
            AppError::Shortage { .. } => Msg::ErrShortage,
            AppError::RateLimited { .. } => Msg::ErrRateLimited,
            AppError::PayloadTooLarge => Msg::ErrPayloadTooLarge,
            AppError::BadRequest => Msg::ErrBadRequest,
            AppError::Internal { .. } => Msg::ErrInternal,
            AppError::Transport { .. } => Msg::ErrTransport,
        }
    }

    /// Translated message, with the reference id for internal errors.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AppError::Internal { ref_id } => format!("{} ({ref_id})", self.msg().text(lang)),
            // "Not enough stock: Stul — available 5 pcs, wanted 8 pcs; …"
            AppError::Shortage { items } => {
                let lines: Vec<String> = items
                    .iter()
                    .map(|s| {
                        format!(
                            "{} — {} {} {}, {} {} {}",
                            s.product_name,
                            Msg::StockAvailable.text(lang),
                            s.available,
                            s.unit,
                            Msg::StockWanted.text(lang),
                            s.wanted,
                            s.unit
                        )
                    })
                    .collect();
                format!("{}: {}", self.msg().text(lang), lines.join("; "))
            }
            _ => self.msg().text(lang).to_string(),
        }
    }

    /// Translated and specific: a validation failure says what was wrong with each field ("The file cannot
    /// be read"), not only "check the fields" (for messages shown away from a form).
    pub fn explained(&self, lang: Lang) -> String {
        match self {
            AppError::Validation { fields } if !fields.is_empty() => {
                let mut parts: Vec<&str> = fields.iter().map(|f| f.code.msg().text(lang)).collect();
                parts.dedup();
                parts.join("; ")
            }
            other => other.message(lang),
        }
    }

    /// The same error with field names renamed by `(from, to)` pairs: a form may name a field differently
    /// from the API (`when` for `occurred_at`), and its errors must sit by the form's field.
    pub fn renamed(self, names: &[(&str, &str)]) -> AppError {
        match self {
            AppError::Validation { fields } => AppError::Validation {
                fields: fields
                    .into_iter()
                    .map(|mut f| {
                        if let Some((_, to)) = names.iter().find(|(from, _)| *from == f.field) {
                            f.field = (*to).to_string();
                        }
                        f
                    })
                    .collect(),
            },
            e => e,
        }
    }

    /// The field errors of a validation failure for `field`, if any.
    pub fn field_codes(&self, field: &str) -> Vec<ErrCode> {
        match self {
            AppError::Validation { fields } => fields.iter().filter(|f| f.field == field).map(|f| f.code).collect(),
            _ => Vec::new(),
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        AppError::Transport { message: value.to_string() }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        if let sqlx::Error::RowNotFound = err {
            return AppError::NotFound;
        }
        let ref_id = super::request::new_ref_id();
        tracing::error!(ref_id = %ref_id, error = %err, "database error");
        AppError::Internal { ref_id }
    }
}

/// Collects field errors while validating a form.
#[derive(Debug, Default)]
pub struct Checks(Vec<FieldError>);

impl Checks {
    /// Records a refusal of `field`.
    pub fn fail(&mut self, field: &str, code: ErrCode) {
        self.0.push(FieldError { field: field.into(), code });
    }

    /// A required, length-bounded text; returns it trimmed.
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> String {
        let v = value.trim();
        if v.is_empty() {
            self.fail(field, ErrCode::Required);
        } else if v.chars().count() > max {
            self.fail(field, ErrCode::TooLong);
        }
        v.to_string()
    }

    /// An optional, length-bounded text; empty becomes `None`.
    pub fn opt_text(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        let v = value.map(str::trim).filter(|v| !v.is_empty())?;
        if v.chars().count() > max {
            self.fail(field, ErrCode::TooLong);
        }
        Some(v.to_string())
    }

    /// An optional e-mail address, lower-cased.
    pub fn opt_email(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let v = self.opt_text(field, value, 254)?;
        if !is_plausible_email(&v) {
            self.fail(field, ErrCode::InvalidEmail);
        }
        Some(v.to_lowercase())
    }

    /// Whether nothing failed so far.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The failures collected so far.
    pub fn into_fields(self) -> Vec<FieldError> {
        self.0
    }

    /// Ok when nothing failed.
    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() { Ok(()) } else { Err(AppError::Validation { fields: self.0 }) }
    }
}

/// A cheap structural check: one `@`, something before it, a dot in the domain, no spaces.
pub fn is_plausible_email(v: &str) -> bool {
    let Some((local, domain)) = v.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !v.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for (v, ok) in [
            ("a@b.uz", true),
            ("ali.valiyev@karvon.uz", true),
            ("no-at.uz", false),
            ("a@b", false),
            ("a b@c.uz", false),
            ("@c.uz", false),
            ("a@@c.uz", false),
        ] {
            assert_eq!(is_plausible_email(v), ok, "{v}");
        }
    }

    #[test]
    fn error_json_has_stable_tags() {
        let e = AppError::field("name", ErrCode::Required);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["error"], "validation");
        assert_eq!(json["fields"][0]["code"], "required");
        assert_eq!(e.status(), 422);
        assert_eq!(serde_json::to_value(AppError::Conflict).unwrap()["error"], "conflict");
    }
}
