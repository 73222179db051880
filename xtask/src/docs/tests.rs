use std::path::Path;

use super::*;

fn real_pages() -> Pages {
    match generate(&provider_schemas(), &repository_root().join("examples")) {
        Ok(pages) => pages,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn the_committed_docs_are_what_the_generator_produces() {
    let pages = real_pages();
    let drift = drift(&pages, &repository_root().join("docs")).expect("read docs/");
    assert!(
        drift.is_empty(),
        "docs/ is out of date with the provider schema or examples/:\n{}Run `cargo xtask docs` (or `make docs`) and commit docs/.",
        drift.listing(["stale", "missing", "extra"])
    );
}

#[test]
fn every_resource_data_source_list_resource_and_function_has_a_page() {
    let schemas = provider_schemas();
    let schema = &schemas.provider;
    let pages = real_pages();
    let expected = 1
        + schema.resource_schemas.len()
        + schema.data_source_schemas.len()
        + schema.list_resource_schemas.len()
        + schema.functions.len();
    assert_eq!(pages.len(), expected, "{:?}", pages.keys().collect::<Vec<_>>());
    for name in schema.resource_schemas.keys() {
        let page = &pages[&format!("resources/{}.md", short_name(name))];
        assert!(page.contains(&format!("\n# {name} (Resource)\n")), "{name}");
        assert!(page.contains("\n## Import\n") && page.contains(&format!("terraform import {name}.")), "{name}");
        // The engine adds a `timeouts` block to every resource; the page documents it.
        assert!(
            page.contains("- `timeouts` (Block, Optional)") && page.contains("### Nested Schema for `timeouts`"),
            "{name}"
        );
    }
    for name in schema.data_source_schemas.keys() {
        let page = &pages[&format!("data-sources/{}.md", short_name(name))];
        assert!(page.contains(&format!("\n# {name} (Data Source)\n")) && !page.contains("## Import"), "{name}");
    }
    assert!(!schema.list_resource_schemas.is_empty(), "the provider has list resources");
    for name in schema.list_resource_schemas.keys() {
        let page = &pages[&format!("list-resources/{}.md", short_name(name))];
        assert!(page.contains(&format!("\n# {name} (List Resource)\n")) && !page.contains("## Import"), "{name}");
        assert!(page.contains("```terraform\n") && page.contains(&format!("list \"{name}\" \"")), "{name}");
        // The resource the list finds links back to it.
        let resource = &pages[&format!("resources/{}.md", short_name(name))];
        assert!(resource.contains(&format!("(../list-resources/{}.md)", short_name(name))), "{name}");
    }
    for name in schema.functions.keys() {
        let page = &pages[&format!("functions/{name}.md")];
        assert!(
            page.contains(&format!("```text\n{name}(")) && page.contains(&format!("provider::apig::{name}(")),
            "{name}"
        );
    }
}

#[test]
fn every_resource_page_documents_its_identity_with_an_import_block() {
    let schemas = provider_schemas();
    let identities = &schemas.identities.identity_schemas;
    assert_eq!(identities.len(), schemas.provider.resource_schemas.len(), "every resource has an identity");
    let pages = real_pages();
    for (name, identity) in identities {
        let page = &pages[&format!("resources/{}.md", short_name(name))];
        let section = &page[page.find("### Identity Schema\n").unwrap_or_else(|| panic!("{name}: no identity"))..];
        for attribute in &identity.attributes {
            let group = if attribute.required_for_import { "#### Required" } else { "#### Optional" };
            let line = format!("- `{}` (String) {}", attribute.name, attribute.description);
            let at = section.find(&line).unwrap_or_else(|| panic!("{name}: no line {line:?}"));
            let group_at = section[..at].rfind("#### ").expect("a group heading");
            assert!(section[group_at..].starts_with(group), "{name}: {} is not under {group}", attribute.name);
        }
        // The example imports into the resource, by identity, before the `terraform import` command.
        let example =
            page.find(&format!("import {{\n  to = {name}.")).unwrap_or_else(|| panic!("{name}: no import block"));
        assert!(page[example..].contains("identity = {"), "{name}");
        assert!(example < page.find("### Identity Schema").unwrap(), "{name}");
        assert!(
            page.find("### Identity Schema").unwrap() < page.find("The [`terraform import` command]").unwrap(),
            "{name}"
        );
    }
}

#[test]
fn the_pages_follow_the_schema_terraform_sees() {
    let schema = provider_schemas().provider;
    let pages = real_pages();
    let certificate = &pages["resources/certificate.md"];
    let block = &schema.resource_schemas["apig_certificate"].block;
    for attribute in &block.attributes {
        let line = certificate
            .lines()
            .find(|l| l.starts_with(&format!("- `{}` (", attribute.name)))
            .unwrap_or_else(|| panic!("no line for {}", attribute.name));
        assert_eq!(attribute.sensitive, line.contains(", Sensitive"), "{line}");
        assert_eq!(attribute.write_only, line.contains("[Write-only]"), "{line}");
        assert!(line.ends_with(&attribute.description.split_whitespace().collect::<Vec<_>>().join(" ")), "{line}");
    }
    assert!(certificate.contains("> **NOTE**: [Write-only arguments]"));

    let index = &pages["index.md"];
    for attribute in &schema.provider.block.attributes {
        assert!(index.contains(&format!("- `{}` (", attribute.name)), "{}", attribute.name);
    }
    for variable in ["HW_REGION_NAME", "HW_PROJECT_ID", "HW_AUTH_TOKEN", "HW_ACCESS_KEY", "HW_SECRET_KEY"] {
        assert!(index.contains(&format!("| `{variable}` |")), "{variable}");
    }
}

#[test]
fn no_page_shows_a_private_key() {
    for (path, page) in real_pages() {
        assert!(!page.contains("PRIVATE KEY-----"), "{path} shows a private key");
    }
}

/// `examples/` with every file the real schema asks for except the listed ones.
fn examples_without(dir: &Path, left_out: &[&str]) {
    let source = repository_root().join("examples");
    for relative in real_example_files() {
        if left_out.contains(&relative.as_str()) {
            continue;
        }
        let target = dir.join(&relative);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(source.join(&relative), target).expect("copy");
    }
}

fn real_example_files() -> Vec<String> {
    let schemas = provider_schemas();
    let schema = &schemas.provider;
    let mut files = vec!["provider/provider.tf".to_string()];
    for name in schema.resource_schemas.keys() {
        files.push(format!("resources/{name}/resource.tf"));
        files.push(format!("resources/{name}/import.sh"));
        if schemas.identities.identity_schemas.contains_key(name) {
            files.push(format!("resources/{name}/import-by-identity.tf"));
        }
    }
    files.extend(schema.data_source_schemas.keys().map(|n| format!("data-sources/{n}/data-source.tf")));
    files.extend(schema.list_resource_schemas.keys().map(|n| format!("list-resources/{n}/list-resource.tfquery.hcl")));
    files.extend(schema.functions.keys().map(|n| format!("functions/{n}/function.tf")));
    files
}

#[test]
fn a_missing_example_is_an_error_naming_the_file_to_create() {
    let dir = tempfile::tempdir().expect("tempdir");
    examples_without(
        dir.path(),
        &[
            "resources/apig_certificate/import.sh",
            "resources/apig_certificate_domains/import-by-identity.tf",
            "list-resources/apig_certificate/list-resource.tfquery.hcl",
            "functions/certificate_info/function.tf",
        ],
    );
    let err = generate(&provider_schemas(), dir.path()).expect_err("examples are missing");
    assert_eq!(err.0.len(), 4, "{err}");
    assert!(err.0[0].contains("create examples/resources/apig_certificate/import.sh"), "{err}");
    assert!(err.0[1].contains("create examples/resources/apig_certificate_domains/import-by-identity.tf"), "{err}");
    assert!(err.0[1].contains("an `import` block with `identity`"), "{err}");
    assert!(err.0[2].contains("create examples/list-resources/apig_certificate/list-resource.tfquery.hcl"), "{err}");
    assert!(err.0[3].contains("create examples/functions/certificate_info/function.tf"), "{err}");

    let empty = tempfile::tempdir().expect("tempdir");
    let err = generate(&provider_schemas(), empty.path()).expect_err("no examples at all");
    assert_eq!(err.0.len(), real_example_files().len(), "{err}");
}

#[test]
fn an_example_for_an_unknown_type_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    examples_without(dir.path(), &[]);
    std::fs::create_dir_all(dir.path().join("data-sources/apig_certificats")).expect("mkdir");
    std::fs::create_dir_all(dir.path().join("list-resources/apig_certificate_domains")).expect("mkdir");
    let err = generate(&provider_schemas(), dir.path()).expect_err("typo in a directory name");
    assert_eq!(err.0.len(), 2, "{err}");
    assert!(err.0[0].contains("examples/data-sources/apig_certificats/"), "{err}");
    assert!(err.0[1].contains("examples/list-resources/apig_certificate_domains/ names nothing"), "{err}");
}

#[test]
fn an_identity_example_for_a_resource_without_identity_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    examples_without(dir.path(), &[]);
    let mut schemas = provider_schemas();
    schemas.identities.identity_schemas.remove("apig_certificate_domains");
    let err = generate(&schemas, dir.path()).expect_err("identity example without identity");
    assert_eq!(err.0.len(), 1, "{err}");
    assert!(
        err.0[0].contains("examples/resources/apig_certificate_domains/import-by-identity.tf: apig_certificate_domains has no resource identity"),
        "{err}"
    );

    // Without the file the page is generated, with no identity in its Import section.
    std::fs::remove_file(dir.path().join("resources/apig_certificate_domains/import-by-identity.tf")).expect("rm");
    let pages = generate(&schemas, dir.path()).expect("pages");
    let page = &pages["resources/certificate_domains.md"];
    assert!(
        page.contains("## Import\n") && !page.contains("Identity Schema") && !page.contains("`identity`"),
        "{page}"
    );
}

#[test]
fn an_invalid_schema_is_an_error() {
    let mut schemas = provider_schemas();
    let bad = terraform_provider_apig::protocol::Diagnostic::error("Bad schema", "resource x: no type");
    // The engine answers the schema's diagnostics in both responses: listed once.
    schemas.provider.diagnostics.push(bad.clone());
    schemas.identities.diagnostics.push(bad);
    let err = generate(&schemas, &repository_root().join("examples")).expect_err("invalid schema");
    assert_eq!(err.0, ["the provider's schema is invalid: Bad schema: resource x: no type"], "{err}");
}

#[test]
fn write_creates_updates_and_removes_only_generated_pages() {
    let docs = tempfile::tempdir().expect("tempdir");
    let mut pages = Pages::new();
    pages.insert("index.md".into(), "index\n".into());
    pages.insert("resources/a.md".into(), "a\n".into());
    pages.insert("functions/f.md".into(), "f\n".into());

    let first = write(&pages, docs.path()).expect("write");
    assert_eq!(first.missing, ["functions/f.md", "index.md", "resources/a.md"]);
    assert!(drift(&pages, docs.path()).expect("drift").is_empty());

    std::fs::write(docs.path().join("resources/a.md"), "edited by hand\n").expect("edit");
    std::fs::write(docs.path().join("resources/old.md"), "gone from the provider\n").expect("extra");
    std::fs::write(docs.path().join("resources/notes.txt"), "not a page\n").expect("other file");
    std::fs::create_dir_all(docs.path().join("guides")).expect("mkdir");
    std::fs::write(docs.path().join("guides/g.md"), "a guide\n").expect("guide");
    std::fs::remove_file(docs.path().join("functions/f.md")).expect("remove");

    let found = drift(&pages, docs.path()).expect("drift");
    assert_eq!(
        found,
        Drift {
            stale: vec!["resources/a.md".into()],
            missing: vec!["functions/f.md".into()],
            extra: vec!["resources/old.md".into()]
        }
    );
    let listing = found.listing(["stale", "missing", "extra"]);
    assert_eq!(
        listing,
        "  stale:   docs/resources/a.md\n  missing: docs/functions/f.md\n  extra:   docs/resources/old.md\n"
    );

    assert_eq!(write(&pages, docs.path()).expect("write"), found);
    assert!(drift(&pages, docs.path()).expect("drift").is_empty());
    assert_eq!(std::fs::read_to_string(docs.path().join("resources/a.md")).expect("read"), "a\n");
    assert!(!docs.path().join("resources/old.md").exists());
    assert!(docs.path().join("resources/notes.txt").exists() && docs.path().join("guides/g.md").exists());
}
