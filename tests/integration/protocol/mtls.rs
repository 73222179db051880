//! Mutual TLS is enforced: only the exact certificate Terraform announced in PLUGIN_CLIENT_CERT
//! gets an RPC answered, over TLS 1.3 and 1.2, and a refused client does not disturb others.

use std::time::Duration;

use crate::support::protocol_client::*;

static TLS12_ONLY: &[&rustls::SupportedProtocolVersion] = &[&rustls::version::TLS12];
static TLS13_ONLY: &[&rustls::SupportedProtocolVersion] = &[&rustls::version::TLS13];

async fn launch_with(client: &ClientIdentity) -> Plugin {
    Plugin::launch(Launch { client_cert_pem: Some(&client.pem), ..Launch::default() }).await
}

/// Refused: either the TLS handshake or the first RPC fails (with TLS 1.3 the server checks the
/// client certificate after the client considers the handshake done).
async fn assert_no_rpc_answered(plugin: &Plugin, tls: Option<TlsClientOptions<'_>>, what: &str) {
    let outcome = tokio::time::timeout(TIMEOUT, async {
        match plugin.connect(tls).await {
            Err(e) => Err(e),
            Ok(channel) => get_schema(&channel).await.map(|_| ()).map_err(|s| s.to_string()),
        }
    })
    .await
    .expect("refusal in time");
    assert!(outcome.is_err(), "{what}: an RPC was answered");
}

#[tokio::test]
async fn client_without_certificate_gets_no_answer() {
    let terraform = ClientIdentity::generate();
    let mut plugin = launch_with(&terraform).await;
    let anonymous = TlsClientOptions { identity: None, versions: rustls::ALL_VERSIONS };
    assert_no_rpc_answered(&plugin, Some(anonymous), "no client certificate").await;
    assert!(plugin.stderr_eventually_contains("TLS handshake failed").await, "{}", plugin.stderr());

    // The refusal leaves the server serving the real client.
    let channel = plugin.connect(Some(TlsClientOptions::with(&terraform))).await.expect("real client");
    get_schema(&channel).await.expect("GetSchema");
    shutdown(&channel).await.expect("Shutdown");
    assert!(plugin.wait_exit(Duration::from_secs(10)).await.is_some());
}

#[tokio::test]
async fn client_with_another_p521_certificate_gets_no_answer() {
    let terraform = ClientIdentity::generate();
    let impostor = ClientIdentity::generate();
    let mut plugin = launch_with(&terraform).await;
    for versions in [rustls::ALL_VERSIONS, TLS12_ONLY] {
        let options = TlsClientOptions { identity: Some(&impostor), versions };
        assert_no_rpc_answered(&plugin, Some(options), "another certificate").await;
    }
    assert!(plugin.stderr_eventually_contains("not the one Terraform announced").await, "{}", plugin.stderr());
    let channel = plugin.connect(Some(TlsClientOptions::with(&terraform))).await.expect("real client");
    get_schema(&channel).await.expect("GetSchema");
    shutdown(&channel).await.expect("Shutdown");
    assert!(plugin.wait_exit(Duration::from_secs(10)).await.is_some());
}

#[tokio::test]
async fn plaintext_client_gets_no_answer_from_a_tls_server() {
    let terraform = ClientIdentity::generate();
    let mut plugin = launch_with(&terraform).await;
    let plaintext = Handshake { server_cert: None, ..plugin.handshake.clone() };
    let outcome = tokio::time::timeout(TIMEOUT, async {
        match connect(&plaintext, None).await {
            Err(e) => Err(e),
            Ok(channel) => get_schema(&channel).await.map(|_| ()).map_err(|s| s.to_string()),
        }
    })
    .await
    .expect("refusal in time");
    assert!(outcome.is_err(), "plaintext RPC was answered");
    plugin.child.start_kill().expect("kill");
    let _ = plugin.wait_exit(Duration::from_secs(10)).await;
}

#[tokio::test]
async fn pinned_p521_certificate_works_over_tls_1_2_and_1_3() {
    let terraform = ClientIdentity::generate();
    let mut plugin = launch_with(&terraform).await;
    for versions in [TLS13_ONLY, TLS12_ONLY] {
        let options = TlsClientOptions { identity: Some(&terraform), versions };
        let channel = plugin.connect(Some(options)).await.expect("pinned client connects");
        get_schema(&channel).await.expect("GetSchema");
    }
    let channel = plugin.connect(Some(TlsClientOptions::with(&terraform))).await.expect("connect");
    shutdown(&channel).await.expect("Shutdown");
    assert!(plugin.wait_exit(Duration::from_secs(10)).await.is_some());
}

#[tokio::test]
async fn malformed_client_certificate_is_a_startup_error() {
    let dir = tempfile::tempdir().expect("dir");
    let launch = Launch { client_cert_pem: Some("not a PEM certificate"), ..Launch::default() };
    let output = command(&launch, dir.path()).output().await.expect("run");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "no handshake: {:?}", String::from_utf8_lossy(&output.stdout));
    assert!(String::from_utf8_lossy(&output.stderr).contains("PLUGIN_CLIENT_CERT"));
}
