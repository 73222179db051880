//! Signature algorithm names as Go's `crypto/x509` prints them (`SignatureAlgorithm.String()`),
//! which is what the API reports in `signature_algorithm`.

use super::der::{self, Reader};
use super::public_key::OID_RSASSA_PSS;

/// The Go name of a certificate's signature algorithm, from its AlgorithmIdentifier (OID and
/// the DER content of its parameters). Algorithms Go does not name show their dotted OID.
pub fn signature_algorithm_name(oid: &str, parameters: Option<&[u8]>) -> String {
    let name = match oid {
        "1.2.840.113549.1.1.2" => "MD2-RSA",
        "1.2.840.113549.1.1.4" => "MD5-RSA",
        "1.2.840.113549.1.1.5" | "1.3.14.3.2.29" => "SHA1-RSA",
        "1.2.840.113549.1.1.11" => "SHA256-RSA",
        "1.2.840.113549.1.1.12" => "SHA384-RSA",
        "1.2.840.113549.1.1.13" => "SHA512-RSA",
        "1.2.840.10040.4.3" => "DSA-SHA1",
        "2.16.840.1.101.3.4.3.2" => "DSA-SHA256",
        "1.2.840.10045.4.1" => "ECDSA-SHA1",
        "1.2.840.10045.4.3.2" => "ECDSA-SHA256",
        "1.2.840.10045.4.3.3" => "ECDSA-SHA384",
        "1.2.840.10045.4.3.4" => "ECDSA-SHA512",
        "1.3.101.112" => "Ed25519",
        // SM2 with SM3 (GB/T 32918); Go's standard library has no name, the common Go SM
        // libraries call it this.
        "1.2.156.10197.1.501" => "SM2-SM3",
        OID_RSASSA_PSS => return pss_name(parameters).unwrap_or_else(|| oid.to_string()),
        other => other,
    };
    name.to_string()
}

/// RSASSA-PSS is one OID; the hash inside its parameters picks Go's name.
fn pss_name(parameters: Option<&[u8]>) -> Option<String> {
    let mut params = Reader::new(parameters?);
    // hashAlgorithm [0] EXPLICIT AlgorithmIdentifier DEFAULT sha1
    let hash = match params.read(der::CONTEXT_0) {
        Some(tagged) => der::oid_to_string(Reader::new(tagged).read_sequence()?.read(der::OID)?)?,
        None => "1.3.14.3.2.26".to_string(),
    };
    let name = match hash.as_str() {
        "2.16.840.1.101.3.4.2.1" => "SHA256-RSAPSS",
        "2.16.840.1.101.3.4.2.2" => "SHA384-RSAPSS",
        "2.16.840.1.101.3.4.2.3" => "SHA512-RSAPSS",
        _ => return None,
    };
    Some(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_algorithms() {
        assert_eq!(signature_algorithm_name("1.2.840.113549.1.1.11", None), "SHA256-RSA");
        assert_eq!(signature_algorithm_name("1.2.840.113549.1.1.12", None), "SHA384-RSA");
        assert_eq!(signature_algorithm_name("1.2.840.10045.4.3.2", None), "ECDSA-SHA256");
        assert_eq!(signature_algorithm_name("1.2.840.10045.4.3.3", None), "ECDSA-SHA384");
        assert_eq!(signature_algorithm_name("1.2.3.4", None), "1.2.3.4");
    }

    #[test]
    fn pss_name_comes_from_the_hash_parameter() {
        // [0] { SEQUENCE { OID sha384 } }
        let sha384 = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02];
        let mut params = vec![0xa0, 2 + 2 + sha384.len() as u8, 0x30, 2 + sha384.len() as u8, 0x06];
        params.push(sha384.len() as u8);
        params.extend_from_slice(&sha384);
        assert_eq!(signature_algorithm_name(OID_RSASSA_PSS, Some(&params)), "SHA384-RSAPSS");
        // Absent hash means SHA-1, which Go does not name.
        assert_eq!(signature_algorithm_name(OID_RSASSA_PSS, Some(&[])), OID_RSASSA_PSS);
    }
}
