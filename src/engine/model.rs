//! Typed models: a resource reads `plan.name`, not `plan.get_str("name")`.
//!
//! A model is a struct whose fields are [`Val`]s (null, unknown or known, explicitly, as in
//! terraform-plugin-framework's `types.String`), declared with [`tf_model!`] next to the attribute
//! name each field stands for. The macro writes the one conversion from and to `cty::Value`, and
//! lists the fields so that a test checks every model against its schema ([`check_against`]): the
//! two cannot drift apart unnoticed. A list of nested objects is an [`ObjectList`] of another
//! model, its type built from that model's fields ([`Model::object_type`]).
//!
//! Why a declarative macro and not serde over `cty::Value`: serde has no notion of "unknown", so
//! it would need a private sentinel type threaded through a hand-written `Deserializer` and
//! `Serializer` (hundreds of lines, all of it generic plumbing); a proc-macro derive needs a crate
//! of its own. `macro_rules!` gives the same one-line-per-field declaration, compiles fast and
//! keeps the conversion readable in this file.

use crate::protocol::cty::{Number, Type, Value};
use crate::protocol::{AttributePath, Diagnostic};

use super::schema::BlockSchema;

/// An attribute's value as Terraform holds it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Val<T> {
    #[default]
    Null,
    /// Not known until apply.
    Unknown,
    Known(T),
}

impl<T> Val<T> {
    pub fn is_null(&self) -> bool {
        matches!(self, Val::Null)
    }
    pub fn is_unknown(&self) -> bool {
        matches!(self, Val::Unknown)
    }
    pub fn known(&self) -> Option<&T> {
        match self {
            Val::Known(v) => Some(v),
            _ => None,
        }
    }
    /// An unknown becomes null: what an apply leaves unreported is known to be absent.
    pub fn unknown_to_null(&mut self) {
        if self.is_unknown() {
            *self = Val::Null;
        }
    }
    pub fn into_known(self) -> Option<T> {
        match self {
            Val::Known(v) => Some(v),
            _ => None,
        }
    }
}

impl<T> From<Option<T>> for Val<T> {
    /// `None` is null.
    fn from(v: Option<T>) -> Self {
        v.map_or(Val::Null, Val::Known)
    }
}

impl Val<String> {
    pub fn as_deref(&self) -> Option<&str> {
        self.known().map(String::as_str)
    }
    /// A string from the API, null when the API left it empty.
    pub fn non_empty(s: &str) -> Val<String> {
        if s.is_empty() { Val::Null } else { Val::Known(s.to_string()) }
    }
}

/// A Rust type an attribute converts to and from.
pub trait Field: Sized {
    /// The attribute's cty type.
    fn cty_type() -> Type;
    /// A known, non-null value; `Err` names what was found instead.
    fn from_cty(v: &Value) -> Result<Self, String>;
    fn to_cty(&self) -> Value;
}

impl Field for String {
    fn cty_type() -> Type {
        Type::String
    }
    fn from_cty(v: &Value) -> Result<Self, String> {
        v.as_str().map(str::to_string).ok_or_else(|| "a string".into())
    }
    fn to_cty(&self) -> Value {
        Value::string(self.as_str())
    }
}

impl Field for bool {
    fn cty_type() -> Type {
        Type::Bool
    }
    fn from_cty(v: &Value) -> Result<Self, String> {
        v.as_bool().ok_or_else(|| "a bool".into())
    }
    fn to_cty(&self) -> Value {
        Value::Bool(*self)
    }
}

impl Field for Number {
    fn cty_type() -> Type {
        Type::Number
    }
    fn from_cty(v: &Value) -> Result<Self, String> {
        v.as_number().cloned().ok_or_else(|| "a number".into())
    }
    fn to_cty(&self) -> Value {
        Value::Number(self.clone())
    }
}

/// A list of strings with every element known (an unknown element makes the whole list unknown
/// to the model, which is what resource code needs to know).
impl Field for Vec<String> {
    fn cty_type() -> Type {
        Type::list(Type::String)
    }
    fn from_cty(v: &Value) -> Result<Self, String> {
        let items = v.as_elements().ok_or("a list of strings")?;
        items.iter().map(|i| i.as_str().map(str::to_string).ok_or_else(|| "a list of strings".into())).collect()
    }
    fn to_cty(&self) -> Value {
        Value::List(self.iter().map(|s| Value::string(s.as_str())).collect())
    }
}

/// A list of nested objects, each read and written by its own model `M` (a computed list such as
/// a data source's results). Like `Vec<String>`, an unknown anywhere inside makes the whole list
/// unknown to the model; every element is written with every field of `M` set.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ObjectList<M>(pub Vec<M>);

impl<M: Model> Field for ObjectList<M> {
    fn cty_type() -> Type {
        Type::list(M::object_type())
    }
    fn from_cty(v: &Value) -> Result<Self, String> {
        let expected = || "a list of objects".to_string();
        let items = v.as_elements().ok_or_else(expected)?;
        items
            .iter()
            .map(|item| match item.unwrap_dynamic() {
                Value::Object(_) => {
                    M::from_value(item).map_err(|e| format!("a list of objects whose `{}` is {}", e.name, e.expected))
                }
                _ => Err(expected()),
            })
            .collect::<Result<Vec<M>, String>>()
            .map(ObjectList)
    }
    fn to_cty(&self) -> Value {
        Value::List(
            self.0
                .iter()
                .map(|m| {
                    let mut object = Value::Object(Default::default());
                    m.write_to(&mut object);
                    object
                })
                .collect(),
        )
    }
}

/// Reads attribute `name` of `object` as a `Val<T>`; a missing attribute is null.
pub fn read_field<T: Field>(object: &Value, name: &'static str) -> Result<Val<T>, ModelError> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(Val::Null),
        Some(v) if v.is_unknown() => Ok(Val::Unknown),
        Some(v) if !v.is_wholly_known() => Ok(Val::Unknown),
        Some(v) => T::from_cty(v.unwrap_dynamic()).map(Val::Known).map_err(|expected| ModelError { name, expected }),
    }
}

/// Sets attribute `name` of `object` to `value`.
pub fn write_field<T: Field>(object: &mut Value, name: &str, value: &Val<T>) {
    let v = match value {
        Val::Null => Value::Null,
        Val::Unknown => Value::Unknown,
        Val::Known(v) => v.to_cty(),
    };
    object.set(name, v);
}

/// A value that does not fit its model: Terraform sent something the schema does not allow (a
/// provider bug, or state from another provider version).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError {
    pub name: &'static str,
    pub expected: String,
}

impl From<ModelError> for Diagnostic {
    fn from(e: ModelError) -> Diagnostic {
        Diagnostic::error(
            "Unexpected value from Terraform",
            format!(
                "The attribute `{}` should be {}. This is a bug in the provider (or state written by another \
                 version of it): please report it. `terraform state rm` and a new import recover the resource.",
                e.name, e.expected
            ),
        )
        .with_attribute(AttributePath::attr(e.name))
    }
}

/// One field of a model: the attribute it stands for and its type.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldInfo {
    pub name: &'static str,
    pub ty: Type,
}

/// What [`tf_model!`] implements.
pub trait Model: Sized {
    fn fields() -> Vec<FieldInfo>;
    fn from_value(v: &Value) -> Result<Self, ModelError>;
    /// Writes every field into `object` (an object value; attributes the model does not declare,
    /// such as the `timeouts` block, keep their value).
    fn write_to(&self, object: &mut Value);

    /// The object type of the model's fields (what a nested list of this model holds).
    fn object_type() -> Type {
        Type::object(Self::fields().into_iter().map(|f| (f.name, f.ty)))
    }

    /// `base` with this model's fields written over it.
    fn to_value_over(&self, base: &Value) -> Value {
        let mut v = base.clone();
        self.write_to(&mut v);
        v
    }
}

/// Declares a model: `tf_model! { pub struct M { pub name: String => "name", ... } }` gives a
/// struct of `Val<..>` fields and its [`Model`] implementation.
#[macro_export]
macro_rules! tf_model {
    ($(#[$meta:meta])* $vis:vis struct $name:ident {
        $($(#[$fmeta:meta])* $fvis:vis $field:ident : $fty:ty => $attr:expr),* $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default)]
        $vis struct $name {
            $($(#[$fmeta])* $fvis $field: $crate::engine::model::Val<$fty>,)*
        }

        impl $crate::engine::model::Model for $name {
            fn fields() -> Vec<$crate::engine::model::FieldInfo> {
                vec![$($crate::engine::model::FieldInfo {
                    name: $attr,
                    ty: <$fty as $crate::engine::model::Field>::cty_type(),
                }),*]
            }
            fn from_value(
                v: &$crate::protocol::cty::Value,
            ) -> Result<Self, $crate::engine::model::ModelError> {
                Ok($name { $($field: $crate::engine::model::read_field::<$fty>(v, $attr)?,)* })
            }
            fn write_to(&self, object: &mut $crate::protocol::cty::Value) {
                $($crate::engine::model::write_field(object, $attr, &self.$field);)*
            }
        }
    };
}

/// The disagreements between a model and a block schema: a field with no attribute or another
/// type, an attribute with no field (`except` names those handled elsewhere, e.g. by the engine).
pub fn check_against<M: Model>(block: &BlockSchema, except: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    let fields = M::fields();
    for f in &fields {
        match block.attributes.iter().find(|a| a.name == f.name) {
            None => problems.push(format!("field for `{}`, which the schema does not have", f.name)),
            Some(a) if a.ty != f.ty => problems.push(format!(
                "`{}` is {} in the schema but {} in the model",
                f.name,
                a.ty.friendly_name(),
                f.ty.friendly_name()
            )),
            Some(_) => {}
        }
    }
    for a in &block.attributes {
        if !except.contains(&a.name.as_str()) && !fields.iter().any(|f| f.name == a.name) {
            problems.push(format!("schema attribute `{}` has no field", a.name));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
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
}
