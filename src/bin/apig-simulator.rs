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
use terraform_provider_apig::simulator::behaviour::Behaviour;
use terraform_provider_apig::simulator::fixtures::Fixtures;
use terraform_provider_apig::simulator::{self, AccessKeyConfig, Config, IamUserConfig, Sim};

/// The admin API and the faults it injects, shown after the options by `--help`.
const AFTER_HELP: &str = "\
Admin API (no auth, not logged):
  GET    /_sim/state       whole state as JSON (private keys, certificates and tokens left out)
  GET    /_sim/requests    {count, faults, fault_kinds, requests: [{seq, method, path, query,
                           status, dropped, fault, time}]}; DELETE empties it
  GET    /_sim/faults      {seed, rules}; DELETE (or POST {\"clear\": true}) removes every rule
  POST   /_sim/faults      add a fault rule (JSON, every field optional except one effect):
           method            only requests with this method
           path              only requests whose path contains this text
           latency_ms        wait this long before handling the request
           status            answer 429, 500, 502, 503 or 504 instead (APIG error body)
           retry_after       seconds, sent as Retry-After with the status
           after_work        with status: carry the request out first, then answer the status;
                             with latency_ms: carry it out at once, answer that much later
           drop_connection   carry the request out, then close the connection unanswered
           count             fire for the next N matching requests only
           probability       fire with this probability (0..1) on each matching request
           seed              this rule's own random seed for its probability
  GET    /_sim/behaviour   {read_lag_ms, write_conflict_window_ms}
  PUT    /_sim/behaviour   change either (0 = off):
           read_lag_ms               a certificate younger than this answers 404 APIG.3021 to
                                     GET and is missing from lists (writes to it still work)
           write_conflict_window_ms  a write to a certificate that overlaps another write to it,
                                     or comes within this long after its answer, gets
                                     400 APIG.3500 and does nothing
  POST   /_sim/reset       back to the fixtures, no faults, the command line's behaviour;
                           optional body {\"seed\": N} reseeds the fault rolls

Same seed and same request order give the same fault decisions.";

#[derive(Parser)]
#[command(
    name = "apig-simulator",
    version,
    about = "Local stand-in for the APIG and ROMA Connect certificate APIs",
    after_help = AFTER_HELP
)]
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
    /// Seed of the random generator behind every fault `probability` (rules may carry their own
    /// `seed`); random when absent. The seed in use is shown by `GET /_sim/faults`.
    #[arg(long)]
    seed: Option<u64>,
    /// Read lag: a certificate younger than N ms answers 404 (APIG.3021) to GET and is missing
    /// from lists; 0 = off. Changeable with `PUT /_sim/behaviour`.
    #[arg(long, value_name = "N", default_value_t = 0)]
    read_lag_ms: u64,
    /// Write conflicts: a write to a certificate arriving while another write to it is in
    /// progress, or within N ms after that one's answer, gets 400 APIG.3500 and does nothing;
    /// 0 = only truly concurrent writes. Changeable with `PUT /_sim/behaviour`.
    #[arg(long, value_name = "N", default_value_t = 0)]
    write_conflict_window_ms: u64,
}

fn config(args: Args) -> Result<(SocketAddr, Config), String> {
    let mut config = Config {
        seed: args.seed,
        behaviour: Behaviour { read_lag_ms: args.read_lag_ms, write_conflict_window_ms: args.write_conflict_window_ms },
        ..Config::default()
    };
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
