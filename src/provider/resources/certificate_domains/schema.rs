//! The `apig_certificate_domains` schema. Attribute and block names are part of the interface.

use std::time::Duration;

use crate::engine::validators::EachElement;
use crate::engine::{AttributeSchema, BlockSchema, NestedBlockSchema, ResourceSchema, TimeoutDefaults};
use crate::protocol::cty::Type;
use crate::protocol::schema::NestingMode;
use crate::provider::service;
use crate::provider::validators::{DomainName, HexId, InstanceId};

/// Attribute and block names.
pub mod attr {
    pub const ID: &str = "id";
    pub const CERTIFICATE_ID: &str = "certificate_id";
    pub const SERVICE: &str = "service";
    pub const DOMAIN: &str = "domain";
    pub const NAME: &str = "name";
    pub const INSTANCE_IDS: &str = "instance_ids";
    pub const VERIFIED: &str = "verified_client_certificate_enabled";
}

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5 * 60);

fn domain_block() -> BlockSchema {
    BlockSchema::new("A domain name to bind to the certificate.")
        .attribute(AttributeSchema::string(attr::NAME).required().validator(DomainName).description(
            "The domain name (an independent domain of an API group), for example `api.example.com` or \
             `*.example.com`. The certificate's common name or SANs must cover it.",
        ))
        .attribute(
            AttributeSchema::new(attr::INSTANCE_IDS, Type::set(Type::String))
                .optional()
                .validator(EachElement(InstanceId))
                .description(
                    "IDs of the gateways on which to bind the domain. Left out, the domain is bound on every gateway \
                     the certificate can be used on.",
                ),
        )
        .attribute(AttributeSchema::bool(attr::VERIFIED).optional().computed().description(
            "Whether clients must present a certificate signed by the certificate's trusted root CA \
                     (two-way TLS). Left out, it is `false`: the provider always sends the value, so the API's own \
                     default (on when the certificate has a trusted root CA) never applies. `true` needs a \
                     certificate with `trusted_root_ca`.",
        ))
}

pub fn certificate_domains_schema() -> ResourceSchema {
    let block = BlockSchema::new(
        "Binds domain names to one SSL certificate on dedicated API Gateway or ROMA Connect. It manages only the \
         bindings it made: domains bound to the same certificate by another resource or in the console are left \
         alone and never appear in its state, and a domain it bound that was unbound outside Terraform is bound \
         again by the next apply. Adding or removing `domain` blocks, changing `instance_ids` or the verification \
         flag updates the bindings in place. Import with `terraform import apig_certificate_domains.x \
         <certificate_id>` (or `roma/<certificate_id>`): it adopts every domain bound to the certificate, each with \
         the `instance_ids` of the gateways it is bound on.",
    )
    .attribute(
        AttributeSchema::string(attr::ID).computed().description("The certificate ID (the same as `certificate_id`)."),
    )
    .attribute(
        AttributeSchema::string(attr::CERTIFICATE_ID)
            .required()
            .requires_replace()
            .validator(HexId::new("certificate ID"))
            .description(
                "ID of the certificate to bind the domains to (32 hexadecimal characters), for example \
                 `apig_certificate.api.id`. Changing it replaces the resource.",
            ),
    )
    .attribute(service::service_attribute())
    .block(NestedBlockSchema::new(attr::DOMAIN, NestingMode::Set, domain_block()).min_items(1));
    ResourceSchema::new(block).timeouts(TimeoutDefaults {
        create: Some(DEFAULT_TIMEOUT),
        read: None,
        update: Some(DEFAULT_TIMEOUT),
        delete: Some(DEFAULT_TIMEOUT),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attribute_is_described() {
        let s = certificate_domains_schema();
        let mut attrs: Vec<&AttributeSchema> = s.block.attributes.iter().collect();
        attrs.extend(s.block.blocks.iter().flat_map(|b| b.block.attributes.iter()));
        assert_eq!(attrs.len(), 6);
        for a in attrs {
            assert!(!a.description.is_empty(), "{} has no description", a.name);
        }
        assert!(s.timeouts.is_some_and(|t| t.create.is_some() && t.update.is_some() && t.delete.is_some()));
    }

    #[tokio::test]
    async fn the_engine_accepts_the_declaration() {
        use crate::protocol::ProviderServer;
        let engine = crate::engine::Engine::new(std::sync::Arc::new(crate::provider::ApigProvider::new()));
        let schema = engine.get_provider_schema().await;
        assert!(schema.diagnostics.is_empty(), "{:?}", schema.diagnostics);
        let block = &schema.resource_schemas[super::super::TYPE_NAME].block;
        let domain = block.block_type(attr::DOMAIN).expect("domain block");
        assert_eq!((domain.nesting, domain.min_items), (NestingMode::Set, 1));
        let flag = domain.block.attribute(attr::VERIFIED).expect("flag");
        assert!(flag.optional && flag.computed);
        assert!(block.block_type("timeouts").is_some());
        assert!(block.attribute(attr::CERTIFICATE_ID).is_some_and(|a| a.required));
    }
}
