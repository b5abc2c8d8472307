//! Writing the shipped rules out for a local authority to edit.

use super::atomic::write_atomically;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::rules::{ENGLAND_CASE_FILES, ENGLAND_FILES};
use std::path::{Path, PathBuf};

/// Writes the shipped England rule files into `dir` and their test cases into `dir/tests`
/// (both created when missing), so that `--rules DIR` and `rules test --rules DIR` use them.
/// Refuses, before writing anything, when a file is already there and `force` is false.
/// Returns the paths written.
pub fn export_rules(dir: &Path, force: bool) -> Result<Vec<PathBuf>, Diagnostics> {
    let tests = dir.join("tests");
    let targets: Vec<(PathBuf, &str)> = ENGLAND_FILES
        .iter()
        .map(|(name, text)| (dir.join(name), *text))
        .chain(
            ENGLAND_CASE_FILES
                .iter()
                .map(|(name, text)| (tests.join(name), *text)),
        )
        .collect();
    let mut diags = Diagnostics::default();
    if !force {
        for (path, _) in &targets {
            if path.exists() {
                diags.push(
                    Diagnostic::file(Code::Io, path, "a rule file is already here")
                        .expected("a folder without rule files, or --force to overwrite them"),
                );
            }
        }
    }
    if dir.exists() && !dir.is_dir() {
        diags.push(Diagnostic::file(
            Code::Io,
            dir,
            "this is a file, not a folder",
        ));
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    if let Err(e) = std::fs::create_dir_all(&tests) {
        diags.push(Diagnostic::file(
            Code::Io,
            &tests,
            format!("cannot create folder: {e}"),
        ));
        return Err(diags);
    }
    let mut written = Vec::new();
    for (path, text) in targets {
        match write_atomically(&path, text.as_bytes()) {
            Ok(()) => written.push(path),
            Err(e) => diags.push(Diagnostic::file(
                Code::Io,
                &path,
                format!("cannot write: {e}"),
            )),
        }
    }
    diags.into_result(written)
}
