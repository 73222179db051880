use super::*;
use crate::engine::AttributeSchema;

crate::tf_model! {
    /// A small model for the tests.
    struct Toy {
        name: String => "name",
        enabled: bool => "enabled",
        version: Number => "version",
        tags: Vec<String> => "tags",
    }
}

crate::tf_model! {
    /// One element of a nested list.
    struct Item {
        id: String => "id",
        port: Number => "port",
    }
}

crate::tf_model! {
    /// A model with a nested list of `Item`s.
    struct Outer {
        name: String => "name",
        items: ObjectList<Item> => "items",
    }
}

fn object(pairs: &[(&str, Value)]) -> Value {
    Value::object(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())))
}

#[test]
fn null_unknown_and_known_survive_the_round_trip() {
    let v = object(&[
        ("name", Value::string("a")),
        ("enabled", Value::Unknown),
        ("version", Value::Null),
        ("tags", Value::List(vec![Value::string("x"), Value::Unknown])),
        ("timeouts", Value::string("kept")),
    ]);
    let m = Toy::from_value(&v).unwrap();
    assert_eq!(m.name, Val::Known("a".to_string()));
    assert_eq!(m.name.as_deref(), Some("a"));
    assert!(m.enabled.is_unknown());
    assert!(m.version.is_null());
    assert!(m.tags.is_unknown(), "a list with an unknown element is not known");
    let mut back = m.to_value_over(&v);
    assert_eq!(back.get("timeouts"), Some(&Value::string("kept")), "undeclared attributes keep their value");
    assert_eq!(back.get("name"), Some(&Value::string("a")));
    assert_eq!(back.get("enabled"), Some(&Value::Unknown));
    let mut m2 = m.clone();
    m2.tags = Val::Known(vec!["y".into()]);
    m2.write_to(&mut back);
    assert_eq!(back.get("tags"), Some(&Value::List(vec![Value::string("y")])));
    assert_eq!(Toy::from_value(&back).unwrap().tags.known().map(Vec::len), Some(1));
}

#[test]
fn a_value_of_the_wrong_type_is_a_diagnostic_on_its_attribute() {
    let v = object(&[("name", Value::Bool(true))]);
    let e = Toy::from_value(&v).unwrap_err();
    assert_eq!(e, ModelError { name: "name", expected: "a string".into() });
    let d = Diagnostic::from(e);
    assert_eq!(d.attribute, Some(AttributePath::attr("name")));
    assert!(Toy::from_value(&Value::Null).unwrap().name.is_null(), "a null object reads as all null");
}

#[test]
fn the_schema_check_finds_every_kind_of_disagreement() {
    let block = BlockSchema::new("t")
        .attribute(AttributeSchema::string("name"))
        .attribute(AttributeSchema::string("enabled"))
        .attribute(AttributeSchema::number("version"))
        .attribute(AttributeSchema::string("extra"))
        .attribute(AttributeSchema::string("id"));
    let problems = check_against::<Toy>(&block, &["id"]);
    assert_eq!(
        problems,
        [
            "`enabled` is string in the schema but bool in the model",
            "field for `tags`, which the schema does not have",
            "schema attribute `extra` has no field",
        ]
    );
}

#[test]
fn a_nested_list_is_a_list_of_its_models_object_type() {
    let item = Type::object([("id", Type::String), ("port", Type::Number)]);
    assert_eq!(Item::object_type(), item);
    assert_eq!(<ObjectList<Item> as Field>::cty_type(), Type::list(item.clone()));
    let block = BlockSchema::new("o")
        .attribute(AttributeSchema::string("name"))
        .attribute(AttributeSchema::new("items", Type::list(item)));
    assert_eq!(check_against::<Outer>(&block, &[]), Vec::<String>::new());
    let other = BlockSchema::new("o")
        .attribute(AttributeSchema::string("name"))
        .attribute(AttributeSchema::new("items", Type::list(Type::object([("id", Type::String)]))));
    let problems = check_against::<Outer>(&other, &[]);
    assert!(matches!(problems.as_slice(), [p] if p.starts_with("`items` is list of object")), "{problems:?}");
}

#[test]
fn a_nested_list_survives_the_round_trip_with_every_field_written() {
    let m = Outer {
        name: Val::Known("o".into()),
        items: Val::Known(ObjectList(vec![
            Item { id: Val::Known("a".into()), port: Val::Known(Number::from(443)) },
            Item { id: Val::Known("b".into()), port: Val::Null },
        ])),
    };
    let v = m.to_value_over(&Value::null_object_of(&Outer::object_type()));
    let items = v.get("items").and_then(Value::as_elements).unwrap();
    assert_eq!(items[1], object(&[("id", Value::string("b")), ("port", Value::Null)]), "null fields are written");
    assert!(v.conforms_to(&Outer::object_type()).is_ok());
    assert_eq!(Outer::from_value(&v).unwrap(), m);
    // A set of objects reads as well; an empty list is known and empty.
    let set = object(&[("items", Value::Set(vec![object(&[("id", Value::string("c"))])]))]);
    let read = Outer::from_value(&set).unwrap().items.into_known().unwrap();
    assert_eq!(read.0, [Item { id: Val::Known("c".into()), port: Val::Null }]);
    let empty = object(&[("items", Value::List(vec![]))]);
    assert_eq!(Outer::from_value(&empty).unwrap().items, Val::Known(ObjectList(vec![])));
}

#[test]
fn an_unknown_element_or_attribute_makes_the_nested_list_unknown() {
    let known = object(&[("id", Value::string("a")), ("port", Value::Null)]);
    let element = object(&[("items", Value::List(vec![known.clone(), Value::Unknown]))]);
    assert!(Outer::from_value(&element).unwrap().items.is_unknown());
    let inner = object(&[("id", Value::Unknown), ("port", Value::Null)]);
    let attribute = object(&[("items", Value::List(vec![known, inner]))]);
    assert!(Outer::from_value(&attribute).unwrap().items.is_unknown());
    let whole = object(&[("items", Value::Unknown)]);
    assert!(Outer::from_value(&whole).unwrap().items.is_unknown());
}

#[test]
fn a_nested_type_error_names_the_list_and_the_inner_attribute() {
    let wrong_inner = object(&[("items", Value::List(vec![object(&[("id", Value::Bool(true))])]))]);
    assert_eq!(
        Outer::from_value(&wrong_inner).unwrap_err(),
        ModelError { name: "items", expected: "a list of objects whose `id` is a string".into() }
    );
    for wrong in [Value::string("x"), Value::List(vec![Value::string("x")]), Value::List(vec![Value::Null])] {
        let e = Outer::from_value(&object(&[("items", wrong.clone())])).unwrap_err();
        assert_eq!(e, ModelError { name: "items", expected: "a list of objects".into() }, "{wrong:?}");
    }
}

crate::tf_model! {
    /// One element of a set-nested block.
    struct Rule {
        host: String => "host",
        ports: BTreeSet<String> => "ports",
        strict: bool => "strict",
    }
}

crate::tf_model! {
    /// A model with a set-nested block of `Rule`s.
    struct WithRules {
        name: String => "name",
        rule: ObjectSet<Rule> => "rule",
    }
}

fn rule(host: Value, ports: Value, strict: Value) -> Value {
    object(&[("host", host), ("ports", ports), ("strict", strict)])
}

fn strings(items: &[&str]) -> Value {
    Value::Set(items.iter().map(|s| Value::string(*s)).collect())
}

#[test]
fn a_string_set_reads_known_sets_only() {
    assert_eq!(<BTreeSet<String> as Field>::cty_type(), Type::set(Type::String));
    let v = rule(Value::Null, strings(&["b", "a"]), Value::Null);
    let ports = Rule::from_value(&v).unwrap().ports.into_known().unwrap();
    assert_eq!(ports.into_iter().collect::<Vec<_>>(), ["a", "b"]);
    let partly = rule(Value::Null, Value::Set(vec![Value::string("a"), Value::Unknown]), Value::Null);
    assert!(Rule::from_value(&partly).unwrap().ports.is_unknown());
    let wrong = rule(Value::Null, Value::Set(vec![Value::Bool(true)]), Value::Null);
    assert_eq!(
        Rule::from_value(&wrong).unwrap_err(),
        ModelError { name: "ports", expected: "a set of strings".into() }
    );
    let written = Rule { ports: Val::Known(["x".to_string()].into()), ..Default::default() }
        .to_value_over(&Value::Object(Default::default()));
    assert_eq!(written.get("ports"), Some(&strings(&["x"])));
}

#[test]
fn each_element_of_a_set_is_read_on_its_own() {
    let known = rule(Value::string("a.example.com"), Value::Null, Value::Null);
    let unknown_host = rule(Value::Unknown, strings(&["443"]), Value::Bool(true));
    let v = object(&[("name", Value::string("n")), ("rule", Value::Set(vec![known, unknown_host]))]);
    let rules = WithRules::from_value(&v).unwrap().rule.into_known().expect("the set is known");
    let read: Vec<&Rule> = rules.iter().collect();
    assert_eq!(read[0].host.as_deref(), Some("a.example.com"));
    assert!(read[0].strict.is_null());
    assert!(read[1].host.is_unknown(), "only the unknown attribute is unknown");
    assert_eq!(read[1].strict, Val::Known(true));
    assert_eq!(rules.iter().count(), 2);
    // An element that is itself unknown, or the whole set, cannot be read.
    let element = object(&[("rule", Value::Set(vec![Value::Unknown]))]);
    assert!(WithRules::from_value(&element).unwrap().rule.is_unknown());
    assert!(WithRules::from_value(&object(&[("rule", Value::Unknown)])).unwrap().rule.is_unknown());
    let wrong = object(&[("rule", Value::Set(vec![rule(Value::Bool(true), Value::Null, Value::Null)]))]);
    assert_eq!(
        WithRules::from_value(&wrong).unwrap_err(),
        ModelError { name: "rule", expected: "a set of objects whose `host` is a string".into() }
    );
}

#[test]
fn writing_a_set_back_changes_only_what_the_code_changed() {
    let partly_known_ports = Value::Set(vec![Value::string("443"), Value::Unknown]);
    let a = rule(Value::string("a.example.com"), partly_known_ports.clone(), Value::Unknown);
    let b = rule(Value::Unknown, strings(&["80"]), Value::Null);
    let v = object(&[("name", Value::string("n")), ("rule", Value::Set(vec![a, b.clone()]))]);
    let mut m = WithRules::from_value(&v).unwrap();
    assert_eq!(m.to_value_over(&v), v, "written back unchanged, nothing changes");
    let Val::Known(rules) = &mut m.rule else { panic!("known") };
    for r in rules.iter_mut().filter(|r| r.host.known().is_some()) {
        r.strict = Val::Known(false);
    }
    let written = m.to_value_over(&v);
    let expected_a = rule(Value::string("a.example.com"), partly_known_ports, Value::Bool(false));
    assert_eq!(written.get("rule"), Some(&Value::Set(vec![expected_a, b])), "the partly known ports are kept");
}

#[test]
fn a_set_made_by_code_writes_every_field() {
    let m = WithRules {
        name: Val::Known("n".into()),
        rule: Val::Known(ObjectSet::from(vec![Rule { host: Val::Known("h".into()), ..Default::default() }])),
    };
    let v = m.to_value_over(&Value::null_object_of(&WithRules::object_type()));
    assert_eq!(v.get("rule"), Some(&Value::Set(vec![rule(Value::string("h"), Value::Null, Value::Null)])));
    assert!(v.conforms_to(&WithRules::object_type()).is_ok());
    assert_eq!(WithRules::from_value(&v).unwrap(), m);
}

#[test]
fn a_partly_unknown_attribute_written_back_unchanged_keeps_its_known_parts() {
    let tags = Value::List(vec![Value::string("x"), Value::Unknown]);
    let v = object(&[("name", Value::string("a")), ("tags", tags.clone())]);
    let mut m = Toy::from_value(&v).unwrap();
    assert!(m.tags.is_unknown());
    m.name = Val::Known("b".into());
    let written = m.to_value_over(&v);
    assert_eq!((written.get("name"), written.get("tags")), (Some(&Value::string("b")), Some(&tags)));
}

fn rule_block(host: Type) -> BlockSchema {
    BlockSchema::new("r")
        .attribute(AttributeSchema::new("host", host))
        .attribute(AttributeSchema::new("ports", Type::set(Type::String)))
        .attribute(AttributeSchema::bool("strict"))
}

#[test]
fn the_schema_check_compares_nested_blocks_field_by_field() {
    use crate::engine::NestedBlockSchema;
    let with = |nesting: NestingMode, inner: BlockSchema| {
        BlockSchema::new("w")
            .attribute(AttributeSchema::string("name"))
            .block(NestedBlockSchema::new("rule", nesting, inner))
    };
    assert_eq!(
        check_against::<WithRules>(&with(NestingMode::Set, rule_block(Type::String)), &[]),
        Vec::<String>::new()
    );
    assert_eq!(
        check_against::<WithRules>(&with(NestingMode::Set, rule_block(Type::Number)), &[]),
        ["`rule.host` is number in the schema but string in the model"]
    );
    let extra = rule_block(Type::String).attribute(AttributeSchema::string("note"));
    assert_eq!(
        check_against::<WithRules>(&with(NestingMode::Set, extra), &[]),
        ["schema attribute `rule.note` has no field"]
    );
    let problems = check_against::<WithRules>(&with(NestingMode::List, rule_block(Type::String)), &[]);
    assert!(
        matches!(problems.as_slice(), [p] if p.starts_with("`rule` is a list block in the schema but set of object"))
    );
    // A block the model does not know of, and a field for a block the schema lacks.
    let other = BlockSchema::new("w").attribute(AttributeSchema::string("name")).block(NestedBlockSchema::new(
        "other",
        NestingMode::Set,
        rule_block(Type::String),
    ));
    assert_eq!(
        check_against::<WithRules>(&other, &[]),
        ["field for `rule`, which the schema does not have", "schema block `other` has no field"]
    );
    assert_eq!(<ObjectSet<Rule> as Field>::nested().map(|n| n.nesting), Some(NestingMode::Set));
    assert_eq!(<ObjectList<Item> as Field>::nested().map(|n| n.fields.len()), Some(2));
}
