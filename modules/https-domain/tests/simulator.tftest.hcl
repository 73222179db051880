# Integration test: real applies against an API, by default the bundled simulator (apig-simulator,
# whose fixture has the project and gateway below). terraform test destroys everything it created
# at the end, in reverse order.
#
#   apig-simulator --listen 127.0.0.1:8080 &
#   echo 'apig_endpoint = "http://127.0.0.1:8080"' > sim.tfvars
#   HW_AUTH_TOKEN=sim-token TF_VAR_certificate_pem="$(cat test.crt)" TF_VAR_private_key="$(cat test.key)" \
#     terraform test -filter=tests/simulator.tftest.hcl -var-file=sim.tfvars
#
# The module does not declare apig_endpoint, and variable blocks in test files need Terraform 1.13
# (this module supports 1.11), so its value comes from a .tfvars file: there it is HCL, a quoted
# string, whatever the version (a bare -var value is parsed as an expression for an undeclared
# variable). Terraform 1.13 and later warn "Variable referenced without definition" about it.
# The token comes from HW_AUTH_TOKEN, as credentials do in CI.

provider "apig" {
  region      = "cn-north-4"
  project_id  = "0123456789abcdef0123456789abcdef"
  endpoints   = { apig = var.apig_endpoint, roma = var.apig_endpoint }
  max_retries = 0
}

variables {
  name = "module_test_cert"
  domains = {
    "api.example.com" = { instance_ids = ["5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"] }
    "www.example.com" = {}
  }
}

run "creates_the_certificate_and_binds_the_domains" {
  assert {
    condition     = can(regex("^[0-9a-f]{32}$", output.certificate_id))
    error_message = "The API must have assigned a certificate ID, got ${output.certificate_id}."
  }
  assert {
    condition     = apig_certificate.this.type == "global" && apig_certificate.this.instance_id == "common"
    error_message = "A certificate without instance_id must be global (the API reports instance_id \"common\")."
  }
  assert {
    condition     = output.not_after == provider::apig::certificate_info(var.certificate_pem).not_after
    error_message = "output.not_after must be the uploaded certificate's expiry, got ${output.not_after}."
  }
  assert {
    condition     = alltrue([for domain in output.domains : contains(output.sans, domain)])
    error_message = "The certificate's SANs ${jsonencode(output.sans)} must cover every bound domain."
  }
  assert {
    condition     = output.domains == tolist(["api.example.com", "www.example.com"])
    error_message = "output.domains must list the bound domains, sorted: ${jsonencode(output.domains)}."
  }
}

run "rotates_the_key_in_place" {
  variables {
    private_key_version = 2
  }

  assert {
    condition     = output.certificate_id == run.creates_the_certificate_and_binds_the_domains.certificate_id
    error_message = "A new private_key_version must update the certificate in place, not replace it."
  }
  assert {
    condition     = apig_certificate.this.private_key_wo_version == 2
    error_message = "The new private_key_version must be recorded."
  }
}

run "replaces_it_with_an_instance_certificate" {
  variables {
    private_key_version = 2
    instance_id         = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"
  }

  assert {
    condition     = output.certificate_id != run.rotates_the_key_in_place.certificate_id && can(regex("^[0-9a-f]{32}$", output.certificate_id))
    error_message = "Changing the certificate's scope must replace it with a new one."
  }
  assert {
    condition     = apig_certificate.this.type == "instance" && apig_certificate.this.instance_id == "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"
    error_message = "With instance_id the certificate must be an instance certificate on that gateway."
  }
  assert {
    condition     = apig_certificate_domains.this.certificate_id == output.certificate_id
    error_message = "The domains must be bound to the new certificate."
  }
}
