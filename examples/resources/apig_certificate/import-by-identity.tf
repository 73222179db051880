# Imports a certificate into apig_certificate.api of the example usage, by its ID, on the
# provider's service and project. The API never returns the PEM or the key: the first plan
# updates the certificate in place to record them in state, and its apply makes no API write
# when the configured certificate is the one uploaded.
import {
  to = apig_certificate.api
  identity = {
    certificate_id = "a27be832f2e9441c8127fe48e3b5ac67"
  }
}

# service (apig or roma) and project_id are optional; project_id must be the provider's.
import {
  to = apig_certificate.mtls
  identity = {
    certificate_id = "b38cf943a3fa452d9238af59f4c6bd78"
    service        = "apig"
    project_id     = "0123456789abcdef0123456789abcdef"
  }
}
