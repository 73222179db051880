//! Debug mode: the user starts the provider, and Terraform attaches to it through
//! `TF_REATTACH_PROVIDERS` instead of launching its own (tfplugin5.md §2.7).

use super::handshake::{Address, PROTOCOL_VERSION};

/// The `TF_REATTACH_PROVIDERS` JSON for one provider. `Test: true` makes Terraform leave the
/// process alone when it finishes (no `Shutdown`, no kill), so it serves several runs.
pub fn reattach_json(provider_address: &str, pid: u32, address: &Address) -> String {
    serde_json::json!({
        provider_address: {
            "Protocol": "grpc",
            "ProtocolVersion": PROTOCOL_VERSION,
            "Pid": pid,
            "Test": true,
            "Addr": { "Network": address.network(), "String": address.to_handshake_string() },
        }
    })
    .to_string()
}

/// What debug mode prints on stdout for the user: a short explanation and a line ready to paste
/// into a POSIX shell.
pub fn instructions(reattach_json: &str) -> String {
    let quoted = reattach_json.replace('\'', r#"'"'"'"#);
    format!(
        "Provider started in debug mode. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment \
         variable with the following:\n\n\tTF_REATTACH_PROVIDERS='{quoted}'\n\n\
         Then run terraform in that shell as usual (plugin TLS is off in this mode). Press Ctrl-C here to stop \
         the provider.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reattach_json_has_the_fields_terraform_reads() {
        let json = reattach_json("registry.terraform.io/hwapig/apig", 4242, &Address::Unix("/tmp/plugin1".into()));
        let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
        let entry = &value["registry.terraform.io/hwapig/apig"];
        assert_eq!(entry["Protocol"], "grpc");
        assert_eq!(entry["ProtocolVersion"], 5);
        assert_eq!(entry["Pid"], 4242);
        assert_eq!(entry["Test"], true);
        assert_eq!(entry["Addr"]["Network"], "unix");
        assert_eq!(entry["Addr"]["String"], "/tmp/plugin1");
    }

    #[test]
    fn instructions_quote_for_the_shell() {
        let text = instructions(r#"{"a":"it's"}"#);
        assert!(text.contains(r#"TF_REATTACH_PROVIDERS='{"a":"it'"'"'s"}'"#), "{text}");
        assert!(text.contains("Ctrl-C"));
    }
}
