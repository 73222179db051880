//! Serves the router connection by connection, so that an injected fault can close the very
//! connection a request came on without answering (see [`super::faults::ConnectionKill`]).

use std::future::Future;

use axum::Extension;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use super::faults::ConnectionKill;
use super::{Sim, routes};

/// Accepts connections until `shutdown` completes.
pub async fn serve(listener: TcpListener, sim: Sim, shutdown: impl Future<Output = ()>) {
    let router = routes::router(sim);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    continue;
                }
            },
            () = &mut shutdown => return,
        };
        let kill = CancellationToken::new();
        let service = TowerToHyperService::new(router.clone().layer(Extension(ConnectionKill(kill.clone()))));
        tokio::spawn(async move {
            let builder = Builder::new(TokioExecutor::new());
            let conn = builder.serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                result = conn => {
                    if let Err(e) = result {
                        tracing::debug!(%peer, error = %e, "connection ended with an error");
                    }
                }
                () = kill.cancelled() => tracing::debug!(%peer, "connection dropped on purpose"),
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use time::OffsetDateTime;
    use time::macros::datetime;

    use super::*;
    use crate::simulator::clock::Clock;
    use crate::simulator::{AccessKeyConfig, Config};

    /// A simulator whose clock the test moves.
    async fn start(at: OffsetDateTime, config: Config) -> (String, Arc<Mutex<OffsetDateTime>>) {
        let now = Arc::new(Mutex::new(at));
        let read = now.clone();
        let config = Config { clock: Clock::from_fn(move || *read.lock().unwrap()), ..config };
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(serve(listener, Sim::new(config), std::future::pending()));
        (url, now)
    }

    /// The self-computed APIG vector of apig-api.md §8.3 verifies when the server clock is its date.
    #[tokio::test]
    async fn signed_vector_is_judged_against_the_injected_clock() {
        let config = Config {
            access_keys: vec![AccessKeyConfig {
                access_key: "TESTAK0000000000".into(),
                secret_key: "TESTSK0000000000000000000000000000000000".into(),
            }],
            ..Config::default()
        };
        let (url, now) = start(datetime!(2024-01-01 00:10:00 UTC), config).await;
        let path =
            "/v2/0123456789abcdef0123456789abcdef/apigw/certificates/abcdef0123456789abcdef0123456789/attached-domains";
        let send = || {
            reqwest::Client::new()
                .get(format!("{url}{path}?limit=100&offset=0"))
                .header("Host", "apig.cn-north-4.myhuaweicloud.com")
                .header("X-Sdk-Date", "20240101T000000Z")
                .header(
                    "Authorization",
                    "SDK-HMAC-SHA256 Access=TESTAK0000000000, SignedHeaders=host;x-sdk-date, \
                     Signature=90b284a742a26d137b2874c93368ee30202e3ec0c4e768f7b4faa1d7358e4e98",
                )
                .send()
        };
        // Authenticated: the answer is the API's own 404 for the unknown certificate.
        let resp = send().await.unwrap();
        assert_eq!(resp.status(), 404);
        let body: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(body["error_code"], "APIG.3021");
        // Twenty minutes later the same request is stale.
        *now.lock().unwrap() = datetime!(2024-01-01 00:20:00 UTC);
        let resp = send().await.unwrap();
        assert_eq!(resp.status(), 401);
        let body: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(body["error_code"], "APIGW.0301");
    }

    #[tokio::test]
    async fn issued_tokens_expire_after_24_hours() {
        let (url, now) = start(datetime!(2030-05-01 12:00:00 UTC), Config::default()).await;
        let body = serde_json::json!({"auth": {
            "identity": {"methods": ["password"], "password": {"user": {"name": "sim-user", "password": "sim-password", "domain": {"name": "sim-domain"}}}},
            "scope": {"project": {"id": "0123456789abcdef0123456789abcdef"}}}});
        let client = reqwest::Client::new();
        let resp = client.post(format!("{url}/v3/auth/tokens")).json(&body).send().await.unwrap();
        assert_eq!(resp.status(), 201);
        let token = resp.headers()["x-subject-token"].to_str().unwrap().to_string();
        let info: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(info["token"]["expires_at"], "2030-05-02T12:00:00.000000Z");
        let list = format!(
            "{url}/v2/0123456789abcdef0123456789abcdef/apic/certificates?instance_id=5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"
        );
        let status = client.get(&list).header("X-Auth-Token", &token).send().await.unwrap().status();
        assert_eq!(status, 200);
        *now.lock().unwrap() = datetime!(2030-05-02 12:00:01 UTC);
        let resp = client.get(&list).header("X-Auth-Token", &token).send().await.unwrap();
        assert_eq!(resp.status(), 401);
        let body: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(body["error_code"], "APIGW.0301");
        assert!(body["error_msg"].as_str().unwrap().contains("token expires"), "{body}");
    }
}
