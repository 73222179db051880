//! Unit tests of `apig_domain_certificate`'s rules, on the values the engine holds.

use time::OffsetDateTime;

use crate::client::models::{CertificateDetail, DomainCertificateForm, DomainCertificateInfo, Service};
use crate::engine::PlanContext;
use crate::engine::model::Model;
use crate::protocol::cty::Value;
use crate::protocol::{AttributePath, Diagnostic, Diagnostics};

use crate::provider::pki;
use crate::provider::resources::certificate::strings;
use crate::provider::resources::domain_id::{self, CERTIFICATE_ID};
use crate::provider::service;

use super::model::DomainCertificateModel;
use super::rules;
use super::schema::{attr, schema};

fn model(v: &Value) -> DomainCertificateModel {
    DomainCertificateModel::read(v).expect("a value of the schema")
}
fn validate_upload(config: &Value, now: OffsetDateTime, d: &mut Diagnostics) {
    let _ = rules::validate_upload(&model(config), now, d);
}
fn check_roma_only(p: &mut PlanContext) {
    rules::check_roma_only(&model(&p.planned), &model(&p.config), &mut p.diagnostics)
}
fn plan_replacement(p: &mut PlanContext) {
    if let Some(prior) = &p.prior {
        let changes = rules::replacing_changes(&model(prior), &model(&p.planned));
        p.requires_replace.extend(changes);
    }
}
fn is_record_only(prior: &Value, planned: &Value) -> bool {
    rules::is_record_only(&model(prior), &model(planned), &crate::engine::Validated::none())
}
fn form(planned: &Value, config: &Value, service: Service) -> Result<DomainCertificateForm, Diagnostic> {
    rules::form(&model(planned), &model(config), service)
}
fn created_certificate_id(info: &DomainCertificateInfo, name: &str) -> Option<String> {
    rules::created_certificate_id(info, name)
}
fn apply_detail(v: &mut Value, d: &CertificateDetail) {
    let mut m = model(v);
    m.apply_detail(d);
    m.write_to(v);
}

use time::macros::datetime;

use crate::client::models::SslInfo;
use crate::protocol::Severity;
use crate::provider::pki::test_support::{CertSpec, Generated, KeyAlg, generate};

const NOW: OffsetDateTime = datetime!(2025-06-01 12:00:00 UTC);
const I: &str = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0";

fn cert(serial: u8) -> Generated {
    let mut spec = CertSpec::leaf(KeyAlg::EcdsaP256);
    spec.serial = Some(vec![serial]);
    generate(&spec)
}

fn object(set: &[(&str, Value)]) -> Value {
    let mut v = Value::null_object_of(&schema().block_type());
    for (k, val) in set {
        v.set(k, val.clone());
    }
    v
}

fn paths(d: &Diagnostics) -> Vec<(String, Option<AttributePath>)> {
    d.iter().filter(|x| x.severity == Severity::Error).map(|x| (x.summary.clone(), x.attribute.clone())).collect()
}

#[test]
fn upload_problems_land_on_the_attribute_at_fault() {
    let good = cert(1);
    let other = cert(2);
    // A key that belongs to another certificate: on the attribute holding the key.
    let config = object(&[
        (attr::CONTENT, Value::string(&good.chain_pem)),
        (attr::PRIVATE_KEY_WO, Value::string(&other.key_pem)),
    ]);
    let mut d = Diagnostics::new();
    validate_upload(&config, NOW, &mut d);
    let found = paths(&d);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, Some(AttributePath::attr(attr::PRIVATE_KEY_WO)));
    // The key is never quoted back.
    let key_body: String = other.key_pem.lines().nth(1).unwrap_or_default().to_string();
    assert!(d.iter().all(|x| !x.detail.contains(&key_body)));

    // Expired: on content.
    let mut spec = CertSpec::leaf(KeyAlg::EcdsaP256);
    spec.not_after = datetime!(2025-01-01 00:00:00 UTC);
    let expired = generate(&spec);
    let config = object(&[
        (attr::CONTENT, Value::string(&expired.chain_pem)),
        (attr::PRIVATE_KEY, Value::string(&expired.key_pem)),
    ]);
    let mut d = Diagnostics::new();
    validate_upload(&config, NOW, &mut d);
    assert_eq!(paths(&d), vec![("Certificate has expired".to_string(), Some(AttributePath::attr(attr::CONTENT)))]);

    // A matching pair passes; unknown content is left for apply.
    let config =
        object(&[(attr::CONTENT, Value::string(&good.chain_pem)), (attr::PRIVATE_KEY, Value::string(&good.key_pem))]);
    let mut d = Diagnostics::new();
    validate_upload(&config, NOW, &mut d);
    assert!(paths(&d).is_empty(), "{d:?}");
    let mut d = Diagnostics::new();
    validate_upload(&object(&[(attr::CONTENT, Value::Unknown)]), NOW, &mut d);
    assert!(d.is_empty());
}

fn plan(prior: Option<Value>, config: Value, planned: Value) -> PlanContext {
    PlanContext {
        prior,
        config,
        planned,
        requires_replace: Vec::new(),
        private: Default::default(),
        diagnostics: Diagnostics::new(),
    }
}

#[test]
fn roma_only_arguments_are_refused_on_apig_at_plan() {
    let config = object(&[(attr::TYPE, Value::string("instance")), (attr::TRUSTED_ROOT_CA, Value::string("x"))]);
    let mut planned = config.clone();
    planned.set(service::SERVICE, Value::string("apig"));
    let mut p = plan(None, config.clone(), planned);
    check_roma_only(&mut p);
    let at: Vec<_> = p.diagnostics.iter().map(|d| d.attribute.clone()).collect();
    assert_eq!(at, vec![Some(AttributePath::attr(attr::TYPE)), Some(AttributePath::attr(attr::TRUSTED_ROOT_CA))]);

    let mut planned = config.clone();
    planned.set(service::SERVICE, Value::string("roma"));
    let mut p = plan(None, config, planned);
    check_roma_only(&mut p);
    assert!(p.diagnostics.is_empty());
}

/// State as an import + read leaves it: IDs, name, computed values; no PEM.
fn imported(g: &Generated) -> Value {
    let chain = pki::parse_certificate_chain(&g.chain_pem).expect("chain");
    let leaf = chain.leaf();
    object(&[
        (attr::NAME, Value::string("api_cert")),
        (attr::SERIAL_NUMBER, Value::string(&leaf.serial_number)),
        (attr::ISSUER, strings(&leaf.issuer_organizations)),
        (CERTIFICATE_ID, Value::string("a27be832f2e9441c8127fe48e3b5ac67")),
    ])
}

fn configured(prior: &Value, g: &Generated) -> Value {
    let mut planned = prior.clone();
    planned.set(attr::CONTENT, Value::string(&g.chain_pem));
    planned.set(attr::PRIVATE_KEY_WO_VERSION, Value::from(1i64));
    planned
}

#[test]
fn after_import_the_remote_certificate_is_recorded_without_replacement() {
    let g = cert(7);
    let prior = imported(&g);
    let planned = configured(&prior, &g);
    assert!(is_record_only(&prior, &planned));
    let mut p = plan(Some(prior), planned.clone(), planned);
    plan_replacement(&mut p);
    assert!(p.requires_replace.is_empty(), "{:?}", p.requires_replace);
}

#[test]
fn after_import_another_certificate_replaces() {
    let prior = imported(&cert(7));
    let planned = configured(&prior, &cert(8));
    assert!(!is_record_only(&prior, &planned));
    let mut p = plan(Some(prior), planned.clone(), planned);
    plan_replacement(&mut p);
    assert_eq!(
        p.requires_replace,
        vec![AttributePath::attr(attr::CONTENT), AttributePath::attr(attr::PRIVATE_KEY_WO_VERSION)]
    );
}

#[test]
fn once_recorded_any_change_of_an_unreadable_input_replaces() {
    let g = cert(7);
    let prior = configured(&imported(&g), &g);
    // Same certificate, rotated key version: replaces (content is in state now).
    let mut planned = prior.clone();
    planned.set(attr::PRIVATE_KEY_WO_VERSION, Value::from(2i64));
    let mut p = plan(Some(prior.clone()), planned.clone(), planned);
    plan_replacement(&mut p);
    assert_eq!(p.requires_replace, vec![AttributePath::attr(attr::PRIVATE_KEY_WO_VERSION)]);
    // Unchanged: nothing.
    let mut p = plan(Some(prior.clone()), prior.clone(), prior);
    plan_replacement(&mut p);
    assert!(p.requires_replace.is_empty());
}

#[test]
fn content_unknown_at_plan_after_import_replaces() {
    let prior = imported(&cert(7));
    let mut planned = prior.clone();
    planned.set(attr::CONTENT, Value::Unknown);
    let mut p = plan(Some(prior), planned.clone(), planned);
    plan_replacement(&mut p);
    assert_eq!(p.requires_replace, vec![AttributePath::attr(attr::CONTENT)]);
}

#[test]
fn the_form_follows_the_service_and_takes_the_write_only_key_from_config() {
    let g = cert(3);
    let planned = object(&[
        (attr::NAME, Value::string("api_cert")),
        (attr::CONTENT, Value::string(&g.chain_pem)),
        (attr::TYPE, Value::string("instance")),
        (attr::TRUSTED_ROOT_CA, Value::string(&g.ca_pem)),
        (domain_id::INSTANCE_ID, Value::string(I)),
    ]);
    let mut config = planned.clone();
    config.set(attr::PRIVATE_KEY_WO, Value::string(&g.key_pem));

    let roma = form(&planned, &config, Service::Roma).expect("form");
    assert_eq!(roma.private_key, g.key_pem);
    assert_eq!(roma.cert_type.as_deref(), Some("instance"));
    assert_eq!(roma.instance_id.as_deref(), Some(I));
    assert_eq!(roma.trusted_root_ca.as_deref(), Some(g.ca_pem.as_str()));
    assert!(!format!("{roma:?}").contains(&g.key_pem));

    let apig = form(&planned, &config, Service::Apig).expect("form");
    assert_eq!((apig.cert_type, apig.instance_id, apig.trusted_root_ca), (None, None, None));

    // A global ROMA certificate sends no instance ID.
    let mut global = config.clone();
    global.set(attr::TYPE, Value::string("global"));
    assert_eq!(form(&planned, &global, Service::Roma).expect("form").instance_id, None);

    let mut no_key = config;
    no_key.set(attr::PRIVATE_KEY_WO, Value::Null);
    let err = form(&planned, &no_key, Service::Apig).expect_err("no key");
    assert_eq!(err.attribute, Some(AttributePath::attr(attr::PRIVATE_KEY)));
}

#[test]
fn the_created_id_comes_from_ssl_infos_by_name_else_ssl_id() {
    let info = |ssl_id: &str, infos: Option<Vec<(&str, &str)>>| DomainCertificateInfo {
        id: "d".into(),
        ssl_id: ssl_id.into(),
        ssl_infos: infos.map(|v| {
            v.into_iter()
                .map(|(id, name)| SslInfo {
                    ssl_id: id.into(),
                    ssl_name: name.into(),
                    algorithm_type: "RSA".into(),
                    cert_type: None,
                    is_has_trusted_root_ca: false,
                })
                .collect()
        }),
        ..Default::default()
    };
    assert_eq!(created_certificate_id(&info("abc", None), "mine").as_deref(), Some("abc"));
    let roma = info("rsa_one", Some(vec![("rsa_one", "other"), ("ecc_one", "mine")]));
    assert_eq!(created_certificate_id(&roma, "mine").as_deref(), Some("ecc_one"));
    assert_eq!(created_certificate_id(&info("", None), "mine"), None);
}

#[test]
fn refresh_drops_the_content_when_the_remote_certificate_changed() {
    let g = cert(7);
    let state = configured(&imported(&g), &g);
    let detail = |serial: &str| CertificateDetail {
        id: "a27be832f2e9441c8127fe48e3b5ac67".into(),
        name: "api_cert".into(),
        cert_type: "global".into(),
        serial_number: serial.into(),
        issuer: vec!["Test CA Org".into()],
        san: vec!["api.example.com".into()],
        ..Default::default()
    };
    let mut same = state.clone();
    apply_detail(&mut same, &detail("7"));
    assert_eq!(same.get_str(attr::CONTENT), Some(g.chain_pem.as_str()));
    assert_eq!(same.get_str(attr::TYPE), Some("global"));
    assert_eq!(same.get(attr::SANS), Some(&strings(&["api.example.com".to_string()])));

    let mut changed = state;
    apply_detail(&mut changed, &detail("8"));
    assert!(changed.get(attr::CONTENT).is_some_and(Value::is_null));
    assert_eq!(changed.get_str(attr::SERIAL_NUMBER), Some("8"));
}

#[test]
fn every_attribute_is_described_and_secrets_are_marked() {
    let s = schema();
    assert!(s.block.attributes.iter().all(|a| !a.description.is_empty()));
    let find = |n: &str| s.block.attributes.iter().find(|a| a.name == n).expect(n).clone();
    assert!(find(attr::PRIVATE_KEY).sensitive);
    assert!(find(attr::PRIVATE_KEY_WO).write_only);
    assert!(s.timeouts.is_some());
}
