//! Values for the certificate resource's unit tests: configurations, prior states and API answers
//! built from certificates generated at test time.

use time::OffsetDateTime;
use time::macros::datetime;

use crate::client::models::CertificateDetail;
use crate::protocol::cty::Value;
use crate::provider::pki::test_support::{CertSpec, Generated, KeyAlg, generate};
use crate::provider::pki::{self};

use super::model::CertificateModel;
use super::schema::{attr, certificate_schema};
use crate::engine::model::Model;

/// Inside every generated certificate's validity.
pub const NOW: OffsetDateTime = datetime!(2025-06-01 12:00:00 UTC);

pub fn object(set: &[(&str, Value)]) -> Value {
    let mut v = Value::null_object_of(&certificate_schema().block_type());
    for (k, val) in set {
        v.set(k, val.clone());
    }
    v
}

pub fn s(text: &str) -> Value {
    Value::string(text)
}

pub fn ecdsa() -> Generated {
    generate(&CertSpec { organization: Some("Example Org".into()), ..CertSpec::leaf(KeyAlg::EcdsaP256) })
}

/// A configuration with a write-only key.
pub fn config_wo(g: &Generated) -> Value {
    object(&[
        (attr::NAME, s("api_example_com")),
        (attr::CONTENT, s(&g.chain_pem)),
        (attr::PRIVATE_KEY_WO, s(&g.key_pem)),
        (attr::PRIVATE_KEY_WO_VERSION, Value::from(1)),
    ])
}

/// What the API answers for `g` uploaded as a global certificate.
pub fn detail_of(g: &Generated, id: &str, updated: &str) -> CertificateDetail {
    let chain = pki::parse_certificate_chain(&g.chain_pem).expect("generated chain parses");
    let leaf = chain.leaf();
    CertificateDetail {
        id: id.into(),
        name: "api_example_com".into(),
        cert_type: "global".into(),
        instance_id: "common".into(),
        common_name: leaf.common_name.clone(),
        san: leaf.dns_sans.clone(),
        not_before: pki::rfc3339_seconds(leaf.not_before),
        not_after: pki::rfc3339_seconds(leaf.not_after),
        signature_algorithm: leaf.signature_algorithm.clone(),
        serial_number: leaf.serial_number.clone(),
        issuer: leaf.issuer_organizations.clone(),
        algorithm_type: "ECC".into(),
        create_time: "2025-06-01T10:00:00.000001Z".into(),
        update_time: updated.into(),
        ..Default::default()
    }
}

pub const ID: &str = "a27be832f2e9441c8127fe48e3b5ac67";

/// The state after creating `config` and reading `detail` back.
pub fn state_of(config: &Value, detail: &CertificateDetail) -> Value {
    let mut st = config.clone();
    st.set(attr::PRIVATE_KEY_WO, Value::Null);
    st.set("service", s("apig"));
    st.set(attr::TYPE, s("global"));
    apply_detail(&mut st, detail);
    st
}

/// The model of a test value (which conforms to the schema).
pub fn model(v: &Value) -> CertificateModel {
    CertificateModel::read(v).expect("a value of the certificate schema")
}

/// [`CertificateModel::apply_detail`] on a value.
pub fn apply_detail(v: &mut Value, d: &CertificateDetail) {
    let mut m = model(v);
    m.apply_detail(d);
    m.write_to(v);
}
