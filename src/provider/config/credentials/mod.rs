//! Choosing the one credential method: a method named in the provider block wins over methods
//! found only in the environment; the environment may complete the method the block names (the
//! common `access_key` in the block, `HW_SECRET_KEY` in CI). Two methods in the block, or two in the
//! environment with none in the block, are a conflict.

use crate::client::{AuthMethod, Credentials, Secret};
use crate::protocol::cty::Value;
use crate::protocol::{AttributePath, Diagnostic, Diagnostics};

use super::Stage;
use super::env::{EnvSource, vars};
use super::schema::attr;
use super::setting::{self, InBlock, Origin, Setting};

/// In order of precedence when reporting a conflict: the later method gets the error.
pub const METHODS: [AuthMethod; 3] = [AuthMethod::Token, AuthMethod::AkSk, AuthMethod::Password];

/// The method's attributes with their environment variables; the required ones first.
pub fn attributes(method: AuthMethod) -> &'static [(&'static str, &'static str)] {
    match method {
        AuthMethod::Token => &[(attr::AUTH_TOKEN, vars::AUTH_TOKEN)],
        AuthMethod::AkSk => &[
            (attr::ACCESS_KEY, vars::ACCESS_KEY),
            (attr::SECRET_KEY, vars::SECRET_KEY),
            (attr::SECURITY_TOKEN, vars::SECURITY_TOKEN),
        ],
        AuthMethod::Password => &[
            (attr::USER_NAME, vars::USER_NAME),
            (attr::PASSWORD, vars::PASSWORD),
            (attr::DOMAIN_NAME, vars::DOMAIN_NAME),
        ],
    }
}

fn required_count(method: AuthMethod) -> usize {
    match method {
        AuthMethod::Token => 1,
        AuthMethod::AkSk => 2,
        AuthMethod::Password => 3,
    }
}

/// `access_key`, `secret_key` and `security_token`.
fn attribute_list(method: AuthMethod) -> String {
    join(attributes(method).iter().map(|(name, _)| format!("`{name}`")).collect())
}

fn join(items: Vec<String>) -> String {
    match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

const HOW_TO_CONFIGURE: &str = "Configure exactly one credential method, in the provider block or through the \
    environment: `auth_token` (HW_AUTH_TOKEN); or `access_key` + `secret_key` (HW_ACCESS_KEY, HW_SECRET_KEY), \
    optionally with `security_token` (HW_SECURITY_TOKEN) for temporary credentials; or `user_name` + `password` + \
    `domain_name` (HW_USER_NAME, HW_USER_PASSWORD, HW_DOMAIN_NAME).";

/// What the credential rules concluded.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The method and its values are known and complete.
    Resolved(Credentials),
    /// The method is known but some of its values are known only after apply.
    MethodOnly(AuthMethod),
    /// Unknown values leave even the method open.
    Undecided,
    /// An error was reported.
    Invalid,
}

impl Outcome {
    pub fn method(&self) -> Option<AuthMethod> {
        match self {
            Outcome::Resolved(c) => Some(c.method()),
            Outcome::MethodOnly(m) => Some(*m),
            Outcome::Undecided | Outcome::Invalid => None,
        }
    }
}

/// At [`Stage::Validate`] only conflicts inside the block are reported: what is missing may still
/// come from the environment at plan.
pub fn resolve(config: &Value, env: &dyn EnvSource, stage: Stage, diags: &mut Diagnostics) -> Outcome {
    let in_block = |name: &str| setting::in_block(config, name);
    let set_in_block = |m: AuthMethod| -> Vec<&'static str> {
        attributes(m).iter().map(|(name, _)| *name).filter(|name| matches!(in_block(name), InBlock::Set(_))).collect()
    };
    let named_in_block: Vec<AuthMethod> = METHODS.into_iter().filter(|m| !set_in_block(*m).is_empty()).collect();
    let any_unknown_in_block =
        METHODS.iter().flat_map(|m| attributes(*m).iter()).any(|(name, _)| matches!(in_block(name), InBlock::Unknown));

    let method = match named_in_block.as_slice() {
        [] if any_unknown_in_block || stage == Stage::Validate => return Outcome::Undecided,
        [] => {
            let in_env: Vec<AuthMethod> = METHODS
                .into_iter()
                .filter(|m| attributes(*m).iter().any(|(_, var)| env.non_empty(var).is_some()))
                .collect();
            match in_env.as_slice() {
                [] => {
                    diags.push(Diagnostic::error(
                        "Missing credentials",
                        format!("The provider block sets no credentials and none were found in the environment. {HOW_TO_CONFIGURE}"),
                    ));
                    return Outcome::Invalid;
                }
                [one] => *one,
                several => {
                    let set_vars: Vec<String> = several
                        .iter()
                        .flat_map(|m| attributes(*m).iter())
                        .filter(|(_, var)| env.non_empty(var).is_some())
                        .map(|(_, var)| var.to_string())
                        .collect();
                    diags.push(Diagnostic::error(
                        "Conflicting credentials in the environment",
                        format!(
                            "The environment sets more than one credential method ({}). Unset the variables of all \
                             but one method, or name the method to use in the provider block (a method set in the \
                             block wins over the environment).",
                            join(set_vars)
                        ),
                    ));
                    return Outcome::Invalid;
                }
            }
        }
        [one] => *one,
        [first, rest @ ..] => {
            let first_attrs = join(set_in_block(*first).iter().map(|n| format!("`{n}`")).collect());
            for other in rest {
                let other_attrs = set_in_block(*other);
                let Some(at) = other_attrs.first() else { continue };
                diags.push(
                    Diagnostic::error(
                        "Conflicting credentials",
                        format!(
                            "`{at}` cannot be used together with {first_attrs}: the provider block configures more \
                             than one credential method. Remove {} or remove {first_attrs}. {HOW_TO_CONFIGURE}",
                            attribute_list(*other)
                        ),
                    )
                    .with_attribute(AttributePath::attr(*at)),
                );
            }
            return Outcome::Invalid;
        }
    };
    complete(method, config, env, stage, diags)
}

/// Reads the chosen method's values and reports the missing ones.
fn complete(method: AuthMethod, config: &Value, env: &dyn EnvSource, stage: Stage, diags: &mut Diagnostics) -> Outcome {
    let settings: Vec<(&str, &str, Setting<String>)> =
        attributes(method).iter().map(|(name, var)| (*name, *var, setting::string(config, env, name, var))).collect();
    let required = settings.get(..required_count(method)).unwrap_or(&settings);
    let missing: Vec<(&str, &str)> =
        required.iter().filter(|(_, _, s)| s.is_absent()).map(|(name, var, _)| (*name, *var)).collect();

    if !missing.is_empty() && stage == Stage::Validate {
        return Outcome::MethodOnly(method);
    }
    if !missing.is_empty() {
        let present: Vec<&(&str, &str, Setting<String>)> = settings.iter().filter(|(_, _, s)| !s.is_absent()).collect();
        let describe = |(name, _, s): &&(&str, &str, Setting<String>)| match s {
            Setting::Known(_, Origin::Env(var)) => format!("`{name}` (from {var})"),
            _ => format!("`{name}`"),
        };
        let present_text = join(present.iter().map(describe).collect());
        let missing_text = join(missing.iter().map(|(name, var)| format!("`{name}` ({var})")).collect());
        let mut d = Diagnostic::error(
            "Incomplete credentials",
            format!(
                "{present_text} {} set, but {missing_text} {} missing. Set {} in the provider block or through \
                 the environment variable{}, or use another credential method. {HOW_TO_CONFIGURE}",
                if present.len() == 1 { "is" } else { "are" },
                if missing.len() == 1 { "is" } else { "are" },
                if missing.len() == 1 { "it" } else { "them" },
                if missing.len() == 1 { "" } else { "s" },
            ),
        );
        // Point at an attribute the block sets, next to the missing one (the block cannot show an
        // attribute it lacks).
        if let Some((name, _, _)) = present.iter().find(|(_, _, s)| !matches!(s, Setting::Known(_, Origin::Env(_)))) {
            d = d.with_attribute(AttributePath::attr(*name));
        }
        diags.push(d);
        return Outcome::Invalid;
    }
    if settings.iter().any(|(_, _, s)| matches!(s, Setting::Unknown)) {
        return Outcome::MethodOnly(method);
    }

    let value = |i: usize| settings.get(i).and_then(|(_, _, s)| s.known()).cloned();
    let credentials = match method {
        AuthMethod::Token => value(0).map(|t| Credentials::Token(Secret::new(t))),
        AuthMethod::AkSk => match (value(0), value(1)) {
            (Some(access_key), Some(secret_key)) => Some(Credentials::AkSk {
                access_key,
                secret_key: Secret::new(secret_key),
                security_token: value(2).map(Secret::new),
            }),
            _ => None,
        },
        AuthMethod::Password => match (value(0), value(1), value(2)) {
            (Some(user_name), Some(password), Some(domain_name)) => {
                Some(Credentials::Password { user_name, password: Secret::new(password), domain_name })
            }
            _ => None,
        },
    };
    match credentials {
        // Blanks trimmed from keys, tokens and names as the client sends them.
        Some(c) => Outcome::Resolved(c.normalized()),
        None => Outcome::MethodOnly(method),
    }
}

#[cfg(test)]
mod tests;
