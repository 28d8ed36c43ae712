//! QR codes of invoice links, for print: one code as PNG or SVG, and an A4 sheet (PDF) with a
//! code per paid invoice, each with its invoice number and a one-line caption.
//!
//! The sheet embeds DejaVu Sans (the charts' copy, `src/charts/`, its licence beside it), which has
//! every Vietnamese letter, so the caption prints the same on any printer.

use std::io::Cursor;

use printpdf::{Color, IndirectFontRef, Mm, PdfDocument, PdfLayerReference, Rect, Rgb};
use qrcode::{EcLevel, QrCode};

/// The font of the sheet's text.
const FONT: &[u8] = include_bytes!("charts/DejaVuSans.ttf");

#[derive(Debug, thiserror::Error)]
pub enum QrError {
    #[error("the link does not fit in a QR code: {0}")]
    Code(#[from] qrcode::types::QrError),
    #[error("writing the PNG: {0}")]
    Png(#[from] image::ImageError),
    #[error("writing the PDF: {0}")]
    Pdf(String),
}

/// One code to print: the link, the invoice number under it, and a caption line.
#[derive(Debug, Clone)]
pub struct Label {
    pub link: String,
    pub invoice: String,
    pub caption: String,
}

fn code(link: &str) -> Result<QrCode, QrError> {
    // Level M survives a crease or a stain on paper and keeps the code small.
    Ok(QrCode::with_error_correction_level(
        link.as_bytes(),
        EcLevel::M,
    )?)
}

/// The code as a PNG (black on white, at least 512 pixels wide, with the quiet zone).
pub fn png(link: &str) -> Result<Vec<u8>, QrError> {
    let img = code(link)?
        .render::<image::Luma<u8>>()
        .min_dimensions(512, 512)
        .build();
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)?;
    Ok(out.into_inner())
}

/// The code as an SVG document.
pub fn svg(link: &str) -> Result<String, QrError> {
    Ok(code(link)?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(256, 256)
        .build())
}

/// Page geometry, in millimetres: A4, two columns of four.
const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const COLS: usize = 2;
const ROWS: usize = 4;
const MARGIN: f32 = 12.0;
const CODE_MM: f32 = 46.0;

/// An A4 sheet (as many pages as needed) with every label: the code, the invoice number, the
/// caption. `title` names the document.
pub fn sheet(title: &str, labels: &[Label]) -> Result<Vec<u8>, QrError> {
    let (doc, page, layer) = PdfDocument::new(title, Mm(PAGE_W), Mm(PAGE_H), "codes");
    let font = doc
        .add_external_font(Cursor::new(FONT))
        .map_err(|e| QrError::Pdf(e.to_string()))?;
    let cell_w = (PAGE_W - 2.0 * MARGIN) / COLS as f32;
    let cell_h = (PAGE_H - 2.0 * MARGIN) / ROWS as f32;
    let mut layer_ref = doc.get_page(page).get_layer(layer);
    for (i, label) in labels.iter().enumerate() {
        let on_page = i % (COLS * ROWS);
        if i > 0 && on_page == 0 {
            let (p, l) = doc.add_page(Mm(PAGE_W), Mm(PAGE_H), "codes");
            layer_ref = doc.get_page(p).get_layer(l);
        }
        let (col, row) = (on_page % COLS, on_page / COLS);
        let left = MARGIN + col as f32 * cell_w;
        let top = PAGE_H - MARGIN - row as f32 * cell_h;
        draw_label(&layer_ref, &font, label, left, top, cell_w)?;
    }
    doc.save_to_bytes().map_err(|e| QrError::Pdf(e.to_string()))
}

fn draw_label(
    layer: &PdfLayerReference,
    font: &IndirectFontRef,
    label: &Label,
    left: f32,
    top: f32,
    cell_w: f32,
) -> Result<(), QrError> {
    let qr = code(&label.link)?;
    let width = qr.width();
    // Four modules of quiet zone on each side.
    let module = CODE_MM / (width + 8) as f32;
    let x0 = left + (cell_w - CODE_MM) / 2.0 + 4.0 * module;
    let y0 = top - 4.0 * module;
    layer.set_fill_color(Color::Rgb(Rgb::new(0.0, 0.0, 0.0, None)));
    for (i, color) in qr.to_colors().into_iter().enumerate() {
        if color != qrcode::Color::Dark {
            continue;
        }
        let (cx, cy) = ((i % width) as f32, (i / width) as f32);
        // A hair wider than a module, so that neighbours print without white seams.
        layer.add_rect(Rect::new(
            Mm(x0 + cx * module),
            Mm(y0 - (cy + 1.0) * module - 0.01),
            Mm(x0 + (cx + 1.0) * module + 0.01),
            Mm(y0 - cy * module),
        ));
    }
    let text_left = left + 4.0;
    layer.use_text(
        &label.invoice,
        13.0,
        Mm(text_left),
        Mm(top - CODE_MM - 5.0),
        font,
    );
    // 7 pt: the Vietnamese caption (about 60 characters) stays within the cell.
    layer.use_text(
        &label.caption,
        7.0,
        Mm(text_left),
        Mm(top - CODE_MM - 11.0),
        font,
    );
    Ok(())
}
