//! AK/SK request signing, algorithm `SDK-HMAC-SHA256` (apig-api.md §8.2). A pure function of
//! (method, URL, headers, body, date, credentials), so the published vectors (§8.3) are testable.

use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, percent_encode, utf8_percent_encode};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::macros::format_description;

pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
pub const HEADER_SDK_DATE: &str = "X-Sdk-Date";
/// When present, its value replaces the body hash (the SDKs use `UNSIGNED-PAYLOAD`).
pub const HEADER_CONTENT_SHA256: &str = "X-Sdk-Content-Sha256";

/// Everything but `A–Z a–z 0–9 _ - ~ .` is percent-encoded (uppercase hex), in paths and queries.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'_').remove(b'-').remove(b'~').remove(b'.');

/// Percent-encodes one path segment, query key or query value the way the signature expects.
/// The client builds its URLs with this too, so what is sent is already canonical.
pub fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED).to_string()
}

/// `X-Sdk-Date` format: UTC `YYYYMMDDTHHMMSSZ`.
pub fn format_sdk_date(t: OffsetDateTime) -> String {
    let fmt = format_description!("[year][month][day]T[hour][minute][second]Z");
    t.to_offset(time::UtcOffset::UTC).format(&fmt).unwrap_or_default()
}

/// The signature and the intermediate strings (kept for tests and for debugging mismatches).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub canonical_request: String,
    pub string_to_sign: String,
    /// Lowercase header names, sorted, `;`-joined.
    pub signed_headers: String,
    /// Hex HMAC-SHA256.
    pub signature: String,
    /// The `X-Sdk-Date` used (from the headers when present, else the `date` argument).
    pub sdk_date: String,
    /// `true` when `X-Sdk-Date` was not among the headers and must be sent with this value.
    pub date_added: bool,
    /// Value of the `Authorization` header.
    pub authorization: String,
}

/// Signs a request. `headers` are the headers to sign (include `Host` to sign the host, as the
/// official guide does); names containing `_` are skipped, as every SDK does. `date` is used as
/// `X-Sdk-Date` when the headers have none (then it is signed, and must be sent).
pub fn sign(
    method: &str,
    url: &url::Url,
    headers: &[(&str, &str)],
    body: &[u8],
    date: &str,
    access_key: &str,
    secret_key: &str,
) -> Signature {
    let mut signed: Vec<(String, String)> = headers
        .iter()
        .filter(|(name, _)| !name.contains('_'))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    let existing_date = signed.iter().find(|(n, _)| n == "x-sdk-date").map(|(_, v)| v.clone());
    let date_added = existing_date.is_none();
    let sdk_date = existing_date.unwrap_or_else(|| date.to_string());
    if date_added {
        signed.push(("x-sdk-date".to_string(), sdk_date.clone()));
    }
    // Sort by name, then value: repeated headers give one line per value, values sorted.
    signed.sort();

    let mut names: Vec<&str> = signed.iter().map(|(n, _)| n.as_str()).collect();
    names.dedup();
    let signed_headers = names.join(";");

    let canonical_headers: String = signed.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let payload_hash = signed
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(HEADER_CONTENT_SHA256))
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| hex::encode(Sha256::digest(body)));

    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        method.to_ascii_uppercase(),
        canonical_uri(url.path()),
        canonical_query(url),
        canonical_headers,
        signed_headers,
        payload_hash
    );
    let string_to_sign =
        format!("{ALGORITHM}\n{sdk_date}\n{}", hex::encode(Sha256::digest(canonical_request.as_bytes())));
    let signature = hmac_sha256_hex(secret_key.as_bytes(), string_to_sign.as_bytes());
    let authorization =
        format!("{ALGORITHM} Access={access_key}, SignedHeaders={signed_headers}, Signature={signature}");
    Signature { canonical_request, string_to_sign, signed_headers, signature, sdk_date, date_added, authorization }
}

/// Hex HMAC-SHA256 (no key derivation: the key is the secret key's bytes).
pub fn hmac_sha256_hex(key: &[u8], msg: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes any key"));
    mac.update(msg);
    hex::encode(mac.finalize().into_bytes())
}

/// The official SDKs' canonical URI (apig-api.md §8.2): the path is decoded first, then split on
/// `/`, each segment percent-encoded, rejoined, and a trailing `/` appended. So a path parameter
/// sent as `a%2Fb` signs as `a/b`, exactly as the SDKs (and the service) see it.
pub fn canonical_uri(path: &str) -> String {
    let decoded: Vec<u8> = percent_decode_str(path).collect();
    let mut out: String = decoded
        .split(|&b| b == b'/')
        .map(|seg| percent_encode(seg, UNRESERVED).to_string())
        .collect::<Vec<_>>()
        .join("/");
    if !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// Keys sorted (then values), each key and value encoded, `k=v` joined by `&`.
pub fn canonical_query(url: &url::Url) -> String {
    canonical_query_pairs(url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())))
}

/// [`canonical_query`] over decoded pairs; also how the client renders the query it sends.
pub fn canonical_query_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> String {
    let mut pairs: Vec<(String, String)> = pairs.into_iter().collect();
    pairs.sort();
    pairs.iter().map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v))).collect::<Vec<_>>().join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn url(s: &str) -> url::Url {
        url::Url::parse(s).unwrap()
    }

    /// V1: Huawei "API Request Signing Guide".
    #[test]
    fn vector_v1_signing_guide() {
        let u = url(
            "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
        );
        let headers = [
            ("Content-Type", "application/json"),
            ("Host", "service.region.example.com"),
            ("X-Sdk-Date", "20191115T033655Z"),
        ];
        let s = sign(
            "GET",
            &u,
            &headers,
            b"",
            "ignored",
            "QTWAOYTTINDUT2QVKYUC",
            "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
        );
        let want_cr = "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\n\
            limit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n\
            content-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\n\
            content-type;host;x-sdk-date\n\
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(s.canonical_request, want_cr);
        assert_eq!(
            hex::encode(Sha256::digest(s.canonical_request.as_bytes())),
            "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
        );
        assert_eq!(s.signature, "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
        assert!(!s.date_added);
        assert_eq!(
            s.authorization,
            "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, \
             Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
        );
    }

    /// V2: Go SDK v3 signer test, GET. The Go SDK does not sign the host; `TEST_UNDERSCORE` is
    /// skipped because of its underscore.
    #[test]
    fn vector_v2_go_sdk_get() {
        let u = url("https://example.huaweicloud.com/path?limit=1");
        let headers = [("X-Sdk-Date", "20060102T150405Z"), ("TEST_UNDERSCORE", "TEST_VALUE")];
        let s = sign("GET", &u, &headers, b"", "", "AccessKey", "SecretKey");
        assert_eq!(
            s.canonical_request,
            format!("GET\n/path/\nlimit=1\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\n{EMPTY_SHA256}")
        );
        assert_eq!(
            hex::encode(Sha256::digest(s.canonical_request.as_bytes())),
            "85c3b7730f308aee452b16138a42a914397e43a8f0d732dfa521c0ef2afa98a4"
        );
        assert_eq!(s.signed_headers, "x-sdk-date");
        assert_eq!(s.signature, "5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624");
    }

    /// V3: Go SDK v3, POST with the Go JSON encoder's trailing newline. The Go SDK also leaves
    /// `Content-Type` unsigned, so the test passes the headers that SDK signs.
    #[test]
    fn vector_v3_go_sdk_post() {
        let u = url("https://example.huaweicloud.com/path?key=value");
        let headers = [("X-Sdk-Date", "20060102T150405Z"), ("TEST_UNDERSCORE", "TEST_VALUE")];
        let s = sign("POST", &u, &headers, b"{\"Name\":\"test\",\"Id\":1}\n", "", "AccessKey", "SecretKey");
        assert_eq!(s.signature, "cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59");
        let without_newline = sign("POST", &u, &headers, b"{\"Name\":\"test\",\"Id\":1}", "", "AccessKey", "SecretKey");
        assert!(without_newline.signature.starts_with("83599e52"), "{}", without_newline.signature);
    }

    /// V4: Python SDK v3 signer test, GET, host signed.
    #[test]
    fn vector_v4_python_sdk_get() {
        let u = url("https://service.endpoint.myhuaweicloud.com/resources?size=1");
        let headers = [
            ("Host", "service.endpoint.myhuaweicloud.com"),
            ("X-Sdk-Date", "20200608T023900Z"),
            ("TEST_UNDERSCORE", "TEST_VALUE"),
        ];
        let s = sign("GET", &u, &headers, b"", "", "AccessKey", "SecretKey");
        assert_eq!(
            s.canonical_request,
            format!(
                "GET\n/resources/\nsize=1\nhost:service.endpoint.myhuaweicloud.com\nx-sdk-date:20200608T023900Z\n\n\
                 host;x-sdk-date\n{EMPTY_SHA256}"
            )
        );
        assert_eq!(
            hex::encode(Sha256::digest(s.canonical_request.as_bytes())),
            "de94dd1e1ccdb730b403ce35d7e14f7c7b04337f6def1c3a3a2ba936852b133f"
        );
        assert_eq!(s.signature, "cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842");
    }

    /// V5: Python SDK v3, POST.
    #[test]
    fn vector_v5_python_sdk_post() {
        let u = url("https://service.endpoint.myhuaweicloud.com/resources?size=1");
        let headers = [
            ("Host", "service.endpoint.myhuaweicloud.com"),
            ("X-Sdk-Date", "20200608T023900Z"),
            ("TEST_UNDERSCORE", "TEST_VALUE"),
        ];
        let body = br#"{"name":"test","id":1}"#;
        assert_eq!(
            hex::encode(Sha256::digest(body)),
            "8ed555081b9961769014bc1182c629bb0fe68d7b01c1fc1caab4dc791f377e8c"
        );
        let s = sign("POST", &u, &headers, body, "", "AccessKey", "SecretKey");
        assert!(s.canonical_request.ends_with("8ed555081b9961769014bc1182c629bb0fe68d7b01c1fc1caab4dc791f377e8c"));
        assert_eq!(s.signature, "436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f");
    }

    #[test]
    fn canonical_query_vector_of_both_sdks() {
        let pairs = [
            ("limit", "1"),
            ("enable", "true"),
            ("test", "一 (&=?!#%.*)"),
            ("path", "/tmp/123"),
            ("multi", "3"),
            ("multi", "1"),
            ("multi", "2"),
        ];
        let want = "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29";
        let rendered = canonical_query_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        assert_eq!(rendered, want);
        // The same through a URL whose query carries them encoded.
        let u = url(&format!("https://h/p?{rendered}"));
        assert_eq!(canonical_query(&u), want);
    }

    #[test]
    fn primitives() {
        assert_eq!(hmac_sha256_hex(b"abc", b"abc"), "2f02e24ae2e1fe880399f27600afa88364e6062bf9bbe114b32fa8f23d03608a");
        assert_eq!(
            hex::encode(Sha256::digest(b"body")),
            "230d8358dc8e8890b4c58deeb62912ee2f20357ae92a5cc861b98e68fe31acb5"
        );
        assert_eq!(hex::encode(Sha256::digest(b"")), EMPTY_SHA256);
    }

    const PID: &str = "0123456789abcdef0123456789abcdef";
    const AK: &str = "TESTAK0000000000";
    const SK: &str = "TESTSK0000000000000000000000000000000000";

    /// Self-computed APIG-shaped vector 1 (apig-api.md §8.3), date supplied by the signer.
    #[test]
    fn apig_vector_list_attached_domains() {
        let u = url(&format!(
            "https://apig.cn-north-4.myhuaweicloud.com/v2/{PID}/apigw/certificates/abcdef0123456789abcdef0123456789/attached-domains?limit=100&offset=0"
        ));
        let headers = [("Host", "apig.cn-north-4.myhuaweicloud.com")];
        let s = sign("GET", &u, &headers, b"", "20240101T000000Z", AK, SK);
        assert!(s.date_added);
        assert_eq!(s.sdk_date, "20240101T000000Z");
        assert_eq!(s.signed_headers, "host;x-sdk-date");
        assert_eq!(s.signature, "90b284a742a26d137b2874c93368ee30202e3ec0c4e768f7b4faa1d7358e4e98");
    }

    /// Self-computed APIG-shaped vector 2: POST create with `X-Project-Id` signed.
    #[test]
    fn apig_vector_create_certificate() {
        let u = url(&format!("https://apig.cn-north-4.myhuaweicloud.com/v2/{PID}/apigw/certificates"));
        let headers = [
            ("Content-Type", "application/json"),
            ("Host", "apig.cn-north-4.myhuaweicloud.com"),
            ("X-Project-Id", PID),
            ("X-Sdk-Date", "20240101T000000Z"),
        ];
        let body = r#"{"name":"cert_demo","cert_content":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----","private_key":"-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----"}"#;
        let s = sign("POST", &u, &headers, body.as_bytes(), "", AK, SK);
        assert_eq!(s.signed_headers, "content-type;host;x-project-id;x-sdk-date");
        assert_eq!(s.signature, "eaa8b20205897c0d9c7f7a5d259a64998a3fb690288fdbe56ebe1f22eca155b3");
    }

    /// Self-computed vector 3 (Python hashlib/hmac following §8.2): a path parameter holding
    /// `/` and a space, sent as `a%2Fb%20c`.
    #[test]
    fn apig_vector_percent_encoded_path_parameter() {
        let u = url(&format!("https://apig.cn-north-4.myhuaweicloud.com/v2/{PID}/apigw/certificates/a%2Fb%20c"));
        let headers = [("Host", "apig.cn-north-4.myhuaweicloud.com"), ("X-Sdk-Date", "20240101T000000Z")];
        let s = sign("GET", &u, &headers, b"", "", AK, SK);
        assert_eq!(
            s.canonical_request,
            format!(
                "GET\n/v2/{PID}/apigw/certificates/a/b%20c/\n\nhost:apig.cn-north-4.myhuaweicloud.com\n\
                 x-sdk-date:20240101T000000Z\n\nhost;x-sdk-date\n{EMPTY_SHA256}"
            )
        );
        assert_eq!(s.signature, "06a6f5ea85e97140635bbea0575edd0e816ec3a74bb614e847b1957aec7e40e9");
    }

    #[test]
    fn canonical_uri_reencodes_segments_and_appends_slash() {
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/a/b/"), "/a/b/");
        assert_eq!(canonical_uri("/a%20b/c*d"), "/a%20b/c%2Ad/");
        assert_eq!(canonical_uri("/%7Euser/x"), "/~user/x/");
        // Decoded before it is split: an encoded `/` inside a segment signs as a separator.
        assert_eq!(canonical_uri("/certificates/a%2Fb%20c"), "/certificates/a/b%20c/");
        assert_eq!(canonical_uri("/x/%E4%B8%80%2a"), "/x/%E4%B8%80%2A/");
    }

    #[test]
    fn headers_are_trimmed_lowercased_sorted_and_multi_values_sorted() {
        let u = url("https://h/p");
        let headers = [("X-B", " 2 "), ("x-a", "z"), ("X-A", "y"), ("X-Sdk-Date", "20240101T000000Z")];
        let s = sign("get", &u, &headers, b"", "", "ak", "sk");
        assert_eq!(
            s.canonical_request,
            format!(
                "GET\n/p/\n\nx-a:y\nx-a:z\nx-b:2\nx-sdk-date:20240101T000000Z\n\nx-a;x-b;x-sdk-date\n{EMPTY_SHA256}"
            )
        );
    }

    #[test]
    fn content_sha256_header_replaces_body_hash() {
        let u = url("https://h/p");
        let headers = [("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD"), ("X-Sdk-Date", "20240101T000000Z")];
        let s = sign("PUT", &u, &headers, b"anything", "", "ak", "sk");
        assert!(s.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"), "{}", s.canonical_request);
    }

    #[test]
    fn sdk_date_format() {
        let t = time::macros::datetime!(2019-11-15 03:36:55 UTC);
        assert_eq!(format_sdk_date(t), "20191115T033655Z");
        let t = time::macros::datetime!(2019-11-15 04:36:55 +01:00);
        assert_eq!(format_sdk_date(t), "20191115T033655Z");
    }
}
