//! `list "apig_certificate"`: the certificates one gateway can use (its own and the global ones,
//! as the list call returns them; the API requires a gateway), filtered as the API offers. Pages
//! stream as they arrive. With `include_resource_object` (`-generate-config-out`) each object is
//! read in full, so the generated configuration is what an import would record.

use crate::client::models::CertificateSummary;
use crate::client::{ListCertificatesQuery, PAGE_LIMIT, Pages};
use crate::engine::list::{ListRequest, ListResource, ListSink, Listed};
use crate::engine::model::{Model, Val};
use crate::engine::validators::one_of;
use crate::engine::{AttributeSchema, BlockSchema, Context, ResourceSchema};
use crate::protocol::Diagnostics;
use crate::protocol::cty::Value;
use crate::provider::api_errors::{api_error, call_context};
use crate::provider::data_sources::certificates::list_filter_attributes;
use crate::provider::resources::certificate::{self, CertificateModel, certificate_schema};
use crate::provider::service;
use crate::provider::validators::InstanceId;

crate::tf_model! {
    /// The `config { }` block of `list "apig_certificate"`.
    pub struct CertificateListConfig {
        pub service: String => service::SERVICE,
        pub instance_id: String => "instance_id",
        pub name: String => "name",
        pub common_name: String => "common_name",
        pub signature_algorithm: String => "signature_algorithm",
        pub cert_type: String => "type",
        pub algorithm_type: String => "algorithm_type",
    }
}

#[derive(Debug, Default)]
pub struct CertificateList;

fn schema() -> ResourceSchema {
    let mut block = BlockSchema::new(
        "Lists the SSL certificates one gateway can use (its instance certificates and the global ones), for \
         `terraform query` and `-generate-config-out`.",
    )
    .attribute(
        AttributeSchema::string(service::SERVICE)
            .optional()
            .validator(one_of(&["apig", "roma"]))
            .description("Which service to list: `apig` or `roma`. Defaults to the provider's `service`."),
    )
    .attribute(AttributeSchema::string("instance_id").required().validator(InstanceId).description(
        "Gateway (instance) ID whose certificates are listed (the API requires one); global certificates are \
         listed too.",
    ));
    for filter in list_filter_attributes() {
        block = block.attribute(filter);
    }
    ResourceSchema::new(block)
}

/// `name (common name, expires …)`: what `terraform query` shows for one certificate.
fn display_name(c: &CertificateSummary) -> String {
    let mut about = Vec::new();
    if !c.common_name.is_empty() {
        about.push(c.common_name.clone());
    }
    if !c.not_after.is_empty() {
        about.push(format!("expires {}", c.not_after));
    }
    if about.is_empty() { c.name.clone() } else { format!("{} ({})", c.name, about.join(", ")) }
}

#[async_trait::async_trait]
impl ListResource for CertificateList {
    fn type_name(&self) -> &'static str {
        certificate::TYPE_NAME
    }

    fn schema(&self) -> ResourceSchema {
        schema()
    }

    async fn list(&self, ctx: &Context, req: ListRequest, out: &mut ListSink<'_>) -> Result<(), Diagnostics> {
        let config = CertificateListConfig::from_value(&req.config).map_err(crate::protocol::Diagnostic::from)?;
        let (configured, service) = service::configured_service(ctx, &config.service)?;
        let call = call_context(ctx);
        let filter = |v: &Val<String>| v.known().cloned();
        let query = ListCertificatesQuery {
            instance_id: filter(&config.instance_id),
            name: filter(&config.name),
            common_name: filter(&config.common_name),
            signature_algorithm: filter(&config.signature_algorithm),
            cert_type: filter(&config.cert_type),
            algorithm_type: filter(&config.algorithm_type),
            offset: None,
            limit: Some(PAGE_LIMIT),
        };
        let base = Value::null_object_of(&certificate_schema().block_type());
        let mut pages = Pages::new("the certificate list", PAGE_LIMIT);
        while let Some(offset) = pages.next_offset() {
            let page_query = ListCertificatesQuery { offset: Some(offset), ..query.clone() };
            let page = configured
                .client
                .list_certificates(service, &page_query, &call)
                .await
                .map_err(|e| api_error("Cannot list the certificates", &e))?
                .certs;
            pages.record(page.len()).map_err(|e| api_error("Cannot list the certificates", &e))?;
            for summary in &page {
                let imported = CertificateModel {
                    id: Val::Known(summary.id.clone()),
                    service: Val::Known(service.as_str().to_string()),
                    name: Val::Known(summary.name.clone()),
                    ..Default::default()
                };
                let object = if req.include_resource_object {
                    // What import then refresh would store: the list call lacks the detail.
                    let detail = configured
                        .client
                        .get_certificate(service, &summary.id, &call)
                        .await
                        .map_err(|e| api_error("Cannot read a listed certificate", &e))?;
                    certificate::refresh(&imported, &detail)
                } else {
                    imported
                };
                let listed = Listed { object: object.to_value_over(&base), display_name: display_name(summary) };
                if !out.send(listed).await {
                    return Ok(());
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::model::check_against;

    #[test]
    fn the_config_model_has_exactly_the_schema_attributes() {
        assert_eq!(check_against::<CertificateListConfig>(&schema().block, &[]), Vec::<String>::new());
    }

    #[test]
    fn the_display_name_says_which_certificate_and_when_it_expires() {
        let c = CertificateSummary {
            name: "api_example_com".into(),
            common_name: "api.example.com".into(),
            not_after: "2027-03-01T00:00:00Z".into(),
            ..Default::default()
        };
        assert_eq!(display_name(&c), "api_example_com (api.example.com, expires 2027-03-01T00:00:00Z)");
        let bare = CertificateSummary { name: "n".into(), ..Default::default() };
        assert_eq!(display_name(&bare), "n");
    }
}
