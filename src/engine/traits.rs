use std::any::Any;
use std::sync::Arc;

use crate::scope::OperationScope;
use serde_json::{Map, Value as Json};

use crate::protocol::cty::Value;
use crate::protocol::schema::FunctionSignature;
use crate::protocol::{Diagnostic, Diagnostics, FunctionError};

use super::schema::{BlockSchema, ResourceSchema};

/// Opaque per-resource private state, stored by Terraform beside the state (JSON object).
pub type Private = Map<String, Json>;

/// What the configured provider hands to resources (the API client, defaults, ...).
pub type ProviderData = Arc<dyn Any + Send + Sync>;

/// Per-call context: the operation's scope (Terraform's Stop, and the deadline from the
/// `timeouts {}` block or its default), and the provider's data.
#[derive(Clone)]
pub struct Context {
    pub scope: OperationScope,
    pub provider_data: Option<ProviderData>,
}

impl Context {
    /// The configured provider's data of type `T`, or a diagnostic saying the provider is not
    /// configured (configuration had unknown values, or Configure failed).
    pub fn provider<T: Any + Send + Sync>(&self) -> Result<&T, Diagnostic> {
        self.provider_data.as_ref().and_then(|d| d.downcast_ref::<T>()).ok_or_else(|| {
            Diagnostic::error(
                "Provider not configured",
                "The provider block could not be fully evaluated yet (it depends on values known only after apply), \
                 so this operation cannot reach the API. Make the provider configuration known at plan time.",
            )
        })
    }
}

/// What a resource's [`Resource::validate`] made of a configuration (a parsed certificate, say),
/// handed by the engine to the create or update of the same apply so that nothing is parsed twice.
/// At plan time it is dropped. Opaque to the engine, like [`ProviderData`].
#[derive(Default)]
pub struct Validated(Option<Box<dyn Any + Send + Sync>>);

impl Validated {
    /// Nothing worth passing on.
    pub fn none() -> Self {
        Validated(None)
    }
    pub fn new<T: Any + Send + Sync>(artifact: T) -> Self {
        Validated(Some(Box::new(artifact)))
    }
    /// What validation made, if it made a `T`.
    pub fn get<T: Any + Send + Sync>(&self) -> Option<&T> {
        self.0.as_ref().and_then(|a| a.downcast_ref::<T>())
    }
}

pub struct CreateRequest {
    /// The configuration (write-only attributes are only here).
    pub config: Value,
    pub planned: Value,
    pub private: Private,
    /// What `validate` made of `config` moments ago.
    pub validated: Validated,
}
pub struct UpdateRequest {
    pub config: Value,
    pub planned: Value,
    pub prior: Value,
    pub private: Private,
    /// What `validate` made of `config` moments ago.
    pub validated: Validated,
}
pub struct DeleteRequest {
    pub prior: Value,
    pub private: Private,
}
pub struct ReadRequest {
    pub state: Value,
    pub private: Private,
}

/// The engine's view of a create/update's answer (resources return [`ApplyOutcome`]): the new
/// state (`None` if nothing was created), private state, and diagnostics.
///
/// The engine then enforces Terraform's rules on `state`: missing attributes become null,
/// write-only attributes null, the `timeouts` block is copied from the plan, every known planned
/// value is kept as planned, and an unknown left behind becomes an error. With error diagnostics
/// and no state, a create saves nothing and an update keeps the prior state.
#[derive(Default)]
pub struct ApplyResult {
    pub state: Option<Value>,
    /// Stored as the new private state; left empty, the incoming private state is kept.
    pub private: Private,
    pub diagnostics: Diagnostics,
}

impl ApplyResult {
    pub fn ok(state: Value, private: Private) -> Self {
        ApplyResult { state: Some(state), private, diagnostics: Diagnostics::new() }
    }
    pub fn error(d: impl Into<Diagnostics>) -> Self {
        ApplyResult { state: None, private: Private::new(), diagnostics: d.into() }
    }
}

/// A create or update that succeeded: the new state, the private state to store (left empty, the
/// incoming private state is kept), and any warnings.
pub struct Applied {
    pub state: Value,
    pub private: Private,
    pub warnings: Diagnostics,
}

impl Applied {
    pub fn new(state: Value, private: Private) -> Self {
        Applied { state, private, warnings: Diagnostics::new() }
    }
}

/// A create or update that failed. `partial` is the state to save anyway when the remote object
/// exists although the operation could not finish (a create whose follow-up read failed: saved,
/// and tainted by Terraform; an update that left the object as it was). Without it a failed create
/// saves nothing and a failed update keeps the prior state.
pub struct ApplyFailure {
    pub diagnostics: Diagnostics,
    pub partial: Option<(Value, Private)>,
}

impl ApplyFailure {
    /// The object exists as `state` although the operation failed.
    pub fn partial(diagnostics: impl Into<Diagnostics>, state: Value, private: Private) -> Self {
        ApplyFailure { diagnostics: diagnostics.into(), partial: Some((state, private)) }
    }
}

impl From<Diagnostic> for ApplyFailure {
    fn from(d: Diagnostic) -> Self {
        ApplyFailure { diagnostics: d.into(), partial: None }
    }
}

impl From<Diagnostics> for ApplyFailure {
    fn from(diagnostics: Diagnostics) -> Self {
        ApplyFailure { diagnostics, partial: None }
    }
}

impl From<super::model::ModelError> for ApplyFailure {
    fn from(e: super::model::ModelError) -> Self {
        Diagnostic::from(e).into()
    }
}

/// What create and update return: `?` works on anything that is a diagnostic.
pub type ApplyOutcome = Result<Applied, ApplyFailure>;

impl From<ApplyOutcome> for ApplyResult {
    fn from(outcome: ApplyOutcome) -> Self {
        match outcome {
            Ok(a) => ApplyResult { state: Some(a.state), private: a.private, diagnostics: a.warnings },
            Err(ApplyFailure { diagnostics, partial: Some((state, private)) }) => {
                ApplyResult { state: Some(state), private, diagnostics }
            }
            Err(ApplyFailure { diagnostics, partial: None }) => ApplyResult::error(diagnostics),
        }
    }
}

/// A read that found the object.
pub struct Found {
    pub state: Value,
    /// Left empty, the incoming private state is kept.
    pub private: Private,
}

/// What read returns: `Ok(Some(..))` the object as it is now, `Ok(None)` it is gone (Terraform
/// drops it from state and plans a create), `Err` the read failed (the state stays as it was).
pub type ReadOutcome = Result<Option<Found>, Diagnostics>;

impl From<ReadOutcome> for ReadResult {
    fn from(outcome: ReadOutcome) -> Self {
        match outcome {
            Ok(Some(f)) => ReadResult { state: Some(f.state), private: f.private, diagnostics: Diagnostics::new() },
            Ok(None) => ReadResult::default(),
            Err(diagnostics) => ReadResult { state: None, private: Private::new(), diagnostics },
        }
    }
}

/// The engine's view of a read's answer.
#[derive(Default)]
pub struct ReadResult {
    /// `None`: the remote object is gone; Terraform drops it from state and plans a create.
    /// (`None` together with error diagnostics keeps the current state instead.)
    pub state: Option<Value>,
    /// Left empty, the incoming private state is kept.
    pub private: Private,
    pub diagnostics: Diagnostics,
}

#[derive(Default)]
pub struct ImportResult {
    pub state: Option<Value>,
    pub private: Private,
    pub diagnostics: Diagnostics,
}

/// A plan in the making, handed to [`Resource::modify_plan`] after the engine applied the generic
/// rules (defaults, computed → unknown, use-state-for-unknown, requires-replace).
pub struct PlanContext {
    /// `None` when the object is being created.
    pub prior: Option<Value>,
    pub config: Value,
    pub planned: Value,
    pub requires_replace: Vec<crate::protocol::AttributePath>,
    pub private: Private,
    pub diagnostics: Diagnostics,
}

#[async_trait::async_trait]
pub trait Resource: Send + Sync + 'static {
    /// Full type name, e.g. `apig_certificate`.
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> ResourceSchema;
    /// Checks beyond per-attribute validators. `config` may contain unknowns: check only what is
    /// known; the engine calls this again at apply when everything is known, and hands what it
    /// returns to that apply's create or update (parse once, use twice).
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) -> Validated {
        Validated::none()
    }
    /// Refines the plan (predict computed values, mark more unknown, add requires-replace paths).
    async fn modify_plan(&self, _ctx: &Context, _plan: &mut PlanContext) {}
    async fn create(&self, ctx: &Context, req: CreateRequest) -> ApplyOutcome;
    async fn read(&self, ctx: &Context, req: ReadRequest) -> ReadOutcome;
    async fn update(&self, ctx: &Context, req: UpdateRequest) -> ApplyOutcome;
    /// Deletes the object; `Ok` also when it was already gone.
    async fn delete(&self, ctx: &Context, req: DeleteRequest) -> Result<(), Diagnostics>;
    /// Default: passthrough of the ID into the `id` attribute, everything else null.
    async fn import(&self, _ctx: &Context, id: &str) -> ImportResult {
        let mut state = Value::null_object_of(&self.schema().block_type());
        state.set("id", Value::string(id));
        ImportResult { state: Some(state), ..Default::default() }
    }
    /// The resource's identity (Terraform ≥ 1.12), if it has one: opt in by returning `Some(self)`
    /// and implementing [`ResourceIdentity`](super::identity::ResourceIdentity).
    fn identity(&self) -> Option<&dyn super::identity::ResourceIdentity> {
        None
    }
    /// Upgrades state JSON written by schema `from_version` (< current) to the current version's
    /// shape. Default: no upgrades exist.
    fn upgrade_state(&self, from_version: i64, _state: Json) -> Result<Json, Diagnostics> {
        Err(Diagnostic::error(
            "Unsupported state version",
            format!("{} has no upgrade from schema version {from_version}.", self.type_name()),
        )
        .into())
    }
}

#[async_trait::async_trait]
pub trait DataSource: Send + Sync + 'static {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> ResourceSchema;
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// Returns the full state object (config values plus computed attributes).
    async fn read(&self, ctx: &Context, config: Value) -> (Option<Value>, Diagnostics);
}

/// A provider-defined function: pure, local, callable without Configure.
pub trait Function: Send + Sync + 'static {
    fn name(&self) -> &'static str;
    fn signature(&self) -> FunctionSignature;
    fn call(&self, args: &[Value]) -> Result<Value, FunctionError>;
}

#[async_trait::async_trait]
pub trait Provider: Send + Sync + 'static {
    /// The provider type name, e.g. `apig`.
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> ResourceSchema;
    /// Cross-attribute checks of the provider block (may hold unknowns).
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// Builds what resources need (the API client). `config` is wholly known when called.
    async fn configure(
        &self,
        ctx: &Context,
        terraform_version: &str,
        config: Value,
    ) -> Result<ProviderData, Diagnostics>;
    fn resources(&self) -> Vec<Arc<dyn Resource>>;
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>>;
    fn functions(&self) -> Vec<Arc<dyn Function>>;
    /// List resources for `terraform query` (opt-in); each lists a managed resource type that has
    /// an identity.
    fn list_resources(&self) -> Vec<Arc<dyn super::list::ListResource>> {
        Vec::new()
    }
}

impl ResourceSchema {
    /// The cty object type of the configuration/state this schema describes (without timeouts).
    pub fn block_type(&self) -> crate::protocol::cty::Type {
        self.block.block_type()
    }
}

impl BlockSchema {
    pub fn block_type(&self) -> crate::protocol::cty::Type {
        use crate::protocol::cty::Type;
        use crate::protocol::schema::NestingMode;
        let mut attrs = std::collections::BTreeMap::new();
        for a in &self.attributes {
            attrs.insert(a.name.clone(), a.ty.clone());
        }
        for b in &self.blocks {
            let inner = b.block.block_type();
            let t = match b.nesting {
                NestingMode::Single | NestingMode::Group => inner,
                NestingMode::List => Type::list(inner),
                NestingMode::Set => Type::set(inner),
                NestingMode::Map => Type::map(inner),
            };
            attrs.insert(b.type_name.clone(), t);
        }
        Type::Object(attrs)
    }
}
