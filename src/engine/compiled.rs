//! A declared schema made ready for serving: the `timeouts` block added, the wire schema built and
//! checked against the rules Terraform enforces (tfplugin5.md §1.3 GetSchema), the implied type.

use crate::protocol::cty::Type;
use crate::protocol::schema::{Attribute, Block, NestedBlock, NestingMode, Schema, StringKind};

use super::schema::{AttributeSchema, BlockSchema, ResourceSchema};
use super::timeouts::{TIMEOUTS_BLOCK, timeouts_block};

pub(crate) struct CompiledSchema {
    /// The declaration, with the `timeouts` block appended when the resource asked for one.
    pub decl: ResourceSchema,
    pub wire: Schema,
    /// The implied object type of configuration, plan and state.
    pub ty: Type,
}

impl CompiledSchema {
    /// `what` names the schema in problem messages (e.g. `resource apig_certificate`).
    pub(crate) fn compile(mut decl: ResourceSchema, what: &str, problems: &mut Vec<String>) -> Self {
        if let Some(defaults) = decl.timeouts {
            if has_member(&decl.block, TIMEOUTS_BLOCK) {
                problems.push(format!("{what}: declares its own \"timeouts\" member and asks for a timeouts block"));
            } else {
                decl.block.blocks.push(timeouts_block(&defaults));
            }
        }
        if decl.version < 0 {
            problems.push(format!("{what}: schema version {} is negative", decl.version));
        }
        check_block(&decl.block, what, false, problems);
        let block = wire_block(&decl.block, decl.version);
        let ty = block.implied_type();
        CompiledSchema { wire: Schema { version: decl.version, block }, decl, ty }
    }
}

fn has_member(block: &BlockSchema, name: &str) -> bool {
    block.attributes.iter().any(|a| a.name == name) || block.blocks.iter().any(|b| b.type_name == name)
}

fn wire_block(b: &BlockSchema, version: i64) -> Block {
    Block {
        version,
        attributes: b.attributes.iter().map(wire_attribute).collect(),
        block_types: b
            .blocks
            .iter()
            .map(|nb| NestedBlock {
                type_name: nb.type_name.clone(),
                block: wire_block(&nb.block, 0),
                nesting: nb.nesting,
                min_items: nb.min_items,
                max_items: nb.max_items,
            })
            .collect(),
        description: b.description.clone(),
        description_kind: StringKind::Plain,
        deprecated: false,
    }
}

fn wire_attribute(a: &AttributeSchema) -> Attribute {
    Attribute {
        name: a.name.clone(),
        ty: a.ty.clone(),
        description: a.description.clone(),
        description_kind: StringKind::Plain,
        required: a.required,
        optional: a.optional,
        computed: a.computed,
        sensitive: a.sensitive,
        deprecated: a.deprecation.is_some(),
        write_only: a.write_only,
    }
}

pub(crate) fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
}

/// The checks Terraform's `InternalValidate` makes, plus the engine's own (defaults need
/// optional+computed), so a bad declaration is reported instead of crashing a plan later.
fn check_block(block: &BlockSchema, what: &str, in_set: bool, problems: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    for a in &block.attributes {
        let at = format!("{what}: attribute {:?}", a.name);
        if !valid_name(&a.name) {
            problems.push(format!("{at}: name must match ^[a-z0-9_]+$"));
        }
        if !seen.insert(a.name.as_str()) {
            problems.push(format!("{at}: declared twice"));
        }
        match (a.required, a.optional, a.computed) {
            (true, false, false) | (false, true, _) | (false, false, true) => {}
            (false, false, false) => problems.push(format!("{at}: must be required, optional or computed")),
            _ => problems.push(format!("{at}: required cannot be combined with optional or computed")),
        }
        if a.write_only && a.computed {
            problems.push(format!("{at}: write-only attributes cannot be computed"));
        }
        if a.write_only && in_set {
            problems.push(format!("{at}: write-only attributes cannot live in a set block"));
        }
        if in_set && contains_dynamic(&a.ty) {
            problems.push(format!("{at}: dynamic types cannot live in a set block"));
        }
        if a.default.is_some() && !(a.optional && a.computed) {
            problems.push(format!("{at}: a default needs an optional+computed attribute"));
        }
    }
    for b in &block.blocks {
        let at = format!("{what}: block {:?}", b.type_name);
        if !valid_name(&b.type_name) {
            problems.push(format!("{at}: name must match ^[a-z0-9_]+$"));
        }
        if !seen.insert(b.type_name.as_str()) {
            problems.push(format!("{at}: name already used"));
        }
        let (min, max) = (b.min_items, b.max_items);
        let ok = match b.nesting {
            NestingMode::Single => min == max && (min == 0 || min == 1),
            NestingMode::Group | NestingMode::Map => min == 0 && max == 0,
            NestingMode::List | NestingMode::Set => min >= 0 && max >= 0 && (max == 0 || min <= max),
        };
        if !ok {
            problems.push(format!("{at}: min_items {min} / max_items {max} not allowed for {:?} nesting", b.nesting));
        }
        check_block(&b.block, &at, in_set || b.nesting == NestingMode::Set, problems);
    }
}

fn contains_dynamic(t: &Type) -> bool {
    match t {
        Type::Dynamic => true,
        Type::List(e) | Type::Set(e) | Type::Map(e) => contains_dynamic(e),
        Type::Object(m) => m.values().any(contains_dynamic),
        Type::Tuple(v) => v.iter().any(contains_dynamic),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::engine::schema::{NestedBlockSchema, TimeoutDefaults};

    fn decl() -> ResourceSchema {
        ResourceSchema::new(
            BlockSchema::new("A thing.")
                .attribute(AttributeSchema::string("id").computed().description("The ID."))
                .attribute(AttributeSchema::string("name").required().description("The name."))
                .attribute(AttributeSchema::string("key").optional().sensitive())
                .attribute(AttributeSchema::string("key_wo").optional().write_only())
                .attribute(AttributeSchema::string("old").optional().deprecated("use name"))
                .block(
                    NestedBlockSchema::new(
                        "rule",
                        NestingMode::List,
                        BlockSchema::new("A rule.").attribute(AttributeSchema::number("port").required()),
                    )
                    .min_items(1)
                    .max_items(3),
                ),
        )
        .version(2)
        .timeouts(TimeoutDefaults { create: Some(Duration::from_secs(600)), ..Default::default() })
    }

    #[test]
    fn wire_schema_carries_flags_descriptions_and_timeouts() {
        let mut problems = Vec::new();
        let c = CompiledSchema::compile(decl(), "resource t", &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(c.wire.version, 2);
        let b = &c.wire.block;
        assert_eq!(b.description, "A thing.");
        let id = b.attribute("id").unwrap();
        assert!(id.computed && !id.optional && !id.required);
        assert_eq!(id.description, "The ID.");
        assert!(b.attribute("name").unwrap().required);
        assert!(b.attribute("key").unwrap().sensitive);
        assert!(b.attribute("key_wo").unwrap().write_only);
        assert!(b.attribute("old").unwrap().deprecated);
        let rule = b.block_type("rule").unwrap();
        assert_eq!((rule.nesting, rule.min_items, rule.max_items), (NestingMode::List, 1, 3));
        assert_eq!(rule.block.attribute("port").unwrap().ty, Type::Number);
        let t = b.block_type("timeouts").unwrap();
        assert_eq!(t.nesting, NestingMode::Single);
        assert_eq!(t.block.attributes.len(), 1);
        assert_eq!(t.block.attributes[0].name, "create");
        assert!(t.block.attributes[0].optional);
        let Type::Object(attrs) = &c.ty else { panic!("object type expected") };
        assert_eq!(attrs.get("timeouts"), Some(&Type::object([("create", Type::String)])));
    }

    #[test]
    fn bad_declarations_are_reported() {
        let bad = ResourceSchema::new(
            BlockSchema::new("")
                .attribute(AttributeSchema::string("Bad-Name").optional())
                .attribute(AttributeSchema::string("nothing"))
                .attribute(AttributeSchema::string("both").required().optional())
                .attribute(AttributeSchema::string("wo").computed().write_only())
                .attribute(AttributeSchema::string("def").optional().default("x"))
                .block(NestedBlockSchema::new("one", NestingMode::Single, BlockSchema::new("")).max_items(2))
                .block(NestedBlockSchema::new(
                    "s",
                    NestingMode::Set,
                    BlockSchema::new("").attribute(AttributeSchema::string("k").optional().write_only()),
                )),
        );
        let mut problems = Vec::new();
        CompiledSchema::compile(bad, "resource t", &mut problems);
        assert_eq!(problems.len(), 7, "{problems:#?}");
    }
}
