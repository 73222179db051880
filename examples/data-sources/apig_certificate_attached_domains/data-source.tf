terraform {
  required_providers {
    apig = {
      source = "hwapig/apig"
    }
  }
}

# Every domain bound to the certificate, once per gateway.
data "apig_certificate_attached_domains" "api" {
  certificate_id = "a27be832f2e9441c8127fe48e3b5ac67"
}

# Only the bindings of one domain name.
data "apig_certificate_attached_domains" "www" {
  certificate_id = "a27be832f2e9441c8127fe48e3b5ac67"
  url_domain     = "www.example.com"
}

output "bound_domain_names" {
  value = sort(distinct([for d in data.apig_certificate_attached_domains.api.domains : d.url_domain]))
}
