//! Project commands, run through the `cargo xtask` alias (`.cargo/config.toml`):
//!
//! - `cargo xtask docs` regenerates `docs/` (Terraform Registry layout) from the provider's schemas
//!   (identity schemas included) and `examples/`;
//! - `cargo xtask docs --check` changes nothing and fails, listing the files, when the committed
//!   `docs/` are not what the generator produces;
//! - `cargo xtask bench` measures design.md's performance targets against the release build.

mod bench;
mod docs;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Project commands for terraform-provider-apig")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the Registry documentation in docs/ from the provider schema and examples/.
    Docs {
        /// Write nothing; exit non-zero and list the stale, missing and extra files when docs/
        /// differ from what would be generated.
        #[arg(long)]
        check: bool,
    },
    /// Measure the performance targets of design.md (release build, bundled simulator, the
    /// real terraform): start-to-handshake, idle RSS, apply of many certificates next to the same
    /// number of terraform_data resources, and API requests per resource on refresh.
    Bench {
        /// Provider launches for the handshake and RSS figures.
        #[arg(long, default_value_t = 50)]
        launches: usize,
        /// Resources in each apply.
        #[arg(long, default_value_t = 1000)]
        resources: usize,
        /// Use the release binaries already built instead of running `cargo build --release`.
        #[arg(long)]
        no_build: bool,
        /// Also write the Markdown report to this file.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Docs { check } => run_docs(check),
        Command::Bench { launches, resources, no_build, output } => {
            run_bench(&bench::Options { launches, resources, no_build }, output.as_deref())
        }
    }
}

fn run_bench(options: &bench::Options, output: Option<&std::path::Path>) -> ExitCode {
    let report = match bench::run(&docs::repository_root(), options) {
        Ok(report) => report.markdown(),
        Err(e) => {
            eprintln!("bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    print!("{report}");
    if let Some(path) = output
        && let Err(e) = std::fs::write(path, &report)
    {
        eprintln!("bench: cannot write {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn run_docs(check: bool) -> ExitCode {
    let root = docs::repository_root();
    let pages = match docs::generate(&docs::provider_schemas(), &root.join("examples")) {
        Ok(pages) => pages,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let docs_dir = root.join("docs");
    let outcome = if check { docs::drift(&pages, &docs_dir) } else { docs::write(&pages, &docs_dir) };
    let changes = match outcome {
        Ok(changes) => changes,
        Err(e) => {
            eprintln!("cannot {} {}: {e}", if check { "read" } else { "write" }, docs_dir.display());
            return ExitCode::FAILURE;
        }
    };
    match (check, changes.is_empty()) {
        (true, true) => {
            println!("docs/ is up to date ({} pages)", pages.len());
            ExitCode::SUCCESS
        }
        (true, false) => {
            eprintln!(
                "docs/ differs from what the provider schema and examples/ generate:\n{}\
                 Run `cargo xtask docs` (or `make docs`) and commit docs/.",
                changes.listing(["stale", "missing", "extra"])
            );
            ExitCode::FAILURE
        }
        (false, true) => {
            println!("docs/ is up to date ({} pages)", pages.len());
            ExitCode::SUCCESS
        }
        (false, false) => {
            print!("updated docs/ ({} pages):\n{}", pages.len(), changes.listing(["updated", "created", "removed"]));
            ExitCode::SUCCESS
        }
    }
}
