//! Deals: a customer's interest, registered early and driven through a pipeline of stages (with rules a
//! manager must follow) to won or lost. The rules are plain functions here, shared by server and browser.

pub mod api;
pub mod page_admin;
pub mod page_board;
pub mod page_deal;
pub mod page_funnel;
pub mod panel;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

use crate::core::modules::ModuleDef;
use crate::core::{AppError, Checks, ErrCode, Lang, Millis, Msg};
use crate::custom_fields::{CheckedValues, CustomField, CustomValues};

/// The deals module (switchable in Settings > Modules).
pub const MODULE: ModuleDef = ModuleDef {
    key: "deals",
    name: Msg::ModuleDeals,
    paths: &[
        "/deals",
        "/api/v1/deals",
        "/api/v1/pipelines",
        "/api/v1/deal-reasons",
        "/api/v1/reports/funnel",
        "/admin/pipelines",
    ],
};

/// The currencies a deal may be in (ISO 4217): the region's and the usual trading ones.
pub const CURRENCIES: &[&str] = &[
    "UZS", "USD", "EUR", "RUB", "KZT", "KGS", "TJS", "TMT", "AZN", "GEL", "AMD", "BYN", "UAH", "CNY", "TRY", "GBP",
    "CHF", "JPY", "KRW", "AED", "INR",
];

/// The largest amount a deal may carry (a thousand trillion): beyond it is a typo, not a deal.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;

/// Fields a stage may require before a deal enters it.
pub const REQUIRABLE: &[&str] = &["amount", "expected_close", "counterparty_id", "contacts", "interest"];

/// How strictly a pipeline's stages are followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PipelineMode {
    /// Stages in order, none skipped (going back is allowed).
    Enforced,
    /// Any stage, in any order.
    #[default]
    Manual,
    /// No stages: a deal is open, won or lost (a folder for long projects).
    None,
}

impl PipelineMode {
    pub fn code(self) -> &'static str {
        match self {
            PipelineMode::Enforced => "enforced",
            PipelineMode::Manual => "manual",
            PipelineMode::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<PipelineMode> {
        match s {
            "enforced" => Some(PipelineMode::Enforced),
            "manual" => Some(PipelineMode::Manual),
            "none" => Some(PipelineMode::None),
            _ => None,
        }
    }

    pub fn msg(self) -> Msg {
        match self {
            PipelineMode::Enforced => Msg::ModeEnforced,
            PipelineMode::Manual => Msg::ModeManual,
            PipelineMode::None => Msg::ModeNone,
        }
    }
}

/// A task made when a deal enters a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AutoTask {
    pub title: String,
    /// Due this many days after entering (0: the same day).
    #[serde(default)]
    pub due_days: u32,
}

/// What a stage demands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageRules {
    /// Deal fields that must be filled before a deal enters the stage (see [`REQUIRABLE`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<String>,
    /// Items to tick before a deal moves on from the stage (or is won).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checklist: Vec<String>,
    /// Tasks given to the deal's manager when it enters the stage.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<AutoTask>,
}

impl StageRules {
    /// Checks the rules an administrator set.
    pub fn check(&self, checks: &mut Checks, prefix: &str) {
        for (i, f) in self.required.iter().enumerate() {
            if !REQUIRABLE.contains(&f.as_str()) {
                checks.fail(&format!("{prefix}required[{i}]"), ErrCode::UnknownField);
            }
        }
        for (i, item) in self.checklist.iter().enumerate() {
            checks.text(&format!("{prefix}checklist[{i}]"), item, 200);
        }
        for (i, t) in self.tasks.iter().enumerate() {
            checks.text(&format!("{prefix}tasks[{i}].title"), &t.title, 300);
            if t.due_days > 365 {
                checks.fail(&format!("{prefix}tasks[{i}].due_days"), ErrCode::OutOfRange);
            }
        }
        if self.checklist.len() > 30 || self.tasks.len() > 10 || self.required.len() > REQUIRABLE.len() {
            checks.fail(&format!("{prefix}rules"), ErrCode::TooMany);
        }
    }
}

/// A stage of a pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Stage {
    pub id: i64,
    pub pipeline_id: i64,
    /// The administrator's name; `None` for a starter stage shown in the reader's language.
    pub name: Option<String>,
    /// A starter stage's key (`first_contact`, `qualification`, `proposal`, …).
    pub preset: Option<String>,
    /// 1, 2, … in order.
    pub position: i64,
    /// Chance of winning a deal at this stage, percent.
    pub probability: i64,
    pub rules: StageRules,
}

impl Stage {
    /// The name to show in `lang`.
    pub fn label(&self, lang: Lang) -> String {
        label(self.name.as_deref(), self.preset.as_deref(), lang)
    }
}

/// A pipeline with its stages in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Pipeline {
    pub id: i64,
    pub name: Option<String>,
    pub preset: Option<String>,
    pub mode: PipelineMode,
    pub position: i64,
    pub archived: bool,
    pub stages: Vec<Stage>,
    pub version: i64,
}

impl Pipeline {
    pub fn label(&self, lang: Lang) -> String {
        label(self.name.as_deref(), self.preset.as_deref(), lang)
    }

    pub fn stage(&self, id: i64) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }

    /// Where a new deal starts: the first stage (none in a pipeline without stages).
    pub fn first_stage(&self) -> Option<&Stage> {
        if self.mode == PipelineMode::None { None } else { self.stages.first() }
    }
}

/// A stage as an administrator sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageInput {
    /// An existing stage's id; absent for a new one.
    #[serde(default)]
    pub id: Option<i64>,
    /// Empty keeps a starter stage's translated name.
    #[serde(default)]
    pub name: Option<String>,
    pub probability: i64,
    #[serde(default)]
    pub rules: StageRules,
}

/// A pipeline as an administrator sends it: stages in order (missing ones are deleted, if they hold no deals).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PipelineInput {
    /// Required for a change (409 when stale).
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub mode: PipelineMode,
    #[serde(default)]
    pub archived: bool,
    #[serde(default)]
    pub stages: Vec<StageInput>,
}

/// A reason a deal was lost, or why demand went unmet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Reason {
    pub id: i64,
    /// `loss` or `unmet`.
    pub kind: String,
    pub name: Option<String>,
    pub preset: Option<String>,
    pub retired: bool,
    /// A change must name the version it was read at (409 when stale).
    pub version: i64,
}

impl Reason {
    pub fn label(&self, lang: Lang) -> String {
        label(self.name.as_deref(), self.preset.as_deref(), lang)
    }
}

/// A name set by an administrator, else the starter preset's translation.
pub fn label(name: Option<&str>, preset: Option<&str>, lang: Lang) -> String {
    if let Some(n) = name.filter(|n| !n.is_empty()) {
        return n.to_string();
    }
    let msg = match preset.unwrap_or_default() {
        "sales" => Msg::PresetSales,
        "first_contact" => Msg::PresetFirstContact,
        "qualification" => Msg::PresetQualification,
        "proposal" => Msg::PresetProposal,
        "presentation" => Msg::PresetPresentation,
        "terms" => Msg::PresetTerms,
        "preparing_delivery" => Msg::PresetPreparingDelivery,
        "delivery" => Msg::PresetDelivery,
        "price" => Msg::PresetPrice,
        "competitor" => Msg::PresetCompetitor,
        "no_budget" => Msg::PresetNoBudget,
        "no_response" => Msg::PresetNoResponse,
        "not_needed" => Msg::PresetNotNeeded,
        "out_of_stock" => Msg::PresetOutOfStock,
        "not_in_range" => Msg::PresetNotInRange,
        "delivery_time" => Msg::PresetDeliveryTime,
        _ => return preset.unwrap_or("?").to_string(),
    };
    msg.text(lang).to_string()
}

/// Where a deal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DealStatus {
    #[default]
    Open,
    Won,
    Lost,
}

impl DealStatus {
    pub fn code(self) -> &'static str {
        match self {
            DealStatus::Open => "open",
            DealStatus::Won => "won",
            DealStatus::Lost => "lost",
        }
    }

    pub fn parse(s: &str) -> Option<DealStatus> {
        match s {
            "open" => Some(DealStatus::Open),
            "won" => Some(DealStatus::Won),
            "lost" => Some(DealStatus::Lost),
            _ => None,
        }
    }

    pub fn msg(self) -> Msg {
        match self {
            DealStatus::Open => Msg::DealOpen,
            DealStatus::Won => Msg::DealWon,
            DealStatus::Lost => Msg::DealLost,
        }
    }
}

/// A contact person's part in a deal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DealContact {
    pub contact_id: i64,
    /// Filled when read.
    #[serde(default)]
    pub name: String,
    /// Decision maker, user, buyer… (free text).
    #[serde(default)]
    pub role: Option<String>,
}

/// A deal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Deal {
    pub id: i64,
    pub title: String,
    pub pipeline_id: i64,
    pub stage_id: Option<i64>,
    pub customer_id: i64,
    pub customer_name: String,
    pub counterparty_id: Option<i64>,
    pub counterparty_name: Option<String>,
    pub manager_id: i64,
    pub manager_name: String,
    /// `None` while unknown.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub amount: Option<Decimal>,
    pub currency: String,
    /// The day it is expected to close (epoch ms of its local start).
    pub expected_close: Option<Millis>,
    pub interest: Option<String>,
    pub source: Option<String>,
    pub status: DealStatus,
    pub lost_stage_id: Option<i64>,
    pub loss_reason_id: Option<i64>,
    pub unmet_reason_id: Option<i64>,
    pub close_note: Option<String>,
    pub closed_at: Option<Millis>,
    pub stage_entered_at: Millis,
    /// The current stage's checklist items ticked.
    pub checklist_done: Vec<String>,
    pub contacts: Vec<DealContact>,
    /// Custom field values by key (fields of entity `deal`).
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    #[serde(default)]
    pub custom: CustomValues,
    pub created_by: i64,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub version: i64,
    /// When it was archived (epoch milliseconds); archived deals leave the board and the lists.
    #[serde(default)]
    pub archived_at: Option<i64>,
}

/// Reads an optional amount given as a JSON string (`"1500000.50"`) or number.
fn amount_de<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    use serde::de::Error;
    match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(serde_json::Value::String(s)) => s.trim().parse().map(Some).map_err(D::Error::custom),
        Some(serde_json::Value::Number(n)) => n.to_string().parse().map(Some).map_err(D::Error::custom),
        Some(_) => Err(D::Error::custom("amount must be a string or a number")),
    }
}

/// Input for a new deal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewDeal {
    pub title: String,
    pub customer_id: i64,
    /// Defaults to the first pipeline.
    #[serde(default)]
    pub pipeline_id: Option<i64>,
    /// Defaults to the pipeline's first stage.
    #[serde(default)]
    pub stage_id: Option<i64>,
    #[serde(default)]
    pub counterparty_id: Option<i64>,
    /// Defaults to the caller.
    #[serde(default)]
    pub manager_id: Option<i64>,
    #[serde(default, deserialize_with = "amount_de")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub amount: Option<Decimal>,
    /// ISO 4217; defaults to UZS.
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub expected_close: Option<Millis>,
    #[serde(default)]
    pub interest: Option<String>,
    /// Defaults to the customer's source.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub contacts: Vec<DealContact>,
    /// Custom field values by key (required ones must be given).
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    #[serde(default)]
    pub custom: Option<CustomValues>,
}

/// A change to a deal: absent fields stay, fields named in `clear` are emptied. Stage and status change
/// through a move or a close, not here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DealPatch {
    pub version: i64,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub counterparty_id: Option<i64>,
    #[serde(default)]
    pub manager_id: Option<i64>,
    #[serde(default, deserialize_with = "amount_de")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub amount: Option<Decimal>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub expected_close: Option<Millis>,
    #[serde(default)]
    pub interest: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    /// Replaces the contact persons when present.
    #[serde(default)]
    pub contacts: Option<Vec<DealContact>>,
    /// Replaces the ticked checklist items of the current stage when present.
    #[serde(default)]
    pub checklist_done: Option<Vec<String>>,
    /// Custom field values to change, by key (`null` clears one); others stay.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    #[serde(default)]
    pub custom: Option<CustomValues>,
    /// Fields to empty: `amount`, `expected_close`, `counterparty_id`, `interest`, `source`.
    #[serde(default)]
    pub clear: Vec<String>,
}

/// A move to another stage, based on the version the mover saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DealMove {
    pub stage_id: i64,
    pub version: i64,
}

/// Closing a deal as won or lost (lost needs a reason), or (`outcome: "open"`) reopening it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DealClose {
    pub version: i64,
    pub outcome: DealStatus,
    #[serde(default)]
    pub loss_reason_id: Option<i64>,
    #[serde(default)]
    pub unmet_reason_id: Option<i64>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Validated values of a deal's own fields.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DealValues {
    pub title: String,
    /// Hundredths.
    pub amount: Option<i64>,
    pub currency: String,
    pub expected_close: Option<Millis>,
    pub interest: Option<String>,
    pub source: Option<String>,
    pub counterparty_id: Option<i64>,
    pub contacts: Vec<DealContact>,
    /// Checked custom field values to write (only the fields given).
    pub custom: CheckedValues,
}

/// An amount in hundredths, refusing negative, over-precise and absurd ones.
pub fn amount_minor(checks: &mut Checks, field: &str, amount: Option<Decimal>) -> Option<i64> {
    let a = amount?;
    if a.is_sign_negative() && !a.is_zero() {
        checks.fail(field, ErrCode::OutOfRange);
        return None;
    }
    let minor = a * Decimal::from(100);
    if minor.fract() != Decimal::ZERO {
        checks.fail(field, ErrCode::TooPrecise);
        return None;
    }
    match i64::try_from(minor.trunc()) {
        Ok(m) if m <= MAX_AMOUNT * 100 => Some(m),
        _ => {
            checks.fail(field, ErrCode::TooLarge);
            None
        }
    }
}

/// Hundredths back to a decimal amount.
pub fn amount_of(minor: i64) -> Decimal {
    Decimal::new(minor, 2).normalize()
}

/// A currency code upper-cased, or a refusal when it is not one Karvon knows.
pub fn currency(checks: &mut Checks, value: Option<&str>) -> String {
    let c = value.map(str::trim).filter(|c| !c.is_empty()).unwrap_or("UZS").to_ascii_uppercase();
    if !CURRENCIES.contains(&c.as_str()) {
        checks.fail("currency", ErrCode::UnknownCurrency);
    }
    c
}

fn check_contacts(checks: &mut Checks, contacts: &[DealContact]) -> Vec<DealContact> {
    let mut out: Vec<DealContact> = Vec::new();
    for (i, c) in contacts.iter().enumerate() {
        let role = checks.opt_text(&format!("contacts[{i}].role"), c.role.as_deref(), 100);
        if out.iter().any(|o| o.contact_id == c.contact_id) {
            checks.fail(&format!("contacts[{i}].contact_id"), ErrCode::AlreadyThere);
        }
        out.push(DealContact { contact_id: c.contact_id, name: String::new(), role });
    }
    if out.len() > 20 {
        checks.fail("contacts", ErrCode::TooMany);
    }
    out
}

fn check_close_date(checks: &mut Checks, at: Option<Millis>) -> Option<Millis> {
    let at = at.filter(|a| *a != 0)?;
    // Any date from 2000 to 2100.
    if !(946_684_800_000..=4_102_444_800_000).contains(&at) {
        checks.fail("expected_close", ErrCode::InvalidDate);
    }
    Some(at)
}

impl NewDeal {
    /// Checks every field at once, custom ones against `defs` (the deals' field definitions).
    pub fn validate(&self, defs: &[CustomField]) -> Result<DealValues, AppError> {
        let mut checks = Checks::default();
        let v = DealValues {
            title: checks.text("title", &self.title, 200),
            amount: amount_minor(&mut checks, "amount", self.amount),
            currency: currency(&mut checks, self.currency.as_deref()),
            expected_close: check_close_date(&mut checks, self.expected_close),
            interest: checks.opt_text("interest", self.interest.as_deref(), 2000),
            source: checks.opt_text("source", self.source.as_deref(), 100),
            counterparty_id: self.counterparty_id,
            contacts: check_contacts(&mut checks, &self.contacts),
            custom: crate::custom_fields::check_values(
                &mut checks,
                defs,
                self.custom.as_ref().unwrap_or(&CustomValues::new()),
                true,
            ),
        };
        checks.finish()?;
        Ok(v)
    }
}

impl DealPatch {
    /// The deal's values with the patch applied, validated (custom ones against `defs`).
    pub fn apply(&self, d: &Deal, defs: &[CustomField]) -> Result<DealValues, AppError> {
        let mut checks = Checks::default();
        let cleared = |f: &str| self.clear.iter().any(|c| c == f);
        for (i, f) in self.clear.iter().enumerate() {
            if !["amount", "expected_close", "counterparty_id", "interest", "source"].contains(&f.as_str()) {
                checks.fail(&format!("clear[{i}]"), ErrCode::UnknownField);
            }
        }
        let title = self.title.clone().unwrap_or_else(|| d.title.clone());
        let amount = if cleared("amount") { None } else { self.amount.or(d.amount) };
        let pick = |new: &Option<String>, old: &Option<String>, f: &str| {
            if cleared(f) { None } else { new.clone().or_else(|| old.clone()) }
        };
        let v = DealValues {
            title: checks.text("title", &title, 200),
            amount: amount_minor(&mut checks, "amount", amount),
            currency: currency(&mut checks, Some(self.currency.as_deref().unwrap_or(&d.currency))),
            expected_close: if cleared("expected_close") {
                None
            } else {
                check_close_date(&mut checks, self.expected_close.or(d.expected_close))
            },
            interest: checks.opt_text("interest", pick(&self.interest, &d.interest, "interest").as_deref(), 2000),
            source: checks.opt_text("source", pick(&self.source, &d.source, "source").as_deref(), 100),
            counterparty_id: if cleared("counterparty_id") { None } else { self.counterparty_id.or(d.counterparty_id) },
            contacts: check_contacts(&mut checks, self.contacts.as_deref().unwrap_or(&d.contacts)),
            custom: crate::custom_fields::check_values(
                &mut checks,
                defs,
                self.custom.as_ref().unwrap_or(&CustomValues::new()),
                false,
            ),
        };
        checks.finish()?;
        Ok(v)
    }
}

/// Whether a deal has `field` (one of [`REQUIRABLE`]) filled.
pub fn has_field(v: &DealValues, field: &str) -> bool {
    match field {
        "amount" => v.amount.is_some_and(|a| a > 0),
        "expected_close" => v.expected_close.is_some(),
        "counterparty_id" => v.counterparty_id.is_some(),
        "contacts" => !v.contacts.is_empty(),
        "interest" => v.interest.is_some(),
        _ => true,
    }
}

/// The deal's values as the rules see them.
pub fn values_of(d: &Deal) -> DealValues {
    DealValues {
        title: d.title.clone(),
        amount: d.amount.and_then(|a| i64::try_from((a * Decimal::from(100)).trunc()).ok()),
        currency: d.currency.clone(),
        expected_close: d.expected_close,
        interest: d.interest.clone(),
        source: d.source.clone(),
        counterparty_id: d.counterparty_id,
        contacts: d.contacts.clone(),
        custom: Vec::new(),
    }
}

/// The checklist items of `stage` not yet ticked.
pub fn unticked<'a>(stage: &'a Stage, done: &[String]) -> Vec<&'a str> {
    stage.rules.checklist.iter().filter(|i| !done.contains(i)).map(String::as_str).collect()
}

/// Checks a move of a deal (with values `v`, at `from`, checklist `done`) to stage `to` of `pipeline`.
/// A refusal names the broken rule: `stage_id` (another pipeline, a skipped stage, no stages),
/// `checklist` (items left at the current stage), or the missing field itself.
pub fn check_move(
    pipeline: &Pipeline,
    from: Option<i64>,
    to: i64,
    v: &DealValues,
    done: &[String],
) -> Result<(), AppError> {
    if pipeline.mode == PipelineMode::None {
        return Err(AppError::field("stage_id", ErrCode::NoStages));
    }
    let Some(target) = pipeline.stage(to) else {
        return Err(AppError::field("stage_id", ErrCode::OtherPipeline));
    };
    let current = from.and_then(|f| pipeline.stage(f));
    let forward = current.is_none_or(|c| target.position > c.position);
    if let Some(c) = current {
        if pipeline.mode == PipelineMode::Enforced && target.position > c.position + 1 {
            return Err(AppError::field("stage_id", ErrCode::StageSkipped));
        }
        if forward && !unticked(c, done).is_empty() {
            return Err(AppError::field("checklist", ErrCode::ChecklistIncomplete));
        }
    }
    let mut checks = Checks::default();
    for f in &target.rules.required {
        if !has_field(v, f) {
            checks.fail(f, ErrCode::RequiredAtStage);
        }
    }
    checks.finish()
}

/// Checks closing a deal (values `v`, at `stage`, checklist `done`) as won or lost.
pub fn check_close(close: &DealClose, stage: Option<&Stage>, v: &DealValues, done: &[String]) -> Result<(), AppError> {
    let mut checks = Checks::default();
    match close.outcome {
        DealStatus::Won => {
            if !has_field(v, "amount") {
                checks.fail("amount", ErrCode::RequiredToWin);
            }
            if stage.is_some_and(|s| !unticked(s, done).is_empty()) {
                checks.fail("checklist", ErrCode::ChecklistIncomplete);
            }
        }
        DealStatus::Lost => {
            if close.loss_reason_id.is_none() {
                checks.fail("loss_reason_id", ErrCode::Required);
            }
        }
        DealStatus::Open => {}
    }
    checks.opt_text("note", close.note.as_deref(), 2000);
    checks.finish()
}

/// A card on the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BoardCard {
    pub id: i64,
    pub title: String,
    pub stage_id: Option<i64>,
    pub customer_id: i64,
    pub customer_name: String,
    pub manager_id: i64,
    pub manager_name: String,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub amount: Option<Decimal>,
    pub currency: String,
    pub stage_entered_at: Millis,
    pub next_task_title: Option<String>,
    pub next_task_due: Option<Millis>,
    pub updated_at: Millis,
    pub version: i64,
}

/// A sum in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CurrencySum {
    pub currency: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub amount: Decimal,
    /// Weighted by the stage's probability.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub weighted: Decimal,
}

/// A column's count and totals (per currency: amounts in different currencies are never added).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ColumnTotals {
    /// `None`: the one column of a pipeline without stages.
    pub stage_id: Option<i64>,
    pub count: i64,
    pub sums: Vec<CurrencySum>,
}

/// A board column: its totals and its first cards (most recently changed first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BoardColumn {
    pub totals: ColumnTotals,
    pub cards: Vec<BoardCard>,
    /// More cards than shown (the list view pages through them all).
    pub more: bool,
}

/// Which deals a board or list shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DealFilter {
    #[serde(default)]
    pub pipeline_id: Option<i64>,
    #[serde(default)]
    pub manager_id: Option<i64>,
    #[serde(default)]
    pub team_id: Option<i64>,
    #[serde(default)]
    pub source: Option<String>,
    /// Created from (epoch ms, inclusive).
    #[serde(default)]
    pub from: Option<Millis>,
    /// Created before (epoch ms, exclusive).
    #[serde(default)]
    pub to: Option<Millis>,
    /// `open` (default for boards), `won`, `lost`, or `all`.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub stage_id: Option<i64>,
    #[serde(default)]
    pub customer_id: Option<i64>,
    /// Living deals (default), archived ones, or both.
    #[serde(default)]
    pub archived: crate::core::archive::Archived,
    /// A sync job's read: changed at or after this, oldest change first.
    #[serde(default)]
    pub updated_since: Option<Millis>,
}

/// A pipeline's board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Board {
    pub pipeline: Pipeline,
    pub pipelines: Vec<(i64, String)>,
    pub columns: Vec<BoardColumn>,
    pub loss_reasons: Vec<(i64, String)>,
    pub managers: Vec<(i64, String)>,
    /// Teams to filter by (administrators).
    pub teams: Vec<(i64, String)>,
    pub now: Millis,
}

/// One changed card and the board's new totals, for a board that heard of a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardUpdate {
    /// `None`: the deal is no longer on this board (closed, filtered out, out of the user's scope).
    pub card: Option<BoardCard>,
    pub totals: Vec<ColumnTotals>,
}

/// A page of deals (the list view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DealPage {
    pub items: Vec<BoardCard>,
    pub next_cursor: Option<String>,
}

/// A stay of a deal in a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageStay {
    pub stage_id: i64,
    pub entered_at: Millis,
    pub left_at: Option<Millis>,
    pub moved_by_name: Option<String>,
}

/// One stage of the sales funnel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FunnelStage {
    pub stage_id: i64,
    pub name: String,
    /// Deals that got at least this far.
    pub reached: i64,
    /// Their amounts, per currency.
    pub amounts: Vec<CurrencySum>,
    /// Percent of the previous stage's deals that reached this one (`None` for the first).
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub conversion: Option<Decimal>,
    /// Deals lost at this stage, and why.
    pub lost: i64,
    pub lost_reasons: Vec<(String, i64)>,
    /// Average stay in the stage, in days (stays still going count up to now).
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub avg_days: Option<Decimal>,
}

/// The sales funnel of a pipeline for deals created in a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Funnel {
    pub pipeline_id: i64,
    pub pipeline_name: String,
    pub stages: Vec<FunnelStage>,
    pub total: i64,
    pub open: i64,
    pub won: i64,
    pub lost: i64,
    /// Won of closed, percent (`None` while nothing is closed).
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub win_rate: Option<Decimal>,
    /// Average amount of won deals, per currency.
    pub avg_won: Vec<CurrencySum>,
}

/// A percentage `part / whole` with one decimal (`None` when `whole` is 0).
pub fn percent(part: i64, whole: i64) -> Option<Decimal> {
    (whole > 0).then(|| (Decimal::from(part) * Decimal::from(100) / Decimal::from(whole)).round_dp(1).normalize())
}

/// The funnel as CSV (`;`-separated, as spreadsheets in the region expect), one row per stage.
pub fn funnel_csv(f: &Funnel, lang: Lang) -> String {
    let mut out = String::from("\u{feff}");
    let head =
        [Msg::DealStage, Msg::Reached, Msg::Amount, Msg::Conversion, Msg::DealLost, Msg::LossReason, Msg::AvgDays];
    out.push_str(&head.iter().map(|m| m.text(lang)).collect::<Vec<_>>().join(";"));
    out.push_str("\r\n");
    let cell = |s: &str| {
        let s = s.replace('"', "\"\"");
        // A cell starting like a formula is neutralised (spreadsheets would run it).
        let s = if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s };
        if s.contains([';', '"', '\n']) { format!("\"{s}\"") } else { s }
    };
    for s in &f.stages {
        let amounts = s.amounts.iter().map(|a| format!("{} {}", a.amount, a.currency)).collect::<Vec<_>>().join(", ");
        let reasons = s.lost_reasons.iter().map(|(r, n)| format!("{r}: {n}")).collect::<Vec<_>>().join(", ");
        let row = [
            cell(&s.name),
            s.reached.to_string(),
            cell(&amounts),
            s.conversion.map(|c| c.to_string()).unwrap_or_default(),
            s.lost.to_string(),
            cell(&reasons),
            s.avg_days.map(|d| d.to_string()).unwrap_or_default(),
        ];
        out.push_str(&row.join(";"));
        out.push_str("\r\n");
    }
    out
}

/// Whole days between two instants (for "days in stage").
pub fn days_between(from: Millis, to: Millis) -> i64 {
    ((to - from).max(0)) / 86_400_000
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(id: i64, position: i64, rules: StageRules) -> Stage {
        Stage { id, pipeline_id: 1, name: None, preset: None, position, probability: 10 * position, rules }
    }

    fn pipeline(mode: PipelineMode) -> Pipeline {
        Pipeline {
            id: 1,
            name: Some("P".into()),
            preset: None,
            mode,
            position: 0,
            archived: false,
            version: 1,
            stages: vec![
                stage(11, 1, StageRules { checklist: vec!["Send price list".into()], ..Default::default() }),
                stage(12, 2, StageRules::default()),
                stage(13, 3, StageRules { required: vec!["amount".into()], ..Default::default() }),
            ],
        }
    }

    fn code(r: Result<(), AppError>) -> Option<(String, ErrCode)> {
        match r {
            Ok(()) => None,
            Err(AppError::Validation { fields }) => Some((fields[0].field.clone(), fields[0].code)),
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn moves_follow_the_pipeline_rules() {
        let ticked = vec!["Send price list".to_string()];
        let mut v = DealValues::default();
        let enforced = pipeline(PipelineMode::Enforced);
        let manual = pipeline(PipelineMode::Manual);
        // The checklist of the stage being left.
        assert_eq!(
            code(check_move(&manual, Some(11), 12, &v, &[])),
            Some(("checklist".into(), ErrCode::ChecklistIncomplete))
        );
        assert_eq!(code(check_move(&manual, Some(11), 12, &v, &ticked)), None);
        // Going back leaves without the checklist.
        assert_eq!(code(check_move(&manual, Some(12), 11, &v, &[])), None);
        // Skipping: refused when enforced, allowed when manual, but the target's required field holds.
        assert_eq!(
            code(check_move(&enforced, Some(11), 13, &v, &ticked)),
            Some(("stage_id".into(), ErrCode::StageSkipped))
        );
        assert_eq!(
            code(check_move(&manual, Some(11), 13, &v, &ticked)),
            Some(("amount".into(), ErrCode::RequiredAtStage))
        );
        v.amount = Some(0);
        assert_eq!(code(check_move(&manual, Some(12), 13, &v, &[])), Some(("amount".into(), ErrCode::RequiredAtStage)));
        v.amount = Some(150_000);
        assert_eq!(code(check_move(&manual, Some(11), 13, &v, &ticked)), None);
        assert_eq!(code(check_move(&enforced, Some(12), 13, &v, &[])), None);
        assert_eq!(code(check_move(&enforced, Some(13), 11, &v, &[])), None);
        // Another pipeline's stage; a pipeline without stages.
        assert_eq!(
            code(check_move(&manual, Some(11), 99, &v, &ticked)),
            Some(("stage_id".into(), ErrCode::OtherPipeline))
        );
        assert_eq!(
            code(check_move(&pipeline(PipelineMode::None), None, 11, &v, &[])),
            Some(("stage_id".into(), ErrCode::NoStages))
        );
    }

    #[test]
    fn closing_needs_a_reason_or_an_amount() {
        let p = pipeline(PipelineMode::Manual);
        let mut v = DealValues::default();
        let lost = DealClose {
            version: 1,
            outcome: DealStatus::Lost,
            loss_reason_id: None,
            unmet_reason_id: None,
            note: None,
        };
        assert_eq!(code(check_close(&lost, p.stage(11), &v, &[])), Some(("loss_reason_id".into(), ErrCode::Required)));
        let lost = DealClose { loss_reason_id: Some(1), ..lost };
        assert_eq!(code(check_close(&lost, p.stage(11), &v, &[])), None);
        let won = DealClose { outcome: DealStatus::Won, loss_reason_id: None, ..lost };
        assert_eq!(code(check_close(&won, p.stage(12), &v, &[])), Some(("amount".into(), ErrCode::RequiredToWin)));
        v.amount = Some(1);
        assert_eq!(code(check_close(&won, p.stage(12), &v, &[])), None);
        assert_eq!(
            code(check_close(&won, p.stage(11), &v, &[])),
            Some(("checklist".into(), ErrCode::ChecklistIncomplete))
        );
    }

    #[test]
    fn amounts_and_currencies_are_checked() {
        let d = |s: &str| Some(s.parse::<Decimal>().unwrap());
        let mut c = Checks::default();
        assert_eq!(amount_minor(&mut c, "amount", d("1500000.5")), Some(150_000_050));
        assert_eq!(amount_minor(&mut c, "amount", None), None);
        assert!(c.finish().is_ok());
        for (bad, code) in [("-1", ErrCode::OutOfRange), ("1.005", ErrCode::TooPrecise), ("1e20", ErrCode::TooLarge)] {
            let mut c = Checks::default();
            let parsed = bad.parse::<Decimal>().or_else(|_| Decimal::from_scientific(bad)).unwrap();
            assert_eq!(amount_minor(&mut c, "amount", Some(parsed)), None, "{bad}");
            assert_eq!(c.into_fields()[0].code, code, "{bad}");
        }
        assert_eq!(amount_of(150_000_050), d("1500000.5").unwrap());
        let mut c = Checks::default();
        assert_eq!(currency(&mut c, Some(" usd ")), "USD");
        assert_eq!(currency(&mut c, None), "UZS");
        assert!(c.finish().is_ok());
        let mut c = Checks::default();
        currency(&mut c, Some("XYZ"));
        assert_eq!(c.into_fields()[0].code, ErrCode::UnknownCurrency);
    }

    #[test]
    fn patches_keep_clear_and_refuse() {
        let deal: Deal = serde_json::from_value(serde_json::json!({
            "id": 1, "title": "Cement", "pipeline_id": 1, "stage_id": 11, "customer_id": 5, "customer_name": "A",
            "counterparty_id": null, "counterparty_name": null, "manager_id": 2, "manager_name": "M",
            "amount": "100", "currency": "UZS", "expected_close": null, "interest": "M400", "source": "web",
            "status": "open", "lost_stage_id": null, "loss_reason_id": null, "unmet_reason_id": null,
            "close_note": null, "closed_at": null, "stage_entered_at": 0, "checklist_done": [], "contacts": [],
            "created_by": 2, "created_at": 0, "updated_at": 0, "version": 3
        }))
        .unwrap();
        let patch: DealPatch =
            serde_json::from_value(serde_json::json!({"version": 3, "amount": 250.5, "clear": ["interest"]})).unwrap();
        let v = patch.apply(&deal, &[]).unwrap();
        assert_eq!((v.amount, v.interest, v.source.as_deref()), (Some(25_050), None, Some("web")));
        let patch =
            DealPatch { version: 3, clear: vec!["title".into()], currency: Some("ZZZ".into()), ..Default::default() };
        let AppError::Validation { fields } = patch.apply(&deal, &[]).unwrap_err() else { panic!() };
        let got: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(got, ["clear[0]", "currency"]);
    }

    #[test]
    fn funnel_csv_is_safe_for_spreadsheets() {
        let f = Funnel {
            pipeline_id: 1,
            pipeline_name: "P".into(),
            stages: vec![FunnelStage {
                stage_id: 1,
                name: "=cmd; \"x\"".into(),
                reached: 10,
                amounts: vec![],
                conversion: None,
                lost: 2,
                lost_reasons: vec![("Price".into(), 2)],
                avg_days: percent(3, 2),
            }],
            total: 10,
            open: 8,
            won: 0,
            lost: 2,
            win_rate: percent(0, 2),
            avg_won: vec![],
        };
        let csv = funnel_csv(&f, Lang::En);
        let row = csv.lines().nth(1).unwrap();
        assert_eq!(row, "\"'=cmd; \"\"x\"\"\";10;;;2;Price: 2;150");
        assert_eq!(percent(1, 3), Some("33.3".parse().unwrap()));
        assert_eq!(percent(1, 0), None);
    }

    #[test]
    fn starter_names_follow_the_language() {
        assert_eq!(label(None, Some("proposal"), Lang::En), "Commercial proposal");
        assert_eq!(label(Some("KP"), Some("proposal"), Lang::En), "KP");
        assert_eq!(days_between(0, 3 * 86_400_000 + 5), 3);
    }
}
