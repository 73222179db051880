//! `cargo xtask docs`: the Registry documentation in `docs/`, generated from the schemas Terraform
//! sees (the provider library's own `GetProviderSchema` and `GetResourceIdentitySchemas`
//! answers) and the files in `examples/`.
//!
//! Inputs, per the Registry layout (the names `tfplugindocs` reads):
//! - `examples/provider/provider.tf`;
//! - `examples/resources/<type>/resource.tf` and `import.sh`, and `import-by-identity.tf` for a
//!   resource with an identity (and only for one);
//! - `examples/data-sources/<type>/data-source.tf`;
//! - `examples/list-resources/<type>/list-resource.tfquery.hcl`;
//! - `examples/functions/<name>/function.tf`.
//!
//! Outputs: `docs/index.md`, `docs/resources/<name>.md`, `docs/data-sources/<name>.md`,
//! `docs/list-resources/<name>.md` and `docs/functions/<name>.md`, where `<name>` drops the
//! `apig_` prefix. Other files under `docs/` (guides, say) are left alone.

pub mod markdown;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use terraform_provider_apig::engine::Engine;
use terraform_provider_apig::protocol::{
    GetProviderSchemaResponse, GetResourceIdentitySchemasResponse, ProviderServer,
};
use terraform_provider_apig::provider::{ApigProvider, TYPE_NAME};

use markdown::{Import, Kind};

/// The directories under `docs/` whose Markdown pages the generator owns (besides `index.md`).
const GENERATED_DIRS: [&str; 4] = ["resources", "data-sources", "list-resources", "functions"];

/// The example of importing a resource by its identity (Terraform ≥ 1.12).
const IMPORT_BY_IDENTITY: &str = "import-by-identity.tf";

/// Pages keyed by their path relative to `docs/` (with `/` separators), in a stable order.
pub type Pages = BTreeMap<String, String>;

/// Why the pages could not be generated; each message says what to do.
#[derive(Debug, PartialEq, Eq)]
pub struct GenerateError(pub Vec<String>);

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot generate docs/:")?;
        for problem in &self.0 {
            write!(f, "\n  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for GenerateError {}

/// What Terraform learns about the provider before it plans: its schemas and its resources'
/// identity schemas.
pub struct Schemas {
    pub provider: GetProviderSchemaResponse,
    pub identities: GetResourceIdentitySchemasResponse,
}

/// The schemas exactly as Terraform receives them from the provider.
pub fn provider_schemas() -> Schemas {
    let engine = Engine::new(Arc::new(ApigProvider::new()));
    futures::executor::block_on(async {
        Schemas {
            provider: engine.get_provider_schema().await,
            identities: engine.get_resource_identity_schemas().await,
        }
    })
}

/// Every page, rendered from `schemas` and the example files under `examples_dir`.
pub fn generate(schemas: &Schemas, examples_dir: &Path) -> Result<Pages, GenerateError> {
    let schema = &schemas.provider;
    let identities = &schemas.identities.identity_schemas;
    // Both answers carry the schema's diagnostics: each problem is listed once.
    let mut problems: Vec<String> = Vec::new();
    for d in schema.diagnostics.iter().chain(schemas.identities.diagnostics.iter()) {
        let problem = format!("the provider's schema is invalid: {}: {}", d.summary, d.detail);
        if !problems.contains(&problem) {
            problems.push(problem);
        }
    }
    let mut read = |relative: &str, what: &str| -> String {
        let path = examples_dir.join(relative);
        match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                problems.push(format!("missing example: create examples/{relative} ({what})"));
                String::new()
            }
            Err(e) => {
                problems.push(format!("cannot read examples/{relative}: {e}"));
                String::new()
            }
        }
    };

    let mut pages = Pages::new();
    let example = read("provider/provider.tf", "a provider block for the provider's page");
    pages.insert("index.md".into(), markdown::provider_page(TYPE_NAME, &schema.provider.block, &example));

    for (type_name, s) in sorted(&schema.resource_schemas) {
        let example = read(&format!("resources/{type_name}/resource.tf"), "a configuration using the resource");
        let command = read(&format!("resources/{type_name}/import.sh"), "the `terraform import` command with its ID");
        let by_identity = identities.get(type_name.as_str()).map(|identity| {
            let example = read(
                &format!("resources/{type_name}/{IMPORT_BY_IDENTITY}"),
                "an `import` block with `identity`, for the resource's identity",
            );
            (identity, example)
        });
        let import = Import {
            command: &command,
            identity: by_identity.as_ref().map(|(i, e)| (*i, e.as_str())),
            list_resource: schema.list_resource_schemas.contains_key(type_name.as_str()).then(|| short_name(type_name)),
        };
        let page = markdown::resource_page(TYPE_NAME, Kind::Resource, type_name, &s.block, &example, Some(&import));
        pages.insert(format!("resources/{}.md", short_name(type_name)), page);
    }
    for (type_name, s) in sorted(&schema.data_source_schemas) {
        let example =
            read(&format!("data-sources/{type_name}/data-source.tf"), "a configuration using the data source");
        let page = markdown::resource_page(TYPE_NAME, Kind::DataSource, type_name, &s.block, &example, None);
        pages.insert(format!("data-sources/{}.md", short_name(type_name)), page);
    }
    for (type_name, s) in sorted(&schema.list_resource_schemas) {
        let example = read(
            &format!("list-resources/{type_name}/list-resource.tfquery.hcl"),
            "a `list` block for `terraform query`",
        );
        let page = markdown::list_resource_page(TYPE_NAME, type_name, short_name(type_name), &s.block, &example);
        pages.insert(format!("list-resources/{}.md", short_name(type_name)), page);
    }
    for (name, signature) in sorted(&schema.functions) {
        let example = read(&format!("functions/{name}/function.tf"), "a configuration calling the function");
        pages.insert(format!("functions/{name}.md"), markdown::function_page(TYPE_NAME, name, signature, &example));
    }

    problems.extend(stray_examples(schemas, examples_dir));
    if problems.is_empty() { Ok(pages) } else { Err(GenerateError(problems)) }
}

fn sorted<V>(map: &std::collections::HashMap<String, V>) -> Vec<(&String, &V)> {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

/// `apig_certificate` → `certificate`: page names drop the provider prefix, as on the Registry.
fn short_name(type_name: &str) -> &str {
    type_name.strip_prefix(TYPE_NAME).and_then(|rest| rest.strip_prefix('_')).unwrap_or(type_name)
}

/// Example directories that name no resource, data source, list resource or function (a typo, or
/// one removed from the provider), and identity examples of resources without an identity: their
/// examples would silently never be documented.
fn stray_examples(schemas: &Schemas, examples_dir: &Path) -> Vec<String> {
    let schema = &schemas.provider;
    let known: [(&str, Vec<&String>); 4] = [
        ("resources", schema.resource_schemas.keys().collect()),
        ("data-sources", schema.data_source_schemas.keys().collect()),
        ("list-resources", schema.list_resource_schemas.keys().collect()),
        ("functions", schema.functions.keys().collect()),
    ];
    let mut problems = Vec::new();
    for (dir, names) in known {
        let Ok(entries) = std::fs::read_dir(examples_dir.join(dir)) else { continue };
        let mut found: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        found.sort();
        for name in found {
            if !names.iter().any(|n| **n == name) {
                problems.push(format!(
                    "examples/{dir}/{name}/ names nothing the provider offers in {dir}: rename it to the type's name or remove it"
                ));
            }
        }
    }
    for (type_name, _) in sorted(&schema.resource_schemas) {
        let relative = format!("resources/{type_name}/{IMPORT_BY_IDENTITY}");
        if !schemas.identities.identity_schemas.contains_key(type_name.as_str())
            && examples_dir.join(&relative).exists()
        {
            problems.push(format!(
                "examples/{relative}: {type_name} has no resource identity, so it cannot be imported by one: remove the file"
            ));
        }
    }
    problems
}

/// How the committed `docs/` differ from the generated pages.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Present but with other content.
    pub stale: Vec<String>,
    /// Generated but not present.
    pub missing: Vec<String>,
    /// Present in a generated directory but not generated.
    pub extra: Vec<String>,
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }

    /// One line per file: `labels` name the stale, missing and extra files (a check reports
    /// them as such; a write has updated, created and removed them).
    pub fn listing(&self, labels: [&str; 3]) -> String {
        let width = labels.iter().map(|l| l.len() + 1).max().unwrap_or(0);
        let mut out = String::new();
        for (label, paths) in labels.iter().zip([&self.stale, &self.missing, &self.extra]) {
            for p in paths {
                out.push_str(&format!("  {:<width$} docs/{p}\n", format!("{label}:")));
            }
        }
        out
    }
}

/// Compares `pages` with the files under `docs_dir`.
pub fn drift(pages: &Pages, docs_dir: &Path) -> std::io::Result<Drift> {
    let mut drift = Drift::default();
    for (path, content) in pages {
        match std::fs::read_to_string(docs_dir.join(path)) {
            Ok(on_disk) if on_disk == *content => {}
            Ok(_) => drift.stale.push(path.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => drift.missing.push(path.clone()),
            Err(e) => return Err(e),
        }
    }
    drift.extra = owned_files(docs_dir)?.into_iter().filter(|p| !pages.contains_key(p)).collect();
    Ok(drift)
}

/// Writes `pages` under `docs_dir` and removes the pages it no longer generates; returns what changed.
pub fn write(pages: &Pages, docs_dir: &Path) -> std::io::Result<Drift> {
    let changes = drift(pages, docs_dir)?;
    for path in changes.stale.iter().chain(&changes.missing) {
        let target = docs_dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(target, &pages[path])?;
    }
    for path in &changes.extra {
        std::fs::remove_file(docs_dir.join(path))?;
    }
    Ok(changes)
}

/// The Markdown files in the directories the generator owns, relative to `docs_dir`.
fn owned_files(docs_dir: &Path) -> std::io::Result<Vec<String>> {
    let mut files = Vec::new();
    for dir in GENERATED_DIRS {
        let entries = match std::fs::read_dir(docs_dir.join(dir)) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for entry in entries {
            let path: PathBuf = entry?.path();
            if path.is_file()
                && path.extension().is_some_and(|x| x == "md")
                && let Some(name) = path.file_name()
            {
                files.push(format!("{dir}/{}", name.to_string_lossy()));
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The repository root (the workspace holding this crate).
pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

#[cfg(test)]
mod tests;
