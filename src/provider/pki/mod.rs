//! Local certificate knowledge: parse PEM certificate chains and private keys, match a key to a
//! certificate, and check an upload against the API's rules so mistakes surface at plan time.
//! Pure functions over text: no I/O, no clock (callers pass `now`), no key material retained.

mod algorithms;
mod certificate;
mod der;
mod error;
mod limits;
mod pem;
mod private_key;
#[cfg(test)]
mod proptests;
mod public_key;
mod upload;

#[cfg(test)]
pub(crate) mod test_support;

pub use certificate::{CertificateChain, ParsedCertificate, SubjectFields, parse_certificate_chain};
pub use error::PkiError;
pub use limits::{
    MAX_CHAIN_CERTIFICATES, MAX_DSA_P_BITS, MAX_DSA_Q_BITS, MAX_PEM_TEXT_BYTES, MAX_RSA_EXPONENT_BITS,
    MAX_RSA_MODULUS_BITS, MAX_SERIAL_BYTES,
};
pub use pem::PemError;
pub use private_key::{KeyFormat, ParsedPrivateKey, key_matches_certificate, parse_private_key};
pub use public_key::{EcCurve, KeyKind, PublicKey};
pub use upload::{API_EXPIRY_LIMIT, ParsedUpload, Problem, UploadInput, check_upload, rfc3339_seconds};
