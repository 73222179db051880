use std::sync::Arc;

use super::*;
use crate::client::models::Service;
use crate::client::{ClientConfig, Credentials};
use crate::provider::config::ProviderConfig;

const PROJECT: &str = "0123456789abcdef0123456789abcdef";
const I: &str = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0";
const G: &str = "7d1e2f3a4b5c4d6e8f9a0b1c2d3e4f50";
const D: &str = "d0000000000000000000000000000001";
const C: &str = "a27be832f2e9441c8127fe48e3b5ac67";

fn ctx() -> Context {
    let client = ClientConfig::new("cn-north-4", PROJECT, Credentials::Token("t".into())).with_max_retries(0);
    let config = ProviderConfig { service: Service::Apig, client };
    let provider_data = Some(Arc::new(Configured::new(config).expect("client")) as crate::engine::ProviderData);
    Context { scope: Default::default(), provider_data }
}

fn unconfigured() -> Context {
    Context { scope: Default::default(), provider_data: None }
}

fn certificate_identity(service: Option<&str>, project: Option<&str>) -> Value {
    Value::object([
        (CERTIFICATE_ID, Value::string(C)),
        (SERVICE, service.map_or(Value::Null, Value::string)),
        (PROJECT_ID, project.map_or(Value::Null, Value::string)),
    ])
}

#[test]
fn a_certificate_is_named_by_its_id_service_and_the_providers_project() {
    let state = Value::object([(ID, Value::string(C)), (SERVICE, Value::string("roma")), ("name", Value::string("n"))]);
    let identity = ByCertificate(CertificateIdIn::Id).of_object(&ctx(), &state).expect("identity");
    assert_eq!(identity, certificate_identity(Some("roma"), Some(PROJECT)));

    let bindings = Value::object([(CERTIFICATE_ID, Value::string(C)), (SERVICE, Value::string("roma"))]);
    let identity = ByCertificate(CertificateIdIn::CertificateId).of_object(&ctx(), &bindings).expect("identity");
    assert_eq!(identity, certificate_identity(Some("roma"), Some(PROJECT)));

    // A plan's unknown ID stays unknown: the engine decides whether that may be sent.
    let planned = Value::object([(ID, Value::Unknown), (SERVICE, Value::string("apig"))]);
    let identity = ByCertificate(CertificateIdIn::Id).of_object(&ctx(), &planned).expect("identity");
    assert_eq!(identity.get(CERTIFICATE_ID), Some(&Value::Unknown));

    assert!(
        ByCertificate(CertificateIdIn::Id).of_object(&unconfigured(), &state).is_err(),
        "no project without a provider"
    );
}

#[test]
fn an_identity_imports_through_the_same_id_an_import_block_would_use() {
    let by = ByCertificate(CertificateIdIn::Id);
    assert_eq!(by.import_id(&ctx(), &certificate_identity(None, None)).expect("id"), C);
    assert_eq!(
        by.import_id(&ctx(), &certificate_identity(Some("roma"), Some(PROJECT))).expect("id"),
        format!("roma/{C}")
    );

    let domain = Value::object([
        (INSTANCE_ID, Value::string(I)),
        (GROUP_ID, Value::string(G)),
        (DOMAIN_ID, Value::string(D)),
        (CERTIFICATE_ID, Value::string(C)),
        (SERVICE, Value::string("apig")),
        (PROJECT_ID, Value::Null),
    ]);
    assert_eq!(ByDomainCertificate.import_id(&ctx(), &domain).expect("id"), format!("apig/{I}/{G}/{D}/{C}"));
}

#[test]
fn an_identity_of_another_project_is_refused_with_what_to_do() {
    let other = "ffffffffffffffffffffffffffffffff";
    let err = ByCertificate(CertificateIdIn::Id)
        .import_id(&ctx(), &certificate_identity(None, Some(other)))
        .expect_err("other project");
    assert_eq!(err.summary, "Identity names another project");
    assert!(err.detail.contains(other) && err.detail.contains(PROJECT), "{}", err.detail);
    assert!(err.detail.contains("provider = apig.<alias>"), "{}", err.detail);
}

#[test]
fn the_domain_identity_comes_from_the_ids_in_state() {
    let state = Value::object([
        (ID, Value::string(format!("{I}/{G}/{D}/{C}"))),
        (INSTANCE_ID, Value::string(I)),
        (GROUP_ID, Value::string(G)),
        (DOMAIN_ID, Value::string(D)),
        (CERTIFICATE_ID, Value::string(C)),
        (SERVICE, Value::string("apig")),
    ]);
    let identity = ByDomainCertificate.of_object(&ctx(), &state).expect("identity");
    let get = |n: &str| identity.get(n).and_then(Value::as_str).map(str::to_string);
    assert_eq!(get(INSTANCE_ID).as_deref(), Some(I));
    assert_eq!(get(DOMAIN_ID).as_deref(), Some(D));
    assert_eq!(get(PROJECT_ID).as_deref(), Some(PROJECT));
}

#[test]
fn both_schemas_require_the_ids_and_let_service_and_project_default() {
    for schema in [ByCertificate(CertificateIdIn::Id).schema(), ByDomainCertificate.schema()] {
        assert!(crate::engine::identity::schema_problems(&schema).is_empty());
        for a in &schema.attributes {
            let optional = a.name == SERVICE || a.name == PROJECT_ID;
            assert_eq!(a.required_for_import, !optional, "{}", a.name);
            assert!(!a.description.is_empty(), "{}", a.name);
        }
    }
    assert_eq!(ByDomainCertificate.schema().object_type(), DomainCertificateIdentity::object_type());
    assert_eq!(ByCertificate(CertificateIdIn::Id).schema().object_type(), CertificateIdentity::object_type());
}
