//! Planning an `apig_certificate`: whether an update uploads (one PUT) or only records values in
//! state, and which computed values the plan can keep. The same decision runs at plan and at apply,
//! on the same prior and planned values, so the apply does exactly what the plan showed.

use crate::engine::model::{Model, Val};
use crate::engine::{PlanContext, Private, Validated};

use super::model::CertificateModel;
use super::schema::{GLOBAL_INSTANCE_ID, TYPE_GLOBAL};
use super::state::{is_remote_certificate, remote_has_trusted_root_ca};

/// What an update does remotely.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateAction {
    /// One PUT with every field (full replacement).
    Upload,
    /// No API call: the plan only records in state what the API already holds (after an import,
    /// or when the API's certificate turned out to be the configured one).
    RecordOnly,
}

/// Whether something the API receives in a PUT differs.
fn uploaded_fields_changed(prior: &CertificateModel, planned: &CertificateModel) -> bool {
    prior.name != planned.name
        || prior.content != planned.content
        || prior.private_key != planned.private_key
        || prior.private_key_wo_version != planned.private_key_wo_version
        || prior.trusted_root_ca != planned.trusted_root_ca
        || prior.algorithm_type != planned.algorithm_type
}

/// Uploads when something the API receives changes, except when state merely lacks the PEM (never
/// returned by the API: after an import, or after drift was seen) and the configured certificate is
/// the one the API holds, with the same name, algorithm and CA presence: then only state changes.
pub fn update_action(
    prior: &CertificateModel,
    planned: &CertificateModel,
    private: &Private,
    validated: &Validated,
) -> UpdateAction {
    if !uploaded_fields_changed(prior, planned) {
        return UpdateAction::RecordOnly;
    }
    let recording = prior.content.is_null()
        && planned.content.as_deref().is_some_and(|content| is_remote_certificate(content, validated, prior))
        && prior.name == planned.name
        && prior.algorithm_type == planned.algorithm_type
        && !planned.trusted_root_ca.is_unknown()
        && planned.trusted_root_ca.known().is_some() == remote_has_trusted_root_ca(private);
    if recording { UpdateAction::RecordOnly } else { UpdateAction::Upload }
}

/// Refines the generic plan (after `service` was planned).
pub fn plan_certificate(plan: &mut PlanContext) {
    let models = CertificateModel::read(&plan.planned).and_then(|planned| {
        let config = CertificateModel::read(&plan.config)?;
        let prior = plan.prior.as_ref().map(CertificateModel::read).transpose()?;
        Ok((planned, config, prior))
    });
    let (mut planned, config, prior) = match models {
        Ok(m) => m,
        Err(e) => return plan.diagnostics.push(e.into()),
    };
    plan_instance_id(&config, &mut planned);
    if let Some(prior) = &prior {
        plan_update(prior, &config, &mut planned, &plan.private);
    }
    plan.planned = planned.to_value_over(&plan.planned);
}

fn plan_update(prior: &CertificateModel, config: &CertificateModel, planned: &mut CertificateModel, private: &Private) {
    // A plan has no validation's parse to reuse: the PEM is parsed here, when needed.
    let action = update_action(prior, planned, private, &Validated::none());
    if action == UpdateAction::Upload && prior.content != planned.content {
        // The API derives these from the new certificate; they are known after the upload.
        for field in planned.from_certificate_mut() {
            *field = Val::Unknown;
        }
        planned.sans = Val::Unknown;
        planned.issuer = Val::Unknown;
        if config.algorithm_type.is_null() {
            planned.algorithm_type = Val::Unknown;
        }
    }
    planned.updated_at = match action {
        UpdateAction::Upload => Val::Unknown,
        UpdateAction::RecordOnly => prior.updated_at.clone(),
    };
}

/// A global certificate's `instance_id` is what the API reports for it, `common`, so an unset
/// `instance_id` never shows a difference.
fn plan_instance_id(config: &CertificateModel, planned: &mut CertificateModel) {
    if !config.instance_id.is_null() {
        return;
    }
    match &planned.cert_type {
        Val::Known(t) if t == TYPE_GLOBAL => planned.instance_id = Val::Known(GLOBAL_INSTANCE_ID.to_string()),
        Val::Unknown => planned.instance_id = Val::Unknown,
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::schema::{FROM_CERTIFICATE, attr};
    use super::super::state::PRIVATE_HAS_TRUSTED_ROOT_CA;
    use super::super::test_support::{ID, config_wo, detail_of, ecdsa, model, object, s, state_of};
    use super::*;
    use crate::protocol::Diagnostics;
    use crate::protocol::cty::Value;

    /// [`update_action`] on the values the engine holds.
    fn action(prior: &Value, planned: &Value, private: &Private) -> UpdateAction {
        update_action(&model(prior), &model(planned), private, &Validated::none())
    }

    /// Roughly what the engine's generic rules hand over for an update: prior values, overlaid
    /// with the configuration (write-only values are never planned).
    fn generic(prior: &Value, config: &Value) -> Value {
        let mut planned = prior.clone();
        for (name, v) in config.as_map().into_iter().flatten() {
            if !v.is_null() && name != attr::PRIVATE_KEY_WO {
                planned.set(name, v.clone());
            }
        }
        for name in [attr::CONTENT, attr::PRIVATE_KEY, attr::PRIVATE_KEY_WO_VERSION, attr::TRUSTED_ROOT_CA] {
            planned.set(name, config.get(name).cloned().unwrap_or(Value::Null));
        }
        planned
    }

    fn plan(prior: Option<Value>, config: Value, planned: Value, private: Private) -> PlanContext {
        let mut p = PlanContext {
            prior,
            config,
            planned,
            requires_replace: Vec::new(),
            private,
            diagnostics: Diagnostics::new(),
        };
        plan_certificate(&mut p);
        p
    }

    fn update(prior: &Value, config: &Value) -> PlanContext {
        plan(Some(prior.clone()), config.clone(), generic(prior, config), Private::new())
    }

    /// The state right after `terraform import` and the refresh that follows it.
    fn imported(prior: &Value) -> Value {
        let mut st = prior.clone();
        for name in [attr::CONTENT, attr::PRIVATE_KEY, attr::PRIVATE_KEY_WO_VERSION, attr::TRUSTED_ROOT_CA] {
            st.set(name, Value::Null);
        }
        st
    }

    #[test]
    fn a_global_certificate_plans_instance_id_common() {
        let g = ecdsa();
        let mut planned = config_wo(&g);
        planned.set(attr::TYPE, s("global"));
        planned.set(attr::INSTANCE_ID, Value::Unknown);
        let p = plan(None, config_wo(&g), planned, Private::new());
        assert_eq!(p.planned.get(attr::INSTANCE_ID), Some(&s("common")));

        let mut planned = config_wo(&g);
        planned.set(attr::TYPE, Value::Unknown);
        planned.set(attr::INSTANCE_ID, Value::Unknown);
        let p = plan(None, config_wo(&g), planned, Private::new());
        assert_eq!(p.planned.get(attr::INSTANCE_ID), Some(&Value::Unknown));

        // A configured instance ID is planned as written.
        let mut config = config_wo(&g);
        config.set(attr::TYPE, s("instance"));
        config.set(attr::INSTANCE_ID, s("5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"));
        let p = plan(None, config.clone(), config, Private::new());
        assert_eq!(p.planned.get_str(attr::INSTANCE_ID), Some("5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"));
    }

    #[test]
    fn no_change_plans_the_prior_state_and_makes_no_call() {
        let g = ecdsa();
        let prior = state_of(&config_wo(&g), &detail_of(&g, ID, "2025-06-01T10:00:00.000001Z"));
        let p = update(&prior, &config_wo(&g));
        assert_eq!(p.planned, prior);
        assert_eq!(action(&prior, &p.planned, &p.private), UpdateAction::RecordOnly);
    }

    #[test]
    fn a_rename_uploads_and_keeps_the_certificate_fields() {
        let g = ecdsa();
        let prior = state_of(&config_wo(&g), &detail_of(&g, ID, "2025-06-01T10:00:00.000001Z"));
        let mut config = config_wo(&g);
        config.set(attr::NAME, s("renamed_cert"));
        let p = update(&prior, &config);
        assert_eq!(action(&prior, &p.planned, &p.private), UpdateAction::Upload);
        assert_eq!(p.planned.get(attr::UPDATED_AT), Some(&Value::Unknown));
        for name in FROM_CERTIFICATE.iter().chain([&attr::ALGORITHM_TYPE, &attr::CREATED_AT]) {
            assert_eq!(p.planned.get(name), prior.get(name), "{name}");
            assert!(p.planned.get(name).is_some_and(|v| !v.is_null()), "{name}");
        }
    }

    #[test]
    fn new_content_makes_the_certificate_fields_unknown() {
        let g = ecdsa();
        let prior = state_of(&config_wo(&g), &detail_of(&g, ID, "t1"));
        let h = ecdsa();
        let mut config = config_wo(&h);
        config.set(attr::PRIVATE_KEY_WO_VERSION, Value::from(2));
        let p = update(&prior, &config);
        assert_eq!(action(&prior, &p.planned, &p.private), UpdateAction::Upload);
        for name in FROM_CERTIFICATE.iter().chain([&attr::ALGORITHM_TYPE, &attr::UPDATED_AT]) {
            assert_eq!(p.planned.get(name), Some(&Value::Unknown), "{name}");
        }
        assert_eq!(p.planned.get(attr::CREATED_AT), prior.get(attr::CREATED_AT));
        // A configured algorithm stays as configured.
        config.set(attr::ALGORITHM_TYPE, s("ECC"));
        let p = update(&prior, &config);
        assert_eq!(p.planned.get_str(attr::ALGORITHM_TYPE), Some("ECC"));
    }

    #[test]
    fn a_new_key_version_uploads_without_touching_the_certificate_fields() {
        let g = ecdsa();
        let prior = state_of(&config_wo(&g), &detail_of(&g, ID, "t1"));
        let mut config = config_wo(&g);
        config.set(attr::PRIVATE_KEY_WO_VERSION, Value::from(2));
        let p = update(&prior, &config);
        assert_eq!(action(&prior, &p.planned, &p.private), UpdateAction::Upload);
        assert_eq!(p.planned.get(attr::UPDATED_AT), Some(&Value::Unknown));
        assert_eq!(p.planned.get(attr::SERIAL_NUMBER), prior.get(attr::SERIAL_NUMBER));
    }

    #[test]
    fn after_import_the_configured_certificate_is_only_recorded() {
        let g = ecdsa();
        let prior = imported(&state_of(&config_wo(&g), &detail_of(&g, ID, "t1")));
        let p = update(&prior, &config_wo(&g));
        assert_eq!(action(&prior, &p.planned, &p.private), UpdateAction::RecordOnly);
        // Only content and the key version change; every computed value is known and as before.
        let mut expected = prior.clone();
        expected.set(attr::CONTENT, s(&g.chain_pem));
        expected.set(attr::PRIVATE_KEY_WO_VERSION, Value::from(1));
        assert_eq!(p.planned, expected);

        // The same with the key kept in state.
        let mut plain = config_wo(&g);
        plain.set(attr::PRIVATE_KEY_WO, Value::Null);
        plain.set(attr::PRIVATE_KEY_WO_VERSION, Value::Null);
        plain.set(attr::PRIVATE_KEY, s(&g.key_pem));
        let p = update(&prior, &plain);
        assert_eq!(action(&prior, &p.planned, &p.private), UpdateAction::RecordOnly);
        assert_eq!(p.planned.get(attr::UPDATED_AT), prior.get(attr::UPDATED_AT));
    }

    #[test]
    fn after_import_anything_the_api_does_not_hold_is_uploaded() {
        let g = ecdsa();
        let prior = imported(&state_of(&config_wo(&g), &detail_of(&g, ID, "t1")));
        // Another certificate.
        let p = update(&prior, &config_wo(&ecdsa()));
        assert_eq!(action(&prior, &p.planned, &p.private), UpdateAction::Upload);
        assert_eq!(p.planned.get(attr::SERIAL_NUMBER), Some(&Value::Unknown));
        // Another name.
        let mut renamed = config_wo(&g);
        renamed.set(attr::NAME, s("other_name"));
        let p = update(&prior, &renamed);
        assert_eq!(action(&prior, &p.planned, &p.private), UpdateAction::Upload);
        // A CA the API does not have, or no CA where the API has one.
        let mut with_ca = config_wo(&g);
        with_ca.set(attr::TRUSTED_ROOT_CA, s(&g.ca_pem));
        let p = update(&prior, &with_ca);
        assert_eq!(action(&prior, &p.planned, &p.private), UpdateAction::Upload);
        let mut has_ca = Private::new();
        has_ca.insert(PRIVATE_HAS_TRUSTED_ROOT_CA.into(), serde_json::Value::Bool(true));
        let p = plan(Some(prior.clone()), with_ca.clone(), generic(&prior, &with_ca), has_ca.clone());
        assert_eq!(action(&prior, &p.planned, &has_ca), UpdateAction::RecordOnly);
        let p = plan(Some(prior.clone()), config_wo(&g), generic(&prior, &config_wo(&g)), has_ca.clone());
        assert_eq!(action(&prior, &p.planned, &has_ca), UpdateAction::Upload);
        // Content unknown at plan: assume an upload.
        let mut unknown = config_wo(&g);
        unknown.set(attr::CONTENT, Value::Unknown);
        let p = update(&prior, &unknown);
        assert_eq!(action(&prior, &p.planned, &p.private), UpdateAction::Upload);
    }

    #[test]
    fn recorded_content_that_changes_is_uploaded_even_for_the_same_certificate() {
        // E.g. an intermediate added to the chain: same leaf, but what the API serves changes.
        let g = ecdsa();
        let mut config = config_wo(&g);
        config.set(attr::CONTENT, s(&g.leaf_pem));
        let prior = state_of(&config, &detail_of(&g, ID, "t1"));
        let p = update(&prior, &config_wo(&g));
        assert_eq!(action(&prior, &p.planned, &p.private), UpdateAction::Upload);
        let _ = object(&[]);
    }
}
