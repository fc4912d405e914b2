//! QR codes of a round's public link, as SVG and PNG.

use qrcode::QrCode;
use qrcode::render::svg;

use crate::AppError;

fn code(url: &str) -> Result<QrCode, AppError> {
    QrCode::new(url.as_bytes()).map_err(|e| AppError::Internal(format!("QR code: {e}")))
}

/// A square SVG at least `size` pixels wide, dark on white with a quiet zone.
pub fn svg(url: &str, size: u32) -> Result<String, AppError> {
    Ok(code(url)?
        .render::<svg::Color>()
        .min_dimensions(size, size)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build())
}

/// A PNG at least `size` pixels wide, for printing or sending.
pub fn png(url: &str, size: u32) -> Result<Vec<u8>, AppError> {
    let image = code(url)?
        .render::<image::Luma<u8>>()
        .min_dimensions(size, size)
        .build();
    let mut bytes = Vec::new();
    image::DynamicImage::ImageLuma8(image)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .map_err(|e| AppError::Internal(format!("PNG: {e}")))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_codes_render_as_svg_and_png() {
        let url = "https://hailong.example.gov.vn/s/khao-sat-2026-h2";
        let drawing = svg(url, 300).unwrap();
        assert!(drawing.contains("<svg") && drawing.contains("#000000"));
        let picture = png(url, 300).unwrap();
        assert_eq!(&picture[..8], b"\x89PNG\r\n\x1a\n");
        let decoded = image::load_from_memory(&picture).unwrap();
        assert!(decoded.width() >= 300);
    }
}
