//! The objects a simulated cloud starts with: projects, gateway instances, API groups and their
//! independent domains. `--fixtures FILE` replaces the default; both services get the same seed.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

pub const DEFAULT_PROJECT_ID: &str = "0123456789abcdef0123456789abcdef";
/// Project names are region names on Huawei Cloud; IAM scopes tokens by either.
pub const DEFAULT_PROJECT_NAME: &str = "cn-north-4";
pub const DEFAULT_INSTANCE_ID: &str = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0";
pub const DEFAULT_GROUP_ID: &str = "7d1e2f3a4b5c4d6e8f9a0b1c2d3e4f50";
pub const DEFAULT_GROUP_NAME: &str = "demo_group";
pub const DEFAULT_DOMAINS: [(&str, &str); 3] = [
    ("d0000000000000000000000000000001", "api.example.com"),
    ("d0000000000000000000000000000002", "www.example.com"),
    ("d0000000000000000000000000000003", "shop.example.org"),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixtures {
    pub projects: Vec<ProjectFixture>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFixture {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub instances: Vec<InstanceFixture>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceFixture {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub groups: Vec<GroupFixture>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupFixture {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub domains: Vec<DomainFixture>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainFixture {
    pub id: String,
    pub url_domain: String,
    /// CNAME status 1..4; resolved (3) unless said otherwise.
    #[serde(default)]
    pub status: Option<i32>,
    #[serde(default)]
    pub min_ssl_version: Option<String>,
    #[serde(default)]
    pub ingress_http_port: Option<i32>,
    #[serde(default)]
    pub ingress_https_port: Option<i32>,
}

impl Default for Fixtures {
    fn default() -> Self {
        Fixtures {
            projects: vec![ProjectFixture {
                id: DEFAULT_PROJECT_ID.to_string(),
                name: DEFAULT_PROJECT_NAME.to_string(),
                instances: vec![InstanceFixture {
                    id: DEFAULT_INSTANCE_ID.to_string(),
                    name: "apig-sim-gateway".to_string(),
                    groups: vec![GroupFixture {
                        id: DEFAULT_GROUP_ID.to_string(),
                        name: DEFAULT_GROUP_NAME.to_string(),
                        domains: DEFAULT_DOMAINS
                            .iter()
                            .map(|(id, name)| DomainFixture {
                                id: id.to_string(),
                                url_domain: name.to_string(),
                                status: None,
                                min_ssl_version: None,
                                ingress_http_port: None,
                                ingress_https_port: None,
                            })
                            .collect(),
                    }],
                }],
            }],
        }
    }
}

impl Fixtures {
    /// Reads and checks a fixture file.
    pub fn load(path: &std::path::Path) -> Result<Fixtures, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let fixtures: Fixtures =
            serde_json::from_str(&text).map_err(|e| format!("{} is not a valid fixture file: {e}", path.display()))?;
        fixtures.validate()?;
        Ok(fixtures)
    }

    /// IDs must be non-empty and unique within their kind; a domain name appears once per instance.
    pub fn validate(&self) -> Result<(), String> {
        let mut seen = HashSet::new();
        for p in &self.projects {
            check_id("project", &p.id, &mut seen)?;
            for i in &p.instances {
                check_id("instance", &i.id, &mut seen)?;
                let mut names = HashSet::new();
                for g in &i.groups {
                    check_id("group", &g.id, &mut seen)?;
                    for d in &g.domains {
                        check_id("domain", &d.id, &mut seen)?;
                        if d.url_domain.is_empty() {
                            return Err(format!("domain {} has an empty url_domain", d.id));
                        }
                        if !names.insert(d.url_domain.to_ascii_lowercase()) {
                            return Err(format!("domain {} appears twice in instance {}", d.url_domain, i.id));
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

fn check_id(kind: &str, id: &str, seen: &mut HashSet<String>) -> Result<(), String> {
    if id.is_empty() {
        return Err(format!("a {kind} has an empty id"));
    }
    if !seen.insert(format!("{kind}/{id}")) {
        return Err(format!("{kind} id {id} appears twice"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_fixture_is_the_documented_one_and_valid() {
        let f = Fixtures::default();
        f.validate().unwrap();
        let p = &f.projects[0];
        assert_eq!(p.id, "0123456789abcdef0123456789abcdef");
        assert_eq!(p.instances[0].id, "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0");
        assert_eq!(p.instances[0].groups[0].id, "7d1e2f3a4b5c4d6e8f9a0b1c2d3e4f50");
        let names: Vec<_> = p.instances[0].groups[0].domains.iter().map(|d| d.url_domain.as_str()).collect();
        assert_eq!(names, ["api.example.com", "www.example.com", "shop.example.org"]);
    }

    #[test]
    fn duplicate_ids_and_names_are_refused() {
        let mut f = Fixtures::default();
        let d = f.projects[0].instances[0].groups[0].domains[0].clone();
        f.projects[0].instances[0].groups[0].domains.push(d);
        assert!(f.validate().unwrap_err().contains("appears twice"));
    }

    #[test]
    fn fixture_json_round_trips() {
        let f = Fixtures::default();
        let text = serde_json::to_string(&f).unwrap();
        assert_eq!(serde_json::from_str::<Fixtures>(&text).unwrap(), f);
    }
}
