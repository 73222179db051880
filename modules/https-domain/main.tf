# One certificate (the key is write-only: never in state) and the domains bound to it.

resource "apig_certificate" "this" {
  service                = var.service
  name                   = var.name
  content                = var.certificate_pem
  private_key_wo         = var.private_key
  private_key_wo_version = var.private_key_version
  type                   = var.instance_id == null ? "global" : "instance"
  instance_id            = var.instance_id
  trusted_root_ca        = var.trusted_root_ca
}

resource "apig_certificate_domains" "this" {
  service        = var.service
  certificate_id = apig_certificate.this.id

  dynamic "domain" {
    for_each = var.domains
    content {
      name                                = domain.key
      instance_ids                        = domain.value.instance_ids
      verified_client_certificate_enabled = domain.value.verified_client_certificate_enabled
    }
  }
}

locals {
  # Read locally from the PEM with the provider's function. Null when the PEM does not parse: the
  # certificate resource then reports that itself, on its `content` argument.
  not_after = try(provider::apig::certificate_info(var.certificate_pem).not_after, null)
}

# A warning (not an error) at plan time, before any API call, on every plan as the date nears.
check "certificate_expiry" {
  assert {
    condition     = var.expiry_warning_days == 0 || try(timecmp(local.not_after, timeadd(plantimestamp(), "${var.expiry_warning_days * 24}h")) > 0, true)
    error_message = "The certificate ${var.name} expires at ${coalesce(local.not_after, "an unknown time")}, within ${var.expiry_warning_days} days: renew it, then update certificate_pem and private_key and increase private_key_version."
  }
}
