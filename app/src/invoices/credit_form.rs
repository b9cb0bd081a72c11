//! The invoice page's form that issues a credit note: per line the quantity to take back (nothing by
//! default: the user states what came back), the reason and the date. A plain form post works too.

use leptos::form::ActionForm;
use leptos::prelude::*;
use rust_decimal::Decimal;

use super::Invoice;
use super::api::CreditInvoice;
use crate::core::Msg;
use crate::core::format::number;
use crate::ui::{Field, FormError, Submit, action_error, field_message, general_error, lang, t};

#[component]
pub fn CreditNoteForm(invoice: Invoice) -> impl IntoView {
    let l = lang();
    let action = ServerAction::<CreditInvoice>::new();
    let error = action_error(action);
    let rows = invoice
        .lines
        .iter()
        .filter(|line| line.qty > line.credited)
        .map(|line| {
            let name = format!("qty[{}]", line.line_no);
            let key = StoredValue::new(name.clone());
            let msg = move || key.with_value(|k| field_message(error.get(), k));
            let id = format!("credit-{}", line.line_no);
            let left = line.qty - line.credited;
            view! {
                <tr>
                    <td>{line.line_no}</td>
                    <td>{line.product_name.clone()}</td>
                    <td class="num">{number(l, left)} " " <small class="muted">{line.unit.clone()}</small></td>
                    <td class:invalid=move || msg().is_some()>
                        <label for=id.clone() class="sr-only">{format!("{} {}", t(Msg::Quantity), line.product_name)}</label>
                        <input id=id name=name inputmode="decimal" placeholder=Decimal::ZERO.to_string()
                            autocomplete="off" data-test="credit-qty" />
                        <p class="field-error">{msg}</p>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <details class="panel" data-test="credit-note" open=move || error.get().is_some()>
            <summary class="button secondary">{t(Msg::IssueCreditNote)}</summary>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="id" value=invoice.id />
                <input type="hidden" name="version" value=invoice.version />
                <p class="muted small">{t(Msg::CreditNoteHint)}</p>
                <FormError error=general_error(error) />
                <p class="field-error">{move || field_message(error.get(), "lines")}</p>
                <div class="table-scroll">
                    <table class="table lines">
                        <thead>
                            <tr>
                                <th>"№"</th>
                                <th>{t(Msg::Product)}</th>
                                <th class="num">{t(Msg::Remaining)}</th>
                                <th>{t(Msg::Quantity)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <div class="grid-2">
                    <Field label=Msg::CreditReason name="reason" required=true scope="credit" error />
                    <Field label=Msg::InvoiceDate name="credit_date" kind="date" scope="credit" error />
                </div>
                <Submit pending=action.pending() label=Msg::IssueCreditNote test="credit-note-submit" />
            </ActionForm>
        </details>
    }
}
