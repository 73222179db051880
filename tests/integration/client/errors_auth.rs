//! Error mapping (status, error code, X-Request-Id, 404, undecodable answers) and the three ways
//! of authenticating (token, AK/SK signature, IAM password token with caching) against a
//! scripted server.

use std::sync::Arc;
use std::time::Duration;

use crate::support::client_mock::{MockServer, PID, Reply, Step, api_path};
use serde_json::json;
use terraform_provider_apig::client::models::Service;
use terraform_provider_apig::client::signer;
use terraform_provider_apig::client::{ApiClient, ApiError, CallContext, Credentials};

const CERT_ID: &str = "a27be832f2e9441c8127fe48e3b5ac67";

fn detail() -> serde_json::Value {
    json!({"id": CERT_ID, "name": "cert_demo", "type": "global", "instance_id": "common"})
}

#[tokio::test]
async fn service_errors_keep_status_code_message_request_id_and_call() {
    let mock = MockServer::start().await;
    let path = api_path(Service::Apig, "certificates");
    mock.expect(
        Step::new(
            "POST",
            path.clone(),
            Reply::Json(
                400,
                json!({"error_code": "APIG.2101", "error_msg": "Certificate and private key do not match"}),
            ),
        )
        .header("X-Request-Id", "6f1c0a0e2b6a4c3f"),
    );
    let form = terraform_provider_apig::client::models::CertificateForm {
        name: "cert_demo".into(),
        cert_content: "x".into(),
        private_key: "-----BEGIN PRIVATE KEY-----\nSECRETKEYMATERIAL\n-----END PRIVATE KEY-----".into(),
        ..Default::default()
    };
    let err = mock.client().create_certificate(Service::Apig, &form, &CallContext::default()).await.unwrap_err();
    mock.verify();
    assert_eq!(mock.requests().len(), 1, "a 400 is not retried");
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.error_code(), Some("APIG.2101"));
    assert_eq!(err.request_id(), Some("6f1c0a0e2b6a4c3f"));
    assert!(!err.is_not_found());
    let msg = err.to_string();
    assert_eq!(
        msg,
        format!(
            "APIG.2101 (HTTP 400): Certificate and private key do not match [request id 6f1c0a0e2b6a4c3f] (POST {path})"
        )
    );
    assert!(!format!("{err:?}").contains("SECRETKEYMATERIAL"));
}

#[tokio::test]
async fn not_found_and_other_4xx() {
    let mock = MockServer::start().await;
    let cert = api_path(Service::Roma, &format!("certificates/{CERT_ID}"));
    mock.on("GET", cert.clone(), Reply::Json(404, json!({"error_code": "APIG.3021", "error_msg": "The SSL certificate does not exist."})))
        .on("DELETE", cert.clone(), Reply::Json(404, json!({"error_code": "APIG.3021", "error_msg": "gone"})))
        .on("GET", cert.clone(), Reply::Json(403, json!({"error_code": "APIG.1005", "error_msg": "No permissions to request this method"})))
        .on("GET", cert, Reply::Json(401, json!({"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information: x-auth-token not found", "request_id": "r-in-body"})));
    let client = mock.client();
    let call = CallContext::default();
    let e = client.get_certificate(Service::Roma, CERT_ID, &call).await.unwrap_err();
    assert!(e.is_not_found());
    assert_eq!(e.error_code(), Some("APIG.3021"));
    // Deleting what is already gone is success: the end state is what was asked for.
    client.delete_certificate(Service::Roma, CERT_ID, &call).await.unwrap();
    let e = client.get_certificate(Service::Roma, CERT_ID, &call).await.unwrap_err();
    assert_eq!(e.status(), Some(403));
    assert!(!e.is_not_found());
    let e = client.get_certificate(Service::Roma, CERT_ID, &call).await.unwrap_err();
    assert_eq!(e.status(), Some(401));
    assert_eq!(e.request_id(), Some("r-in-body"));
    assert!(e.hint().contains("credentials"));
    mock.verify();
    assert_eq!(mock.requests().len(), 4, "4xx are not retried");
}

#[tokio::test]
async fn undecodable_success_and_non_json_errors() {
    let mock = MockServer::start().await;
    let cert = api_path(Service::Apig, &format!("certificates/{CERT_ID}"));
    mock.on("GET", cert.clone(), Reply::Text(200, "<html>portal login</html>".into()))
        .on("GET", cert.clone(), Reply::Json(200, json!({"name": "no id"})))
        .on("GET", cert, Reply::Text(409, "conflict, plain text".into()));
    let client = mock.client();
    let call = CallContext::default();
    let e = client.get_certificate(Service::Apig, CERT_ID, &call).await.unwrap_err();
    assert!(matches!(e, ApiError::Decode { .. }), "{e:?}");
    let e = client.get_certificate(Service::Apig, CERT_ID, &call).await.unwrap_err();
    assert!(matches!(&e, ApiError::Decode { message, .. } if message.contains("id")), "{e:?}");
    let e = client.get_certificate(Service::Apig, CERT_ID, &call).await.unwrap_err();
    assert_eq!(e.status(), Some(409));
    assert_eq!(e.error_code(), None);
    assert!(e.to_string().contains("conflict, plain text"), "{e}");
    mock.verify();
}

#[tokio::test]
#[should_panic(expected = "unexpected request GET")]
async fn the_mock_fails_loudly_on_unexpected_requests() {
    let mock = MockServer::start().await;
    let r = mock.client().get_certificate(Service::Apig, CERT_ID, &CallContext::default()).await;
    assert_eq!(r.unwrap_err().error_code(), Some("MOCK.UNEXPECTED"));
    mock.verify();
}

#[tokio::test]
async fn aksk_requests_carry_a_verifiable_signature() {
    let mock = MockServer::start().await;
    let list = api_path(Service::Apig, "certificates");
    mock.on("GET", list.clone(), Reply::Json(200, json!({"size": 0, "total": 0, "certs": []}))).on(
        "POST",
        list,
        Reply::Json(200, detail()),
    );
    let creds = Credentials::AkSk {
        access_key: "TESTAK0000000000".into(),
        secret_key: "TESTSK0000000000000000000000000000000000".into(),
        security_token: Some("sts-token-value".into()),
    };
    let client = ApiClient::new(mock.config(creds)).unwrap();
    let call = CallContext::default();
    let q = terraform_provider_apig::client::ListCertificatesQuery::default().name("a b").limit(5);
    client.list_certificates(Service::Apig, &q, &call).await.unwrap();
    let form = terraform_provider_apig::client::models::CertificateForm {
        name: "cert_demo".into(),
        cert_content: "c".into(),
        private_key: "k".into(),
        ..Default::default()
    };
    client.create_certificate(Service::Apig, &form, &call).await.unwrap();
    mock.verify();

    for r in mock.requests() {
        assert!(r.header("x-auth-token").is_none());
        assert_eq!(r.header("x-project-id"), Some(PID));
        assert_eq!(r.header("x-security-token"), Some("sts-token-value"));
        let date = r.header("x-sdk-date").expect("x-sdk-date");
        assert_eq!(date.len(), 16, "{date}");
        assert!(date.ends_with('Z') && date.as_bytes()[8] == b'T', "{date}");
        let auth = r.header("authorization").expect("authorization");
        let signed_headers = auth
            .split(", ")
            .find_map(|p| p.strip_prefix("SignedHeaders="))
            .or_else(|| auth.split(' ').find_map(|p| p.strip_prefix("SignedHeaders=")))
            .expect("SignedHeaders")
            .trim_end_matches(',')
            .to_string();
        for must in ["host", "x-project-id", "x-sdk-date", "x-security-token"] {
            assert!(signed_headers.split(';').any(|h| h == must), "{must} not signed: {signed_headers}");
        }
        // Re-sign what the server received with the headers the client says it signed.
        let headers: Vec<(String, String)> = signed_headers
            .split(';')
            .map(|name| (name.to_string(), r.header(name).unwrap_or_else(|| panic!("{name} missing")).to_string()))
            .collect();
        let header_refs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let url = url::Url::parse(&format!(
            "{}{}{}",
            mock.base_url,
            r.path,
            r.query.as_deref().map(|q| format!("?{q}")).unwrap_or_default()
        ))
        .unwrap();
        let sig = signer::sign(
            &r.method,
            &url,
            &header_refs,
            &r.body,
            "",
            "TESTAK0000000000",
            "TESTSK0000000000000000000000000000000000",
        );
        assert_eq!(auth, sig.authorization, "{} {}", r.method, r.path);
        assert!(auth.starts_with("SDK-HMAC-SHA256 Access=TESTAK0000000000, SignedHeaders="));
    }
    assert_eq!(mock.requests()[0].query.as_deref(), Some("limit=5&name=a%20b"));
}

fn token_reply(token: &str, expires_at: &str) -> Step {
    Step::new(
        "POST",
        "/v3/auth/tokens",
        Reply::Json(
            201,
            json!({"token": {"expires_at": expires_at, "issued_at": "2024-01-01T00:00:00.000000Z",
                                         "methods": ["password"], "project": {"id": PID, "name": "cn-north-4"}}}),
        ),
    )
    .header("X-Subject-Token", token)
}

fn far_future() -> String {
    let t = time::OffsetDateTime::now_utc() + time::Duration::hours(24);
    t.format(&time::format_description::well_known::Rfc3339).unwrap()
}

fn password_creds() -> Credentials {
    Credentials::Password { user_name: "alice".into(), password: "pw-secret".into(), domain_name: "acme".into() }
}

#[tokio::test]
async fn password_token_is_fetched_once_and_reused() {
    let mock = MockServer::start().await;
    let cert = api_path(Service::Apig, &format!("certificates/{CERT_ID}"));
    mock.expect(token_reply("iam-token-1", &far_future()));
    for _ in 0..3 {
        mock.on("GET", cert.clone(), Reply::Json(200, detail()));
    }
    let client = ApiClient::new(mock.config(password_creds())).unwrap();
    for _ in 0..3 {
        client.get_certificate(Service::Apig, CERT_ID, &CallContext::default()).await.unwrap();
    }
    mock.verify();
    let reqs = mock.requests();
    assert_eq!(
        reqs[0].json(),
        json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "alice", "password": "pw-secret", "domain": {"name": "acme"}}}},
                        "scope": {"project": {"id": PID}}}})
    );
    assert!(reqs[0].header("content-type").unwrap().starts_with("application/json"));
    for r in &reqs[1..] {
        assert_eq!(r.header("x-auth-token"), Some("iam-token-1"));
    }
}

#[tokio::test]
async fn concurrent_callers_share_one_token_fetch() {
    let mock = MockServer::start().await;
    let cert = api_path(Service::Apig, &format!("certificates/{CERT_ID}"));
    mock.expect(token_reply("shared-token", &far_future()).delay(Duration::from_millis(100)));
    for _ in 0..8 {
        mock.on("GET", cert.clone(), Reply::Json(200, detail()));
    }
    let client = Arc::new(ApiClient::new(mock.config(password_creds())).unwrap());
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.get_certificate(Service::Apig, CERT_ID, &CallContext::default()).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    mock.verify();
    assert_eq!(mock.count("POST", "/v3/auth/tokens"), 1);
    assert!(mock.requests()[1..].iter().all(|r| r.header("x-auth-token") == Some("shared-token")));
}

#[tokio::test]
async fn an_expiring_token_is_renewed_and_a_rejected_one_refetched() {
    let mock = MockServer::start().await;
    let cert = api_path(Service::Roma, &format!("certificates/{CERT_ID}"));
    // Already inside the renewal margin: the next call fetches a new one.
    let soon = (time::OffsetDateTime::now_utc() + time::Duration::seconds(1))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    mock.expect(token_reply("t1", &soon))
        .on("GET", cert.clone(), Reply::Json(200, detail()))
        .expect(token_reply("t2", &far_future()))
        .on("GET", cert.clone(), Reply::Json(200, detail()))
        // The service rejects t2 (revoked): the client drops it, fetches t3 and repeats the call.
        .on("GET", cert.clone(), Reply::Json(401, json!({"error_code": "APIG.1002", "error_msg": "Incorrect token"})))
        .expect(token_reply("t3", &far_future()))
        .on("GET", cert, Reply::Json(200, detail()));
    let mut cfg = mock.config(password_creds());
    cfg.token_renew_margin = Duration::from_secs(300);
    let client = ApiClient::new(cfg).unwrap();
    let call = CallContext::default();
    client.get_certificate(Service::Roma, CERT_ID, &call).await.unwrap();
    tokio::time::sleep(Duration::from_millis(600)).await;
    client.get_certificate(Service::Roma, CERT_ID, &call).await.unwrap();
    client.get_certificate(Service::Roma, CERT_ID, &call).await.unwrap();
    mock.verify();
    let tokens: Vec<_> = mock
        .requests()
        .iter()
        .filter(|r| r.method == "GET")
        .map(|r| r.header("x-auth-token").unwrap().to_string())
        .collect();
    assert_eq!(tokens, ["t1", "t2", "t2", "t3"]);
}

#[tokio::test]
async fn iam_refusal_is_an_auth_error_without_the_password() {
    let mock = MockServer::start().await;
    mock.expect(
        Step::new(
            "POST",
            "/v3/auth/tokens",
            Reply::Json(401, json!({"error": {"code": 401, "message": "The username or password is wrong.", "title": "Unauthorized"}})),
        )
        .header("X-Request-Id", "iam-req-1"),
    );
    let client = ApiClient::new(mock.config(password_creds())).unwrap();
    let e = client.get_certificate(Service::Apig, CERT_ID, &CallContext::default()).await.unwrap_err();
    mock.verify();
    assert!(matches!(e, ApiError::Auth { .. }), "{e:?}");
    assert_eq!(e.status(), Some(401));
    assert_eq!(e.request_id(), Some("iam-req-1"));
    assert!(!e.to_string().contains("pw-secret"));
    assert!(!format!("{e:?}").contains("pw-secret"));
}

#[tokio::test]
async fn iam_answer_without_subject_token_is_an_auth_error() {
    let mock = MockServer::start().await;
    mock.on("POST", "/v3/auth/tokens", Reply::Json(201, json!({"token": {"expires_at": far_future()}})));
    let client = ApiClient::new(mock.config(password_creds())).unwrap();
    let e = client.get_certificate(Service::Apig, CERT_ID, &CallContext::default()).await.unwrap_err();
    mock.verify();
    assert!(matches!(&e, ApiError::Auth { message, .. } if message.contains("X-Subject-Token")), "{e:?}");
}
