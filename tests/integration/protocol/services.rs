//! The gRPC services around the provider: go-plugin's stdio and broker streams, RPCs the provider
//! does not serve, message size limits, signals, and the hclog lines on stderr.

use std::time::Duration;

use crate::support::protocol_client::*;
use futures::StreamExt;

const QUIET: Duration = Duration::from_millis(300);

async fn launch_tls() -> (Plugin, tonic::transport::Channel) {
    let client = ClientIdentity::generate();
    let plugin = Plugin::launch(Launch { client_cert_pem: Some(&client.pem), ..Launch::default() }).await;
    let channel = plugin.connect(Some(TlsClientOptions::with(&client))).await.expect("connect");
    (plugin, channel)
}

async fn finish(mut plugin: Plugin, channel: &tonic::transport::Channel) {
    shutdown(channel).await.expect("Shutdown");
    let status = plugin.wait_exit(Duration::from_secs(10)).await.expect("exits after Shutdown");
    assert!(status.success(), "stderr:\n{}", plugin.stderr());
}

#[tokio::test]
async fn stdio_and_broker_streams_stay_open_and_silent_until_shutdown() {
    let (plugin, channel) = launch_tls().await;

    let mut stdio: tonic::Streaming<StdioData> =
        server_stream(&channel, "/plugin.GRPCStdio/StreamStdio", Empty {}).await.expect("StreamStdio");
    assert!(tokio::time::timeout(QUIET, stdio.next()).await.is_err(), "stdio stream sends nothing and stays open");

    let (sender, receiver) = tokio::sync::mpsc::channel::<ConnInfo>(4);
    let mut broker: tonic::Streaming<ConnInfo> =
        bidi_stream(&channel, "/plugin.GRPCBroker/StartStream", tokio_stream::wrappers::ReceiverStream::new(receiver))
            .await
            .expect("StartStream");
    sender.send(ConnInfo { service_id: 7, network: "unix".into(), address: "/tmp/x".into() }).await.expect("send");
    assert!(tokio::time::timeout(QUIET, broker.next()).await.is_err(), "broker never echoes");

    // Other calls work while both streams are open; Shutdown still ends the process.
    get_schema(&channel).await.expect("GetSchema");
    finish(plugin, &channel).await;
    let ended = tokio::time::timeout(Duration::from_secs(5), stdio.next()).await.expect("stdio ends");
    assert!(!matches!(ended, Some(Ok(_))), "no data, only the end of the stream");
}

#[tokio::test]
async fn rpcs_without_a_provider_counterpart() {
    let (plugin, channel) = launch_tls().await;

    let identities: DiagnosticsResponse =
        unary(&channel, "/tfplugin5.Provider/GetResourceIdentitySchemas", Empty {}).await.expect("answered");
    assert!(identities.diagnostics.is_empty());

    for path in [
        "/tfplugin5.Provider/ValidateListResourceConfig",
        "/tfplugin5.Provider/GenerateResourceConfig",
        "/tfplugin5.Provider/UpgradeResourceIdentity",
    ] {
        let outcome: Result<DiagnosticsResponse, _> =
            unary(&channel, path, TypeNameRequest { type_name: "apig_x".into() }).await;
        assert_eq!(outcome.map(|_| ()).map_err(|s| s.code()), Err(tonic::Code::Unimplemented), "{path}");
    }

    // No ephemeral resources: an error diagnostic naming the type (Terraform 1.11 does call these).
    let validated: DiagnosticsResponse = unary(
        &channel,
        "/tfplugin5.Provider/ValidateEphemeralResourceConfig",
        TypeNameRequest { type_name: "apig_token".into() },
    )
    .await
    .expect("answered");
    assert_eq!(validated.diagnostics.len(), 1);
    assert_eq!(validated.diagnostics[0].severity, 1, "ERROR");
    assert!(validated.diagnostics[0].detail.contains("apig_token"));

    // An RPC the proto does not define at all.
    let unknown: Result<Empty, _> = unary(&channel, "/tfplugin5.Provider/NoSuchRpc", Empty {}).await;
    assert_eq!(unknown.map(|_| ()).map_err(|s| s.code()), Err(tonic::Code::Unimplemented));

    finish(plugin, &channel).await;
}

#[tokio::test]
async fn messages_larger_than_tonics_default_4_mib_are_accepted() {
    let (plugin, channel) = launch_tls().await;
    let request = ValidateResourceTypeConfigRequest {
        type_name: "apig_certificate".into(),
        // 6 MiB msgpack string; whatever the provider makes of it, the transport must deliver it.
        config: Some(DynamicValue {
            msgpack: {
                let len = 6 * 1024 * 1024u32;
                let mut bytes = vec![0xdb];
                bytes.extend_from_slice(&len.to_be_bytes());
                bytes.resize(5 + len as usize, b'a');
                bytes
            },
            json: Vec::new(),
        }),
    };
    let outcome: Result<DiagnosticsResponse, _> =
        unary(&channel, "/tfplugin5.Provider/ValidateResourceTypeConfig", request).await;
    assert!(outcome.is_ok(), "{outcome:?}");
    finish(plugin, &channel).await;
}

#[tokio::test]
async fn sigint_is_ignored_and_sigterm_ends_the_server_cleanly() {
    let (mut plugin, channel) = launch_tls().await;
    plugin.signal("-INT");
    tokio::time::sleep(QUIET).await;
    get_schema(&channel).await.expect("still serving after SIGINT");

    plugin.signal("-TERM");
    let status = plugin.wait_exit(Duration::from_secs(10)).await.expect("exits on SIGTERM");
    assert!(status.success());
    assert!(!plugin.handshake.address.exists(), "socket removed");
}

#[tokio::test]
async fn stderr_carries_hclog_json_lines_with_request_fields() {
    let (mut plugin, channel) = launch_tls().await;
    get_schema(&channel).await.expect("GetSchema");
    shutdown(&channel).await.expect("Shutdown");
    plugin.wait_exit(Duration::from_secs(10)).await.expect("exits");
    // The last line the server writes; the pipe may still be draining.
    assert!(plugin.stderr_eventually_contains("Server stopped").await, "{}", plugin.stderr());

    let stderr = plugin.stderr();
    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect();
    assert!(!lines.is_empty());
    for line in &lines {
        let level = line["@level"].as_str().expect("@level");
        assert!(["trace", "debug", "info", "warn", "error"].contains(&level));
        assert!(line["@message"].is_string());
        assert_eq!(line["@module"], "provider");
        let stamp = line["@timestamp"].as_str().expect("@timestamp");
        // Go layout 2006-01-02T15:04:05.000000Z07:00, UTC.
        let format =
            time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
        assert!(time::PrimitiveDateTime::parse(stamp, format).is_ok(), "timestamp {stamp}");
    }
    let served: Vec<_> = lines.iter().filter(|l| l["tf_rpc"] == "GetProviderSchema").collect();
    assert!(served.len() >= 2, "request lines carry tf_rpc: {stderr}");
    let request_id = served[0]["tf_req_id"].as_str().expect("tf_req_id");
    assert!(served.iter().all(|l| l["tf_req_id"] == request_id), "one id per request");
}
