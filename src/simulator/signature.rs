//! Server-side verification of the `SDK-HMAC-SHA256` AK/SK signature (apig-api.md §8.2): the
//! canonical request is rebuilt from what arrived, over the headers the client says it signed.

use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime, PrimitiveDateTime};

pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
/// Largest accepted distance between `X-Sdk-Date` and the server clock.
pub const MAX_SKEW: Duration = Duration::minutes(15);

/// The parts of `Authorization: SDK-HMAC-SHA256 Access=.., SignedHeaders=.., Signature=..`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    pub access_key: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

pub fn parse_authorization(value: &str) -> Option<Authorization> {
    let rest = value.strip_prefix(ALGORITHM)?.strip_prefix(' ')?;
    let (mut access, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "Access" => access = Some(v.to_string()),
            "SignedHeaders" => signed = Some(v.split(';').map(str::to_ascii_lowercase).collect::<Vec<_>>()),
            "Signature" => signature = Some(v.to_string()),
            _ => return None,
        }
    }
    let signed_headers = signed?;
    if signed_headers.iter().any(String::is_empty) {
        return None;
    }
    Some(Authorization { access_key: access?, signed_headers, signature: signature? })
}

/// Percent-encodes everything but `A-Z a-z 0-9 _ - ~ .`, with uppercase hex.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'~' | b'.') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// As the official SDKs build it (apig-api.md §8.2): decode the whole path, split it on `/`,
/// encode each segment, rejoin; always ends with `/`. A segment `a%2Fb` therefore counts as two.
pub fn canonical_uri(raw_path: &str) -> String {
    let decoded: Vec<u8> = percent_encoding::percent_decode_str(raw_path).collect();
    let mut uri = decoded.split(|&b| b == b'/').map(encode).collect::<Vec<_>>().join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Sorted `k=v` pairs (decoded, then re-encoded), one per value, joined by `&`.
pub fn canonical_query(raw_query: Option<&str>) -> String {
    let mut pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(raw_query.unwrap_or_default().as_bytes()).into_owned().collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k.as_bytes()), encode(v.as_bytes())))
        .collect::<Vec<_>>()
        .join("&")
}

/// `name:value\n` per signed header (multi-values sorted); None when a signed header is absent.
pub fn canonical_headers(headers: &HeaderMap, signed: &[String]) -> Option<String> {
    let mut out = String::new();
    for name in signed {
        let mut values: Vec<String> = headers
            .get_all(name.as_str())
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string())
            .collect();
        if values.is_empty() {
            return None;
        }
        values.sort();
        for v in values {
            out.push_str(name);
            out.push(':');
            out.push_str(&v);
            out.push('\n');
        }
    }
    Some(out)
}

pub fn hex_sha256(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// What a signed request looks like on arrival.
#[derive(Debug, Clone, Copy)]
pub struct Received<'a> {
    pub method: &'a str,
    pub raw_path: &'a str,
    pub raw_query: Option<&'a str>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

pub fn canonical_request(req: &Received<'_>, signed: &[String]) -> Option<String> {
    let body_hash = match req.headers.get("x-sdk-content-sha256") {
        Some(v) => String::from_utf8_lossy(v.as_bytes()).trim().to_string(),
        None => hex_sha256(req.body),
    };
    Some(format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        req.method,
        canonical_uri(req.raw_path),
        canonical_query(req.raw_query),
        canonical_headers(req.headers, signed)?,
        signed.join(";"),
        body_hash
    ))
}

pub fn string_to_sign(sdk_date: &str, canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{sdk_date}\n{}", hex_sha256(canonical_request.as_bytes()))
}

fn mac(secret: &str) -> Hmac<Sha256> {
    // HMAC accepts keys of any length; this cannot fail.
    <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| unreachable!())
}

pub fn sign(secret: &str, string_to_sign: &str) -> String {
    let mut m = mac(secret);
    m.update(string_to_sign.as_bytes());
    hex::encode(m.finalize().into_bytes())
}

/// `YYYYMMDDTHHMMSSZ`.
pub fn parse_sdk_date(s: &str) -> Option<OffsetDateTime> {
    let fmt = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    PrimitiveDateTime::parse(s, &fmt).ok().map(PrimitiveDateTime::assume_utc)
}

/// Why a signed request is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Malformed,
    UnknownAccessKey(String),
    MissingDate,
    Stale,
    BadSignature,
}

/// Verifies the request; returns the access key on success.
pub fn verify<'s>(
    req: &Received<'_>,
    authorization: &str,
    secret_of: impl Fn(&str) -> Option<&'s str>,
    now: OffsetDateTime,
) -> Result<String, Refusal> {
    let auth = parse_authorization(authorization).ok_or(Refusal::Malformed)?;
    let secret = secret_of(&auth.access_key).ok_or_else(|| Refusal::UnknownAccessKey(auth.access_key.clone()))?;
    // The date must be present and signed, or a captured request could be replayed forever.
    let date_text = req.headers.get("x-sdk-date").map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string());
    let date_text = date_text.ok_or(Refusal::MissingDate)?;
    if !auth.signed_headers.iter().any(|h| h == "x-sdk-date") {
        return Err(Refusal::MissingDate);
    }
    let date = parse_sdk_date(&date_text).ok_or(Refusal::MissingDate)?;
    if (now - date).abs() > MAX_SKEW {
        return Err(Refusal::Stale);
    }
    let canonical = canonical_request(req, &auth.signed_headers).ok_or(Refusal::BadSignature)?;
    let expected = hex::decode(auth.signature.as_bytes()).map_err(|_| Refusal::BadSignature)?;
    let mut m = mac(secret);
    m.update(string_to_sign(&date_text, &canonical).as_bytes());
    m.verify_slice(&expected).map_err(|_| Refusal::BadSignature)?;
    Ok(auth.access_key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderName, HeaderValue};
    use time::macros::datetime;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(HeaderName::from_bytes(k.as_bytes()).unwrap(), HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn authorization(ak: &str, signed: &str, sig: &str) -> String {
        format!("SDK-HMAC-SHA256 Access={ak}, SignedHeaders={signed}, Signature={sig}")
    }

    /// V1, the published example of Huawei's API request signing guide.
    #[test]
    fn published_vector_v1() {
        let h = headers(&[
            ("content-type", "application/json"),
            ("host", "service.region.example.com"),
            ("x-sdk-date", "20191115T033655Z"),
        ]);
        let req = Received {
            method: "GET",
            raw_path: "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs",
            raw_query: Some("limit=2&marker=13551d6b-755d-4757-b956-536f674975c0"),
            headers: &h,
            body: b"",
        };
        let signed: Vec<String> = ["content-type", "host", "x-sdk-date"].map(String::from).to_vec();
        let cr = canonical_request(&req, &signed).unwrap();
        assert_eq!(
            cr,
            "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\nlimit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n\
             content-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\n\
             content-type;host;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(hex_sha256(cr.as_bytes()), "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");
        let sig = "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe";
        let sk = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";
        let auth = authorization("QTWAOYTTINDUT2QVKYUC", "content-type;host;x-sdk-date", sig);
        let lookup = |ak: &str| (ak == "QTWAOYTTINDUT2QVKYUC").then_some(sk);
        let at = datetime!(2019-11-15 03:36:55 UTC);
        assert_eq!(verify(&req, &auth, lookup, at).unwrap(), "QTWAOYTTINDUT2QVKYUC");
        // Fourteen minutes later is still fine, sixteen is not.
        assert!(verify(&req, &auth, lookup, at + Duration::minutes(14)).is_ok());
        assert_eq!(verify(&req, &auth, lookup, at + Duration::minutes(16)), Err(Refusal::Stale));
        assert_eq!(verify(&req, &auth, lookup, at - Duration::minutes(16)), Err(Refusal::Stale));
        // Any change to what was signed breaks it.
        let tampered = Received { raw_query: Some("limit=3&marker=13551d6b-755d-4757-b956-536f674975c0"), ..req };
        assert_eq!(verify(&tampered, &auth, lookup, at), Err(Refusal::BadSignature));
        let wrong_sk = |_: &str| Some("not-the-secret");
        assert_eq!(verify(&req, &auth, wrong_sk, at), Err(Refusal::BadSignature));
        let nobody = |_: &str| None;
        assert_eq!(verify(&req, &auth, nobody, at), Err(Refusal::UnknownAccessKey("QTWAOYTTINDUT2QVKYUC".into())));
    }

    const AK: &str = "TESTAK0000000000";
    const SK: &str = "TESTSK0000000000000000000000000000000000";
    const PID: &str = "0123456789abcdef0123456789abcdef";

    /// Self-computed APIG-shaped vector 1 (apig-api.md §8.3): GET with a query, host signed.
    #[test]
    fn apig_vector_get_attached_domains() {
        let h = headers(&[("host", "apig.cn-north-4.myhuaweicloud.com"), ("x-sdk-date", "20240101T000000Z")]);
        let path = format!("/v2/{PID}/apigw/certificates/abcdef0123456789abcdef0123456789/attached-domains");
        let req =
            Received { method: "GET", raw_path: &path, raw_query: Some("limit=100&offset=0"), headers: &h, body: b"" };
        let auth =
            authorization(AK, "host;x-sdk-date", "90b284a742a26d137b2874c93368ee30202e3ec0c4e768f7b4faa1d7358e4e98");
        let lookup = |ak: &str| (ak == AK).then_some(SK);
        assert!(verify(&req, &auth, lookup, datetime!(2024-01-01 00:05:00 UTC)).is_ok());
        // The query order on the wire does not matter: it is canonicalised.
        let reordered = Received { raw_query: Some("offset=0&limit=100"), ..req };
        assert!(verify(&reordered, &auth, lookup, datetime!(2024-01-01 00:00:00 UTC)).is_ok());
    }

    /// Self-computed APIG-shaped vector 2: POST with a JSON body and X-Project-Id signed.
    #[test]
    fn apig_vector_post_certificate() {
        let h = headers(&[
            ("content-type", "application/json"),
            ("host", "apig.cn-north-4.myhuaweicloud.com"),
            ("x-project-id", PID),
            ("x-sdk-date", "20240101T000000Z"),
        ]);
        let path = format!("/v2/{PID}/apigw/certificates");
        let body = r#"{"name":"cert_demo","cert_content":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----","private_key":"-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----"}"#;
        let req = Received { method: "POST", raw_path: &path, raw_query: None, headers: &h, body: body.as_bytes() };
        let auth = authorization(
            AK,
            "content-type;host;x-project-id;x-sdk-date",
            "eaa8b20205897c0d9c7f7a5d259a64998a3fb690288fdbe56ebe1f22eca155b3",
        );
        let lookup = |ak: &str| (ak == AK).then_some(SK);
        let now = datetime!(2024-01-01 00:00:00 UTC);
        assert!(verify(&req, &auth, lookup, now).is_ok());
        let changed = body.replace("cert_demo", "cert_demo2");
        let req2 = Received { body: changed.as_bytes(), ..req };
        assert_eq!(verify(&req2, &auth, lookup, now), Err(Refusal::BadSignature));
    }

    /// V4/V5 from the Python SDK's signer tests.
    #[test]
    fn python_sdk_vectors() {
        let h = headers(&[
            ("host", "service.endpoint.myhuaweicloud.com"),
            ("x-sdk-date", "20200608T023900Z"),
            ("test_underscore", "TEST_VALUE"),
        ]);
        let lookup = |ak: &str| (ak == "AccessKey").then_some("SecretKey");
        let now = datetime!(2020-06-08 02:39:00 UTC);
        let get = Received { method: "GET", raw_path: "/resources", raw_query: Some("size=1"), headers: &h, body: b"" };
        let auth = authorization(
            "AccessKey",
            "host;x-sdk-date",
            "cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842",
        );
        assert!(verify(&get, &auth, lookup, now).is_ok());
        let post = Received { method: "POST", body: br#"{"name":"test","id":1}"#, ..get };
        let auth = authorization(
            "AccessKey",
            "host;x-sdk-date",
            "436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f",
        );
        assert!(verify(&post, &auth, lookup, now).is_ok());
    }

    #[test]
    fn canonical_query_vector_of_both_sdks() {
        let raw = "limit=1&enable=true&test=%E4%B8%80%20(%26%3D%3F!%23%25.*)&path=%2Ftmp%2F123&multi=3&multi=1&multi=2";
        assert_eq!(
            canonical_query(Some(raw)),
            "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29"
        );
        assert_eq!(canonical_query(None), "");
    }

    #[test]
    fn primitives() {
        assert_eq!(hex_sha256(b"body"), "230d8358dc8e8890b4c58deeb62912ee2f20357ae92a5cc861b98e68fe31acb5");
        assert_eq!(sign("abc", "abc"), "2f02e24ae2e1fe880399f27600afa88364e6062bf9bbe114b32fa8f23d03608a");
        assert_eq!(canonical_uri("/a%20b/c"), "/a%20b/c/");
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri("/c/a%2Fb%20c"), "/c/a/b%20c/");
        assert_eq!(canonical_uri("/c/%2a%7e"), "/c/%2A~/");
    }

    /// Self-computed vector (Python hashlib/hmac following §8.2): a certificate ID holding `/`
    /// and a space, sent as `a%2Fb%20c`.
    #[test]
    fn apig_vector_percent_encoded_path_parameter() {
        let h = headers(&[("host", "apig.cn-north-4.myhuaweicloud.com"), ("x-sdk-date", "20240101T000000Z")]);
        let path = format!("/v2/{PID}/apigw/certificates/a%2Fb%20c");
        let req = Received { method: "GET", raw_path: &path, raw_query: None, headers: &h, body: b"" };
        let auth =
            authorization(AK, "host;x-sdk-date", "06a6f5ea85e97140635bbea0575edd0e816ec3a74bb614e847b1957aec7e40e9");
        let lookup = |ak: &str| (ak == AK).then_some(SK);
        assert!(verify(&req, &auth, lookup, datetime!(2024-01-01 00:00:00 UTC)).is_ok());
        // The same ID sent with its `/` unencoded is another path, but signs the same way.
        let plain = format!("/v2/{PID}/apigw/certificates/a/b%20c");
        assert!(
            verify(&Received { raw_path: &plain, ..req }, &auth, lookup, datetime!(2024-01-01 00:00:00 UTC)).is_ok()
        );
    }

    #[test]
    fn unsigned_or_missing_date_is_refused() {
        let h = headers(&[("host", "h")]);
        let req = Received { method: "GET", raw_path: "/", raw_query: None, headers: &h, body: b"" };
        let lookup = |_: &str| Some("sk");
        let auth = authorization("ak", "host", "00");
        assert_eq!(verify(&req, &auth, lookup, OffsetDateTime::UNIX_EPOCH), Err(Refusal::MissingDate));
        assert_eq!(verify(&req, "Bearer x", lookup, OffsetDateTime::UNIX_EPOCH), Err(Refusal::Malformed));
        assert!(parse_authorization("SDK-HMAC-SHA256 Access=a, SignedHeaders=, Signature=b").is_none());
    }
}
