# Imported by the ID of the certificate; every domain bound to it is adopted, each with the
# gateways (instance_ids) it is bound on:
terraform import apig_certificate_domains.example a27be832f2e9441c8127fe48e3b5ac67

# On ROMA Connect when the provider's service is apig (or the other way round):
terraform import apig_certificate_domains.example roma/a27be832f2e9441c8127fe48e3b5ac67
