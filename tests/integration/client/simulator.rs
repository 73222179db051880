//! The provider's API client against the real `apig-simulator` binary: every endpoint on both
//! services, the documented errors, the three auth methods, and the retry/adoption behaviour
//! under injected faults (no duplicate certificate when a create's answer is lost).

use std::time::Duration;

use crate::support::certs::{self, TestCert};
use crate::support::simulator::{
    DOMAINS, GROUP_ID, GROUP_NAME, INSTANCE_ID, PASSWORD, PROJECT_ID, Simulator, TOKEN, USER, USER_DOMAIN,
};
use serde_json::json;
use terraform_provider_apig::client::models::{
    CertificateForm, CertificateIdsBody, DomainBinding, DomainCertificateForm, Service,
};
use terraform_provider_apig::client::{
    ApiClient, ApiError, CallContext, CertFingerprint, ClientConfig, Credentials, DomainRef, ListCertificatesQuery,
    RetryPolicy,
};

const SERVICES: [Service; 2] = [Service::Apig, Service::Roma];
const API_DOMAIN: &str = DOMAINS[0].0;
const WWW_DOMAIN: &str = DOMAINS[1].0;
const SHOP_DOMAIN: &str = DOMAINS[2].0;

fn fast_retry(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(5),
        settle: Duration::from_millis(300),
    }
}

fn config(sim: &Simulator, credentials: Credentials) -> ClientConfig {
    let mut cfg = ClientConfig::new("cn-north-4", PROJECT_ID, credentials);
    cfg.endpoints.apig = Some(sim.base_url());
    cfg.endpoints.roma = Some(format!("{}/", sim.base_url()));
    cfg.endpoints.iam = Some(sim.base_url());
    cfg.retry = fast_retry(3);
    cfg
}

fn client(sim: &Simulator) -> ApiClient {
    ApiClient::new(config(sim, Credentials::Token(TOKEN.into()))).expect("client")
}

fn instance_form(name: &str, cert: &TestCert) -> CertificateForm {
    CertificateForm {
        name: name.into(),
        cert_content: cert.cert_pem.clone(),
        private_key: cert.key_pem.clone(),
        cert_type: Some("instance".into()),
        instance_id: Some(INSTANCE_ID.into()),
        ..Default::default()
    }
}

fn global_form(name: &str, cert: &TestCert) -> CertificateForm {
    CertificateForm {
        name: name.into(),
        cert_content: cert.cert_pem.clone(),
        private_key: cert.key_pem.clone(),
        ..Default::default()
    }
}

fn domain(id: &str) -> DomainRef {
    DomainRef::new(INSTANCE_ID, GROUP_ID, id)
}

fn sim_service(service: Service) -> &'static str {
    service.path_prefix()
}

/// Requests in the simulator's log with this method whose path ends with `suffix`.
fn logged(sim: &Simulator, method: &str, suffix: &str) -> usize {
    sim.requests()["requests"]
        .as_array()
        .map(|rs| {
            rs.iter()
                .filter(|r| r["method"] == method && r["path"].as_str().is_some_and(|p| p.ends_with(suffix)))
                .count()
        })
        .unwrap_or(0)
}

/// Requests the simulator answered by dropping the connection.
fn dropped(sim: &Simulator) -> usize {
    sim.requests()["requests"].as_array().map(|rs| rs.iter().filter(|r| r["dropped"] == true).count()).unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certificate_endpoints_on_both_services() {
    let sim = Simulator::start();
    let api = client(&sim);
    let call = CallContext::default();
    let cert = certs::builder("api.example.com").sans(&["api.example.com", "www.example.com"]).serial(4242).build();
    for service in SERVICES {
        let created = api.create_certificate(service, &instance_form("cert_demo", &cert), &call).await.unwrap();
        assert_eq!(created.name, "cert_demo");
        assert_eq!(created.cert_type, "instance");
        assert_eq!(created.instance_id, INSTANCE_ID);
        assert_eq!(created.common_name, "api.example.com");
        assert_eq!(created.san, vec!["api.example.com".to_string(), "www.example.com".to_string()]);
        assert_eq!(created.serial_number, "4242");
        assert!(CertFingerprint::of_leaf_pem(&cert.cert_pem).unwrap().matches_detail(&created));

        let shown = api.get_certificate(service, &created.id, &call).await.unwrap();
        assert_eq!(shown, created);

        let global = certs::valid("shop.example.org", &["shop.example.org"]);
        let global = api.create_certificate(service, &global_form("global_cert", &global), &call).await.unwrap();
        assert_eq!(global.instance_id, "common");

        let by_instance = ListCertificatesQuery::default().instance_id(INSTANCE_ID);
        let page = api.list_certificates(service, &by_instance.clone().limit(1), &call).await.unwrap();
        assert_eq!((page.size, page.total, page.certs.len()), (1, 2, 1));
        let all = api.list_all_certificates(service, &by_instance, &call).await.unwrap();
        let mut names: Vec<_> = all.iter().map(|c| c.name.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, ["cert_demo", "global_cert"]);
        let filtered = api
            .list_all_certificates(service, &by_instance.clone().name("global_cert").cert_type("global"), &call)
            .await
            .unwrap();
        assert_eq!(filtered.len(), 1);
        assert_eq!(filtered[0].id, global.id);

        let renewed = certs::builder("api.example.com").sans(&["api.example.com"]).serial(4343).build();
        let updated = api
            .update_certificate(service, &created.id, &instance_form("cert_renewed", &renewed), &call)
            .await
            .unwrap();
        assert_eq!(
            (updated.id.as_str(), updated.name.as_str(), updated.serial_number.as_str()),
            (created.id.as_str(), "cert_renewed", "4343")
        );

        // Certificate-side bindings.
        let bindings = [DomainBinding {
            domain: "api.example.com".into(),
            instance_ids: Some(vec![INSTANCE_ID.into()]),
            verified_client_certificate_enabled: Some(false),
        }];
        api.attach_domains(service, &created.id, &bindings, &call).await.unwrap();
        let attached = api.list_all_attached_domains(service, &created.id, None, &call).await.unwrap();
        assert_eq!(attached.len(), 1);
        assert_eq!((attached[0].id.as_str(), attached[0].url_domain.as_str()), (API_DOMAIN, "api.example.com"));
        assert_eq!((attached[0].api_group_id.as_str(), attached[0].api_group_name.as_str()), (GROUP_ID, GROUP_NAME));
        let filtered =
            api.list_all_attached_domains(service, &created.id, Some("www.example.com"), &call).await.unwrap();
        assert!(filtered.is_empty());
        let group = api.get_group(service, INSTANCE_ID, GROUP_ID, &call).await.unwrap();
        let d = group.url_domains.iter().find(|d| d.id == API_DOMAIN).unwrap();
        assert_eq!(d.ssl_id, created.id);

        // A bound certificate cannot be deleted.
        let err = api.delete_certificate(service, &created.id, &call).await.unwrap_err();
        assert_eq!(err.status(), Some(400), "{err}");

        api.detach_domains(service, &created.id, &bindings, &call).await.unwrap();
        assert!(api.list_all_attached_domains(service, &created.id, None, &call).await.unwrap().is_empty());
        // Detaching again: the API's "no valid domain name" means they are detached, which is success.
        api.detach_domains(service, &created.id, &bindings, &call).await.unwrap();

        api.delete_certificate(service, &created.id, &call).await.unwrap();
        api.delete_certificate(service, &global.id, &call).await.unwrap();
        let err = api.get_certificate(service, &created.id, &call).await.unwrap_err();
        assert!(err.is_not_found(), "{err}");
        assert!(err.request_id().is_some(), "{err}");
        assert!(sim.certificates(sim_service(service)).is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn domain_side_endpoints_on_both_services() {
    let sim = Simulator::start();
    let api = client(&sim);
    let call = CallContext::default();
    for service in SERVICES {
        let www = certs::builder("www.example.com").sans(&["www.example.com"]).serial(77).build();
        let form = DomainCertificateForm {
            name: "www_cert".into(),
            cert_content: www.cert_pem.clone(),
            private_key: www.key_pem.clone(),
            ..Default::default()
        };
        let info = api.add_domain_certificate(service, &domain(WWW_DOMAIN), &form, &call).await.unwrap();
        assert_eq!(
            (info.id.as_str(), info.url_domain.as_str(), info.ssl_name.as_str()),
            (WWW_DOMAIN, "www.example.com", "www_cert")
        );
        let shown = api.get_domain_certificate(service, &domain(WWW_DOMAIN), &info.ssl_id, &call).await.unwrap();
        assert_eq!((shown.id.as_str(), shown.serial_number.as_str()), (info.ssl_id.as_str(), "77"));

        // Domain-side attach of an existing certificate, then the flag changed by re-attaching.
        let shop = certs::valid("shop.example.org", &["shop.example.org"]);
        let shop = api.create_certificate(service, &instance_form("shop_cert", &shop), &call).await.unwrap();
        let mut ids =
            CertificateIdsBody { certificate_ids: vec![shop.id.clone()], verified_client_certificate_enabled: None };
        api.attach_domain_certificates(service, &domain(SHOP_DOMAIN), &ids, &call).await.unwrap();
        api.attach_domain_certificates(service, &domain(SHOP_DOMAIN), &ids, &call).await.unwrap();
        let group = api.get_group(service, INSTANCE_ID, GROUP_ID, &call).await.unwrap();
        let d = group.url_domains.iter().find(|d| d.id == SHOP_DOMAIN).unwrap();
        assert_eq!(d.domain, "shop.example.org");
        let bound: Vec<_> = match &d.ssl_infos {
            Some(infos) => infos.iter().map(|i| i.ssl_id.clone()).collect(),
            None => vec![d.ssl_id.clone()],
        };
        assert_eq!(bound, vec![shop.id.clone()]);

        ids.verified_client_certificate_enabled = None;
        api.detach_domain_certificates(service, &domain(SHOP_DOMAIN), &ids, &call).await.unwrap();
        // Again: the domain no longer holds it (404 APIG.3097), so the detach has nothing to do.
        api.detach_domain_certificates(service, &domain(SHOP_DOMAIN), &ids, &call).await.unwrap();

        api.delete_domain_certificate(service, &domain(WWW_DOMAIN), &info.ssl_id, &call).await.unwrap();
        let err = api.get_domain_certificate(service, &domain(WWW_DOMAIN), &info.ssl_id, &call).await.unwrap_err();
        assert!(err.is_not_found(), "{err}");
        // Unbinding leaves the certificate itself.
        api.get_certificate(service, &info.ssl_id, &call).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documented_errors_reach_the_caller_intact() {
    let sim = Simulator::start();
    let api = client(&sim);
    let call = CallContext::default();
    for service in SERVICES {
        let cases: [(&str, CertificateForm, u16, &str); 5] = [
            ("mismatched key", global_form("cert_a", &certs::mismatched_pair("api.example.com")), 400, "APIG.2101"),
            ("expired", global_form("cert_b", &certs::expired("api.example.com")), 400, "APIG.2102"),
            ("no SAN", global_form("cert_c", &certs::no_san("api.example.com")), 400, "APIG.2109"),
            ("after 2038", global_form("cert_d", &certs::after_2038("api.example.com")), 400, "APIG.3148"),
            ("bad name", global_form("1bad", &certs::valid("api.example.com", &["api.example.com"])), 400, "APIG.2012"),
        ];
        for (what, form, status, code) in cases {
            let err = api.create_certificate(service, &form, &call).await.unwrap_err();
            assert_eq!((err.status(), err.error_code()), (Some(status), Some(code)), "{what}: {err}");
            assert!(err.request_id().is_some(), "{what}: {err}");
            assert!(!err.to_string().contains("PRIVATE KEY"), "{what}: {err}");
        }
        let err = api.get_certificate(service, "ffffffffffffffffffffffffffffffff", &call).await.unwrap_err();
        assert!(err.is_not_found(), "{err}");
        assert_eq!(err.error_code(), Some("APIG.3021"));

        let err = api.get_group(service, INSTANCE_ID, "ffffffffffffffffffffffffffffffff", &call).await.unwrap_err();
        assert_eq!((err.status(), err.error_code()), (Some(404), Some("APIG.3001")), "{err}");
        let err = api.get_group(service, "ffffffffffffffffffffffffffffffff", GROUP_ID, &call).await.unwrap_err();
        assert_eq!((err.status(), err.error_code()), (Some(404), Some("APIG.3030")), "{err}");

        // A certificate for one name cannot be bound to another domain.
        let api_cert = certs::valid("api.example.com", &["api.example.com"]);
        let c = api.create_certificate(service, &instance_form("api_cert", &api_cert), &call).await.unwrap();
        let ids = CertificateIdsBody { certificate_ids: vec![c.id.clone()], verified_client_certificate_enabled: None };
        let err = api.attach_domain_certificates(service, &domain(SHOP_DOMAIN), &ids, &call).await.unwrap_err();
        assert_eq!((err.status(), err.error_code()), (Some(400), Some("APIG.2103")), "{err}");
        // Errors are not retried.
        sim.clear_requests();
        let _ = api.attach_domain_certificates(service, &domain(SHOP_DOMAIN), &ids, &call).await.unwrap_err();
        assert_eq!(sim.request_count(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aksk_signed_requests_are_accepted_and_a_wrong_secret_refused() {
    let ak = "SIMAK0000000000000001";
    let sk = "SIMSK000000000000000000000000000000000001";
    let sim = Simulator::start_with(&["--access-key", ak, "--secret-key", sk]);
    let call = CallContext::default();
    for security_token in [None, Some("sts-session-token".to_string())] {
        let creds = Credentials::AkSk {
            access_key: ak.into(),
            secret_key: sk.into(),
            security_token: security_token.map(Into::into),
        };
        let api = ApiClient::new(config(&sim, creds)).unwrap();
        for service in SERVICES {
            let cert = certs::valid_ecdsa("api.example.com", &["api.example.com"]);
            let created = api.create_certificate(service, &instance_form("ecdsa_cert", &cert), &call).await.unwrap();
            assert_eq!(created.algorithm_type, "ECC");
            let q = ListCertificatesQuery::default()
                .instance_id(INSTANCE_ID)
                .name("ecdsa_cert")
                .common_name("api.example.com");
            assert_eq!(api.list_all_certificates(service, &q, &call).await.unwrap().len(), 1);
            api.delete_certificate(service, &created.id, &call).await.unwrap();
        }
    }
    let bad = Credentials::AkSk { access_key: ak.into(), secret_key: "wrong".into(), security_token: None };
    let err = ApiClient::new(config(&sim, bad))
        .unwrap()
        .get_group(Service::Apig, INSTANCE_ID, GROUP_ID, &call)
        .await
        .unwrap_err();
    assert_eq!((err.status(), err.error_code()), (Some(401), Some("APIGW.0301")), "{err}");
    assert!(err.request_id().is_some(), "{err}");
}

/// Both services' instance lists through the client: one page, and every page until a short one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instance_lists_of_both_services() {
    let sim = Simulator::start();
    let api = client(&sim);
    let call = CallContext::default();
    for service in SERVICES {
        let page = api.list_instances(service, 0, 10, &call).await.unwrap();
        assert_eq!((page.size, page.total), (1, 1));
        let all = api.list_all_instances(service, &call).await.unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].id, INSTANCE_ID);
        assert_eq!(all[0].name, "apig-sim-gateway");
        assert!(all[0].status.eq_ignore_ascii_case("running"), "{:?}", all[0]);
        assert!(api.list_instances(service, 1, 10, &call).await.unwrap().instances.is_empty());
    }
    let paths: Vec<String> = sim.requests()["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("{}?{}", r["path"].as_str().unwrap(), r["query"].as_str().unwrap_or_default()))
        .collect();
    assert!(paths.contains(&format!("/v2/{PROJECT_ID}/apigw/instances?limit=100&offset=0")), "{paths:?}");
    assert!(paths.contains(&format!("/v2/{PROJECT_ID}/instances?limit=100&offset=0")), "{paths:?}");
}

/// IDs holding characters that need encoding in the path (`/`, space, `%`, non-ASCII) are signed by
/// the client and verified by the simulator alike: the answer is the API's 404, never a 401.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aksk_signatures_agree_on_path_parameters_that_need_encoding() {
    let ak = "SIMAK0000000000000002";
    let sk = "SIMSK000000000000000000000000000000000002";
    let sim = Simulator::start_with(&["--access-key", ak, "--secret-key", sk]);
    let call = CallContext::default();
    let creds = Credentials::AkSk { access_key: ak.into(), secret_key: sk.into(), security_token: None };
    let api = ApiClient::new(config(&sim, creds)).unwrap();
    for service in SERVICES {
        for id in ["a/b c", "50%off", "证书*(x)", "tilde~ok"] {
            let err = api.get_certificate(service, id, &call).await.unwrap_err();
            assert_eq!((err.status(), err.error_code()), (Some(404), Some("APIG.3021")), "{id:?}: {err}");
        }
    }
    let paths: Vec<String> = sim.requests()["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_string())
        .collect();
    assert!(paths.iter().any(|p| p.ends_with("/certificates/a%2Fb%20c")), "{paths:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_credentials_fetch_one_iam_token_and_reuse_it() {
    let sim = Simulator::start();
    let creds =
        Credentials::Password { user_name: USER.into(), password: PASSWORD.into(), domain_name: USER_DOMAIN.into() };
    let api = ApiClient::new(config(&sim, creds)).unwrap();
    let call = CallContext::default();
    for service in SERVICES {
        api.get_group(service, INSTANCE_ID, GROUP_ID, &call).await.unwrap();
        api.list_certificates(service, &ListCertificatesQuery::default().instance_id(INSTANCE_ID), &call)
            .await
            .unwrap();
    }
    assert_eq!(logged(&sim, "POST", "/v3/auth/tokens"), 1);

    let wrong = Credentials::Password {
        user_name: USER.into(),
        password: "not-the-password".into(),
        domain_name: USER_DOMAIN.into(),
    };
    let mut wrong_config = config(&sim, wrong);
    wrong_config.auth_url = Some(format!("{}/v3", sim.base_url()));
    let err =
        ApiClient::new(wrong_config).unwrap().get_group(Service::Apig, INSTANCE_ID, GROUP_ID, &call).await.unwrap_err();
    assert!(matches!(err, ApiError::Auth { .. }), "{err:?}");
    assert!(!err.to_string().contains("not-the-password"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injected_throttling_and_failures_are_retried() {
    let sim = Simulator::start();
    let api = client(&sim);
    let call = CallContext::default();
    sim.add_fault(json!({"status": 503, "count": 2, "method": "GET", "path": "/api-groups/"}));
    api.get_group(Service::Roma, INSTANCE_ID, GROUP_ID, &call).await.unwrap();
    assert_eq!(logged(&sim, "GET", &format!("/api-groups/{GROUP_ID}")), 3);

    sim.clear_requests();
    sim.add_fault(json!({"status": 429, "count": 1, "retry_after": 1, "method": "GET"}));
    let started = std::time::Instant::now();
    api.get_group(Service::Apig, INSTANCE_ID, GROUP_ID, &call).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(900), "Retry-After not honoured: {:?}", started.elapsed());
    assert_eq!(sim.request_count(), 2);

    // Retries give up after max_retries with the service's error.
    sim.clear_requests();
    sim.add_fault(json!({"status": 500, "count": 10, "method": "GET"}));
    let err = api.get_group(Service::Apig, INSTANCE_ID, GROUP_ID, &call).await.unwrap_err();
    assert_eq!((err.status(), err.error_code()), (Some(500), Some("APIG.9999")), "{err}");
    assert_eq!(sim.request_count(), 4);
    sim.clear_faults();

    // A dropped attach is simply sent again (re-attaching is idempotent).
    let cert = certs::valid("api.example.com", &["api.example.com"]);
    let c = api.create_certificate(Service::Apig, &instance_form("attach_cert", &cert), &call).await.unwrap();
    sim.add_fault(json!({"drop_connection": true, "count": 1, "method": "POST", "path": "/domains/attach"}));
    let b = [DomainBinding {
        domain: "api.example.com".into(),
        instance_ids: None,
        verified_client_certificate_enabled: None,
    }];
    api.attach_domains(Service::Apig, &c.id, &b, &call).await.unwrap();
    assert_eq!(logged(&sim, "POST", "/domains/attach"), 2);
    assert_eq!(api.list_all_attached_domains(Service::Apig, &c.id, None, &call).await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_duplicate_certificate_when_a_create_answer_is_dropped() {
    let sim = Simulator::start();
    let api = client(&sim);
    let call = CallContext::default();
    for service in SERVICES {
        let prefix = sim_service(service);
        let cert = certs::builder("api.example.com").sans(&["api.example.com"]).serial(90001).build();
        sim.clear_requests();
        sim.add_fault(
            json!({"drop_connection": true, "count": 1, "method": "POST", "path": format!("/{prefix}/certificates")}),
        );
        let created = api.create_certificate(service, &instance_form("dropped_cert", &cert), &call).await.unwrap();
        assert_eq!(created.serial_number, "90001");
        let stored = sim.certificates(prefix);
        assert_eq!(stored.len(), 1, "exactly one certificate: {stored:?}");
        assert_eq!(stored[0]["id"], created.id.as_str());
        assert_eq!(logged(&sim, "POST", &format!("/{prefix}/certificates")), 1, "the create was not re-sent");
        assert_eq!(dropped(&sim), 1, "the fault fired");
        assert_eq!(logged(&sim, "GET", &format!("/{prefix}/certificates")), 1, "looked up by listing");
        assert_eq!(logged(&sim, "GET", &format!("/{prefix}/certificates/{}", created.id)), 1, "and by showing");

        // The same when the create came back as a 500 after landing? A 500 fault answers
        // without carrying the request out, so the lookup finds nothing and the create is re-sent once.
        sim.clear_requests();
        sim.add_fault(json!({"status": 500, "count": 1, "method": "POST", "path": format!("/{prefix}/certificates")}));
        let other = certs::builder("www.example.com").sans(&["www.example.com"]).serial(90002).build();
        let second = api.create_certificate(service, &instance_form("second_cert", &other), &call).await.unwrap();
        assert_eq!(second.serial_number, "90002");
        assert_eq!(sim.certificates(prefix).len(), 2);
        assert_eq!(logged(&sim, "POST", &format!("/{prefix}/certificates")), 2);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_global_create_whose_answer_was_lost_is_found_through_a_gateway_and_not_resent() {
    // Listing needs an instance_id, which a global certificate does not have: the client takes a
    // gateway from the service's instance list (a list with it holds every global certificate).
    let sim = Simulator::start();
    let api = client(&sim);
    for (service, prefix) in [(Service::Apig, "/apigw"), (Service::Roma, "/apic")] {
        sim.add_fault(
            json!({"drop_connection": true, "count": 1, "method": "POST", "path": format!("{prefix}/certificates")}),
        );
        let cert = certs::valid("api.example.com", &["api.example.com"]);
        let created =
            api.create_certificate(service, &global_form("global_cert", &cert), &CallContext::default()).await.unwrap();
        let stored = sim.certificates(sim_service(service));
        assert_eq!(stored.len(), 1, "adopted, not created twice: {stored:?}");
        assert_eq!(stored[0]["id"], created.id.as_str());
        assert_eq!(stored[0]["instance_id"], "common");
    }
    assert_eq!(logged(&sim, "POST", "/apigw/certificates") + logged(&sim, "POST", "/apic/certificates"), 2);
    assert_eq!(logged(&sim, "GET", "/apigw/instances"), 1, "APIG's instance list");
    assert_eq!(logged(&sim, "GET", &format!("/v2/{PROJECT_ID}/instances")), 1, "ROMA's, outside the apic prefix");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_any_gateway_a_lost_global_create_says_what_to_do_instead_of_resending() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = dir.path().join("fixtures.json");
    std::fs::write(&fixtures, json!({"projects": [{"id": PROJECT_ID, "name": "cn-north-4"}]}).to_string()).unwrap();
    let sim = Simulator::start_with(&["--fixtures", fixtures.to_str().unwrap()]);
    let api = client(&sim);
    sim.add_fault(json!({"drop_connection": true, "count": 1, "method": "POST", "path": "/apigw/certificates"}));
    let cert = certs::valid("api.example.com", &["api.example.com"]);
    let err = api
        .create_certificate(Service::Apig, &global_form("global_cert", &cert), &CallContext::default())
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Unconfirmed { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("global_cert") && text.contains("no apig instance"), "{text}");
    assert!(text.contains("import or delete it"), "says what to do: {text}");
    assert_eq!(sim.certificates("apigw").len(), 1);
    assert_eq!(logged(&sim, "POST", "/apigw/certificates"), 1, "never re-sent blindly");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_duplicate_when_an_add_to_domain_answer_is_dropped() {
    let sim = Simulator::start();
    let api = client(&sim);
    let call = CallContext::default();
    sim.clear_requests();
    for service in SERVICES {
        let prefix = sim_service(service);
        let cert = certs::builder("www.example.com").sans(&["www.example.com"]).serial(31337).build();
        sim.add_fault(json!({"drop_connection": true, "count": 1, "method": "POST", "path": "/certificate"}));
        let form = DomainCertificateForm {
            name: "www_cert".into(),
            cert_content: cert.cert_pem.clone(),
            private_key: cert.key_pem.clone(),
            ..Default::default()
        };
        let info = api.add_domain_certificate(service, &domain(WWW_DOMAIN), &form, &call).await.unwrap();
        assert_eq!((info.id.as_str(), info.ssl_name.as_str()), (WWW_DOMAIN, "www_cert"));
        let stored = sim.certificates(prefix);
        assert_eq!(stored.len(), 1, "{stored:?}");
        assert_eq!(stored[0]["id"], info.ssl_id.as_str());
        assert_eq!(dropped(&sim), 1, "the fault fired");
        assert_eq!(logged(&sim, "POST", &format!("/domains/{WWW_DOMAIN}/certificate")), 1, "not re-sent");
        assert_eq!(logged(&sim, "GET", &format!("/api-groups/{GROUP_ID}")), 1, "looked up through the group");
        sim.clear_requests();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancellation_and_deadlines_end_slow_calls() {
    let sim = Simulator::start();
    let api = client(&sim);
    sim.add_fault(json!({"latency_ms": 30000, "method": "GET"}));
    let call = CallContext::default();
    let cancel = call.stop_token().clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        cancel.cancel();
    });
    let started = std::time::Instant::now();
    let err = api.get_group(Service::Apig, INSTANCE_ID, GROUP_ID, &call).await.unwrap_err();
    assert!(err.is_cancelled(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(15), "{:?}", started.elapsed());

    let call = CallContext::until(Default::default(), Some(tokio::time::Instant::now() + Duration::from_millis(200)));
    let err = api.get_group(Service::Roma, INSTANCE_ID, GROUP_ID, &call).await.unwrap_err();
    assert!(err.is_deadline_exceeded(), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_certificate_that_answers_404_for_a_while_is_read_again_not_given_up() {
    let sim = Simulator::start();
    sim.set_behaviour(json!({"read_lag_ms": 1500}));
    let api = client(&sim);
    let call = CallContext::default();
    let cert = certs::valid("api.example.com", &["api.example.com"]);
    let created = api.create_certificate(Service::Apig, &instance_form("lagging", &cert), &call).await.unwrap();
    // A plain read believes the 404 (that is what a refresh of an old object must do)...
    let err = api.get_certificate(Service::Apig, &created.id, &call).await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
    // ...a read after the provider's own write waits the lag out.
    let read = api.get_certificate_settled(Service::Apig, &created.id, Duration::from_secs(20), &call).await.unwrap();
    assert_eq!(read.id, created.id);
    // A certificate that really is gone still answers 404, once the settle time is up.
    let gone = "0123456789abcdef0123456789abcdef";
    let err = api.get_certificate_settled(Service::Apig, gone, Duration::from_millis(200), &call).await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_to_one_certificate_go_one_at_a_time_and_a_conflict_is_retried() {
    let sim = Simulator::start();
    // Every write keeps its certificate busy until 30 ms after its answer; the test backoff (5 ms
    // doubling, capped at 20 ms) outlasts that well within 8 retries.
    sim.set_behaviour(json!({"write_conflict_window_ms": 30}));
    let mut cfg = config(&sim, Credentials::Token(TOKEN.into()));
    cfg.retry = fast_retry(8);
    let api = ApiClient::new(cfg).expect("client");
    let call = CallContext::default();
    let cert = certs::valid("api.example.com", &["api.example.com", "www.example.com"]);
    let created = api.create_certificate(Service::Apig, &instance_form("busy", &cert), &call).await.unwrap();
    let binding = |name: &str| DomainBinding {
        domain: name.into(),
        instance_ids: Some(vec![INSTANCE_ID.into()]),
        verified_client_certificate_enabled: None,
    };
    // Two writers at once, as Terraform applies two bindings of one certificate.
    let (api_domain, www_domain) = ([binding("api.example.com")], [binding("www.example.com")]);
    let (a, b) = tokio::join!(
        api.attach_domains(Service::Apig, &created.id, &api_domain, &call),
        api.attach_domains(Service::Apig, &created.id, &www_domain, &call),
    );
    a.unwrap();
    b.unwrap();
    let bound = api.list_all_attached_domains(Service::Apig, &created.id, None, &call).await.unwrap();
    let mut names: Vec<&str> = bound.iter().map(|d| d.url_domain.as_str()).collect();
    names.sort();
    assert_eq!(names, ["api.example.com", "www.example.com"]);
    let log = sim.requests();
    let attaches: Vec<&serde_json::Value> = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"].as_str().is_some_and(|p| p.ends_with("/domains/attach")))
        .collect();
    // The client never had two writes of one certificate in flight: the second waited for the
    // first, met the API's busy window (APIG.3500) and was retried.
    let conflicts = attaches.iter().filter(|r| r["fault"].as_str().is_some_and(|f| f.contains("conflict"))).count();
    assert!(conflicts >= 1, "the second write met the busy window: {attaches:?}");
    assert_eq!(attaches.len(), 2 + conflicts, "each conflict was retried once more: {attaches:?}");
}
