//! The `synergist` command line: a thin front over the library. It parses flags, calls
//! the library and maps outcomes to exit codes: 0 all good, 1 some blocks or fits failed
//! (each reported on stderr), 2 usage, input or I/O error, no block usable, or a failed
//! block under `--strict`; 130 / 143 on SIGINT / SIGTERM (every unfinished output file
//! removed). A broken pipe exits 0, quietly.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let arguments = cli::Arguments::parse();
    // Before any output file is created, so that an interrupt removes every one.
    let outcome = cli::interrupt::install().and_then(|()| cli::run(arguments));
    match outcome {
        Ok(outcome) => outcome.exit_code(),
        Err(error) => {
            if is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            for line in cli::error_lines(&error) {
                eprintln!("error: {line}");
            }
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
