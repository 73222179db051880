//! The real `apig` provider's declarations pass the engine's schema checks (the same rules
//! Terraform's InternalValidate applies), so GetProviderSchema never carries an error.

use std::sync::Arc;

use terraform_provider_apig::engine::Engine;
use terraform_provider_apig::protocol::ProviderServer;
use terraform_provider_apig::provider::ApigProvider;

#[tokio::test]
async fn apig_provider_schema_is_valid() {
    let engine = Engine::new(Arc::new(ApigProvider::new()));
    let schema = engine.get_provider_schema().await;
    assert!(schema.diagnostics.is_empty(), "{:#?}", schema.diagnostics);
    assert!(!schema.provider.block.attributes.is_empty());
    assert!(schema.server_capabilities.plan_destroy);
    for (name, s) in &schema.resource_schemas {
        assert!(name.starts_with("apig_"), "{name}");
        assert!(s.block.block_type("timeouts").is_some(), "{name} has a timeouts block");
    }
}
