//! The `service` attribute every resource and data source takes (`apig` | `roma`, default: the
//! provider's `service`), and the `[service/]id` form of import IDs.

use crate::client::models::Service;
use crate::engine::model::{Model, Val};
use crate::engine::validators::one_of;
use crate::engine::{AttributeSchema, Context, PlanContext};
use crate::protocol::diagnostics::excerpt;
use crate::protocol::{AttributePath, Diagnostic};

use super::Configured;

pub const SERVICE: &str = "service";
const CHOICES: &[&str] = &["apig", "roma"];

/// `service` of a managed resource: optional, computed from the provider's default, and a change
/// replaces the object (it lives in another service).
pub fn service_attribute() -> AttributeSchema {
    AttributeSchema::string(SERVICE).optional().computed().requires_replace().validator(one_of(CHOICES)).description(
        "Which service holds the object: `apig` (dedicated API Gateway) or `roma` (ROMA Connect). Defaults to the \
         provider's `service`. Changing it replaces the object.",
    )
}

/// `service` of a data source: optional, computed from the provider's default.
pub fn data_source_service_attribute() -> AttributeSchema {
    AttributeSchema::string(SERVICE).optional().computed().validator(one_of(CHOICES)).description(
        "Which service to read from: `apig` (dedicated API Gateway) or `roma` (ROMA Connect). Defaults to the \
         provider's `service`.",
    )
}

/// The provider's default service, when the provider is configured.
pub fn default_service(ctx: &Context) -> Option<Service> {
    ctx.provider::<Configured>().ok().map(|c| c.service)
}

crate::tf_model! {
    /// Just the `service` attribute (each resource's model has it too), so that planning it is
    /// written once for every resource.
    struct ServiceModel {
        service: String => SERVICE,
    }
}

/// Plans `service`: the configured value, else the provider's default (which, when it differs from
/// the prior value, replaces the object like any other change), else the prior value, else unknown.
pub fn plan_service(ctx: &Context, plan: &mut PlanContext) {
    // A value that does not read as a string is not null either: it is left as planned.
    if !ServiceModel::from_value(&plan.config).is_ok_and(|config| config.service.is_null()) {
        return;
    }
    let service = match default_service(ctx) {
        Some(s) => Val::Known(s.as_str().to_string()),
        None => plan
            .prior
            .as_ref()
            .and_then(|p| ServiceModel::from_value(p).ok())
            .map(|prior| prior.service)
            .filter(|s| !s.is_null())
            .unwrap_or(Val::Unknown),
    };
    ServiceModel { service }.write_to(&mut plan.planned);
}

/// The configured provider and the service an object lives in (its model's `service`, the
/// provider's default when null): what every read and apply starts with.
pub fn configured_service<'a>(
    ctx: &'a Context,
    service: &Val<String>,
) -> Result<(&'a Configured, Service), Diagnostic> {
    let configured = ctx.provider::<Configured>()?;
    Ok((configured, service_of(service, configured)?))
}

/// The service named by an object's `service`, or the provider's default when it is null.
fn service_of(service: &Val<String>, configured: &Configured) -> Result<Service, Diagnostic> {
    match service {
        Val::Null => Ok(configured.service),
        Val::Known(s) => Service::parse(s).ok_or_else(|| {
            Diagnostic::error(
                "Invalid service",
                format!("{s} is not a service; use \"apig\" or \"roma\".", s = excerpt(s)),
            )
            .with_attribute(AttributePath::attr(SERVICE))
        }),
        Val::Unknown => Err(Diagnostic::error(
            "Service not known yet",
            "The `service` attribute has no value yet; set it to \"apig\" or \"roma\".",
        )
        .with_attribute(AttributePath::attr(SERVICE))),
    }
}

/// Splits an import ID `[apig/|roma/]<rest>`: the service it names (if any) and the rest.
pub fn split_import_id(id: &str) -> (Option<Service>, &str) {
    match id.split_once('/') {
        Some((prefix, rest)) => match Service::parse(prefix) {
            Some(s) => (Some(s), rest),
            None => (None, id),
        },
        None => (None, id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_ids_may_name_the_service() {
        assert_eq!(split_import_id("roma/abc"), (Some(Service::Roma), "abc"));
        assert_eq!(split_import_id("apig/abc"), (Some(Service::Apig), "abc"));
        assert_eq!(split_import_id("abc"), (None, "abc"));
        assert_eq!(split_import_id("x/abc"), (None, "x/abc"));
        assert_eq!(split_import_id("roma/a/b"), (Some(Service::Roma), "a/b"));
    }
}
