//! Documents from templates: a commercial offer and a supply contract from an order; an invoice, a delivery
//! note and an act of work done from an invoice; a reconciliation act (akt sverki) of a customer for a
//! period; printed to PDF.
//!
//! A template is HTML with named fields and loops (`{{ buyer.name }}`, `{% for line in lines %}…{% endfor %}`,
//! MiniJinja's syntax: the fields are escaped, the template runs on a budget), in each of the three
//! languages; the built-in ones ([`defaults`]) stand until an administrator saves their own. The rendered
//! HTML is parsed by [`markup`] (a fixed set of elements and attributes), shown as the preview, and turned
//! into Typst markup that the embedded Typst compiler typesets ([`typeset`]): the same layout engine for
//! every document, with line breaking, tables that continue on the next page under their header, and the
//! fonts compiled in. Sums are formatted once, in the data given to templates ([`data`]), and written in
//! words by [`words`].
//!
//! A printed document can be kept on the customer's timeline (a note with the PDF attached) and e-mailed from
//! the user's mailbox in the same step.

pub mod api;
#[cfg(feature = "ssr")]
pub mod data;
#[cfg(feature = "ssr")]
pub mod defaults;
#[cfg(feature = "ssr")]
pub mod markup;
pub mod page_templates;
pub mod panel;
#[cfg(feature = "ssr")]
pub mod render;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod typeset;
#[cfg(feature = "ssr")]
pub mod words;

use serde::{Deserialize, Serialize};

use crate::core::Millis;
use crate::core::i18n::Msg;

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// An invoice (hisob-faktura, счёт-фактура).
    Invoice,
    /// The goods of an invoice handed over (yuk xati, накладная).
    DeliveryNote,
    /// Work done or services rendered, of an invoice (dalolatnoma, акт выполненных работ).
    Act,
    /// Mutual settlements with a customer for a period (akt sverki).
    Reconciliation,
    /// The goods and prices of an order, offered (tijorat taklifi, коммерческое предложение).
    Offer,
    /// A supply contract for an order (shartnoma, договор поставки).
    Contract,
}

impl DocKind {
    pub const ALL: [DocKind; 6] = [
        DocKind::Offer,
        DocKind::Contract,
        DocKind::Invoice,
        DocKind::DeliveryNote,
        DocKind::Act,
        DocKind::Reconciliation,
    ];
    /// The kinds printed from an invoice.
    pub const OF_INVOICE: [DocKind; 3] = [DocKind::Invoice, DocKind::DeliveryNote, DocKind::Act];
    /// The kinds printed from an order.
    pub const OF_ORDER: [DocKind; 2] = [DocKind::Offer, DocKind::Contract];

    pub fn code(self) -> &'static str {
        match self {
            DocKind::Invoice => "invoice",
            DocKind::DeliveryNote => "delivery_note",
            DocKind::Act => "act",
            DocKind::Reconciliation => "reconciliation",
            DocKind::Offer => "offer",
            DocKind::Contract => "contract",
        }
    }

    pub fn parse(s: &str) -> Option<DocKind> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            DocKind::Invoice => Msg::DocInvoice,
            DocKind::DeliveryNote => Msg::DocDeliveryNote,
            DocKind::Act => Msg::DocAct,
            DocKind::Reconciliation => Msg::DocReconciliation,
            DocKind::Offer => Msg::DocOffer,
            DocKind::Contract => Msg::DocContract,
        }
    }
}

/// A template as the editor shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DocTemplate {
    pub kind: DocKind,
    /// `uz`, `ru` or `en`.
    pub lang: String,
    pub body: String,
    /// False: the built-in template (nobody saved one).
    pub custom: bool,
    /// The saved template's version (0 for the built-in one), for saving over it.
    pub version: i64,
    pub updated_at: Option<Millis>,
}

/// A template to save: `version` is the one read (0 when it was the built-in one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TemplateSave {
    pub body: String,
    #[serde(default)]
    pub version: i64,
}

/// The period and party of a reconciliation act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, utoipa::IntoParams))]
pub struct ReconciliationQuery {
    /// `YYYY-MM-DD`, both days included.
    pub from: String,
    pub to: String,
    /// One legal entity of the customer; none: all of them.
    #[serde(default)]
    pub counterparty_id: Option<i64>,
    /// Only documents in this currency; default UZS.
    #[serde(default)]
    pub currency: Option<String>,
}

/// What a document is made of: an order, an invoice, or a customer's reconciliation for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum DocSource {
    Order { order_id: i64 },
    Invoice { invoice_id: i64 },
    Customer { customer_id: i64, period: ReconciliationQuery },
}

/// A printed document kept on the timeline: the note and its PDF attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Filed {
    pub interaction_id: i64,
    pub attachment_id: i64,
    pub file_name: String,
    /// The e-mail it went out with, when asked to send it.
    pub message_id: Option<i64>,
}

/// The company's images documents may show, by name.
pub const IMAGE_NAMES: [&str; 4] = ["logo", "stamp", "signature", "accountant_signature"];
/// Largest image accepted.
pub const MAX_IMAGE_BYTES: usize = 1024 * 1024;
/// Largest template accepted.
pub const MAX_TEMPLATE_CHARS: usize = 100_000;
