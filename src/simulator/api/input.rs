//! Reading request bodies and query strings with the service's error answers: a missing field is
//! APIG.2001 naming it, a field of the wrong type or value is APIG.2012 naming it.

use serde_json::{Map, Value};

use crate::simulator::errors::{ApiError, ApiResult};

pub type Object = Map<String, Value>;

/// The body as a JSON object.
pub fn object(body: &[u8]) -> ApiResult<Object> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(ApiError::parameter_error("Parameter error: the request body must be a JSON object")),
    }
}

/// A required non-empty string.
pub fn required_string(obj: &Object, key: &str) -> ApiResult<String> {
    match obj.get(key) {
        None | Some(Value::Null) => Err(ApiError::missing_param(key)),
        Some(Value::String(s)) if s.is_empty() => Err(ApiError::missing_param(key)),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(ApiError::invalid_param(key)),
    }
}

/// An optional string; empty counts as absent.
pub fn optional_string(obj: &Object, key: &str) -> ApiResult<Option<String>> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::invalid_param(key)),
    }
}

pub fn optional_bool(obj: &Object, key: &str) -> ApiResult<Option<bool>> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(ApiError::invalid_param(key)),
    }
}

pub fn optional_int(obj: &Object, key: &str) -> ApiResult<Option<i64>> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_i64().map(Some).ok_or_else(|| ApiError::invalid_param(key)),
    }
}

/// An optional list of strings.
pub fn optional_strings(obj: &Object, key: &str) -> ApiResult<Option<Vec<String>>> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_string).ok_or_else(|| ApiError::invalid_param(key)))
            .collect::<ApiResult<Vec<_>>>()
            .map(Some),
        Some(_) => Err(ApiError::invalid_param(key)),
    }
}

/// Query parameters in order (first value wins in [`Query::get`]).
#[derive(Debug, Default)]
pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn parse(raw: Option<&str>) -> Query {
        Query(url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()).into_owned().collect())
    }

    /// A parameter's value; an empty value counts as absent.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, v)| k == key && !v.is_empty()).map(|(_, v)| v.as_str())
    }

    /// `offset`/`limit` per apig-api.md §1.4: negative offset → 0; limit default 20, ≤0 → 20, >500 → 500.
    pub fn page(&self) -> ApiResult<Page> {
        self.page_with(DEFAULT_LIMIT, MAX_LIMIT)
    }

    /// The same rules with another default and largest `limit` (ROMA's instance list: 10, 100).
    pub fn page_with(&self, default_limit: i64, max_limit: i64) -> ApiResult<Page> {
        let offset = match self.get("offset") {
            None => 0,
            Some(v) => v.parse::<i64>().map_err(|_| ApiError::invalid_param("offset"))?.max(0),
        };
        let limit = match self.get("limit") {
            None => default_limit,
            Some(v) => match v.parse::<i64>().map_err(|_| ApiError::invalid_param("limit"))? {
                l if l <= 0 => default_limit,
                l => l.min(max_limit),
            },
        };
        Ok(Page { offset, limit })
    }
}

const DEFAULT_LIMIT: i64 = 20;
const MAX_LIMIT: i64 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub offset: i64,
    pub limit: i64,
}

impl Page {
    /// This page's items and the total before paging.
    pub fn apply<T>(self, items: Vec<T>) -> (Vec<T>, i64) {
        let total = i64::try_from(items.len()).unwrap_or(i64::MAX);
        let skip = usize::try_from(self.offset).unwrap_or(usize::MAX);
        let take = usize::try_from(self.limit).unwrap_or(0);
        (items.into_iter().skip(skip).take(take).collect(), total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(q: &str) -> Page {
        Query::parse(Some(q)).page().unwrap()
    }

    #[test]
    fn paging_rules_of_the_api() {
        assert_eq!(page(""), Page { offset: 0, limit: 20 });
        assert_eq!(page("offset=-5&limit=0"), Page { offset: 0, limit: 20 });
        assert_eq!(page("limit=-1"), Page { offset: 0, limit: 20 });
        assert_eq!(page("limit=501"), Page { offset: 0, limit: 500 });
        assert_eq!(page("offset=3&limit=7"), Page { offset: 3, limit: 7 });
        assert_eq!(Query::parse(Some("limit=x")).page().unwrap_err().code, "APIG.2012");
        assert_eq!(Query::parse(None).page_with(10, 100).unwrap(), Page { offset: 0, limit: 10 });
        assert_eq!(Query::parse(Some("limit=101")).page_with(10, 100).unwrap(), Page { offset: 0, limit: 100 });
    }

    #[test]
    fn page_apply_counts_all_and_slices() {
        let (items, total) = Page { offset: 2, limit: 2 }.apply((0..5).collect());
        assert_eq!(items, vec![2, 3]);
        assert_eq!(total, 5);
        let (items, total) = Page { offset: 9, limit: 2 }.apply((0..5).collect::<Vec<i32>>());
        assert!(items.is_empty());
        assert_eq!(total, 5);
    }

    #[test]
    fn field_errors_name_the_field() {
        let obj = object(br#"{"name": 3, "cert_content": ""}"#).unwrap();
        let e = required_string(&obj, "name").unwrap_err();
        assert_eq!(e.code, "APIG.2012");
        assert!(e.msg.contains("parameterName:name"));
        let e = required_string(&obj, "cert_content").unwrap_err();
        assert_eq!(e.code, "APIG.2001");
        assert!(e.msg.contains("parameterName:cert_content"));
        assert!(object(b"[1]").is_err());
    }
}
