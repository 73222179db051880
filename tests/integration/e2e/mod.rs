mod auth;
mod certificate;
mod certificate_domains;
mod domain_certificate;
mod harness;
mod invalid_config;
mod provider;
mod secrets;
