//! `/deals?view=funnel`: the sales funnel as a chart (SVG drawn on the server, so it shows without scripts
//! and in a shared link), a table, and a CSV download.

use leptos::prelude::*;

use super::Funnel;
use crate::core::Msg;
use crate::core::format::{money, number};
use crate::ui::{lang, t};

// Whole SVG units: the chart needs no fractions, and formatting a float would put the float printer
// (about 20 KB) into the WASM shell module (printers are shared through the function table).
const WIDTH: i64 = 720;
const LABEL: i64 = 200;
const ROW: i64 = 40;

/// The funnel of the filter in `q`.
#[component]
pub fn FunnelView(funnel: Funnel, q: leptos_router::params::ParamsMap) -> impl IntoView {
    let l = lang();
    let max = funnel.stages.iter().map(|s| s.reached).max().unwrap_or(0).max(1);
    let height = ROW * funnel.stages.len().max(1) as i64 + 8;
    let bars = funnel
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let y = i as i64 * ROW + 4;
            let w = ((WIDTH - LABEL - 140) * s.reached / max).max(2);
            // Bars centred like a funnel.
            let x = LABEL + (WIDTH - LABEL - 140 - w) / 2;
            let conv = s.conversion.map(|c| format!(" · {c}%")).unwrap_or_default();
            view! {
                <g data-test="funnel-bar">
                    <text x=LABEL - 8 y=y + 20 text-anchor="end" class="funnel-label">{s.name.clone()}</text>
                    <rect x=x y=y width=w height=ROW - 8 rx="4" class="funnel-bar" />
                    <text x=WIDTH - 132 y=y + 20 class="funnel-count">{format!("{}{conv}", s.reached)}</text>
                </g>
            }
        })
        .collect_view();
    let csv = {
        let mut params = vec![format!("pipeline_id={}", funnel.pipeline_id), "format=csv".to_string()];
        for (k, api) in [("manager", "manager_id"), ("team", "team_id"), ("source", "source")] {
            if let Some(v) = q.get(k).filter(|v| !v.is_empty()) {
                params.push(format!("{api}={}", v.replace('&', "%26")));
            }
        }
        for (k, end) in [("from", false), ("to", true)] {
            if let Some(d) = q.get(k).and_then(|v| crate::core::format::parse_date(&v)) {
                params.push(format!("{k}={}", if end { d + 86_400_000 } else { d }));
            }
        }
        format!("/api/v1/reports/funnel?{}", params.join("&"))
    };
    let win = funnel.win_rate.map(|w| format!("{w}%")).unwrap_or_else(|| "—".into());
    let avg = if funnel.avg_won.is_empty() {
        "—".to_string()
    } else {
        funnel.avg_won.iter().map(|a| money(l, a.amount, &a.currency)).collect::<Vec<_>>().join(", ")
    };
    view! {
        <section class="panel" data-test="funnel">
            <h2>{t(Msg::Funnel)} " · " {funnel.pipeline_name.clone()}</h2>
            <dl class="facts funnel-facts">
                <dt>{t(Msg::DealsTotal)}</dt><dd data-test="funnel-total">{number(l, funnel.total.into())}</dd>
                <dt>{t(Msg::DealOpen)}</dt><dd>{number(l, funnel.open.into())}</dd>
                <dt>{t(Msg::DealWon)}</dt><dd data-test="funnel-won">{number(l, funnel.won.into())}</dd>
                <dt>{t(Msg::DealLost)}</dt><dd>{number(l, funnel.lost.into())}</dd>
                <dt>{t(Msg::WinRate)}</dt><dd data-test="funnel-win-rate">{win}</dd>
                <dt>{t(Msg::AvgDeal)}</dt><dd>{avg}</dd>
            </dl>
            <svg class="funnel-chart" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=t(Msg::Funnel)
                xmlns="http://www.w3.org/2000/svg">
                {bars}
            </svg>
            <table class="table small" data-test="funnel-table">
                <thead>
                    <tr>
                        <th>{t(Msg::DealStage)}</th>
                        <th class="num">{t(Msg::Reached)}</th>
                        <th class="num">{t(Msg::Amount)}</th>
                        <th class="num">{t(Msg::Conversion)}</th>
                        <th class="num">{t(Msg::DealLost)}</th>
                        <th>{t(Msg::LossReason)}</th>
                        <th class="num">{t(Msg::AvgDays)}</th>
                    </tr>
                </thead>
                <tbody>
                    {funnel.stages.iter().map(|s| view! {
                        <tr>
                            <td>{s.name.clone()}</td>
                            <td class="num">{number(l, s.reached.into())}</td>
                            <td class="num">{s.amounts.iter().map(|a| money(l, a.amount, &a.currency)).collect::<Vec<_>>().join(", ")}</td>
                            <td class="num">{s.conversion.map(|c| format!("{c}%")).unwrap_or_default()}</td>
                            <td class="num">{number(l, s.lost.into())}</td>
                            <td>{s.lost_reasons.iter().map(|(r, n)| format!("{r}: {n}")).collect::<Vec<_>>().join(", ")}</td>
                            <td class="num">{s.avg_days.map(|d| number(l, d)).unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <a class="button secondary" href=csv rel="external" download="funnel.csv" data-test="funnel-csv">{t(Msg::DownloadCsv)}</a>
        </section>
    }
}
