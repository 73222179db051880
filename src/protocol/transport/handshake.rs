//! The go-plugin handshake (tfplugin5.md §2): the magic cookie, protocol version negotiation and
//! the one line printed on stdout that tells Terraform where to connect.

use std::io::Write;

use base64::Engine;

/// Set by Terraform when it launches a provider; absent when a user runs the binary by hand.
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
pub const MAGIC_COOKIE_VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// go-plugin's core protocol version (first handshake field).
const CORE_PROTOCOL_VERSION: u32 = 1;

/// The one application protocol this provider speaks.
pub const PROTOCOL_VERSION: u32 = 5;

/// Printed on stderr (and the process exits 1) when the binary is run without Terraform.
pub const NOT_LAUNCHED_BY_TERRAFORM: &str = "\
This binary is a plugin. These are not meant to be executed directly.
Please execute the program that consumes these plugins, which will
load any plugins automatically.

terraform-provider-apig is a Terraform provider: Terraform starts it itself when a configuration
uses the provider \"hwapig/apig\". To attach Terraform to a provider you run yourself (for
debugging), start it with --debug and follow the instructions it prints.";

/// The magic cookie is a UX check (not security): it tells a user who runs the binary by hand
/// that it is a plugin.
pub fn magic_cookie_matches(value: Option<&str>) -> bool {
    value == Some(MAGIC_COOKIE_VALUE)
}

/// Picks the protocol version from `PLUGIN_PROTOCOL_VERSIONS` (e.g. "5,6" or "6,5"). This provider
/// speaks only 5; when the client does not offer it, 5 is announced anyway (as go-plugin servers
/// do) so that Terraform reports the incompatibility in its own words. The bool says whether the
/// client offered it.
pub fn negotiate_protocol_version(client_versions: Option<&str>) -> (u32, bool) {
    let offered = match client_versions {
        None => true,
        Some(list) if list.trim().is_empty() => true,
        Some(list) => list.split(',').any(|v| v.trim().parse::<u32>() == Ok(PROTOCOL_VERSION)),
    };
    (PROTOCOL_VERSION, offered)
}

/// Where Terraform should connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    Unix(std::path::PathBuf),
}

impl Address {
    pub fn network(&self) -> &'static str {
        match self {
            Address::Unix(_) => "unix",
        }
    }
    pub fn to_handshake_string(&self) -> String {
        match self {
            Address::Unix(path) => path.display().to_string(),
        }
    }
}

/// `CORE|APP|NETWORK|ADDRESS|grpc[|SERVERCERT]`. The certificate is DER in standard base64 without
/// padding (Go's RawStdEncoding); it is omitted when TLS is off.
pub fn handshake_line(protocol_version: u32, address: &Address, server_cert_der: Option<&[u8]>) -> String {
    let mut line = format!(
        "{CORE_PROTOCOL_VERSION}|{protocol_version}|{}|{}|grpc",
        address.network(),
        address.to_handshake_string()
    );
    if let Some(der) = server_cert_der {
        line.push('|');
        line.push_str(&base64::engine::general_purpose::STANDARD_NO_PAD.encode(der));
    }
    line.push('\n');
    line
}

/// Writes the handshake line to stdout and flushes it: the only thing this process ever writes
/// there. Must be called only once the listener accepts connections.
pub fn announce(line: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(line.as_bytes())?;
    stdout.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_must_match_exactly() {
        assert!(magic_cookie_matches(Some(MAGIC_COOKIE_VALUE)));
        for bad in [
            None,
            Some(""),
            Some("d602bf8f"),
            Some(" d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"),
        ] {
            assert!(!magic_cookie_matches(bad), "{bad:?}");
        }
    }

    #[test]
    fn version_negotiation() {
        let table = [
            (None, true),
            (Some(""), true),
            (Some("5,6"), true),
            (Some("6,5"), true),
            (Some(" 6 , 5 "), true),
            (Some("5"), true),
            (Some("6"), false),
            (Some("4,6"), false),
            (Some("x,55"), false),
        ];
        for (env, offered) in table {
            assert_eq!(negotiate_protocol_version(env), (5, offered), "{env:?}");
        }
    }

    #[test]
    fn handshake_line_with_and_without_certificate() {
        let address = Address::Unix("/tmp/plugin123".into());
        assert_eq!(handshake_line(5, &address, None), "1|5|unix|/tmp/plugin123|grpc\n");

        // 4 bytes encode to 6 characters with no `==` padding; `+` and `/` from the standard alphabet.
        let line = handshake_line(5, &address, Some(&[0xfb, 0xff, 0xbf, 0x01]));
        assert_eq!(line, "1|5|unix|/tmp/plugin123|grpc|+/+/AQ\n");
        assert_eq!(line.matches('|').count(), 5);
    }
}
