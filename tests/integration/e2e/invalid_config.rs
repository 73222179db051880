//! Invalid configurations fail at `terraform plan`, name the attribute at fault, and make no API
//! request at all (checked in the simulator's request log).

use crate::support::certs::{self, KeyKind, TestCert};
use crate::support::simulator::{DOMAINS, GROUP_ID, INSTANCE_ID, PROJECT_ID, Simulator, TOKEN};
use crate::support::terraform::{Output, Terraform};

/// One invalid configuration: the files it needs, the resource body, and what the error must say.
struct Case {
    label: &'static str,
    /// The resource type of `<type>.x`.
    resource: &'static str,
    /// `(file name, content)` written next to main.tf and read through `file()`.
    files: Vec<(&'static str, String)>,
    /// Body of `resource "apig_certificate" "x" { ... }`.
    body: String,
    /// The attribute Terraform's diagnostic must point at (the quoted source line sets it). For an
    /// attribute that is absent from the configuration Terraform can only quote the resource's
    /// block header, so [`ABSENT`] cases must point there and name the attribute in the text. The
    /// same holds for an attribute inside a set element (`domain { name }`): Terraform cannot map a
    /// path through a set element to a source line.
    attribute: &'static str,
    /// Text the diagnostic's summary or detail must contain (case-insensitive).
    says: &'static str,
}

/// Marks an attribute that is missing from the configuration (see [`Case::attribute`]).
const ABSENT: &str = "<absent>";

fn provider(sim: &Simulator) -> String {
    format!(
        "provider \"apig\" {{\n  region     = \"cn-north-4\"\n  project_id = \"{PROJECT_ID}\"\n  auth_token = \"{TOKEN}\"\n  \
         endpoints  = {{ apig = \"{}\", roma = \"{}\" }}\n}}\n",
        sim.base_url(),
        sim.base_url()
    )
}

/// A resource body with a valid name and the given certificate/key files.
fn cert_body(extra: &str) -> String {
    format!("  name    = \"api_example_com\"\n  content = file(\"cert.pem\")\n{extra}")
}

fn pair_files(c: &TestCert) -> Vec<(&'static str, String)> {
    vec![("cert.pem", c.cert_pem.clone()), ("key.pem", c.key_pem.clone())]
}

fn key_wo() -> &'static str {
    "  private_key_wo         = file(\"key.pem\")\n  private_key_wo_version = 1\n"
}

fn cases() -> Vec<Case> {
    let good = certs::valid("api.example.com", &["api.example.com"]);
    let good_files = pair_files(&good);
    let named = |name: &str| format!("  name    = \"{name}\"\n  content = file(\"cert.pem\")\n{}", key_wo());
    vec![
        Case {
            resource: "apig_certificate",
            label: "name too short",
            files: good_files.clone(),
            body: named("abc"),
            attribute: "name",
            says: "name",
        },
        Case {
            resource: "apig_certificate",
            label: "name starts with a digit",
            files: good_files.clone(),
            body: named("1api_example"),
            attribute: "name",
            says: "name",
        },
        Case {
            resource: "apig_certificate",
            label: "name with a bad character",
            files: good_files.clone(),
            body: named("api-example.com"),
            attribute: "name",
            says: "name",
        },
        Case {
            resource: "apig_certificate",
            label: "content is not PEM",
            files: vec![("cert.pem", "this is not a certificate\n".into()), ("key.pem", good.key_pem.clone())],
            body: cert_body(key_wo()),
            attribute: "content",
            says: "certificate",
        },
        Case {
            resource: "apig_certificate",
            label: "chain in the wrong order",
            files: pair_files(&certs::chain_wrong_order("api.example.com")),
            body: cert_body(key_wo()),
            attribute: "content",
            says: "first",
        },
        Case {
            resource: "apig_certificate",
            label: "expired certificate",
            files: pair_files(&certs::expired("api.example.com")),
            body: cert_body(key_wo()),
            attribute: "content",
            says: "expired",
        },
        Case {
            resource: "apig_certificate",
            label: "certificate without SAN",
            files: pair_files(&certs::no_san("api.example.com")),
            body: cert_body(key_wo()),
            attribute: "content",
            says: "SAN",
        },
        Case {
            resource: "apig_certificate",
            label: "certificate expiring after 2038",
            files: pair_files(&certs::after_2038("api.example.com")),
            body: cert_body(key_wo()),
            attribute: "content",
            says: "2038",
        },
        Case {
            resource: "apig_certificate",
            label: "private key of another certificate",
            files: pair_files(&certs::mismatched_pair("api.example.com")),
            body: cert_body(key_wo()),
            attribute: "private_key_wo",
            says: "match",
        },
        Case {
            resource: "apig_certificate",
            label: "private key garbage",
            files: vec![
                ("cert.pem", good.cert_pem.clone()),
                ("key.pem", "-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n-----END PRIVATE KEY-----\n".into()),
            ],
            body: cert_body(key_wo()),
            attribute: "private_key_wo",
            says: "key",
        },
        Case {
            resource: "apig_certificate",
            label: "sensitive private key garbage",
            files: vec![("cert.pem", good.cert_pem.clone()), ("key.pem", "garbage\n".into())],
            body: cert_body("  private_key = file(\"key.pem\")\n"),
            attribute: "private_key",
            says: "key",
        },
        Case {
            resource: "apig_certificate",
            label: "algorithm_type ECC with an RSA key",
            files: good_files.clone(),
            body: cert_body(&format!("{}  algorithm_type = \"ECC\"\n", key_wo())),
            attribute: "algorithm_type",
            says: "RSA",
        },
        Case {
            resource: "apig_certificate",
            label: "type instance without instance_id",
            files: good_files.clone(),
            body: cert_body(&format!("{}  type = \"instance\"\n", key_wo())),
            attribute: ABSENT,
            says: "set instance_id",
        },
        Case {
            resource: "apig_certificate",
            label: "both private_key and private_key_wo",
            files: good_files.clone(),
            body: cert_body(&format!("{}  private_key = file(\"key.pem\")\n", key_wo())),
            attribute: "private_key_wo",
            says: "both private_key and private_key_wo",
        },
        Case {
            resource: "apig_certificate",
            label: "neither private_key nor private_key_wo",
            files: good_files.clone(),
            body: cert_body(""),
            attribute: ABSENT,
            says: "set private_key_wo",
        },
        Case {
            resource: "apig_certificate",
            label: "instance_id not an ID",
            files: good_files.clone(),
            body: cert_body(&format!("{}  type = \"instance\"\n  instance_id = \"not/an id\"\n", key_wo())),
            attribute: "instance_id",
            says: "instance_id",
        },
        Case {
            resource: "apig_certificate_domains",
            label: "certificate_id not an ID",
            files: vec![],
            body: "  certificate_id = \"not-an-id\"\n  domain {\n    name = \"api.example.com\"\n  }\n".into(),
            attribute: "certificate_id",
            says: "certificate_id",
        },
        Case {
            resource: "apig_certificate_domains",
            label: "invalid domain name",
            files: vec![],
            body: format!("  certificate_id = \"{CERT_ID}\"\n  domain {{\n    name = \"api..example.com\"\n  }}\n"),
            attribute: ABSENT,
            says: "\"api..example.com\" is not a valid domain name",
        },
        Case {
            resource: "apig_certificate_domains",
            label: "duplicate domain names",
            files: vec![],
            body: format!(
                "  certificate_id = \"{CERT_ID}\"\n  domain {{\n    name = \"api.example.com\"\n  }}\n  \
                 domain {{\n    name = \"API.example.com\"\n  }}\n"
            ),
            attribute: ABSENT,
            says: "appears in more than one `domain` block",
        },
        Case {
            resource: "apig_domain_certificate",
            label: "domain certificate name with a bad character",
            files: good_files.clone(),
            body: domain_certificate_body("api-example.com", key_wo()),
            attribute: "name",
            says: "name",
        },
        Case {
            resource: "apig_domain_certificate",
            label: "domain certificate with another certificate's key",
            files: vec![
                ("cert.pem", good.cert_pem.clone()),
                ("key.pem", certs::valid("www.example.com", &["www.example.com"]).key_pem),
            ],
            body: domain_certificate_body("api_example_com", key_wo()),
            attribute: "private_key_wo",
            says: "match",
        },
        Case {
            resource: "apig_domain_certificate",
            label: "domain certificate without any key",
            files: good_files.clone(),
            body: domain_certificate_body("api_example_com", ""),
            attribute: ABSENT,
            says: "private_key",
        },
        Case {
            resource: "apig_domain_certificate",
            label: "domain certificate group_id not an ID",
            files: good_files.clone(),
            body: domain_certificate_body("api_example_com", key_wo()).replace(GROUP_ID, "demo_group"),
            attribute: "group_id",
            says: "group",
        },
        Case {
            resource: "apig_domain_certificate_attachment",
            label: "attachment domain_id not an ID",
            files: vec![],
            body: attachment_body(CERT_ID).replace(DOMAIN_ID, "www.example.com"),
            attribute: "domain_id",
            says: "domain",
        },
        Case {
            resource: "apig_domain_certificate_attachment",
            label: "attachment certificate_id not an ID",
            files: vec![],
            body: attachment_body("api_example_com"),
            attribute: "certificate_id",
            says: "certificate",
        },
    ]
}

/// The fixture's domain (`api.example.com`) that the domain resources point at.
const DOMAIN_ID: &str = DOMAINS[0].0;

/// An `apig_domain_certificate` body on the fixture's domain, with `cert.pem` and the given key lines.
fn domain_certificate_body(name: &str, key: &str) -> String {
    format!(
        "  instance_id = \"{INSTANCE_ID}\"\n  group_id    = \"{GROUP_ID}\"\n  domain_id   = \"{DOMAIN_ID}\"\n  \
         name        = \"{name}\"\n  content     = file(\"cert.pem\")\n{key}"
    )
}

/// An `apig_domain_certificate_attachment` body on the fixture's domain.
fn attachment_body(certificate_id: &str) -> String {
    format!(
        "  instance_id    = \"{INSTANCE_ID}\"\n  group_id       = \"{GROUP_ID}\"\n  domain_id      = \"{DOMAIN_ID}\"\n  \
         certificate_id = \"{certificate_id}\"\n"
    )
}

/// A well-formed certificate ID (32 lowercase hex digits) that no test ever creates.
const CERT_ID: &str = "a27be832f2e9441c8127fe48e3b5ac67";

/// The lines of Terraform's `-no-color` error blocks, which look like
/// `Error: <summary>` / `  with apig_certificate.x,` / `  on main.tf line N, in resource ...:` /
/// `  N:   <attribute> = ...`.
fn assert_names_attribute(case: &Case, plan: &Output) {
    let out = plan.combined();
    let errors: Vec<&str> = out.split("Error: ").skip(1).collect();
    assert!(!errors.is_empty(), "[{}] plan printed no error\n{}", case.label, plan.dump());
    let hit = errors.iter().any(|block| {
        let lower = block.to_lowercase();
        let names_attr = block.lines().any(|l| {
            let t = l.trim_start();
            if case.attribute == ABSENT {
                return t.split_once(':').is_some_and(|(n, rest)| {
                    n.chars().all(|c| c.is_ascii_digit())
                        && rest.trim() == format!("resource \"{}\" \"x\" {{", case.resource)
                });
            }
            // the source line Terraform quotes: `12:   name = "abc"`
            t.split_once(':').is_some_and(|(n, rest)| {
                n.chars().all(|c| c.is_ascii_digit())
                    && rest.trim_start().starts_with(case.attribute)
                    && rest.trim_start()[case.attribute.len()..].trim_start().starts_with('=')
            })
        });
        block.contains(&format!("with {}.x", case.resource)) && names_attr && lower.contains(&case.says.to_lowercase())
    });
    assert!(
        hit,
        "[{}] no error block points at `{}` on {}.x and says {:?}\n{}",
        case.label,
        case.attribute,
        case.resource,
        case.says,
        plan.dump()
    );
}

#[test]
fn invalid_configurations_fail_at_plan_without_any_api_request() {
    let Some(tf) = Terraform::new() else { return };
    let mut failures = Vec::new();
    for case in cases() {
        let sim = Simulator::start();
        for (name, content) in &case.files {
            tf.write(name, content);
        }
        tf.write_main(&format!("{}\nresource \"{}\" \"x\" {{\n{}}}\n", provider(&sim), case.resource, case.body));
        let plan = tf.plan();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            plan.expect_failure();
            assert_names_attribute(&case, &plan);
            let requests = sim.requests();
            assert_eq!(requests["count"], 0, "[{}] plan made API requests: {requests}", case.label);
        }));
        if let Err(e) = outcome {
            let msg = e.downcast_ref::<String>().cloned().unwrap_or_else(|| "panic".into());
            failures.push(msg);
        }
    }
    assert!(failures.is_empty(), "{} case(s) failed:\n\n{}", failures.len(), failures.join("\n\n=====\n\n"));
}

/// The valid control: the same harness with a correct configuration plans cleanly (so the cases
/// above fail for their own reason, not because of the provider block or files).
#[test]
fn the_valid_control_configuration_plans_without_any_api_request() {
    let Some(tf) = Terraform::new() else { return };
    let sim = Simulator::start();
    let c = certs::builder("api.example.com").sans(&["api.example.com"]).key(KeyKind::EcdsaP256).build();
    for (name, content) in pair_files(&c) {
        tf.write(name, &content);
    }
    tf.write_main(&format!(
        "{}\nresource \"apig_certificate\" \"x\" {{\n{}  algorithm_type = \"ECC\"\n  type = \"instance\"\n  instance_id = \"{INSTANCE_ID}\"\n}}\n",
        provider(&sim),
        cert_body(key_wo())
    ));
    tf.plan().expect_success().expect_contains("apig_certificate.x will be created");
    assert_eq!(sim.request_count(), 0, "{}", sim.requests());
}
