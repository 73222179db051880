terraform {
  required_providers {
    apig = {
      source = "hwapig/apig"
    }
  }
}

# By ID.
data "apig_certificate" "by_id" {
  id = "a27be832f2e9441c8127fe48e3b5ac67"
}

# By name, among the certificates a gateway can use (its own and the global ones).
data "apig_certificate" "by_name" {
  name        = "api_example_com"
  instance_id = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"
}

output "api_certificate" {
  value = {
    common_name = data.apig_certificate.by_name.common_name
    sans        = data.apig_certificate.by_name.sans
    not_after   = data.apig_certificate.by_name.not_after
  }
}
