//! The `apig` provider: its configuration block, and (next) its resources, data sources and
//! functions.

mod api_errors;
pub mod config;
mod configured;
pub mod data_sources;
pub mod functions;
pub mod pki;
pub mod read_after_write;
pub mod resources;
pub mod service;
pub mod validators;

#[cfg(test)]
mod proptests;

pub use configured::Configured;

use std::sync::Arc;

use crate::engine::{Context, DataSource, Function, Provider, ProviderData, Resource, ResourceSchema};
use crate::protocol::Diagnostics;
use crate::protocol::cty::Value;

use config::{EnvSource, ProcessEnv, Stage};

/// The provider type name: resources are `apig_*`.
pub const TYPE_NAME: &str = "apig";

pub struct ApigProvider {
    env: Arc<dyn EnvSource>,
}

impl Default for ApigProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl ApigProvider {
    /// Reads `HW_*` fallbacks from the process environment (which Terraform passes on).
    pub fn new() -> Self {
        Self::with_env(Arc::new(ProcessEnv))
    }
    /// Reads `HW_*` fallbacks from `env` instead (tests).
    pub fn with_env(env: Arc<dyn EnvSource>) -> Self {
        ApigProvider { env }
    }
}

#[async_trait::async_trait]
impl Provider for ApigProvider {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> ResourceSchema {
        config::provider_schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let (_, found) = config::resolve(config, self.env.as_ref(), Stage::Validate);
        diags.extend(found);
    }

    async fn configure(
        &self,
        _ctx: &Context,
        _terraform_version: &str,
        config: Value,
    ) -> Result<ProviderData, Diagnostics> {
        let (parsed, mut diags) = config::resolve(&config, self.env.as_ref(), Stage::Configure);
        match parsed {
            Some(parsed) if !diags.has_errors() => {
                let region = parsed.client.region().unwrap_or("-").to_string();
                let method = parsed.client.credentials.method();
                let configured = Configured::new(parsed).map_err(Diagnostics::from)?;
                tracing::info!(
                    region,
                    service = configured.service.as_str(),
                    credentials = ?method,
                    apig = configured.client.base_url(crate::client::models::Service::Apig),
                    "provider configured"
                );
                Ok(Arc::new(configured))
            }
            _ => {
                if !diags.has_errors() {
                    diags.error(
                        "Provider configuration is not fully known",
                        "Some arguments of the provider block are known only after apply. Make them known at plan \
                         time (for example, do not derive them from resources managed in the same configuration).",
                    );
                }
                Err(diags)
            }
        }
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        resources::all()
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        data_sources::all()
    }

    fn functions(&self) -> Vec<Arc<dyn Function>> {
        functions::all()
    }

    fn list_resources(&self) -> Vec<Arc<dyn crate::engine::list::ListResource>> {
        resources::list::all()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use crate::client::models::Service;

    use super::config::{attr, vars};
    use super::*;

    fn provider(env: &[(&str, &str)]) -> ApigProvider {
        let env: HashMap<String, String> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        ApigProvider::with_env(Arc::new(env))
    }
    fn ctx() -> Context {
        Context { scope: Default::default(), provider_data: None }
    }
    fn block(set: &[(&str, Value)]) -> Value {
        let mut v = Value::null_object_of(&config::provider_schema().block_type());
        for (k, val) in set {
            v.set(k, val.clone());
        }
        v
    }

    #[test]
    fn validate_reports_what_the_block_gets_wrong_and_reads_the_environment() {
        let cfg = block(&[(attr::AUTH_TOKEN, Value::string("t")), (attr::ACCESS_KEY, Value::string("AK"))]);
        let mut d = Diagnostics::new();
        provider(&[]).validate(&cfg, &mut d);
        assert_eq!(d.iter().map(|x| x.summary.as_str()).collect::<Vec<_>>(), ["Conflicting credentials"]);

        // An invalid value from the environment is reported, naming the variable.
        let mut d = Diagnostics::new();
        provider(&[(vars::SERVICE, "nope")]).validate(&block(&[]), &mut d);
        assert!(d.iter().any(|x| x.detail.contains("HW_APIG_SERVICE")), "{d:?}");

        // Missing values are left to configure.
        let mut d = Diagnostics::new();
        provider(&[]).validate(&block(&[]), &mut d);
        assert!(d.is_empty(), "{d:?}");
    }

    #[tokio::test]
    async fn configure_hands_the_parsed_configuration_to_resources() {
        let cfg = block(&[
            (attr::REGION, Value::string("cn-north-4")),
            (attr::PROJECT_ID, Value::string("0123456789abcdef0123456789abcdef")),
        ]);
        let data = match provider(&[(vars::AUTH_TOKEN, "envtok")]).configure(&ctx(), "1.11.4", cfg).await {
            Ok(d) => d,
            Err(d) => panic!("{d:?}"),
        };
        let mut with_data = ctx();
        with_data.provider_data = Some(data);
        let configured = with_data.provider::<Configured>().expect("Configured");
        assert_eq!(configured.config.client.project_id, "0123456789abcdef0123456789abcdef");
        assert_eq!(configured.config.client.credentials.method(), crate::client::AuthMethod::Token);
        assert_eq!(configured.client.base_url(Service::Apig), "https://apig.cn-north-4.myhuaweicloud.com");
    }

    use crate::protocol::AttributePath;

    /// The hostile key through the engine's ValidateResourceTypeConfig: refused by the size
    /// check (KeyTooLarge, not the exponentiation) on the attribute that holds it.
    #[tokio::test]
    async fn an_oversized_dsa_key_is_a_diagnostic_on_private_key() {
        use crate::protocol::cty::msgpack;
        use crate::protocol::{DynamicValue, ProviderServer, ValidateResourceTypeConfigRequest};
        use resources::certificate::{self, attr as cert_attr};

        let g = pki::test_support::generate(&pki::test_support::CertSpec::leaf(pki::test_support::KeyAlg::EcdsaP256));
        let hostile = pki::test_support::pkcs8_dsa_pem(32768, 32768, 32767);
        let engine = crate::engine::Engine::new(Arc::new(provider(&[])));
        let schemas = engine.get_provider_schema().await.resource_schemas;
        let ty = schemas[certificate::TYPE_NAME].block.implied_type();
        let mut config = Value::null_object_of(&ty);
        config.set(cert_attr::NAME, Value::string("api_example_com"));
        config.set(cert_attr::CONTENT, Value::string(&g.chain_pem));
        config.set(cert_attr::PRIVATE_KEY, Value::string(&hostile));
        let answer = engine
            .validate_resource_type_config(ValidateResourceTypeConfigRequest {
                type_name: certificate::TYPE_NAME.into(),
                config: DynamicValue::msgpack(msgpack::encode(&config, &ty).expect("encodes")),
                client_capabilities: Default::default(),
            })
            .await;
        let on_key: Vec<_> = answer
            .diagnostics
            .iter()
            .filter(|d| d.attribute == Some(AttributePath::attr(cert_attr::PRIVATE_KEY)))
            .collect();
        assert_eq!(on_key.len(), 1, "{:?}", answer.diagnostics);
        assert_eq!(on_key[0].summary, "Invalid private key");
        assert!(on_key[0].detail.contains("too large: 32768-bit DSA parameters"), "{}", on_key[0].detail);
        assert!(on_key[0].detail.contains("at most 3072-bit"), "{}", on_key[0].detail);
        let body_line = hostile.lines().nth(1).expect("body");
        assert!(answer.diagnostics.iter().all(|d| !d.detail.contains(&body_line[..16])), "no key material");
    }

    /// 10 MB values in quoted attributes: every diagnostic quotes an excerpt, so the answer stays
    /// small (it used to be twice the value and could exceed the gRPC message limit).
    #[tokio::test]
    async fn diagnostics_about_huge_values_stay_small() {
        use crate::protocol::cty::msgpack;
        use crate::protocol::{DynamicValue, ProviderServer, ValidateResourceTypeConfigRequest};
        use resources::certificate::{self, attr as cert_attr};

        let huge = format!("1{}", "\n\u{1b}x".repeat(10 * 1024 * 1024 / 3));
        let engine = crate::engine::Engine::new(Arc::new(provider(&[])));
        let schemas = engine.get_provider_schema().await.resource_schemas;
        let ty = schemas[certificate::TYPE_NAME].block.implied_type();
        let mut config = Value::null_object_of(&ty);
        for a in [cert_attr::NAME, cert_attr::CONTENT, cert_attr::PRIVATE_KEY, cert_attr::INSTANCE_ID, cert_attr::TYPE]
        {
            config.set(a, Value::string(&huge));
        }
        let answer = engine
            .validate_resource_type_config(ValidateResourceTypeConfigRequest {
                type_name: certificate::TYPE_NAME.into(),
                config: DynamicValue::msgpack(msgpack::encode(&config, &ty).expect("encodes")),
                client_capabilities: Default::default(),
            })
            .await;
        assert!(answer.diagnostics.iter().count() >= 4, "{:?}", answer.diagnostics);
        let size: usize = answer.diagnostics.iter().map(|d| d.summary.len() + d.detail.len()).sum();
        assert!(size < 8 * 1024, "{size} bytes of diagnostics");
        let quoted = "(10485760 characters)";
        assert!(answer.diagnostics.iter().any(|d| d.detail.contains(quoted)), "{:?}", answer.diagnostics);
        let key = answer.diagnostics.iter().find(|d| d.attribute == Some(AttributePath::attr(cert_attr::PRIVATE_KEY)));
        let key = key.expect("a diagnostic on private_key");
        assert!(!key.detail.contains("\\u{1b}x"), "the private key is never quoted: {}", key.detail);
    }

    #[tokio::test]
    async fn configure_rejects_what_validate_rejects() {
        let cfg = block(&[(attr::REGION, Value::string("cn-north-4"))]);
        let Err(d) = provider(&[]).configure(&ctx(), "1.11.4", cfg).await else { panic!("must fail") };
        let summaries: Vec<&str> = d.iter().map(|x| x.summary.as_str()).collect();
        assert_eq!(summaries, ["Missing credentials", "Missing project ID"]);
    }
}
