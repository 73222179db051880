//! Stored state JSON → a value of the current schema type (UpgradeResourceState): attributes the
//! schema no longer has are dropped (go-cty's JSON decoder would reject them), missing ones become
//! null in the lenient decoder.

use serde_json::Value as Json;

use crate::protocol::cty::Type;

/// Removes object members that `ty` does not declare, at any depth.
pub(crate) fn prune_to_type(json: Json, ty: &Type) -> Json {
    match (ty, json) {
        (Type::Object(attrs), Json::Object(m)) => Json::Object(
            m.into_iter()
                .filter_map(|(k, v)| {
                    let t = attrs.get(&k)?;
                    Some((k, prune_to_type(v, t)))
                })
                .collect(),
        ),
        (Type::List(e) | Type::Set(e), Json::Array(items)) => {
            Json::Array(items.into_iter().map(|v| prune_to_type(v, e)).collect())
        }
        (Type::Map(e), Json::Object(m)) => Json::Object(m.into_iter().map(|(k, v)| (k, prune_to_type(v, e))).collect()),
        (Type::Tuple(ts), Json::Array(items)) => {
            Json::Array(items.into_iter().zip(ts).map(|(v, t)| prune_to_type(v, t)).collect())
        }
        (_, other) => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_unknown_members_at_any_depth() {
        let ty = Type::object([
            ("name", Type::String),
            ("rule", Type::list(Type::object([("n", Type::String)]))),
            ("labels", Type::map(Type::String)),
        ]);
        let json: Json =
            serde_json::from_str(r#"{"name":"a","gone":1,"rule":[{"n":"x","old":true}],"labels":{"keep":"me"}}"#)
                .unwrap();
        let pruned = prune_to_type(json, &ty);
        assert_eq!(pruned, serde_json::json!({"name":"a","rule":[{"n":"x"}],"labels":{"keep":"me"}}));
    }
}
