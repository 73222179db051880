//! Every endpoint on both services against a scripted server: method, path, query, body,
//! headers, success statuses (incl. 201 and empty 204) and decoding.

use crate::support::client_mock::{MockServer, PID, Reply, Step, TOKEN, api_path};
use pretty_assertions::assert_eq;
use serde_json::json;
use terraform_provider_apig::client::models::{
    CertificateForm, CertificateIdsBody, DomainBinding, DomainCertificateForm, Service, SslInfoType,
};
use terraform_provider_apig::client::{
    CallContext, DomainRef, ListAttachedDomainsQuery, ListCertificatesQuery, USER_AGENT,
};

const SERVICES: [Service; 2] = [Service::Apig, Service::Roma];
const CERT_ID: &str = "a27be832f2e9441c8127fe48e3b5ac67";
const INSTANCE: &str = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0";
const GROUP: &str = "7d1e2f3a4b5c4d6e8f9a0b1c2d3e4f50";
const DOMAIN: &str = "d0000000000000000000000000000001";

fn detail_json(id: &str, name: &str) -> serde_json::Value {
    json!({
        "id": id, "name": name, "type": "instance", "instance_id": INSTANCE, "project_id": PID,
        "common_name": "api.example.com", "san": ["api.example.com"], "not_before": "2024-01-01T00:00:00Z",
        "not_after": "2031-08-16T06:36:13Z", "signature_algorithm": "SHA256-RSA",
        "create_time": "2021-08-26T07:27:06.304004Z", "update_time": "2021-08-26T07:27:06.304004Z",
        "is_has_trusted_root_ca": false, "algorithm_type": "RSA", "version": 3,
        "organization": ["Org"], "organizational_unit": [], "locality": [], "state": [], "country": ["CN"],
        "serial_number": "13010", "issuer": ["XXSSL Inc"]
    })
}

fn summary_json(id: &str, name: &str) -> serde_json::Value {
    json!({"id": id, "name": name, "type": "global", "instance_id": "common", "project_id": PID,
           "common_name": "api.example.com", "san": ["api.example.com"], "not_after": "2031-08-16T06:36:13Z",
           "signature_algorithm": "SHA256-RSA", "create_time": "", "update_time": "",
           "is_has_trusted_root_ca": false, "algorithm_type": "RSA"})
}

fn form() -> CertificateForm {
    CertificateForm {
        name: "cert_demo".into(),
        cert_content: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----".into(),
        private_key: "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----".into(),
        cert_type: Some("instance".into()),
        instance_id: Some(INSTANCE.into()),
        ..Default::default()
    }
}

fn assert_common_headers(r: &crate::support::client_mock::Recorded, with_body: bool) {
    assert_eq!(r.header("accept"), Some("application/json"), "{} {}", r.method, r.path);
    assert_eq!(r.header("x-language"), Some("en-us"));
    assert_eq!(r.header("user-agent"), Some(USER_AGENT));
    assert_eq!(r.header("x-auth-token"), Some(TOKEN));
    assert!(r.header("authorization").is_none());
    if with_body {
        assert_eq!(r.header("content-type"), Some("application/json"));
    } else {
        assert!(r.header("content-type").is_none(), "{} {} has a content-type", r.method, r.path);
        assert!(r.body.is_empty());
    }
}

#[tokio::test]
async fn certificate_crud_on_both_services() {
    for service in SERVICES {
        let mock = MockServer::start().await;
        let cert_path = api_path(service, &format!("certificates/{CERT_ID}"));
        mock.on("POST", api_path(service, "certificates"), Reply::Json(200, detail_json(CERT_ID, "cert_demo")))
            .on("GET", cert_path.clone(), Reply::Json(200, detail_json(CERT_ID, "cert_demo")))
            .on("PUT", cert_path.clone(), Reply::Json(200, detail_json(CERT_ID, "cert_renamed")))
            .on("DELETE", cert_path.clone(), Reply::Empty(204));
        let client = mock.client();
        let call = CallContext::default();

        let created = client.create_certificate(service, &form(), &call).await.unwrap();
        assert_eq!(created.id, CERT_ID);
        assert_eq!(created.serial_number, "13010");
        assert_eq!(created.issuer, vec!["XXSSL Inc".to_string()]);
        assert_eq!(created.version, 3);
        let got = client.get_certificate(service, CERT_ID, &call).await.unwrap();
        assert_eq!(got, created);
        let mut renamed = form();
        renamed.name = "cert_renamed".into();
        renamed.trusted_root_ca = Some("-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----".into());
        let updated = client.update_certificate(service, CERT_ID, &renamed, &call).await.unwrap();
        assert_eq!(updated.name, "cert_renamed");
        client.delete_certificate(service, CERT_ID, &call).await.unwrap();
        mock.verify();

        let reqs = mock.requests();
        assert_eq!(reqs.len(), 4);
        assert_common_headers(&reqs[0], true);
        assert_eq!(
            reqs[0].json(),
            json!({"name": "cert_demo", "cert_content": form().cert_content, "private_key": form().private_key,
                   "type": "instance", "instance_id": INSTANCE})
        );
        assert_common_headers(&reqs[1], false);
        assert_common_headers(&reqs[2], true);
        assert_eq!(reqs[2].json()["name"], "cert_renamed");
        assert_eq!(reqs[2].json()["trusted_root_ca"], renamed.trusted_root_ca.unwrap());
        assert_eq!(reqs[2].json()["type"], "instance");
        assert_common_headers(&reqs[3], false);
    }
}

#[tokio::test]
async fn list_certificates_sends_every_filter() {
    for service in SERVICES {
        let mock = MockServer::start().await;
        mock.on(
            "GET",
            api_path(service, "certificates"),
            Reply::Json(200, json!({"size": 1, "total": 7, "certs": [summary_json(CERT_ID, "cert_demo")]})),
        )
        .on(
            "GET",
            api_path(service, "certificates"),
            Reply::Json(200, json!({"size": 0, "total": 0, "certs": []})),
        );
        let client = mock.client();
        let q = ListCertificatesQuery::default()
            .instance_id(INSTANCE)
            .name("cert demo")
            .common_name("*.example.com")
            .signature_algorithm("SHA256-RSA")
            .cert_type("global")
            .algorithm_type("RSA")
            .offset(20)
            .limit(10);
        let page = client.list_certificates(service, &q, &CallContext::default()).await.unwrap();
        assert_eq!((page.size, page.total), (1, 7));
        assert_eq!(page.certs[0].instance_id, "common");
        assert_eq!(page.certs[0].cert_type, "global");
        // Unset filters are not sent at all.
        let empty = client.list_certificates(service, &ListCertificatesQuery::default(), &CallContext::default()).await;
        assert!(empty.unwrap().certs.is_empty());
        mock.verify();
        let reqs = mock.requests();
        assert_eq!(
            reqs[0].query.as_deref(),
            Some(
                "algorithm_type=RSA&common_name=%2A.example.com&instance_id=5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0&limit=10\
                 &name=cert%20demo&offset=20&signature_algorithm=SHA256-RSA&type=global"
            )
        );
        assert_eq!(reqs[1].query, None);
    }
}

#[tokio::test]
async fn list_all_certificates_pages_by_100_until_a_short_page() {
    for service in SERVICES {
        let mock = MockServer::start().await;
        let page = |from: usize, n: usize| {
            let certs: Vec<_> = (from..from + n).map(|i| summary_json(&format!("{i:032x}"), "cert_demo")).collect();
            Reply::Json(200, json!({"size": n, "total": 205, "certs": certs}))
        };
        let path = api_path(service, "certificates");
        mock.on("GET", path.clone(), page(0, 100)).on("GET", path.clone(), page(100, 100)).on(
            "GET",
            path,
            page(200, 5),
        );
        let client = mock.client();
        let q = ListCertificatesQuery::default().instance_id(INSTANCE).offset(999).limit(3);
        let all = client.list_all_certificates(service, &q, &CallContext::default()).await.unwrap();
        assert_eq!(all.len(), 205);
        assert_eq!(all[204].id, format!("{:032x}", 204));
        mock.verify();
        let queries: Vec<_> = mock.requests().into_iter().map(|r| r.query.unwrap_or_default()).collect();
        assert_eq!(queries, [0, 100, 200].map(|o| format!("instance_id={INSTANCE}&limit=100&offset={o}")).to_vec());
    }
}

#[tokio::test]
async fn list_all_stops_on_an_exactly_full_last_page_followed_by_an_empty_one() {
    let mock = MockServer::start().await;
    let certs: Vec<_> = (0..100).map(|i| summary_json(&format!("{i:032x}"), "n")).collect();
    let path = api_path(Service::Apig, "certificates");
    mock.on("GET", path.clone(), Reply::Json(200, json!({"size": 100, "total": 100, "certs": certs}))).on(
        "GET",
        path,
        Reply::Json(200, json!({"size": 0, "total": 100, "certs": []})),
    );
    let all = mock
        .client()
        .list_all_certificates(Service::Apig, &ListCertificatesQuery::default(), &CallContext::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 100);
    mock.verify();
}

#[tokio::test]
async fn certificate_side_domain_bindings() {
    for service in SERVICES {
        let mock = MockServer::start().await;
        let base = format!("certificates/{CERT_ID}");
        let attached = |n: usize, total: usize| {
            let d: Vec<_> = (0..n)
                .map(|i| {
                    json!({"url_domain": format!("d{i}.example.com"), "id": format!("{i:032x}"), "status": 3,
                       "min_ssl_version": "TLSv1.2", "verified_client_certificate_enabled": i % 2 == 0,
                       "api_group_id": GROUP, "api_group_name": "demo_group", "instance_id": INSTANCE})
                })
                .collect();
            Reply::Json(200, json!({"size": n, "total": total, "bound_domains": d}))
        };
        mock.on("POST", api_path(service, &format!("{base}/domains/attach")), Reply::Empty(204))
            .on("POST", api_path(service, &format!("{base}/domains/detach")), Reply::Empty(204))
            .on("GET", api_path(service, &format!("{base}/attached-domains")), attached(2, 2))
            .on("GET", api_path(service, &format!("{base}/attached-domains")), attached(100, 101))
            .on("GET", api_path(service, &format!("{base}/attached-domains")), attached(1, 101));
        let client = mock.client();
        let call = CallContext::default();
        let bindings = vec![
            DomainBinding {
                domain: "api.example.com".into(),
                instance_ids: Some(vec![INSTANCE.into()]),
                verified_client_certificate_enabled: Some(true),
            },
            DomainBinding {
                domain: "www.example.com".into(),
                instance_ids: None,
                verified_client_certificate_enabled: None,
            },
        ];
        client.attach_domains(service, CERT_ID, &bindings, &call).await.unwrap();
        client.detach_domains(service, CERT_ID, &bindings[1..], &call).await.unwrap();
        let q =
            ListAttachedDomainsQuery { url_domain: Some("d0.example.com".into()), offset: Some(0), limit: Some(50) };
        let page = client.list_attached_domains(service, CERT_ID, &q, &call).await.unwrap();
        assert_eq!(page.bound_domains.len(), 2);
        assert!(page.bound_domains[0].verified_client_certificate_enabled);
        assert_eq!(page.bound_domains[1].api_group_name, "demo_group");
        let all = client.list_all_attached_domains(service, CERT_ID, None, &call).await.unwrap();
        assert_eq!(all.len(), 101);
        mock.verify();

        let reqs = mock.requests();
        assert_common_headers(&reqs[0], true);
        assert_eq!(
            reqs[0].json(),
            json!({"domains": [
                {"domain": "api.example.com", "instance_ids": [INSTANCE], "verified_client_certificate_enabled": true},
                {"domain": "www.example.com"}
            ]})
        );
        assert_eq!(reqs[1].json(), json!({"domains": [{"domain": "www.example.com"}]}));
        assert_eq!(reqs[2].query.as_deref(), Some("limit=50&offset=0&url_domain=d0.example.com"));
        assert_eq!(reqs[3].query.as_deref(), Some("limit=100&offset=0"));
        assert_eq!(reqs[4].query.as_deref(), Some("limit=100&offset=100"));
    }
}

#[tokio::test]
async fn domain_side_certificate_endpoints() {
    for service in SERVICES {
        let mock = MockServer::start().await;
        let domain_base = format!("instances/{INSTANCE}/api-groups/{GROUP}/domains/{DOMAIN}");
        let added = json!({"ssl_name": "cert_demo", "url_domain": "api.example.com", "ssl_id": CERT_ID,
                           "id": DOMAIN, "status": 3, "min_ssl_version": "TLSv1.1"});
        mock.on("POST", api_path(service, &format!("{domain_base}/certificate")), Reply::Json(201, added))
            .on(
                "GET",
                api_path(service, &format!("{domain_base}/certificate/{CERT_ID}")),
                Reply::Json(200, detail_json(CERT_ID, "cert_demo")),
            )
            .on("DELETE", api_path(service, &format!("{domain_base}/certificate/{CERT_ID}")), Reply::Empty(204))
            .on("POST", api_path(service, &format!("{domain_base}/certificates/attach")), Reply::Empty(204))
            .on("POST", api_path(service, &format!("{domain_base}/certificates/detach")), Reply::Empty(204));
        let client = mock.client();
        let call = CallContext::default();
        let domain = DomainRef::new(INSTANCE, GROUP, DOMAIN);
        let mut dform = DomainCertificateForm {
            name: "cert_demo".into(),
            cert_content: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----".into(),
            private_key: "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----".into(),
            ..Default::default()
        };
        if service == Service::Roma {
            dform.cert_type = Some("global".into());
        }
        let info = client.add_domain_certificate(service, &domain, &dform, &call).await.unwrap();
        assert_eq!((info.id.as_str(), info.ssl_id.as_str(), info.status), (DOMAIN, CERT_ID, 3));
        let shown = client.get_domain_certificate(service, &domain, CERT_ID, &call).await.unwrap();
        assert_eq!(shown.common_name, "api.example.com");
        client.delete_domain_certificate(service, &domain, CERT_ID, &call).await.unwrap();
        let ids = CertificateIdsBody {
            certificate_ids: vec![CERT_ID.into()],
            verified_client_certificate_enabled: Some(false),
        };
        client.attach_domain_certificates(service, &domain, &ids, &call).await.unwrap();
        let ids =
            CertificateIdsBody { certificate_ids: vec![CERT_ID.into()], verified_client_certificate_enabled: None };
        client.detach_domain_certificates(service, &domain, &ids, &call).await.unwrap();
        mock.verify();

        let reqs = mock.requests();
        let mut want_add =
            json!({"name": "cert_demo", "cert_content": dform.cert_content, "private_key": dform.private_key});
        if service == Service::Roma {
            want_add["type"] = json!("global");
        }
        assert_eq!(reqs[0].json(), want_add);
        assert_common_headers(&reqs[1], false);
        assert_common_headers(&reqs[2], false);
        assert_eq!(reqs[3].json(), json!({"certificate_ids": [CERT_ID], "verified_client_certificate_enabled": false}));
        assert_eq!(reqs[4].json(), json!({"certificate_ids": [CERT_ID]}));
    }
}

#[tokio::test]
async fn group_detail_decodes_ssl_infos_of_both_services() {
    for (service, ssl_type) in [(Service::Apig, json!(2)), (Service::Roma, json!("global"))] {
        let mock = MockServer::start().await;
        let group = json!({
            "id": GROUP, "name": "demo_group", "status": 1, "sl_domain": "x.apic.example.com",
            "sl_domains": ["x.apic.example.com"], "register_time": "2024-01-01T00:00:00Z", "update_time": "2024-01-01T00:00:00Z",
            "url_domains": [
                {"id": DOMAIN, "domain": "api.example.com", "cname_status": 3, "ssl_id": CERT_ID, "ssl_name": "cert_demo",
                 "min_ssl_version": "TLSv1.2", "verified_client_certificate_enabled": false, "is_has_trusted_root_ca": false,
                 "ssl_infos": [{"ssl_id": CERT_ID, "ssl_name": "cert_demo", "algorithm_type": "RSA", "type": ssl_type,
                                "is_has_trusted_root_ca": false}]},
                {"id": "d0000000000000000000000000000002", "domain": "www.example.com", "cname_status": 1}
            ]
        });
        mock.on("GET", api_path(service, &format!("instances/{INSTANCE}/api-groups/{GROUP}")), Reply::Json(200, group));
        let g = mock.client().get_group(service, INSTANCE, GROUP, &CallContext::default()).await.unwrap();
        mock.verify();
        assert_eq!(g.url_domains.len(), 2);
        let infos = g.url_domains[0].ssl_infos.as_ref().unwrap();
        assert!(infos[0].cert_type.as_ref().unwrap().is_global());
        assert!(matches!(
            (service, infos[0].cert_type.as_ref().unwrap()),
            (Service::Apig, SslInfoType::Code(2)) | (Service::Roma, SslInfoType::Name(_))
        ));
        assert!(g.url_domains[1].ssl_infos.is_none());
        assert_common_headers(&mock.requests()[0], false);
    }
}

#[tokio::test]
async fn ids_are_percent_encoded_in_paths() {
    let mock = MockServer::start().await;
    mock.expect(Step::new(
        "GET",
        api_path(Service::Apig, "certificates/..%2Fx%20y"),
        Reply::Json(200, detail_json(CERT_ID, "n")),
    ));
    mock.client().get_certificate(Service::Apig, "../x y", &CallContext::default()).await.unwrap();
    mock.verify();
}
