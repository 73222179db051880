//! Schemas: blocks, attributes and nested blocks, as GetProviderSchema sends them.

use std::collections::HashMap;

use super::pb;
use crate::protocol::cty::json::encode_type;
use crate::protocol::schema::{Attribute, Block, NestedBlock, NestingMode, Schema, StringKind};

impl From<StringKind> for pb::StringKind {
    fn from(k: StringKind) -> Self {
        match k {
            StringKind::Plain => pb::StringKind::Plain,
            StringKind::Markdown => pb::StringKind::Markdown,
        }
    }
}

impl From<NestingMode> for pb::schema::nested_block::NestingMode {
    fn from(m: NestingMode) -> Self {
        use pb::schema::nested_block::NestingMode as Pb;
        match m {
            NestingMode::Single => Pb::Single,
            NestingMode::List => Pb::List,
            NestingMode::Set => Pb::Set,
            NestingMode::Map => Pb::Map,
            NestingMode::Group => Pb::Group,
        }
    }
}

impl From<Attribute> for pb::schema::Attribute {
    fn from(a: Attribute) -> Self {
        pb::schema::Attribute {
            r#type: encode_type(&a.ty),
            name: a.name,
            description: a.description,
            required: a.required,
            optional: a.optional,
            computed: a.computed,
            sensitive: a.sensitive,
            description_kind: pb::StringKind::from(a.description_kind) as i32,
            deprecated: a.deprecated,
            write_only: a.write_only,
            deprecation_message: String::new(),
        }
    }
}

impl From<NestedBlock> for pb::schema::NestedBlock {
    fn from(b: NestedBlock) -> Self {
        pb::schema::NestedBlock {
            type_name: b.type_name,
            block: Some(b.block.into()),
            nesting: pb::schema::nested_block::NestingMode::from(b.nesting) as i32,
            min_items: b.min_items,
            max_items: b.max_items,
        }
    }
}

impl From<Block> for pb::schema::Block {
    fn from(b: Block) -> Self {
        pb::schema::Block {
            version: b.version,
            attributes: b.attributes.into_iter().map(Into::into).collect(),
            block_types: b.block_types.into_iter().map(Into::into).collect(),
            description: b.description,
            description_kind: pb::StringKind::from(b.description_kind) as i32,
            deprecated: b.deprecated,
            deprecation_message: String::new(),
        }
    }
}

/// Always sets `block`: a `Schema` without one crashes Terraform (tfplugin5.md §1.3).
impl From<Schema> for pb::Schema {
    fn from(s: Schema) -> Self {
        pb::Schema { version: s.version, block: Some(s.block.into()) }
    }
}

pub(super) fn schemas_out(schemas: HashMap<String, Schema>) -> HashMap<String, pb::Schema> {
    schemas.into_iter().map(|(name, s)| (name, s.into())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::cty::Type;

    fn attribute(name: &str, ty: Type) -> Attribute {
        Attribute {
            name: name.into(),
            ty,
            description: String::new(),
            description_kind: StringKind::Plain,
            required: false,
            optional: false,
            computed: false,
            sensitive: false,
            deprecated: false,
            write_only: false,
        }
    }

    #[test]
    fn schema_always_carries_a_block_and_nesting_modes_map() {
        let nested = |nesting| NestedBlock {
            type_name: "b".into(),
            block: Block::default(),
            nesting,
            min_items: 0,
            max_items: 0,
        };
        let table = [
            (NestingMode::Single, pb::schema::nested_block::NestingMode::Single),
            (NestingMode::List, pb::schema::nested_block::NestingMode::List),
            (NestingMode::Set, pb::schema::nested_block::NestingMode::Set),
            (NestingMode::Map, pb::schema::nested_block::NestingMode::Map),
            (NestingMode::Group, pb::schema::nested_block::NestingMode::Group),
        ];
        for (mode, want) in table {
            let out = pb::schema::NestedBlock::from(nested(mode));
            assert_eq!(out.nesting, want as i32);
            assert!(out.block.is_some(), "nested block must carry its block");
        }
        assert!(pb::Schema::from(Schema::default()).block.is_some());
    }

    #[test]
    fn schema_fields_are_copied() {
        let mut secret = attribute("private_key", Type::String);
        secret.required = true;
        secret.sensitive = true;
        secret.write_only = true;
        secret.description = "PEM".into();
        secret.description_kind = StringKind::Markdown;
        let mut id = attribute("id", Type::String);
        id.computed = true;
        id.deprecated = true;
        let schema = Schema {
            version: 3,
            block: Block {
                version: 3,
                attributes: vec![secret, id],
                block_types: vec![NestedBlock {
                    type_name: "domain".into(),
                    block: Block { attributes: vec![attribute("name", Type::String)], ..Block::default() },
                    nesting: NestingMode::List,
                    min_items: 1,
                    max_items: 5,
                }],
                description: "A certificate".into(),
                description_kind: StringKind::Markdown,
                deprecated: false,
            },
        };
        let out = pb::Schema::from(schema);
        assert_eq!(out.version, 3);
        let block = out.block.unwrap_or_default();
        assert_eq!(block.version, 3);
        assert_eq!(block.description, "A certificate");
        assert_eq!(block.description_kind, pb::StringKind::Markdown as i32);
        let key = &block.attributes[0];
        assert_eq!(key.name, "private_key");
        assert!(key.required && key.sensitive && key.write_only && !key.optional && !key.computed);
        assert_eq!(key.description_kind, pb::StringKind::Markdown as i32);
        assert_eq!(key.r#type, encode_type(&Type::String));
        let id = &block.attributes[1];
        assert!(id.computed && id.deprecated && !id.required);
        let nested = &block.block_types[0];
        assert_eq!((nested.type_name.as_str(), nested.min_items, nested.max_items), ("domain", 1, 5));
        assert_eq!(nested.block.as_ref().map(|b| b.attributes.len()), Some(1));
    }

    #[test]
    fn attribute_types_use_the_cty_type_json() {
        let types = [
            Type::String,
            Type::Number,
            Type::Bool,
            Type::Dynamic,
            Type::list(Type::String),
            Type::set(Type::object([("a", Type::Number)])),
            Type::map(Type::Bool),
            Type::Tuple(vec![Type::String, Type::Number]),
        ];
        for ty in types {
            let out = pb::schema::Attribute::from(attribute("a", ty.clone()));
            assert_eq!(out.r#type, encode_type(&ty), "{ty:?}");
        }
        let literal = [
            (Type::String, r#""string""#),
            (Type::list(Type::String), r#"["list","string"]"#),
            (
                Type::set(Type::object([("b", Type::Bool), ("a", Type::Number)])),
                r#"["set",["object",{"a":"number","b":"bool"}]]"#,
            ),
        ];
        for (ty, want) in literal {
            let out = pb::schema::Attribute::from(attribute("a", ty));
            assert_eq!(String::from_utf8_lossy(&out.r#type), want);
        }
    }
}
