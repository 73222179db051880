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
//! - AK/SK: `X-Sdk-Date` must be present and signed; no lock-out after failed attempts.

pub mod admin;
pub mod api;
pub mod auth;
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
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("tokens", &format_args!("<{} redacted>", self.tokens.len()))
            .field("access_keys", &self.access_keys)
            .field("users", &self.users)
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
}

impl Sim {
    pub fn new(config: Config) -> Sim {
        let world = World::from_fixtures(&config.fixtures, config.clock.now());
        Sim(Arc::new(Shared {
            config,
            world: Mutex::new(world),
            tokens: Mutex::new(iam::TokenStore::default()),
            faults: Mutex::new(faults::FaultSet::default()),
            log: Mutex::new(request_log::RequestLog::default()),
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

    /// Back to the fixtures: objects, issued tokens, faults and the request log are all reset.
    pub fn reset(&self) {
        let fresh = World::from_fixtures(&self.0.config.fixtures, self.now());
        *self.world() = fresh;
        *self.tokens() = iam::TokenStore::default();
        *self.faults() = faults::FaultSet::default();
        *self.log() = request_log::RequestLog::default();
    }
}

/// A poisoned lock only means another request panicked mid-update; the data is still usable.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
