//! PDF files of Jalon's printed documents, set by Typst used as a library
//! inside the server (no program to install, nothing run outside the
//! process; why this engine: `docs/documents.md`).
//!
//! One layout (`page.typ`) for every document; the document itself (an
//! `app::wire::documents::Document`, the same sections the screen shows)
//! is handed over as JSON in `sys.inputs`, so a text typed by someone is
//! always shown as text, never read as Typst markup. The layout reads no
//! file: the only font files are Typst's own, compiled into the server and
//! embedded in each PDF.
use std::sync::OnceLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Dict, IntoValue, Str};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use app::error::AppError;
use app::wire::documents::Document;

mod routes;
pub use routes::routes;

const LAYOUT: &str = include_str!("page.typ");

/// The fonts, read once per process.
fn fonts() -> &'static (LazyHash<FontBook>, Vec<Font>) {
    static FONTS: OnceLock<(LazyHash<FontBook>, Vec<Font>)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
    })
}

/// What Typst may see: the layout, the document in `sys.inputs`, the fonts.
struct Press {
    library: LazyHash<Library>,
    layout: Source,
}

impl World for Press {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().0
    }

    fn main(&self) -> FileId {
        self.layout.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.layout.id() {
            Ok(self.layout.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().1.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        let today = app::backend::db::today_paris();
        use chrono::Datelike;
        Datetime::from_ymd(today.year(), today.month() as u8, today.day() as u8)
    }
}

/// The PDF of `doc` (A4, the structure's name and the page number on every
/// page, fonts embedded).
pub fn pdf(doc: &Document) -> Result<Vec<u8>, AppError> {
    let json = serde_json::to_string(doc).map_err(|_| AppError::Internal)?;
    let mut inputs = Dict::new();
    inputs.insert(Str::from("doc"), Str::from(json.as_str()).into_value());
    let press = Press {
        library: LazyHash::new(Library::builder().with_inputs(inputs).build()),
        layout: Source::detached(LAYOUT),
    };
    let paged: PagedDocument = typst::compile(&press).output.map_err(|errors| {
        tracing::error!(?errors, "a document could not be set");
        AppError::Internal
    })?;
    let pdf = typst_pdf::pdf(&paged, &typst_pdf::PdfOptions::default()).map_err(|errors| {
        tracing::error!(?errors, "a document could not be written as PDF");
        AppError::Internal
    });
    // Typst remembers layouts to set the next document faster; keep only
    // what the last few documents used, so a server that runs for months
    // does not grow with every PDF it made.
    typst::comemo::evict(10);
    pdf
}
