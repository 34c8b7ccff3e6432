//! The files of the Debian package agree with each other and with the program: one
//! application id for the window, the menu entry, the AppStream metadata and the icon; an
//! icon PNG of the right size for every hicolor size Cargo.toml installs; the package's
//! changelog and metadata at the crate's version. (CI builds, lints and installs the package:
//! `packaging/build-deb.sh`, `packaging/check-deb.sh`.)

use accoglienza::ui::startup::APP_ID;
use std::path::Path;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The value of `key=` in the desktop file.
fn desktop_value<'a>(desktop: &'a str, key: &str) -> Option<&'a str> {
    desktop
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
}

#[test]
fn the_menu_entry_names_the_window_and_its_icon_in_both_languages() {
    let desktop = read(&format!("packaging/linux/{APP_ID}.desktop"));
    assert_eq!(desktop_value(&desktop, "Icon"), Some(APP_ID));
    assert_eq!(desktop_value(&desktop, "StartupWMClass"), Some(APP_ID));
    assert_eq!(desktop_value(&desktop, "Exec"), Some("accoglienza"));
    assert_eq!(desktop_value(&desktop, "Terminal"), Some("false"));
    assert_eq!(desktop_value(&desktop, "Categories"), Some("Office;"));
    for key in [
        "Name",
        "Name[it]",
        "Comment",
        "Comment[it]",
        "GenericName[it]",
    ] {
        assert!(desktop_value(&desktop, key).is_some(), "{key} missing");
    }
    let metainfo = read(&format!("packaging/linux/{APP_ID}.metainfo.xml"));
    assert!(metainfo.contains(&format!("<id>{APP_ID}</id>")));
    assert!(metainfo.contains(&format!(
        "<launchable type=\"desktop-id\">{APP_ID}.desktop</launchable>"
    )));
    assert!(metainfo.contains(&format!("<icon type=\"stock\">{APP_ID}</icon>")));
    assert!(metainfo.contains("<summary xml:lang=\"it\">"));
}

#[test]
fn every_icon_size_is_rendered_and_installed() {
    let manifest = read("Cargo.toml");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/icon/png");
    let mut sizes = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let size: u32 = path.file_stem().unwrap().to_str().unwrap().parse().unwrap();
        let decoder =
            png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&path).unwrap()));
        let info = decoder.read_info().unwrap().info().clone();
        assert_eq!(
            (info.width, info.height),
            (size, size),
            "{}",
            path.display()
        );
        assert_eq!(info.color_type, png::ColorType::Rgba, "{}", path.display());
        let installed = format!(
            "[\"assets/icon/png/{size}.png\", \"usr/share/icons/hicolor/{size}x{size}/apps/{APP_ID}.png\", \"644\"]"
        );
        assert!(manifest.contains(&installed), "{size} px not installed");
        sizes.push(size);
    }
    sizes.sort();
    assert_eq!(sizes, [16, 22, 24, 32, 48, 64, 128, 256, 512]);
    assert!(manifest.contains(&format!(
        "\"usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg\""
    )));
}

#[test]
fn the_package_changelog_and_metadata_are_at_the_crate_version() {
    let version = env!("CARGO_PKG_VERSION");
    let changelog = read("packaging/debian/changelog");
    assert!(
        changelog.starts_with(&format!("accoglienza ({version}-1) ")),
        "packaging/debian/changelog does not start with version {version}-1"
    );
    let metainfo = read(&format!("packaging/linux/{APP_ID}.metainfo.xml"));
    assert!(
        metainfo.contains(&format!("<release version=\"{version}\"")),
        "the metainfo has no release {version}"
    );
}
