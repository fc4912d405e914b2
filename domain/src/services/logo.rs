//! The agency's logo: a PNG or an SVG, checked and rewritten before it is
//! stored, so that what the public pages show is an image and nothing else.
//! A PNG is decoded within limits and encoded again (dropping its metadata);
//! an SVG is parsed and written back by `usvg`, which keeps shapes, colours
//! and embedded images and drops scripts, event handlers, links and
//! references to other files.

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::AppError;
use crate::entities::agency_asset;
use crate::model::Problem;
use crate::services::audit::{self, Actor};

/// The name of the logo among the agency's files.
const LOGO: &str = "logo";
/// Largest logo file accepted, in bytes.
pub const MAX_BYTES: usize = 512 * 1024;
/// Largest logo side, in pixels (PNG) or user units (SVG).
pub const MAX_SIDE: u32 = 2000;

fn refused(message: &str) -> AppError {
    AppError::invalid("logo", Problem::Malformed(message.to_owned()))
}

/// The image to store for `bytes`: (content type, bytes), or why not.
pub fn clean(bytes: &[u8]) -> Result<(&'static str, Vec<u8>), AppError> {
    if bytes.is_empty() {
        return Err(AppError::invalid("logo", Problem::Required));
    }
    if bytes.len() > MAX_BYTES {
        return Err(refused("The logo may be at most 512 KB."));
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return clean_png(bytes).map(|png| ("image/png", png));
    }
    clean_svg(bytes).map(|svg| ("image/svg+xml", svg))
}

fn clean_png(bytes: &[u8]) -> Result<Vec<u8>, AppError> {
    let mut reader =
        image::ImageReader::with_format(std::io::Cursor::new(bytes), image::ImageFormat::Png);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(64 * 1024 * 1024);
    reader.limits(limits);
    let picture = reader.decode().map_err(|_| {
        refused("The PNG file cannot be read, or is larger than 2000 × 2000 pixels.")
    })?;
    let mut out = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| AppError::Internal(format!("encoding the logo: {e}")))?;
    Ok(out.into_inner())
}

fn clean_svg(bytes: &[u8]) -> Result<Vec<u8>, AppError> {
    let text =
        std::str::from_utf8(bytes).map_err(|_| refused("The logo is not a PNG or SVG image."))?;
    if !text.contains("<svg") {
        return Err(refused("The logo is not a PNG or SVG image."));
    }
    let options = usvg::Options {
        // Images embedded as data URLs stay; nothing is read from a path or address.
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(text, &options)
        .map_err(|_| refused("The SVG file cannot be read."))?;
    let size = tree.size();
    if size.width() > MAX_SIDE as f32 || size.height() > MAX_SIDE as f32 {
        return Err(refused("The logo may be at most 2000 × 2000."));
    }
    let written = tree.to_string(&usvg::WriteOptions::default());
    if written.len() > MAX_BYTES {
        return Err(refused("The logo may be at most 512 KB."));
    }
    Ok(written.into_bytes())
}

/// Checks, rewrites and stores the logo, with an audit entry.
#[tracing::instrument(skip_all)]
pub async fn save(db: &impl ConnectionTrait, actor: &Actor, bytes: &[u8]) -> Result<(), AppError> {
    let (content_type, cleaned) = clean(bytes)?;
    let size = cleaned.len();
    agency_asset::Entity::insert(agency_asset::ActiveModel {
        name: Set(LOGO.to_owned()),
        content_type: Set(content_type.to_owned()),
        bytes: Set(cleaned),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(agency_asset::Column::Name)
            .update_columns([
                agency_asset::Column::ContentType,
                agency_asset::Column::Bytes,
                agency_asset::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    audit::record(
        db,
        actor,
        "settings.logo",
        "settings",
        None,
        None::<&()>,
        Some(&serde_json::json!({"content_type": content_type, "bytes": size})),
    )
    .await
}

#[tracing::instrument(skip_all)]
pub async fn remove(db: &impl ConnectionTrait, actor: &Actor) -> Result<(), AppError> {
    agency_asset::Entity::delete_by_id(LOGO.to_owned())
        .exec(db)
        .await?;
    audit::record(
        db,
        actor,
        "settings.logo",
        "settings",
        None,
        None::<&()>,
        None::<&()>,
    )
    .await
}

#[tracing::instrument(skip_all)]
pub async fn get(db: &impl ConnectionTrait) -> Result<Option<agency_asset::Model>, AppError> {
    Ok(agency_asset::Entity::find_by_id(LOGO.to_owned())
        .one(db)
        .await?)
}

/// The address of the logo for pages, changing with each new logo (so that
/// caches show the new one), or `None` without a logo.
#[tracing::instrument(skip_all)]
pub async fn url(db: &impl ConnectionTrait) -> Result<Option<String>, AppError> {
    use sea_orm::QuerySelect;
    // Every public page asks: read the time of the upload, not the image.
    let updated: Option<chrono::DateTime<Utc>> = agency_asset::Entity::find_by_id(LOGO.to_owned())
        .select_only()
        .column(agency_asset::Column::UpdatedAt)
        .into_tuple()
        .one(db)
        .await?;
    Ok(updated.map(|at| format!("/agency/logo?v={}", at.timestamp())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_svg_loses_its_scripts_and_links_and_keeps_its_shapes() {
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="40" onload="alert(1)">
            <script>alert(2)</script>
            <a xlink:href="javascript:alert(3)"><rect width="100" height="40" fill="#1d4e89" onclick="alert(4)"/></a>
            <image xlink:href="/etc/passwd" width="10" height="10"/>
            <foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
        </svg>"##;
        let (kind, cleaned) = clean(svg).unwrap();
        assert_eq!(kind, "image/svg+xml");
        let text = String::from_utf8(cleaned).unwrap();
        for banned in [
            "script",
            "alert",
            "onload",
            "onclick",
            "javascript",
            "passwd",
            "foreignObject",
        ] {
            assert!(!text.contains(banned), "{banned} in {text}");
        }
        assert!(text.contains("#1d4e89"), "{text}");
    }

    #[test]
    fn a_png_is_read_and_written_again_and_other_files_are_refused() {
        let mut png = std::io::Cursor::new(Vec::new());
        image::RgbaImage::from_pixel(4, 3, image::Rgba([29, 78, 137, 255]))
            .write_to(&mut png, image::ImageFormat::Png)
            .unwrap();
        let (kind, cleaned) = clean(png.get_ref()).unwrap();
        assert_eq!(kind, "image/png");
        assert!(cleaned.starts_with(b"\x89PNG"));
        assert!(clean(b"GIF89a not wanted").is_err());
        assert!(clean(b"\x89PNG\r\n\x1a\nbroken").is_err());
        assert!(clean(&vec![b' '; MAX_BYTES + 1]).is_err());
        assert!(clean(b"").is_err());
    }
}
