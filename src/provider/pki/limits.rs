//! How much work any input can cause. Every size is checked on the encoded structure *before* any
//! arithmetic or per-certificate parsing, so hostile input is refused in time linear in its length
//! (and the length itself is capped). Each limit is one the API could accept at all: anything larger
//! would be refused by the gateway anyway, so refusing it at plan costs the user nothing.

use super::error::PkiError;

/// Largest PEM text (`content`, `private_key`) parsed at all: 256 KiB. A PEM certificate is 1–3 KB
/// and a 16384-bit RSA key about 12 KB, so a full chain of [`MAX_CHAIN_CERTIFICATES`] such
/// certificates with its key still fits; text this large is a wrong file, not a certificate.
pub const MAX_PEM_TEXT_BYTES: usize = 256 * 1024;

/// Most certificates in one chain: real chains are 2–4 (leaf, one or two intermediates, at most
/// a root), and every certificate is parsed in full, so the count is bounded too.
pub const MAX_CHAIN_CERTIFICATES: usize = 16;

/// Largest RSA modulus: OpenSSL refuses any RSA operation with a modulus above 16384 bits
/// (`OPENSSL_RSA_MAX_MODULUS_BITS`), so a gateway cannot serve TLS with a larger key.
pub const MAX_RSA_MODULUS_BITS: usize = 16384;

/// Largest RSA public exponent: OpenSSL's `OPENSSL_RSA_MAX_PUBEXP_BITS` (64 bits); real keys use
/// 65537 (17 bits).
pub const MAX_RSA_EXPONENT_BITS: usize = 64;

/// Largest DSA prime `p`: FIPS 186-4 and Go's `crypto/dsa` (the API reports Go's names) know only
/// L = 1024, 2048 and 3072. This bounds the one modular exponentiation done here (y = g^x mod p).
pub const MAX_DSA_P_BITS: usize = 3072;

/// Largest DSA subgroup order `q` (FIPS 186-4: N = 160, 224 or 256). The private value `x` is
/// below `q`, so it bounds the exponent of y = g^x mod p to 256 bits.
pub const MAX_DSA_Q_BITS: usize = 256;

/// Longest certificate serial number, in bytes. RFC 5280 allows 20; some CAs exceed it, so this
/// is generous, but it bounds the decimal conversion (quadratic in the length) of `serial_number`.
pub const MAX_SERIAL_BYTES: usize = 64;

/// Refuses text longer than [`MAX_PEM_TEXT_BYTES`] before it is read.
pub fn check_text_size(text: &str) -> Result<(), PkiError> {
    if text.len() > MAX_PEM_TEXT_BYTES {
        return Err(PkiError::InputTooLarge { bytes: text.len(), limit: MAX_PEM_TEXT_BYTES });
    }
    Ok(())
}

/// The bit length of an unsigned big-endian integer given without leading zero bytes.
pub fn bit_length(magnitude: &[u8]) -> usize {
    match magnitude.first() {
        None => 0,
        Some(top) => magnitude.len() * 8 - top.leading_zeros() as usize,
    }
}

/// Refuses an RSA key whose modulus or public exponent is over the limits.
pub fn check_rsa(modulus: &[u8], exponent: &[u8]) -> Result<(), PkiError> {
    let (modulus_bits, exponent_bits) = (bit_length(modulus), bit_length(exponent));
    if modulus_bits > MAX_RSA_MODULUS_BITS {
        return Err(PkiError::KeyTooLarge {
            what: format!("a {modulus_bits}-bit RSA modulus"),
            limit: format!("{MAX_RSA_MODULUS_BITS}-bit RSA keys"),
        });
    }
    if exponent_bits > MAX_RSA_EXPONENT_BITS {
        return Err(PkiError::KeyTooLarge {
            what: format!("a {exponent_bits}-bit RSA public exponent"),
            limit: format!("{MAX_RSA_EXPONENT_BITS}-bit public exponents (65537 is usual)"),
        });
    }
    Ok(())
}

/// Refuses DSA parameters over the limits: `p`, `q`, and `g`, `y`, `x` no longer than their
/// modulus (`g`, `y` below `p`; `x` below `q`). Magnitudes without leading zeros.
pub fn check_dsa(p: &[u8], q: &[u8], g: &[u8], public_or_private: &[(&[u8], DsaValue)]) -> Result<(), PkiError> {
    let (p_bits, q_bits) = (bit_length(p), bit_length(q));
    let limit = || {
        format!(
            "{MAX_DSA_P_BITS}-bit DSA parameters (p of at most {MAX_DSA_P_BITS} bits, q of at most {MAX_DSA_Q_BITS})"
        )
    };
    if p_bits > MAX_DSA_P_BITS {
        return Err(PkiError::KeyTooLarge { what: format!("{p_bits}-bit DSA parameters"), limit: limit() });
    }
    if q_bits > MAX_DSA_Q_BITS {
        return Err(PkiError::KeyTooLarge { what: format!("a {q_bits}-bit DSA subgroup order q"), limit: limit() });
    }
    let too_long = |bits: usize, bound: usize, name: &str| {
        (bits > bound).then(|| PkiError::KeyTooLarge { what: format!("a {bits}-bit DSA {name}"), limit: limit() })
    };
    if let Some(e) = too_long(bit_length(g), p_bits, "generator g") {
        return Err(e);
    }
    for (value, kind) in public_or_private {
        let e = match kind {
            DsaValue::Public => too_long(bit_length(value), p_bits, "public value y"),
            DsaValue::Private => too_long(bit_length(value), q_bits, "private value x"),
        };
        if let Some(e) = e {
            return Err(e);
        }
    }
    Ok(())
}

/// Which DSA key value [`check_dsa`] is given.
#[derive(Debug, Clone, Copy)]
pub enum DsaValue {
    Public,
    Private,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_lengths() {
        assert_eq!(bit_length(&[]), 0);
        assert_eq!(bit_length(&[1]), 1);
        assert_eq!(bit_length(&[0x80, 0]), 16);
        assert_eq!(bit_length(&[0x01, 0, 1]), 17);
    }

    #[test]
    fn limits_are_inclusive() {
        let modulus = [0xffu8; MAX_RSA_MODULUS_BITS / 8];
        assert_eq!(check_rsa(&modulus, &[1, 0, 1]), Ok(()));
        let mut bigger = vec![1u8];
        bigger.extend_from_slice(&modulus);
        let err = check_rsa(&bigger, &[1, 0, 1]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the private key is too large: a 16385-bit RSA modulus; the API accepts at most 16384-bit RSA keys"
        );
        assert!(matches!(check_rsa(&modulus, &[1; 9]), Err(PkiError::KeyTooLarge { .. })), "72-bit exponent");

        let p = [0xffu8; MAX_DSA_P_BITS / 8];
        let q = [0xffu8; MAX_DSA_Q_BITS / 8];
        assert_eq!(check_dsa(&p, &q, &p, &[(&p, DsaValue::Public), (&q, DsaValue::Private)]), Ok(()));
        assert!(check_dsa(&p, &q, &p, &[(&p, DsaValue::Private)]).is_err(), "x longer than q");
        assert!(check_dsa(&q, &q, &p, &[]).is_err(), "g longer than p");
        assert!(check_text_size(&"a".repeat(MAX_PEM_TEXT_BYTES)).is_ok());
        assert_eq!(
            check_text_size(&"a".repeat(MAX_PEM_TEXT_BYTES + 1)),
            Err(PkiError::InputTooLarge { bytes: MAX_PEM_TEXT_BYTES + 1, limit: MAX_PEM_TEXT_BYTES })
        );
    }
}
