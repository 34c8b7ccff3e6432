//! A small A4 page writer over `pdf-writer`: the embedded DejaVu fonts (regular and bold,
//! every glyph, so accents and "€" render and `pdftotext` reads them back), text wrapped
//! within the page width, new pages when a page is full, and on every page a header (the
//! cooperative, the desk, «documento riservato», the date of print) and «pagina N di M»;
//! tables whose header repeats on every page, and signature lines.

use flate2::{Compression, write::ZlibEncoder};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::OnceLock;

mod table;
pub use table::{Align, Column, RowStyle};

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// A4 in points.
const PAGE_W: f32 = 595.276;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 50.0;
const TOP: f32 = PAGE_H - 90.0;
const BOTTOM: f32 = 60.0;

/// The style of a line of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// The document's title.
    Title,
    /// A section heading.
    Heading,
    /// A sub-heading (one record).
    Sub,
    /// Ordinary text.
    Body,
    /// Small grey text (notes on what is not shown).
    Small,
}

impl Style {
    fn size(self) -> f32 {
        match self {
            Style::Title => 16.0,
            Style::Heading => 13.0,
            Style::Sub => 10.5,
            Style::Body => 10.0,
            Style::Small => 8.5,
        }
    }
    fn bold(self) -> bool {
        matches!(self, Style::Title | Style::Heading | Style::Sub)
    }
}

/// The header repeated on every page.
#[derive(Debug, Clone)]
pub struct Header {
    /// The cooperative's name.
    pub cooperative: String,
    /// The desk (sportello).
    pub desk: String,
    /// The date of print, already formatted.
    pub printed: String,
}

struct FontData {
    face: ttf_parser::Face<'static>,
    bytes: &'static [u8],
    compressed: OnceLock<Vec<u8>>,
}

fn fonts() -> &'static [FontData; 2] {
    static F: OnceLock<[FontData; 2]> = OnceLock::new();
    F.get_or_init(|| {
        let load = |bytes: &'static [u8]| FontData {
            face: ttf_parser::Face::parse(bytes, 0).expect("embedded DejaVu font"),
            bytes,
            compressed: OnceLock::new(),
        };
        [load(REGULAR), load(BOLD)]
    })
}

impl FontData {
    fn glyph(&self, c: char) -> u16 {
        self.face
            .glyph_index(c)
            .or_else(|| self.face.glyph_index('?'))
            .map(|g| g.0)
            .unwrap_or(0)
    }
    /// Advance of a glyph in thousandths of the font size.
    fn advance(&self, g: u16) -> f32 {
        let upem = self.face.units_per_em() as f32;
        self.face
            .glyph_hor_advance(ttf_parser::GlyphId(g))
            .unwrap_or(0) as f32
            * 1000.0
            / upem
    }
    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| self.advance(self.glyph(c)))
            .sum::<f32>()
            * size
            / 1000.0
    }
    fn compressed(&self) -> &[u8] {
        self.compressed.get_or_init(|| deflate(self.bytes))
    }
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut e = ZlibEncoder::new(Vec::new(), Compression::fast());
    e.write_all(bytes).expect("deflate into memory");
    e.finish().expect("deflate into memory")
}

/// One run of text placed on a page.
struct Run {
    x: f32,
    y: f32,
    bold: bool,
    size: f32,
    gray: f32,
    text: String,
}

/// A document being laid out, page by page.
pub struct Document {
    header: Header,
    pages: Vec<Vec<Run>>,
    /// Thin lines per page: from x1 to x2 at height y.
    rules: Vec<Vec<(f32, f32, f32)>>,
    y: f32,
    used: [BTreeMap<u16, char>; 2],
}

impl Document {
    /// An empty document with its header.
    pub fn new(header: Header) -> Self {
        let mut d = Document {
            header,
            pages: Vec::new(),
            rules: Vec::new(),
            y: TOP,
            used: [BTreeMap::new(), BTreeMap::new()],
        };
        d.new_page();
        d
    }

    /// How many pages so far.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.rules.push(Vec::new());
        self.y = TOP;
    }

    fn place(&mut self, x: f32, y: f32, bold: bool, size: f32, gray: f32, text: String) {
        let last = self.pages.len() - 1;
        self.place_on(last, x, y, bold, size, gray, text);
    }

    #[allow(clippy::too_many_arguments)]
    fn place_on(
        &mut self,
        page: usize,
        x: f32,
        y: f32,
        style_bold: bool,
        size: f32,
        gray: f32,
        text: String,
    ) {
        let f = &fonts()[style_bold as usize];
        for c in text.chars() {
            self.used[style_bold as usize].insert(f.glyph(c), c);
        }
        self.pages[page].push(Run {
            x,
            y,
            bold: style_bold,
            size,
            gray,
            text,
        });
    }

    /// Vertical space (points); a new page when the page is full.
    pub fn space(&mut self, pts: f32) {
        self.y -= pts;
        if self.y < BOTTOM {
            self.new_page();
        }
    }

    /// A thin line from `x1` to `x2` at the current height.
    fn rule(&mut self, x1: f32, x2: f32) {
        let y = self.y;
        self.rules.last_mut().expect("a page").push((x1, x2, y));
    }

    /// A paragraph wrapped within the page width, indented by `indent` points; it goes on
    /// to the next page when the page is full. Line breaks in `text` are kept.
    pub fn text(&mut self, style: Style, indent: f32, text: &str) {
        let size = style.size();
        let lead = size * 1.35;
        let width = PAGE_W - 2.0 * MARGIN - indent;
        let gray = if style == Style::Small { 0.35 } else { 0.0 };
        // A heading does not stay alone at the bottom of a page.
        let keep = if matches!(style, Style::Heading | Style::Title) {
            lead * 3.0
        } else {
            lead
        };
        if self.y - keep < BOTTOM {
            self.new_page();
        }
        for line in wrap(&fonts()[style.bold() as usize], text, size, width) {
            if self.y - lead < BOTTOM {
                self.new_page();
            }
            self.y -= lead;
            self.place(MARGIN + indent, self.y, style.bold(), size, gray, line);
        }
        if style == Style::Heading {
            self.y -= 3.0;
            self.rule(MARGIN, PAGE_W - MARGIN);
            self.y -= 4.0;
        }
    }

    /// A label and its value on one line (the value wraps under itself).
    pub fn field(&mut self, label: &str, value: &str) {
        if value.trim().is_empty() {
            return;
        }
        let size = Style::Body.size();
        let lead = size * 1.35;
        let col = 150.0;
        let lines = wrap(&fonts()[0], value, size, PAGE_W - 2.0 * MARGIN - col);
        for (i, line) in lines.into_iter().enumerate() {
            if self.y - lead < BOTTOM {
                self.new_page();
            }
            self.y -= lead;
            if i == 0 {
                self.place(MARGIN, self.y, true, size, 0.25, format!("{label}:"));
            }
            self.place(MARGIN + col, self.y, false, size, 0.0, line);
        }
    }

    /// The finished PDF: headers and page numbers on every page, fonts embedded.
    pub fn finish(mut self, title: &str) -> Vec<u8> {
        let total = self.pages.len();
        let h = self.header.clone();
        let right = |s: &str, size: f32, bold: bool| {
            PAGE_W - MARGIN - fonts()[bold as usize].width(s, size)
        };
        let top = PAGE_H - 40.0;
        for i in 0..total {
            let riservato = "DOCUMENTO RISERVATO";
            let printed = format!("Stampato il {}", h.printed);
            let n = format!("pagina {} di {}", i + 1, total);
            let runs = [
                (MARGIN, top, true, 9.5, h.cooperative.clone()),
                (
                    right(riservato, 9.5, true),
                    top,
                    true,
                    9.5,
                    riservato.to_string(),
                ),
                (MARGIN, top - 13.0, false, 8.5, h.desk.clone()),
                (
                    right(&printed, 8.5, false),
                    top - 13.0,
                    false,
                    8.5,
                    printed.clone(),
                ),
                (MARGIN, 35.0, false, 8.5, title.to_string()),
                (right(&n, 8.5, false), 35.0, false, 8.5, n.clone()),
            ];
            for (x, y, bold, size, text) in runs {
                self.place_on(i, x, y, bold, size, 0.2, text);
            }
        }
        self.write(title)
    }

    fn write(self, title: &str) -> Vec<u8> {
        let mut pdf = Pdf::new();
        let mut next = 1;
        let mut alloc = || {
            next += 1;
            Ref::new(next - 1)
        };
        let catalog = alloc();
        let tree = alloc();
        let info = alloc();
        let font_refs: Vec<[Ref; 5]> = (0..2)
            .map(|_| [alloc(), alloc(), alloc(), alloc(), alloc()])
            .collect();
        let page_refs: Vec<(Ref, Ref)> = self.pages.iter().map(|_| (alloc(), alloc())).collect();

        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree)
            .kids(page_refs.iter().map(|p| p.0))
            .count(page_refs.len() as i32);
        pdf.document_info(info)
            .title(pdf_writer::TextStr(title))
            .producer(pdf_writer::TextStr("Accoglienza"));
        let names = [Name(b"F0"), Name(b"F1")];
        for (i, refs) in font_refs.iter().enumerate() {
            write_font(&mut pdf, &fonts()[i], refs, &self.used[i], i == 1);
        }
        for (runs, rules, (page_ref, content_ref)) in self
            .pages
            .iter()
            .zip(&self.rules)
            .zip(&page_refs)
            .map(|((r, l), p)| (r, l, p))
        {
            let mut page = pdf.page(*page_ref);
            page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
                .parent(tree)
                .contents(*content_ref);
            let mut res = page.resources();
            let mut f = res.fonts();
            f.pair(names[0], font_refs[0][0]);
            f.pair(names[1], font_refs[1][0]);
            f.finish();
            res.finish();
            page.finish();

            let mut c = Content::new();
            // The header's rule.
            c.set_line_width(0.6);
            c.move_to(MARGIN, PAGE_H - 60.0);
            c.line_to(PAGE_W - MARGIN, PAGE_H - 60.0);
            c.move_to(MARGIN, 48.0);
            c.line_to(PAGE_W - MARGIN, 48.0);
            c.stroke();
            c.set_line_width(0.3);
            for (x1, x2, y) in rules {
                c.move_to(*x1, *y);
                c.line_to(*x2, *y);
            }
            c.stroke();
            for r in runs {
                let f = &fonts()[r.bold as usize];
                let glyphs: Vec<u8> = r
                    .text
                    .chars()
                    .flat_map(|ch| f.glyph(ch).to_be_bytes())
                    .collect();
                c.set_fill_gray(r.gray);
                c.begin_text();
                c.set_font(names[r.bold as usize], r.size);
                c.next_line(r.x, r.y);
                c.show(Str(&glyphs));
                c.end_text();
            }
            let data = deflate(c.finish().as_slice());
            pdf.stream(*content_ref, &data).filter(Filter::FlateDecode);
        }
        pdf.finish()
    }
}

/// Writes one embedded font: Type0 → CIDFontType2 → descriptor → FontFile2, with the
/// ToUnicode map of the glyphs used (so text can be copied and searched).
fn write_font(
    pdf: &mut Pdf,
    f: &FontData,
    refs: &[Ref; 5],
    used: &BTreeMap<u16, char>,
    bold: bool,
) {
    let [type0, cid, desc, cmap_ref, file] = *refs;
    let base = if bold {
        Name(b"DejaVuSans-Bold")
    } else {
        Name(b"DejaVuSans")
    };
    let info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    pdf.type0_font(type0)
        .base_font(base)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(cmap_ref);
    let mut c = pdf.cid_font(cid);
    c.subtype(CidFontType::Type2)
        .base_font(base)
        .system_info(info)
        .font_descriptor(desc)
        .default_width(600.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    let mut w = c.widths();
    for g in used.keys() {
        w.consecutive(*g, [f.advance(*g)]);
    }
    w.finish();
    c.finish();
    let s = 1000.0 / f.face.units_per_em() as f32;
    let bb = f.face.global_bounding_box();
    pdf.font_descriptor(desc)
        .name(base)
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(
            bb.x_min as f32 * s,
            bb.y_min as f32 * s,
            bb.x_max as f32 * s,
            bb.y_max as f32 * s,
        ))
        .italic_angle(0.0)
        .ascent(f.face.ascender() as f32 * s)
        .descent(f.face.descender() as f32 * s)
        .cap_height(f.face.capital_height().unwrap_or(700) as f32 * s)
        .stem_v(if bold { 120.0 } else { 80.0 })
        .font_file2(file);
    let mut cmap = UnicodeCmap::new(Name(b"Custom"), info);
    for (g, ch) in used {
        cmap.pair(*g, *ch);
    }
    let cmap = cmap.finish();
    pdf.cmap(cmap_ref, cmap.as_slice());
    pdf.stream(file, f.compressed())
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), f.bytes.len() as i32);
}

/// Splits `text` into lines no wider than `width` (words longer than a line are cut).
fn wrap(f: &FontData, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.lines() {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if f.width(&candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            // A word wider than the line: cut it.
            let mut piece = String::new();
            for ch in word.chars() {
                piece.push(ch);
                if f.width(&piece, size) > width {
                    piece.pop();
                    out.push(std::mem::take(&mut piece));
                    piece.push(ch);
                }
            }
            line = piece;
        }
        out.push(line);
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_every_word_within_the_width() {
        let f = &fonts()[0];
        let text = "àèìòù € ".repeat(80);
        let lines = wrap(f, &text, 10.0, 200.0);
        assert!(lines.len() > 5);
        for l in &lines {
            assert!(f.width(l, 10.0) <= 200.0, "{l}");
        }
        assert_eq!(
            lines.join(" ").split_whitespace().count(),
            text.split_whitespace().count()
        );
    }
}
