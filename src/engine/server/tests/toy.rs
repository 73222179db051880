//! A toy provider for engine tests: one resource, one data source, two functions. The shared
//! [`Probe`] records what the resource saw and switches misbehaviours on.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::engine::validators::Validator;
use crate::engine::*;
use crate::protocol::cty::{Type, Value};
use crate::protocol::schema::{FunctionSignature, NestingMode, Parameter, StringKind};
use crate::protocol::{AttributePath, Diagnostic, Diagnostics, FunctionError};

#[derive(Default)]
pub struct Probe {
    pub calls: Mutex<Vec<String>>,
    /// Create waits for `ctx.scope` to end (Stop or deadline) instead of returning.
    pub block_on_create: AtomicBool,
    /// Create/update return another name, a write-only value and a stray unknown.
    pub misbehave: AtomicBool,
    /// Read reports the object gone.
    pub gone: AtomicBool,
    pub last_deadline: Mutex<Option<crate::scope::Deadline>>,
    pub last_config_secret_wo: Mutex<Option<Value>>,
    pub configured_with: Mutex<Option<String>>,
    /// The endpoint of the provider data the last create saw.
    pub create_saw_endpoint: Mutex<Option<String>>,
    /// What validation made (the name it checked) as the last create or update received it.
    pub apply_saw_validated: Mutex<Option<String>>,
}

impl Probe {
    pub fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }
    fn record(&self, s: &str) {
        self.calls.lock().unwrap().push(s.to_string());
    }
}

/// What the toy resource's validation hands its apply.
struct ValidatedName(String);

/// Rejects names longer than 10 characters.
pub struct ShortName;
impl Validator for ShortName {
    fn description(&self) -> String {
        "at most 10 characters".into()
    }
    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        if value.as_str().is_some_and(|s| s.len() > 10) {
            diags.attribute_error(path.clone(), "Name too long", "Use at most 10 characters.");
        }
    }
}

/// Ports must be 1..=65535.
pub struct PortRange;
impl Validator for PortRange {
    fn description(&self) -> String {
        "1 to 65535".into()
    }
    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        if value.as_i64().is_none_or(|p| !(1..=65535).contains(&p)) {
            diags.attribute_error(path.clone(), "Invalid port", "Use a port from 1 to 65535.");
        }
    }
}

pub struct ToyProvider {
    pub probe: Arc<Probe>,
}

pub struct Client {
    pub endpoint: String,
}

#[async_trait::async_trait]
impl Provider for ToyProvider {
    fn type_name(&self) -> &'static str {
        "toy"
    }
    fn schema(&self) -> ResourceSchema {
        ResourceSchema::new(
            BlockSchema::new("Toy provider.")
                .attribute(AttributeSchema::string("endpoint").optional().validator(ShortName))
                .attribute(AttributeSchema::string("token").optional().sensitive()),
        )
    }
    async fn configure(&self, _ctx: &Context, _tf: &str, config: Value) -> Result<ProviderData, Diagnostics> {
        let endpoint = config.get_str("endpoint").unwrap_or("default").to_string();
        *self.probe.configured_with.lock().unwrap() = Some(endpoint.clone());
        if endpoint == "fail" {
            return Err(Diagnostic::error("Cannot configure", "Endpoint says no.").into());
        }
        Ok(Arc::new(Client { endpoint }))
    }
    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![Arc::new(Thing { probe: self.probe.clone() })]
    }
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![Arc::new(Lookup)]
    }
    fn functions(&self) -> Vec<Arc<dyn Function>> {
        vec![Arc::new(Upper), Arc::new(Join)]
    }
    fn list_resources(&self) -> Vec<Arc<dyn crate::engine::list::ListResource>> {
        vec![Arc::new(ThingList { probe: self.probe.clone() })]
    }
}

pub struct Thing {
    pub probe: Arc<Probe>,
}

pub fn minute() -> Option<Duration> {
    Some(Duration::from_secs(60))
}

#[async_trait::async_trait]
impl Resource for Thing {
    fn identity(&self) -> Option<&dyn crate::engine::identity::ResourceIdentity> {
        Some(self)
    }
    fn type_name(&self) -> &'static str {
        "toy_thing"
    }
    fn schema(&self) -> ResourceSchema {
        ResourceSchema::new(
            BlockSchema::new("A thing.")
                .attribute(AttributeSchema::string("id").computed().use_state_for_unknown().description("ID."))
                .attribute(AttributeSchema::string("name").required().validator(ShortName))
                .attribute(AttributeSchema::string("kind").optional().requires_replace())
                .attribute(AttributeSchema::string("mode").optional().computed().default("auto"))
                .attribute(AttributeSchema::string("updated_at").computed())
                .attribute(AttributeSchema::string("secret").optional().sensitive())
                .attribute(AttributeSchema::string("secret_wo").optional().write_only())
                .block(NestedBlockSchema::new(
                    "rule",
                    NestingMode::List,
                    BlockSchema::new("A rule.")
                        .attribute(AttributeSchema::number("port").required().validator(PortRange))
                        .attribute(AttributeSchema::string("label").optional()),
                ))
                .block(NestedBlockSchema::new(
                    "tag",
                    NestingMode::Set,
                    BlockSchema::new("A tag.")
                        .attribute(AttributeSchema::string("key").required().validator(ShortName)),
                )),
        )
        .version(1)
        .timeouts(TimeoutDefaults { create: minute(), read: minute(), update: minute(), delete: minute() })
    }
    fn validate(&self, config: &Value, diags: &mut Diagnostics) -> Validated {
        if config.get_str("kind") == Some("forbidden") {
            diags.attribute_error(AttributePath::attr("kind"), "Forbidden kind", "Pick another kind.");
        }
        match config.get_str("name") {
            Some(name) => Validated::new(ValidatedName(name.to_string())),
            None => Validated::none(),
        }
    }
    async fn modify_plan(&self, _ctx: &Context, plan: &mut PlanContext) {
        if plan.config.get_str("name") == Some("replaceme") && plan.prior.is_some() {
            plan.requires_replace.push(AttributePath::attr("name"));
            plan.requires_replace.push(AttributePath::attr("no_such_attribute"));
        }
        if plan.config.get_str("name") == Some("private") {
            plan.private.insert("planned".into(), serde_json::Value::Bool(true));
        }
    }
    async fn create(&self, ctx: &Context, req: CreateRequest) -> ApplyOutcome {
        self.probe.record("create");
        *self.probe.apply_saw_validated.lock().unwrap() = req.validated.get::<ValidatedName>().map(|n| n.0.clone());
        *self.probe.last_deadline.lock().unwrap() = ctx.scope.deadline();
        *self.probe.last_config_secret_wo.lock().unwrap() = req.config.get("secret_wo").cloned();
        match ctx.provider::<Client>() {
            Ok(client) => *self.probe.create_saw_endpoint.lock().unwrap() = Some(client.endpoint.clone()),
            Err(d) => return Err(d.into()),
        }
        if self.probe.block_on_create.load(Ordering::SeqCst) {
            tokio::select! {
                why = ctx.scope.ended() => {
                    self.probe.record("cancelled");
                    return Err(crate::engine::interrupted_diagnostic("Cannot create the thing", &why, None).into());
                }
                _ = tokio::time::sleep(Duration::from_secs(30)) => {
                    return Err(Diagnostic::error("Not cancelled", "Cancellation never arrived.").into());
                }
            }
        }
        let mut state = req.planned.clone();
        state.set("id", Value::string("thing-1"));
        state.set("updated_at", Value::string("t1"));
        if self.probe.misbehave.load(Ordering::SeqCst) {
            state.set("name", Value::string("renamed"));
            state.set("secret_wo", Value::string("leak"));
            state.set("updated_at", Value::Unknown);
        }
        Ok(Applied::new(state, req.private))
    }
    async fn read(&self, ctx: &Context, req: ReadRequest) -> ReadOutcome {
        self.probe.record("read");
        *self.probe.last_deadline.lock().unwrap() = ctx.scope.deadline();
        if self.probe.gone.load(Ordering::SeqCst) {
            return Ok(None);
        }
        let mut state = req.state;
        // Remote truth: updated_at moved on, and the resource forgets the timeouts block.
        state.set("updated_at", Value::string("t2"));
        state.set("timeouts", Value::Null);
        Ok(Some(Found { state, private: req.private }))
    }
    async fn update(&self, _ctx: &Context, req: UpdateRequest) -> ApplyOutcome {
        self.probe.record("update");
        *self.probe.apply_saw_validated.lock().unwrap() = req.validated.get::<ValidatedName>().map(|n| n.0.clone());
        let mut state = req.planned.clone();
        if state.get("updated_at").is_some_and(Value::is_unknown) {
            state.set("updated_at", Value::string("t3"));
        }
        Ok(Applied::new(state, req.private))
    }
    async fn delete(&self, _ctx: &Context, req: DeleteRequest) -> Result<(), Diagnostics> {
        self.probe.record("delete");
        if req.prior.get_str("name") == Some("nodelete") {
            return Err(Diagnostic::error("Cannot delete", "Still in use.").into());
        }
        Ok(())
    }
    fn upgrade_state(&self, from_version: i64, mut state: serde_json::Value) -> Result<serde_json::Value, Diagnostics> {
        if from_version != 0 {
            return Err(Diagnostic::error("No upgrade", "Unknown version.").into());
        }
        if let Some(obj) = state.as_object_mut()
            && let Some(title) = obj.remove("title")
        {
            obj.insert("name".into(), title);
        }
        Ok(state)
    }
}

pub struct Lookup;

#[async_trait::async_trait]
impl DataSource for Lookup {
    fn type_name(&self) -> &'static str {
        "toy_lookup"
    }
    fn schema(&self) -> ResourceSchema {
        ResourceSchema::new(
            BlockSchema::new("Looks a thing up.")
                .attribute(AttributeSchema::string("name").required().validator(ShortName))
                .attribute(AttributeSchema::string("value").computed()),
        )
    }
    async fn read(&self, _ctx: &Context, config: Value) -> (Option<Value>, Diagnostics) {
        let mut state = config;
        let upper = state.get_str("name").map(str::to_uppercase);
        state.set("value", upper.into());
        (Some(state), Diagnostics::new())
    }
}

pub struct Upper;

impl Function for Upper {
    fn name(&self) -> &'static str {
        "upper"
    }
    fn signature(&self) -> FunctionSignature {
        FunctionSignature {
            parameters: vec![param("text", Type::String)],
            return_type: Type::String,
            summary: "Upper-cases text.".into(),
            ..Default::default()
        }
    }
    fn call(&self, args: &[Value]) -> Result<Value, FunctionError> {
        match args.first().and_then(Value::as_str) {
            Some("") | None => Err(FunctionError { text: "text must not be empty".into(), function_argument: Some(0) }),
            Some(s) => Ok(Value::string(s.to_uppercase())),
        }
    }
}

pub struct Join;

impl Function for Join {
    fn name(&self) -> &'static str {
        "join"
    }
    fn signature(&self) -> FunctionSignature {
        FunctionSignature {
            parameters: vec![param("separator", Type::String)],
            variadic_parameter: Some(param("parts", Type::Number)),
            return_type: Type::String,
            ..Default::default()
        }
    }
    fn call(&self, args: &[Value]) -> Result<Value, FunctionError> {
        let sep = args.first().and_then(Value::as_str).unwrap_or("");
        let parts: Vec<String> =
            args.iter().skip(1).map(|v| v.as_number().map(|n| n.to_string()).unwrap_or_default()).collect();
        Ok(Value::string(parts.join(sep)))
    }
}

fn param(name: &str, ty: Type) -> Parameter {
    Parameter {
        name: name.into(),
        ty,
        allow_null_value: false,
        allow_unknown_values: false,
        description: String::new(),
        description_kind: StringKind::Plain,
    }
}

/// The thing's identity: its `id`, and the endpoint of the provider that holds it (optional for
/// import, as `project_id` is in the real provider).
impl crate::engine::identity::ResourceIdentity for Thing {
    fn schema(&self) -> crate::protocol::schema::IdentitySchema {
        use crate::engine::identity::string_attribute;
        crate::protocol::schema::IdentitySchema {
            version: 0,
            attributes: vec![string_attribute("id", true, "ID."), string_attribute("endpoint", false, "Endpoint.")],
        }
    }
    fn of_object(&self, ctx: &Context, object: &Value) -> Result<Value, Diagnostic> {
        let endpoint = ctx.provider::<Client>()?.endpoint.clone();
        Ok(Value::object([
            ("id", object.get("id").cloned().unwrap_or(Value::Null)),
            ("endpoint", Value::string(endpoint)),
        ]))
    }
    fn import_id(&self, ctx: &Context, identity: &Value) -> Result<String, Diagnostic> {
        let endpoint = ctx.provider::<Client>()?.endpoint.clone();
        if identity.get_str("endpoint").is_some_and(|e| e != endpoint) {
            return Err(Diagnostic::error("Other endpoint", "Use a provider for that endpoint."));
        }
        Ok(identity.get_str("id").unwrap_or_default().to_string())
    }
}

/// Lists `count` things named `thing-0`, `thing-1`, …; `count = 13` fails after the first.
pub struct ThingList {
    pub probe: Arc<Probe>,
}

#[async_trait::async_trait]
impl crate::engine::list::ListResource for ThingList {
    fn type_name(&self) -> &'static str {
        "toy_thing"
    }
    fn schema(&self) -> ResourceSchema {
        ResourceSchema::new(
            BlockSchema::new("Toy listing.")
                .attribute(AttributeSchema::number("count").required().validator(PortRange))
                .attribute(AttributeSchema::string("prefix").optional().validator(ShortName)),
        )
    }
    async fn list(
        &self,
        _ctx: &Context,
        req: crate::engine::list::ListRequest,
        out: &mut crate::engine::list::ListSink<'_>,
    ) -> Result<(), Diagnostics> {
        let count = req.config.get("count").and_then(Value::as_i64).unwrap_or(0);
        for i in 0..count {
            self.probe.record(&format!("list {i}"));
            if count == 13 && i == 1 {
                return Err(Diagnostic::error("Listing failed", "The API said no.").into());
            }
            let object = Value::object([
                ("id", Value::string(format!("thing-{i}"))),
                ("name", Value::string(format!("thing-{i}"))),
                ("secret_wo", Value::string("never listed")),
            ]);
            let listed = crate::engine::list::Listed { object, display_name: format!("thing {i}") };
            if !out.send(listed).await {
                break;
            }
        }
        Ok(())
    }
}
