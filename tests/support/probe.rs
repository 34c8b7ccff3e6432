//! The crash tests' write probe: `accoglienza write-probe` killed after some commits.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// Runs `cmd` (a `write-probe` command line), kills it (SIGKILL on Unix) once `target`
/// commits were acknowledged, and returns every id it acknowledged — lines already printed
/// before the kill included.
pub fn kill_after(mut cmd: Command, target: u64) -> Vec<String> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut acknowledged = Vec::new();
    while (acknowledged.len() as u64) < target {
        let line = lines.next().expect("the probe stopped early").unwrap();
        acknowledged.push(line.strip_prefix("ok ").unwrap().to_string());
    }
    child.kill().unwrap();
    child.wait().unwrap();
    for line in lines.map_while(Result::ok) {
        if let Some(id) = line.strip_prefix("ok ") {
            acknowledged.push(id.to_string());
        }
    }
    acknowledged
}
