use pretty_assertions::assert_eq;
use terraform_provider_apig::protocol::schema::{Parameter, StringKind};

use super::*;

fn attribute(name: &str, ty: Type, description: &str) -> Attribute {
    Attribute {
        name: name.into(),
        ty,
        description: description.into(),
        description_kind: StringKind::Plain,
        required: false,
        optional: false,
        computed: false,
        sensitive: false,
        deprecated: false,
        write_only: false,
    }
}

fn required(name: &str, description: &str) -> Attribute {
    Attribute { required: true, ..attribute(name, Type::String, description) }
}

fn optional(name: &str, ty: Type, description: &str) -> Attribute {
    Attribute { optional: true, ..attribute(name, ty, description) }
}

fn computed(name: &str, ty: Type, description: &str) -> Attribute {
    Attribute { computed: true, ..attribute(name, ty, description) }
}

fn block(description: &str, attributes: Vec<Attribute>, block_types: Vec<NestedBlock>) -> Block {
    Block { description: description.into(), attributes, block_types, ..Block::default() }
}

fn nested(name: &str, nesting: NestingMode, min_items: i64, max_items: i64, block: Block) -> NestedBlock {
    NestedBlock { type_name: name.into(), block, nesting, min_items, max_items }
}

/// A resource-like block with every kind of child the renderer distinguishes.
fn sample() -> Block {
    let key = Attribute { sensitive: true, ..optional("key", Type::String, "The key, kept in state.") };
    let key_wo =
        Attribute { sensitive: true, write_only: true, ..optional("key_wo", Type::String, "The key, never stored.") };
    let old = Attribute { deprecated: true, ..optional("old", Type::Bool, "Use `name`.") };
    let items = computed(
        "items",
        Type::list(Type::object([("id", Type::String), ("tags", Type::set(Type::String))])),
        "What the API lists.",
    );
    let target = block(
        "Where to bind.",
        vec![required("host", "A host name."), optional("ports", Type::set(Type::Number), "")],
        vec![],
    );
    let timeouts =
        block("How long operations may take.", vec![optional("create", Type::String, "Default \"5m\".")], vec![]);
    block(
        "A thing.",
        vec![
            computed("id", Type::String, "The ID."),
            required("name", "Name of the   thing,\n  on one line."),
            key,
            key_wo,
            old,
            Attribute { optional: true, computed: true, ..attribute("mode", Type::String, "Defaults to `a`.") },
            items,
        ],
        vec![nested("timeouts", NestingMode::Single, 0, 0, timeouts), nested("target", NestingMode::Set, 1, 0, target)],
    )
}

#[test]
fn a_schema_renders_in_groups_with_anchored_nested_sections() {
    let expected = "\
## Schema

### Required

- `name` (String) Name of the thing, on one line.
- `target` (Block Set, Min: 1) Where to bind. (see [below for nested schema](#nestedblock--target))

### Optional

> **NOTE**: [Write-only arguments](https://developer.hashicorp.com/terraform/language/resources/ephemeral#write-only-arguments) are supported in Terraform 1.11 and later.

- `key` (String, Sensitive) The key, kept in state.
- `key_wo` (String, Sensitive, [Write-only](https://developer.hashicorp.com/terraform/language/resources/ephemeral#write-only-arguments)) The key, never stored.
- `mode` (String) Defaults to `a`.
- `old` (Boolean, Deprecated) Use `name`.
- `timeouts` (Block, Optional) How long operations may take. (see [below for nested schema](#nestedblock--timeouts))

### Read-Only

- `id` (String) The ID.
- `items` (List of Object) What the API lists. (see [below for nested schema](#nestedatt--items))

<a id=\"nestedblock--target\"></a>
### Nested Schema for `target`

Required:

- `host` (String) A host name.

Optional:

- `ports` (Set of Number)

<a id=\"nestedblock--timeouts\"></a>
### Nested Schema for `timeouts`

Optional:

- `create` (String) Default \"5m\".

<a id=\"nestedatt--items\"></a>
### Nested Schema for `items`

Read-Only:

- `id` (String)
- `tags` (Set of String)

";
    assert_eq!(schema_section(&sample()), expected);
}

#[test]
fn blocks_inside_blocks_get_paths_and_limits() {
    let inner = block("Inner.", vec![required("x", "X.")], vec![]);
    let outer = block("Outer.", vec![], vec![nested("inner", NestingMode::List, 0, 2, inner)]);
    let root = block("", vec![], vec![nested("outer", NestingMode::List, 1, 1, outer)]);
    let out = schema_section(&root);
    assert!(
        out.contains(
            "- `outer` (Block List, Min: 1, Max: 1) Outer. (see [below for nested schema](#nestedblock--outer))\n"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "- `inner` (Block List, Max: 2) Inner. (see [below for nested schema](#nestedblock--outer--inner))\n"
        ),
        "{out}"
    );
    assert!(out.contains("<a id=\"nestedblock--outer--inner\"></a>\n### Nested Schema for `outer.inner`\n\nRequired:\n\n- `x` (String) X.\n"), "{out}");
    // The nested section of `outer` comes before the one of `inner`, which it links to.
    assert!(out.find("Nested Schema for `outer`").unwrap() < out.find("Nested Schema for `outer.inner`").unwrap());
}

fn identity() -> IdentitySchema {
    let attribute = |name: &str, required_for_import: bool, description: &str| IdentityAttribute {
        name: name.into(),
        ty: Type::String,
        required_for_import,
        description: description.into(),
    };
    IdentitySchema {
        version: 0,
        attributes: vec![
            attribute("thing_id", true, "The thing's ID."),
            attribute("region", false, "Where it is.\n  Optional."),
            attribute("group_id", true, "Its group."),
        ],
    }
}

#[test]
fn a_resource_page_has_frontmatter_example_schema_and_import_in_order() {
    let page = resource_page(
        "apig",
        Kind::Resource,
        "apig_thing",
        &sample(),
        "resource \"apig_thing\" \"x\" {}\n\n",
        Some(&Import { command: "terraform import apig_thing.x 123\n", identity: None, list_resource: None }),
    );
    let expected_start = format!(
        "---\n{GENERATED_NOTE}\npage_title: \"apig_thing Resource - terraform-provider-apig\"\nsubcategory: \"\"\n\
         description: |-\n  A thing.\n---\n\n# apig_thing (Resource)\n\nA thing.\n\n## Example Usage\n\n\
         ```terraform\nresource \"apig_thing\" \"x\" {{}}\n```\n\n## Schema\n\n"
    );
    assert!(page.starts_with(&expected_start), "{page}");
    assert!(
        page.ends_with(
            "## Import\n\nImport is supported using the following syntax:\n\n\
             The [`terraform import` command](https://developer.hashicorp.com/terraform/cli/commands/import) can be \
             used, for example:\n\n```shell\nterraform import apig_thing.x 123\n```\n"
        ),
        "{page}"
    );
    assert!(page.contains("### Nested Schema for `items`"));
}

#[test]
fn an_identity_is_imported_by_block_then_the_command_follows() {
    let identity = identity();
    let import = Import {
        command: "terraform import apig_thing.x 123",
        identity: Some((&identity, "import {\n  to = apig_thing.x\n  identity = { thing_id = \"123\" }\n}\n")),
        list_resource: Some("thing"),
    };
    let page = resource_page("apig", Kind::Resource, "apig_thing", &sample(), "", Some(&import));
    let expected = "\
## Import

Import is supported using the following syntax:

In Terraform v1.12.0 and later, the [`import` block](https://developer.hashicorp.com/terraform/language/import) can be used with the `identity` attribute, for example:

```terraform
import {
  to = apig_thing.x
  identity = { thing_id = \"123\" }
}
```

### Identity Schema

#### Required

- `group_id` (String) Its group.
- `thing_id` (String) The thing's ID.

#### Optional

- `region` (String) Where it is. Optional.

In Terraform v1.14.0 and later, [`terraform query`](https://developer.hashicorp.com/terraform/cli/commands/query) finds existing objects with the [`apig_thing` list resource](../list-resources/thing.md), and `terraform query -generate-config-out=FILE` writes their `resource` and `import` blocks.

The [`terraform import` command](https://developer.hashicorp.com/terraform/cli/commands/import) can be used, for example:

```shell
terraform import apig_thing.x 123
```
";
    let import_section = &page[page.find("## Import\n").expect("import section")..];
    assert_eq!(import_section, expected);
}

#[test]
fn an_identity_with_only_required_attributes_has_no_optional_group() {
    let mut identity = identity();
    identity.attributes.retain(|a| a.required_for_import);
    assert_eq!(
        identity_schema_section(&identity),
        "### Identity Schema\n\n#### Required\n\n- `group_id` (String) Its group.\n- `thing_id` (String) The thing's ID.\n\n"
    );
}

#[test]
fn a_list_resource_page_documents_its_config_block_and_links_its_resource() {
    let config = block(
        "Lists things.",
        vec![required("group_id", "The group."), optional("name", Type::String, "Only this name.")],
        vec![],
    );
    let page = list_resource_page(
        "apig",
        "apig_thing",
        "thing",
        &config,
        "list \"apig_thing\" \"all\" {\n  provider = apig\n}\n",
    );
    let expected = format!(
        "---\n{GENERATED_NOTE}\npage_title: \"apig_thing List Resource - terraform-provider-apig\"\nsubcategory: \"\"\n\
         description: |-\n  Lists things.\n---\n\n# apig_thing (List Resource)\n\nLists things.\n\n\
         Use it in a `list` block of a `.tfquery.hcl` file with [`terraform query`](https://developer.hashicorp.com/terraform/cli/commands/query) \
         (Terraform 1.14 or later). Each result is an object of the [`apig_thing`](../resources/thing.md) resource, \
         named by its identity; `terraform query -generate-config-out=FILE` writes a `resource` block and an \
         `import` block for each.\n\n## Example Usage\n\n```terraform\nlist \"apig_thing\" \"all\" {{\n  provider = apig\n}}\n```\n\n\
         ## Schema\n\n### Required\n\n- `group_id` (String) The group.\n\n### Optional\n\n- `name` (String) Only this name.\n"
    );
    assert_eq!(page, expected);
}

#[test]
fn a_data_source_page_has_no_import_section() {
    let page = resource_page("apig", Kind::DataSource, "apig_things", &sample(), "data \"apig_things\" \"x\" {}", None);
    assert!(page.contains("page_title: \"apig_things Data Source - terraform-provider-apig\""));
    assert!(page.contains("\n# apig_things (Data Source)\n"));
    assert!(!page.contains("## Import"));
}

#[test]
fn frontmatter_descriptions_are_plain_text_on_one_indented_line() {
    let b = block("Binds `name`\n to the   thing.", vec![], vec![]);
    let page = resource_page("apig", Kind::Resource, "apig_x", &b, "", None);
    assert!(page.contains("description: |-\n  Binds name to the thing.\n---\n"), "{page}");
    // The body keeps the Markdown.
    assert!(page.contains("\n\nBinds `name`\n to the   thing.\n\n"), "{page}");
}

#[test]
fn a_provider_page_lists_the_environment_variables_its_descriptions_name() {
    let b = block(
        "The provider.",
        vec![
            optional("region", Type::String, "Region. Environment variable: `HW_REGION_NAME`."),
            optional("token", Type::String, "Token. Environment variable: `HW_AUTH_TOKEN` (a secret)."),
            optional("endpoints", Type::map(Type::String), "Overrides. No environment variable."),
        ],
        vec![],
    );
    assert_eq!(
        environment_variables(&b),
        [("region".to_string(), "HW_REGION_NAME".to_string()), ("token".to_string(), "HW_AUTH_TOKEN".to_string())]
    );
    let page = provider_page("apig", &b, "provider \"apig\" {}");
    assert!(page.contains("page_title: \"apig Provider\""));
    assert!(page.contains("\n# apig Provider\n\nThe provider.\n\n## Example Usage\n"));
    assert!(page.contains("| `region` | `HW_REGION_NAME` |\n| `token` | `HW_AUTH_TOKEN` |\n"), "{page}");
    assert!(page.find("## Environment Variables").unwrap() < page.find("## Schema").unwrap());
    assert!(page.contains("- `endpoints` (Map of String) Overrides. No environment variable.\n"));
}

#[test]
fn a_function_page_has_signature_arguments_and_return_type() {
    let parameter = |name: &str, ty: Type, description: &str| Parameter {
        name: name.into(),
        ty,
        allow_null_value: false,
        allow_unknown_values: false,
        description: description.into(),
        description_kind: StringKind::Plain,
    };
    let signature = FunctionSignature {
        parameters: vec![parameter("pem", Type::String, "A PEM chain."), parameter("depth", Type::Number, "")],
        variadic_parameter: Some(Parameter {
            allow_null_value: true,
            ..parameter("extra", Type::list(Type::String), "More.")
        }),
        return_type: Type::object([
            ("names", Type::list(Type::String)),
            ("key", Type::object([("bits", Type::Number)])),
        ]),
        summary: "Reads a chain".into(),
        description: "Returns what the chain says.".into(),
        ..FunctionSignature::default()
    };
    let page = function_page("apig", "read_chain", &signature, "output \"x\" {}\n");
    assert!(page.contains("page_title: \"read_chain function - terraform-provider-apig\"\nsubcategory: \"\"\ndescription: |-\n  Reads a chain\n"));
    assert!(page.contains("\n# function: read_chain\n\nReads a chain\n\nReturns what the chain says.\n\n"), "{page}");
    assert!(page.contains("`provider::apig::read_chain(...)`"));
    assert!(
        page.contains(
            "## Signature\n\n```text\nread_chain(pem string, depth number, extra... list(string)) object\n```\n"
        ),
        "{page}"
    );
    assert!(
        page.contains("## Arguments\n\n1. `pem` (String) A PEM chain.\n2. `depth` (Number)\n3. `extra` (Variadic, List of String, Nullable) More.\n"),
        "{page}"
    );
    assert!(page.contains("## Return Type\n\nObject.\n\nAttributes:\n\n- `key` (Object) (see [below for nested schema](#nestedobjatt--key))\n- `names` (List of String)\n"), "{page}");
    assert!(
        page.contains(
            "<a id=\"nestedobjatt--key\"></a>\n### Nested Schema for `key`\n\nAttributes:\n\n- `bits` (Number)\n"
        ),
        "{page}"
    );
    assert!(page.find("## Example Usage").unwrap() < page.find("## Signature").unwrap());
}

#[test]
fn a_boolean_function_returns_boolean() {
    let signature =
        FunctionSignature { return_type: Type::Bool, summary: "Tells".into(), ..FunctionSignature::default() };
    let page = function_page("apig", "t", &signature, "");
    assert!(page.contains("## Arguments\n\nThis function takes no arguments.\n"), "{page}");
    assert!(page.ends_with("## Return Type\n\nBoolean.\n"), "{page}");
}

#[test]
fn pages_end_with_a_single_newline() {
    let page = resource_page("apig", Kind::DataSource, "apig_x", &sample(), "data \"apig_x\" \"y\" {}\n\n\n", None);
    assert!(page.ends_with("\n") && !page.ends_with("\n\n"));
}
