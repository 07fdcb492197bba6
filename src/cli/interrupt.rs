//! SIGINT and SIGTERM: remove every unfinished output file, say so on stderr, and exit
//! with 128 + the signal number (130, 143), as a shell reports a process killed by it.

use anyhow::Context;
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use super::atomic::discard_unfinished;

/// Starts a thread that waits for SIGINT or SIGTERM. On the first one it removes the
/// temporary file of every output not yet committed ([`discard_unfinished`]), which also
/// keeps the other threads from committing one, prints one line on stderr and exits the
/// process. Call it before any output is created.
///
/// # Errors
/// When the handlers cannot be installed or the thread cannot be started.
pub fn install() -> anyhow::Result<()> {
    let mut signals =
        Signals::new([SIGINT, SIGTERM]).context("cannot install the SIGINT/SIGTERM handlers")?;
    std::thread::Builder::new()
        .name("interrupt".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                let discarded = discard_unfinished();
                eprintln!(
                    "{}",
                    message(signal_name(signal), discarded.removed, discarded.committed)
                );
                // `discarded` is still held: no output can be committed before the exit.
                std::process::exit(128 + signal);
            }
        })
        .context("cannot start the signal-handling thread")?;
    Ok(())
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        SIGINT => "SIGINT",
        SIGTERM => "SIGTERM",
        _ => "a signal",
    }
}

/// The line printed on an interrupt: whether unfinished files were removed, and whether
/// some output was already complete.
fn message(signal: &str, removed: usize, committed: usize) -> String {
    match (removed, committed) {
        (0, 0) => format!("interrupted by {signal}; no output file written"),
        (_, 0) => {
            format!("interrupted by {signal}; no output file written (unfinished output removed)")
        }
        (0, _) => format!("interrupted by {signal} after the output files were written"),
        (_, _) => format!(
            "interrupted by {signal}; unfinished output removed, {} file(s) written before it",
            committed
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_says_what_was_left() {
        assert_eq!(
            message("SIGTERM", 2, 0),
            "interrupted by SIGTERM; no output file written (unfinished output removed)"
        );
        assert_eq!(
            message("SIGINT", 1, 3),
            "interrupted by SIGINT; unfinished output removed, 3 file(s) written before it"
        );
        assert_eq!(signal_name(SIGINT), "SIGINT");
        assert_eq!(signal_name(SIGTERM), "SIGTERM");
    }
}
