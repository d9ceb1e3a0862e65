//! Finding bytes of a class 16 at a time: SSE2 masks on x86_64, a plain loop elsewhere. The HTML
//! and JSON escapers and the word counter run over every page and note; this is where their
//! (only) `unsafe` code lives.

/// A class of bytes: the bytes of `SET` and those below `BELOW` (0: none).
pub trait ByteClass {
    /// The bytes in the class.
    const SET: &'static [u8];
    /// Every byte below this is in the class too.
    const BELOW: u8;
    /// Membership of each byte, as a table.
    const TABLE: [bool; 256] = table(Self::SET, Self::BELOW);

    /// Bit i set when byte i of `block` is in the class.
    #[inline]
    fn mask(block: &[u8; 16]) -> u32 {
        any_of(block, Self::SET, Self::BELOW)
    }

    /// Whether `b` is in the class.
    #[inline]
    fn has(b: u8) -> bool {
        Self::TABLE[usize::from(b)]
    }
}

/// Index of the first byte of `bytes` at or after `from` that is in class `C`, or `bytes.len()`.
#[inline]
pub fn find<C: ByteClass>(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(block) = bytes.get(i..i + 16) {
        let m = C::mask(block.try_into().expect("16 bytes"));
        if m != 0 {
            return i + m.trailing_zeros() as usize;
        }
        i += 16;
    }
    bytes[i..]
        .iter()
        .position(|&b| C::has(b))
        .map_or(bytes.len(), |p| i + p)
}

/// What HTML escaping replaces: `&`, `<`, `>`, `"`, `'`.
pub struct HtmlSpecial;

impl ByteClass for HtmlSpecial {
    const SET: &'static [u8] = b"&<>\"'";
    const BELOW: u8 = 0;
}

/// What a script-safe JSON string escapes: control bytes, `"`, `\`, `<`, `>`, `&`.
pub struct JsonSpecial;

impl ByteClass for JsonSpecial {
    const SET: &'static [u8] = b"\"\\<>&";
    const BELOW: u8 = 0x20;
}

/// For each byte: is it one of `set` or below `below`? (What `any_of` tests, as a table.)
const fn table(set: &[u8], below: u8) -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8) < below;
        b += 1;
    }
    let mut i = 0;
    while i < set.len() {
        t[set[i] as usize] = true;
        i += 1;
    }
    t
}

/// Bit i set when byte i of `block` is an ASCII space as `split_whitespace` sees it (space,
/// `\t` to `\r`); `None` if any byte is not ASCII.
#[inline]
pub fn ascii_spaces(block: &[u8; 16]) -> Option<u32> {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::*;
        // SAFETY: SSE2 is part of x86_64; the load is unaligned and reads exactly 16 bytes.
        unsafe {
            let v = _mm_loadu_si128(block.as_ptr().cast());
            if _mm_movemask_epi8(v) != 0 {
                return None;
            }
            let blank = _mm_cmpeq_epi8(v, _mm_set1_epi8(b' ' as i8));
            // `\t`..=`\r`: b - 9 is at most 4 (as an unsigned byte).
            let d = _mm_sub_epi8(v, _mm_set1_epi8(9));
            let control = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(4)), d);
            Some(_mm_movemask_epi8(_mm_or_si128(blank, control)) as u32)
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let mut spaces = 0u32;
        for (i, &b) in block.iter().enumerate() {
            if b >= 0x80 {
                return None;
            }
            spaces |= u32::from(b == b' ' || (b'\t'..=b'\r').contains(&b)) << i;
        }
        Some(spaces)
    }
}

/// Bit i set when byte i of `block` is one of `set` or below `below` (0: none is).
#[inline(always)]
fn any_of(block: &[u8; 16], set: &[u8], below: u8) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::*;
        // SAFETY: SSE2 is part of x86_64; the load is unaligned and reads exactly 16 bytes.
        unsafe {
            let v = _mm_loadu_si128(block.as_ptr().cast());
            let mut hits = if below == 0 {
                _mm_setzero_si128()
            } else {
                // v < below (unsigned) ⇔ min(v, below - 1) == v
                _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8((below - 1) as i8)), v)
            };
            for &c in set {
                hits = _mm_or_si128(hits, _mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8)));
            }
            _mm_movemask_epi8(hits) as u32
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let mut m = 0u32;
        for (i, &b) in block.iter().enumerate() {
            m |= u32::from(b < below || set.contains(&b)) << i;
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check<C: ByteClass>(bytes: &[u8]) {
        for from in 0..=bytes.len() {
            let expected = (from..bytes.len())
                .find(|&i| C::has(bytes[i]))
                .unwrap_or(bytes.len());
            assert_eq!(find::<C>(bytes, from), expected, "{bytes:?} from {from}");
        }
    }

    #[test]
    fn masks_agree_with_the_byte_tests() {
        for b in 0..=255u8 {
            let block = [b; 16];
            assert_eq!(HtmlSpecial::mask(&block) != 0, HtmlSpecial::has(b), "{b}");
            assert_eq!(JsonSpecial::mask(&block) != 0, JsonSpecial::has(b), "{b}");
            let space = b == b' ' || (9..=13).contains(&b);
            let expected = (b < 0x80).then_some(if space { 0xffff } else { 0 });
            assert_eq!(ascii_spaces(&block), expected, "{b}");
        }
    }

    proptest! {
        #[test]
        fn find_returns_the_first_byte_of_the_class(bytes in proptest::collection::vec(
            prop_oneof![Just(b'a'), Just(b'<'), Just(b'"'), Just(0x05u8), Just(b'\\'), Just(0xe9u8)],
            0..70,
        )) {
            check::<HtmlSpecial>(&bytes);
            check::<JsonSpecial>(&bytes);
        }
    }
}
