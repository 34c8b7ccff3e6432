//! The demo's attached documents (issue 15 part 3): for a few pratiche of the last year
//! already sent, the ISEE as a one-page PDF and the identity document as a small PNG —
//! both marked "documento di esempio" — attached to the pratica, their checklist lines
//! ticked as attached. Documents do not count: the demo's figures stay the seed's.

use super::LAST;
use crate::demo::DemoError;
use crate::domain::*;
use crate::print::pdf::{Document as Pdf, Header, Style};
use crate::store::Store;
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

/// How many pratiche get their documents attached.
const PRATICHE: usize = 6;

/// A one-page PDF standing for an ISEE certificate.
fn isee_pdf(name: &str, year: i32) -> Vec<u8> {
    let mut d = Pdf::new(Header {
        cooperative: "INPS — documento di esempio".into(),
        desk: String::new(),
        printed: String::new(),
    });
    d.text(Style::Title, 0.0, "Attestazione ISEE (esempio)");
    d.field("Dichiarante", name);
    d.field("Anno", &year.to_string());
    d.field("ISEE ordinario", "8.420,15 €");
    d.text(
        Style::Small,
        0.0,
        "Documento generato per i dati di esempio di Accoglienza: non è un'attestazione vera.",
    );
    d.finish("Attestazione ISEE (esempio)")
}

/// A 240 × 150 PNG standing for a scanned identity card: a pale card with a darker band
/// and a photo box.
fn id_png(seed: u8) -> Vec<u8> {
    let (w, h) = (240u32, 150u32);
    let mut rgb = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            let px = if y < 28 {
                [40, 90, 150]
            } else if (16..86).contains(&x) && (44..130).contains(&y) {
                [180, 170, 160 + seed % 40]
            } else if x > 100 && y % 16 == 8 && x < 220 - (y % 48) {
                [90, 90, 90]
            } else {
                [235, 238, 242]
            };
            rgb.extend_from_slice(&px);
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut wr = enc.write_header().expect("PNG header into memory");
        wr.write_image_data(&rgb).expect("PNG data into memory");
    }
    out
}

/// Attaches the demo documents; how many were attached.
pub(super) fn write_documents(store: &Store) -> Result<u64, DemoError> {
    let r = store.read()?;
    let kinds: HashMap<String, Id> = r
        .all::<DocumentKind>()?
        .into_iter()
        .map(|k| (k.code, k.id))
        .collect();
    let (Some(&isee), Some(&id_doc)) = (kinds.get("isee"), kinds.get("id")) else {
        return Ok(0);
    };
    let has = |p: &Pratica, k: Id| {
        p.checklist
            .iter()
            .any(|i| i.document == k && i.state == DocumentState::Visto)
    };
    let mut chosen: Vec<Pratica> = r
        .all::<Pratica>()?
        .into_iter()
        .filter(|p| {
            p.requested_on.year() == LAST
                && p.entered(PraticaState::Inviata).is_some()
                && has(p, isee)
                && has(p, id_doc)
        })
        .collect();
    chosen.sort_by_key(|p| p.id);
    chosen.truncate(PRATICHE);
    let names: HashMap<Id, String> = chosen
        .iter()
        .filter_map(|p| match p.subject {
            Subject::Person(id) => r
                .get::<Person>(id)
                .ok()
                .flatten()
                .map(|x| (id, format!("{} {}", x.surname, x.name))),
            Subject::Household(_) => None,
        })
        .collect();
    drop(r);
    let mut n = 0;
    let mut w = store.write(Id::NIL)?;
    for (i, mut p) in chosen.into_iter().enumerate() {
        let name = names.get(&p.subject.id()).cloned().unwrap_or_default();
        let dated = p.requested_on;
        let expires = NaiveDate::from_ymd_opt(dated.year(), 12, 31);
        let files = [
            (isee, "ISEE.pdf", isee_pdf(&name, dated.year()), expires),
            (id_doc, "documento-identita.png", id_png(i as u8 * 7), None),
        ];
        for (kind, file_name, bytes, expires) in files {
            let doc = w.attach_document(
                NewDocument {
                    owner: DocumentOwner::Pratica(p.id),
                    kind,
                    file_name: file_name.into(),
                    dated,
                    expires,
                    note: "Documento di esempio".into(),
                },
                &mut bytes.as_slice(),
                DocumentSettings::default().max_bytes,
            )?;
            for item in &mut p.checklist {
                if item.document == kind {
                    item.state = DocumentState::Allegato(doc.id);
                }
            }
            n += 1;
        }
        w.update(p)?;
    }
    w.commit()?;
    Ok(n)
}
