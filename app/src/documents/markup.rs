//! The HTML of document templates: a small, fixed set of elements an administrator writes by hand, parsed
//! into a tree that becomes both the preview (clean HTML: nothing but these elements and attributes) and the
//! Typst markup the PDF is typeset from. Text always reaches Typst as a string literal, so no customer's name
//! or product's description can ever run as markup or code.
//!
//! Elements: `h1 h2 h3 p div span b strong i em u small sup sub br hr ul ol li table thead tbody tfoot tr th td
//! img`. Attributes: `class` (`left center right justify small muted bold nowrap plain grid page-break`),
//! `colspan` / `rowspan` on cells, `width` on cells and images (`30%`, `4cm`, `40mm`, `120px`, `80pt`),
//! `height` on images, `src` on images (`logo`, `stamp`, `signature`, `accountant_signature`: the company's
//! images). Anything else is refused by [`check_source`] with its line, before a template is saved.
//!
//! The parser is lenient about structure the way browsers are (an end tag closes up to its element, an
//! unclosed element closes at its parent's end), since loops and conditions of the template may open and
//! close elements in ways only the rendered text shows.

use std::fmt::Write;

/// Elements a template may use; `VOID` ones have no content.
const ELEMENTS: &[&str] = &[
    "h1", "h2", "h3", "p", "div", "span", "b", "strong", "i", "em", "u", "small", "sup", "sub", "br", "hr", "ul", "ol",
    "li", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "img",
];
const VOID: &[&str] = &["br", "hr", "img"];
const CLASSES: &[&str] =
    &["left", "center", "right", "justify", "small", "muted", "bold", "nowrap", "plain", "grid", "page-break"];
/// The company's images a template may show.
use super::IMAGE_NAMES as IMAGES;

/// What is wrong in a template's HTML, with the 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkupError {
    /// An element outside the list.
    Element { line: usize },
    /// An attribute, class or value outside the list.
    Attribute { line: usize },
    /// `<` that starts no tag, or a tag never closed with `>`.
    Syntax { line: usize },
}

/// A parsed node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Text(String),
    Element(Element),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub name: &'static str,
    pub classes: Vec<&'static str>,
    pub colspan: u32,
    pub rowspan: u32,
    pub width: Option<Length>,
    pub height: Option<Length>,
    pub src: Option<&'static str>,
    pub children: Vec<Node>,
}

impl Element {
    fn new(name: &'static str) -> Element {
        Element {
            name,
            classes: Vec::new(),
            colspan: 1,
            rowspan: 1,
            width: None,
            height: None,
            src: None,
            children: Vec::new(),
        }
    }
}

/// Closes the innermost open element into its parent.
fn close_top(stack: &mut Vec<Element>) {
    let done = stack.pop().expect("open element");
    stack.last_mut().expect("root").children.push(Node::Element(done));
}

/// A length as written, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Length {
    /// Hundredths of the unit.
    pub value: u32,
    pub unit: Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Percent,
    Cm,
    Mm,
    Pt,
    Px,
}

impl Length {
    fn parse(s: &str) -> Option<Length> {
        let s = s.trim();
        let (num, unit) =
            [("%", Unit::Percent), ("cm", Unit::Cm), ("mm", Unit::Mm), ("pt", Unit::Pt), ("px", Unit::Px)]
                .into_iter()
                .find_map(|(suffix, unit)| s.strip_suffix(suffix).map(|n| (n, unit)))
                .unwrap_or((s, Unit::Px));
        let d: rust_decimal::Decimal = num.trim().parse().ok()?;
        let value: u32 = (d * rust_decimal::Decimal::ONE_HUNDRED).round().try_into().ok()?;
        let max = if unit == Unit::Percent { 10_000 } else { 200_000 };
        (value > 0 && value <= max).then_some(Length { value, unit })
    }

    fn typst(self) -> String {
        let n = format!("{}.{:02}", self.value / 100, self.value % 100);
        match self.unit {
            Unit::Percent => format!("{n}%"),
            Unit::Cm => format!("{n}cm"),
            Unit::Mm => format!("{n}mm"),
            Unit::Pt => format!("{n}pt"),
            // CSS's px is 0.75 pt.
            Unit::Px => format!("{}pt", self.value as f64 * 0.0075),
        }
    }

    fn css(self) -> String {
        let n = format!("{}.{:02}", self.value / 100, self.value % 100);
        let unit = match self.unit {
            Unit::Percent => "%",
            Unit::Cm => "cm",
            Unit::Mm => "mm",
            Unit::Pt => "pt",
            Unit::Px => "px",
        };
        format!("{n}{unit}")
    }
}

/// A tag as read: name, attributes, whether it ends (`</p>`), and the line it starts on.
struct Tag<'a> {
    name: String,
    attrs: Vec<(String, &'a str)>,
    end: bool,
    line: usize,
}

enum Token<'a> {
    Text(&'a str),
    Tag(Tag<'a>),
}

/// Splits HTML into text and tags, skipping comments.
fn tokens(html: &str) -> Result<Vec<Token<'_>>, MarkupError> {
    let mut out = Vec::new();
    let mut rest = html;
    let mut line = 1;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            out.push(Token::Text(rest));
            break;
        };
        if lt > 0 {
            out.push(Token::Text(&rest[..lt]));
            line += rest[..lt].matches('\n').count();
            rest = &rest[lt..];
        }
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").ok_or(MarkupError::Syntax { line })?;
            line += after[..end].matches('\n').count();
            rest = &after[end + 3..];
            continue;
        }
        let close = rest.find('>').ok_or(MarkupError::Syntax { line })?;
        let inner = &rest[1..close];
        let tag = tag(inner, line)?;
        line += inner.matches('\n').count();
        rest = &rest[close + 1..];
        out.push(Token::Tag(tag));
    }
    Ok(out)
}

fn tag(inner: &str, line: usize) -> Result<Tag<'_>, MarkupError> {
    let (end, inner) = match inner.strip_prefix('/') {
        Some(i) => (true, i),
        None => (false, inner),
    };
    let inner = inner.strip_suffix('/').unwrap_or(inner).trim_end();
    let name_end = inner.find(|c: char| c.is_whitespace()).unwrap_or(inner.len());
    let name = inner[..name_end].to_ascii_lowercase();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(MarkupError::Syntax { line });
    }
    let mut attrs = Vec::new();
    let mut rest = inner[name_end..].trim_start();
    while !rest.is_empty() {
        let key_end = rest.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(rest.len());
        let key = rest[..key_end].to_ascii_lowercase();
        rest = rest[key_end..].trim_start();
        let value = if let Some(v) = rest.strip_prefix('=') {
            let v = v.trim_start();
            let quote = v.chars().next().filter(|c| *c == '"' || *c == '\'');
            match quote {
                Some(q) => {
                    let close = v[1..].find(q).ok_or(MarkupError::Syntax { line })?;
                    rest = v[close + 2..].trim_start();
                    &v[1..close + 1]
                }
                None => {
                    let e = v.find(char::is_whitespace).unwrap_or(v.len());
                    rest = v[e..].trim_start();
                    &v[..e]
                }
            }
        } else {
            ""
        };
        if key.is_empty() {
            return Err(MarkupError::Syntax { line });
        }
        attrs.push((key, value));
    }
    Ok(Tag { name, attrs, end, line })
}

/// The element's checked form (without children), or the error that refuses it.
fn element(t: &Tag<'_>) -> Result<Element, MarkupError> {
    let line = t.line;
    let name = *ELEMENTS.iter().find(|e| **e == t.name).ok_or(MarkupError::Element { line })?;
    let mut el = Element::new(name);
    let bad = MarkupError::Attribute { line };
    let cell = matches!(name, "td" | "th");
    for (key, value) in &t.attrs {
        match key.as_str() {
            "class" => {
                for c in value.split_whitespace() {
                    el.classes.push(CLASSES.iter().find(|k| **k == c).copied().ok_or(bad.clone())?);
                }
            }
            "colspan" | "rowspan" if cell => {
                let n: u32 = value.trim().parse().ok().filter(|n| (1..=50).contains(n)).ok_or(bad.clone())?;
                if key == "colspan" {
                    el.colspan = n;
                } else {
                    el.rowspan = n;
                }
            }
            "width" if cell || name == "img" => el.width = Some(Length::parse(value).ok_or(bad.clone())?),
            "height" if name == "img" => el.height = Some(Length::parse(value).ok_or(bad.clone())?),
            "src" if name == "img" => {
                el.src = Some(IMAGES.iter().find(|i| **i == value.trim()).copied().ok_or(bad.clone())?)
            }
            _ => return Err(bad),
        }
    }
    if name == "img" && el.src.is_none() {
        return Err(bad);
    }
    Ok(el)
}

/// Checks a template's source: every tag an allowed element with allowed attributes. Template expressions
/// (`{{ … }}`, `{% … %}`) are text here; the rendered document is parsed again by [`parse`].
pub fn check_source(source: &str) -> Result<(), MarkupError> {
    for t in tokens(source)? {
        if let Token::Tag(t) = t {
            element(&t)?;
        }
    }
    Ok(())
}

/// Parses rendered HTML into a tree.
pub fn parse(html: &str) -> Result<Vec<Node>, MarkupError> {
    // The stack of open elements; the root collects top-level nodes.
    let mut stack: Vec<Element> = vec![Element::new("root")];
    for token in tokens(html)? {
        match token {
            Token::Text(t) => {
                let text = decode_entities(t);
                if !text.is_empty() {
                    stack.last_mut().expect("root").children.push(Node::Text(text));
                }
            }
            Token::Tag(t) if t.end => {
                // Closes up to the matching open element; a stray end tag is ignored.
                if let Some(pos) = stack.iter().rposition(|e| e.name == t.name) {
                    if pos == 0 {
                        continue;
                    }
                    while stack.len() > pos {
                        close_top(&mut stack);
                    }
                }
            }
            Token::Tag(t) => {
                let el = element(&t)?;
                // What browsers close implicitly: a cell at the next cell or row, a row at the next row, an
                // item at the next item, a paragraph at the next block.
                let closes: &[&str] = match el.name {
                    "td" | "th" => &["td", "th"],
                    "tr" => &["td", "th", "tr"],
                    "li" => &["li"],
                    "p" | "div" | "h1" | "h2" | "h3" | "table" | "ul" | "ol" | "hr" => &["p"],
                    _ => &[],
                };
                while stack.len() > 1 && closes.contains(&stack.last().expect("open element").name) {
                    close_top(&mut stack);
                }
                if VOID.contains(&el.name) {
                    stack.last_mut().expect("root").children.push(Node::Element(el));
                } else {
                    stack.push(el);
                }
            }
        }
    }
    while stack.len() > 1 {
        close_top(&mut stack);
    }
    Ok(stack.pop().expect("root").children)
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest.find(';').filter(|&i| i <= 10);
        let decoded = semi.and_then(|i| {
            let name = &rest[1..i];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                "laquo" => Some('«'),
                "raquo" => Some('»'),
                "mdash" => Some('—'),
                "ndash" => Some('–'),
                "numero" => Some('№'),
                _ => {
                    let n = name.strip_prefix('#')?;
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(h) => u32::from_str_radix(h, 16).ok()?,
                        None => n.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            };
            c.map(|c| (c, i + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whitespace as HTML shows it: every run one space.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

/// A Typst string literal.
fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn alignment(el: &Element) -> Option<&'static str> {
    el.classes.iter().find_map(|c| match *c {
        "left" => Some("left"),
        "center" => Some("center"),
        "right" => Some("right"),
        _ => None,
    })
}

/// The tree as Typst markup (the body; the page set-up is the caller's).
pub fn to_typst(nodes: &[Node]) -> String {
    let mut out = String::new();
    typst_nodes(nodes, &mut out);
    out
}

fn typst_nodes(nodes: &[Node], out: &mut String) {
    for n in nodes {
        match n {
            Node::Text(t) => {
                let t = collapse(t);
                if t == " " {
                    out.push(' ');
                } else if !t.is_empty() {
                    out.push('#');
                    out.push_str(&string(&t));
                }
            }
            Node::Element(el) => typst_element(el, out),
        }
    }
}

/// `[…]` of the children.
fn content(el: &Element) -> String {
    let mut s = String::from("[");
    typst_nodes(&el.children, &mut s);
    s.push(']');
    s
}

fn styled(el: &Element, inner: String) -> String {
    let mut inner = inner;
    if el.classes.contains(&"bold") {
        inner = format!("[#strong{inner}]");
    }
    if el.classes.contains(&"small") {
        inner = format!("[#text(size: 0.85em){inner}]");
    }
    if el.classes.contains(&"muted") {
        inner = format!("[#text(fill: luma(90)){inner}]");
    }
    if el.classes.contains(&"nowrap") {
        inner = format!("[#box{inner}]");
    }
    inner
}

fn typst_element(el: &Element, out: &mut String) {
    let c = styled(el, content(el));
    let block = |out: &mut String, body: String, above: &str, below: &str| {
        let justify = if el.classes.contains(&"justify") { "#set par(justify: true); " } else { "" };
        let aligned = match alignment(el) {
            Some(a) => format!("[{justify}#align({a}){body}]"),
            None if !justify.is_empty() => format!("[{justify}#{body}]"),
            None => body,
        };
        let _ = write!(out, "\n#block(width: 100%, above: {above}, below: {below}){aligned}\n");
    };
    if el.classes.contains(&"page-break") {
        out.push_str("\n#pagebreak(weak: true)\n");
    }
    match el.name {
        "h1" => block(out, format!("[#text(size: 15pt, weight: \"bold\"){c}]"), "1em", "0.8em"),
        "h2" => block(out, format!("[#text(size: 12.5pt, weight: \"bold\"){c}]"), "1em", "0.6em"),
        "h3" => block(out, format!("[#text(size: 11pt, weight: \"bold\"){c}]"), "0.9em", "0.5em"),
        "p" => block(out, c, "0.65em", "0.65em"),
        "div" => block(out, c, "0.3em", "0.3em"),
        "b" | "strong" => {
            let _ = write!(out, "#strong{c}");
        }
        "i" | "em" => {
            let _ = write!(out, "#emph{c}");
        }
        "u" => {
            let _ = write!(out, "#underline{c}");
        }
        "small" => {
            let _ = write!(out, "#text(size: 0.85em){c}");
        }
        "sup" => {
            let _ = write!(out, "#super{c}");
        }
        "sub" => {
            let _ = write!(out, "#sub{c}");
        }
        "span" => {
            let _ = write!(out, "#{{{c}}}");
        }
        "br" => out.push_str("#linebreak()"),
        "hr" => out.push_str("\n#line(length: 100%, stroke: 0.5pt)\n"),
        "ul" | "ol" => {
            let f = if el.name == "ul" { "list" } else { "enum" };
            let items: Vec<String> = el
                .children
                .iter()
                .filter_map(|n| match n {
                    Node::Element(li) if li.name == "li" => Some(styled(li, content(li))),
                    _ => None,
                })
                .collect();
            let _ = write!(out, "\n#{f}({})\n", items.join(", "));
        }
        "li" => block(out, c, "0.3em", "0.3em"),
        "img" => {
            let src = el.src.unwrap_or("logo");
            let mut args = format!("image-path.at(\"{src}\")");
            if let Some(w) = el.width {
                let _ = write!(args, ", width: {}", w.typst());
            }
            if let Some(h) = el.height {
                let _ = write!(args, ", height: {}", h.typst());
            }
            // A company that has not uploaded the image gets an empty box of its size, not an error.
            let _ = write!(out, "#if \"{src}\" in image-path {{ image({args}) }}");
        }
        "table" => typst_table(el, out),
        // Table parts met outside a table: their content.
        _ => typst_nodes(&el.children, out),
    }
}

fn rows(el: &Element) -> Vec<(&Element, bool)> {
    let mut out = Vec::new();
    for n in &el.children {
        if let Node::Element(c) = n {
            match c.name {
                "tr" => out.push((c, el.name == "thead")),
                "thead" | "tbody" | "tfoot" => out.extend(rows(c)),
                _ => {}
            }
        }
    }
    out
}

fn typst_table(el: &Element, out: &mut String) {
    let rows = rows(el);
    let cells = |tr: &Element| -> Vec<Element> {
        tr.children
            .iter()
            .filter_map(|n| match n {
                Node::Element(c) if matches!(c.name, "td" | "th") => Some(c.clone()),
                _ => None,
            })
            .collect()
    };
    let columns = rows.iter().map(|(tr, _)| cells(tr).iter().map(|c| c.colspan).sum::<u32>()).max().unwrap_or(0);
    if columns == 0 {
        return;
    }
    // Widths from the first row whose cells are one column each.
    let widths: Vec<String> = rows
        .iter()
        .map(|(tr, _)| cells(tr))
        .find(|cs| cs.len() as u32 == columns)
        .map(|cs| cs.iter().map(|c| c.width.map(Length::typst).unwrap_or_else(|| "1fr".into())).collect())
        .unwrap_or_else(|| vec!["1fr".into(); columns as usize]);
    let grid = el.classes.contains(&"grid") || !el.classes.contains(&"plain");
    let stroke = if grid { "0.5pt" } else { "none" };
    let inset = if grid { "(x: 4pt, y: 3pt)" } else { "(x: 0pt, y: 2pt)" };
    let _ = write!(out, "\n#table(columns: ({}), stroke: {stroke}, inset: {inset}", widths.join(", ") + ",");
    let mut header = Vec::new();
    let mut body = Vec::new();
    for (tr, in_head) in &rows {
        for c in cells(tr) {
            let mut inner = content(&c);
            if c.name == "th" {
                inner = format!("[#strong{inner}]");
            }
            inner = styled(&c, inner);
            let mut args = Vec::new();
            if c.colspan > 1 {
                args.push(format!("colspan: {}", c.colspan));
            }
            if c.rowspan > 1 {
                args.push(format!("rowspan: {}", c.rowspan));
            }
            if let Some(a) = alignment(&c) {
                args.push(format!("align: {a}"));
            }
            let cell = format!("table.cell({}){inner}", args.join(", "));
            if *in_head { header.push(cell) } else { body.push(cell) }
        }
    }
    if !header.is_empty() {
        let _ = write!(out, ", table.header({})", header.join(", "));
    }
    for cell in body {
        let _ = write!(out, ", {cell}");
    }
    out.push_str(")\n");
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The tree as clean HTML for the preview: only the allowed elements and attributes, text escaped, images
/// from `image_url(name)` (none: left out).
pub fn to_html(nodes: &[Node], image_url: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    html_nodes(nodes, image_url, &mut out);
    out
}

fn html_nodes(nodes: &[Node], image_url: &dyn Fn(&str) -> Option<String>, out: &mut String) {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(&escape_html(t)),
            Node::Element(el) => {
                if el.name == "img" {
                    if let Some(url) = el.src.and_then(image_url) {
                        let mut style = String::new();
                        if let Some(w) = el.width {
                            let _ = write!(style, "width:{};", w.css());
                        }
                        if let Some(h) = el.height {
                            let _ = write!(style, "height:{};", h.css());
                        }
                        let _ = write!(out, "<img src=\"{}\" alt=\"\" style=\"{style}\">", escape_html(&url));
                    }
                    continue;
                }
                let _ = write!(out, "<{}", el.name);
                if !el.classes.is_empty() {
                    let classes: Vec<String> = el.classes.iter().map(|c| format!("doc-{c}")).collect();
                    let _ = write!(out, " class=\"{}\"", classes.join(" "));
                }
                if el.colspan > 1 {
                    let _ = write!(out, " colspan=\"{}\"", el.colspan);
                }
                if el.rowspan > 1 {
                    let _ = write!(out, " rowspan=\"{}\"", el.rowspan);
                }
                if let Some(w) = el.width {
                    let _ = write!(out, " style=\"width:{}\"", w.css());
                }
                out.push('>');
                if VOID.contains(&el.name) {
                    continue;
                }
                html_nodes(&el.children, image_url, out);
                let _ = write!(out, "</{}>", el.name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_on_the_list_with_its_line() {
        assert_eq!(check_source("<p>a</p>\n<script>x</script>"), Err(MarkupError::Element { line: 2 }));
        assert_eq!(check_source("<p\n onclick=\"x\">"), Err(MarkupError::Attribute { line: 1 }));
        assert_eq!(check_source("<p>\n\n<p style=\"color:red\">"), Err(MarkupError::Attribute { line: 3 }));
        assert_eq!(check_source("<td class=\"right evil\">"), Err(MarkupError::Attribute { line: 1 }));
        assert_eq!(check_source("<img src=\"http://x/y.png\">"), Err(MarkupError::Attribute { line: 1 }));
        assert_eq!(check_source("<p>1 < 2"), Err(MarkupError::Syntax { line: 1 }));
        assert_eq!(check_source("<!-- <script> -->\n<td colspan=\"2\" width=\"30%\">{{ x }}</td>"), Ok(()));
    }

    #[test]
    fn text_reaches_typst_as_strings_only() {
        let nodes = parse("<p class=\"right\">Say \"#exit()\" &amp; [*x*] \\ $y$</p>").unwrap();
        let t = to_typst(&nodes);
        assert!(t.contains(r##"#align(right)[#"Say \"#exit()\" & [*x*] \\ $y$"]"##), "{t}");
    }

    #[test]
    fn tables_lenient_structure_and_clean_preview() {
        let html = "<table><thead><tr><th width=\"10%\">№</th><th>Name</th></tr></thead>\
                    <tbody><tr><td>1<td class=\"right\">A &lt;b&gt;</tr></tbody></table><b>open";
        let nodes = parse(html).unwrap();
        let t = to_typst(&nodes);
        assert!(t.contains("#table(columns: (10.00%, 1fr,), stroke: 0.5pt"), "{t}");
        assert!(t.contains("table.header(table.cell()[#strong[#\"№\"]]"), "{t}");
        assert!(t.contains("table.cell(align: right)[#\"A <b>\"]"), "{t}");
        let h = to_html(&nodes, &|_| None);
        assert!(h.contains("<td class=\"doc-right\">A &lt;b&gt;</td>"), "{h}");
        assert!(h.ends_with("<b>open</b>"), "{h}");
    }
}
