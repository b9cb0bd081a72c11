//! Documents: how long a PDF takes from template to bytes, by size (`cargo run --release -p tests --bin
//! docbench`). Each document is rendered (MiniJinja), parsed (the template HTML), and typeset by the embedded
//! Typst into a PDF, exactly as `GET /api/v1/invoices/{id}/document` does after its reads; the first run
//! (fonts parsed, the standard library built) is timed apart. Target: an invoice under 300 ms.

use std::time::Instant;

use app::core::i18n::Lang;
use app::documents::{DocKind, defaults, markup, render, service, typeset};

fn once(kind: DocKind, lang: Lang, lines: usize) -> (f64, usize) {
    let data = match kind {
        DocKind::Reconciliation => service::sample(kind, lang),
        _ => service::sample_of_size(kind, lang, lines),
    };
    let t = Instant::now();
    let nodes = render::render(&defaults::body(kind, lang), &data).expect("renders");
    let body = markup::to_typst(&nodes);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    let pdf = typeset::pdf(&body, lang.code(), Vec::new(), day).expect("typesets");
    (t.elapsed().as_secs_f64() * 1000.0, pdf.len())
}

fn main() {
    // `docbench --dump DIR`: writes one PDF of each kind and language there, to look at.
    let args: Vec<String> = std::env::args().collect();
    if let Some(dir) = args.iter().position(|a| a == "--dump").and_then(|i| args.get(i + 1)) {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        for kind in DocKind::ALL {
            for lang in Lang::ALL {
                let data = match kind {
                    DocKind::Reconciliation => service::sample(kind, lang),
                    _ => service::sample_of_size(kind, lang, 4),
                };
                let nodes = render::render(&defaults::body(kind, lang), &data).expect("renders");
                let pdf = typeset::pdf(&markup::to_typst(&nodes), lang.code(), Vec::new(), day).expect("typesets");
                std::fs::write(format!("{dir}/{}-{}.pdf", kind.code(), lang.code()), pdf).expect("write");
            }
        }
        return;
    }
    let t = Instant::now();
    typeset::warm_up();
    println!("fonts and library, once per process: {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
    let (first, _) = once(DocKind::Invoice, Lang::Ru, 10);
    println!("first document of the process: {first:.0} ms\n");
    println!("{:<28} {:>6} {:>9} {:>9} {:>9} {:>10}", "document", "lines", "p50 ms", "p95 ms", "max ms", "PDF KB");
    let cases = [
        ("invoice, ru", DocKind::Invoice, Lang::Ru, 3, 30),
        ("invoice, uz", DocKind::Invoice, Lang::Uz, 10, 30),
        ("delivery note, ru", DocKind::DeliveryNote, Lang::Ru, 50, 20),
        ("act of work done, en", DocKind::Act, Lang::En, 10, 20),
        ("invoice, ru", DocKind::Invoice, Lang::Ru, 300, 5),
        ("invoice, ru", DocKind::Invoice, Lang::Ru, 1000, 3),
        ("supply contract, uz", DocKind::Contract, Lang::Uz, 10, 20),
        ("reconciliation act, ru", DocKind::Reconciliation, Lang::Ru, 2, 20),
    ];
    for (name, kind, lang, lines, runs) in cases {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..runs {
            let (ms, bytes) = once(kind, lang, lines);
            times.push(ms);
            size = bytes;
        }
        times.sort_by(|a, b| a.total_cmp(b));
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        println!(
            "{name:<28} {lines:>6} {:>9.1} {:>9.1} {:>9.1} {:>10.1}",
            at(0.5),
            at(0.95),
            times[times.len() - 1],
            size as f64 / 1024.0
        );
    }
}
