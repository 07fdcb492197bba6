//! Every line end (`\r\n`, `\r`, `\n`) read as `\n`, so that every line number the csv
//! crate reports is right.
//!
//! The csv crate (1.4) ends a record at `\r`, `\n` or `\r\n` but counts lines at `\n`
//! bytes only, and ends a record at the `\r` of a `\r\n`, leaving the `\n` to the next
//! record: in a file with CRLF line ends every record after the first is reported one line
//! early (rust-csv issue #395, open), and in one with CR line ends every record is on the
//! first line. Found by the `read_csv` fuzz target (`fuzz/`). The records are the same
//! either way; only a line end inside a quoted field changes, to `\n`.

use std::io::{self, BufRead, Read};

/// A reader that passes bytes through, except that `\r\n` and a lone `\r` become `\n`.
pub(super) struct LfLineEnds<R> {
    inner: R,
    /// The last byte consumed was a `\r` not yet written: whether it is a line end of its
    /// own or the start of `\r\n` depends on the next byte, which was not yet read.
    pending_cr: bool,
}

impl<R: BufRead> LfLineEnds<R> {
    pub(super) fn new(inner: R) -> LfLineEnds<R> {
        LfLineEnds {
            inner,
            pending_cr: false,
        }
    }
}

impl<R: BufRead> Read for LfLineEnds<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            let input = self.inner.fill_buf()?;
            let mut written = 0;
            if self.pending_cr {
                self.pending_cr = false;
                if input.first() != Some(&b'\n') {
                    out[0] = b'\n';
                    written = 1;
                }
            }
            if input.is_empty() {
                return Ok(written);
            }
            let mut consumed = 0;
            while consumed < input.len() && written < out.len() {
                let mut byte = input[consumed];
                consumed += 1;
                if byte == b'\r' {
                    match input.get(consumed) {
                        // The `\n` that follows is the line end.
                        Some(b'\n') => continue,
                        Some(_) => byte = b'\n',
                        None => {
                            self.pending_cr = true;
                            continue;
                        }
                    }
                }
                out[written] = byte;
                written += 1;
            }
            self.inner.consume(consumed);
            // Only a `\r` at the end of the buffer was consumed: read on to decide it.
            if written > 0 {
                return Ok(written);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads everything through the adapter, the inner reader handing out `chunk` bytes at
    /// a time and the output read `out` bytes at a time.
    fn convert(input: &[u8], chunk: usize, out: usize) -> Vec<u8> {
        let inner = io::BufReader::with_capacity(chunk, input);
        let mut reader = LfLineEnds::new(inner);
        let mut result = Vec::new();
        let mut buffer = vec![0; out];
        loop {
            let count = reader.read(&mut buffer).expect("reading memory");
            if count == 0 {
                return result;
            }
            result.extend_from_slice(&buffer[..count]);
        }
    }

    #[test]
    fn every_line_end_becomes_lf_at_any_buffer_boundary() {
        let input = b"a,b\r\n1,2\r\r\n\r3\r\n\n4\r";
        let want = b"a,b\n1,2\n\n\n3\n\n4\n";
        for chunk in 1..=input.len() {
            for out in [1, 2, 3, 64] {
                assert_eq!(convert(input, chunk, out), want, "chunk {chunk}, out {out}");
            }
        }
        assert_eq!(convert(b"", 4, 4), b"");
        assert_eq!(convert(b"\r", 4, 4), b"\n");
        assert_eq!(convert(b"x\ry", 1, 1), b"x\ny");
        assert_eq!(convert(b"\r\n", 1, 1), b"\n");
    }
}
