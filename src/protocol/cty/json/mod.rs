//! JSON codecs: the compact type JSON (tfplugin5.md §3.1) and values as JSON for `RawState.json`
//! (§3.3), both matching go-cty.

mod go_string;
mod type_json;
mod value_json;

pub use type_json::{decode_type, encode_type};
pub use value_json::{decode_value, encode_value};
