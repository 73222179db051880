//! Wire-level schema types (`tfplugin5.Schema`). The engine builds these from resource
//! declarations; validators and plan modifiers live in the engine, not here.

use super::cty::Type;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StringKind {
    #[default]
    Plain,
    Markdown,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema {
    pub version: i64,
    pub block: Block,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Block {
    pub version: i64,
    pub attributes: Vec<Attribute>,
    pub block_types: Vec<NestedBlock>,
    pub description: String,
    pub description_kind: StringKind,
    pub deprecated: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub ty: Type,
    pub description: String,
    pub description_kind: StringKind,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    pub deprecated: bool,
    pub write_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NestingMode {
    Single,
    List,
    Set,
    Map,
    Group,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NestedBlock {
    pub type_name: String,
    pub block: Block,
    pub nesting: NestingMode,
    pub min_items: i64,
    pub max_items: i64,
}

impl Block {
    /// The implied cty object type of this block (tfplugin5.md §3.1).
    pub fn implied_type(&self) -> Type {
        let mut attrs = std::collections::BTreeMap::new();
        for a in &self.attributes {
            attrs.insert(a.name.clone(), a.ty.clone());
        }
        for b in &self.block_types {
            let inner = b.block.implied_type();
            let has_dynamic = b.block.contains_dynamic();
            let t = match b.nesting {
                NestingMode::Single | NestingMode::Group => inner,
                NestingMode::List if has_dynamic => Type::Tuple(Vec::new()),
                NestingMode::List => Type::list(inner),
                NestingMode::Set => Type::set(inner),
                NestingMode::Map if has_dynamic => Type::Object(Default::default()),
                NestingMode::Map => Type::map(inner),
            };
            attrs.insert(b.type_name.clone(), t);
        }
        Type::Object(attrs)
    }

    fn contains_dynamic(&self) -> bool {
        self.attributes.iter().any(|a| type_contains_dynamic(&a.ty))
            || self.block_types.iter().any(|b| b.block.contains_dynamic())
    }

    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
    pub fn block_type(&self, name: &str) -> Option<&NestedBlock> {
        self.block_types.iter().find(|b| b.type_name == name)
    }
}

fn type_contains_dynamic(t: &Type) -> bool {
    match t {
        Type::Dynamic => true,
        Type::List(e) | Type::Set(e) | Type::Map(e) => type_contains_dynamic(e),
        Type::Object(m) => m.values().any(type_contains_dynamic),
        Type::Tuple(v) => v.iter().any(type_contains_dynamic),
        _ => false,
    }
}

/// A provider-defined function's signature (`tfplugin5.Function`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FunctionSignature {
    pub parameters: Vec<Parameter>,
    pub variadic_parameter: Option<Parameter>,
    pub return_type: Type,
    pub summary: String,
    pub description: String,
    pub description_kind: StringKind,
    pub deprecation_message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: String,
    pub ty: Type,
    pub allow_null_value: bool,
    pub allow_unknown_values: bool,
    pub description: String,
    pub description_kind: StringKind,
}

// Declared beside its only user (FunctionSignature's default) rather than in cty's type module.
#[allow(clippy::derivable_impls)]
impl Default for Type {
    fn default() -> Self {
        Type::Dynamic
    }
}

/// `tfplugin5.ResourceIdentitySchema`: the attributes that name one remote object (protocol 5.9).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IdentitySchema {
    pub version: i64,
    pub attributes: Vec<IdentityAttribute>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IdentityAttribute {
    pub name: String,
    /// A primitive or a list of primitives.
    pub ty: Type,
    /// `import { identity = … }` must set it; otherwise it is optional for import.
    pub required_for_import: bool,
    pub description: String,
}

impl IdentitySchema {
    /// The object type of an identity value.
    pub fn object_type(&self) -> Type {
        Type::Object(self.attributes.iter().map(|a| (a.name.clone(), a.ty.clone())).collect())
    }
}
