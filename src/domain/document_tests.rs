use super::*;

#[test]
fn sniffs_the_three_kinds_and_nothing_else() {
    assert_eq!(MediaType::sniff(b"%PDF-1.4\n"), Some(MediaType::Pdf));
    assert_eq!(
        MediaType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
        Some(MediaType::Jpeg)
    );
    assert_eq!(
        MediaType::sniff(b"\x89PNG\r\n\x1a\n\0\0"),
        Some(MediaType::Png)
    );
    assert_eq!(MediaType::sniff(b"GIF89a"), None);
    assert_eq!(MediaType::sniff(b""), None);
    assert_eq!(MediaType::from_extension("JPEG"), Some(MediaType::Jpeg));
    assert_eq!(MediaType::from_extension(".pdf"), Some(MediaType::Pdf));
    assert_eq!(MediaType::from_extension("gif"), None);
}

#[test]
fn upload_checks_size_extension_and_content() {
    let pdf = b"%PDF-1.7 rest";
    assert_eq!(check_upload("isee.PDF", pdf, 100, MB), Ok(MediaType::Pdf));
    let e = check_upload("isee.pdf", pdf, 21 * MB, 20 * MB).unwrap_err();
    assert!(e.contains("21 MB") && e.contains("20 MB"), "{e}");
    let e = check_upload("isee.docx", pdf, 100, MB).unwrap_err();
    assert!(e.contains("PDF, JPEG o PNG"), "{e}");
    let e = check_upload("isee.pdf", b"\x89PNG\r\n\x1a\n", 100, MB).unwrap_err();
    assert!(e.contains("PNG") && e.contains("estensione"), "{e}");
    let e = check_upload("isee.pdf", b"random", 100, MB).unwrap_err();
    assert!(e.contains("non è un file PDF valido"), "{e}");
}

#[test]
fn sizes_in_mb_and_safe_names() {
    assert_eq!(fmt_mb(20 * MB), "20 MB");
    assert_eq!(fmt_mb(15 * MB + MB / 2), "15,5 MB");
    assert_eq!(
        sanitised_file_name("../ISEE 2025 (firmato).pdf", MediaType::Pdf),
        "ISEE_2025__firmato_.pdf"
    );
    assert_eq!(sanitised_file_name("...", MediaType::Png), "documento.png");
    assert_eq!(sanitised_file_name("scan", MediaType::Jpeg), "scan.jpg");
}

#[test]
fn owners_parse_from_the_command_line() {
    let id = Id::new();
    assert_eq!(
        DocumentOwner::parse(&format!("person:{}", id.to_uuid())),
        Ok(DocumentOwner::Person(id))
    );
    assert!(DocumentOwner::parse("nobody:1").is_err());
    assert!(DocumentOwner::parse("person").is_err());
}
