//! `apig-simulator`: a faithful local stand-in for the APIG and ROMA Connect certificate APIs.
//! It shares `client::models` and nothing else of the provider.
//!
//! Prints exactly one line, `listening on http://ADDR`, to stdout once it accepts connections;
//! everything else goes to stderr.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use terraform_provider_apig::simulator::fixtures::Fixtures;
use terraform_provider_apig::simulator::{self, AccessKeyConfig, Config, IamUserConfig, Sim};

#[derive(Parser)]
#[command(name = "apig-simulator", version, about = "Local stand-in for the APIG and ROMA Connect certificate APIs")]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// JSON file with projects, instances, groups and domains (default: the built-in fixture).
    #[arg(long)]
    fixtures: Option<PathBuf>,
    /// Accepted X-Auth-Token value (repeatable; default `sim-token`).
    #[arg(long = "token")]
    tokens: Vec<String>,
    /// Accepted access key (repeatable, paired in order with --secret-key).
    #[arg(long = "access-key")]
    access_keys: Vec<String>,
    /// Secret key of the access key at the same position.
    #[arg(long = "secret-key")]
    secret_keys: Vec<String>,
    /// IAM user as NAME:PASSWORD:DOMAIN (repeatable; default `sim-user:sim-password:sim-domain`).
    #[arg(long = "user")]
    users: Vec<String>,
}

fn config(args: Args) -> Result<(SocketAddr, Config), String> {
    let mut config = Config::default();
    if let Some(path) = &args.fixtures {
        config.fixtures = Fixtures::load(path)?;
    }
    if !args.tokens.is_empty() {
        if args.tokens.iter().any(String::is_empty) {
            return Err("--token must not be empty".into());
        }
        config.tokens = args.tokens;
    }
    if args.access_keys.len() != args.secret_keys.len() {
        return Err(format!(
            "--access-key was given {} times but --secret-key {} times; give them in pairs",
            args.access_keys.len(),
            args.secret_keys.len()
        ));
    }
    config.access_keys = args
        .access_keys
        .into_iter()
        .zip(args.secret_keys)
        .map(|(access_key, secret_key)| AccessKeyConfig { access_key, secret_key })
        .collect();
    if !args.users.is_empty() {
        config.users = args
            .users
            .iter()
            .map(|u| match u.splitn(3, ':').collect::<Vec<_>>().as_slice() {
                [name, password, domain] if !name.is_empty() && !domain.is_empty() => Ok(IamUserConfig {
                    name: name.to_string(),
                    password: password.to_string(),
                    domain: domain.to_string(),
                }),
                _ => Err("--user takes NAME:PASSWORD:DOMAIN".to_string()),
            })
            .collect::<Result<_, _>>()?;
    }
    Ok((args.listen, config))
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("APIG_SIMULATOR_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let (listen, config) = match config(Args::parse()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("apig-simulator: {e}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("apig-simulator: cannot listen on {listen}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("apig-simulator: cannot read the bound address: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "listening on http://{addr}").and_then(|()| stdout.flush()).is_err() {
        return ExitCode::FAILURE;
    }
    drop(stdout);
    tracing::info!(%addr, "apig-simulator ready");
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    simulator::server::serve(listener, Sim::new(config), shutdown).await;
    ExitCode::SUCCESS
}
