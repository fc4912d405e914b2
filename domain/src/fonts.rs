//! The one typeface of the documents the server draws (PDF reports, PNG
//! charts): DejaVu Sans, embedded in the binary so that Vietnamese letters
//! render the same on every machine, whatever fonts it has installed.

use std::sync::{Arc, LazyLock};

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// The family name the charts ask for ("sans-serif") resolves to.
pub const FAMILY: &str = "DejaVu Sans";

pub fn regular() -> &'static [u8] {
    dejavu::sans::regular()
}

pub fn bold() -> &'static [u8] {
    dejavu::sans::bold()
}

/// A font database with both weights, "sans-serif" pointing at them.
static DATABASE: LazyLock<Arc<usvg::fontdb::Database>> = LazyLock::new(|| {
    let mut database = usvg::fontdb::Database::new();
    database.load_font_data(regular().to_vec());
    database.load_font_data(bold().to_vec());
    database.set_sans_serif_family(FAMILY);
    Arc::new(database)
});

/// Options for reading an SVG whose text is drawn in the embedded font.
pub fn svg_options() -> usvg::Options<'static> {
    usvg::Options {
        font_family: FAMILY.to_owned(),
        fontdb: DATABASE.clone(),
        ..usvg::Options::default()
    }
}

/// The width in points of `text` set in `font` (one of [`regular`] and
/// [`bold`]) at `size` points, from the glyph advances (no kerning: line
/// breaking needs no more).
pub fn text_width(font: &'static [u8], text: &str, size: f32) -> f32 {
    let Ok(face) = FontRef::new(font) else {
        return text.chars().count() as f32 * size * 0.6;
    };
    let charmap = face.charmap();
    let metrics = face.glyph_metrics(Size::new(size), LocationRef::default());
    text.chars()
        .map(|c| {
            charmap
                .map(c)
                .and_then(|glyph| metrics.advance_width(glyph))
                .unwrap_or(size * 0.6)
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_letters_have_glyphs() {
        let face = FontRef::new(regular()).unwrap();
        let charmap = face.charmap();
        for c in "Sự hài lòng của người dân, doanh nghiệp — ĐỒNG Ý".chars() {
            assert!(charmap.map(c).is_some(), "{c}");
        }
    }

    #[test]
    fn widths_grow_with_text_and_size() {
        let short = text_width(regular(), "Hài lòng", 10.0);
        let long = text_width(regular(), "Hài lòng hơn", 10.0);
        assert!(short > 20.0 && long > short);
        assert!((text_width(regular(), "Hài lòng", 20.0) - 2.0 * short).abs() < 0.01);
        assert!(text_width(bold(), "Hài lòng", 10.0) > short);
    }
}
