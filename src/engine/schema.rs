//! Declarative schemas: what a resource, data source or the provider says about its attributes.
//! The engine turns these into wire schemas and applies validators and plan modifiers itself.

use std::sync::Arc;
use std::time::Duration;

use crate::protocol::cty::{Type, Value};
use crate::protocol::schema::NestingMode;

use super::validators::{ConfigValidator, Validator};

/// Generic plan behaviour attached to an attribute; the engine applies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanModifier {
    /// A change of this attribute (once the object exists) replaces the object.
    RequiresReplace,
    /// A computed attribute keeps its prior value on update instead of becoming unknown.
    UseStateForUnknown,
}

#[derive(Clone)]
pub struct AttributeSchema {
    pub name: String,
    pub ty: Type,
    pub description: String,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    pub write_only: bool,
    pub deprecation: Option<String>,
    /// Planned when the configuration leaves an optional+computed attribute null.
    pub default: Option<Value>,
    pub validators: Vec<Arc<dyn Validator>>,
    pub plan_modifiers: Vec<PlanModifier>,
}

impl std::fmt::Debug for AttributeSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AttributeSchema").field("name", &self.name).field("ty", &self.ty).finish_non_exhaustive()
    }
}

impl AttributeSchema {
    pub fn new(name: &str, ty: Type) -> Self {
        AttributeSchema {
            name: name.to_string(),
            ty,
            description: String::new(),
            required: false,
            optional: false,
            computed: false,
            sensitive: false,
            write_only: false,
            deprecation: None,
            default: None,
            validators: Vec::new(),
            plan_modifiers: Vec::new(),
        }
    }
    pub fn string(name: &str) -> Self {
        Self::new(name, Type::String)
    }
    pub fn number(name: &str) -> Self {
        Self::new(name, Type::Number)
    }
    pub fn bool(name: &str) -> Self {
        Self::new(name, Type::Bool)
    }
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub fn optional(mut self) -> Self {
        self.optional = true;
        self
    }
    pub fn computed(mut self) -> Self {
        self.computed = true;
        self
    }
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
    pub fn write_only(mut self) -> Self {
        self.write_only = true;
        self
    }
    pub fn description(mut self, d: &str) -> Self {
        self.description = d.to_string();
        self
    }
    pub fn default(mut self, v: impl Into<Value>) -> Self {
        self.default = Some(v.into());
        self
    }
    pub fn validator(mut self, v: impl Validator + 'static) -> Self {
        self.validators.push(Arc::new(v));
        self
    }
    pub fn requires_replace(mut self) -> Self {
        self.plan_modifiers.push(PlanModifier::RequiresReplace);
        self
    }
    pub fn use_state_for_unknown(mut self) -> Self {
        self.plan_modifiers.push(PlanModifier::UseStateForUnknown);
        self
    }
    pub fn deprecated(mut self, message: &str) -> Self {
        self.deprecation = Some(message.to_string());
        self
    }
}

#[derive(Clone, Debug, Default)]
pub struct BlockSchema {
    pub description: String,
    pub attributes: Vec<AttributeSchema>,
    pub blocks: Vec<NestedBlockSchema>,
}

impl BlockSchema {
    pub fn new(description: &str) -> Self {
        BlockSchema { description: description.to_string(), ..Default::default() }
    }
    pub fn attribute(mut self, a: AttributeSchema) -> Self {
        self.attributes.push(a);
        self
    }
    pub fn block(mut self, b: NestedBlockSchema) -> Self {
        self.blocks.push(b);
        self
    }
}

#[derive(Clone, Debug)]
pub struct NestedBlockSchema {
    pub type_name: String,
    pub nesting: NestingMode,
    pub min_items: i64,
    pub max_items: i64,
    pub block: BlockSchema,
    pub plan_modifiers: Vec<PlanModifier>,
}

impl NestedBlockSchema {
    pub fn new(type_name: &str, nesting: NestingMode, block: BlockSchema) -> Self {
        NestedBlockSchema {
            type_name: type_name.to_string(),
            nesting,
            min_items: 0,
            max_items: 0,
            block,
            plan_modifiers: Vec::new(),
        }
    }
    pub fn min_items(mut self, n: i64) -> Self {
        self.min_items = n;
        self
    }
    pub fn max_items(mut self, n: i64) -> Self {
        self.max_items = n;
        self
    }
    pub fn requires_replace(mut self) -> Self {
        self.plan_modifiers.push(PlanModifier::RequiresReplace);
        self
    }
}

/// Default durations of a `timeouts {}` block; `None` for an operation the resource lacks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TimeoutDefaults {
    pub create: Option<Duration>,
    pub read: Option<Duration>,
    pub update: Option<Duration>,
    pub delete: Option<Duration>,
}

/// Everything a managed resource, data source or the provider declares about its configuration.
#[derive(Clone, Default)]
pub struct ResourceSchema {
    pub version: i64,
    pub block: BlockSchema,
    /// When set, the engine adds a `timeouts` block and turns it into per-operation deadlines.
    pub timeouts: Option<TimeoutDefaults>,
    /// Cross-attribute rules (exactly one of, conflicts with, required with, ...).
    pub config_validators: Vec<Arc<dyn ConfigValidator>>,
}

impl ResourceSchema {
    pub fn new(block: BlockSchema) -> Self {
        ResourceSchema { block, ..Default::default() }
    }
    pub fn version(mut self, v: i64) -> Self {
        self.version = v;
        self
    }
    pub fn timeouts(mut self, t: TimeoutDefaults) -> Self {
        self.timeouts = Some(t);
        self
    }
    pub fn config_validator(mut self, v: impl ConfigValidator + 'static) -> Self {
        self.config_validators.push(Arc::new(v));
        self
    }
}
