//! PDF from Typst markup, with the Typst compiler embedded: no external program at run time. The fonts are
//! Typst's own (Libertinus Serif, with every letter of Uzbek Latin and Cyrillic and of Russian, and DejaVu
//! Sans Mono), compiled into the binary and parsed once; the company's images (stamp, signatures, logo) are
//! the only files a document can read.

use std::sync::LazyLock;

use chrono::Datelike;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
    Fonts { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// Parses the fonts and builds the standard library now, so that the first document is as fast as the rest.
pub fn warm_up() {
    LazyLock::force(&FONTS);
    LazyLock::force(&LIBRARY);
}

fn file_id(path: &str) -> FileId {
    // A handful of fixed paths: Typst interns file ids for the life of the process.
    FileId::new(RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("a valid virtual path")))
}

struct DocWorld {
    main: Source,
    files: Vec<(FileId, Bytes)>,
    today: chrono::NaiveDate,
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.iter().find(|(f, _)| *f == id).map(|(_, b)| b.clone()).ok_or(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        let d = self.today;
        Datetime::from_ymd(d.year(), d.month() as u8, d.day() as u8)
    }
}

/// A company's image a document may show: its name in templates (`stamp`) and its bytes (PNG or JPEG).
pub struct Image {
    pub name: &'static str,
    pub data: Vec<u8>,
}

fn extension(data: &[u8]) -> &'static str {
    if data.starts_with(&[0xFF, 0xD8]) { "jpg" } else { "png" }
}

/// The preamble every document starts with: page, font, language, and `image-path`, the images there are.
pub fn preamble(lang: &str, images: &[Image]) -> String {
    let paths: Vec<String> =
        images.iter().map(|i| format!("\"{}\": \"/{}.{}\"", i.name, i.name, extension(&i.data))).collect();
    format!(
        "#set page(paper: \"a4\", margin: (top: 1.6cm, bottom: 1.6cm, left: 2cm, right: 1.4cm))\n\
         #set text(font: \"Libertinus Serif\", size: 10.5pt, lang: \"{lang}\", hyphenate: false)\n\
         #set par(leading: 0.55em, spacing: 0.65em)\n\
         #let image-path = ({})\n",
        if paths.is_empty() { ":".to_string() } else { paths.join(", ") + "," }
    )
}

/// Typesets `body` (Typst markup, after [`preamble`]) into a PDF. CPU-bound: call it off the async runtime.
/// An error is the compiler's first message (the markup is generated, so it is a bug or a broken image).
pub fn pdf(body: &str, lang: &str, images: Vec<Image>, today: chrono::NaiveDate) -> Result<Vec<u8>, String> {
    let text = format!("{}{body}", preamble(lang, &images));
    let files = images
        .into_iter()
        .map(|i| (file_id(&format!("/{}.{}", i.name, extension(&i.data))), Bytes::new(i.data)))
        .collect();
    let world = DocWorld { main: Source::new(file_id("/main.typ"), text), files, today };
    let document: PagedDocument = typst::compile(&world).output.map_err(|errors| {
        errors.first().map(|e| e.message.to_string()).unwrap_or_else(|| "typesetting failed".into())
    })?;
    let options = typst_pdf::PdfOptions {
        creator: typst::foundations::Smart::Custom(Some("Karvon".into())),
        ..Default::default()
    };
    typst_pdf::pdf(&document, &options)
        .map_err(|errors| errors.first().map(|e| e.message.to_string()).unwrap_or_else(|| "PDF export failed".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_font_has_every_letter_of_the_three_languages() {
        let alphabet = "AaBbDdEeFfGgHhIiJjKkLlMmNnOoPpQqRrSsTtUuVvXxYyZz Oʻoʻ Gʻgʻ ʼ \
                        АаБбВвГгДдЕеЁёЖжЗзИиЙйКкЛлМмНнОоПпРрСсТтУуФфХхЦцЧчШшЩщЪъЫыЬьЭэЮюЯя ЎўҚқҒғҲҳ №«»—–";
        let font = FONTS
            .fonts
            .iter()
            .find(|f| f.info().family == "Libertinus Serif" && f.info().variant.weight.to_number() == 400)
            .expect("Libertinus Serif Regular");
        let missing: String =
            alphabet.chars().filter(|c| !c.is_whitespace() && !font.info().coverage.contains(*c as u32)).collect();
        assert_eq!(missing, "");
    }

    #[test]
    fn typesets_a_page_with_an_image() {
        // A 1×1 PNG.
        let png = vec![
            0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
            0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00,
            0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF,
            0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
        ];
        let body = "#\"Hisob-faktura № 1: Toʻrt ming soʻm\" #if \"stamp\" in image-path { image(image-path.at(\"stamp\"), width: 2cm) }";
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let pdf = pdf(body, "uz", vec![Image { name: "stamp", data: png }], day).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        // Broken markup is an error, never a panic.
        assert!(super::pdf("#table(", "uz", Vec::new(), day).is_err());
    }
}
