//! Serde models of the certificate API family (apig-api.md §3, §4, §8.1), shared by the API client
//! and the simulator. Field names are wire facts; optional response fields default so that a
//! sparse answer (ROMA omits several) still decodes.

use serde::{Deserialize, Serialize};

/// Which service a call goes to: dedicated APIG (`apigw`) or ROMA Connect (`apic`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Service {
    #[default]
    Apig,
    Roma,
}

impl Service {
    /// The path segment after `/v2/{project_id}/`.
    pub fn path_prefix(self) -> &'static str {
        match self {
            Service::Apig => "apigw",
            Service::Roma => "apic",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Service::Apig => "apig",
            Service::Roma => "roma",
        }
    }
    pub fn parse(s: &str) -> Option<Service> {
        match s {
            "apig" => Some(Service::Apig),
            "roma" => Some(Service::Roma),
            _ => None,
        }
    }
}

/// `{"error_code": "APIG.xxxx", "error_msg": "..."}` (gateway errors may add `request_id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ErrorBody {
    #[serde(default)]
    pub error_code: String,
    #[serde(default)]
    pub error_msg: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// `CertificateForm`: body of create (§3.1) and update (§3.4, full replacement).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CertificateForm {
    pub name: String,
    pub cert_content: String,
    pub private_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "type")]
    pub cert_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trusted_root_ca: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub algorithm_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_content_sign: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key_sign: Option<String>,
}

impl std::fmt::Debug for CertificateForm {
    /// Keys never reach a log line, even at trace level.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertificateForm")
            .field("name", &self.name)
            .field("cert_type", &self.cert_type)
            .field("instance_id", &self.instance_id)
            .field("algorithm_type", &self.algorithm_type)
            .field("private_key", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// `CertificateDetailResp` (§3.1, §3.3, §3.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CertificateDetail {
    pub id: String,
    pub name: String,
    #[serde(rename = "type", default)]
    pub cert_type: String,
    #[serde(default)]
    pub instance_id: String,
    #[serde(default)]
    pub project_id: String,
    #[serde(default)]
    pub common_name: String,
    #[serde(default)]
    pub san: Vec<String>,
    #[serde(default)]
    pub not_before: String,
    #[serde(default)]
    pub not_after: String,
    #[serde(default)]
    pub signature_algorithm: String,
    #[serde(default)]
    pub create_time: String,
    #[serde(default)]
    pub update_time: String,
    #[serde(default)]
    pub is_has_trusted_root_ca: bool,
    #[serde(default)]
    pub algorithm_type: String,
    #[serde(default)]
    pub version: i32,
    #[serde(default)]
    pub organization: Vec<String>,
    #[serde(default)]
    pub organizational_unit: Vec<String>,
    #[serde(default)]
    pub locality: Vec<String>,
    #[serde(default)]
    pub state: Vec<String>,
    #[serde(default)]
    pub country: Vec<String>,
    #[serde(default)]
    pub serial_number: String,
    #[serde(default)]
    pub issuer: Vec<String>,
}

/// `CertBase`: one entry of the certificate list (§3.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CertificateSummary {
    pub id: String,
    pub name: String,
    #[serde(rename = "type", default)]
    pub cert_type: String,
    #[serde(default)]
    pub instance_id: String,
    #[serde(default)]
    pub project_id: String,
    #[serde(default)]
    pub common_name: String,
    #[serde(default)]
    pub san: Vec<String>,
    #[serde(default)]
    pub not_after: String,
    #[serde(default)]
    pub signature_algorithm: String,
    #[serde(default)]
    pub create_time: String,
    #[serde(default)]
    pub update_time: String,
    #[serde(default)]
    pub is_has_trusted_root_ca: bool,
    #[serde(default)]
    pub algorithm_type: String,
}

/// `GET .../certificates` response (§3.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ListCertificatesResponse {
    #[serde(default)]
    pub size: i64,
    #[serde(default)]
    pub total: i64,
    #[serde(default)]
    pub certs: Vec<CertificateSummary>,
}

/// `AttachOrDetachDomainInfo` (§3.6, §3.7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DomainBinding {
    pub domain: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_client_certificate_enabled: Option<bool>,
}

/// Body of certificate-side attach/detach: `{"domains": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DomainBindingsBody {
    pub domains: Vec<DomainBinding>,
}

/// `UrlDomainRefInfo`: one entry of `attached-domains` (§3.8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AttachedDomain {
    pub url_domain: String,
    pub id: String,
    #[serde(default)]
    pub status: i32,
    #[serde(default)]
    pub min_ssl_version: String,
    #[serde(default)]
    pub is_http_redirect_to_https: bool,
    #[serde(default)]
    pub verified_client_certificate_enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_http_port: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_https_port: Option<i32>,
    #[serde(default)]
    pub ssl_id: String,
    #[serde(default)]
    pub ssl_name: String,
    #[serde(default)]
    pub api_group_id: String,
    #[serde(default)]
    pub api_group_name: String,
    #[serde(default)]
    pub instance_id: String,
}

/// `GET .../certificates/{id}/attached-domains` response (§3.8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ListAttachedDomainsResponse {
    #[serde(default)]
    pub size: i64,
    #[serde(default)]
    pub total: i64,
    #[serde(default)]
    pub bound_domains: Vec<AttachedDomain>,
}

/// `CertForm` of "add a certificate to a domain" (§3.9; ROMA adds type, instance_id, trusted_root_ca).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DomainCertificateForm {
    pub name: String,
    pub cert_content: String,
    pub private_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "type")]
    pub cert_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trusted_root_ca: Option<String>,
}

impl std::fmt::Debug for DomainCertificateForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DomainCertificateForm")
            .field("name", &self.name)
            .field("cert_type", &self.cert_type)
            .field("instance_id", &self.instance_id)
            .field("private_key", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// `SslInfo.type`: an integer on APIG (1 = this instance, 2 = global), a string on ROMA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SslInfoType {
    Code(i32),
    Name(String),
}

impl SslInfoType {
    /// `true` for a global certificate, whichever form the service used.
    pub fn is_global(&self) -> bool {
        match self {
            SslInfoType::Code(c) => *c == 2,
            SslInfoType::Name(n) => n == "global",
        }
    }
}

/// `SslInfo` (§3.14).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SslInfo {
    pub ssl_id: String,
    #[serde(default)]
    pub ssl_name: String,
    #[serde(default)]
    pub algorithm_type: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub cert_type: Option<SslInfoType>,
    #[serde(default)]
    pub is_has_trusted_root_ca: bool,
}

/// `UrlDomainCertInfo`: answer of "add a certificate to a domain" (§3.9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DomainCertificateInfo {
    #[serde(default)]
    pub url_domain: String,
    pub id: String,
    #[serde(default)]
    pub status: i32,
    #[serde(default)]
    pub min_ssl_version: String,
    #[serde(default)]
    pub is_http_redirect_to_https: bool,
    #[serde(default)]
    pub verified_client_certificate_enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_http_port: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_https_port: Option<i32>,
    #[serde(default)]
    pub ssl_name: String,
    #[serde(default)]
    pub ssl_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_group_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_group_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl_infos: Option<Vec<SslInfo>>,
}

/// Body of domain-side attach/detach (§3.12, §3.13).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CertificateIdsBody {
    pub certificate_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_client_certificate_enabled: Option<bool>,
}

/// `UrlDomain` inside group details (§3.14). Note `domain`, not `url_domain`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct UrlDomain {
    pub id: String,
    pub domain: String,
    #[serde(default)]
    pub cname_status: i32,
    #[serde(default)]
    pub ssl_id: String,
    #[serde(default)]
    pub ssl_name: String,
    #[serde(default)]
    pub min_ssl_version: String,
    #[serde(default)]
    pub verified_client_certificate_enabled: bool,
    #[serde(default)]
    pub is_has_trusted_root_ca: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_http_port: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_https_port: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl_infos: Option<Vec<SslInfo>>,
}

/// `GET .../instances/{i}/api-groups/{g}` (relevant parts, §3.14).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct GroupDetail {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub status: i32,
    #[serde(default)]
    pub sl_domain: String,
    #[serde(default)]
    pub sl_domains: Vec<String>,
    #[serde(default)]
    pub register_time: String,
    #[serde(default)]
    pub update_time: String,
    /// Listing status in the API marketplace; the service answers 2 (not on sale). Absent in
    /// older answers, so optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_sell_status: Option<i32>,
    #[serde(default)]
    pub url_domains: Vec<UrlDomain>,
}

/// One gateway of a service's instance list (§3.15): APIG's `GET /v2/{p}/apigw/instances` calls
/// its name `instance_name`, ROMA's `GET /v2/{p}/instances` calls it `name`; both decode here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(from = "InstanceSummaryWire")]
pub struct InstanceSummary {
    pub id: String,
    pub name: String,
    /// `Running` on APIG, `RUNNING` on ROMA (passed through as sent).
    #[serde(default)]
    pub status: String,
}

/// What either service sends for one instance (the fields [`InstanceSummary`] keeps).
#[derive(Deserialize)]
struct InstanceSummaryWire {
    #[serde(default)]
    id: String,
    #[serde(default)]
    instance_name: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    status: Option<String>,
}

impl From<InstanceSummaryWire> for InstanceSummary {
    fn from(w: InstanceSummaryWire) -> Self {
        InstanceSummary {
            id: w.id,
            name: w.instance_name.or(w.name).unwrap_or_default(),
            status: w.status.unwrap_or_default(),
        }
    }
}

/// A page of either instance list: `{"size", "total", "instances": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ListInstancesResponse {
    #[serde(default)]
    pub size: i64,
    #[serde(default)]
    pub total: i64,
    #[serde(default)]
    pub instances: Vec<InstanceSummary>,
}

/// APIG's instance entry as the simulator sends it (`GET /v2/{p}/apigw/instances`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ApigInstanceInfo {
    pub id: String,
    pub project_id: String,
    pub instance_name: String,
    pub status: String,
    pub instance_status: i32,
    #[serde(rename = "type")]
    pub instance_type: String,
    pub spec: String,
    /// Unix milliseconds.
    pub create_time: i64,
}

/// ROMA Connect's instance entry as the simulator sends it (`GET /v2/{p}/instances`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RomaInstanceInfo {
    pub id: String,
    pub name: String,
    pub description: String,
    pub flavor_type: String,
    pub status: String,
}

/// Certificate shown through a domain (§3.10); ROMA adds the last two fields.
pub type DomainCertificateDetail = CertificateDetail;

/// IAM password-token request body (§8.1).
#[derive(Clone, Serialize, Deserialize)]
pub struct IamTokenRequest {
    pub auth: IamAuth,
}
#[derive(Clone, Serialize, Deserialize)]
pub struct IamAuth {
    pub identity: IamIdentity,
    pub scope: IamScope,
}
#[derive(Clone, Serialize, Deserialize)]
pub struct IamIdentity {
    pub methods: Vec<String>,
    pub password: IamPassword,
}
#[derive(Clone, Serialize, Deserialize)]
pub struct IamPassword {
    pub user: IamUser,
}
#[derive(Clone, Serialize, Deserialize)]
pub struct IamUser {
    pub name: String,
    pub password: String,
    pub domain: IamNamed,
}
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct IamNamed {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}
#[derive(Clone, Serialize, Deserialize)]
pub struct IamScope {
    pub project: IamNamed,
}

impl std::fmt::Debug for IamTokenRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IamTokenRequest { <redacted> }")
    }
}

/// IAM token response body; the token itself is in the `X-Subject-Token` header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct IamTokenResponse {
    pub token: IamTokenInfo,
}
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct IamTokenInfo {
    pub expires_at: String,
    #[serde(default)]
    pub issued_at: String,
    #[serde(default)]
    pub methods: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<IamProject>,
}
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct IamProject {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_detail_decodes_with_and_without_on_sell_status() {
        let with: GroupDetail = serde_json::from_str(r#"{"id":"g","name":"n","on_sell_status":2}"#).unwrap();
        assert_eq!(with.on_sell_status, Some(2));
        let without: GroupDetail = serde_json::from_str(r#"{"id":"g","name":"n"}"#).unwrap();
        assert_eq!(without.on_sell_status, None);
    }

    #[test]
    fn instance_summaries_decode_from_both_services() {
        let apig: ListInstancesResponse = serde_json::from_str(
            r#"{"size":1,"total":1,"instances":[{"id":"i1","project_id":"p","instance_name":"gw","status":"Running",
                "instance_status":6,"type":"apig","spec":"BASIC","create_time":1700000000000}]}"#,
        )
        .unwrap();
        assert_eq!(apig.instances, [InstanceSummary { id: "i1".into(), name: "gw".into(), status: "Running".into() }]);
        let roma: ListInstancesResponse = serde_json::from_str(
            r#"{"total":1,"size":1,"instances":[{"id":"i2","name":"roma","description":"","flavor_type":"basic","status":"RUNNING"}]}"#,
        )
        .unwrap();
        assert_eq!(roma.instances[0].name, "roma");
        assert_eq!(roma.instances[0].status, "RUNNING");
        // Both names present: APIG's wins, and nothing fails.
        let both: InstanceSummary = serde_json::from_str(r#"{"id":"x","name":"a","instance_name":"b"}"#).unwrap();
        assert_eq!(both.name, "b");
    }
}
