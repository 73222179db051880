//! The generic planning rules (tfplugin5.md §4.2, §4.5), on values: start from Terraform's
//! proposed new state, fill computed attributes (default, unknown, or the prior value), keep the
//! configuration's block structure, null write-only attributes; then find requires-replace paths.

use std::collections::BTreeMap;

use crate::protocol::AttributePath;
use crate::protocol::cty::Value;
use crate::protocol::schema::NestingMode;

use super::cursor::PathCursor;
use super::schema::{AttributeSchema, BlockSchema, NestedBlockSchema, PlanModifier};
use super::timeouts::TIMEOUTS_BLOCK;
use super::values::{normalize_blocks, null_write_only, value_at};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    /// No prior object: computed attributes the config leaves null are unknown (or their default).
    Create,
    /// Prior exists; computed attributes keep what the proposed state carries (the prior value).
    Keep,
    /// Prior exists and something configurable changes: computed attributes become unknown unless
    /// they use the prior state.
    Changed,
}

/// The plan the generic rules give for a create (`prior` None) or an update. Destroys are not
/// planned here (the planned state is simply null).
pub(crate) fn plan_generic(block: &BlockSchema, prior: Option<&Value>, proposed: &Value, config: &Value) -> Value {
    let mut planned = match prior {
        None => plan_object(block, proposed, config, Mode::Create),
        Some(prior) => {
            let kept = plan_object(block, proposed, config, Mode::Keep);
            // A change of only the timeouts block changes nothing remote, so it must not turn
            // computed attributes unknown.
            if without_timeouts(&kept) == without_timeouts(prior) {
                kept
            } else {
                plan_object(block, proposed, config, Mode::Changed)
            }
        }
    };
    normalize_blocks(block, &mut planned);
    null_write_only(block, &mut planned);
    planned
}

/// `value` without its `timeouts` attribute (for "did anything else change" comparisons).
pub(crate) fn without_timeouts(value: &Value) -> Value {
    let mut v = value.clone();
    if let Value::Object(m) = &mut v {
        m.remove(TIMEOUTS_BLOCK);
    }
    v
}

fn plan_object(block: &BlockSchema, proposed: &Value, config: &Value, mode: Mode) -> Value {
    let Value::Object(p) = proposed else { return proposed.clone() };
    let mut out = BTreeMap::new();
    for a in &block.attributes {
        let cfg = config.get(&a.name).unwrap_or(&Value::Null);
        let prop = p.get(&a.name).unwrap_or(&Value::Null);
        out.insert(a.name.clone(), plan_attribute(a, prop, cfg, mode));
    }
    for b in &block.blocks {
        let cfg = config.get(&b.type_name).unwrap_or(&Value::Null);
        let prop = p.get(&b.type_name).unwrap_or(&Value::Null);
        out.insert(b.type_name.clone(), plan_nested(b, prop, cfg, mode));
    }
    Value::Object(out)
}

fn plan_attribute(a: &AttributeSchema, proposed: &Value, config: &Value, mode: Mode) -> Value {
    if a.write_only {
        return Value::Null;
    }
    if !a.computed || !config.is_null() {
        // Configured values are planned exactly as written (unknown stays unknown).
        return config.clone();
    }
    if let Some(default) = &a.default {
        return default.clone();
    }
    let keeps_prior = a.plan_modifiers.contains(&PlanModifier::UseStateForUnknown);
    match mode {
        Mode::Create => Value::Unknown,
        Mode::Keep => proposed.clone(),
        Mode::Changed if keeps_prior && !proposed.is_null() => proposed.clone(),
        Mode::Changed => Value::Unknown,
    }
}

fn plan_nested(b: &NestedBlockSchema, proposed: &Value, config: &Value, mode: Mode) -> Value {
    if config.is_unknown() {
        // A dynamic block with an unknown for_each must be planned unchanged.
        return Value::Unknown;
    }
    match b.nesting {
        NestingMode::Single | NestingMode::Group => {
            if config.is_null() {
                return Value::Null;
            }
            let p = if proposed.is_null() { config } else { proposed };
            plan_object(&b.block, p, config, mode)
        }
        NestingMode::List => {
            let configs = config.as_elements().unwrap_or(&[]);
            let proposals = proposed.as_elements().unwrap_or(&[]);
            Value::List(
                configs
                    .iter()
                    .enumerate()
                    .map(|(i, c)| plan_object(&b.block, proposals.get(i).unwrap_or(c), c, mode))
                    .collect(),
            )
        }
        NestingMode::Map => {
            let empty = BTreeMap::new();
            let configs = config.as_map().unwrap_or(&empty);
            let proposals = proposed.as_map().unwrap_or(&empty);
            Value::Map(
                configs
                    .iter()
                    .map(|(k, c)| (k.clone(), plan_object(&b.block, proposals.get(k).unwrap_or(c), c, mode)))
                    .collect(),
            )
        }
        NestingMode::Set => {
            let configs = config.as_elements().unwrap_or(&[]);
            let proposals = match proposed.as_elements() {
                Some(p) if !p.is_empty() || configs.is_empty() => p,
                _ => configs,
            };
            // Set elements have no identity: pair each proposed element with the config element
            // it came from (the one whose configured values it carries).
            let mut used = vec![false; configs.len()];
            let mut out: Vec<Value> = Vec::with_capacity(proposals.len());
            for p in proposals {
                let found = configs.iter().enumerate().find(|(i, c)| !used[*i] && carries_config(&b.block, p, c));
                let c = match found {
                    Some((i, c)) => {
                        used[i] = true;
                        c
                    }
                    None => p,
                };
                let planned = plan_object(&b.block, p, c, mode);
                if !planned.is_wholly_known() || !out.contains(&planned) {
                    out.push(planned);
                }
            }
            Value::Set(out)
        }
    }
}

/// True when `proposed` holds every non-null value of `config` (recursively through blocks).
fn carries_config(block: &BlockSchema, proposed: &Value, config: &Value) -> bool {
    let attrs_match = block.attributes.iter().all(|a| match config.get(&a.name) {
        None | Some(Value::Null) => true,
        Some(c) => a.write_only || proposed.get(&a.name) == Some(c),
    });
    attrs_match
        && block.blocks.iter().all(|b| {
            let c = config.get(&b.type_name).unwrap_or(&Value::Null);
            let p = proposed.get(&b.type_name).unwrap_or(&Value::Null);
            match (c, p) {
                (Value::Null, _) | (Value::Unknown, _) => true,
                (Value::Object(_), Value::Object(_)) => carries_config(&b.block, p, c),
                (Value::List(cs), Value::List(ps)) => {
                    cs.len() == ps.len() && cs.iter().zip(ps).all(|(c, p)| carries_config(&b.block, p, c))
                }
                (Value::Set(cs), Value::Set(ps)) => {
                    cs.iter().all(|c| ps.iter().any(|p| carries_config(&b.block, p, c)))
                }
                (Value::Map(cs), Value::Map(ps)) => {
                    cs.len() == ps.len()
                        && cs.iter().all(|(k, c)| ps.get(k).is_some_and(|p| carries_config(&b.block, p, c)))
                }
                _ => false,
            }
        })
}

/// Paths whose planned value differs from the prior value and whose declaration (attribute or
/// nested block) says such a change replaces the object.
pub(crate) fn requires_replace(block: &BlockSchema, prior: &Value, planned: &Value) -> Vec<AttributePath> {
    let mut out = Vec::new();
    replace_paths(block, prior, planned, &PathCursor::root(), &mut out);
    out
}

fn replace_paths(block: &BlockSchema, prior: &Value, planned: &Value, at: &PathCursor, out: &mut Vec<AttributePath>) {
    let null = Value::Null;
    for a in &block.attributes {
        if a.plan_modifiers.contains(&PlanModifier::RequiresReplace) {
            let before = prior.get(&a.name).unwrap_or(&null);
            let after = planned.get(&a.name).unwrap_or(&null);
            if before != after {
                push_unique(out, at.attr(&a.name).path());
            }
        }
    }
    for b in &block.blocks {
        let before = prior.get(&b.type_name).unwrap_or(&null);
        let after = planned.get(&b.type_name).unwrap_or(&null);
        let here = at.attr(&b.type_name);
        if b.plan_modifiers.contains(&PlanModifier::RequiresReplace) {
            if before != after {
                push_unique(out, here.path());
            }
            continue;
        }
        if !has_replace_inside(&b.block) || before == after {
            continue;
        }
        if before.is_unknown() || after.is_unknown() {
            push_unique(out, here.path());
            continue;
        }
        match b.nesting {
            NestingMode::Single | NestingMode::Group => replace_paths(&b.block, before, after, &here, out),
            NestingMode::List => {
                let (bs, as_) = (before.as_elements().unwrap_or(&[]), after.as_elements().unwrap_or(&[]));
                for i in 0..bs.len().max(as_.len()) {
                    let (x, y) = (bs.get(i).unwrap_or(&null), as_.get(i).unwrap_or(&null));
                    replace_paths(&b.block, x, y, &here.index(i), out);
                }
            }
            NestingMode::Map => {
                let empty = BTreeMap::new();
                let (bm, am) = (before.as_map().unwrap_or(&empty), after.as_map().unwrap_or(&empty));
                for k in bm.keys().chain(am.keys().filter(|k| !bm.contains_key(*k))) {
                    let (x, y) = (bm.get(k).unwrap_or(&null), am.get(k).unwrap_or(&null));
                    replace_paths(&b.block, x, y, &here.key(k), out);
                }
            }
            NestingMode::Set => {
                // Elements cannot be correlated: compare the sets of replace-relevant projections.
                let project = |v: &Value| -> Vec<Value> {
                    v.as_elements().unwrap_or(&[]).iter().map(|e| replace_projection(&b.block, e)).collect()
                };
                let (x, y) = (Value::Set(project(before)), Value::Set(project(after)));
                if x != y {
                    push_unique(out, here.path());
                }
            }
        }
    }
}

fn push_unique(out: &mut Vec<AttributePath>, p: AttributePath) {
    if !out.contains(&p) {
        out.push(p);
    }
}

fn has_replace_inside(block: &BlockSchema) -> bool {
    block.attributes.iter().any(|a| a.plan_modifiers.contains(&PlanModifier::RequiresReplace))
        || block
            .blocks
            .iter()
            .any(|b| b.plan_modifiers.contains(&PlanModifier::RequiresReplace) || has_replace_inside(&b.block))
}

/// The part of a block object that requires-replace rules look at.
fn replace_projection(block: &BlockSchema, v: &Value) -> Value {
    let mut out = BTreeMap::new();
    for a in block.attributes.iter().filter(|a| a.plan_modifiers.contains(&PlanModifier::RequiresReplace)) {
        out.insert(a.name.clone(), v.get(&a.name).cloned().unwrap_or(Value::Null));
    }
    for b in &block.blocks {
        let inner = v.get(&b.type_name).cloned().unwrap_or(Value::Null);
        if b.plan_modifiers.contains(&PlanModifier::RequiresReplace) {
            out.insert(b.type_name.clone(), inner);
        } else if has_replace_inside(&b.block) {
            let projected = match inner {
                Value::Object(_) => replace_projection(&b.block, &inner),
                Value::List(items) => Value::List(items.iter().map(|e| replace_projection(&b.block, e)).collect()),
                Value::Set(items) => Value::Set(items.iter().map(|e| replace_projection(&b.block, e)).collect()),
                Value::Map(m) => {
                    Value::Map(m.iter().map(|(k, e)| (k.clone(), replace_projection(&b.block, e))).collect())
                }
                other => other,
            };
            out.insert(b.type_name.clone(), projected);
        }
    }
    Value::Object(out)
}

/// Keeps the requires-replace paths a resource added only if they exist in prior or planned
/// (Terraform rejects paths that exist in neither).
pub(crate) fn existing_paths(paths: Vec<AttributePath>, prior: &Value, planned: &Value) -> Vec<AttributePath> {
    let mut out = Vec::new();
    for p in paths {
        if value_at(prior, &p).is_some() || value_at(planned, &p).is_some() {
            push_unique(&mut out, p);
        } else {
            tracing::warn!(path = %p, "dropping a requires-replace path that exists in neither prior nor plan");
        }
    }
    out
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
