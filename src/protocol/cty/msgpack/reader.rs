//! A bounds-checked msgpack reader: every read either returns data inside the buffer or an error,
//! so malformed or truncated input can never panic.

use crate::protocol::cty::CodecError;

/// One msgpack item header; strings, binaries and extensions come with their payload.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Head<'a> {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float32(f32),
    Float64(f64),
    Str(&'a [u8]),
    Bin(&'a [u8]),
    Array(usize),
    Map(usize),
    Ext { kind: i8, data: &'a [u8] },
}

impl Head<'_> {
    /// What the item is, for error messages.
    pub(super) fn describe(&self) -> &'static str {
        match self {
            Head::Nil => "nil",
            Head::Bool(_) => "a bool",
            Head::Int(_) | Head::Uint(_) => "an integer",
            Head::Float32(_) | Head::Float64(_) => "a float",
            Head::Str(_) => "a string",
            Head::Bin(_) => "a binary",
            Head::Array(_) => "an array",
            Head::Map(_) => "a map",
            Head::Ext { .. } => "an extension",
        }
    }
}

pub(super) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    pub(super) fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], CodecError> {
        let end = self.pos.checked_add(n).ok_or(CodecError::Truncated)?;
        let slice = self.bytes.get(self.pos..end).ok_or(CodecError::Truncated)?;
        self.pos = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], CodecError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8, CodecError> {
        Ok(self.array::<1>()?[0])
    }
    fn u16(&mut self) -> Result<u16, CodecError> {
        Ok(u16::from_be_bytes(self.array()?))
    }
    fn u32(&mut self) -> Result<u32, CodecError> {
        Ok(u32::from_be_bytes(self.array()?))
    }
    fn u64(&mut self) -> Result<u64, CodecError> {
        Ok(u64::from_be_bytes(self.array()?))
    }
    fn len32(&mut self) -> Result<usize, CodecError> {
        usize::try_from(self.u32()?).map_err(|_| CodecError::Truncated)
    }

    /// Reads the next item header (and the payload of strings, binaries and extensions).
    pub(super) fn head(&mut self) -> Result<Head<'a>, CodecError> {
        let code = self.u8()?;
        Ok(match code {
            0x00..=0x7f => Head::Uint(u64::from(code)),
            0x80..=0x8f => Head::Map(usize::from(code & 0x0f)),
            0x90..=0x9f => Head::Array(usize::from(code & 0x0f)),
            0xa0..=0xbf => Head::Str(self.take(usize::from(code & 0x1f))?),
            0xc0 => Head::Nil,
            0xc1 => {
                return Err(CodecError::Invalid { path: String::new(), message: "invalid msgpack code 0xc1".into() });
            }
            0xc2 => Head::Bool(false),
            0xc3 => Head::Bool(true),
            0xc4 => {
                let n = usize::from(self.u8()?);
                Head::Bin(self.take(n)?)
            }
            0xc5 => {
                let n = usize::from(self.u16()?);
                Head::Bin(self.take(n)?)
            }
            0xc6 => {
                let n = self.len32()?;
                Head::Bin(self.take(n)?)
            }
            0xc7..=0xc9 => {
                let n = match code {
                    0xc7 => usize::from(self.u8()?),
                    0xc8 => usize::from(self.u16()?),
                    _ => self.len32()?,
                };
                let kind = self.u8()? as i8;
                Head::Ext { kind, data: self.take(n)? }
            }
            0xca => Head::Float32(f32::from_bits(self.u32()?)),
            0xcb => Head::Float64(f64::from_bits(self.u64()?)),
            0xcc => Head::Uint(u64::from(self.u8()?)),
            0xcd => Head::Uint(u64::from(self.u16()?)),
            0xce => Head::Uint(u64::from(self.u32()?)),
            0xcf => Head::Uint(self.u64()?),
            0xd0 => Head::Int(i64::from(self.u8()? as i8)),
            0xd1 => Head::Int(i64::from(self.u16()? as i16)),
            0xd2 => Head::Int(i64::from(self.u32()? as i32)),
            0xd3 => Head::Int(self.u64()? as i64),
            0xd4..=0xd8 => {
                let kind = self.u8()? as i8;
                let n = 1usize << (code - 0xd4);
                Head::Ext { kind, data: self.take(n)? }
            }
            0xd9 => {
                let n = usize::from(self.u8()?);
                Head::Str(self.take(n)?)
            }
            0xda => {
                let n = usize::from(self.u16()?);
                Head::Str(self.take(n)?)
            }
            0xdb => {
                let n = self.len32()?;
                Head::Str(self.take(n)?)
            }
            0xdc => Head::Array(usize::from(self.u16()?)),
            0xdd => Head::Array(self.len32()?),
            0xde => Head::Map(usize::from(self.u16()?)),
            0xdf => Head::Map(self.len32()?),
            0xe0..=0xff => Head::Int(i64::from(code as i8)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(bytes: &[u8]) -> Result<Head<'_>, CodecError> {
        Reader::new(bytes).head()
    }

    #[test]
    fn reads_every_format_family() {
        assert_eq!(head(&[0x05]), Ok(Head::Uint(5)));
        assert_eq!(head(&[0xff]), Ok(Head::Int(-1)));
        assert_eq!(head(&[0xd0, 0x80]), Ok(Head::Int(-128)));
        assert_eq!(head(&[0xd1, 0xff, 0x7f]), Ok(Head::Int(-129)));
        assert_eq!(head(&[0xd2, 0x80, 0, 0, 0]), Ok(Head::Int(i64::from(i32::MIN))));
        assert_eq!(head(&[0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0]), Ok(Head::Int(i64::MIN)));
        assert_eq!(head(&[0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), Ok(Head::Uint(u64::MAX)));
        assert_eq!(head(&[0xca, 0x3f, 0xc0, 0, 0]), Ok(Head::Float32(1.5)));
        assert_eq!(head(&[0xa2, b'h', b'i']), Ok(Head::Str(b"hi")));
        assert_eq!(head(&[0xd9, 1, b'x']), Ok(Head::Str(b"x")));
        assert_eq!(head(&[0xc4, 1, 7]), Ok(Head::Bin(&[7])));
        assert_eq!(head(&[0xdc, 0, 3]), Ok(Head::Array(3)));
        assert_eq!(head(&[0xdf, 0, 0, 0, 2]), Ok(Head::Map(2)));
        assert_eq!(head(&[0xd4, 0, 0]), Ok(Head::Ext { kind: 0, data: &[0] }));
        assert_eq!(head(&[0xc7, 0, 5]), Ok(Head::Ext { kind: 5, data: &[] }));
        assert_eq!(
            head(&[0xd8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).map(|h| h.describe()),
            Ok("an extension")
        );
    }

    #[test]
    fn truncation_and_reserved_codes_are_errors() {
        for bad in
            [&[][..], &[0xa2, b'h'], &[0xcd, 1], &[0xdb, 0xff, 0xff, 0xff, 0xff, 1], &[0xd4, 0], &[0xc7, 2, 0, 1]]
        {
            assert_eq!(head(bad), Err(CodecError::Truncated), "{bad:x?}");
        }
        assert!(head(&[0xc1]).is_err());
    }
}
