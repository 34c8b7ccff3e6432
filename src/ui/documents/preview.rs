//! Previews of attached documents in the window: a PNG or JPEG image, or the first page of a
//! PDF, decoded in a background job into one picture no larger than a box (1200 px on the
//! long side), shown as one texture.
//!
//! What the bytes are is read from the bytes themselves (their magic number), not from the
//! file name. Decoding is bounded (image size and memory limits), runs off the window's
//! thread, and never panics: a file that cannot be decoded gives an Italian message. The
//! bytes of the document are dropped as soon as the picture is made; only the picture (at
//! most 1200 × 1200 pixels) stays, as one texture, while the preview is open.

use crate::ui::jobs::Job;
use egui::{ColorImage, TextureHandle, TextureOptions, Ui};

/// The long side of a preview, in pixels.
pub const MAX_SIDE: u32 = 1200;

/// Images larger than this on either side are not decoded (a "decompression bomb" is
/// refused instead of eating the memory).
const MAX_SOURCE_SIDE: u32 = 20_000;

/// Memory a decoder may take for one image.
const MAX_ALLOC: u64 = 512 * 1024 * 1024;

#[derive(Debug)]
/// A decoded preview: the picture and, for a PDF, how many pages the document has.
pub struct Decoded {
    /// The picture, at most [`MAX_SIDE`] pixels on its long side.
    pub image: ColorImage,
    /// Pages of a PDF (`None` for an image).
    pub pages: Option<usize>,
}

/// What the first bytes say the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Png,
    Jpeg,
    Pdf,
}

fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"%PDF-") {
        Some(Format::Pdf)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Format::Jpeg)
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(Format::Png)
    } else {
        None
    }
}

thread_local! {
    static DECODING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// True while this thread decodes a preview: a panic there is a damaged file, caught and
/// reported as such (the program's panic hook stays quiet).
pub fn decoding() -> bool {
    DECODING.with(|d| d.get())
}

/// Decodes `bytes` (a PNG, a JPEG or a PDF, told by their content) into a picture that fits
/// a `max_side` × `max_side` box, keeping the proportions. Never panics: whatever goes
/// wrong, even inside a decoder, comes back as an Italian message.
pub fn decode(bytes: &[u8], max_side: u32) -> Result<Decoded, String> {
    let max_side = max_side.clamp(16, 4096);
    let format = sniff(bytes).ok_or_else(|| {
        "Anteprima non disponibile: il file non è un PDF, un JPEG o un PNG.".to_string()
    })?;
    // A decoder bug on a malformed file must not take the window down.
    DECODING.with(|d| d.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match format {
        Format::Pdf => decode_pdf(bytes, max_side),
        Format::Png | Format::Jpeg => decode_image(bytes, format, max_side),
    }));
    DECODING.with(|d| d.set(false));
    result.unwrap_or_else(|_| Err(damaged(format)))
}

fn damaged(format: Format) -> String {
    match format {
        Format::Pdf => "Anteprima non disponibile per questo PDF: usa «Apri».".into(),
        Format::Png | Format::Jpeg => {
            "Anteprima non disponibile: l'immagine è danneggiata o incompleta.".into()
        }
    }
}

fn decode_image(bytes: &[u8], format: Format, max_side: u32) -> Result<Decoded, String> {
    let fmt = match format {
        Format::Png => image::ImageFormat::Png,
        _ => image::ImageFormat::Jpeg,
    };
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), fmt);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SOURCE_SIDE);
    limits.max_image_height = Some(MAX_SOURCE_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => {
            "Anteprima non disponibile: l'immagine è troppo grande per essere mostrata; usa «Apri»."
                .to_string()
        }
        _ => damaged(format),
    })?;
    let img = if img.width() > max_side || img.height() > max_side {
        img.thumbnail(max_side, max_side)
    } else {
        img
    };
    let rgba = img.to_rgba8();
    let size = [rgba.width() as usize, rgba.height() as usize];
    if size[0] == 0 || size[1] == 0 {
        return Err(damaged(format));
    }
    Ok(Decoded {
        image: ColorImage::from_rgba_unmultiplied(size, rgba.as_raw()),
        pages: None,
    })
}

fn decode_pdf(bytes: &[u8], max_side: u32) -> Result<Decoded, String> {
    use hayro::hayro_interpret::InterpreterSettings;
    use hayro::hayro_syntax::{LoadPdfError, Pdf};
    use hayro::vello_cpu::color::palette::css::WHITE;
    use hayro::{PixmapSettings, RenderCache, RenderSettings, render};

    let pdf = Pdf::new(bytes.to_vec()).map_err(|e| match e {
        LoadPdfError::Decryption(_) => {
            "Anteprima non disponibile: il PDF è protetto da password; usa «Apri».".to_string()
        }
        LoadPdfError::Invalid => damaged(Format::Pdf),
    })?;
    let pages = pdf.pages();
    let count = pages.len();
    let Some(page) = pages.first() else {
        return Err("Anteprima non disponibile: il PDF non ha pagine.".into());
    };
    let (w, h) = page.render_dimensions();
    let long = w.max(h);
    if !long.is_finite() || long < 1.0 || w < 1.0 || h < 1.0 {
        return Err(damaged(Format::Pdf));
    }
    let scale = max_side as f32 / long;
    let settings = PixmapSettings {
        x_scale: scale,
        y_scale: scale,
        bg_color: WHITE,
    };
    let pixmap = render(
        page,
        &RenderCache::new(),
        &InterpreterSettings::default(),
        &RenderSettings::default(),
        &settings,
    );
    let size = [pixmap.width() as usize, pixmap.height() as usize];
    if size[0] == 0 || size[1] == 0 {
        return Err(damaged(Format::Pdf));
    }
    // On a white background every pixel is opaque: premultiplied is plain RGBA.
    Ok(Decoded {
        image: ColorImage::from_rgba_premultiplied(size, pixmap.data_as_u8_slice()),
        pages: Some(count),
    })
}

/// Where a preview stands.
enum State {
    /// Nothing asked.
    Empty,
    /// Reading and decoding in the background.
    Loading(Job<Decoded>),
    /// The picture, as a texture, and the pages of a PDF.
    Ready(TextureHandle, Option<usize>),
    /// Why there is no picture.
    Failed(String),
}

/// One preview at a time, shown in a screen: started with [`PreviewPane::start`], drawn by
/// [`PreviewPane::ui`]. Holds one texture; starting another preview replaces it.
pub struct PreviewPane {
    /// What is being previewed (the screen's key: a document id), if anything.
    pub showing: Option<crate::domain::Id>,
    state: State,
}

impl Default for PreviewPane {
    fn default() -> Self {
        PreviewPane {
            showing: None,
            state: State::Empty,
        }
    }
}

impl PreviewPane {
    /// Starts previewing `key`: `load` reads the bytes (from the store) and runs in a
    /// background job with the decoding; the bytes are dropped there once decoded.
    pub fn start(
        &mut self,
        ctx: &egui::Context,
        key: crate::domain::Id,
        load: impl FnOnce() -> Result<Vec<u8>, String> + Send + 'static,
    ) {
        self.showing = Some(key);
        self.state = State::Loading(Job::spawn(ctx, move |_| {
            let bytes = load()?;
            decode(&bytes, MAX_SIDE)
        }));
    }

    /// Closes the preview and frees its texture.
    pub fn close(&mut self) {
        self.showing = None;
        self.state = State::Empty;
    }

    /// True while the bytes are being read and decoded.
    pub fn loading(&self) -> bool {
        matches!(self.state, State::Loading(_))
    }

    /// The message when the preview could not be made.
    pub fn error(&self) -> Option<&str> {
        match &self.state {
            State::Failed(e) => Some(e),
            _ => None,
        }
    }

    /// The size of the picture in pixels, once decoded.
    pub fn picture_size(&self) -> Option<[usize; 2]> {
        match &self.state {
            State::Ready(t, _) => Some(t.size()),
            _ => None,
        }
    }

    /// Takes the decoded picture when the job has finished (a texture is made of it).
    pub fn poll(&mut self, ctx: &egui::Context) {
        if let State::Loading(job) = &mut self.state {
            match job.poll() {
                Some(Ok(d)) => {
                    let texture =
                        ctx.load_texture("document-preview", d.image, TextureOptions::LINEAR);
                    self.state = State::Ready(texture, d.pages);
                }
                Some(Err(e)) => self.state = State::Failed(e),
                None => ctx.request_repaint_after(std::time::Duration::from_millis(100)),
            }
        }
    }

    /// Draws the preview, fitted to `max` (width, height) points; nothing when empty.
    pub fn ui(&mut self, ui: &mut Ui, max: egui::Vec2) {
        self.poll(ui.ctx());
        match &self.state {
            State::Empty => {}
            State::Loading(_) => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(crate::tr!("documents-preview-loading"));
                });
            }
            State::Failed(e) => {
                ui.colored_label(ui.visuals().warn_fg_color, e);
            }
            State::Ready(texture, pages) => {
                if let Some(n) = pages {
                    ui.weak(crate::tr!(
                        "documents-preview-first-page",
                        pages = *n as i64
                    ));
                }
                let size = texture.size_vec2();
                let fit = (max.x / size.x).min(max.y / size.y).clamp(0.05, 1.0);
                ui.add(
                    egui::Image::new(texture)
                        .fit_to_exact_size(size * fit)
                        .alt_text(crate::tr!("documents-preview-alt")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A PNG of `w` × `h` pixels, all one colour.
    pub(crate) fn png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut wr = enc.write_header().unwrap();
        wr.write_image_data(&vec![200u8; (w * h * 3) as usize])
            .unwrap();
        wr.finish().unwrap();
        out
    }

    fn pdf_one_page() -> Vec<u8> {
        use pdf_writer::{Content, Pdf, Rect, Ref};
        let mut pdf = Pdf::new();
        let (catalog, tree, page, content) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4));
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree).kids([page]).count(1);
        let mut p = pdf.page(page);
        p.media_box(Rect::new(0.0, 0.0, 595.0, 842.0));
        p.parent(tree);
        p.contents(content);
        drop(p);
        let mut c = Content::new();
        c.set_fill_rgb(0.0, 0.0, 0.0);
        c.rect(100.0, 100.0, 200.0, 300.0);
        c.fill_nonzero();
        pdf.stream(content, &c.finish());
        pdf.finish()
    }

    #[test]
    fn a_large_png_is_scaled_into_the_box() {
        let d = decode(&png(3000, 1500), 1200).unwrap();
        assert_eq!(d.image.size, [1200, 600]);
        assert_eq!(d.pages, None);
    }

    #[test]
    fn a_small_png_keeps_its_size() {
        let d = decode(&png(40, 30), 1200).unwrap();
        assert_eq!(d.image.size, [40, 30]);
    }

    #[test]
    fn a_jpeg_decodes() {
        let mut out = Vec::new();
        let img = image::RgbImage::from_pixel(64, 32, image::Rgb([10, 200, 30]));
        image::DynamicImage::ImageRgb8(img)
            .write_to(
                &mut std::io::Cursor::new(&mut out),
                image::ImageFormat::Jpeg,
            )
            .unwrap();
        let d = decode(&out, 1200).unwrap();
        assert_eq!(d.image.size, [64, 32]);
    }

    #[test]
    fn the_first_page_of_a_pdf_is_rendered() {
        let d = decode(&pdf_one_page(), 1200).unwrap();
        assert_eq!(d.pages, Some(1));
        assert_eq!(d.image.size[1], 1200, "the long side fills the box");
        assert!(
            (d.image.size[0] as i64 - 848).abs() <= 1,
            "{:?}",
            d.image.size
        );
        // The black rectangle is there, on white.
        let px = |x: usize, y: usize| d.image.pixels[y * d.image.size[0] + x];
        assert_eq!(px(5, 5), egui::Color32::WHITE);
        assert_eq!(px(300, 900), egui::Color32::BLACK);
    }

    #[test]
    fn what_is_not_a_document_is_refused_in_italian() {
        let e = decode(b"GIF89a....", 1200).unwrap_err();
        assert!(e.contains("non è un PDF"), "{e}");
        let e = decode(b"%PDF-1.7 garbage", 1200).unwrap_err();
        assert!(e.contains("usa «Apri»"), "{e}");
        let mut truncated = png(50, 50);
        truncated.truncate(40);
        assert!(decode(&truncated, 1200).is_err());
    }

    #[test]
    fn an_image_too_large_to_decode_is_refused() {
        // A header that claims 30 000 × 30 000 pixels.
        let mut bytes = png(1, 1);
        bytes[16..20].copy_from_slice(&30_000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&30_000u32.to_be_bytes());
        assert!(decode(&bytes, 1200).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Whatever the bytes, behind whatever magic number, decoding answers without
        /// panicking.
        #[test]
        fn arbitrary_bytes_never_panic(
            head in prop_oneof![
                Just(b"%PDF-1.4\n".to_vec()),
                Just(vec![0xFF, 0xD8, 0xFF, 0xE0]),
                Just(vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]),
                Just(Vec::new()),
            ],
            tail in proptest::collection::vec(any::<u8>(), 0..2048),
        ) {
            let mut bytes = head;
            bytes.extend(tail);
            let _ = decode(&bytes, 300);
        }

        /// A valid PNG cut anywhere, or with a byte changed, never panics either.
        #[test]
        fn damaged_pngs_never_panic(cut in 0usize..400, at in 0usize..400, byte in any::<u8>()) {
            let mut bytes = png(20, 10);
            if at < bytes.len() {
                bytes[at] = byte;
            }
            bytes.truncate(cut.max(8));
            let _ = decode(&bytes, 300);
        }

        /// A valid PDF with a byte changed never panics.
        #[test]
        fn damaged_pdfs_never_panic(at in 0usize..1000, byte in any::<u8>()) {
            let mut bytes = pdf_one_page();
            let n = bytes.len();
            bytes[at % n] = byte;
            let _ = decode(&bytes, 300);
        }
    }
}
