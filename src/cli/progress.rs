//! The progress bar on stderr while a screen is scored, and the warnings printed under it.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use synergist::score::stream::BlockOutcome;

/// Blocks done, blocks per second and time left, drawn only when stderr is a terminal and
/// `--quiet` is not given. Warnings for blocks a model could not score are printed above it
/// (unless quiet), in input order.
pub struct Progress {
    bar: ProgressBar,
    quiet: bool,
}

impl Progress {
    /// A bar for `total` blocks, or a counter when the total is not known.
    pub fn new(total: Option<u64>, quiet: bool) -> Progress {
        let target = if quiet || !std::io::stderr().is_terminal() {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let (bar, template) = match total {
            Some(total) => (
                ProgressBar::with_draw_target(Some(total), target),
                "{wide_bar} {human_pos}/{human_len} blocks, {rate}, {eta} left",
            ),
            None => (
                ProgressBar::with_draw_target(None, target),
                "{spinner} {human_pos} blocks, {rate}, {elapsed}",
            ),
        };
        // The templates are constants; a bad one would show as a plain bar, not fail.
        if let Ok(style) = ProgressStyle::with_template(template) {
            let style = style
                .with_key(
                    "rate",
                    |state: &ProgressState, out: &mut dyn std::fmt::Write| {
                        let _ = write!(out, "{:.0} blocks/s", state.per_sec());
                    },
                )
                .progress_chars("=> ");
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress { bar, quiet }
    }

    /// Records one written batch: warns about each block with a failed model, advances.
    pub fn report(&self, outcomes: &[BlockOutcome]) {
        if !self.quiet {
            for outcome in outcomes {
                if !outcome.status.is_ok() {
                    self.bar.suspend(|| {
                        eprintln!("warning: block {}: {}", outcome.block_id, outcome.status)
                    });
                }
            }
        }
        self.bar.inc(outcomes.len() as u64);
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
