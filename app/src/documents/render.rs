//! A template filled in: MiniJinja renders the fields (escaped as HTML; a missing field is an error, an empty
//! one prints nothing) on a fuel budget, then the HTML is parsed into the document's tree. Errors name the
//! template's line: `body.12` with what is wrong there.

use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior};

use super::markup::{self, MarkupError, Node};
use crate::core::{AppError, ErrCode, FieldError};

/// Enough for a thousand-line invoice many times over; a runaway loop stops here.
const FUEL: u64 = 5_000_000;

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    // An absent value (a counterparty's empty OKED) prints nothing rather than "none".
    env.set_formatter(|out, state, value| {
        if value.is_none() || value.is_undefined() { Ok(()) } else { minijinja::escape_formatter(out, state, value) }
    });
    env
}

fn error(line: usize, code: ErrCode) -> AppError {
    AppError::Validation { fields: vec![FieldError { field: format!("body.{line}"), code }] }
}

fn markup_error(e: MarkupError) -> AppError {
    match e {
        MarkupError::Element { line } => error(line, ErrCode::TemplateElement),
        MarkupError::Attribute { line } => error(line, ErrCode::TemplateAttribute),
        MarkupError::Syntax { line } => error(line, ErrCode::TemplateSyntax),
    }
}

/// Checks a template's HTML before it is saved (the fields are checked by rendering it, see [`render`]).
pub fn check(body: &str) -> Result<(), AppError> {
    markup::check_source(body).map_err(markup_error)
}

/// Renders `body` with `data` and parses the result.
pub fn render(body: &str, data: &serde_json::Value) -> Result<Vec<Node>, AppError> {
    check(body)?;
    let env = environment();
    let html = env.render_str(body, Value::from(minijinja::value::Serde(data))).map_err(|e| {
        let line = e.line().unwrap_or(1);
        let code = match e.kind() {
            ErrorKind::UndefinedError => ErrCode::TemplateUnknownField,
            ErrorKind::OutOfFuel => ErrCode::TemplateTooLong,
            _ => ErrCode::TemplateSyntax,
        };
        error(line, code)
    })?;
    markup::parse(&html).map_err(markup_error)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn fields(e: AppError) -> Vec<(String, ErrCode)> {
        match e {
            AppError::Validation { fields } => fields.into_iter().map(|f| (f.field, f.code)).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn fields_are_escaped_and_absent_ones_print_nothing() {
        let data = json!({"buyer": {"name": "<b>Ali & Co</b>", "oked": null}, "lines": [{"name": "A"}, {"name": "B"}]});
        let nodes =
            render("<p>{{ buyer.name }}|{{ buyer.oked }}|{% for l in lines %}{{ l.name }}{% endfor %}</p>", &data)
                .unwrap();
        let html = markup::to_html(&nodes, &|_| None);
        assert_eq!(html, "<p>&lt;b&gt;Ali &amp; Co&lt;/b&gt;||AB</p>");
    }

    #[test]
    fn errors_name_the_line() {
        let data = json!({"buyer": {"name": "X"}});
        assert_eq!(
            fields(render("<p>\n{{ buyer.nme }}</p>", &data).unwrap_err()),
            [("body.2".into(), ErrCode::TemplateUnknownField)]
        );
        assert_eq!(
            fields(render("<p>\n\n{% for x in %}</p>", &data).unwrap_err()),
            [("body.3".into(), ErrCode::TemplateSyntax)]
        );
        assert_eq!(
            fields(render("<p>\n<iframe></p>", &data).unwrap_err()),
            [("body.2".into(), ErrCode::TemplateElement)]
        );
        let runaway = "{% for a in range(5000) %}{% for b in range(5000) %}x{% endfor %}{% endfor %}";
        assert_eq!(fields(render(runaway, &data).unwrap_err()), [("body.1".into(), ErrCode::TemplateTooLong)]);
    }
}
