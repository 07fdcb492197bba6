//! A cap on the length of a line, so that a file with one enormous line (a binary file, a
//! spreadsheet saved with no line ends) is refused after [`MAX_LINE_BYTES`] instead of being
//! held in memory whole.

use std::fmt;
use std::io::{self, Read};

/// The longest line accepted, in bytes. A row of a long-format screen is a few dozen bytes
/// and a header with a thousand metadata columns a few dozen kilobytes; 1 MiB leaves room
/// for both while keeping the memory a single record can take small.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The error [`LineLimit`] returns, wrapped in an [`io::Error`] of kind `InvalidData`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct LineTooLong {
    /// 1-based line that is too long.
    pub(super) line: u64,
}

impl fmt::Display for LineTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {} is longer than {MAX_LINE_BYTES} bytes",
            self.line
        )
    }
}

impl std::error::Error for LineTooLong {}

impl LineTooLong {
    /// The line, when `error` was returned by a [`LineLimit`].
    pub(super) fn in_error(error: &io::Error) -> Option<u64> {
        error
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<LineTooLong>())
            .map(|too_long| too_long.line)
    }
}

/// Passes bytes through and fails once a line grows beyond [`MAX_LINE_BYTES`].
///
/// A line ends at `\n` or `\r` (the CSV reader accepts both); lines are counted at `\n`, so
/// the count matches the CSV reader's line numbers for `\n` and `\r\n` files.
pub(super) struct LineLimit<R> {
    inner: R,
    /// 1-based line the next byte belongs to.
    line: u64,
    /// Bytes of the current line read so far.
    current: usize,
    limit: usize,
}

impl<R: Read> LineLimit<R> {
    pub(super) fn new(inner: R) -> Self {
        LineLimit::with_limit(inner, MAX_LINE_BYTES)
    }

    fn with_limit(inner: R, limit: usize) -> Self {
        LineLimit {
            inner,
            line: 1,
            current: 0,
            limit,
        }
    }
}

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buffer)?;
        let bytes = &buffer[..read];
        if self.current + read <= self.limit {
            // No line can pass the limit within these bytes: count the line ends and keep
            // the length of the last, unfinished line (the common case, kept cheap).
            self.line += bytes.iter().filter(|&&byte| byte == b'\n').count() as u64;
            self.current = match bytes.iter().rposition(|&byte| is_line_end(byte)) {
                Some(end) => read - end - 1,
                None => self.current + read,
            };
            return Ok(read);
        }
        for &byte in bytes {
            if is_line_end(byte) {
                self.line += u64::from(byte == b'\n');
                self.current = 0;
            } else {
                self.current += 1;
                if self.current > self.limit {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        LineTooLong { line: self.line },
                    ));
                }
            }
        }
        Ok(read)
    }
}

fn is_line_end(byte: u8) -> bool {
    byte == b'\n' || byte == b'\r'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &[u8], limit: usize) -> Result<Vec<u8>, Option<u64>> {
        let mut output = Vec::new();
        LineLimit::with_limit(text, limit)
            .read_to_end(&mut output)
            .map_err(|error| LineTooLong::in_error(&error))?;
        Ok(output)
    }

    #[test]
    fn lines_up_to_the_limit_pass_unchanged() {
        let text = b"abcd\r\nefgh\nij\rklmn";
        assert_eq!(read_all(text, 4), Ok(text.to_vec()));
    }

    /// Reads in chunks of `chunk` bytes, as the CSV reader's buffer does.
    fn read_in_chunks(text: &[u8], limit: usize, chunk: usize) -> Result<u64, Option<u64>> {
        let mut reader = LineLimit::with_limit(text, limit);
        let mut buffer = vec![0; chunk];
        loop {
            match reader.read(&mut buffer) {
                Ok(0) => return Ok(reader.line),
                Ok(_) => {}
                Err(error) => return Err(LineTooLong::in_error(&error)),
            }
        }
    }

    #[test]
    fn small_and_large_chunks_count_lines_and_find_long_ones_alike() {
        let text = b"ab\ncdef\r\ngh\nijklmn\nop";
        for chunk in [1, 2, 3, 5, 64] {
            assert_eq!(read_in_chunks(text, 6, chunk), Ok(5), "chunk {chunk}");
            assert_eq!(
                read_in_chunks(text, 5, chunk),
                Err(Some(4)),
                "chunk {chunk}"
            );
        }
    }

    #[test]
    fn the_first_line_beyond_the_limit_is_named() {
        assert_eq!(read_all(b"abcd\nefgh\nijklm\nn", 4), Err(Some(3)));
        assert_eq!(read_all(b"abcd\r\nabcde", 4), Err(Some(2)));
    }
}
