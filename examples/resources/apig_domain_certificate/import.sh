# <instance_id>/<group_id>/<domain_id>/<certificate_id>
terraform import apig_domain_certificate.shop 5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0/7d1e2f3a4b5c4d6e8f9a0b1c2d3e4f50/d0000000000000000000000000000003/a27be832f2e9441c8127fe48e3b5ac67

# Prefixed roma/ (or apig/) to name the service:
terraform import apig_domain_certificate.shop roma/5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0/7d1e2f3a4b5c4d6e8f9a0b1c2d3e4f50/d0000000000000000000000000000003/a27be832f2e9441c8127fe48e3b5ac67
