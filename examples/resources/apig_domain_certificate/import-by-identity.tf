# The certificate on the domain shop.example.org of demo_group. service (apig or roma) and
# project_id are optional; project_id must be the provider's.
import {
  to = apig_domain_certificate.shop
  identity = {
    instance_id    = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"
    group_id       = "7d1e2f3a4b5c4d6e8f9a0b1c2d3e4f50"
    domain_id      = "d0000000000000000000000000000003"
    certificate_id = "a27be832f2e9441c8127fe48e3b5ac67"
  }
}
