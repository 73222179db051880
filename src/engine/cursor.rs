//! A path under construction while walking a value. Set elements cannot be addressed on the wire,
//! so once a walk enters a set the path stays at the set attribute (tfplugin5.md §1.5).

use crate::protocol::cty::Type;
use crate::protocol::{AttributePath, PathStep};

#[derive(Clone, Debug, Default)]
pub(crate) struct PathCursor {
    path: AttributePath,
    in_set: bool,
}

impl PathCursor {
    pub(crate) fn root() -> Self {
        PathCursor::default()
    }
    pub(crate) fn attr(&self, name: &str) -> Self {
        self.step(PathStep::Attribute(name.to_string()))
    }
    pub(crate) fn index(&self, i: usize) -> Self {
        self.step(PathStep::ElementKeyInt(i64::try_from(i).unwrap_or(i64::MAX)))
    }
    pub(crate) fn key(&self, k: &str) -> Self {
        self.step(PathStep::ElementKeyString(k.to_string()))
    }
    /// Into an element of a set: the path stops here.
    pub(crate) fn set_element(&self) -> Self {
        PathCursor { path: self.path.clone(), in_set: true }
    }
    pub(crate) fn path(&self) -> AttributePath {
        self.path.clone()
    }
    fn step(&self, s: PathStep) -> Self {
        let mut next = self.clone();
        if !self.in_set {
            next.path.0.push(s);
        }
        next
    }
}

/// Cuts `path` at the first step that enters a set of `ty`, as terraform-plugin-go does, so
/// diagnostics from validators and resources never carry a step Terraform cannot resolve.
pub(crate) fn truncate_at_sets(path: &AttributePath, ty: &Type) -> AttributePath {
    let mut kept = Vec::new();
    let mut current = Some(ty);
    for step in path.steps() {
        match (current, step) {
            (Some(Type::Set(_)), _) => break,
            (Some(Type::Object(attrs)), PathStep::Attribute(name)) => current = attrs.get(name),
            (Some(Type::List(e)) | Some(Type::Map(e)), PathStep::ElementKeyInt(_) | PathStep::ElementKeyString(_)) => {
                current = Some(e)
            }
            (Some(Type::Tuple(elems)), PathStep::ElementKeyInt(i)) => {
                current = usize::try_from(*i).ok().and_then(|i| elems.get(i))
            }
            _ => current = None,
        }
        kept.push(step.clone());
    }
    AttributePath(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_stops_inside_sets() {
        let c = PathCursor::root().attr("domain").set_element().attr("name");
        assert_eq!(c.path(), AttributePath::attr("domain"));
        let l = PathCursor::root().attr("rule").index(2).attr("name");
        assert_eq!(l.path(), AttributePath::attr("rule").push_index(2).push_attr("name"));
    }

    #[test]
    fn truncation_follows_the_type() {
        let ty = Type::object([
            ("domain", Type::set(Type::object([("name", Type::String)]))),
            ("rule", Type::list(Type::object([("tags", Type::set(Type::String))]))),
            ("labels", Type::map(Type::String)),
        ]);
        let p = AttributePath::attr("domain").push_index(0).push_attr("name");
        assert_eq!(truncate_at_sets(&p, &ty), AttributePath::attr("domain"));
        let p = AttributePath::attr("rule").push_index(1).push_attr("tags").push_index(0);
        assert_eq!(truncate_at_sets(&p, &ty), AttributePath::attr("rule").push_index(1).push_attr("tags"));
        let p = AttributePath::attr("labels").push_key("a");
        assert_eq!(truncate_at_sets(&p, &ty), p);
    }
}
