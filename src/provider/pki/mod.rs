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
pub use upload::{API_EXPIRY_LIMIT, ParsedUpload, Problem, UploadInput, check_upload, read_upload, rfc3339_seconds};

/// How often this thread parsed a certificate chain and a private key: tests prove with it that a
/// request parses its PEM once.
#[cfg(test)]
pub(crate) mod parse_count {
    use std::cell::Cell;

    thread_local! {
        static COUNTS: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
    }

    pub(crate) fn chain() {
        COUNTS.with(|c| c.set((c.get().0 + 1, c.get().1)));
    }
    pub(crate) fn key() {
        COUNTS.with(|c| c.set((c.get().0, c.get().1 + 1)));
    }
    /// (chains, keys) parsed since the last call, which starts counting afresh.
    pub(crate) fn take() -> (usize, usize) {
        COUNTS.with(|c| c.replace((0, 0)))
    }
}
