//! Auth at the simulator's front door: X-Auth-Token, AK/SK `SDK-HMAC-SHA256` (signed here by a
//! small signer of the test's own) and IAM password tokens.

use crate::support::simulator::{
    INSTANCE_ID, PASSWORD, PROJECT_ID, PROJECT_NAME, Simulator, TOKEN, USER, USER_DOMAIN, call,
};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

const AK: &str = "SIMTESTAK0000001";
const SK: &str = "SIMTESTSK000000000000000000000000000001";

fn list_path() -> String {
    format!("/v2/{PROJECT_ID}/apigw/certificates")
}

/// RFC 3986 unreserved stays, the rest is %XX (uppercase).
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// One request to sign like Huawei's SDKs do.
struct ToSign<'a> {
    method: &'a str,
    host: &'a str,
    path: &'a str,
    query: &'a [(&'a str, &'a str)],
    /// Other headers to sign (and send).
    headers: &'a [(&'a str, &'a str)],
    body: &'a str,
    date: OffsetDateTime,
    secret: &'a str,
    /// golangsdk leaves `host` out of the signed headers.
    sign_host: bool,
}

impl ToSign<'_> {
    /// The headers to add: the signed extras, `X-Sdk-Date` and `Authorization`.
    fn sign(&self) -> Vec<(String, String)> {
        let fmt = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
        let sdk_date = self.date.format(&fmt).unwrap();
        let mut signed: Vec<(String, String)> =
            self.headers.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.to_string())).collect();
        if self.sign_host {
            signed.push(("host".into(), self.host.into()));
        }
        signed.push(("x-sdk-date".into(), sdk_date.clone()));
        signed.sort();
        let mut q: Vec<_> = self.query.iter().map(|(k, v)| (enc(k), enc(v))).collect();
        q.sort();
        let canonical_query = q.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
        let mut uri = self.path.split('/').map(enc).collect::<Vec<_>>().join("/");
        if !uri.ends_with('/') {
            uri.push('/');
        }
        let canonical_headers: String = signed.iter().map(|(k, v)| format!("{k}:{}\n", v.trim())).collect();
        let names = signed.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(";");
        let request = format!(
            "{}\n{uri}\n{canonical_query}\n{canonical_headers}\n{names}\n{}",
            self.method,
            hex::encode(Sha256::digest(self.body.as_bytes()))
        );
        let to_sign = format!("SDK-HMAC-SHA256\n{sdk_date}\n{}", hex::encode(Sha256::digest(request.as_bytes())));
        let mut mac = Hmac::<Sha256>::new_from_slice(self.secret.as_bytes()).unwrap();
        mac.update(to_sign.as_bytes());
        let signature = hex::encode(mac.finalize().into_bytes());
        let mut out: Vec<(String, String)> = self.headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        out.push(("X-Sdk-Date".into(), sdk_date));
        out.push((
            "Authorization".into(),
            format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders={names}, Signature={signature}"),
        ));
        out
    }
}

async fn send(method: &str, url: &str, headers: &[(String, String)], body: Option<&str>) -> (u16, Value) {
    let client = reqwest::Client::new();
    let mut req = client.request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), url);
    for (k, v) in headers {
        req = req.header(k.as_str(), v.as_str());
    }
    if let Some(b) = body {
        req = req.body(b.to_string());
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, serde_json::from_str(&resp.text().await.unwrap()).unwrap_or(Value::Null))
}

fn sim_with_aksk() -> Simulator {
    Simulator::start_with(&["--access-key", AK, "--secret-key", SK])
}

#[tokio::test]
async fn token_refusals() {
    let sim = Simulator::start();
    let url = format!("{}{}?instance_id={INSTANCE_ID}", sim.base_url(), list_path());
    let none = call("GET", &url, None, None).await;
    assert_eq!(
        none.expect_error(401, "APIGW.0301"),
        "Incorrect IAM authentication information: x-auth-token not found"
    );
    assert!(none.json["request_id"].as_str().is_some_and(|r| Some(r) == none.header("x-request-id")));
    let bad = call("GET", &url, Some("not-a-token"), None).await;
    assert_eq!(bad.expect_error(401, "APIG.1002"), "Incorrect token or token resolution failed");
    call("GET", &url, Some(TOKEN), None).await.expect(200);
    // A refused request changes nothing.
    let body = json!({"name": "cert_demo", "cert_content": "x", "private_key": "y"});
    call("POST", &format!("{}{}", sim.base_url(), list_path()), None, Some(&body)).await.expect(401);
    assert!(sim.certificates("apigw").is_empty());
}

#[tokio::test]
async fn configured_tokens_replace_the_default() {
    let sim = Simulator::start_with(&["--token", "alpha", "--token", "beta"]);
    let url = format!("{}{}?instance_id={INSTANCE_ID}", sim.base_url(), list_path());
    call("GET", &url, Some("alpha"), None).await.expect(200);
    call("GET", &url, Some("beta"), None).await.expect(200);
    call("GET", &url, Some(TOKEN), None).await.expect_error(401, "APIG.1002");
}

#[tokio::test]
async fn aksk_signatures() {
    let sim = sim_with_aksk();
    let host = sim.addr().to_string();
    let path = list_path();
    let url = format!("{}{path}?instance_id={INSTANCE_ID}&limit=5", sim.base_url());
    let query = [("instance_id", INSTANCE_ID), ("limit", "5")];
    let now = OffsetDateTime::now_utc();

    let get = |date: OffsetDateTime, secret: &'static str| ToSign {
        method: "GET",
        host: &host,
        path: &path,
        query: &query,
        headers: &[],
        body: "",
        date,
        secret,
        sign_host: true,
    };

    // Correctly signed GET (host signed, as the official guide does).
    let (status, body) = send("GET", &url, &get(now, SK).sign(), None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["total"], 0);

    // Correctly signed POST with a JSON body, golangsdk-style: host not signed, X-Project-Id
    // added after signing.
    let cert = crate::support::certs::valid("api.example.com", &["api.example.com"]);
    let create = json!({"name": "signed_cert", "cert_content": cert.cert_pem, "private_key": cert.key_pem}).to_string();
    let post = ToSign {
        method: "POST",
        host: &host,
        path: &path,
        query: &[],
        headers: &[("Content-Type", "application/json"), ("X-Language", "en-us")],
        body: &create,
        date: now,
        secret: SK,
        sign_host: false,
    };
    let mut headers = post.sign();
    assert!(headers[3].1.contains("SignedHeaders=content-type;x-language;x-sdk-date,"), "{headers:?}");
    headers.push(("X-Project-Id".into(), PROJECT_ID.into()));
    let create_url = format!("{}{path}", sim.base_url());
    let (status, body) = send("POST", &create_url, &headers, Some(&create)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["name"], "signed_cert");

    // The same signature over a different body is refused.
    let other_body = create.replace("signed_cert", "forged_cert");
    let (status, body) = send("POST", &create_url, &headers, Some(&other_body)).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error_code"], "APIGW.0301");
    assert_eq!(body["error_msg"], "Incorrect IAM authentication information: verify aksk signature fail");

    // Wrong secret.
    let (status, body) = send("GET", &url, &get(now, "wrong-secret").sign(), None).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error_msg"], "Incorrect IAM authentication information: verify aksk signature fail");

    // X-Sdk-Date more than 15 minutes off, either way; 10 minutes is tolerated.
    for minutes in [-20, 20] {
        let (status, body) = send("GET", &url, &get(now + time::Duration::minutes(minutes), SK).sign(), None).await;
        assert_eq!(status, 401, "{body}");
        assert_eq!(body["error_code"], "APIGW.0301");
    }
    let (status, _) = send("GET", &url, &get(now - time::Duration::minutes(10), SK).sign(), None).await;
    assert_eq!(status, 200);

    // Unknown access key.
    let mut unknown = get(now, SK).sign();
    let auth = unknown.last_mut().unwrap();
    auth.1 = auth.1.replace(AK, "UNKNOWNAK");
    let (status, body) = send("GET", &url, &unknown, None).await;
    assert_eq!(status, 401);
    assert!(body["error_msg"].as_str().unwrap().contains("ak not exist"), "{body}");

    // Only the signed request landed.
    let certs = sim.certificates("apigw");
    assert_eq!(certs.len(), 1);
    assert_eq!(certs[0]["name"], "signed_cert");
}

#[tokio::test]
async fn iam_password_token_flow() {
    let sim = Simulator::start();
    let tokens_url = format!("{}/v3/auth/tokens", sim.base_url());
    let request = |password: &str, scope: Value| {
        json!({"auth": {
            "identity": {"methods": ["password"], "password": {"user": {"name": USER, "password": password, "domain": {"name": USER_DOMAIN}}}},
            "scope": scope,
        }})
    };

    let wrong =
        call("POST", &tokens_url, None, Some(&request("nope", json!({"project": {"name": PROJECT_NAME}})))).await;
    assert_eq!(wrong.status, 401, "{}", wrong.text);
    assert!(wrong.header("x-subject-token").is_none());

    let issued =
        call("POST", &tokens_url, None, Some(&request(PASSWORD, json!({"project": {"name": PROJECT_NAME}})))).await;
    let issued = issued.expect(201);
    let token = issued.header("x-subject-token").expect("X-Subject-Token").to_string();
    assert!(!token.is_empty());
    assert_eq!(issued.json["token"]["project"]["id"], PROJECT_ID);
    assert_eq!(issued.json["token"]["methods"], json!(["password"]));
    let expires = OffsetDateTime::parse(
        issued.json["token"]["expires_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let in_a_day = OffsetDateTime::now_utc() + time::Duration::hours(24);
    assert!((expires - in_a_day).abs() < time::Duration::minutes(5), "{expires}");
    assert!(!issued.text.contains(&token), "the token travels in the header only");

    // The issued token is accepted afterwards, for its project.
    let url = format!("{}{}?instance_id={INSTANCE_ID}", sim.base_url(), list_path());
    call("GET", &url, Some(&token), None).await.expect(200);
    let other_project =
        format!("{}/v2/ffffffffffffffffffffffffffffffff/apigw/certificates?instance_id={INSTANCE_ID}", sim.base_url());
    call("GET", &other_project, Some(&token), None).await.expect_error(403, "APIG.1005");

    // Scoping by project ID works too; an unknown project is refused.
    let by_id = call("POST", &tokens_url, None, Some(&request(PASSWORD, json!({"project": {"id": PROJECT_ID}})))).await;
    by_id.expect(201);
    let unknown =
        call("POST", &tokens_url, None, Some(&request(PASSWORD, json!({"project": {"name": "xx-nowhere-1"}})))).await;
    assert_eq!(unknown.status, 401);

    // Project lookup by name, as the Go provider does.
    let projects = call("GET", &format!("{}/v3/projects?name={PROJECT_NAME}", sim.base_url()), Some(&token), None)
        .await
        .expect(200);
    assert_eq!(projects.json["projects"][0]["id"], PROJECT_ID);
    call("GET", &format!("{}/v3/projects", sim.base_url()), None, None).await.expect(401);

    // Reset forgets issued tokens; the token never shows in the admin state.
    assert!(!sim.state().to_string().contains(&token));
    sim.reset();
    call("GET", &url, Some(&token), None).await.expect_error(401, "APIG.1002");
}

#[tokio::test]
async fn configured_iam_users() {
    let sim = Simulator::start_with(&["--user", "alice:s3cret:acme"]);
    let tokens_url = format!("{}/v3/auth/tokens", sim.base_url());
    let body = |user: &str, pw: &str, domain: &str| {
        json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": user, "password": pw, "domain": {"name": domain}}}},
                        "scope": {"project": {"id": PROJECT_ID}}}})
    };
    call("POST", &tokens_url, None, Some(&body("alice", "s3cret", "acme"))).await.expect(201);
    assert_eq!(call("POST", &tokens_url, None, Some(&body("alice", "s3cret", "other"))).await.status, 401);
    assert_eq!(call("POST", &tokens_url, None, Some(&body(USER, PASSWORD, USER_DOMAIN))).await.status, 401);
}
