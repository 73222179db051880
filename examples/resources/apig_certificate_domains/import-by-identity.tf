# Imported by the ID of the certificate: every domain bound to it is adopted.
import {
  to = apig_certificate_domains.example
  identity = {
    certificate_id = "a27be832f2e9441c8127fe48e3b5ac67"
  }
}
