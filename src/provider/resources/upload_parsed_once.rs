//! Each request parses a certificate upload's PEM once: ValidateResourceTypeConfig once, and an
//! apply once although it validates and then creates or updates (the engine hands validation's
//! parse to the create). Proved through the engine against the simulator, counting parses.

use std::sync::Arc;

use tokio::net::TcpListener;

use crate::engine::Engine;
use crate::protocol::cty::{Type, Value, msgpack};
use crate::protocol::*;
use crate::provider::ApigProvider;
use crate::provider::config::attr as provider_attr;
use crate::provider::pki::parse_count;
use crate::provider::pki::test_support::{CertSpec, KeyAlg, generate};
use crate::simulator::fixtures::{DEFAULT_DOMAINS, DEFAULT_GROUP_ID, DEFAULT_INSTANCE_ID, DEFAULT_PROJECT_ID};
use crate::simulator::{Config, DEFAULT_TOKEN, Sim};

use super::{certificate, domain_certificate};

fn dv(v: &Value, ty: &Type) -> DynamicValue {
    DynamicValue::msgpack(msgpack::encode(v, ty).expect("encodes"))
}

/// An engine whose provider is configured against a simulator on loopback.
async fn configured_engine() -> Engine {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(crate::simulator::server::serve(listener, Sim::new(Config::default()), std::future::pending()));
    let engine =
        Engine::new(Arc::new(ApigProvider::with_env(Arc::new(std::collections::HashMap::<String, String>::new()))));
    let ty = engine.get_provider_schema().await.provider.block.implied_type();
    let mut config = Value::null_object_of(&ty);
    config.set(provider_attr::PROJECT_ID, Value::string(DEFAULT_PROJECT_ID));
    config.set(provider_attr::AUTH_TOKEN, Value::string(DEFAULT_TOKEN));
    config.set(provider_attr::MAX_RETRIES, Value::number(0i64));
    let endpoints = [("apig", Value::string(&url)), ("roma", Value::string(&url)), ("iam", Value::string(&url))];
    config.set(provider_attr::ENDPOINTS, Value::Map(endpoints.into_iter().map(|(k, v)| (k.to_string(), v)).collect()));
    let r = engine
        .configure_provider(
            ConfigureProviderRequest {
                terraform_version: "1.11.4".into(),
                config: dv(&config, &ty),
                ..Default::default()
            },
            Cancel::new(),
        )
        .await;
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    engine
}

struct Resource<'a> {
    engine: &'a Engine,
    type_name: &'static str,
    block: crate::protocol::schema::Block,
    ty: Type,
}

impl<'a> Resource<'a> {
    async fn of(engine: &'a Engine, type_name: &'static str) -> Resource<'a> {
        let block = engine.get_provider_schema().await.resource_schemas[type_name].block.clone();
        let ty = block.implied_type();
        Resource { engine, type_name, block, ty }
    }

    fn config(&self, set: &[(&str, Value)]) -> Value {
        let mut v = Value::null_object_of(&self.ty);
        for (k, val) in set {
            v.set(k, val.clone());
        }
        v
    }

    /// Terraform's proposed new state: the configuration, computed attributes it leaves null kept
    /// from the prior state.
    fn proposed(&self, prior: &Value, config: &Value) -> Value {
        let mut out = config.clone();
        for a in &self.block.attributes {
            let configured = config.get(&a.name).is_some_and(|v| !v.is_null());
            if a.computed && !configured {
                out.set(&a.name, prior.get(&a.name).cloned().unwrap_or(Value::Null));
            }
        }
        out
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        let request = ValidateResourceTypeConfigRequest {
            type_name: self.type_name.into(),
            config: dv(config, &self.ty),
            client_capabilities: ClientCapabilities { write_only_attributes_allowed: true, ..Default::default() },
        };
        self.engine.validate_resource_type_config(request).await.diagnostics
    }

    async fn plan(&self, prior: &Value, config: &Value) -> Value {
        let request = PlanResourceChangeRequest {
            type_name: self.type_name.into(),
            prior_state: dv(prior, &self.ty),
            proposed_new_state: dv(&self.proposed(prior, config), &self.ty),
            config: dv(config, &self.ty),
            ..Default::default()
        };
        let r = self.engine.plan_resource_change(request, Cancel::new()).await;
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        msgpack::decode(&r.planned_state.expect("planned").msgpack, &self.ty).expect("decodes")
    }

    async fn apply(&self, prior: &Value, planned: &Value, config: &Value) -> Value {
        let request = ApplyResourceChangeRequest {
            type_name: self.type_name.into(),
            prior_state: dv(prior, &self.ty),
            planned_state: dv(planned, &self.ty),
            config: dv(config, &self.ty),
            ..Default::default()
        };
        let r = self.engine.apply_resource_change(request, Cancel::new()).await;
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        msgpack::decode(&r.new_state.expect("new state").msgpack, &self.ty).expect("decodes")
    }

    /// Validate, plan and apply `config` over `prior` as Terraform does, counting the (chain, key)
    /// parses of each request.
    async fn walk(&self, prior: &Value, config: &Value) -> (Value, [(usize, usize); 3]) {
        parse_count::take();
        let diagnostics = self.validate(config).await;
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let validated = parse_count::take();
        let planned = self.plan(prior, config).await;
        let planning = parse_count::take();
        let state = self.apply(prior, &planned, config).await;
        (state, [validated, planning, parse_count::take()])
    }
}

#[tokio::test]
async fn an_apig_certificate_apply_parses_its_pem_once() {
    let engine = configured_engine().await;
    let r = Resource::of(&engine, certificate::TYPE_NAME).await;
    let g = generate(&CertSpec::leaf(KeyAlg::EcdsaP256));
    let mut config = r.config(&[
        (certificate::attr::NAME, Value::string("api_example_com")),
        (certificate::attr::CONTENT, Value::string(&g.chain_pem)),
        (certificate::attr::PRIVATE_KEY_WO, Value::string(&g.key_pem)),
        (certificate::attr::PRIVATE_KEY_WO_VERSION, Value::number(1i64)),
    ]);
    let (state, counts) = r.walk(&Value::Null, &config).await;
    assert_eq!(state.get_str(certificate::attr::COMMON_NAME), Some("api.example.com"), "created");
    // A create's plan needs no parse; its apply validates and creates on one parse.
    assert_eq!(counts, [(1, 1), (0, 0), (1, 1)], "(chain, key) parses of validate, plan, apply");

    config.set(certificate::attr::NAME, Value::string("api_example_com_renamed"));
    let (state, counts) = r.walk(&state, &config).await;
    assert_eq!(state.get_str(certificate::attr::NAME), Some("api_example_com_renamed"), "updated");
    assert_eq!(counts, [(1, 1), (0, 0), (1, 1)], "(chain, key) parses of validate, plan, apply of an update");
}

#[tokio::test]
async fn an_apig_domain_certificate_apply_parses_its_pem_once() {
    use domain_certificate::attr;
    let engine = configured_engine().await;
    let r = Resource::of(&engine, domain_certificate::TYPE_NAME).await;
    let g = generate(&CertSpec::leaf(KeyAlg::EcdsaP256));
    let (domain_id, domain) = DEFAULT_DOMAINS[0];
    assert_eq!(domain, "api.example.com", "the certificate covers the domain");
    let config = r.config(&[
        ("instance_id", Value::string(DEFAULT_INSTANCE_ID)),
        ("group_id", Value::string(DEFAULT_GROUP_ID)),
        ("domain_id", Value::string(domain_id)),
        (attr::NAME, Value::string("api_example_com")),
        (attr::CONTENT, Value::string(&g.chain_pem)),
        (attr::PRIVATE_KEY, Value::string(&g.key_pem)),
    ]);
    let (state, counts) = r.walk(&Value::Null, &config).await;
    assert_eq!(state.get_str(attr::COMMON_NAME), Some("api.example.com"), "created");
    assert_eq!(counts, [(1, 1), (0, 0), (1, 1)], "(chain, key) parses of validate, plan, apply");
}
