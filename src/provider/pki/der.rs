//! A minimal DER reader: just enough to walk key structures (PKCS#8, PKCS#1, SEC1, SPKI) without
//! ever copying private material out of them. Every read is bounds-checked; malformed input is
//! `None`, never a panic.

/// Universal tags used by the key structures.
pub const INTEGER: u8 = 0x02;
pub const BIT_STRING: u8 = 0x03;
pub const OCTET_STRING: u8 = 0x04;
pub const OID: u8 = 0x06;
pub const SEQUENCE: u8 = 0x30;
/// Context-specific constructed tags `[0]` and `[1]` (EXPLICIT).
pub const CONTEXT_0: u8 = 0xa0;
pub const CONTEXT_1: u8 = 0xa1;
/// Context-specific primitive `[1]` (IMPLICIT), the public key of a PKCS#8 v2 document.
pub const CONTEXT_1_PRIMITIVE: u8 = 0x81;

/// One tag-length-value element.
#[derive(Clone, Copy)]
pub struct Tlv<'a> {
    pub tag: u8,
    pub content: &'a [u8],
}

/// A cursor over consecutive DER elements.
#[derive(Clone, Copy)]
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(input: &'a [u8]) -> Self {
        Reader { rest: input }
    }

    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The next element, whatever its tag.
    pub fn read_any(&mut self) -> Option<Tlv<'a>> {
        let (&tag, after_tag) = self.rest.split_first()?;
        // Multi-byte tags (low bits all set) never occur in the structures read here.
        if tag & 0x1f == 0x1f {
            return None;
        }
        let (&first, after_len) = after_tag.split_first()?;
        let (length, after_len) = if first < 0x80 {
            (usize::from(first), after_len)
        } else {
            let count = usize::from(first & 0x7f);
            // 0x80 is the BER indefinite form, not allowed in DER; more than 4 bytes is absurd here.
            if count == 0 || count > 4 || after_len.len() < count {
                return None;
            }
            let (len_bytes, after) = after_len.split_at(count);
            let length = len_bytes.iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
            (length, after)
        };
        if after_len.len() < length {
            return None;
        }
        let (content, rest) = after_len.split_at(length);
        self.rest = rest;
        Some(Tlv { tag, content })
    }

    /// The next element if it carries `tag`; otherwise `None` and nothing is consumed (which is
    /// also how an absent OPTIONAL field reads).
    pub fn read(&mut self, tag: u8) -> Option<&'a [u8]> {
        let mut probe = *self;
        let tlv = probe.read_any()?;
        if tlv.tag != tag {
            return None;
        }
        *self = probe;
        Some(tlv.content)
    }

    /// The contents of the next element, a SEQUENCE, as a reader.
    pub fn read_sequence(&mut self) -> Option<Reader<'a>> {
        self.read(SEQUENCE).map(Reader::new)
    }
}

/// Reads a whole input that must be exactly one SEQUENCE.
pub fn sequence(input: &[u8]) -> Option<Reader<'_>> {
    let mut outer = Reader::new(input);
    let inner = outer.read_sequence()?;
    outer.is_empty().then_some(inner)
}

/// The magnitude of a non-negative INTEGER's content, without leading zero bytes.
pub fn unsigned_integer(content: &[u8]) -> &[u8] {
    let start = content.iter().position(|b| *b != 0).unwrap_or(content.len());
    content.get(start..).unwrap_or_default()
}

/// A small INTEGER (version fields).
pub fn small_integer(content: &[u8]) -> Option<u64> {
    if content.is_empty() || content.len() > 8 || content.first().is_some_and(|b| b & 0x80 != 0) {
        return None;
    }
    Some(content.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
}

/// The bytes of a BIT STRING whose bit count is a whole number of bytes (keys always are).
pub fn bit_string_bytes(content: &[u8]) -> Option<&[u8]> {
    match content.split_first() {
        Some((0, bytes)) => Some(bytes),
        _ => None,
    }
}

/// The dotted text of an OBJECT IDENTIFIER's content (`1.2.840.10045.2.1`).
pub fn oid_to_string(content: &[u8]) -> Option<String> {
    let mut arcs: Vec<u64> = Vec::new();
    let mut value: u64 = 0;
    let mut in_arc = false;
    for byte in content {
        if value > (u64::MAX >> 7) {
            return None;
        }
        value = (value << 7) | u64::from(byte & 0x7f);
        in_arc = byte & 0x80 != 0;
        if !in_arc {
            if arcs.is_empty() {
                let (first, second) = match value {
                    0..=39 => (0, value),
                    40..=79 => (1, value - 40),
                    _ => (2, value - 80),
                };
                arcs.push(first);
                arcs.push(second);
            } else {
                arcs.push(value);
            }
            value = 0;
        }
    }
    if in_arc || arcs.is_empty() {
        return None;
    }
    Some(arcs.iter().map(u64::to_string).collect::<Vec<_>>().join("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_sequence_and_integers() {
        // SEQUENCE { INTEGER 0, INTEGER 0x00ff, OCTET STRING "ab" }
        let der = [0x30, 0x0b, 0x02, 0x01, 0x00, 0x02, 0x02, 0x00, 0xff, 0x04, 0x02, b'a', b'b'];
        let mut seq = sequence(&der).expect("sequence");
        assert_eq!(seq.read(INTEGER).and_then(small_integer), Some(0));
        assert_eq!(seq.read(INTEGER).map(unsigned_integer), Some(&[0xff][..]));
        assert!(seq.read(CONTEXT_0).is_none(), "optional absent leaves the cursor in place");
        assert_eq!(seq.read(OCTET_STRING), Some(&b"ab"[..]));
        assert!(seq.is_empty());
    }

    #[test]
    fn long_form_length() {
        let mut der = vec![0x04, 0x81, 0x80];
        der.extend(std::iter::repeat_n(7u8, 0x80));
        let mut r = Reader::new(&der);
        assert_eq!(r.read(OCTET_STRING).map(<[u8]>::len), Some(0x80));
    }

    #[test]
    fn truncated_or_trailing_input_is_rejected() {
        assert!(Reader::new(&[0x30, 0x05, 0x02, 0x01]).read_any().is_none());
        assert!(Reader::new(&[0x30, 0x80, 0x00, 0x00]).read_any().is_none(), "indefinite length");
        assert!(sequence(&[0x30, 0x00, 0x00]).is_none(), "trailing byte after the sequence");
        assert!(Reader::new(&[]).read_any().is_none());
    }

    #[test]
    fn oid_text() {
        // 1.2.840.10045.2.1 (id-ecPublicKey)
        let content = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
        assert_eq!(oid_to_string(&content).as_deref(), Some("1.2.840.10045.2.1"));
        // 1.3.101.112 (Ed25519)
        assert_eq!(oid_to_string(&[0x2b, 0x65, 0x70]).as_deref(), Some("1.3.101.112"));
        assert_eq!(oid_to_string(&[0x2a, 0x86]), None, "unterminated arc");
        assert_eq!(oid_to_string(&[]), None);
    }
}
