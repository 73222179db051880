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

    let mut stdio: tonic::Streaming<plugin::StdioData> =
        stdio_client(&channel).stream_stdio(()).await.expect("StreamStdio").into_inner();
    assert!(tokio::time::timeout(QUIET, stdio.next()).await.is_err(), "stdio stream sends nothing and stays open");

    let (sender, receiver) = tokio::sync::mpsc::channel::<plugin::ConnInfo>(4);
    let mut broker: tonic::Streaming<plugin::ConnInfo> = broker_client(&channel)
        .start_stream(tokio_stream::wrappers::ReceiverStream::new(receiver))
        .await
        .expect("StartStream")
        .into_inner();
    let info = plugin::ConnInfo { service_id: 7, network: "unix".into(), address: "/tmp/x".into(), knock: None };
    sender.send(info).await.expect("send");
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

    let mut client = provider_client(&channel);
    let identities = client
        .get_resource_identity_schemas(tfplugin5::get_resource_identity_schemas::Request {})
        .await
        .expect("answered")
        .into_inner();
    assert!(identities.diagnostics.is_empty());

    // Every resource has an identity (Terraform ≥ 1.12 asks right after the schema).
    let mut typed: Vec<&str> = identities.identity_schemas.keys().map(String::as_str).collect();
    typed.sort();
    assert_eq!(
        typed,
        [
            "apig_certificate",
            "apig_certificate_domains",
            "apig_domain_certificate",
            "apig_domain_certificate_attachment"
        ]
    );

    // The identity and list RPCs answer an unknown type with an error naming it.
    let type_name = || "apig_x".to_string();
    let listed = client
        .validate_list_resource_config(tfplugin5::validate_list_resource_config::Request {
            type_name: type_name(),
            ..Default::default()
        })
        .await
        .expect("answered")
        .into_inner();
    assert!(listed.diagnostics[0].detail.contains("apig_x"), "{:?}", listed.diagnostics);
    let upgraded = client
        .upgrade_resource_identity(tfplugin5::upgrade_resource_identity::Request {
            type_name: type_name(),
            ..Default::default()
        })
        .await
        .expect("answered")
        .into_inner();
    assert!(upgraded.diagnostics[0].detail.contains("apig_x"), "{:?}", upgraded.diagnostics);

    // Configuration generation is Terraform's own (the provider's would write the same), and
    // there are no actions: UNIMPLEMENTED, which Terraform reads as "this provider has none".
    let status = client
        .generate_resource_config(tfplugin5::generate_resource_config::Request {
            type_name: type_name(),
            ..Default::default()
        })
        .await
        .expect_err("unimplemented");
    assert_eq!(status.code(), tonic::Code::Unimplemented);
    let status = client
        .validate_action_config(tfplugin5::validate_action_config::Request {
            action_type: type_name(),
            ..Default::default()
        })
        .await
        .expect_err("unimplemented");
    assert_eq!(status.code(), tonic::Code::Unimplemented);

    // No ephemeral resources: an error diagnostic naming the type (Terraform 1.11 does call these).
    let validated = client
        .validate_ephemeral_resource_config(tfplugin5::validate_ephemeral_resource_config::Request {
            type_name: "apig_token".into(),
            ..Default::default()
        })
        .await
        .expect("answered")
        .into_inner();
    assert_eq!(validated.diagnostics.len(), 1);
    assert_eq!(validated.diagnostics[0].severity, 1, "ERROR");
    assert!(validated.diagnostics[0].detail.contains("apig_token"));

    // An RPC the proto does not define at all.
    let unknown = call_undefined_rpc(&channel, "/tfplugin5.Provider/NoSuchRpc").await;
    assert_eq!(unknown.map_err(|s| s.code()), Err(tonic::Code::Unimplemented));

    finish(plugin, &channel).await;
}

#[tokio::test]
async fn messages_larger_than_tonics_default_4_mib_are_accepted() {
    let (plugin, channel) = launch_tls().await;
    let request = tfplugin5::validate_resource_type_config::Request {
        type_name: "apig_certificate".into(),
        // 6 MiB msgpack string; whatever the provider makes of it, the transport must deliver it.
        config: Some(tfplugin5::DynamicValue {
            msgpack: {
                let len = 6 * 1024 * 1024u32;
                let mut bytes = vec![0xdb];
                bytes.extend_from_slice(&len.to_be_bytes());
                bytes.resize(5 + len as usize, b'a');
                bytes
            },
            json: Vec::new(),
        }),
        ..Default::default()
    };
    let outcome = provider_client(&channel).validate_resource_type_config(request).await;
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
