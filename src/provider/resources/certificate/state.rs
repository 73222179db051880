//! Between the API's certificate and the resource's state: the request form, what a response puts
//! into state, and how a refresh makes out-of-band changes visible. The API never returns the PEM,
//! the key or the CA bundle, so those always come from configuration or prior state.

use serde_json::Value as Json;

use crate::client::models::{CertificateDetail, CertificateForm};
use crate::engine::{Private, Validated};
use crate::protocol::cty::Value;
use crate::protocol::{AttributePath, Diagnostic};
use crate::provider::resources::upload;

use super::model::CertificateModel;
use super::schema::{TYPE_INSTANCE, attr};
use crate::engine::model::Val;

/// Private-state key: whether the API reported a trusted root CA on the certificate.
pub const PRIVATE_HAS_TRUSTED_ROOT_CA: &str = "has_trusted_root_ca";

pub fn strings(items: &[String]) -> Value {
    Value::List(items.iter().map(|s| Value::string(s.as_str())).collect())
}

/// A string from the API, or null when the API left it empty.
pub fn non_empty(s: &str) -> Value {
    if s.is_empty() { Value::Null } else { Value::string(s) }
}

impl CertificateModel {
    /// Writes what the API reports. Fields the API may leave empty (ROMA answers sparsely) keep
    /// the value the model already has; the certificate's own fields become null.
    pub fn apply_detail(&mut self, d: &CertificateDetail) {
        let keep_or = |field: &mut Val<String>, remote: &str| {
            if !remote.is_empty() {
                *field = Val::Known(remote.to_string());
            }
        };
        keep_or(&mut self.id, &d.id);
        keep_or(&mut self.name, &d.name);
        keep_or(&mut self.cert_type, &d.cert_type);
        keep_or(&mut self.instance_id, &d.instance_id);
        keep_or(&mut self.algorithm_type, &d.algorithm_type);
        keep_or(&mut self.created_at, &d.create_time);
        keep_or(&mut self.updated_at, &d.update_time);
        self.common_name = Val::non_empty(&d.common_name);
        self.sans = Val::Known(d.san.clone());
        self.not_before = Val::non_empty(&d.not_before);
        self.not_after = Val::non_empty(&d.not_after);
        self.signature_algorithm = Val::non_empty(&d.signature_algorithm);
        self.serial_number = Val::non_empty(&d.serial_number);
        self.issuer = Val::Known(d.issuer.clone());
    }
}

/// Private state recording what the API said about the object (facts it never puts into state).
pub fn private_from(d: &CertificateDetail) -> Private {
    let mut p = Private::new();
    p.insert(PRIVATE_HAS_TRUSTED_ROOT_CA.to_string(), Json::Bool(d.is_has_trusted_root_ca));
    p
}

pub fn remote_has_trusted_root_ca(private: &Private) -> bool {
    private.get(PRIVATE_HAS_TRUSTED_ROOT_CA).and_then(Json::as_bool).unwrap_or(false)
}

/// The state after a refresh: `state` with the remote values. The PEM is never returned, so a
/// certificate re-uploaded outside Terraform (another serial number or issuer than recorded) or a
/// trusted root CA added outside Terraform shows as `content` drift (null), and a removed CA as
/// `trusted_root_ca` drift: the next plan then uploads the configuration again.
pub fn refresh(state: &CertificateModel, d: &CertificateDetail) -> CertificateModel {
    let mut new = state.clone();
    let certificate_replaced = upload::replaced_remotely(&state.serial_number, &state.issuer, d);
    let ca_recorded = state.trusted_root_ca.known().is_some();
    if certificate_replaced || (state.content.known().is_some() && !ca_recorded && d.is_has_trusted_root_ca) {
        new.content = Val::Null;
    }
    if ca_recorded && !d.is_has_trusted_root_ca {
        new.trusted_root_ca = Val::Null;
    }
    new.apply_detail(d);
    new
}

/// True when the leaf of `content` (as validation parsed it, else parsed now) is the certificate the
/// API holds according to `prior` (the one rule, `client::same_certificate`), i.e. uploading
/// `content` again would change nothing.
pub fn is_remote_certificate(content: &str, validated: &Validated, prior: &CertificateModel) -> bool {
    upload::configured_leaf(content, validated)
        .is_some_and(|leaf| upload::is_remote_certificate(&leaf, &prior.serial_number, &prior.issuer))
}

/// The create/update body (a full replacement): everything from the plan, the key from
/// `private_key` or, write-only, from the configuration's `private_key_wo`.
pub fn certificate_form(planned: &CertificateModel, config: &CertificateModel) -> Result<CertificateForm, Diagnostic> {
    let missing = |name: &str| {
        Diagnostic::error(
            "Value not known at apply",
            format!("{name} has no value at apply time, so the certificate cannot be sent. Set it to a known value."),
        )
        .with_attribute(AttributePath::attr(name))
    };
    let private_key = planned.private_key.known().or(config.private_key_wo.known()).cloned().ok_or_else(|| {
        Diagnostic::error(
            "Missing private key",
            "The API needs the private key with every upload, but neither private_key nor private_key_wo has a \
                 value. Set private_key_wo (with private_key_wo_version) or private_key.",
        )
        .with_attribute(AttributePath::attr(attr::PRIVATE_KEY_WO))
    })?;
    let cert_type = planned.cert_type.known().cloned();
    let instance_id = match cert_type.as_deref() {
        Some(TYPE_INSTANCE) => Some(planned.instance_id.known().cloned().ok_or_else(|| missing(attr::INSTANCE_ID))?),
        _ => None,
    };
    Ok(CertificateForm {
        name: planned.name.known().cloned().ok_or_else(|| missing(attr::NAME))?,
        cert_content: planned.content.known().cloned().ok_or_else(|| missing(attr::CONTENT))?,
        private_key,
        cert_type,
        instance_id,
        trusted_root_ca: planned.trusted_root_ca.known().cloned(),
        // Only what the user chose: the API derives its own value otherwise.
        algorithm_type: config.algorithm_type.known().cloned(),
        cert_content_sign: None,
        private_key_sign: None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{ID, apply_detail, config_wo, detail_of, ecdsa, model, s, state_of};
    use super::*;
    use crate::engine::model::Model;
    use crate::protocol::cty::Value;

    fn refresh_v(state: &Value, d: &CertificateDetail) -> Value {
        refresh(&model(state), d).to_value_over(state)
    }

    fn settle_unknowns(v: &mut Value) {
        let mut m = model(v);
        m.settle_unknowns();
        m.write_to(v);
    }

    fn is_remote(content: &str, prior: &Value) -> bool {
        is_remote_certificate(content, &Validated::none(), &model(prior))
    }

    fn form_of(planned: &Value, config: &Value) -> Result<CertificateForm, Diagnostic> {
        certificate_form(&model(planned), &model(config))
    }

    #[test]
    fn a_response_fills_state_and_empty_fields_keep_what_state_had() {
        let g = ecdsa();
        let detail = detail_of(&g, ID, "2025-06-01T10:00:00.000001Z");
        let st = state_of(&config_wo(&g), &detail);
        assert_eq!(st.get_str(attr::ID), Some(ID));
        assert_eq!(st.get_str(attr::INSTANCE_ID), Some("common"));
        assert_eq!(st.get_str(attr::COMMON_NAME), Some("api.example.com"));
        assert_eq!(st.get(attr::SANS), Some(&strings(&["api.example.com".to_string()])));
        assert_eq!(st.get(attr::ISSUER), Some(&strings(&["Test CA Org".to_string()])));
        assert_eq!(st.get_str(attr::NOT_AFTER), Some("2030-01-01T00:00:00Z"));
        assert_eq!(st.get_str(attr::UPDATED_AT), Some("2025-06-01T10:00:00.000001Z"));
        assert_eq!(st.get_str(attr::CONTENT), Some(g.chain_pem.as_str()), "the PEM comes from configuration");

        // A sparse answer (ROMA) keeps name, scope and algorithm; certificate fields become null.
        let sparse = CertificateDetail { id: ID.into(), ..Default::default() };
        let mut planned = st.clone();
        planned.set(attr::CREATED_AT, Value::Unknown);
        apply_detail(&mut planned, &sparse);
        settle_unknowns(&mut planned);
        assert_eq!(planned.get(attr::CREATED_AT), Some(&Value::Null));
        assert!(planned.is_wholly_known());
        let mut again = st.clone();
        apply_detail(&mut again, &sparse);
        assert_eq!(again.get_str(attr::NAME), Some("api_example_com"));
        assert_eq!(again.get_str(attr::INSTANCE_ID), Some("common"));
        assert_eq!(again.get_str(attr::ALGORITHM_TYPE), Some("ECC"));
        assert_eq!(again.get(attr::COMMON_NAME), Some(&Value::Null));
    }

    #[test]
    fn refresh_keeps_the_pem_while_the_api_holds_the_same_certificate() {
        let g = ecdsa();
        let detail = detail_of(&g, ID, "t1");
        let st = state_of(&config_wo(&g), &detail);
        let mut renamed = detail.clone();
        renamed.name = "renamed_elsewhere".into();
        let new = refresh_v(&st, &renamed);
        assert_eq!(new.get_str(attr::CONTENT), Some(g.chain_pem.as_str()));
        assert_eq!(new.get_str(attr::NAME), Some("renamed_elsewhere"));
    }

    #[test]
    fn refresh_shows_a_certificate_replaced_out_of_band_as_content_drift() {
        let g = ecdsa();
        let st = state_of(&config_wo(&g), &detail_of(&g, ID, "t1"));
        let other = detail_of(&ecdsa(), ID, "t2");
        let new = refresh_v(&st, &other);
        assert_eq!(new.get(attr::CONTENT), Some(&Value::Null));
        assert_eq!(new.get_str(attr::SERIAL_NUMBER), Some(other.serial_number.as_str()));
        assert_eq!(new.get_str(attr::UPDATED_AT), Some("t2"));

        let mut reissued = detail_of(&g, ID, "t2");
        reissued.issuer = vec!["Another CA".into()];
        assert_eq!(refresh_v(&st, &reissued).get(attr::CONTENT), Some(&Value::Null));

        // After an import nothing is recorded yet, so there is nothing to compare.
        let mut imported = st.clone();
        imported.set(attr::CONTENT, Value::Null);
        imported.set(attr::SERIAL_NUMBER, Value::Null);
        let new = refresh_v(&imported, &other);
        assert_eq!(new.get(attr::CONTENT), Some(&Value::Null));
        assert_eq!(new.get_str(attr::SERIAL_NUMBER), Some(other.serial_number.as_str()));
    }

    #[test]
    fn refresh_shows_trusted_root_ca_changes_made_out_of_band() {
        let g = ecdsa();
        let mut config = config_wo(&g);
        config.set(attr::TRUSTED_ROOT_CA, s(&g.ca_pem));
        let mut detail = detail_of(&g, ID, "t1");
        detail.is_has_trusted_root_ca = true;
        let st = state_of(&config, &detail);
        assert_eq!(refresh_v(&st, &detail), st);
        // Removed elsewhere: the CA shows as gone.
        detail.is_has_trusted_root_ca = false;
        let new = refresh_v(&st, &detail);
        assert_eq!(new.get(attr::TRUSTED_ROOT_CA), Some(&Value::Null));
        assert_eq!(new.get_str(attr::CONTENT), Some(g.chain_pem.as_str()));
        // Added elsewhere: the upload state no longer describes the object.
        let plain = state_of(&config_wo(&g), &detail_of(&g, ID, "t1"));
        let mut with_ca = detail_of(&g, ID, "t2");
        with_ca.is_has_trusted_root_ca = true;
        assert_eq!(refresh_v(&plain, &with_ca).get(attr::CONTENT), Some(&Value::Null));
        assert!(remote_has_trusted_root_ca(&private_from(&with_ca)));
        assert!(!remote_has_trusted_root_ca(&Private::new()));
    }

    #[test]
    fn the_form_carries_every_field_and_takes_the_key_from_where_it_is() {
        let g = ecdsa();
        let config = config_wo(&g);
        let mut planned = config.clone();
        planned.set(attr::PRIVATE_KEY_WO, Value::Null);
        planned.set(attr::TYPE, s("global"));
        planned.set(attr::INSTANCE_ID, s("common"));
        planned.set(attr::ALGORITHM_TYPE, s("ECC"));
        let form = form_of(&planned, &config).expect("form");
        assert_eq!(form.name, "api_example_com");
        assert_eq!(form.cert_content, g.chain_pem);
        assert_eq!(form.private_key, g.key_pem, "the write-only key comes from configuration");
        assert_eq!(form.cert_type.as_deref(), Some("global"));
        assert_eq!(form.instance_id, None, "global certificates send no instance ID");
        assert_eq!(form.algorithm_type, None, "only a configured algorithm is sent");
        assert!(!format!("{form:?}").contains(g.key_pem.lines().nth(1).unwrap_or("-")));

        let mut plain_config = config.clone();
        plain_config.set(attr::PRIVATE_KEY_WO, Value::Null);
        plain_config.set(attr::PRIVATE_KEY, s("KEY FROM STATE"));
        plain_config.set(attr::ALGORITHM_TYPE, s("ECC"));
        let mut planned = plain_config.clone();
        planned.set(attr::TYPE, s("instance"));
        planned.set(attr::INSTANCE_ID, s("5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"));
        planned.set(attr::TRUSTED_ROOT_CA, s(&g.ca_pem));
        let form = form_of(&planned, &plain_config).expect("form");
        assert_eq!(form.private_key, "KEY FROM STATE");
        assert_eq!(form.instance_id.as_deref(), Some("5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"));
        assert_eq!(form.trusted_root_ca.as_deref(), Some(g.ca_pem.as_str()));
        assert_eq!(form.algorithm_type.as_deref(), Some("ECC"));

        let mut keyless = config.clone();
        keyless.set(attr::PRIVATE_KEY_WO, Value::Null);
        let err = form_of(&planned_without_key(&keyless), &keyless).expect_err("no key");
        assert_eq!(err.summary, "Missing private key");
    }

    fn planned_without_key(config: &Value) -> Value {
        let mut p = config.clone();
        p.set(attr::PRIVATE_KEY, Value::Null);
        p
    }

    #[test]
    fn the_remote_certificate_is_recognised_by_serial_and_issuer() {
        let g = ecdsa();
        let st = state_of(&config_wo(&g), &detail_of(&g, ID, "t1"));
        assert!(is_remote(&g.chain_pem, &st));
        assert!(is_remote(&g.leaf_pem, &st));
        assert!(!is_remote(&ecdsa().chain_pem, &st));
        assert!(!is_remote("garbage", &st));
        let mut unread = st.clone();
        unread.set(attr::SERIAL_NUMBER, Value::Null);
        assert!(!is_remote(&g.chain_pem, &unread));
    }
}
