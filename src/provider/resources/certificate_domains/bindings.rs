//! Ownership of domain bindings: what this resource bound (kept in private state), what the API
//! lists as bound, and from those what to report, detach and attach. Pure functions, no I/O.
//!
//! A resource manages only the bindings it made, so several resources (or the console) can bind
//! different domains to one certificate without fighting: domains it did not bind never appear
//! in its state, and it only ever detaches what it bound.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::client::models::{AttachedDomain, DomainBinding};
use crate::engine::Private;

/// Private-state key holding the list of [`Binding`]s.
const BINDINGS_KEY: &str = "bindings";

/// One binding this resource made: a domain name on some gateways (`None`: on every gateway the
/// certificate can be used on, as the API does when `instance_ids` is left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Binding {
    pub domain: String,
    #[serde(default)]
    pub instance_ids: Option<BTreeSet<String>>,
}

/// One `domain` block: a domain name, the gateways to bind it on, and the client-verification flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainSpec {
    pub name: String,
    pub instance_ids: Option<BTreeSet<String>>,
    pub verified_client_certificate_enabled: bool,
}

impl DomainSpec {
    pub fn binding(&self) -> Binding {
        Binding { domain: self.name.clone(), instance_ids: self.instance_ids.clone() }
    }

    fn attach_entry(&self) -> DomainBinding {
        DomainBinding {
            domain: self.name.clone(),
            instance_ids: self.instance_ids.as_ref().map(|ids| ids.iter().cloned().collect()),
            // Always explicit: left out, the API would pick a default from the certificate's CA.
            verified_client_certificate_enabled: Some(self.verified_client_certificate_enabled),
        }
    }
}

/// How domain names are compared: DNS names are case-insensitive, a trailing dot changes nothing.
pub fn domain_key(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// The bindings recorded in private state; `None` when there is no record (state written before
/// this record existed, or by hand), in which case callers fall back to the state's blocks.
pub fn bindings_from_private(private: &Private) -> Option<Vec<Binding>> {
    private.get(BINDINGS_KEY).and_then(|v| serde_json::from_value(v.clone()).ok())
}

pub fn bindings_to_private(bindings: &[Binding]) -> Private {
    let mut private = Private::new();
    // Serializing plain strings and sets cannot fail; an empty list is the safe fallback.
    let value = serde_json::to_value(bindings).unwrap_or_else(|_| serde_json::Value::Array(Vec::new()));
    private.insert(BINDINGS_KEY.to_string(), value);
    private
}

/// What the API lists as bound to the certificate, by domain: gateway → verification flag. The
/// listing may repeat a domain (once per inbound port); repeats collapse here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Remote {
    by_domain: BTreeMap<String, RemoteDomain>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct RemoteDomain {
    /// The spelling the API uses (first seen).
    name: String,
    /// Gateway ID → `verified_client_certificate_enabled` there.
    instances: BTreeMap<String, bool>,
}

impl Remote {
    pub fn from_listing(listing: &[AttachedDomain]) -> Remote {
        let mut by_domain: BTreeMap<String, RemoteDomain> = BTreeMap::new();
        for entry in listing {
            let d = by_domain
                .entry(domain_key(&entry.url_domain))
                .or_insert_with(|| RemoteDomain { name: entry.url_domain.clone(), instances: BTreeMap::new() });
            d.instances.entry(entry.instance_id.clone()).or_insert(entry.verified_client_certificate_enabled);
        }
        Remote { by_domain }
    }

    fn instances(&self, domain: &str) -> Option<&BTreeMap<String, bool>> {
        self.by_domain.get(&domain_key(domain)).map(|d| &d.instances).filter(|i| !i.is_empty())
    }

    /// The gateways among `scope` (all when `None`) where `domain` is bound, with their flags.
    fn bound_within(&self, domain: &str, scope: Option<&BTreeSet<String>>) -> BTreeMap<String, bool> {
        let Some(instances) = self.instances(domain) else { return BTreeMap::new() };
        instances
            .iter()
            .filter(|(id, _)| scope.is_none_or(|s| s.contains(*id)))
            .map(|(id, flag)| (id.clone(), *flag))
            .collect()
    }
}

/// The flag to report for a domain bound on gateways with `flags`: the common value, or, when the
/// gateways disagree, the value that differs from what the state holds, so that a plan re-attaches.
fn reported_flag(flags: &BTreeMap<String, bool>, in_state: Option<bool>) -> bool {
    let any_true = flags.values().any(|f| *f);
    let all_true = flags.values().all(|f| *f);
    match (any_true, all_true) {
        (true, true) => true,
        (false, _) => false,
        (true, false) => !in_state.unwrap_or(false),
    }
}

/// Refresh: what remains of `bindings` on the API, as the state's blocks and the narrowed
/// bindings to record. A binding unbound out of band drops out (a plan then re-attaches it); one
/// on fewer gateways than recorded shrinks to those. `prior` (the state's blocks) keeps the
/// user's spelling of a name and breaks flag ties. Empty result: the resource is gone.
pub fn observe(bindings: &[Binding], remote: &Remote, prior: &[DomainSpec]) -> Vec<(Binding, DomainSpec)> {
    let mut out = Vec::new();
    for b in bindings {
        let bound = remote.bound_within(&b.domain, b.instance_ids.as_ref());
        if bound.is_empty() {
            continue;
        }
        let in_state = prior.iter().find(|p| domain_key(&p.name) == domain_key(&b.domain));
        let instance_ids = b.instance_ids.as_ref().map(|_| bound.keys().cloned().collect::<BTreeSet<_>>());
        let spec = DomainSpec {
            name: b.domain.clone(),
            instance_ids: instance_ids.clone(),
            verified_client_certificate_enabled: reported_flag(
                &bound,
                in_state.map(|p| p.verified_client_certificate_enabled),
            ),
        };
        out.push((Binding { domain: b.domain.clone(), instance_ids }, spec));
    }
    out
}

/// Import: adopt every domain bound to the certificate, each on exactly the gateways it is bound
/// on, so that a configuration naming those gateways plans no change.
pub fn adopt_all(remote: &Remote) -> Vec<(Binding, DomainSpec)> {
    remote
        .by_domain
        .values()
        .filter(|d| !d.instances.is_empty())
        .map(|d| {
            let ids: BTreeSet<String> = d.instances.keys().cloned().collect();
            let spec = DomainSpec {
                name: d.name.clone(),
                instance_ids: Some(ids.clone()),
                verified_client_certificate_enabled: reported_flag(&d.instances, None),
            };
            (Binding { domain: d.name.clone(), instance_ids: Some(ids) }, spec)
        })
        .collect()
}

/// The API calls an update needs, in order: detach, then attach.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub detach: Vec<DomainBinding>,
    pub attach: Vec<DomainBinding>,
}

/// Update: detach what this resource bound and the configuration no longer wants (only where it is
/// actually bound), then attach what is wanted and not already bound as wanted. Attaching again is
/// idempotent on the API and is how the verification flag changes.
pub fn changes(bindings: &[Binding], desired: &[DomainSpec], remote: &Remote) -> Changes {
    let mut detach = Vec::new();
    for b in bindings {
        let wanted = desired.iter().find(|d| domain_key(&d.name) == domain_key(&b.domain));
        let bound = remote.bound_within(&b.domain, b.instance_ids.as_ref());
        let drop: Vec<String> = match wanted.map(|d| d.instance_ids.as_ref()) {
            // Still wanted on every gateway: nothing of it goes away.
            Some(None) => Vec::new(),
            Some(Some(keep)) => bound.keys().filter(|id| !keep.contains(*id)).cloned().collect(),
            None => bound.keys().cloned().collect(),
        };
        if !drop.is_empty() {
            detach.push(DomainBinding {
                domain: b.domain.clone(),
                instance_ids: Some(drop),
                verified_client_certificate_enabled: None,
            });
        }
    }
    let attach =
        desired.iter().filter(|d| !already_satisfied(d, bindings, remote)).map(DomainSpec::attach_entry).collect();
    Changes { detach, attach }
}

/// True when the API already has `d` bound as wanted: on each listed gateway with the wanted flag,
/// or, for "every gateway", when this resource already bound it that way and every gateway it is
/// on has the wanted flag (which gateways "every" covers is the API's to know).
fn already_satisfied(d: &DomainSpec, bindings: &[Binding], remote: &Remote) -> bool {
    let bound = remote.bound_within(&d.name, d.instance_ids.as_ref());
    let flags_match = !bound.is_empty() && bound.values().all(|f| *f == d.verified_client_certificate_enabled);
    match &d.instance_ids {
        Some(ids) => flags_match && ids.iter().all(|id| bound.contains_key(id)),
        None => {
            flags_match
                && bindings.iter().any(|b| domain_key(&b.domain) == domain_key(&d.name) && b.instance_ids.is_none())
        }
    }
}

/// Create: one attach call binding every configured domain.
pub fn attach_all(desired: &[DomainSpec]) -> Vec<DomainBinding> {
    desired.iter().map(DomainSpec::attach_entry).collect()
}

/// Delete: detach what this resource bound, only where the API still lists it.
pub fn detach_owned(bindings: &[Binding], remote: &Remote) -> Vec<DomainBinding> {
    bindings
        .iter()
        .filter_map(|b| {
            let bound: Vec<String> = remote.bound_within(&b.domain, b.instance_ids.as_ref()).into_keys().collect();
            (!bound.is_empty()).then(|| DomainBinding {
                domain: b.domain.clone(),
                instance_ids: Some(bound),
                verified_client_certificate_enabled: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GW1: &str = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0";
    const GW2: &str = "6c1fd8e7b2f45a1bb4d0f2a3e5c7b9d1";

    fn ids(list: &[&str]) -> Option<BTreeSet<String>> {
        Some(list.iter().map(|s| s.to_string()).collect())
    }
    fn spec(name: &str, on: Option<&[&str]>, flag: bool) -> DomainSpec {
        DomainSpec { name: name.into(), instance_ids: on.and_then(ids), verified_client_certificate_enabled: flag }
    }
    fn binding(name: &str, on: Option<&[&str]>) -> Binding {
        Binding { domain: name.into(), instance_ids: on.and_then(ids) }
    }
    fn listed(name: &str, instance: &str, flag: bool) -> AttachedDomain {
        AttachedDomain {
            url_domain: name.into(),
            id: "d0000000000000000000000000000001".into(),
            instance_id: instance.into(),
            verified_client_certificate_enabled: flag,
            ..Default::default()
        }
    }
    fn entry(name: &str, on: &[&str], flag: Option<bool>) -> DomainBinding {
        DomainBinding {
            domain: name.into(),
            instance_ids: Some(on.iter().map(|s| s.to_string()).collect()),
            verified_client_certificate_enabled: flag,
        }
    }

    #[test]
    fn private_state_round_trips_and_absence_is_not_an_empty_record() {
        let b = vec![binding("api.example.com", Some(&[GW1])), binding("www.example.com", None)];
        assert_eq!(bindings_from_private(&bindings_to_private(&b)), Some(b));
        assert_eq!(bindings_from_private(&Private::new()), None);
        assert_eq!(bindings_from_private(&bindings_to_private(&[])), Some(Vec::new()));
    }

    #[test]
    fn the_listing_collapses_repeats_per_port() {
        let r = Remote::from_listing(&[
            listed("api.example.com", GW1, false),
            listed("api.example.com", GW1, false),
            listed("API.example.com", GW2, true),
        ]);
        assert_eq!(r.bound_within("api.example.com.", None).len(), 2);
        assert_eq!(r.bound_within("api.example.com", ids(&[GW2]).as_ref()).get(GW2), Some(&true));
        assert!(r.bound_within("www.example.com", None).is_empty());
    }

    #[test]
    fn refresh_reports_only_own_bindings_that_are_still_bound() {
        // www was bound by someone else; shop was ours but was unbound out of band.
        let remote =
            Remote::from_listing(&[listed("api.example.com", GW1, false), listed("www.example.com", GW1, true)]);
        let ours = [binding("api.example.com", Some(&[GW1])), binding("shop.example.org", Some(&[GW1]))];
        let seen = observe(&ours, &remote, &[]);
        assert_eq!(seen, [(binding("api.example.com", Some(&[GW1])), spec("api.example.com", Some(&[GW1]), false))]);
        // Nothing of ours left: the resource is gone.
        assert!(observe(&ours[1..], &remote, &[]).is_empty());
    }

    #[test]
    fn refresh_keeps_the_users_spelling_and_narrows_to_the_gateways_still_bound() {
        let remote =
            Remote::from_listing(&[listed("api.example.com", GW1, true), listed("api.example.com", GW2, true)]);
        let seen =
            observe(&[binding("API.Example.com", Some(&[GW1, "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f"]))], &remote, &[]);
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].1, spec("API.Example.com", Some(&[GW1]), true));
        assert_eq!(seen[0].0.instance_ids, ids(&[GW1]));
        // Bound on every gateway: stays "every gateway", whatever the API lists.
        let all = observe(&[binding("api.example.com", None)], &remote, &[]);
        assert_eq!(all[0].1, spec("api.example.com", None, true));
    }

    #[test]
    fn refresh_reports_a_disagreeing_flag_as_a_change() {
        let remote =
            Remote::from_listing(&[listed("api.example.com", GW1, true), listed("api.example.com", GW2, false)]);
        let b = [binding("api.example.com", None)];
        let seen = observe(&b, &remote, &[spec("api.example.com", None, false)]);
        assert!(seen[0].1.verified_client_certificate_enabled);
        let seen = observe(&b, &remote, &[spec("api.example.com", None, true)]);
        assert!(!seen[0].1.verified_client_certificate_enabled);
    }

    #[test]
    fn import_adopts_every_bound_domain_on_its_gateways() {
        let remote = Remote::from_listing(&[
            listed("api.example.com", GW1, false),
            listed("www.example.com", GW1, true),
            listed("www.example.com", GW2, true),
        ]);
        let adopted = adopt_all(&remote);
        assert_eq!(
            adopted.iter().map(|(_, s)| s.clone()).collect::<Vec<_>>(),
            [spec("api.example.com", Some(&[GW1]), false), spec("www.example.com", Some(&[GW1, GW2]), true)]
        );
        assert_eq!(adopted[1].0, binding("www.example.com", Some(&[GW1, GW2])));
        assert!(adopt_all(&Remote::default()).is_empty());
    }

    #[test]
    fn update_detaches_only_removed_domains_that_are_bound_then_attaches_added_and_changed() {
        let remote = Remote::from_listing(&[
            listed("api.example.com", GW1, false),
            listed("www.example.com", GW1, false),
            listed("shop.example.org", GW1, false), // bound by someone else
        ]);
        let ours = [
            binding("api.example.com", Some(&[GW1])),
            binding("www.example.com", Some(&[GW1])),
            binding("gone.example.com", Some(&[GW1])), // unbound out of band
        ];
        let desired = [
            spec("api.example.com", Some(&[GW1]), false), // unchanged
            spec("new.example.com", Some(&[GW1]), false), // added
        ];
        let c = changes(&ours, &desired, &remote);
        assert_eq!(c.detach, [entry("www.example.com", &[GW1], None)]);
        assert_eq!(c.attach, [entry("new.example.com", &[GW1], Some(false))]);
    }

    #[test]
    fn update_reattaches_for_a_flag_change_and_drops_gateways_no_longer_listed() {
        let remote =
            Remote::from_listing(&[listed("api.example.com", GW1, false), listed("api.example.com", GW2, false)]);
        let ours = [binding("api.example.com", Some(&[GW1, GW2]))];
        let c = changes(&ours, &[spec("api.example.com", Some(&[GW1]), true)], &remote);
        assert_eq!(c.detach, [entry("api.example.com", &[GW2], None)]);
        assert_eq!(c.attach, [entry("api.example.com", &[GW1], Some(true))]);
        // Narrowing from "every gateway" to one detaches the others.
        let c = changes(&[binding("api.example.com", None)], &[spec("api.example.com", Some(&[GW2]), false)], &remote);
        assert_eq!(c.detach, [entry("api.example.com", &[GW1], None)]);
        assert!(c.attach.is_empty(), "already bound on GW2 with the wanted flag");
    }

    #[test]
    fn update_to_every_gateway_attaches_unless_it_already_was_ours_that_way() {
        let remote = Remote::from_listing(&[listed("api.example.com", GW1, false)]);
        let want = [spec("api.example.com", None, false)];
        let c = changes(&[binding("api.example.com", Some(&[GW1]))], &want, &remote);
        assert!(c.detach.is_empty());
        assert_eq!(c.attach.len(), 1);
        assert_eq!(c.attach[0].instance_ids, None);
        assert_eq!(changes(&[binding("api.example.com", None)], &want, &remote), Changes::default());
    }

    #[test]
    fn an_unbound_domain_is_attached_again() {
        let c = changes(
            &[binding("api.example.com", Some(&[GW1]))],
            &[spec("api.example.com", Some(&[GW1]), false)],
            &Remote::default(),
        );
        assert!(c.detach.is_empty());
        assert_eq!(c.attach, [entry("api.example.com", &[GW1], Some(false))]);
    }

    #[test]
    fn create_sends_every_domain_with_an_explicit_flag() {
        let a = attach_all(&[spec("api.example.com", None, false), spec("www.example.com", Some(&[GW1]), true)]);
        assert_eq!(
            a[0],
            DomainBinding {
                domain: "api.example.com".into(),
                instance_ids: None,
                verified_client_certificate_enabled: Some(false)
            }
        );
        assert_eq!(a[1], entry("www.example.com", &[GW1], Some(true)));
    }

    #[test]
    fn delete_detaches_only_own_bindings_still_listed() {
        let remote = Remote::from_listing(&[
            listed("api.example.com", GW1, false),
            listed("api.example.com", GW2, false),
            listed("www.example.com", GW1, false),
        ]);
        let ours = [binding("api.example.com", Some(&[GW1])), binding("gone.example.com", None)];
        assert_eq!(detach_owned(&ours, &remote), [entry("api.example.com", &[GW1], None)]);
        assert_eq!(
            detach_owned(&[binding("api.example.com", None)], &remote),
            [entry("api.example.com", &[GW1, GW2], None)]
        );
        assert!(detach_owned(&ours, &Remote::default()).is_empty());
    }
}
