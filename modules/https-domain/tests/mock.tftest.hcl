# Unit tests of the module's own logic, with a mocked provider: no API, no endpoint, no credentials.
#
#   TF_VAR_certificate_pem="$(cat test.crt)" TF_VAR_private_key="$(cat test.key)" \
#     terraform test -filter=tests/mock.tftest.hcl
#
# mock_provider replaces only the provider's plan, apply and read answers. Terraform still starts the
# real provider for its schema, its functions (provider::apig::certificate_info in main.tf) and its
# configuration validation, which runs at plan time on every known value. So:
#   - the certificate and key must be a real, matching, unexpired PEM pair (passed in as above:
#     keep keys out of the repository): the provider refuses a broken PEM or another key at plan;
#   - mocked computed values the provider validates must look real: apig_certificate's `id` feeds
#     apig_certificate_domains.certificate_id, which must be 32 hexadecimal characters (the mock's
#     own random strings are refused there at apply).
# What needs the API (requires-replace decisions, the API's own checks) is the simulator test's job.

mock_provider "apig" {
  mock_resource "apig_certificate" {
    defaults = {
      id        = "a27be832f2e9441c8127fe48e3b5ac67"
      not_after = "2030-06-30T12:00:00Z"
      sans      = ["api.example.com", "www.example.com"]
    }
  }
}

variables {
  name = "api_example_com"
  domains = {
    "www.example.com" = {}
    "api.example.com" = { instance_ids = ["5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"] }
  }
}

run "plans_a_global_certificate_and_its_bindings" {
  command = plan

  assert {
    condition     = apig_certificate.this.type == "global"
    error_message = "Without instance_id the certificate must be global, got type ${apig_certificate.this.type}."
  }
  assert {
    condition     = apig_certificate.this.name == "api_example_com" && apig_certificate.this.private_key_wo_version == 1
    error_message = "The certificate must take the module's name and private_key_version (default 1)."
  }
  assert {
    condition     = apig_certificate.this.private_key == null
    error_message = "The key must go only to the write-only private_key_wo, never to private_key (kept in state)."
  }
  assert {
    condition     = output.domains == tolist(["api.example.com", "www.example.com"])
    error_message = "output.domains must list every domain, sorted: ${jsonencode(output.domains)}"
  }
  assert {
    condition     = one([for domain in apig_certificate_domains.this.domain : domain.instance_ids if domain.name == "api.example.com"]) == toset(["5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"])
    error_message = "api.example.com must be bound on the gateway its instance_ids name."
  }
  assert {
    condition     = one([for domain in apig_certificate_domains.this.domain : domain.instance_ids if domain.name == "www.example.com"]) == null
    error_message = "www.example.com, without instance_ids, must be bound on every gateway (instance_ids null)."
  }
  assert {
    condition     = alltrue([for domain in apig_certificate_domains.this.domain : domain.verified_client_certificate_enabled == false])
    error_message = "Client certificate verification must default to off."
  }
  assert {
    # Read from the PEM by the provider's function: the real one, even under mock_provider.
    condition     = local.not_after != null && timecmp(local.not_after, plantimestamp()) > 0
    error_message = "The module must read the certificate's expiry from the PEM, got ${coalesce(local.not_after, "null")}."
  }
}

run "plans_an_instance_certificate" {
  command = plan

  variables {
    instance_id         = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"
    private_key_version = 3
  }

  assert {
    condition     = apig_certificate.this.type == "instance" && apig_certificate.this.instance_id == "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"
    error_message = "With instance_id the certificate must be an instance certificate on that gateway."
  }
  assert {
    condition     = apig_certificate.this.private_key_wo_version == 3
    error_message = "private_key_version must reach private_key_wo_version."
  }
}

run "applies_and_wires_the_outputs" {
  assert {
    condition     = output.certificate_id == "a27be832f2e9441c8127fe48e3b5ac67"
    error_message = "output.certificate_id must be the certificate's ID, got ${output.certificate_id}."
  }
  assert {
    condition     = apig_certificate_domains.this.certificate_id == apig_certificate.this.id
    error_message = "The domains must be bound to this module's certificate."
  }
  assert {
    condition     = output.not_after == "2030-06-30T12:00:00Z" && output.sans == tolist(["api.example.com", "www.example.com"])
    error_message = "output.not_after and output.sans must be the certificate's attributes."
  }
}

run "warns_when_the_certificate_expires_within_the_warning_period" {
  command = plan

  variables {
    # Longer than any test certificate lives, so the check must fire.
    expiry_warning_days = 36500
  }

  expect_failures = [check.certificate_expiry]
}

run "rejects_a_file_name_instead_of_pem" {
  command = plan

  variables {
    certificate_pem = "api.crt"
  }

  expect_failures = [var.certificate_pem]
}

run "rejects_no_domains" {
  command = plan

  variables {
    domains = {}
  }

  expect_failures = [var.domains]
}

run "rejects_a_malformed_gateway_id" {
  command = plan

  variables {
    domains = { "api.example.com" = { instance_ids = ["gw-1"] } }
  }

  expect_failures = [var.domains]
}

run "rejects_client_verification_without_a_trusted_ca" {
  command = plan

  variables {
    domains = { "api.example.com" = { verified_client_certificate_enabled = true } }
  }

  expect_failures = [var.domains]
}

run "rejects_a_bad_certificate_name" {
  command = plan

  variables {
    name = "1st-cert"
  }

  expect_failures = [var.name]
}
