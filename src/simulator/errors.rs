//! API error answers: `{"error_code": "APIG.xxxx", "error_msg": "..."}` with the documented status
//! (apig-api.md §1.3, §5). Messages follow the service's error table wording.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::client::models::ErrorBody;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub msg: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, msg: impl Into<String>) -> Self {
        ApiError { status, code, msg: msg.into() }
    }

    /// 400 APIG.2012 naming the offending parameter (the documented example wording).
    pub fn invalid_param(name: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "APIG.2012",
            format!("Invalid parameter value,parameterName:{name}. Please refer to the support documentation"),
        )
    }

    /// 400 APIG.2001: a required parameter is absent.
    pub fn missing_param(name: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "APIG.2001",
            format!(
                "The request parameters must be specified,parameterName:{name}. Please refer to the support documentation"
            ),
        )
    }

    /// 400 APIG.2000: generic parameter error with a specific message.
    pub fn parameter_error(msg: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "APIG.2000", msg)
    }

    pub fn instance_not_found(id: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "APIG.3030", format!("The instance does not exist;id:{id}"))
    }

    pub fn group_not_found(id: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "APIG.3001", format!("API group {id} does not exist"))
    }

    pub fn domain_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "APIG.3020", "The URL domain does not exist")
    }

    pub fn certificate_not_found(id: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "APIG.3021", format!("The SSL certificate does not exist;id:{id}"))
    }

    pub fn binding_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "APIG.3097",
            "The binding record of this SSL certificate and domain name does not exist",
        )
    }

    pub fn system_error() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "APIG.9999", "System error")
    }

    /// Gateway-level auth refusal (apig-api.md §8.6).
    pub fn iam_auth(detail: &str) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "APIGW.0301", format!("Incorrect IAM authentication information: {detail}"))
    }

    pub fn bad_token() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "APIG.1002", "Incorrect token or token resolution failed")
    }

    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "APIG.1005", "No permissions to request this method")
    }

    /// Unknown route, as the API gateway front door answers it.
    pub fn no_such_api() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "APIGW.0101",
            "The API does not exist or has not been published in the environment",
        )
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody { error_code: self.code.to_string(), error_msg: self.msg.clone(), request_id: None }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body())).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
