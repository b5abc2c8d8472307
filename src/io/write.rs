//! Whole-or-nothing file writing: a reader never sees half a file.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `PATH.partial`, flushes it to disk, then renames it over `path`; on failure
/// the partial file is removed and `path` is untouched.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let partial = partial_path(path);
    let outcome = fs::File::create(&partial)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| fs::rename(&partial, path));
    if outcome.is_err() {
        let _ = fs::remove_file(&partial);
    }
    outcome
}

/// The temporary name used while `path` is being written.
pub fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("missing-folder").join("out.csv");
        assert!(write_atomically(&target, b"a,b\n").is_err());
        assert!(!target.exists() && !partial_path(&target).exists());
        let ok = dir.path().join("out.csv");
        write_atomically(&ok, b"a,b\n").unwrap();
        assert_eq!(fs::read(&ok).unwrap(), b"a,b\n");
        assert!(!partial_path(&ok).exists());
    }
}
