//! Files the installed package puts beside the binary, generated from the real command line
//! (never hand-written copies that drift): manual pages (clap_mangen) and shell completions
//! for bash, zsh and fish (clap_complete). `accoglienza package-files --out DIR` writes them;
//! `packaging/build-deb.sh` runs it before `cargo deb`.

use super::Cli;
use clap::CommandFactory;
use clap_complete::Shell;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The program's name, as typed in a terminal.
const BIN: &str = "accoglienza";

/// The command line as a user sees it, rebuilt from [`Cli`]: its arguments and its visible
/// subcommands (clap_complete would offer the hidden diagnostics too), without the `help`
/// subcommand (as clap_mangen leaves it out).
fn command() -> clap::Command {
    let full = Cli::command();
    let mut cmd = clap::Command::new(BIN)
        .version(env!("CARGO_PKG_VERSION"))
        .about(full.get_about().cloned().unwrap_or_default())
        .long_about(full.get_long_about().cloned().unwrap_or_default())
        .disable_help_subcommand(true)
        .args(full.get_arguments().cloned())
        .subcommands(full.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    cmd.build();
    cmd
}

/// The subcommands a user can type (hidden diagnostics left out), by name.
pub fn visible_subcommands() -> Vec<String> {
    command()
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect()
}

/// Roff text: backslashes and hyphens escaped, no line starting with a control character.
fn roff_text(s: &str) -> String {
    let escaped = s.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

/// One man page: clap_mangen's sections, then `extra` (already roff), then the version (the
/// main page's).
fn page(cmd: clap::Command, extra: &str) -> std::io::Result<Vec<u8>> {
    let man = clap_mangen::Man::new(cmd.clone())
        .manual("Accoglienza")
        .source(format!("{BIN} {}", env!("CARGO_PKG_VERSION")));
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut out)?;
    }
    if cmd.get_subcommands().next().is_some() {
        man.render_subcommands_section(&mut out)?;
    }
    out.write_all(extra.as_bytes())?;
    if cmd.get_version().is_some() {
        man.render_version_section(&mut out)?;
    }
    Ok(out)
}

/// The main page, accoglienza(1): what the program is, its options and subcommands, where
/// its files live, and the pages of the subcommands.
pub fn main_page() -> std::io::Result<Vec<u8>> {
    let cmd = command();
    let mut extra = String::from(".SH FILES\n");
    for (path, what) in [
        (
            "~/.local/share/accoglienza/accoglienza.redb",
            "The database (in $XDG_DATA_HOME/accoglienza when that is set). --db chooses \
             another file. It is created, with the default catalogue, on the first start.",
        ),
        (
            "~/.local/share/accoglienza/app.ron",
            "Preferences of this workstation (theme, text size, language, operator, desk).",
        ),
        (
            "/usr/share/doc/accoglienza/INSTALL.md",
            "Install, upgrade, uninstall, where files live, moving to a new computer.",
        ),
    ] {
        extra.push_str(&format!(".TP\n{}\n{}\n", roff_text(path), roff_text(what)));
    }
    extra.push_str(".SH \"SEE ALSO\"\n");
    let pages: Vec<String> = visible_subcommands()
        .iter()
        .map(|s| format!("\\fB{}\\fR(1)", roff_text(&format!("{BIN}-{s}"))))
        .collect();
    extra.push_str(&pages.join(",\n"));
    extra.push('\n');
    page(cmd, &extra)
}

/// Writes `man/accoglienza.1`, one `man/accoglienza-<subcommand>.1` per subcommand, and the
/// completions `completions/accoglienza` (bash), `completions/_accoglienza` (zsh),
/// `completions/accoglienza.fish`. Returns the files written.
pub fn write(out: &Path) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    let mut put = |rel: String, bytes: Vec<u8>| -> Result<(), String> {
        let path = out.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("impossibile creare la cartella {}: {e}", dir.display()))?;
        }
        std::fs::write(&path, bytes)
            .map_err(|e| format!("impossibile scrivere {}: {e}", path.display()))?;
        written.push(path);
        Ok(())
    };
    let failed = |e: std::io::Error| format!("pagina di manuale non generata: {e}");
    put(format!("man/{BIN}.1"), main_page().map_err(failed)?)?;
    let cmd = command();
    for sub in cmd.get_subcommands() {
        let see_also = format!(".SH \"SEE ALSO\"\n\\fB{BIN}\\fR(1)\n");
        put(
            format!("man/{BIN}-{}.1", sub.get_name()),
            page(sub.clone(), &see_also).map_err(failed)?,
        )?;
    }
    for (shell, file) in [
        (Shell::Bash, BIN.to_string()),
        (Shell::Zsh, format!("_{BIN}")),
        (Shell::Fish, format!("{BIN}.fish")),
    ] {
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut command(), BIN, &mut script);
        put(format!("completions/{file}"), script)?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_main_page_names_every_subcommand_and_its_own_page() {
        let page = String::from_utf8(main_page().unwrap()).unwrap();
        // Straight from the definitions, not from this module's rebuilt command.
        let subcommands: Vec<String> = Cli::command()
            .get_subcommands()
            .filter(|s| !s.is_hide_set())
            .map(|s| s.get_name().to_string())
            .collect();
        assert!(subcommands.len() >= 9, "{subcommands:?}");
        assert_eq!(subcommands, visible_subcommands());
        for name in &subcommands {
            // In the SUBCOMMANDS list (clap_mangen writes `accoglienza\-<name>(1)`) and in
            // SEE ALSO.
            let reference = format!("{BIN}\\-{}", name.replace('-', "\\-"));
            assert!(
                page.matches(&reference).count() >= 2,
                "{name} missing from the man page:\n{page}"
            );
        }
        assert!(
            !page.contains("write\\-probe"),
            "a hidden diagnostic is listed"
        );
        assert!(page.contains(".SH FILES") && page.contains("accoglienza.redb"));
        assert!(page.contains("\n.TH accoglienza 1 "), "{page}");
    }

    #[test]
    fn every_subcommand_gets_its_page_and_its_completions() {
        let dir = tempfile::tempdir().unwrap();
        let written = write(dir.path()).unwrap();
        let read = |rel: &str| std::fs::read_to_string(dir.path().join(rel)).unwrap();
        for name in visible_subcommands() {
            let page = read(&format!("man/{BIN}-{name}.1"));
            assert!(page.contains(&format!("\n.TH {BIN}-{name} 1 ")), "{page}");
            assert!(
                page.contains(".SH OPTIONS"),
                "{name} has no options section"
            );
            for file in ["completions/accoglienza", "completions/_accoglienza"] {
                assert!(read(file).contains(&name), "{name} missing from {file}");
            }
            assert!(
                read("completions/accoglienza.fish").contains(&format!("-a \"{name}\"")),
                "{name} missing from the fish completions"
            );
        }
        for file in ["accoglienza", "_accoglienza", "accoglienza.fish"] {
            let script = read(&format!("completions/{file}"));
            for hidden in ["write-probe", "package-files", "show-error"] {
                assert!(!script.contains(hidden), "{file} offers {hidden}");
            }
            assert!(
                script.contains("--db") || script.contains("-l db "),
                "{file} lacks the global --db"
            );
        }
        assert_eq!(written.len(), 1 + visible_subcommands().len() + 3);
    }

    #[test]
    fn roff_text_escapes_what_troff_would_eat() {
        assert_eq!(roff_text("--db"), "\\-\\-db");
        assert_eq!(roff_text(".local"), "\\&.local");
        assert_eq!(roff_text("a\\b"), "a\\eb");
    }
}
