use std::collections::HashMap;

use super::*;

const ALL_ATTRS: [&str; 7] = [
    attr::AUTH_TOKEN,
    attr::ACCESS_KEY,
    attr::SECRET_KEY,
    attr::SECURITY_TOKEN,
    attr::USER_NAME,
    attr::PASSWORD,
    attr::DOMAIN_NAME,
];

fn block(set: &[(&str, Value)]) -> Value {
    let mut v = Value::object(ALL_ATTRS.iter().map(|n| (*n, Value::Null)));
    for (k, val) in set {
        v.set(k, val.clone());
    }
    v
}
fn s(v: &str) -> Value {
    Value::string(v)
}
fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}
fn run(cfg: &Value, e: &HashMap<String, String>) -> (Outcome, Diagnostics) {
    let mut d = Diagnostics::new();
    let o = resolve(cfg, e, Stage::Configure, &mut d);
    (o, d)
}
fn validate(cfg: &Value, e: &HashMap<String, String>) -> (Outcome, Diagnostics) {
    let mut d = Diagnostics::new();
    let o = resolve(cfg, e, Stage::Validate, &mut d);
    (o, d)
}
fn only_error(d: &Diagnostics) -> &Diagnostic {
    assert_eq!(d.0.len(), 1, "{d:?}");
    &d.0[0]
}

#[test]
fn each_method_resolves_from_the_block() {
    let (o, d) = run(&block(&[(attr::AUTH_TOKEN, s("tok\n"))]), &env(&[]));
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(o, Outcome::Resolved(Credentials::Token(Secret::new("tok"))));

    let (o, d) = run(&block(&[(attr::ACCESS_KEY, s("AK")), (attr::SECRET_KEY, s("SK"))]), &env(&[]));
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(
        o,
        Outcome::Resolved(Credentials::AkSk {
            access_key: "AK".into(),
            secret_key: Secret::new("SK"),
            security_token: None
        })
    );

    let cfg = block(&[(attr::ACCESS_KEY, s("AK")), (attr::SECRET_KEY, s("SK")), (attr::SECURITY_TOKEN, s("ST"))]);
    let (o, _) = run(&cfg, &env(&[]));
    assert!(
        matches!(o, Outcome::Resolved(Credentials::AkSk { security_token: Some(ref t), .. }) if t.expose() == "ST")
    );

    let cfg = block(&[(attr::USER_NAME, s("alice")), (attr::PASSWORD, s(" pw ")), (attr::DOMAIN_NAME, s("acme"))]);
    let (o, d) = run(&cfg, &env(&[]));
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(
        o,
        Outcome::Resolved(Credentials::Password {
            user_name: "alice".into(),
            password: Secret::new(" pw "),
            domain_name: "acme".into()
        })
    );
}

#[test]
fn each_method_resolves_from_the_environment_alone() {
    let (o, d) = run(&block(&[]), &env(&[(vars::AUTH_TOKEN, "envtok")]));
    assert!(d.is_empty());
    assert_eq!(o, Outcome::Resolved(Credentials::Token(Secret::new("envtok"))));
    let (o, _) = run(&block(&[]), &env(&[(vars::ACCESS_KEY, "AK"), (vars::SECRET_KEY, "SK")]));
    assert_eq!(o.method(), Some(AuthMethod::AkSk));
    let (o, _) = run(&block(&[]), &env(&[(vars::USER_NAME, "u"), (vars::PASSWORD, "p"), (vars::DOMAIN_NAME, "d")]));
    assert_eq!(o.method(), Some(AuthMethod::Password));
}

#[test]
fn the_environment_completes_the_method_the_block_names() {
    let (o, d) = run(&block(&[(attr::ACCESS_KEY, s("AK"))]), &env(&[(vars::SECRET_KEY, "envSK")]));
    assert!(d.is_empty(), "{d:?}");
    assert!(matches!(o, Outcome::Resolved(Credentials::AkSk { ref secret_key, .. }) if secret_key.expose() == "envSK"));
}

#[test]
fn a_method_in_the_block_wins_over_other_methods_in_the_environment() {
    let e = env(&[(vars::ACCESS_KEY, "AK"), (vars::SECRET_KEY, "SK"), (vars::USER_NAME, "u")]);
    let (o, d) = run(&block(&[(attr::AUTH_TOKEN, s("tok"))]), &e);
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(o, Outcome::Resolved(Credentials::Token(Secret::new("tok"))));
}

#[test]
fn token_and_keys_in_the_block_conflict_on_access_key() {
    let cfg =
        block(&[(attr::AUTH_TOKEN, s("tok-XYZZY")), (attr::ACCESS_KEY, s("AK")), (attr::SECRET_KEY, s("SK-XYZZY"))]);
    let (o, d) = run(&cfg, &env(&[]));
    assert_eq!(o, Outcome::Invalid);
    let e = only_error(&d);
    assert_eq!(e.summary, "Conflicting credentials");
    assert_eq!(e.attribute, Some(AttributePath::attr(attr::ACCESS_KEY)));
    assert!(
        e.detail.contains("Remove `access_key`, `secret_key` and `security_token` or remove `auth_token`"),
        "{}",
        e.detail
    );
    assert!(!e.detail.contains("XYZZY"), "{}", e.detail);
}

#[test]
fn conflicts_report_every_later_method_on_its_own_first_attribute() {
    let cfg = block(&[(attr::SECRET_KEY, s("SK")), (attr::PASSWORD, s("pw")), (attr::AUTH_TOKEN, s("tok"))]);
    let (_, d) = run(&cfg, &env(&[]));
    let paths: Vec<_> = d.iter().map(|x| x.attribute.clone()).collect();
    assert_eq!(
        paths,
        [Some(AttributePath::attr(attr::SECRET_KEY)), Some(AttributePath::attr(attr::PASSWORD))],
        "{d:?}"
    );
}

#[test]
fn conflicting_methods_in_the_environment_name_the_variables_but_not_their_values() {
    let (o, d) = run(&block(&[]), &env(&[(vars::AUTH_TOKEN, "tok-SECRET"), (vars::ACCESS_KEY, "AK")]));
    assert_eq!(o, Outcome::Invalid);
    let e = only_error(&d);
    assert_eq!(e.attribute, None);
    assert!(e.detail.contains("HW_AUTH_TOKEN and HW_ACCESS_KEY"), "{}", e.detail);
    assert!(!e.detail.contains("tok-SECRET"));
}

#[test]
fn access_key_without_secret_key_is_reported_on_access_key() {
    let (o, d) = run(&block(&[(attr::ACCESS_KEY, s("AK"))]), &env(&[]));
    assert_eq!(o, Outcome::Invalid);
    let e = only_error(&d);
    assert_eq!(e.summary, "Incomplete credentials");
    assert_eq!(e.attribute, Some(AttributePath::attr(attr::ACCESS_KEY)));
    assert!(e.detail.contains("`secret_key` (HW_SECRET_KEY) is missing"), "{}", e.detail);
}

#[test]
fn secret_key_without_access_key_is_reported_on_secret_key() {
    let (_, d) = run(&block(&[(attr::SECRET_KEY, s("SK"))]), &env(&[]));
    let e = only_error(&d);
    assert_eq!(e.attribute, Some(AttributePath::attr(attr::SECRET_KEY)));
    assert!(e.detail.contains("`access_key` (HW_ACCESS_KEY) is missing"), "{}", e.detail);
}

#[test]
fn security_token_without_access_key_is_an_error() {
    let (o, d) = run(&block(&[(attr::SECURITY_TOKEN, s("ST"))]), &env(&[]));
    assert_eq!(o, Outcome::Invalid);
    let e = only_error(&d);
    assert_eq!(e.attribute, Some(AttributePath::attr(attr::SECURITY_TOKEN)));
    assert!(
        e.detail.contains("`access_key` (HW_ACCESS_KEY) and `secret_key` (HW_SECRET_KEY) are missing"),
        "{}",
        e.detail
    );
}

#[test]
fn incomplete_password_method_lists_what_is_missing() {
    let (_, d) = run(&block(&[(attr::USER_NAME, s("alice"))]), &env(&[(vars::DOMAIN_NAME, "acme")]));
    let e = only_error(&d);
    assert_eq!(e.attribute, Some(AttributePath::attr(attr::USER_NAME)));
    assert!(e.detail.contains("`user_name` and `domain_name` (from HW_DOMAIN_NAME) are set"), "{}", e.detail);
    assert!(e.detail.contains("`password` (HW_USER_PASSWORD) is missing"), "{}", e.detail);
}

#[test]
fn incomplete_method_from_the_environment_has_no_attribute_path() {
    let (_, d) = run(&block(&[]), &env(&[(vars::ACCESS_KEY, "AK")]));
    let e = only_error(&d);
    assert_eq!(e.attribute, None);
    assert!(e.detail.contains("`access_key` (from HW_ACCESS_KEY) is set"), "{}", e.detail);
}

#[test]
fn nothing_anywhere_is_reported_at_the_block_with_every_option() {
    let (o, d) = run(&block(&[]), &env(&[]));
    assert_eq!(o, Outcome::Invalid);
    let e = only_error(&d);
    assert_eq!(e.summary, "Missing credentials");
    assert_eq!(e.attribute, None);
    for hint in ["auth_token", "HW_AUTH_TOKEN", "HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_USER_PASSWORD", "domain_name"] {
        assert!(e.detail.contains(hint), "{hint}: {}", e.detail);
    }
}

#[test]
fn empty_strings_count_as_unset() {
    let (o, d) =
        run(&block(&[(attr::AUTH_TOKEN, s("")), (attr::ACCESS_KEY, s("AK")), (attr::SECRET_KEY, s("SK"))]), &env(&[]));
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(o.method(), Some(AuthMethod::AkSk));
}

#[test]
fn unknown_values_are_never_an_error() {
    // Only unknowns: the method is open.
    let (o, d) = run(&block(&[(attr::AUTH_TOKEN, Value::Unknown)]), &env(&[]));
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(o, Outcome::Undecided);
    // A known method with an unknown partner.
    let (o, d) = run(&block(&[(attr::ACCESS_KEY, s("AK")), (attr::SECRET_KEY, Value::Unknown)]), &env(&[]));
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(o, Outcome::MethodOnly(AuthMethod::AkSk));
    // An unknown of another method next to a complete one: decided at apply.
    let (o, d) = run(&block(&[(attr::AUTH_TOKEN, s("tok")), (attr::ACCESS_KEY, Value::Unknown)]), &env(&[]));
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(o.method(), Some(AuthMethod::Token));
    // Unknowns do not hide an environment conflict once something is known... but with only
    // unknowns in the block, the environment is not consulted (the block may name a method).
    let (_, d) =
        run(&block(&[(attr::PASSWORD, Value::Unknown)]), &env(&[(vars::AUTH_TOKEN, "t"), (vars::ACCESS_KEY, "a")]));
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn known_incompleteness_is_reported_even_next_to_unknowns() {
    let (_, d) = run(&block(&[(attr::USER_NAME, s("alice")), (attr::PASSWORD, Value::Unknown)]), &env(&[]));
    let e = only_error(&d);
    assert!(e.detail.contains("`domain_name` (HW_DOMAIN_NAME) is missing"), "{}", e.detail);
}

#[test]
fn validate_reports_conflicts_in_the_block_but_not_what_the_environment_may_supply() {
    let (_, d) = validate(&block(&[(attr::AUTH_TOKEN, s("t")), (attr::USER_NAME, s("u"))]), &env(&[]));
    assert_eq!(only_error(&d).attribute, Some(AttributePath::attr(attr::USER_NAME)));
    for cfg in [block(&[]), block(&[(attr::ACCESS_KEY, s("AK"))]), block(&[(attr::SECURITY_TOKEN, s("ST"))])] {
        let (o, d) = validate(&cfg, &env(&[]));
        assert!(d.is_empty(), "{d:?}");
        assert_ne!(o, Outcome::Invalid);
    }
    // Environment conflicts are a plan-time matter too.
    let (_, d) = validate(&block(&[]), &env(&[(vars::AUTH_TOKEN, "t"), (vars::ACCESS_KEY, "a")]));
    assert!(d.is_empty(), "{d:?}");
}
