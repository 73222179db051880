//! `apig_domain_certificate`: creates a certificate directly on a domain of an API group (seed
//! "Adding a Certificate to a Domain Name"; apig-api.md §3.9–§3.11, §4). The API has no update:
//! every change replaces the object. Destroy unbinds the certificate, then deletes the certificate
//! object the create made, so nothing is left behind.
//!
//! Import: the API never returns the PEM, the key or the CA, so an imported object has them null
//! in state. The first plan after an import does not replace the object when the configured
//! certificate is the one the API holds (same serial number and issuer): it plans an in-place
//! update that only records the configured values in state, and that apply makes no API call.
//! A different certificate replaces the object as any other change does. The same rule applies when
//! a refresh finds that the certificate on the domain changed (its serial or issuer differ): the
//! content is then dropped from state and the configured certificate decides.

use std::time::Duration;

use time::OffsetDateTime;

use crate::client::models::{CertificateDetail, DomainCertificateForm, DomainCertificateInfo, Service};
use crate::client::same_certificate;
use crate::engine::validators::{ExactlyOneOf, RequiredWith, one_of};
use crate::engine::{
    ApplyResult, AttributeSchema, BlockSchema, Context, CreateRequest, DeleteRequest, ImportResult, PlanContext,
    Private, ReadRequest, ReadResult, Resource, ResourceSchema, TimeoutDefaults, UpdateRequest,
};
use crate::protocol::cty::{Type, Value};
use crate::protocol::{AttributePath, Diagnostic, Diagnostics};
use crate::provider::api_errors::{api_error, call_context};
use crate::provider::pki::{self, UploadInput};
use crate::provider::read_after_write;
use crate::provider::service::{self, service_attribute};
use crate::provider::validators::{CertificateName, PemCertificateChain, PemPrivateKey};

use super::domain_id::{self, CERTIFICATE_ID, DomainCertificateId};

pub const TYPE_NAME: &str = "apig_domain_certificate";

pub mod attr {
    pub const NAME: &str = "name";
    pub const CONTENT: &str = "content";
    pub const PRIVATE_KEY: &str = "private_key";
    pub const PRIVATE_KEY_WO: &str = "private_key_wo";
    pub const PRIVATE_KEY_WO_VERSION: &str = "private_key_wo_version";
    pub const TYPE: &str = "type";
    pub const TRUSTED_ROOT_CA: &str = "trusted_root_ca";
    pub const COMMON_NAME: &str = "common_name";
    pub const SANS: &str = "sans";
    pub const NOT_AFTER: &str = "not_after";
    pub const SERIAL_NUMBER: &str = "serial_number";
    pub const ISSUER: &str = "issuer";
}

/// Inputs the API never returns; a change of one replaces the object, except when state merely
/// lacks them and the configured certificate is the remote one (see the module documentation).
const UNREADABLE: [&str; 4] = [attr::CONTENT, attr::PRIVATE_KEY, attr::PRIVATE_KEY_WO_VERSION, attr::TRUSTED_ROOT_CA];

#[derive(Debug, Default)]
pub struct DomainCertificateResource;

fn schema() -> ResourceSchema {
    let computed = |name: &str, ty: Type, description: &str| {
        AttributeSchema::new(name, ty).computed().use_state_for_unknown().description(description)
    };
    let mut block = BlockSchema::new(
        "Creates a certificate directly on one domain name of an API group and binds it there. The API cannot \
         update such a certificate: every change replaces it. Destroying the resource unbinds the certificate and \
         deletes it. Import ID: `<instance_id>/<group_id>/<domain_id>/<certificate_id>`, prefixed `roma/` for ROMA \
         Connect; after an import the first apply records `content` and the key in state without an API call when \
         the configured certificate has the remote one's serial number and issuer.",
    )
    .attribute(domain_id::id_attribute())
    .attribute(service_attribute());
    for a in domain_id::domain_attributes() {
        block = block.attribute(a);
    }
    block = block
        .attribute(
            AttributeSchema::string(attr::NAME).required().requires_replace().validator(CertificateName).description(
                "Certificate name: 4 to 50 characters, starting with a letter, then letters, digits or \
                     underscores. Changing it replaces the certificate.",
            ),
        )
        .attribute(AttributeSchema::string(attr::CONTENT).required().validator(PemCertificateChain).description(
            "The certificate in PEM: the server certificate first, then intermediates. It must cover the domain \
             (common name or SAN), have a SAN, not be expired and expire before 2038-01-19T03:14:07Z. Changing it \
             replaces the certificate.",
        ))
        .attribute(
            AttributeSchema::string(attr::PRIVATE_KEY).optional().sensitive().validator(PemPrivateKey).description(
                "The certificate's unencrypted PEM private key, kept in state as a sensitive value. Set this or \
             `private_key_wo`. Changing it replaces the certificate.",
            ),
        )
        .attribute(
            AttributeSchema::string(attr::PRIVATE_KEY_WO)
                .optional()
                .sensitive()
                .write_only()
                .validator(PemPrivateKey)
                .description(
                    "Write-only form of `private_key` (Terraform 1.11 and later): sent to the API, never stored in \
                     state or plan. Requires `private_key_wo_version`.",
                ),
        )
        .attribute(AttributeSchema::number(attr::PRIVATE_KEY_WO_VERSION).optional().description(
            "Goes with `private_key_wo`: change it (for example increment it) to rotate the key, which replaces \
             the certificate.",
        ))
        .attribute(
            AttributeSchema::string(attr::TYPE)
                .optional()
                .computed()
                .use_state_for_unknown()
                .requires_replace()
                .validator(one_of(&["global", "instance"]))
                .description(
                    "ROMA Connect only: `global` (the default) or `instance` (the certificate belongs to this \
                     resource's `instance_id`). On APIG it is computed. Changing it replaces the certificate.",
                ),
        )
        .attribute(
            AttributeSchema::string(attr::TRUSTED_ROOT_CA).optional().validator(PemCertificateChain).description(
                "ROMA Connect only: a PEM CA bundle used to verify client certificates. Changing it replaces the \
             certificate.",
            ),
        )
        .attribute(computed(CERTIFICATE_ID, Type::String, "ID of the certificate the API created."))
        .attribute(computed(attr::COMMON_NAME, Type::String, "Common name of the server certificate."))
        .attribute(computed(
            attr::SANS,
            Type::list(Type::String),
            "DNS subject alternative names of the server certificate.",
        ))
        .attribute(computed(attr::NOT_AFTER, Type::String, "Expiry of the server certificate (RFC 3339)."))
        .attribute(computed(attr::SERIAL_NUMBER, Type::String, "Serial number of the server certificate (decimal)."))
        .attribute(computed(
            attr::ISSUER,
            Type::list(Type::String),
            "Organizations of the server certificate's issuer.",
        ));
    let minutes = |m: u64| Some(Duration::from_secs(60 * m));
    ResourceSchema::new(block)
        .timeouts(TimeoutDefaults { create: minutes(5), read: minutes(5), update: minutes(5), delete: minutes(5) })
        .config_validator(ExactlyOneOf::new(&[attr::PRIVATE_KEY, attr::PRIVATE_KEY_WO]))
        .config_validator(RequiredWith::new(&[attr::PRIVATE_KEY_WO, attr::PRIVATE_KEY_WO_VERSION]))
}

/// The API's upload rules on the known PEM values, each problem on the attribute at fault.
pub fn validate_upload(config: &Value, now: OffsetDateTime, diags: &mut Diagnostics) {
    let Some(content) = config.get_str(attr::CONTENT) else { return };
    let key_attribute = [attr::PRIVATE_KEY, attr::PRIVATE_KEY_WO].into_iter().find(|a| config.get_str(a).is_some());
    let key = key_attribute.and_then(|a| config.get_str(a));
    for problem in pki::check_upload(content, key, None, now) {
        let at = match problem.input {
            UploadInput::PrivateKey => key_attribute.unwrap_or(attr::PRIVATE_KEY),
            _ => attr::CONTENT,
        };
        // Parse failures are the attribute validators' to report.
        if matches!(problem.summary.as_str(), "Invalid certificate content" | "Invalid private key") {
            continue;
        }
        diags.push(problem.to_diagnostic(AttributePath::attr(at)));
    }
}

/// `type` and `trusted_root_ca` exist only on ROMA Connect.
fn check_roma_only(plan: &mut PlanContext) {
    if plan.planned.get_str(service::SERVICE) != Some(Service::Apig.as_str()) {
        return;
    }
    for name in [attr::TYPE, attr::TRUSTED_ROOT_CA] {
        if plan.config.get(name).is_some_and(|v| !v.is_null()) {
            plan.diagnostics.attribute_error(
                AttributePath::attr(name),
                "Argument not supported on APIG",
                format!(
                    "`{name}` is only supported by ROMA Connect; the APIG API creates domain certificates from a \
                     name, a certificate and a key only. Remove `{name}`, or set service = \"roma\"."
                ),
            );
        }
    }
}

fn changed(prior: &Value, planned: &Value, name: &str) -> bool {
    prior.get(name).unwrap_or(&Value::Null) != planned.get(name).unwrap_or(&Value::Null)
}

fn strings(items: &[String]) -> Value {
    Value::List(items.iter().map(Value::string).collect())
}

/// True when the leaf of `content` is the certificate `prior` describes (the one rule,
/// [`same_certificate`]: same serial number and issuer).
pub fn is_remote_certificate(content: &str, prior: &Value) -> bool {
    let Some(serial) = prior.get_str(attr::SERIAL_NUMBER) else { return false };
    let Some(issuer) = prior.get(attr::ISSUER).and_then(Value::as_elements) else { return false };
    let issuer: Vec<String> = issuer.iter().filter_map(|i| i.as_str().map(str::to_string)).collect();
    let Ok(chain) = pki::parse_certificate_chain(content) else { return false };
    let leaf = chain.leaf();
    same_certificate(&leaf.serial_number, &leaf.issuer_organizations, serial, &issuer)
}

/// An update that only records values in state: state lacks the PEM (import, or the remote
/// certificate changed) and the configured certificate is the remote one.
pub fn is_record_only(prior: &Value, planned: &Value) -> bool {
    prior.get(attr::CONTENT).is_none_or(Value::is_null)
        && planned.get_str(attr::CONTENT).is_some_and(|content| is_remote_certificate(content, prior))
}

/// Replacement for changed unreadable inputs, unless the change only records them.
pub fn plan_replacement(plan: &mut PlanContext) {
    let Some(prior) = plan.prior.as_ref() else { return };
    let changed_inputs: Vec<&str> = UNREADABLE.into_iter().filter(|a| changed(prior, &plan.planned, a)).collect();
    if changed_inputs.is_empty() || is_record_only(prior, &plan.planned) {
        return;
    }
    for name in changed_inputs {
        plan.requires_replace.push(AttributePath::attr(name));
    }
}

/// The create body; the key comes from `private_key` or, write-only, from the configuration.
pub fn form(planned: &Value, config: &Value, service: Service) -> Result<DomainCertificateForm, Diagnostic> {
    let missing = |name: &str| {
        Diagnostic::error(
            "Missing value",
            format!("`{name}` has no known value at apply time; set it to a known value."),
        )
        .with_attribute(AttributePath::attr(name))
    };
    let text = |v: &Value, name: &str| v.get_str(name).map(str::to_string);
    let name = text(planned, attr::NAME).ok_or_else(|| missing(attr::NAME))?;
    let cert_content = text(planned, attr::CONTENT).ok_or_else(|| missing(attr::CONTENT))?;
    let private_key = text(planned, attr::PRIVATE_KEY)
        .or_else(|| text(config, attr::PRIVATE_KEY_WO))
        .ok_or_else(|| missing(attr::PRIVATE_KEY))?;
    let (cert_type, instance_id, trusted_root_ca) = match service {
        Service::Apig => (None, None, None),
        Service::Roma => {
            let cert_type = text(config, attr::TYPE);
            let instance_id =
                if cert_type.as_deref() == Some("instance") { text(planned, domain_id::INSTANCE_ID) } else { None };
            (cert_type, instance_id, text(planned, attr::TRUSTED_ROOT_CA))
        }
    };
    Ok(DomainCertificateForm { name, cert_content, private_key, cert_type, instance_id, trusted_root_ca })
}

/// The new certificate's ID in the add answer: the `ssl_infos` entry with the name we gave (ROMA
/// lists every certificate of the domain), else `ssl_id`.
pub fn created_certificate_id(info: &DomainCertificateInfo, name: &str) -> Option<String> {
    let from_infos = info.ssl_infos.as_ref().and_then(|infos| infos.iter().find(|i| i.ssl_name == name));
    from_infos.map(|i| i.ssl_id.clone()).or_else(|| (!info.ssl_id.is_empty()).then(|| info.ssl_id.clone()))
}

/// Writes what the API says about the certificate into `state`. When the remote certificate is no
/// longer the one state describes, the content is dropped so the configuration decides.
pub fn apply_detail(state: &mut Value, d: &CertificateDetail) {
    let known_serial = state.get_str(attr::SERIAL_NUMBER).map(str::to_string);
    let known_issuer = state.get(attr::ISSUER).cloned();
    let issuer = strings(&d.issuer);
    let replaced_remotely = known_serial.is_some_and(|s| s != d.serial_number)
        || known_issuer.is_some_and(|i| !i.is_null() && !i.is_unknown() && i != issuer);
    if replaced_remotely {
        tracing::info!(certificate_id = %d.id, "the certificate on the domain changed outside Terraform");
        state.set(attr::CONTENT, Value::Null);
    }
    state.set(attr::NAME, Value::string(&d.name));
    if !d.cert_type.is_empty() {
        state.set(attr::TYPE, Value::string(&d.cert_type));
    }
    state.set(attr::COMMON_NAME, Value::string(&d.common_name));
    state.set(attr::SANS, strings(&d.san));
    state.set(attr::NOT_AFTER, Value::string(&d.not_after));
    state.set(attr::SERIAL_NUMBER, Value::string(&d.serial_number));
    state.set(attr::ISSUER, issuer);
}

#[async_trait::async_trait]
impl Resource for DomainCertificateResource {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> ResourceSchema {
        schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate_upload(config, OffsetDateTime::now_utc(), diags);
    }

    async fn modify_plan(&self, ctx: &Context, plan: &mut PlanContext) {
        service::plan_service(ctx, plan);
        check_roma_only(plan);
        plan_replacement(plan);
    }

    async fn create(&self, ctx: &Context, req: CreateRequest) -> ApplyResult {
        let (configured, service) = match service::configured_service(ctx, &req.planned) {
            Ok(found) => found,
            Err(d) => return ApplyResult::error(d),
        };
        let domain = match domain_id::domain_from_state(&req.planned) {
            Ok(d) => d,
            Err(d) => return ApplyResult::error(d),
        };
        let body = match form(&req.planned, &req.config, service) {
            Ok(f) => f,
            Err(d) => return ApplyResult::error(d),
        };
        let call = call_context(ctx);
        let info = match configured.client.add_domain_certificate(service, &domain, &body, &call).await {
            Ok(info) => info,
            Err(e) => return ApplyResult::error(api_error("Cannot add the certificate to the domain", &e)),
        };
        let Some(certificate_id) = created_certificate_id(&info, &body.name) else {
            return ApplyResult::error(Diagnostic::error(
                "The API did not say which certificate it created",
                format!(
                    "The answer to adding the certificate to domain {} carried no ssl_id. Look the certificate up in \
                     the console and import it with its instance/group/domain/certificate ID.",
                    domain.domain_id
                ),
            ));
        };
        let id = DomainCertificateId { domain, certificate_id };
        tracing::info!(id = %id.format(), service = service.as_str(), "certificate added to domain");
        let mut state = req.planned;
        id.write(&mut state);
        state.set(service::SERVICE, Value::string(service.as_str()));
        let mut private = Private::new();
        read_after_write::mark_written(&mut private);
        // Just created: it may answer 404 for a moment.
        let settle = configured.client.config().retry.settle;
        match configured
            .client
            .get_domain_certificate_settled(service, &id.domain, &id.certificate_id, settle, &call)
            .await
        {
            Ok(detail) => {
                apply_detail(&mut state, &detail);
                ApplyResult::ok(state, private)
            }
            Err(e) => {
                // The certificate exists: keep it in state (tainted) so it is not lost.
                let mut r = ApplyResult::error(api_error("Cannot read the certificate just added to the domain", &e));
                for name in
                    [attr::TYPE, attr::COMMON_NAME, attr::SANS, attr::NOT_AFTER, attr::SERIAL_NUMBER, attr::ISSUER]
                {
                    if state.get(name).is_some_and(Value::is_unknown) {
                        state.set(name, Value::Null);
                    }
                }
                r.state = Some(state);
                r.private = private;
                r
            }
        }
    }

    async fn read(&self, ctx: &Context, req: ReadRequest) -> ReadResult {
        let fail =
            |d: Diagnostic| ReadResult { state: Some(req.state.clone()), diagnostics: d.into(), ..Default::default() };
        let (configured, service, id) = match domain_id::configured_parts(ctx, &req.state) {
            Ok(p) => p,
            Err(d) => return fail(d),
        };
        let settle = read_after_write::settle_left(&req.private, configured.client.config().retry.settle);
        match configured
            .client
            .get_domain_certificate_settled(service, &id.domain, &id.certificate_id, settle, &call_context(ctx))
            .await
        {
            Ok(detail) => {
                let mut state = req.state.clone();
                id.write(&mut state);
                state.set(service::SERVICE, Value::string(service.as_str()));
                apply_detail(&mut state, &detail);
                ReadResult { state: Some(state), ..Default::default() }
            }
            Err(e) if e.is_not_found() => {
                tracing::info!(id = %id.format(), "the domain no longer holds the certificate; removing it from state");
                ReadResult::default()
            }
            Err(e) => fail(api_error("Cannot read the domain's certificate", &e)),
        }
    }

    async fn update(&self, _ctx: &Context, req: UpdateRequest) -> ApplyResult {
        // Every other change replaces the object (see plan_replacement), so an update only records
        // in state the inputs the API never returns.
        if !is_record_only(&req.prior, &req.planned) {
            let mut r = ApplyResult::error(Diagnostic::error(
                "Domain certificates cannot be updated",
                "The API cannot change a certificate created on a domain, and this plan asked for an in-place \
                 update. This is a bug in the provider: please report it. Meanwhile, `terraform apply -replace` \
                 the resource.",
            ));
            r.state = Some(req.prior);
            return r;
        }
        tracing::info!("the domain already holds the configured certificate; recording it in state without a call");
        ApplyResult::ok(req.planned, req.private)
    }

    async fn delete(&self, ctx: &Context, req: DeleteRequest) -> Diagnostics {
        let (configured, service, id) = match domain_id::configured_parts(ctx, &req.prior) {
            Ok(p) => p,
            Err(d) => return d.into(),
        };
        let call = call_context(ctx);
        match configured.client.delete_domain_certificate(service, &id.domain, &id.certificate_id, &call).await {
            Ok(()) => tracing::info!(id = %id.format(), "certificate unbound from the domain"),
            Err(e) if e.is_not_found() => {}
            Err(e) => return api_error("Cannot remove the certificate from the domain", &e).into(),
        }
        match configured.client.delete_certificate(service, &id.certificate_id, &call).await {
            Ok(()) => {
                tracing::info!(certificate_id = %id.certificate_id, "certificate deleted");
                Diagnostics::new()
            }
            Err(e) if e.is_not_found() => Diagnostics::new(),
            Err(e) => Diagnostic::error(
                "Cannot delete the certificate",
                format!(
                    "The certificate {} was removed from domain {}, but deleting the certificate itself failed: {e}. \
                     If other domains still use it (bound outside this resource), unbind them and run destroy \
                     again; otherwise {}",
                    id.certificate_id,
                    id.domain.domain_id,
                    e.hint()
                ),
            )
            .into(),
        }
    }

    async fn import(&self, ctx: &Context, id: &str) -> ImportResult {
        domain_id::import_state(ctx, id, &schema().block_type())
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
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
        let config = object(&[
            (attr::CONTENT, Value::string(&good.chain_pem)),
            (attr::PRIVATE_KEY, Value::string(&good.key_pem)),
        ]);
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
}
