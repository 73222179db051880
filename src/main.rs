//! terraform-provider-apig: started by Terraform (plugin protocol 5), or by hand with `--debug`.
//! Stdout carries only the plugin handshake (or, with `--debug` / `--version`, text for the user).

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use terraform_provider_apig::protocol::{self, ServeError, ServeOptions, logging};
use terraform_provider_apig::provider::ApigProvider;

const USAGE: &str = "\
Usage: terraform-provider-apig [--debug | --version]

Terraform starts this provider itself; there is nothing to run by hand.
  --debug    serve without Terraform starting the process and print the TF_REATTACH_PROVIDERS
             value that attaches Terraform to it (stop with Ctrl-C)
  --version  print the provider version";

enum Mode {
    Serve { debug: bool },
    Version,
    Help,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Mode, String> {
    let mut debug = false;
    for arg in args {
        match arg.as_str() {
            "--debug" | "-debug" => debug = true,
            "--version" | "-version" | "-v" => return Ok(Mode::Version),
            "--help" | "-help" | "-h" => return Ok(Mode::Help),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Mode::Serve { debug })
}

fn main() -> ExitCode {
    let debug = match parse_args(std::env::args().skip(1)) {
        Ok(Mode::Serve { debug }) => debug,
        Ok(Mode::Version) => {
            let mut stdout = std::io::stdout().lock();
            let _ = writeln!(stdout, "terraform-provider-apig {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Ok(Mode::Help) => {
            let _ = writeln!(std::io::stderr(), "{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(problem) => {
            let _ = writeln!(std::io::stderr(), "terraform-provider-apig: {problem}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };

    logging::init_from_env();
    // The handshake line goes out before the async runtime starts: neither its worker threads
    // nor the engine (every schema compiled) is needed before Terraform connects.
    let announced = protocol::announce(ServeOptions { debug, ..ServeOptions::default() });
    let outcome = match announced {
        Ok(announced) => {
            let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
                Ok(runtime) => runtime,
                Err(e) => {
                    let _ =
                        writeln!(std::io::stderr(), "terraform-provider-apig: could not start the async runtime: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let build = || -> Arc<dyn protocol::ProviderServer> {
                Arc::new(terraform_provider_apig::engine::Engine::new(Arc::new(ApigProvider::new())))
            };
            let outcome = runtime.block_on(announced.serve(build));
            // Background tasks (idle streams, watchers) must not keep the process alive after Shutdown.
            runtime.shutdown_timeout(Duration::from_millis(100));
            outcome
        }
        Err(e) => Err(e),
    };

    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(ServeError::NotLaunchedByTerraform) => {
            let _ = writeln!(std::io::stderr(), "{}", ServeError::NotLaunchedByTerraform);
            ExitCode::FAILURE
        }
        Err(e) => {
            tracing::error!(error = %e, "The provider could not serve");
            let _ = writeln!(std::io::stderr(), "terraform-provider-apig: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Mode, String> {
        parse_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn arguments() {
        assert!(matches!(parse(&[]), Ok(Mode::Serve { debug: false })));
        assert!(matches!(parse(&["--debug"]), Ok(Mode::Serve { debug: true })));
        assert!(matches!(parse(&["--version"]), Ok(Mode::Version)));
        assert!(matches!(parse(&["--debug", "--help"]), Ok(Mode::Help)));
        assert!(parse(&["--bogus"]).is_err());
    }
}
