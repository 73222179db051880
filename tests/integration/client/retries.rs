//! The retry policy seen from outside: attempt counts, Retry-After, deadlines, cancellation, and
//! creates that are never doubled when their answer is lost.

use std::time::{Duration, Instant as StdInstant};

use crate::support::client_mock::{MockServer, Reply, Step, api_path, fast_retry, test_cert};
use serde_json::json;
use terraform_provider_apig::client::models::{CertificateForm, DomainBinding, DomainCertificateForm, Service};
use terraform_provider_apig::client::{ApiClient, ApiError, CallContext, Credentials, DomainRef};
use tokio_util::sync::CancellationToken;

const CERT_ID: &str = "a27be832f2e9441c8127fe48e3b5ac67";
const OTHER_ID: &str = "b27be832f2e9441c8127fe48e3b5ac67";
const INSTANCE: &str = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0";
const GROUP: &str = "7d1e2f3a4b5c4d6e8f9a0b1c2d3e4f50";
const DOMAIN: &str = "d0000000000000000000000000000001";

fn detail(id: &str, name: &str, serial: &str, cn: &str) -> serde_json::Value {
    json!({"id": id, "name": name, "type": "instance", "instance_id": INSTANCE, "common_name": cn,
           "serial_number": serial, "san": [cn]})
}

fn listing(entries: &[(&str, &str, &str)]) -> Reply {
    let certs: Vec<_> = entries
        .iter()
        .map(|(id, name, cn)| json!({"id": id, "name": name, "type": "instance", "instance_id": INSTANCE, "common_name": cn}))
        .collect();
    Reply::Json(200, json!({"size": certs.len(), "total": certs.len(), "certs": certs}))
}

fn form(cert_pem: &str, key_pem: &str) -> CertificateForm {
    CertificateForm {
        name: "cert_demo".into(),
        cert_content: cert_pem.into(),
        private_key: key_pem.into(),
        cert_type: Some("instance".into()),
        instance_id: Some(INSTANCE.into()),
        ..Default::default()
    }
}

fn err_json(code: &str) -> serde_json::Value {
    json!({"error_code": code, "error_msg": "failure"})
}

#[tokio::test]
async fn transient_failures_are_retried_until_success() {
    let mock = MockServer::start().await;
    let cert = api_path(Service::Apig, &format!("certificates/{CERT_ID}"));
    mock.on("GET", cert.clone(), Reply::Json(503, err_json("APIG.9999")))
        .on("GET", cert.clone(), Reply::Json(502, err_json("APIG.9999")))
        .on("GET", cert.clone(), Reply::Drop)
        .on("GET", cert.clone(), Reply::Json(200, detail(CERT_ID, "n", "1", "a")));
    let got = mock.client().get_certificate(Service::Apig, CERT_ID, &CallContext::default()).await.unwrap();
    assert_eq!(got.id, CERT_ID);
    mock.verify();
    assert_eq!(mock.count("GET", &cert), 4);
}

#[tokio::test]
async fn retries_stop_at_max_retries_with_the_last_error() {
    let mock = MockServer::start().await;
    let cert = api_path(Service::Roma, &format!("certificates/{CERT_ID}"));
    for _ in 0..3 {
        mock.expect(
            Step::new("DELETE", cert.clone(), Reply::Json(500, err_json("APIG.9999"))).header("X-Request-Id", "r-500"),
        );
    }
    let mut cfg = mock.config(Credentials::Token("t".into()));
    cfg.retry = fast_retry(2);
    let err = ApiClient::new(cfg)
        .unwrap()
        .delete_certificate(Service::Roma, CERT_ID, &CallContext::default())
        .await
        .unwrap_err();
    mock.verify();
    assert_eq!(mock.count("DELETE", &cert), 3);
    assert_eq!(err.status(), Some(500));
    assert_eq!(err.request_id(), Some("r-500"));
}

#[tokio::test]
async fn zero_max_retries_sends_once() {
    let mock = MockServer::start().await;
    let cert = api_path(Service::Apig, &format!("certificates/{CERT_ID}"));
    mock.on("GET", cert.clone(), Reply::Json(429, err_json("APIG.1009")));
    let mut cfg = mock.config(Credentials::Token("t".into()));
    cfg.retry = fast_retry(0);
    let err = ApiClient::new(cfg)
        .unwrap()
        .get_certificate(Service::Apig, CERT_ID, &CallContext::default())
        .await
        .unwrap_err();
    mock.verify();
    assert_eq!(err.status(), Some(429));
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let mock = MockServer::start().await;
    let cert = api_path(Service::Apig, &format!("certificates/{CERT_ID}"));
    mock.expect(Step::new("GET", cert.clone(), Reply::Json(429, err_json("APIG.1009"))).header("Retry-After", "1")).on(
        "GET",
        cert.clone(),
        Reply::Json(200, detail(CERT_ID, "n", "1", "a")),
    );
    let started = StdInstant::now();
    mock.client().get_certificate(Service::Apig, CERT_ID, &CallContext::default()).await.unwrap();
    mock.verify();
    // The backoff alone would be ~1 ms; only Retry-After explains waiting most of a second.
    assert!(started.elapsed() >= Duration::from_millis(900), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_retry_after_past_the_deadline_returns_at_once() {
    let mock = MockServer::start().await;
    let cert = api_path(Service::Apig, &format!("certificates/{CERT_ID}"));
    mock.expect(Step::new("GET", cert.clone(), Reply::Json(503, err_json("APIG.9999"))).header("Retry-After", "4"));
    let call = CallContext::until(CancellationToken::new(), Some(tokio::time::Instant::now() + Duration::from_secs(2)));
    let started = StdInstant::now();
    let err = mock.client().get_certificate(Service::Apig, CERT_ID, &call).await.unwrap_err();
    mock.verify();
    assert!(err.is_deadline_exceeded(), "{err:?}");
    assert_eq!(err.status(), Some(503), "the last error is kept: {err}");
    assert!(started.elapsed() < Duration::from_secs(2), "slept towards the deadline: {:?}", started.elapsed());
}

#[tokio::test]
async fn a_deadline_interrupts_a_hanging_request() {
    let mock = MockServer::start().await;
    let cert = api_path(Service::Apig, &format!("certificates/{CERT_ID}"));
    mock.expect(
        Step::new("GET", cert, Reply::Json(200, detail(CERT_ID, "n", "1", "a"))).delay(Duration::from_secs(30)),
    );
    let call =
        CallContext::until(CancellationToken::new(), Some(tokio::time::Instant::now() + Duration::from_millis(100)));
    let err = mock.client().get_certificate(Service::Apig, CERT_ID, &call).await.unwrap_err();
    assert!(err.is_deadline_exceeded(), "{err:?}");
    // On a loaded machine the call may be abandoned before its request arrives.
    mock.verify_nothing_unexpected();
}

#[tokio::test]
async fn cancellation_returns_promptly_from_a_hanging_request() {
    let mock = MockServer::start().await;
    let cert = api_path(Service::Roma, &format!("certificates/{CERT_ID}"));
    mock.expect(
        Step::new("GET", cert, Reply::Json(200, detail(CERT_ID, "n", "1", "a"))).delay(Duration::from_secs(30)),
    );
    let call = CallContext::default();
    let cancel = call.stop_token().clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        cancel.cancel();
    });
    let started = StdInstant::now();
    let err = mock.client().get_certificate(Service::Roma, CERT_ID, &call).await.unwrap_err();
    assert!(err.is_cancelled(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    mock.verify_nothing_unexpected();
}

#[tokio::test]
async fn connection_refused_is_a_retried_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let mut cfg = terraform_provider_apig::client::ClientConfig::new("r", "p", Credentials::Token("t".into()));
    cfg.endpoints.apig = Some(format!("http://{addr}"));
    cfg.retry = fast_retry(2);
    let err = ApiClient::new(cfg)
        .unwrap()
        .get_certificate(Service::Apig, CERT_ID, &CallContext::default())
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Transport { before_send: true, .. }), "{err:?}");
    assert!(err.to_string().contains("/v2/p/apigw/certificates/"), "{err}");
}

#[tokio::test]
async fn attach_is_retried_after_a_server_error() {
    let mock = MockServer::start().await;
    let path = api_path(Service::Apig, &format!("certificates/{CERT_ID}/domains/attach"));
    mock.on("POST", path.clone(), Reply::Json(500, err_json("APIG.9999"))).on("POST", path.clone(), Reply::Empty(204));
    let b = [DomainBinding {
        domain: "api.example.com".into(),
        instance_ids: None,
        verified_client_certificate_enabled: None,
    }];
    mock.client().attach_domains(Service::Apig, CERT_ID, &b, &CallContext::default()).await.unwrap();
    mock.verify();
    let reqs = mock.requests();
    assert_eq!(reqs[0].body, reqs[1].body);
}

/// The first create lands but its answer is lost: the client finds the certificate by name and
/// serial number and adopts it instead of creating a duplicate.
#[tokio::test]
async fn a_create_whose_answer_is_lost_is_adopted_not_repeated() {
    for first_failure in [Reply::Drop, Reply::Json(500, err_json("APIG.9999")), Reply::Json(504, err_json("x"))] {
        let (pem, key) = test_cert(0x32D2, "api.example.com");
        let mock = MockServer::start().await;
        let certs = api_path(Service::Apig, "certificates");
        mock.on("POST", certs.clone(), first_failure)
            .on(
                "GET",
                certs.clone(),
                listing(&[(OTHER_ID, "cert_demo", "other.example.com"), (CERT_ID, "cert_demo", "api.example.com")]),
            )
            .on(
                "GET",
                api_path(Service::Apig, &format!("certificates/{CERT_ID}")),
                Reply::Json(200, detail(CERT_ID, "cert_demo", "13010", "api.example.com")),
            );
        let got =
            mock.client().create_certificate(Service::Apig, &form(&pem, &key), &CallContext::default()).await.unwrap();
        mock.verify();
        assert_eq!(got.id, CERT_ID);
        assert_eq!(mock.count("POST", &certs), 1);
        let list = &mock.requests()[1];
        assert_eq!(
            list.query.as_deref(),
            Some(format!("instance_id={INSTANCE}&limit=100&name=cert_demo&offset=0").as_str())
        );
    }
}

#[tokio::test]
async fn a_create_that_did_not_land_is_sent_again() {
    let (pem, key) = test_cert(7, "api.example.com");
    let mock = MockServer::start().await;
    let certs = api_path(Service::Roma, "certificates");
    mock.on("POST", certs.clone(), Reply::Json(502, err_json("APIG.9999")))
        // A same-named certificate with another serial is someone else's: not adopted.
        .on("GET", certs.clone(), listing(&[(OTHER_ID, "cert_demo", "api.example.com")]))
        .on(
            "GET",
            api_path(Service::Roma, &format!("certificates/{OTHER_ID}")),
            Reply::Json(200, detail(OTHER_ID, "cert_demo", "8", "api.example.com")),
        )
        .on("POST", certs.clone(), Reply::Json(200, detail(CERT_ID, "cert_demo", "7", "api.example.com")));
    let got =
        mock.client().create_certificate(Service::Roma, &form(&pem, &key), &CallContext::default()).await.unwrap();
    mock.verify();
    assert_eq!(got.id, CERT_ID);
    assert_eq!(mock.count("POST", &certs), 2);
}

#[tokio::test]
async fn a_throttled_create_is_resent_without_a_lookup() {
    let (pem, key) = test_cert(7, "api.example.com");
    let mock = MockServer::start().await;
    let certs = api_path(Service::Apig, "certificates");
    mock.on("POST", certs.clone(), Reply::Json(429, err_json("APIG.1009"))).on(
        "POST",
        certs.clone(),
        Reply::Json(200, detail(CERT_ID, "cert_demo", "7", "api.example.com")),
    );
    mock.client().create_certificate(Service::Apig, &form(&pem, &key), &CallContext::default()).await.unwrap();
    mock.verify();
}

#[tokio::test]
async fn when_the_lookup_fails_the_create_is_not_resent() {
    let (pem, key) = test_cert(7, "api.example.com");
    let mock = MockServer::start().await;
    let certs = api_path(Service::Apig, "certificates");
    mock.on("POST", certs.clone(), Reply::Json(500, err_json("APIG.9999"))).on(
        "GET",
        certs.clone(),
        Reply::Json(403, err_json("APIG.1005")),
    );
    let err =
        mock.client().create_certificate(Service::Apig, &form(&pem, &key), &CallContext::default()).await.unwrap_err();
    mock.verify();
    assert!(matches!(err, ApiError::Unconfirmed { .. }), "{err:?}");
    assert_eq!(err.status(), Some(500), "the create's own error is reported: {err}");
    assert!(err.to_string().contains("may or may not have succeeded"), "{err}");
    assert!(err.to_string().contains("APIG.1005"), "{err}");
    assert_eq!(mock.count("POST", &certs), 1);
}

#[tokio::test]
async fn a_create_with_unparsable_content_is_not_resent_after_an_ambiguous_failure() {
    let mock = MockServer::start().await;
    let certs = api_path(Service::Apig, "certificates");
    mock.on("POST", certs.clone(), Reply::Drop);
    let err = mock
        .client()
        .create_certificate(Service::Apig, &form("not a pem", "k"), &CallContext::default())
        .await
        .unwrap_err();
    mock.verify();
    assert!(
        matches!(&err, ApiError::Unconfirmed { cause, .. } if matches!(**cause, ApiError::Transport { before_send: false, .. })),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_add_to_domain_whose_answer_is_lost_is_adopted() {
    for service in [Service::Apig, Service::Roma] {
        let (pem, key) = test_cert(99, "api.example.com");
        let mock = MockServer::start().await;
        let domain_base = format!("instances/{INSTANCE}/api-groups/{GROUP}/domains/{DOMAIN}");
        let add = api_path(service, &format!("{domain_base}/certificate"));
        // ROMA may omit ssl_infos: then ssl_id/ssl_name of the domain are used.
        let ssl_infos = if service == Service::Apig {
            json!([{"ssl_id": OTHER_ID, "ssl_name": "ecc_cert", "algorithm_type": "ECC", "type": 1},
                   {"ssl_id": CERT_ID, "ssl_name": "cert_demo", "algorithm_type": "RSA", "type": 1}])
        } else {
            serde_json::Value::Null
        };
        let group = json!({"id": GROUP, "name": "demo_group", "url_domains": [
            {"id": "d0000000000000000000000000000002", "domain": "www.example.com"},
            {"id": DOMAIN, "domain": "api.example.com", "cname_status": 3, "ssl_id": CERT_ID, "ssl_name": "cert_demo",
             "min_ssl_version": "TLSv1.2", "ssl_infos": ssl_infos}
        ]});
        mock.on("POST", add.clone(), Reply::Drop)
            .on("GET", api_path(service, &format!("instances/{INSTANCE}/api-groups/{GROUP}")), Reply::Json(200, group))
            .on(
                "GET",
                api_path(service, &format!("{domain_base}/certificate/{CERT_ID}")),
                Reply::Json(200, detail(CERT_ID, "cert_demo", "99", "api.example.com")),
            );
        let dform = DomainCertificateForm {
            name: "cert_demo".into(),
            cert_content: pem,
            private_key: key,
            ..Default::default()
        };
        let domain = DomainRef::new(INSTANCE, GROUP, DOMAIN);
        let info =
            mock.client().add_domain_certificate(service, &domain, &dform, &CallContext::default()).await.unwrap();
        mock.verify();
        assert_eq!(mock.count("POST", &add), 1);
        assert_eq!(
            (info.id.as_str(), info.ssl_id.as_str(), info.url_domain.as_str()),
            (DOMAIN, CERT_ID, "api.example.com")
        );
        assert_eq!(info.api_group_name.as_deref(), Some("demo_group"));
        assert_eq!(info.min_ssl_version, "TLSv1.2");
    }
}

#[tokio::test]
async fn an_add_to_domain_that_did_not_land_is_sent_again() {
    let (pem, key) = test_cert(99, "api.example.com");
    let mock = MockServer::start().await;
    let domain_base = format!("instances/{INSTANCE}/api-groups/{GROUP}/domains/{DOMAIN}");
    let add = api_path(Service::Apig, &format!("{domain_base}/certificate"));
    let group =
        json!({"id": GROUP, "name": "demo_group", "url_domains": [{"id": DOMAIN, "domain": "api.example.com"}]});
    let added =
        json!({"id": DOMAIN, "url_domain": "api.example.com", "ssl_id": CERT_ID, "ssl_name": "cert_demo", "status": 3});
    mock.on("POST", add.clone(), Reply::Json(503, err_json("APIG.9999")))
        .on(
            "GET",
            api_path(Service::Apig, &format!("instances/{INSTANCE}/api-groups/{GROUP}")),
            Reply::Json(200, group),
        )
        .on("POST", add.clone(), Reply::Json(201, added));
    let dform =
        DomainCertificateForm { name: "cert_demo".into(), cert_content: pem, private_key: key, ..Default::default() };
    let info = mock
        .client()
        .add_domain_certificate(
            Service::Apig,
            &DomainRef::new(INSTANCE, GROUP, DOMAIN),
            &dform,
            &CallContext::default(),
        )
        .await
        .unwrap();
    mock.verify();
    assert_eq!(info.ssl_id, CERT_ID);
    assert_eq!(mock.count("POST", &add), 2);
}
