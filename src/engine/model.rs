//! Typed models: a resource reads `plan.name`, not `plan.get_str("name")`.
//!
//! A model is a struct whose fields are [`Val`]s (null, unknown or known, explicitly, as in
//! terraform-plugin-framework's `types.String`), declared with [`tf_model!`] next to the attribute
//! name each field stands for. The macro writes the one conversion from and to `cty::Value`, and
//! lists the fields so that a test checks every model against its schema ([`check_against`]): the
//! two cannot drift apart unnoticed. A list of nested objects is an [`ObjectList`] of another
//! model, its type built from that model's fields ([`Model::object_type`]); a set of nested blocks
//! is an [`ObjectSet`], whose elements are read one by one, so that one block holding a value
//! known only after apply leaves the others readable (a set element with unknowns cannot be
//! matched by value, so resource code handles each element on its own).
//!
//! Writing a model back over the value it was read from changes only what the code changed: a
//! field still equal to what reading gives keeps its value as it was. That keeps what a model
//! cannot hold, such as the known parts of a partly unknown set, which Terraform requires a plan
//! to carry unchanged.
//!
//! Why a declarative macro and not serde over `cty::Value`: serde has no notion of "unknown", so
//! it would need a private sentinel type threaded through a hand-written `Deserializer` and
//! `Serializer` (hundreds of lines, all of it generic plumbing); a proc-macro derive needs a crate
//! of its own. `macro_rules!` gives the same one-line-per-field declaration, compiles fast and
//! keeps the conversion readable in this file.

use std::collections::BTreeSet;

use crate::protocol::cty::{Number, Type, Value};
use crate::protocol::schema::NestingMode;
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
pub trait Field: Sized + PartialEq {
    /// The attribute's cty type.
    fn cty_type() -> Type;
    /// A known, non-null value; `Err` names what was found instead.
    fn from_cty(v: &Value) -> Result<Self, String>;
    fn to_cty(&self) -> Value;
    /// A value with unknowns somewhere inside. By default the field is then unknown as a whole,
    /// which is all resource code can use of a partly known string list.
    fn from_partly_unknown(_v: &Value) -> Result<Val<Self>, String> {
        Ok(Val::Unknown)
    }
    /// For a collection of nested objects, which may stand for a nested block: how it nests and
    /// its elements' fields ([`check_against`] compares them with the block).
    fn nested() -> Option<NestedFields> {
        None
    }
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

/// A set of strings with every element known (like `Vec<String>`, an unknown element makes the
/// whole set unknown to the model).
impl Field for BTreeSet<String> {
    fn cty_type() -> Type {
        Type::set(Type::String)
    }
    fn from_cty(v: &Value) -> Result<Self, String> {
        let items = v.as_elements().ok_or("a set of strings")?;
        items.iter().map(|i| i.as_str().map(str::to_string).ok_or_else(|| "a set of strings".into())).collect()
    }
    fn to_cty(&self) -> Value {
        Value::Set(self.iter().map(|s| Value::string(s.as_str())).collect())
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
        read_objects(v, "list").map(ObjectList)
    }
    fn to_cty(&self) -> Value {
        Value::List(self.0.iter().map(|m| m.to_value_over(&Value::Object(Default::default()))).collect())
    }
    fn nested() -> Option<NestedFields> {
        Some(NestedFields { nesting: NestingMode::List, fields: M::fields() })
    }
}

/// The elements of a list or set of objects, each read by `M`; `kind` names the collection in
/// the error.
fn read_objects<M: Model>(v: &Value, kind: &str) -> Result<Vec<M>, String> {
    let expected = || format!("a {kind} of objects");
    let items = v.as_elements().ok_or_else(expected)?;
    items
        .iter()
        .map(|item| match item.unwrap_dynamic() {
            Value::Object(_) => {
                M::from_value(item).map_err(|e| format!("a {kind} of objects whose `{}` is {}", e.name, e.expected))
            }
            _ => Err(expected()),
        })
        .collect()
}

/// A set of nested objects, such as the elements of a set-nested block, each read and written by
/// its own model `M`. Unlike [`ObjectList`], an element holding unknowns is still read: each of its
/// fields is null, unknown or known on its own (an element that is itself unknown makes the set
/// unknown, as nothing can be said of it). Elements keep the order they were read in.
#[derive(Debug, Clone, Default)]
pub struct ObjectSet<M> {
    elements: Vec<M>,
    /// The value each element was read from (empty for elements made by code), so that writing an
    /// element back keeps what its model cannot hold.
    read_from: Vec<Value>,
}

impl<M> ObjectSet<M> {
    pub fn iter(&self) -> std::slice::Iter<'_, M> {
        self.elements.iter()
    }
    /// The elements, to change in place (adding or removing elements means building a new set).
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, M> {
        self.elements.iter_mut()
    }
}

impl<M> From<Vec<M>> for ObjectSet<M> {
    fn from(elements: Vec<M>) -> Self {
        ObjectSet { elements, read_from: Vec::new() }
    }
}

/// Equal elements in the same order; where they were read from does not count.
impl<M: PartialEq> PartialEq for ObjectSet<M> {
    fn eq(&self, other: &Self) -> bool {
        self.elements == other.elements
    }
}

impl<M: Model> Field for ObjectSet<M> {
    fn cty_type() -> Type {
        Type::set(M::object_type())
    }
    fn from_cty(v: &Value) -> Result<Self, String> {
        let elements = read_objects(v, "set")?;
        Ok(ObjectSet { elements, read_from: v.as_elements().unwrap_or_default().to_vec() })
    }
    fn to_cty(&self) -> Value {
        let empty = Value::Object(Default::default());
        Value::Set(
            self.elements
                .iter()
                .enumerate()
                .map(|(i, m)| m.to_value_over(self.read_from.get(i).unwrap_or(&empty)))
                .collect(),
        )
    }
    fn from_partly_unknown(v: &Value) -> Result<Val<Self>, String> {
        if v.as_elements().is_some_and(|items| items.iter().any(Value::is_unknown)) {
            return Ok(Val::Unknown);
        }
        Self::from_cty(v).map(Val::Known)
    }
    fn nested() -> Option<NestedFields> {
        Some(NestedFields { nesting: NestingMode::Set, fields: M::fields() })
    }
}

/// Reads attribute `name` of `object` as a `Val<T>`; a missing attribute is null.
pub fn read_field<T: Field>(object: &Value, name: &'static str) -> Result<Val<T>, ModelError> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(Val::Null),
        Some(v) if v.is_unknown() => Ok(Val::Unknown),
        Some(v) if !v.is_wholly_known() => {
            T::from_partly_unknown(v.unwrap_dynamic()).map_err(|expected| ModelError { name, expected })
        }
        Some(v) => T::from_cty(v.unwrap_dynamic()).map(Val::Known).map_err(|expected| ModelError { name, expected }),
    }
}

/// Sets attribute `name` of `object` to `value`, unless the attribute already holds what reads as
/// `value` (then it keeps its exact value, e.g. a partly unknown set read as unknown).
pub fn write_field<T: Field>(object: &mut Value, name: &'static str, value: &Val<T>) {
    if object.get(name).is_some() && read_field::<T>(object, name).as_ref() == Ok(value) {
        return;
    }
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

/// One field of a model: the attribute (or nested block) it stands for and its type.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldInfo {
    pub name: &'static str,
    pub ty: Type,
    /// Set for a collection of nested objects, which may stand for a nested block.
    pub nested: Option<NestedFields>,
}

impl FieldInfo {
    pub fn of<T: Field>(name: &'static str) -> FieldInfo {
        FieldInfo { name, ty: T::cty_type(), nested: T::nested() }
    }
}

/// How a field's nested objects nest, and their fields.
#[derive(Debug, Clone, PartialEq)]
pub struct NestedFields {
    pub nesting: NestingMode,
    pub fields: Vec<FieldInfo>,
}

/// What [`tf_model!`] implements.
pub trait Model: Sized + PartialEq {
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
                vec![$($crate::engine::model::FieldInfo::of::<$fty>($attr)),*]
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

/// The disagreements between a model and a block schema: a field with no attribute or block, or of
/// another type or nesting; an attribute or block with no field (`except` names top-level ones
/// handled elsewhere, e.g. by the engine). Nested blocks are checked field by field, their
/// attributes named `block.attribute`.
pub fn check_against<M: Model>(block: &BlockSchema, except: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    check_fields(&M::fields(), block, except, "", &mut problems);
    problems
}

fn check_fields(fields: &[FieldInfo], block: &BlockSchema, except: &[&str], prefix: &str, problems: &mut Vec<String>) {
    for f in fields {
        let name = format!("{prefix}{}", f.name);
        if let Some(a) = block.attributes.iter().find(|a| a.name == f.name) {
            if a.ty != f.ty {
                problems.push(format!(
                    "`{name}` is {} in the schema but {} in the model",
                    a.ty.friendly_name(),
                    f.ty.friendly_name()
                ));
            }
        } else if let Some(b) = block.blocks.iter().find(|b| b.type_name == f.name) {
            match &f.nested {
                Some(n) if n.nesting == b.nesting => {
                    check_fields(&n.fields, &b.block, &[], &format!("{name}."), problems)
                }
                _ => problems.push(format!(
                    "`{name}` is a {} block in the schema but {} in the model",
                    nesting_name(b.nesting),
                    f.ty.friendly_name()
                )),
            }
        } else {
            problems.push(format!("field for `{name}`, which the schema does not have"));
        }
    }
    let unclaimed = |n: &str| !except.contains(&n) && !fields.iter().any(|f| f.name == n);
    for a in block.attributes.iter().filter(|a| unclaimed(&a.name)) {
        problems.push(format!("schema attribute `{prefix}{}` has no field", a.name));
    }
    for b in block.blocks.iter().filter(|b| unclaimed(&b.type_name)) {
        problems.push(format!("schema block `{prefix}{}` has no field", b.type_name));
    }
}

fn nesting_name(nesting: NestingMode) -> &'static str {
    match nesting {
        NestingMode::Single => "single",
        NestingMode::List => "list",
        NestingMode::Set => "set",
        NestingMode::Map => "map",
        NestingMode::Group => "group",
    }
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
