//! Headless PNG of a chart, without a window or a GPU: egui lays out the very same
//! egui_plot chart the screen shows, epaint tessellates it into triangles, and a small
//! software rasterizer fills them exactly as egui's GPU back-ends do (vertex colour ×
//! texture sample, premultiplied alpha in gamma space, "over" blending).
//! Used by `accoglienza chart` and to embed the chart in the HTML report.

use super::charts::{self, ChartKind};
use crate::stats::AnnualCounts;
use crate::stats::breakdown::Breakdown;
use egui::epaint::{ClippedPrimitive, Primitive, TextureId, Vertex};
use egui::{Color32, ColorImage, ImageData, Pos2, Rect, vec2};
use std::collections::HashMap;

/// An RGBA canvas in premultiplied gamma space, values 0..1.
pub struct Canvas {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    px: Vec<[f32; 4]>,
}

impl Canvas {
    /// An opaque canvas of one colour.
    pub fn new(width: usize, height: usize, fill: Color32) -> Self {
        Canvas {
            width,
            height,
            px: vec![rgba(fill); width * height],
        }
    }

    /// The pixels as straight (not premultiplied) RGBA bytes.
    pub fn to_rgba8(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.px.len() * 4);
        for p in &self.px {
            let a = p[3].clamp(0.0, 1.0);
            let un = |c: f32| {
                if a > 0.0 {
                    (c / a).clamp(0.0, 1.0)
                } else {
                    0.0
                }
            };
            out.extend_from_slice(&[
                (un(p[0]) * 255.0).round() as u8,
                (un(p[1]) * 255.0).round() as u8,
                (un(p[2]) * 255.0).round() as u8,
                (a * 255.0).round() as u8,
            ]);
        }
        out
    }

    /// Fills the triangles of a mesh, clipped to `clip` (pixels), sampling `texture`.
    pub fn draw_mesh(
        &mut self,
        vertices: &[Vertex],
        indices: &[u32],
        clip: Rect,
        texture: &ColorImage,
        ppp: f32,
    ) {
        let clip = clip.intersect(Rect::from_min_size(
            Pos2::ZERO,
            vec2(self.width as f32, self.height as f32),
        ));
        if clip.width() <= 0.0 || clip.height() <= 0.0 {
            return;
        }
        for tri in indices.chunks_exact(3) {
            let v = [
                &vertices[tri[0] as usize],
                &vertices[tri[1] as usize],
                &vertices[tri[2] as usize],
            ];
            self.triangle(v, clip, texture, ppp);
        }
    }

    fn triangle(&mut self, v: [&Vertex; 3], clip: Rect, tex: &ColorImage, ppp: f32) {
        let p = [v[0].pos * ppp, v[1].pos * ppp, v[2].pos * ppp];
        let area = edge(p[0], p[1], p[2]);
        if area.abs() < 1e-9 {
            return;
        }
        let min_x = p
            .iter()
            .map(|q| q.x)
            .fold(f32::MAX, f32::min)
            .max(clip.min.x);
        let max_x = p
            .iter()
            .map(|q| q.x)
            .fold(f32::MIN, f32::max)
            .min(clip.max.x);
        let min_y = p
            .iter()
            .map(|q| q.y)
            .fold(f32::MAX, f32::min)
            .max(clip.min.y);
        let max_y = p
            .iter()
            .map(|q| q.y)
            .fold(f32::MIN, f32::max)
            .min(clip.max.y);
        if min_x >= max_x || min_y >= max_y {
            return;
        }
        let (x0, x1) = (
            min_x.floor() as usize,
            (max_x.ceil() as usize).min(self.width),
        );
        let (y0, y1) = (
            min_y.floor() as usize,
            (max_y.ceil() as usize).min(self.height),
        );
        let c = [rgba(v[0].color), rgba(v[1].color), rgba(v[2].color)];
        let uniform_color = v[0].color == v[1].color && v[1].color == v[2].color;
        let uv = [v[0].uv, v[1].uv, v[2].uv];
        // Top-left fill rule, so that triangles sharing an edge never paint a pixel twice.
        let bias = |a: Pos2, b: Pos2| -> f32 {
            let (dx, dy) = (b.x - a.x, b.y - a.y);
            let top_left = if area > 0.0 {
                dy < 0.0 || (dy == 0.0 && dx > 0.0)
            } else {
                dy > 0.0 || (dy == 0.0 && dx < 0.0)
            };
            if top_left { 0.0 } else { f32::EPSILON }
        };
        let b = [bias(p[1], p[2]), bias(p[2], p[0]), bias(p[0], p[1])];
        for y in y0..y1 {
            let py = y as f32 + 0.5;
            if py < clip.min.y || py >= clip.max.y {
                continue;
            }
            for x in x0..x1 {
                let px = x as f32 + 0.5;
                if px < clip.min.x || px >= clip.max.x {
                    continue;
                }
                let q = Pos2::new(px, py);
                let mut w = [
                    edge(p[1], p[2], q),
                    edge(p[2], p[0], q),
                    edge(p[0], p[1], q),
                ];
                if area < 0.0 {
                    for wi in &mut w {
                        *wi = -*wi;
                    }
                }
                if w[0] < b[0] || w[1] < b[1] || w[2] < b[2] {
                    continue;
                }
                let s = w[0] + w[1] + w[2];
                let l = [w[0] / s, w[1] / s, w[2] / s];
                let col = if uniform_color {
                    c[0]
                } else {
                    let mut o = [0.0; 4];
                    for (k, ok) in o.iter_mut().enumerate() {
                        *ok = l[0] * c[0][k] + l[1] * c[1][k] + l[2] * c[2][k];
                    }
                    o
                };
                let u = l[0] * uv[0].x + l[1] * uv[1].x + l[2] * uv[2].x;
                let t = l[0] * uv[0].y + l[1] * uv[1].y + l[2] * uv[2].y;
                let texel = sample(tex, u, t);
                let src = [
                    col[0] * texel[0],
                    col[1] * texel[1],
                    col[2] * texel[2],
                    col[3] * texel[3],
                ];
                let d = &mut self.px[y * self.width + x];
                for k in 0..4 {
                    d[k] = src[k] + d[k] * (1.0 - src[3]);
                }
            }
        }
    }
}

fn edge(a: Pos2, b: Pos2, c: Pos2) -> f32 {
    (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
}

fn rgba(c: Color32) -> [f32; 4] {
    let [r, g, b, a] = c.to_array();
    [
        r as f32 / 255.0,
        g as f32 / 255.0,
        b as f32 / 255.0,
        a as f32 / 255.0,
    ]
}

/// Bilinear sample of a premultiplied texture at normalized coordinates.
fn sample(tex: &ColorImage, u: f32, v: f32) -> [f32; 4] {
    let [w, h] = tex.size;
    if w == 0 || h == 0 {
        return [1.0; 4];
    }
    let x = (u * w as f32 - 0.5).clamp(0.0, (w - 1) as f32);
    let y = (v * h as f32 - 0.5).clamp(0.0, (h - 1) as f32);
    let (x0, y0) = (x.floor() as usize, y.floor() as usize);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let at = |x: usize, y: usize| rgba(tex.pixels[y * w + x]);
    let (a, b, c, d) = (at(x0, y0), at(x1, y0), at(x0, y1), at(x1, y1));
    let mut o = [0.0; 4];
    for k in 0..4 {
        o[k] = (a[k] * (1.0 - fx) + b[k] * fx) * (1.0 - fy) + (c[k] * (1.0 - fx) + d[k] * fx) * fy;
    }
    o
}

/// Keeps egui's textures up to date from each frame's delta.
#[derive(Default)]
struct Textures(HashMap<TextureId, ColorImage>);

impl Textures {
    fn apply(&mut self, delta: &egui::TexturesDelta) {
        for (id, deltas) in &delta.set {
            for d in deltas {
                let ImageData::Color(img) = &d.image;
                match d.pos {
                    None => {
                        self.0.insert(*id, (**img).clone());
                    }
                    Some([px, py]) => {
                        if let Some(t) = self.0.get_mut(id) {
                            let [w, _] = t.size;
                            for y in 0..img.size[1] {
                                for x in 0..img.size[0] {
                                    let (tx, ty) = (px + x, py + y);
                                    if tx < w && ty < t.size[1] {
                                        t.pixels[ty * w + tx] = img.pixels[y * img.size[0] + x];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Rasterizes tessellated egui output onto a white canvas.
pub fn rasterize(
    prims: &[ClippedPrimitive],
    textures: &HashMap<TextureId, ColorImage>,
    width: usize,
    height: usize,
    ppp: f32,
) -> Canvas {
    let mut canvas = Canvas::new(width, height, Color32::WHITE);
    let white = ColorImage::new([1, 1], vec![Color32::WHITE]);
    for p in prims {
        if let Primitive::Mesh(mesh) = &p.primitive {
            let tex = textures.get(&mesh.texture_id).unwrap_or(&white);
            let clip = Rect::from_min_max(p.clip_rect.min * ppp, p.clip_rect.max * ppp);
            canvas.draw_mesh(&mesh.vertices, &mesh.indices, clip, tex, ppp);
        }
    }
    canvas
}

/// Encodes straight RGBA bytes as PNG.
pub fn encode_png(width: u32, height: u32, rgba8: &[u8]) -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut buf, width, height);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc
            .write_header()
            .map_err(|e| format!("PNG non scrivibile: {e}"))?;
        w.write_image_data(rgba8)
            .map_err(|e| format!("PNG non scrivibile: {e}"))?;
    }
    Ok(buf)
}

/// Runs `draw` as a whole egui frame of `width`×`height` points and returns the PNG.
pub fn render_png(
    width: u32,
    height: u32,
    ppp: f32,
    mut draw: impl FnMut(&mut egui::Ui),
) -> Result<Vec<u8>, String> {
    if !(64..=8000).contains(&width) || !(64..=8000).contains(&height) {
        return Err(format!(
            "dimensioni dell'immagine non valide: {width}×{height} (da 64 a 8000 pixel)"
        ));
    }
    let ctx = egui::Context::default();
    crate::ui::theme::apply(&ctx);
    ctx.set_pixels_per_point(ppp);
    let size = vec2(width as f32 / ppp, height as f32 / ppp);
    let mut textures = Textures::default();
    let mut last = None;
    // A few passes: the first lays out text and fills the font atlas, the next are stable.
    for i in 0..3 {
        let input = egui::RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, size)),
            time: Some(i as f64 * 0.1),
            ..Default::default()
        };
        let mut out = ctx.run_ui(input, |ui| {
            egui::CentralPanel::default()
                .frame(egui::Frame::new().fill(Color32::WHITE).inner_margin(16.0))
                .show(ui, |ui| draw(ui));
        });
        textures.apply(&out.textures_delta);
        out.textures_delta.clear();
        last = Some(out);
    }
    let out = last.ok_or("nessun fotogramma")?;
    let prims = ctx.tessellate(out.shapes, out.pixels_per_point);
    let canvas = rasterize(
        &prims,
        &textures.0,
        width as usize,
        height as usize,
        out.pixels_per_point,
    );
    encode_png(width, height, &canvas.to_rgba8())
}

/// The PNG of a dashboard chart, with its title.
pub fn chart_png(
    kind: ChartKind,
    counts: &AnnualCounts,
    year: i32,
    breakdown: Option<&Breakdown>,
    width: u32,
    height: u32,
) -> Result<Vec<u8>, String> {
    render_png(width, height, 1.0, |ui| {
        ui.heading(kind.title(year));
        ui.add_space(8.0);
        let h = ui.available_height();
        charts::show(ui, kind, counts, year, breakdown, h, false);
    })
}
