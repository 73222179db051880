terraform {
  required_providers {
    apig = {
      source = "hwapig/apig"
    }
  }
}

variable "auth_token" {
  description = "Project-scoped IAM token (for example from `hcloud` or your CI's secret store)."
  type        = string
  sensitive   = true
}

# Token authentication. Any argument left out is read from its HW_* environment variable, so a CI
# job may set HW_AUTH_TOKEN instead of passing the token as a variable.
provider "apig" {
  region     = "cn-north-4"
  project_id = "0123456789abcdef0123456789abcdef"
  auth_token = var.auth_token
}

# The two other credential methods (configure exactly one method):
#
# AK/SK request signing (SDK-HMAC-SHA256); security_token only for temporary credentials:
#   provider "apig" {
#     region     = "cn-north-4"
#     project_id = "0123456789abcdef0123456789abcdef"
#     access_key = var.access_key
#     secret_key = var.secret_key
#   }
#
# IAM user and password; the provider requests a token from IAM and renews it:
#   provider "apig" {
#     region      = "cn-north-4"
#     project_id  = "0123456789abcdef0123456789abcdef"
#     user_name   = var.user_name
#     password    = var.password
#     domain_name = "example-account"
#   }
#
# ROMA Connect by default, or a local apig-simulator instead of the cloud endpoints:
#   provider "apig" {
#     ...
#     service   = "roma"
#     endpoints = { apig = "http://127.0.0.1:8080", roma = "http://127.0.0.1:8080" }
#   }
