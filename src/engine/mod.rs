//! The engine: owns the generic Terraform rules once (computed → unknown on plan, requires-replace,
//! defaults, sensitive and write-only handling, timeouts, import passthrough, validators, state
//! upgrades, private state, Stop) so that a resource only declares its schema and its API calls.
//! [`Engine`] implements [`crate::protocol::ProviderServer`] for any [`Provider`].
//!
//! What a resource gets from the engine, so it need not do it itself:
//! - validation: required attributes, attribute validators on known values (nested blocks too),
//!   block counts, config validators, then [`Resource::validate`]; all again at apply, before any
//!   API call, for values that were unknown at plan;
//! - planning: computed attributes left null by the config become their `default`, unknown (on
//!   create, or on an update that changes something), or keep the prior value
//!   (`use_state_for_unknown`, or nothing changed); write-only attributes are null; blocks keep the
//!   config's structure; `requires_replace` paths are computed; a timeouts-only change is a no-op
//!   remotely (update is not called);
//! - apply/read/import results: shaped to the schema, write-only nulled, the `timeouts` block
//!   kept, known planned values preserved, leftover unknowns reported;
//! - identity (opt-in, [`identity::ResourceIdentity`]): computed from the object in every answer,
//!   import by identity through the resource's import ID, identity upgrades;
//! - list resources (opt-in, [`list::ListResource`]): config validated, objects shaped like a
//!   read, identities computed, `limit` and cancellation honoured;
//! - `ctx.scope` ends on Stop or when the operation's timeout passes, and says which
//!   ([`interrupted_diagnostic`] words each for the user).

mod checks;
mod codec;
mod compiled;
mod context;
mod cursor;
mod finalize;
pub mod identity;
pub mod list;
pub mod model;
mod plan;
pub mod schema;
mod server;
mod timeouts;
mod traits;
mod upgrade;
mod validate;
pub mod validators;
mod values;

pub use context::interrupted_diagnostic;
pub use schema::*;
pub use server::Engine;
pub use traits::*;
