//! The embedded font in an SVG: the glyphs of the characters a figure writes, cut out of
//! DejaVu Sans and put in the SVG as an `@font-face` data URL, so that the text is drawn in
//! the font it was measured with, in any viewer that reads CSS fonts (browsers, Inkscape
//! and others use the font of that name instead when they do not).
//!
//! typst's `subsetter` keeps the glyph outlines, metrics, names (the copyright and
//! licence) and glyph names of the chosen glyphs, renumbered; it leaves out the character
//! map and the OS/2 table, which PDF does not need but a CSS font does, so they are added
//! here: a character map for the subset's characters and the original OS/2 table.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use base64::Engine as _;

use super::font::{DEJAVU_SANS, FAMILY};

/// The characters of every `<text>` element of an SVG written by plotters (whose only
/// escapes are the five XML entities).
fn text_characters(svg: &str) -> BTreeSet<char> {
    let mut characters = BTreeSet::new();
    for element in svg.split("<text").skip(1) {
        let Some((_, rest)) = element.split_once('>') else {
            continue;
        };
        let content = rest.split("</text>").next().unwrap_or("");
        let content = content
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&");
        characters.extend(content.chars().filter(|c| !c.is_control()));
    }
    characters
}

/// The SVG with the glyphs of its text embedded as an `@font-face` of [`FAMILY`] (the SVG
/// unchanged when it has no text, or when the font cannot be cut, which only a broken
/// build could cause: the text then falls back to the viewer's font of that name).
pub(crate) fn embed_font(svg: String) -> String {
    let characters = text_characters(&svg);
    if characters.is_empty() {
        return svg;
    }
    let Some(font) = subset(&characters) else {
        return svg;
    };
    let Some(end_of_opening) = svg
        .find("<svg")
        .and_then(|start| svg[start..].find('>').map(|offset| start + offset + 1))
    else {
        return svg;
    };
    let mut style = String::with_capacity(font.len() * 4 / 3 + 200);
    let _ = write!(
        style,
        "\n<defs><style>@font-face{{font-family:\"{FAMILY}\";src:url(data:font/ttf;base64,"
    );
    base64::engine::general_purpose::STANDARD.encode_string(&font, &mut style);
    style.push_str(") format(\"truetype\");}</style></defs>");
    let mut embedded = String::with_capacity(svg.len() + style.len());
    embedded.push_str(&svg[..end_of_opening]);
    embedded.push_str(&style);
    embedded.push_str(&svg[end_of_opening..]);
    embedded
}

/// DejaVu Sans cut to `characters` (those it has), as a TrueType font with a character
/// map; None when the font cannot be read or cut.
pub(crate) fn subset(characters: &BTreeSet<char>) -> Option<Vec<u8>> {
    let face = ttf_parser::Face::parse(DEJAVU_SANS, 0).ok()?;
    let mut remapper = subsetter::GlyphRemapper::new();
    let mut mapped: Vec<(u16, u16)> = Vec::new();
    for &character in characters {
        let Ok(code) = u16::try_from(u32::from(character)) else {
            // Beyond the Basic Multilingual Plane: not in a format-4 map (nor in DejaVu's
            // glyphs the figures use).
            continue;
        };
        if let Some(glyph) = face.glyph_index(character) {
            mapped.push((code, remapper.remap(glyph.0)));
        }
    }
    let cut = subsetter::subset(DEJAVU_SANS, 0, &remapper).ok()?;
    let os2 = face
        .raw_face()
        .table(ttf_parser::Tag::from_bytes(b"OS/2"))?;
    add_tables(
        &cut,
        &[(*b"cmap", character_map(&mapped)), (*b"OS/2", os2.to_vec())],
    )
}

/// A `cmap` table with one format-4 subtable (Unicode BMP), referenced for platform 0
/// (Unicode) and platform 3 (Windows), mapping each code to its glyph: one segment per run
/// of consecutive codes with consecutive glyphs, and the closing 0xFFFF segment.
fn character_map(mapped: &[(u16, u16)]) -> Vec<u8> {
    let mut pairs = mapped.to_vec();
    pairs.sort_unstable();
    pairs.dedup_by_key(|pair| pair.0);
    pairs.retain(|&(code, _)| code != 0xFFFF);
    // (start code, end code, delta)
    let mut segments: Vec<(u16, u16, u16)> = Vec::new();
    for &(code, glyph) in &pairs {
        let delta = glyph.wrapping_sub(code);
        match segments.last_mut() {
            Some((_, end, last_delta))
                if end.checked_add(1) == Some(code) && *last_delta == delta =>
            {
                *end = code;
            }
            _ => segments.push((code, code, delta)),
        }
    }
    segments.push((0xFFFF, 0xFFFF, 1));
    let count = segments.len() as u16;
    let entry_selector = 15 - count.leading_zeros() as u16;
    let search_range = 2 * (1u16 << entry_selector);
    let mut subtable = Vec::new();
    let length = 16 + 8 * count;
    for value in [
        4,
        length,
        0,
        2 * count,
        search_range,
        entry_selector,
        2 * count - search_range,
    ] {
        subtable.extend(value.to_be_bytes());
    }
    subtable.extend(segments.iter().flat_map(|segment| segment.1.to_be_bytes()));
    subtable.extend(0u16.to_be_bytes());
    subtable.extend(segments.iter().flat_map(|segment| segment.0.to_be_bytes()));
    subtable.extend(segments.iter().flat_map(|segment| segment.2.to_be_bytes()));
    subtable.extend(segments.iter().flat_map(|_| 0u16.to_be_bytes()));
    let mut table = Vec::new();
    table.extend(0u16.to_be_bytes());
    table.extend(2u16.to_be_bytes());
    for (platform, encoding) in [(0u16, 3u16), (3, 1)] {
        table.extend(platform.to_be_bytes());
        table.extend(encoding.to_be_bytes());
        table.extend(20u32.to_be_bytes());
    }
    table.extend(subtable);
    table
}

/// The OpenType checksum of a table: the sum of its big-endian 32-bit words, zero-padded.
fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// The font with `extra` tables added (replacing any of the same tag): the table directory
/// rebuilt in tag order, each table 4-byte aligned with its checksum, and the head table's
/// checksum adjustment recomputed.
fn add_tables(font: &[u8], extra: &[([u8; 4], Vec<u8>)]) -> Option<Vec<u8>> {
    let read_u16 = |at: usize| Some(u16::from_be_bytes(font.get(at..at + 2)?.try_into().ok()?));
    let read_u32 = |at: usize| Some(u32::from_be_bytes(font.get(at..at + 4)?.try_into().ok()?));
    let version = font.get(0..4)?;
    let count = usize::from(read_u16(4)?);
    let mut tables: Vec<([u8; 4], Vec<u8>)> = Vec::with_capacity(count + extra.len());
    for index in 0..count {
        let record = 12 + 16 * index;
        let tag: [u8; 4] = font.get(record..record + 4)?.try_into().ok()?;
        let offset = read_u32(record + 8)? as usize;
        let length = read_u32(record + 12)? as usize;
        if extra.iter().any(|(extra_tag, _)| *extra_tag == tag) {
            continue;
        }
        tables.push((tag, font.get(offset..offset.checked_add(length)?)?.to_vec()));
    }
    tables.extend(extra.iter().cloned());
    tables.sort_by_key(|(tag, _)| *tag);
    let count = u16::try_from(tables.len()).ok()?;
    let entry_selector = 15 - count.leading_zeros() as u16;
    let search_range = 16 * (1u16 << entry_selector);
    let mut output = Vec::new();
    output.extend(version);
    for value in [
        count,
        search_range,
        entry_selector,
        16 * count - search_range,
    ] {
        output.extend(value.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_offset = None;
    for (tag, data) in &mut tables {
        if tag == b"head" {
            // The adjustment is computed with this field at 0.
            data.get_mut(8..12)?.fill(0);
            head_offset = Some(offset);
        }
        output.extend(*tag);
        output.extend(checksum(data).to_be_bytes());
        output.extend(u32::try_from(offset).ok()?.to_be_bytes());
        output.extend(u32::try_from(data.len()).ok()?.to_be_bytes());
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in &tables {
        output.extend(data);
        output.resize(output.len().next_multiple_of(4), 0);
    }
    let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&output));
    let at = head_offset? + 8;
    output
        .get_mut(at..at + 4)?
        .copy_from_slice(&adjustment.to_be_bytes());
    Some(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subset_maps_each_character_to_the_same_glyph_shape() {
        let characters: BTreeSet<char> = "Loewe 50% × µM ≥ 0.1 – synergy…".chars().collect();
        let font = subset(&characters).expect("a subset");
        let original = ttf_parser::Face::parse(DEJAVU_SANS, 0).expect("the embedded font");
        let cut = ttf_parser::Face::parse(&font, 0).expect("the subset parses");
        assert!(font.len() < DEJAVU_SANS.len() / 20, "{} bytes", font.len());
        for character in characters {
            let old = original.glyph_index(character).expect("DejaVu has it");
            let new = cut
                .glyph_index(character)
                .unwrap_or_else(|| panic!("{character:?} is not mapped"));
            assert_eq!(
                cut.glyph_hor_advance(new),
                original.glyph_hor_advance(old),
                "{character:?}"
            );
            assert_eq!(
                cut.glyph_bounding_box(new),
                original.glyph_bounding_box(old),
                "{character:?}"
            );
        }
        assert!(cut.glyph_index('Q').is_none());
        // The whole font sums to the magic number, as OpenType requires.
        assert_eq!(checksum(&font), 0xB1B0_AFBA);
    }

    #[test]
    fn text_is_read_with_its_entities() {
        let svg = r#"<svg><text x="1">a&amp;b &lt;c&gt;</text><text>é</text></svg>"#;
        let characters: String = text_characters(svg).into_iter().collect();
        assert_eq!(characters, " &<>abcé");
        let embedded = embed_font(svg.to_string());
        assert!(embedded.starts_with("<svg>\n<defs><style>@font-face"));
        assert!(embedded.ends_with("</svg>"));
    }
}
