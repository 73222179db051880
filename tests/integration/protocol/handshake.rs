//! The plugin launch as Terraform performs it: environment, handshake line, mTLS, the health
//! check, Stop, Shutdown and clean exit; the cookie check, version negotiation, plaintext and
//! debug modes.

use std::time::Duration;

use crate::support::protocol_client::*;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};

/// Terraform kills a plugin 2 s after Shutdown; the generous limit here only keeps slow CI
/// machines from failing while still catching a process that never exits.
const EXIT_LIMIT: Duration = Duration::from_secs(10);

#[tokio::test]
async fn terraform_like_session_over_mutual_tls() {
    let client = ClientIdentity::generate();
    let mut plugin = Plugin::launch(Launch { client_cert_pem: Some(&client.pem), ..Launch::default() }).await;
    let hs = plugin.handshake.clone();
    assert_eq!(
        (hs.core_version.as_str(), hs.protocol_version.as_str(), hs.network.as_str(), hs.protocol.as_str()),
        ("1", "5", "unix", "grpc"),
        "{}",
        hs.line
    );
    assert_eq!(hs.address.parent(), Some(plugin.socket_dir.path()), "socket in PLUGIN_UNIX_SOCKET_DIR");
    assert!(hs.address.exists());

    // The announced certificate is a fresh go-plugin style certificate (on P-256, cheaper to make).
    let der = hs.server_cert.clone().expect("certificate field present with PLUGIN_CLIENT_CERT");
    let (_, cert) = x509_parser::parse_x509_certificate(&der).expect("DER certificate");
    assert!(cert.subject().to_string().contains("CN=localhost"));
    assert_eq!(
        cert.public_key().algorithm.parameters.as_ref().and_then(|p| p.as_oid().ok()),
        Some(x509_parser::oid_registry::OID_EC_P256)
    );

    let channel = plugin.connect(Some(TlsClientOptions::with(&client))).await.expect("mTLS connection");

    let schema = get_schema(&channel).await.expect("GetSchema");
    let provider = schema.provider.expect("provider schema present");
    assert!(provider.block.is_some(), "every Schema must carry a Block");
    assert!(schema.provider_meta.is_none());
    for (name, resource) in &schema.resource_schemas {
        assert!(resource.block.is_some(), "resource {name} has a block");
    }

    let health = health_client(&channel)
        .check(health::HealthCheckRequest { service: "plugin".into() })
        .await
        .expect("health check")
        .into_inner();
    assert_eq!(health.status, 1, "plugin is SERVING");

    let stop = provider_client(&channel).stop(tfplugin5::stop::Request {}).await.expect("Stop").into_inner();
    assert_eq!(stop.error, "");
    // Stop is not a shutdown: the provider keeps answering.
    get_schema(&channel).await.expect("GetSchema after Stop");

    shutdown(&channel).await.expect("Shutdown is answered");
    let status = plugin.wait_exit(EXIT_LIMIT).await.expect("process exits after Shutdown");
    assert!(status.success(), "{status:?}; stderr:\n{}", plugin.stderr());
    assert!(!hs.address.exists(), "socket file removed on exit");
}

#[tokio::test]
async fn refuses_to_run_without_the_magic_cookie() {
    for cookie in [None, Some("not-the-cookie")] {
        let dir = tempfile::tempdir().expect("dir");
        let launch = Launch { cookie, ..Launch::default() };
        let output = command(&launch, dir.path()).output().await.expect("run");
        assert_eq!(output.status.code(), Some(1), "{cookie:?}");
        assert!(output.stdout.is_empty(), "nothing on stdout: {:?}", String::from_utf8_lossy(&output.stdout));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("This binary is a plugin"), "{stderr}");
        assert!(stderr.contains("--debug"), "tells the user how to run it by hand: {stderr}");
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0, "no socket created");
    }
}

#[tokio::test]
async fn announces_protocol_5_even_when_only_6_is_offered() {
    let client = ClientIdentity::generate();
    let mut plugin = Plugin::launch(Launch {
        client_cert_pem: Some(&client.pem),
        protocol_versions: Some("6"),
        ..Launch::default()
    })
    .await;
    // go-plugin servers answer with their own version; Terraform then reports the mismatch.
    assert_eq!(plugin.handshake.protocol_version, "5");
    assert!(plugin.stderr_eventually_contains("does not offer plugin protocol 5").await, "{}", plugin.stderr());
    plugin.child.start_kill().expect("kill");
    let _ = plugin.wait_exit(EXIT_LIMIT).await;
}

#[tokio::test]
async fn negotiates_5_from_either_order() {
    for versions in ["5,6", "6,5"] {
        let client = ClientIdentity::generate();
        let mut plugin = Plugin::launch(Launch {
            client_cert_pem: Some(&client.pem),
            protocol_versions: Some(versions),
            ..Launch::default()
        })
        .await;
        assert_eq!(plugin.handshake.protocol_version, "5");
        assert!(!plugin.stderr().contains("does not offer"));
        plugin.child.start_kill().expect("kill");
        let _ = plugin.wait_exit(EXIT_LIMIT).await;
    }
}

#[tokio::test]
async fn plaintext_without_client_certificate() {
    let mut plugin = Plugin::launch(Launch::default()).await;
    assert!(plugin.handshake.server_cert.is_none(), "5 fields without TLS: {}", plugin.handshake.line);
    let channel = plugin.connect(None).await.expect("plaintext connection");
    get_schema(&channel).await.expect("GetSchema");
    shutdown(&channel).await.expect("Shutdown");
    let status = plugin.wait_exit(EXIT_LIMIT).await.expect("exits");
    assert!(status.success());
    assert!(!plugin.handshake.address.exists());
}

#[tokio::test]
async fn debug_mode_prints_reattach_settings_and_stops_on_ctrl_c() {
    let socket_dir = tempfile::tempdir().expect("dir");
    // No cookie and no certificate: debug mode is started by a person.
    let launch = Launch { cookie: None, protocol_versions: None, args: &["--debug"], ..Launch::default() };
    let mut child = command(&launch, socket_dir.path()).spawn().expect("spawn");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut printed = String::new();
    let reattach = tokio::time::timeout(TIMEOUT, async {
        loop {
            let mut line = String::new();
            if stdout.read_line(&mut line).await.expect("read") == 0 {
                panic!("stdout ended before TF_REATTACH_PROVIDERS: {printed}");
            }
            printed.push_str(&line);
            if let Some(rest) = line.trim().strip_prefix("TF_REATTACH_PROVIDERS='") {
                return rest.trim_end_matches('\'').to_string();
            }
        }
    })
    .await
    .expect("reattach line in time");

    let value: serde_json::Value = serde_json::from_str(&reattach).expect("reattach JSON");
    let entry = &value["registry.terraform.io/hwapig/apig"];
    assert_eq!(entry["Protocol"], "grpc");
    assert_eq!(entry["ProtocolVersion"], 5);
    assert_eq!(entry["Test"], true);
    assert_eq!(entry["Pid"], child.id().expect("pid"));
    assert_eq!(entry["Addr"]["Network"], "unix");
    let socket = std::path::PathBuf::from(entry["Addr"]["String"].as_str().expect("address"));
    assert!(socket.exists());

    let handshake = Handshake::parse(&format!("1|5|unix|{}|grpc", socket.display()));
    let channel = connect(&handshake, None).await.expect("debug server is plaintext");
    get_schema(&channel).await.expect("GetSchema");

    let pid = child.id().expect("pid").to_string();
    assert!(std::process::Command::new("kill").args(["-INT", &pid]).status().expect("kill").success());
    let status = tokio::time::timeout(EXIT_LIMIT, child.wait()).await.expect("exits on Ctrl-C").expect("status");
    assert!(status.success());
    assert!(!socket.exists(), "socket removed");
    let mut rest = String::new();
    let _ = stdout.read_to_string(&mut rest).await;
    assert!(!printed.is_empty());
}

#[tokio::test]
async fn version_flag() {
    let output = tokio::process::Command::new(BINARY).arg("--version").output().await.expect("run");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(text.trim(), format!("terraform-provider-apig {}", env!("CARGO_PKG_VERSION")));
}
