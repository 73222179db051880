use super::*;

fn config(attrs: &[(&str, Value)]) -> Value {
    Value::object(attrs.iter().map(|(k, v)| (*k, v.clone())))
}

fn run(v: &dyn ConfigValidator, config: &Value) -> Vec<Diagnostic> {
    let mut diags = Diagnostics::new();
    v.validate(config, &mut diags);
    diags.0
}

fn s(text: &str) -> Value {
    Value::string(text)
}

#[test]
fn presence_rules() {
    let c = config(&[
        ("a", s("x")),
        ("n", Value::Null),
        ("u", Value::Unknown),
        ("empty", Value::List(vec![])),
        ("block", Value::List(vec![Value::object([("x", Value::Unknown)])])),
    ]);
    assert_eq!(presence(&c, &AttributePath::attr("a")), Presence::Set);
    assert_eq!(presence(&c, &AttributePath::attr("n")), Presence::Absent);
    assert_eq!(presence(&c, &AttributePath::attr("missing")), Presence::Absent);
    assert_eq!(presence(&c, &AttributePath::attr("u")), Presence::MaybeSet);
    assert_eq!(presence(&c, &AttributePath::attr("empty")), Presence::Absent);
    assert_eq!(presence(&c, &AttributePath::attr("block")), Presence::Set, "a block with unknowns inside is set");
    assert_eq!(presence(&c, &AttributePath::attr("block").push_index(0).push_attr("x")), Presence::MaybeSet);
    assert_eq!(presence(&Value::Unknown, &AttributePath::attr("a")), Presence::MaybeSet);
}

#[test]
fn exactly_one_of() {
    let v = ExactlyOneOf::new(&["auth_token", "access_key", "user_name"]);
    assert!(run(&v, &config(&[("access_key", s("AK"))])).is_empty());

    let two = run(&v, &config(&[("auth_token", s("t")), ("access_key", s("AK")), ("user_name", Value::Null)]));
    assert_eq!(two.len(), 1);
    assert_eq!(two[0].summary, "Invalid attribute combination");
    assert_eq!(two[0].attribute, Some(AttributePath::attr("access_key")));
    assert_eq!(
        two[0].detail,
        "Only one of \"auth_token\", \"access_key\" and \"user_name\" can be set, but \"auth_token\" and \"access_key\" are both set. Remove all but one of them."
    );

    let none = run(&v, &config(&[]));
    assert_eq!(none.len(), 1);
    assert_eq!(none[0].attribute, None);
    assert_eq!(
        none[0].detail,
        "Exactly one of \"auth_token\", \"access_key\" and \"user_name\" must be set, but none of them is. Set one of them."
    );

    // Unknowns may be set: no error while anything could still satisfy the rule...
    assert!(run(&v, &config(&[("auth_token", Value::Unknown)])).is_empty());
    assert!(run(&v, &config(&[("auth_token", Value::Unknown), ("access_key", s("AK"))])).is_empty());
    assert!(run(&v, &Value::Unknown).is_empty());
    // ...but two known values already conflict.
    assert_eq!(
        run(&v, &config(&[("auth_token", s("t")), ("access_key", s("AK")), ("user_name", Value::Unknown)])).len(),
        1
    );
}

#[test]
fn at_most_one_of() {
    let v = AtMostOneOf::new(&["a", "b", "c"]).summary("Conflicting credentials");
    assert!(run(&v, &config(&[])).is_empty());
    assert!(run(&v, &config(&[("b", s("x")), ("c", Value::Unknown)])).is_empty());
    let three = run(&v, &config(&[("a", s("1")), ("b", s("2")), ("c", s("3"))]));
    assert_eq!(three.len(), 1);
    assert_eq!(three[0].summary, "Conflicting credentials");
    assert!(three[0].detail.contains("\"a\", \"b\" and \"c\" are all set"));
}

#[test]
fn conflicts_with() {
    let v = ConflictsWith::new("auth_token", &["access_key", "secret_key"]);
    assert!(run(&v, &config(&[("access_key", s("AK")), ("secret_key", s("SK"))])).is_empty(), "others may coexist");
    assert!(run(&v, &config(&[("auth_token", s("t"))])).is_empty());
    assert!(run(&v, &config(&[("auth_token", Value::Unknown), ("access_key", s("AK"))])).is_empty());
    assert!(run(&v, &config(&[("auth_token", s("t")), ("access_key", Value::Unknown)])).is_empty());
    let diags = run(&v, &config(&[("auth_token", s("t")), ("access_key", s("AK"))]));
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].attribute, Some(AttributePath::attr("auth_token")));
    assert_eq!(diags[0].summary, "Conflicting attributes");
    assert_eq!(
        diags[0].detail,
        "\"auth_token\" cannot be set together with \"access_key\". Remove \"auth_token\" or \"access_key\"."
    );
    assert!(!diags[0].detail.contains("AK"), "values are never quoted");
}

#[test]
fn required_with() {
    let v = RequiredWith::new(&["access_key", "secret_key"]);
    assert!(run(&v, &config(&[])).is_empty());
    assert!(run(&v, &config(&[("access_key", s("AK")), ("secret_key", s("SK"))])).is_empty());
    assert!(run(&v, &config(&[("access_key", s("AK")), ("secret_key", Value::Unknown)])).is_empty());
    assert!(run(&v, &config(&[("access_key", Value::Unknown)])).is_empty());
    let diags = run(&v, &config(&[("access_key", s("AK"))]));
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].attribute, Some(AttributePath::attr("secret_key")));
    assert_eq!(diags[0].summary, "Missing required attribute");
    assert_eq!(
        diags[0].detail,
        "\"secret_key\" must be set when \"access_key\" is set: \"access_key\" and \"secret_key\" are used together. Set \"secret_key\", or remove \"access_key\"."
    );
    let three = RequiredWith::new(&["user_name", "password", "domain_name"]);
    let diags = run(&three, &config(&[("password", s("p"))]));
    let paths: Vec<_> = diags.iter().filter_map(|d| d.attribute.clone()).collect();
    assert_eq!(paths, vec![AttributePath::attr("user_name"), AttributePath::attr("domain_name")]);
}

#[test]
fn required_if() {
    let v = RequiredIf::new("type", "instance", &["instance_id"]);
    assert!(run(&v, &config(&[("type", s("instance")), ("instance_id", s("abc"))])).is_empty());
    assert!(run(&v, &config(&[("type", s("global"))])).is_empty());
    assert!(run(&v, &config(&[("type", Value::Unknown)])).is_empty(), "unknown condition: may or may not hold");
    assert!(run(&v, &config(&[("type", s("instance")), ("instance_id", Value::Unknown)])).is_empty());
    assert!(
        run(&v, &config(&[("type", s("global")), ("instance_id", s("abc"))])).is_empty(),
        "not forbidden by default"
    );
    let diags = run(&v, &config(&[("type", s("instance"))]));
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].attribute, Some(AttributePath::attr("instance_id")));
    assert_eq!(diags[0].summary, "Missing required attribute");
    assert_eq!(diags[0].detail, "\"instance_id\" is required when \"type\" is \"instance\". Set \"instance_id\".");
    assert_eq!(v.description(), "\"instance_id\" required when \"type\" is \"instance\"");
}

#[test]
fn required_if_and_only_if() {
    let v = RequiredIf::new("type", "instance", &["instance_id"]).forbidden_otherwise().null_means("global");
    let diags = run(&v, &config(&[("type", s("global")), ("instance_id", s("abc"))]));
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].summary, "Invalid attribute combination");
    assert_eq!(
        diags[0].detail,
        "\"instance_id\" can only be set when \"type\" is \"instance\", but it is \"global\". Remove \"instance_id\", or set \"type\" to \"instance\"."
    );
    // A null condition stands for its default.
    assert_eq!(run(&v, &config(&[("instance_id", s("abc"))])).len(), 1);
    assert!(run(&v, &config(&[("type", Value::Unknown), ("instance_id", s("abc"))])).is_empty());
    assert!(run(&v, &config(&[("type", s("global")), ("instance_id", Value::Unknown)])).is_empty());

    let with_default_instance = RequiredIf::new("type", "instance", &["instance_id"]).null_means("instance");
    assert_eq!(run(&with_default_instance, &config(&[])).len(), 1);
    let numeric = RequiredIf::new("replicas", 3i64, &["zone"]);
    assert_eq!(
        run(&numeric, &config(&[("replicas", Value::number(3))])).first().map(|d| d.detail.clone()),
        Some("\"zone\" is required when \"replicas\" is 3. Set \"zone\".".to_string())
    );
}

#[test]
fn nested_paths_follow_blocks() {
    let path = |i: i64, name: &str| AttributePath::attr("endpoint").push_index(i).push_attr(name);
    let v = ExactlyOneOf::from_paths(vec![path(0, "url"), path(0, "host")]);
    let block = |url: Value, host: Value| {
        config(&[("endpoint", Value::List(vec![Value::object([("url", url), ("host", host)])]))])
    };
    assert!(run(&v, &block(s("u"), Value::Null)).is_empty());
    let diags = run(&v, &block(s("u"), s("h")));
    assert_eq!(diags.first().and_then(|d| d.attribute.clone()), Some(path(0, "host")));
    assert!(run(&v, &config(&[("endpoint", Value::Unknown)])).is_empty(), "an unknown block may hold either");
}
