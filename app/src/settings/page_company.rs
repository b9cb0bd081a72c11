//! The Settings page's forms of the company's details (what invoices and e-invoices state of the seller) and of
//! the sales settings (the invoices' number prefix and payment term, the receivables' aging bounds).

use leptos::prelude::*;

use super::api::{SaveCompanyDetails, SaveSalesSettings, company_details, sales_settings};
use crate::core::Msg;
use crate::ui::{ErrorPage, Field, FormError, Submit, action_error, general_error, t};

/// The form, filled with what is saved; "saved" shows after a save (a plain post reloads the page).
#[component]
pub fn CompanyDetailsForm() -> impl IntoView {
    let data = Resource::new(|| (), |_| company_details());
    let action = ServerAction::<SaveCompanyDetails>::new();
    let error = action_error(action);
    let saved = move || matches!(action.value().get(), Some(Ok(_)));
    view! {
        <h2 id="company">{t(Msg::CompanyDetails)}</h2>
        <p class="muted small">{t(Msg::CompanyDetailsHint)}</p>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok((d, banks)) => {
                        let r = d.requisites.clone();
                        let v = |o: Option<String>| o.unwrap_or_default();
                        view! {
                            <ActionForm action attr:class="stack form-wide" attr:data-test="company-form">
                                {move || saved().then(|| view! { <div class="alert alert-ok" role="status">{t(Msg::Saved)}</div> })}
                                <FormError error=general_error(error) />
                                <Field label=Msg::LegalName name="name" scope="company" value=v(d.name) error />
                                <div class="grid-2">
                                    <Field label=Msg::TaxId name="tax_id" scope="company" value=v(d.tax_id) error />
                                    <Field label=Msg::Phone name="phone" scope="company" value=v(d.phone) error />
                                </div>
                                <Field label=Msg::LegalAddress name="address" scope="company" value=v(d.address) error />
                                <div class="grid-2">
                                    <Field label=Msg::Oked name="oked" scope="company" value=v(r.oked) error />
                                    <Field label=Msg::VatRegCode name="vat_reg_code" scope="company" value=v(r.vat_reg_code) error />
                                    <Field label=Msg::Director name="director" scope="company" value=v(r.director) error />
                                    <Field label=Msg::ChiefAccountant name="accountant" scope="company" value=v(r.accountant) error />
                                </div>
                                <div class="field">
                                    <label for="company-account_id">{t(Msg::FieldBankAccount)}</label>
                                    <select id="company-account_id" name="account_id" data-test="field-account_id">
                                        <option value="">{t(Msg::FirstUzsAccount)}</option>
                                        {banks.into_iter().map(|(id, label)| {
                                            view! { <option value=id selected=d.account_id == Some(id)>{label}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="actions">
                                    <Submit pending=action.pending() label=Msg::Save test="company-save" />
                                </div>
                            </ActionForm>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The invoices' number prefix and payment term and the receivables' aging bounds (administrators).
#[component]
pub fn SalesSettingsForm() -> impl IntoView {
    let data = Resource::new(|| (), |_| sales_settings());
    let action = ServerAction::<SaveSalesSettings>::new();
    let error = action_error(action);
    let saved = move || matches!(action.value().get(), Some(Ok(_)));
    view! {
        <h2 id="sales">{t(Msg::SalesSettings)}</h2>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok((s, bounds)) => {
                        let bounds = bounds.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
                        view! {
                            <ActionForm action attr:class="stack form-wide" attr:data-test="sales-settings-form">
                                {move || saved().then(|| view! { <div class="alert alert-ok" role="status">{t(Msg::Saved)}</div> })}
                                <FormError error=general_error(error) />
                                <div class="grid-2">
                                    <Field label=Msg::InvoicePrefix name="prefix" scope="sales" value=s.prefix error />
                                    <Field label=Msg::PaymentTermDays name="payment_days" scope="sales" kind="number"
                                        value=s.payment_days.to_string() error />
                                </div>
                                <Field label=Msg::AgingBounds name="aging_days" scope="sales" value=bounds error />
                                <p class="muted small">{t(Msg::AgingBoundsHint)}</p>
                                <div class="actions">
                                    <Submit pending=action.pending() label=Msg::Save test="sales-settings-save" />
                                </div>
                            </ActionForm>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
