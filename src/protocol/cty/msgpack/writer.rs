//! msgpack primitives written the way go-cty's encoder (vmihailenco/msgpack v5) writes them:
//! integers in their smallest form with non-negative ones as unsigned codes, str8 for strings of
//! 32 to 255 bytes, bin8 for short binaries, floats always as float64.

use crate::protocol::cty::CodecError;

/// go-cty's marker for a wholly unknown value: fixext1, type 0, payload 0.
pub(super) const UNKNOWN: [u8; 3] = [0xd4, 0x00, 0x00];

fn length(n: usize) -> Result<u32, CodecError> {
    u32::try_from(n)
        .map_err(|_| CodecError::Invalid { path: String::new(), message: "value too large for msgpack".into() })
}

pub(super) fn write_nil(out: &mut Vec<u8>) {
    out.push(0xc0);
}

pub(super) fn write_bool(out: &mut Vec<u8>, b: bool) {
    out.push(if b { 0xc3 } else { 0xc2 });
}

pub(super) fn write_int(out: &mut Vec<u8>, n: i64) {
    if n >= 0 {
        let u = n as u64;
        if u <= 0x7f {
            out.push(u as u8);
        } else if u <= u64::from(u8::MAX) {
            out.extend_from_slice(&[0xcc, u as u8]);
        } else if u <= u64::from(u16::MAX) {
            out.push(0xcd);
            out.extend_from_slice(&(u as u16).to_be_bytes());
        } else if u <= u64::from(u32::MAX) {
            out.push(0xce);
            out.extend_from_slice(&(u as u32).to_be_bytes());
        } else {
            out.push(0xcf);
            out.extend_from_slice(&u.to_be_bytes());
        }
    } else if n >= -32 {
        out.push(n as i8 as u8);
    } else if n >= i64::from(i8::MIN) {
        out.extend_from_slice(&[0xd0, n as i8 as u8]);
    } else if n >= i64::from(i16::MIN) {
        out.push(0xd1);
        out.extend_from_slice(&(n as i16).to_be_bytes());
    } else if n >= i64::from(i32::MIN) {
        out.push(0xd2);
        out.extend_from_slice(&(n as i32).to_be_bytes());
    } else {
        out.push(0xd3);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

pub(super) fn write_f64(out: &mut Vec<u8>, f: f64) {
    out.push(0xcb);
    out.extend_from_slice(&f.to_be_bytes());
}

pub(super) fn write_str(out: &mut Vec<u8>, s: &str) -> Result<(), CodecError> {
    let n = length(s.len())?;
    if n < 32 {
        out.push(0xa0 | n as u8);
    } else if n <= u32::from(u8::MAX) {
        out.extend_from_slice(&[0xd9, n as u8]);
    } else if n <= u32::from(u16::MAX) {
        out.push(0xda);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else {
        out.push(0xdb);
        out.extend_from_slice(&n.to_be_bytes());
    }
    out.extend_from_slice(s.as_bytes());
    Ok(())
}

pub(super) fn write_bin(out: &mut Vec<u8>, bytes: &[u8]) -> Result<(), CodecError> {
    let n = length(bytes.len())?;
    if n <= u32::from(u8::MAX) {
        out.extend_from_slice(&[0xc4, n as u8]);
    } else if n <= u32::from(u16::MAX) {
        out.push(0xc5);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else {
        out.push(0xc6);
        out.extend_from_slice(&n.to_be_bytes());
    }
    out.extend_from_slice(bytes);
    Ok(())
}

fn write_container_len(out: &mut Vec<u8>, n: usize, fix: u8, code16: u8, code32: u8) -> Result<(), CodecError> {
    let n = length(n)?;
    if n < 16 {
        out.push(fix | n as u8);
    } else if n <= u32::from(u16::MAX) {
        out.push(code16);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else {
        out.push(code32);
        out.extend_from_slice(&n.to_be_bytes());
    }
    Ok(())
}

pub(super) fn write_array_len(out: &mut Vec<u8>, n: usize) -> Result<(), CodecError> {
    write_container_len(out, n, 0x90, 0xdc, 0xdd)
}

pub(super) fn write_map_len(out: &mut Vec<u8>, n: usize) -> Result<(), CodecError> {
    write_container_len(out, n, 0x80, 0xde, 0xdf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex_of(f: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut out = Vec::new();
        f(&mut out);
        hex::encode(out)
    }

    #[test]
    fn integers_use_the_smallest_form_with_unsigned_codes_for_non_negatives() {
        // Vectors captured from Terraform 1.11.4 (see the msgpack tests).
        let cases: [(i64, &str); 20] = [
            (0, "00"),
            (127, "7f"),
            (128, "cc80"),
            (255, "ccff"),
            (256, "cd0100"),
            (65535, "cdffff"),
            (65536, "ce00010000"),
            (4294967295, "ceffffffff"),
            (4294967296, "cf0000000100000000"),
            (i64::MAX, "cf7fffffffffffffff"),
            (-1, "ff"),
            (-32, "e0"),
            (-33, "d0df"),
            (-128, "d080"),
            (-129, "d1ff7f"),
            (-32768, "d18000"),
            (-32769, "d2ffff7fff"),
            (-2147483648, "d280000000"),
            (-2147483649, "d3ffffffff7fffffff"),
            (i64::MIN, "d38000000000000000"),
        ];
        for (n, expected) in cases {
            assert_eq!(hex_of(|o| write_int(o, n)), expected, "{n}");
        }
    }

    #[test]
    fn lengths_switch_forms_at_the_msgpack_boundaries() {
        assert_eq!(hex_of(|o| write_str(o, &"a".repeat(31)).unwrap_or_default())[..2], *"bf");
        assert_eq!(hex_of(|o| write_str(o, &"a".repeat(32)).unwrap_or_default())[..4], *"d920");
        assert_eq!(hex_of(|o| write_str(o, &"a".repeat(256)).unwrap_or_default())[..6], *"da0100");
        assert_eq!(hex_of(|o| write_bin(o, b"ab").unwrap_or_default()), "c4026162");
        assert_eq!(hex_of(|o| write_array_len(o, 15).unwrap_or_default()), "9f");
        assert_eq!(hex_of(|o| write_array_len(o, 16).unwrap_or_default()), "dc0010");
        assert_eq!(hex_of(|o| write_map_len(o, 70000).unwrap_or_default()), "df00011170");
        assert_eq!(hex_of(|o| write_f64(o, f64::NEG_INFINITY)), "cbfff0000000000000");
    }
}
