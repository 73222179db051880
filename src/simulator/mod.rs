//! `apig-simulator`: a faithful local stand-in for the APIG (`/v2/{project}/apigw/...`) and ROMA
//! Connect (`/v2/{project}/apic/...`) certificate APIs, IAM password tokens, and an admin API under
//! `/_sim/` for tests. It shares `client::models` with the provider and nothing else: signature
//! verification and X.509 checks are its own.
//!
//! The two services are two independent clouds seeded from the same fixtures (see [`state`]).
//!
//! Where the documentation leaves a behaviour open, the simulator chooses (apig-api.md §6):
//! - deleting a bound certificate: 400 `APIG.2000` "The certificate has been bound to domain names: a,b";
//! - unknown project in the path, or a token scoped to another project: 403 `APIG.1005`;
//! - certificate names need not be unique; list filters match exactly; lists keep creation order;
//! - `instance_id` is mandatory on list (APIG.2001), and ROMA gets APIG's offset/limit rules;
//! - without `algorithm_type` the key decides (RSA → `RSA`, EC → `ECC`); SM2 is refused (APIG.2012);
//! - `trusted_root_ca` only on instance certificates; enabling client verification needs one;
//! - an omitted `type`/`instance_id` on update keeps the current value, a different one is refused;
//! - updating a bound certificate must keep covering its domains (APIG.2103); adding or removing
//!   its CA turns client verification off on them;
//! - `attached-domains` leaves `ssl_id`, `ssl_name`, redirect and ports empty, as the live API does;
//! - group details return `ssl_infos` on both services (integer `type` on APIG, string on ROMA);
//! - add-certificate-to-domain creates a global certificate (ROMA may ask for an instance one);
//! - AK/SK: `X-Sdk-Date` must be present and signed; no lock-out after failed attempts; the
//!   canonical URI decodes the whole path before splitting it (a segment `a%2Fb` signs as `a/b`),
//!   as the official SDKs do;
//! - group details carry `on_sell_status` 2 on both services;
//! - instance lists: every fixture instance is a running gateway on both services (APIG `Running`,
//!   `instance_status` 6, `spec` `BASIC`, `create_time` = start or reset; ROMA `RUNNING`,
//!   `flavor_type` `basic`); a fixture instance without a name is called `gateway-` + the first 8
//!   characters of its ID; ROMA's `limit` defaults to 10, and above 100 is cut to 100 (not refused);
//! - faults ([`faults`]): 429 answers `APIGW.0308`, 500/502/503/504 `APIG.9999`; a status
//!   `after_work` answers the status after the request took effect; probabilities roll with a
//!   seeded `StdRng` (a rule's own seed, else the simulator's `--seed`, else random);
//! - behaviour ([`behaviour`]): read lag hides young certificates from GETs and lists only (404
//!   `APIG.3021`), never from writes or `/_sim/state`; a write conflict is 400 `APIG.3500`; the
//!   write span starts at arrival, so concurrent writes conflict even with a window of 0; refused
//!   writes do not extend it; a changed window applies at once; ages and spans use the monotonic
//!   clock, not the (injectable) date clock.

pub mod admin;
pub mod api;
pub mod auth;
pub mod behaviour;
pub mod certificate_check;
pub mod clock;
pub mod errors;
pub mod faults;
pub mod fixtures;
pub mod iam;
pub mod request_id;
pub mod request_log;
pub mod routes;
pub mod server;
pub mod signature;
pub mod state;

use std::sync::{Arc, Mutex, MutexGuard};

use clock::Clock;
use fixtures::Fixtures;
use state::World;

/// An IAM user accepted by `POST /v3/auth/tokens`.
#[derive(Clone, PartialEq, Eq)]
pub struct IamUserConfig {
    pub name: String,
    pub password: String,
    pub domain: String,
}

impl std::fmt::Debug for IamUserConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IamUserConfig").field("name", &self.name).field("domain", &self.domain).finish_non_exhaustive()
    }
}

/// An accepted AK/SK pair.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessKeyConfig {
    pub access_key: String,
    pub secret_key: String,
}

impl std::fmt::Debug for AccessKeyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessKeyConfig").field("access_key", &self.access_key).finish_non_exhaustive()
    }
}

#[derive(Clone)]
pub struct Config {
    pub fixtures: Fixtures,
    /// Static tokens accepted in `X-Auth-Token` for every project.
    pub tokens: Vec<String>,
    pub access_keys: Vec<AccessKeyConfig>,
    pub users: Vec<IamUserConfig>,
    pub clock: Clock,
    /// Seed of the fault set's random generator (`--seed`); random when None.
    pub seed: Option<u64>,
    /// Read lag and write-conflict window at start and after `POST /_sim/reset`.
    pub behaviour: behaviour::Behaviour,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("tokens", &format_args!("<{} redacted>", self.tokens.len()))
            .field("access_keys", &self.access_keys)
            .field("users", &self.users)
            .field("seed", &self.seed)
            .field("behaviour", &self.behaviour)
            .finish_non_exhaustive()
    }
}

pub const DEFAULT_TOKEN: &str = "sim-token";
pub const DEFAULT_USER: &str = "sim-user";
pub const DEFAULT_PASSWORD: &str = "sim-password";
pub const DEFAULT_DOMAIN: &str = "sim-domain";

impl Default for Config {
    fn default() -> Self {
        Config {
            fixtures: Fixtures::default(),
            tokens: vec![DEFAULT_TOKEN.to_string()],
            access_keys: Vec::new(),
            users: vec![IamUserConfig {
                name: DEFAULT_USER.to_string(),
                password: DEFAULT_PASSWORD.to_string(),
                domain: DEFAULT_DOMAIN.to_string(),
            }],
            clock: Clock::system(),
            seed: None,
            behaviour: behaviour::Behaviour::default(),
        }
    }
}

/// The running simulator's shared state; cheap to clone.
#[derive(Clone)]
pub struct Sim(Arc<Shared>);

pub struct Shared {
    pub config: Config,
    world: Mutex<World>,
    pub tokens: Mutex<iam::TokenStore>,
    pub faults: Mutex<faults::FaultSet>,
    pub log: Mutex<request_log::RequestLog>,
    pub behaviour: Mutex<behaviour::Behaviour>,
    pub writes: Mutex<behaviour::WriteTracker>,
}

impl Sim {
    pub fn new(config: Config) -> Sim {
        let world = World::from_fixtures(&config.fixtures, config.clock.now());
        Sim(Arc::new(Shared {
            world: Mutex::new(world),
            tokens: Mutex::new(iam::TokenStore::default()),
            faults: Mutex::new(faults::FaultSet::seeded(config.seed)),
            log: Mutex::new(request_log::RequestLog::default()),
            behaviour: Mutex::new(config.behaviour),
            writes: Mutex::new(behaviour::WriteTracker::default()),
            config,
        }))
    }

    pub fn config(&self) -> &Config {
        &self.0.config
    }

    pub fn now(&self) -> time::OffsetDateTime {
        self.0.config.clock.now()
    }

    /// The world, locked. Never held across an `.await`.
    pub fn world(&self) -> MutexGuard<'_, World> {
        lock(&self.0.world)
    }

    pub fn tokens(&self) -> MutexGuard<'_, iam::TokenStore> {
        lock(&self.0.tokens)
    }

    pub fn faults(&self) -> MutexGuard<'_, faults::FaultSet> {
        lock(&self.0.faults)
    }

    pub fn log(&self) -> MutexGuard<'_, request_log::RequestLog> {
        lock(&self.0.log)
    }

    /// The read-lag and write-conflict settings in force.
    pub fn behaviour(&self) -> MutexGuard<'_, behaviour::Behaviour> {
        lock(&self.0.behaviour)
    }

    pub fn writes(&self) -> MutexGuard<'_, behaviour::WriteTracker> {
        lock(&self.0.writes)
    }

    /// Back to the fixtures: objects, issued tokens, faults, the request log and the behaviour
    /// settings are all reset. Faults roll with `seed`, else `--seed`, else a random seed.
    pub fn reset(&self, seed: Option<u64>) {
        let fresh = World::from_fixtures(&self.0.config.fixtures, self.now());
        *self.world() = fresh;
        *self.tokens() = iam::TokenStore::default();
        *self.faults() = faults::FaultSet::seeded(seed.or(self.0.config.seed));
        *self.log() = request_log::RequestLog::default();
        *self.behaviour() = self.0.config.behaviour;
        *self.writes() = behaviour::WriteTracker::default();
    }
}

/// A poisoned lock only means another request panicked mid-update; the data is still usable.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
