//! List resources for `terraform query` (Terraform ≥ 1.14), an opt-in capability: a provider
//! returns them from [`Provider::list_resources`](super::Provider::list_resources). A list
//! resource declares its `config { }` block and finds objects; the engine validates the config,
//! shapes each object like a read would, computes its identity, honours `limit`, includes the
//! object only when Terraform asks, and stops the listing when Terraform stops reading.

use crate::protocol::Diagnostics;
use crate::protocol::cty::Value;

use super::schema::ResourceSchema;
use super::traits::Context;

/// What a listing is asked for.
pub struct ListRequest {
    /// The `config { }` block, validated.
    pub config: Value,
    /// Terraform wants each whole object (`-generate-config-out`): worth a detail read per
    /// object when the list call returns less than a read does. Otherwise only the identity and
    /// display name are used.
    pub include_resource_object: bool,
}

/// One object found: its state (as a read returns it) and the line `terraform query` shows.
pub struct Listed {
    pub object: Value,
    pub display_name: String,
}

/// Where a listing sends what it finds ([`ListSink::send`]); built by the engine.
pub struct ListSink<'a> {
    pub(crate) inner: &'a mut (dyn SinkInner + 'a),
}

/// The engine's side of a [`ListSink`].
#[async_trait::async_trait]
pub(crate) trait SinkInner: Send {
    async fn send(&mut self, listed: Listed) -> bool;
}

impl ListSink<'_> {
    /// Sends one object. `false`: stop listing (the limit is reached, Terraform stopped reading,
    /// or the operation was stopped); fetching more pages would be wasted.
    pub async fn send(&mut self, listed: Listed) -> bool {
        self.inner.send(listed).await
    }
}

#[async_trait::async_trait]
pub trait ListResource: Send + Sync + 'static {
    /// The managed resource type it lists; that resource must have an identity.
    fn type_name(&self) -> &'static str;
    /// The `config { }` block of a `list` block.
    fn schema(&self) -> ResourceSchema;
    /// Checks beyond per-attribute validators (as [`Resource::validate`](super::Resource::validate)).
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// Finds the objects `config` selects and sends each, page by page, until `out` says stop.
    /// An error ends the listing (what was sent before stays listed).
    async fn list(&self, ctx: &Context, req: ListRequest, out: &mut ListSink<'_>) -> Result<(), Diagnostics>;
}
