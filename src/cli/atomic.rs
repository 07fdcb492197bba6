//! Output destinations: stdout, or a file that appears under its name only when complete.
//!
//! A file is written to a temporary file in its destination directory and renamed onto
//! the requested name when complete. Every temporary file is listed in a process-wide
//! registry from its creation to its rename or removal, so that an interrupt (SIGINT,
//! SIGTERM) can remove them all with [`discard_unfinished`] before the process exits:
//! whatever the moment of the interrupt, no file appears under a requested name unless
//! it is complete, and no temporary file is left behind.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The temporary files of outputs not yet renamed onto their names.
struct Registry {
    /// Temporary files that exist now, in order of creation.
    temporary: Vec<PathBuf>,
    /// Files renamed onto their requested names so far.
    committed: usize,
}

/// Creating, renaming and removing a temporary file each happen while this lock is held,
/// so [`discard_unfinished`] sees either a temporary file (and removes it) or a finished
/// file under its name, never a state in between.
static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    temporary: Vec::new(),
    committed: 0,
});

/// The registry, even if a thread panicked while holding it: its two fields are each
/// updated in one step, so they are consistent whatever the panic.
fn registry() -> MutexGuard<'static, Registry> {
    REGISTRY
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Registry {
    fn forget(&mut self, path: &Path) {
        self.temporary.retain(|candidate| candidate != path);
    }
}

/// What [`discard_unfinished`] did. While it is alive, no output can be created,
/// committed or removed: hold it until the process exits.
#[must_use = "dropping it lets outputs be created and committed again"]
pub struct Discarded {
    /// Temporary files removed (outputs that were being written).
    pub removed: usize,
    /// Files that had already been renamed onto their requested names.
    pub committed: usize,
    _lock: MutexGuard<'static, Registry>,
}

impl std::fmt::Debug for Discarded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Discarded")
            .field("removed", &self.removed)
            .field("committed", &self.committed)
            .finish_non_exhaustive()
    }
}

/// Removes the temporary file of every output not yet committed, and keeps every other
/// thread from creating, committing or removing an output for as long as the returned
/// [`Discarded`] lives. Meant for an interrupt handler that then exits the process.
///
/// A file that cannot be removed (its directory was removed meanwhile) is skipped.
pub fn discard_unfinished() -> Discarded {
    let mut lock = registry();
    let removed = lock.temporary.len();
    for path in lock.temporary.drain(..) {
        let _ = std::fs::remove_file(path);
    }
    Discarded {
        removed,
        committed: lock.committed,
        _lock: lock,
    }
}

/// Where output goes. A file is written to a temporary file `.NAME.partial-PID` in the
/// destination directory and renamed onto the requested name by [`Output::commit`];
/// dropped without a commit (an error, a panic), the temporary file is removed and nothing
/// appears under the requested name. [`discard_unfinished`] removes it on an interrupt.
pub struct Output {
    writer: BufWriter<Box<dyn Write + Send>>,
    destination: Option<Destination>,
}

/// A temporary file and the name it gets when complete.
#[derive(Debug)]
struct Destination {
    temporary: PathBuf,
    requested: PathBuf,
}

impl Output {
    /// Output to standard output.
    pub fn stdout() -> Output {
        Output {
            writer: BufWriter::new(Box::new(std::io::stdout())),
            destination: None,
        }
    }

    /// Output to a file, or to stdout when `path` is `-`.
    ///
    /// # Errors
    /// When the temporary file cannot be created in the destination directory.
    pub fn create(path: &Path) -> std::io::Result<Output> {
        if path.as_os_str() == "-" {
            return Ok(Output::stdout());
        }
        // A device or pipe (`/dev/null`, a FIFO) is written in place: renaming a file onto
        // it would replace the device.
        if std::fs::metadata(path).is_ok_and(|metadata| !metadata.is_file()) {
            if std::fs::metadata(path).is_ok_and(|metadata| metadata.is_dir()) {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::IsADirectory,
                    "is a directory",
                ));
            }
            let file = std::fs::OpenOptions::new().write(true).open(path)?;
            return Ok(Output {
                writer: BufWriter::new(Box::new(file)),
                destination: None,
            });
        }
        let directory = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        let temporary = directory.join(format!(".{name}.partial-{}", std::process::id()));
        // Created and registered in one step: an interrupt cannot miss it.
        let file = {
            let mut registry = registry();
            let file = File::create(&temporary)?;
            registry.temporary.push(temporary.clone());
            file
        };
        Ok(Output {
            writer: BufWriter::new(Box::new(file)),
            destination: Some(Destination {
                temporary,
                requested: path.to_path_buf(),
            }),
        })
    }

    /// Flushes and closes the output, leaving a file under its temporary name until
    /// [`Finished::commit`]. For stdout or a device, only flushes.
    ///
    /// # Errors
    /// When flushing fails (the temporary file is then removed).
    pub fn finish(mut self) -> std::io::Result<Finished> {
        self.writer.flush()?;
        // Close the file before it is renamed.
        self.writer = BufWriter::new(Box::new(std::io::sink()));
        Ok(Finished {
            destination: self.destination.take(),
        })
    }

    /// Flushes and, for a file, renames the temporary file onto the requested name.
    ///
    /// # Errors
    /// When flushing or renaming fails (the temporary file is then removed).
    pub fn commit(self) -> std::io::Result<()> {
        self.finish()?.commit()
    }
}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Output")
            .field("destination", &self.destination)
            .finish_non_exhaustive()
    }
}

impl Write for Output {
    fn write(&mut self, buffer: &[u8]) -> std::io::Result<usize> {
        self.writer.write(buffer)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if let Some(destination) = self.destination.take() {
            destination.remove();
        }
    }
}

impl Destination {
    /// Removes the temporary file and forgets it.
    fn remove(self) {
        let mut registry = registry();
        let _ = std::fs::remove_file(&self.temporary);
        registry.forget(&self.temporary);
    }
}

/// A complete output under its temporary name: [`Finished::commit`] renames it onto the
/// requested name, [`commit_together`] renames several at once; dropped, it is removed.
#[derive(Debug)]
pub struct Finished {
    destination: Option<Destination>,
}

impl Finished {
    /// Renames the file onto its requested name (nothing to do for stdout or a device).
    ///
    /// # Errors
    /// When the rename fails (the temporary file is then removed).
    pub fn commit(self) -> std::io::Result<()> {
        commit_together(vec![self])
    }
}

impl Drop for Finished {
    fn drop(&mut self) {
        if let Some(destination) = self.destination.take() {
            destination.remove();
        }
    }
}

/// Renames every finished output onto its requested name, in order, as one step as far
/// as an interrupt is concerned: [`discard_unfinished`] sees either all of them under
/// their temporary names (and removes them) or all of them under their requested names.
///
/// # Errors
/// The first rename that fails; its temporary file and those of the outputs after it are
/// removed, the outputs before it keep their requested names.
pub fn commit_together(outputs: Vec<Finished>) -> std::io::Result<()> {
    let mut registry = registry();
    let mut destinations = outputs
        .into_iter()
        .filter_map(|mut output| output.destination.take());
    let mut failure = None;
    for destination in destinations.by_ref() {
        registry.forget(&destination.temporary);
        if let Err(error) = std::fs::rename(&destination.temporary, &destination.requested) {
            let _ = std::fs::remove_file(&destination.temporary);
            failure = Some(error);
            break;
        }
        registry.committed += 1;
    }
    match failure {
        None => Ok(()),
        Some(error) => {
            for destination in destinations {
                let _ = std::fs::remove_file(&destination.temporary);
                registry.forget(&destination.temporary);
            }
            Err(error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory of its own for each test.
    fn scratch(name: &str) -> PathBuf {
        let directory =
            std::env::temp_dir().join(format!("synergist-output-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&directory);
        std::fs::create_dir_all(&directory).unwrap();
        directory
    }

    fn entries(directory: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(directory)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn registered(path: &Path) -> bool {
        registry()
            .temporary
            .iter()
            .any(|candidate| candidate == path)
    }

    #[test]
    fn file_appears_only_on_commit() {
        let directory = scratch("commit");
        let path = directory.join("result.csv");
        let mut output = Output::create(&path).unwrap();
        output.write_all(b"a,b\n").unwrap();
        assert!(!path.exists());
        drop(output);
        assert!(!path.exists());
        assert!(entries(&directory).is_empty(), "no temporary left");
        let mut output = Output::create(&path).unwrap();
        output.write_all(b"a,b\n").unwrap();
        output.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a,b\n");
        assert_eq!(entries(&directory), ["result.csv"]);
        std::fs::remove_dir_all(&directory).unwrap();
    }

    #[test]
    fn temporary_files_are_registered_until_committed_or_dropped() {
        let directory = scratch("registry");
        let first = directory.join("first.csv");
        let second = directory.join("second.csv");
        let kept = Output::create(&first).unwrap();
        let dropped = Output::create(&second).unwrap();
        let temporary =
            |name: &str| directory.join(format!(".{name}.partial-{}", std::process::id()));
        assert!(registered(&temporary("first.csv")));
        assert!(registered(&temporary("second.csv")));
        drop(dropped);
        assert!(!registered(&temporary("second.csv")));
        let finished = kept.finish().unwrap();
        assert!(
            registered(&temporary("first.csv")),
            "finished, not yet renamed"
        );
        finished.commit().unwrap();
        assert!(!registered(&temporary("first.csv")));
        assert_eq!(entries(&directory), ["first.csv"]);
        std::fs::remove_dir_all(&directory).unwrap();
    }

    #[test]
    fn finished_outputs_commit_together_or_vanish_when_dropped() {
        let directory = scratch("together");
        let write = |name: &str| {
            let mut output = Output::create(&directory.join(name)).unwrap();
            output.write_all(name.as_bytes()).unwrap();
            output.finish().unwrap()
        };
        let (a, b) = (write("a.csv"), write("b.csv"));
        drop((a, b));
        assert!(
            entries(&directory).is_empty(),
            "dropped finished outputs removed"
        );
        commit_together(vec![write("a.csv"), write("b.csv")]).unwrap();
        assert_eq!(entries(&directory), ["a.csv", "b.csv"]);
        assert_eq!(
            std::fs::read_to_string(directory.join("b.csv")).unwrap(),
            "b.csv"
        );
        std::fs::remove_dir_all(&directory).unwrap();
    }

    #[test]
    fn a_failed_rename_removes_the_temporary_files_left() {
        let directory = scratch("failed_rename");
        let finish = |name: &str| {
            Output::create(&directory.join(name))
                .unwrap()
                .finish()
                .unwrap()
        };
        let (a, b) = (finish("a.csv"), finish("b.csv"));
        // A directory that appeared under a.csv after the output was created: renaming a
        // file onto it fails.
        std::fs::create_dir_all(directory.join("a.csv/inside")).unwrap();
        assert!(commit_together(vec![a, b]).is_err());
        assert_eq!(entries(&directory), ["a.csv"], "no temporary, no b.csv");
        assert!(directory.join("a.csv/inside").is_dir());
        for name in ["a.csv", "b.csv"] {
            let temporary = directory.join(format!(".{name}.partial-{}", std::process::id()));
            assert!(!registered(&temporary), "{name} forgotten");
        }
        std::fs::remove_dir_all(&directory).unwrap();
    }
}
