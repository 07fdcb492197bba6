//! Output destinations: stdout, or a file that appears under its name only when complete.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Where output goes. A file is written to a temporary file in the destination directory
/// and renamed onto the requested name by [`Output::commit`]; dropped without a commit
/// (an error, a panic), the temporary file is removed and nothing appears under the
/// requested name.
pub struct Output {
    writer: BufWriter<Box<dyn Write + Send>>,
    destination: Option<(PathBuf, PathBuf)>,
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
        let file = File::create(&temporary)?;
        Ok(Output {
            writer: BufWriter::new(Box::new(file)),
            destination: Some((temporary, path.to_path_buf())),
        })
    }

    /// Flushes and, for a file, renames the temporary file onto the requested name.
    ///
    /// # Errors
    /// When flushing or renaming fails (the temporary file is then removed).
    pub fn commit(mut self) -> std::io::Result<()> {
        self.writer.flush()?;
        if let Some((temporary, final_path)) = self.destination.take() {
            if let Err(error) = std::fs::rename(&temporary, &final_path) {
                let _ = std::fs::remove_file(&temporary);
                return Err(error);
            }
        }
        Ok(())
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
        if let Some((temporary, _)) = self.destination.take() {
            let _ = std::fs::remove_file(temporary);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_appears_only_on_commit() {
        let directory =
            std::env::temp_dir().join(format!("synergist-output-{}", std::process::id()));
        std::fs::create_dir_all(&directory).unwrap();
        let path = directory.join("result.csv");
        let mut output = Output::create(&path).unwrap();
        output.write_all(b"a,b\n").unwrap();
        assert!(!path.exists());
        drop(output);
        assert!(!path.exists());
        assert_eq!(
            std::fs::read_dir(&directory).unwrap().count(),
            0,
            "no temporary left"
        );
        let mut output = Output::create(&path).unwrap();
        output.write_all(b"a,b\n").unwrap();
        output.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a,b\n");
        std::fs::remove_dir_all(&directory).unwrap();
    }
}
