//! A4 documents written top to bottom: titles, headings, paragraphs, tables
//! and charts flow onto as many pages as they need, and every page gets a
//! footer with its number. Layout (where each line goes) is done here;
//! krilla writes the PDF, with the embedded font and the charts as vector
//! drawings (krilla-svg), so the text stays selectable and searchable.
//!
//! Margins follow the usual Vietnamese administrative page: 3 cm on the
//! left, 2 cm elsewhere.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use krilla_svg::{SurfaceExt, SvgSettings};

use crate::fonts;

/// A4 in points.
pub const WIDTH: f32 = 595.28;
pub const HEIGHT: f32 = 841.89;
const LEFT: f32 = 85.0;
const RIGHT: f32 = 57.0;
const TOP: f32 = 57.0;
const BOTTOM: f32 = 57.0;
const CONTENT_WIDTH: f32 = WIDTH - LEFT - RIGHT;

const BODY_SIZE: f32 = 10.5;
const TABLE_SIZE: f32 = 9.0;
const LINE_HEIGHT: f32 = 1.4;
const CELL_PADDING: f32 = 3.0;

const INK: (u8, u8, u8) = (0x1f, 0x29, 0x33);
const MUTED: (u8, u8, u8) = (0x4a, 0x55, 0x68);
const RULE: (u8, u8, u8) = (0xa0, 0xa8, 0xb4);
const SHADE: (u8, u8, u8) = (0xe9, 0xed, 0xf2);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// One column of a table: its heading, its share of the line's width and
/// how its cells align (numbers to the right).
#[derive(Clone, Copy, Debug)]
pub struct Column<'a> {
    pub heading: &'a str,
    pub share: f32,
    pub align: Align,
}

impl<'a> Column<'a> {
    pub fn text(heading: &'a str, share: f32) -> Self {
        Self {
            heading,
            share,
            align: Align::Left,
        }
    }

    pub fn number(heading: &'a str, share: f32) -> Self {
        Self {
            heading,
            share,
            align: Align::Right,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Weight {
    Regular,
    Bold,
}

impl Weight {
    fn font(self) -> &'static [u8] {
        match self {
            Self::Regular => fonts::regular(),
            Self::Bold => fonts::bold(),
        }
    }
}

/// What a page holds, in page coordinates (points, y down).
#[derive(Debug)]
enum Mark {
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        weight: Weight,
        colour: (u8, u8, u8),
        text: String,
    },
    Rule {
        x: f32,
        y: f32,
        width: f32,
        thickness: f32,
    },
    Shade {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
    },
    Chart {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        chart: usize,
    },
}

/// A document being laid out.
pub struct A4 {
    pages: Vec<Vec<Mark>>,
    /// Where the next block starts on the last page.
    y: f32,
    charts: Vec<usvg::Tree>,
}

impl Default for A4 {
    fn default() -> Self {
        Self::new()
    }
}

impl A4 {
    pub fn new() -> Self {
        Self {
            pages: vec![Vec::new()],
            y: TOP,
            charts: Vec::new(),
        }
    }

    /// How many pages the document has so far.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `height` points still fit on this one.
    fn keep(&mut self, height: f32) {
        if self.y + height > HEIGHT - BOTTOM && self.y > TOP {
            self.new_page();
        }
    }

    fn mark(&mut self, mark: Mark) {
        self.pages.last_mut().expect("a page").push(mark);
    }

    /// Lines of `text` centred on the page.
    pub fn centred(&mut self, text: &str, size: f32, bold: bool) {
        let weight = if bold { Weight::Bold } else { Weight::Regular };
        for line in wrap(text, weight.font(), size, CONTENT_WIDTH) {
            self.keep(size * LINE_HEIGHT);
            let width = fonts::text_width(weight.font(), &line, size);
            self.line_at(
                LEFT + (CONTENT_WIDTH - width) / 2.0,
                line,
                size,
                weight,
                INK,
            );
        }
    }

    /// A section heading, kept on the page with the start of what follows.
    pub fn heading(&mut self, text: &str) {
        let size = 12.5;
        self.y += size * 0.8;
        self.keep(size * LINE_HEIGHT * 2.0 + 80.0);
        for line in wrap(text, fonts::bold(), size, CONTENT_WIDTH) {
            self.line_at(LEFT, line, size, Weight::Bold, INK);
        }
        self.y += 3.0;
    }

    /// A paragraph of body text.
    pub fn paragraph(&mut self, text: &str) {
        self.text_block(text, BODY_SIZE, INK);
        self.y += BODY_SIZE * 0.5;
    }

    /// A smaller, quieter paragraph (notes under tables and charts).
    pub fn note(&mut self, text: &str) {
        self.text_block(text, TABLE_SIZE, MUTED);
        self.y += TABLE_SIZE * 0.6;
    }

    fn text_block(&mut self, text: &str, size: f32, colour: (u8, u8, u8)) {
        for line in wrap(text, fonts::regular(), size, CONTENT_WIDTH) {
            self.keep(size * LINE_HEIGHT);
            self.line_at(LEFT, line, size, Weight::Regular, colour);
        }
    }

    fn line_at(&mut self, x: f32, text: String, size: f32, weight: Weight, colour: (u8, u8, u8)) {
        let baseline = self.y + size * 1.05;
        self.mark(Mark::Text {
            x,
            baseline,
            size,
            weight,
            colour,
            text,
        });
        self.y += size * LINE_HEIGHT;
    }

    /// The lines of a caption, and the height they take.
    fn caption_lines(caption: Option<&str>) -> (Vec<String>, f32) {
        let lines = caption.map_or_else(Vec::new, |text| {
            wrap(text, fonts::regular(), BODY_SIZE, CONTENT_WIDTH)
        });
        let height = lines.len() as f32 * BODY_SIZE * LINE_HEIGHT;
        (lines, height)
    }

    fn caption(&mut self, lines: Vec<String>) {
        for line in lines {
            self.line_at(LEFT, line, BODY_SIZE, Weight::Regular, INK);
        }
    }

    /// A table with an optional caption above it (kept with the table's
    /// start) and a shaded heading row, repeated on every page it spans;
    /// cells wrap within their column.
    pub fn table(&mut self, caption: Option<&str>, columns: &[Column<'_>], rows: &[Vec<String>]) {
        let total: f32 = columns.iter().map(|c| c.share).sum();
        let widths: Vec<f32> = columns
            .iter()
            .map(|c| CONTENT_WIDTH * c.share / total)
            .collect();
        let headings: Vec<String> = columns.iter().map(|c| c.heading.to_owned()).collect();
        let heading_lines = self.cell_lines(&headings, &widths, Weight::Bold);
        let heading_height = row_height(&heading_lines);
        let first_height = rows
            .first()
            .map(|row| row_height(&self.cell_lines(row, &widths, Weight::Regular)))
            .unwrap_or(0.0);
        let (caption, caption_height) = Self::caption_lines(caption);
        self.keep(caption_height + heading_height + first_height);
        self.caption(caption);
        self.table_heading(columns, &widths, &heading_lines, heading_height);
        for row in rows {
            let lines = self.cell_lines(row, &widths, Weight::Regular);
            let height = row_height(&lines);
            if self.y + height > HEIGHT - BOTTOM {
                self.new_page();
                self.table_heading(columns, &widths, &heading_lines, heading_height);
            }
            self.table_row(columns, &widths, &lines, Weight::Regular);
            self.y += height;
            self.mark(Mark::Rule {
                x: LEFT,
                y: self.y,
                width: CONTENT_WIDTH,
                thickness: 0.4,
            });
        }
        self.y += BODY_SIZE;
    }

    fn cell_lines(&self, cells: &[String], widths: &[f32], weight: Weight) -> Vec<Vec<String>> {
        cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| wrap(cell, weight.font(), TABLE_SIZE, width - 2.0 * CELL_PADDING))
            .collect()
    }

    fn table_heading(
        &mut self,
        columns: &[Column<'_>],
        widths: &[f32],
        lines: &[Vec<String>],
        height: f32,
    ) {
        self.mark(Mark::Shade {
            x: LEFT,
            y: self.y,
            width: CONTENT_WIDTH,
            height,
        });
        self.table_row(columns, widths, lines, Weight::Bold);
        self.y += height;
        self.mark(Mark::Rule {
            x: LEFT,
            y: self.y,
            width: CONTENT_WIDTH,
            thickness: 0.8,
        });
    }

    fn table_row(
        &mut self,
        columns: &[Column<'_>],
        widths: &[f32],
        lines: &[Vec<String>],
        weight: Weight,
    ) {
        let mut x = LEFT;
        for ((column, width), cell) in columns.iter().zip(widths).zip(lines) {
            for (i, line) in cell.iter().enumerate() {
                let text_width = fonts::text_width(weight.font(), line, TABLE_SIZE);
                let left = match column.align {
                    Align::Left => x + CELL_PADDING,
                    Align::Right => x + width - CELL_PADDING - text_width,
                };
                let baseline =
                    self.y + CELL_PADDING + TABLE_SIZE * 1.05 + i as f32 * TABLE_SIZE * LINE_HEIGHT;
                self.mark(Mark::Text {
                    x: left,
                    baseline,
                    size: TABLE_SIZE,
                    weight,
                    colour: INK,
                    text: line.clone(),
                });
            }
            x += width;
        }
    }

    /// A chart (SVG) across the text width, with an optional caption
    /// above it, kept whole on one page.
    pub fn chart(&mut self, caption: Option<&str>, svg: &str) -> Result<(), String> {
        let tree = usvg::Tree::from_str(svg, &fonts::svg_options()).map_err(|e| e.to_string())?;
        let width = CONTENT_WIDTH;
        let height = width * tree.size().height() / tree.size().width();
        let (caption, caption_height) = Self::caption_lines(caption);
        self.keep(caption_height + height);
        self.caption(caption);
        self.mark(Mark::Chart {
            x: LEFT,
            y: self.y,
            width,
            height,
            chart: self.charts.len(),
        });
        self.charts.push(tree);
        self.y += height + BODY_SIZE * 0.5;
        Ok(())
    }

    /// The PDF, each page with `footer(page, pages)` at its foot.
    pub fn finish(
        self,
        title: &str,
        language: &str,
        footer: impl Fn(usize, usize) -> String,
    ) -> Result<Vec<u8>, String> {
        let regular = Font::new(fonts::regular().into(), 0).ok_or("the regular font")?;
        let bold = Font::new(fonts::bold().into(), 0).ok_or("the bold font")?;
        let mut document = Document::new();
        document.set_metadata(
            Metadata::new()
                .title(title.to_owned())
                .language(language.to_owned())
                .creator("Hài Lòng".to_owned()),
        );
        let settings = PageSettings::from_wh(WIDTH, HEIGHT).ok_or("the A4 page")?;
        let pages = self.pages.len();
        for (number, marks) in self.pages.iter().enumerate() {
            let mut page = document.start_page_with(settings.clone());
            let mut surface = page.surface();
            let footer_text = footer(number + 1, pages);
            let footer_width = fonts::text_width(fonts::regular(), &footer_text, TABLE_SIZE);
            let footer_mark = Mark::Text {
                x: LEFT + (CONTENT_WIDTH - footer_width) / 2.0,
                baseline: HEIGHT - BOTTOM / 2.0,
                size: TABLE_SIZE,
                weight: Weight::Regular,
                colour: MUTED,
                text: footer_text,
            };
            for mark in marks.iter().chain(std::iter::once(&footer_mark)) {
                match mark {
                    Mark::Text {
                        x,
                        baseline,
                        size,
                        weight,
                        colour,
                        text,
                    } => {
                        surface.set_fill(Some(fill(*colour)));
                        surface.set_stroke(None);
                        let font = match weight {
                            Weight::Regular => regular.clone(),
                            Weight::Bold => bold.clone(),
                        };
                        surface.draw_text(
                            Point::from_xy(*x, *baseline),
                            font,
                            *size,
                            text,
                            false,
                            TextDirection::Auto,
                        );
                    }
                    Mark::Rule {
                        x,
                        y,
                        width,
                        thickness,
                    } => {
                        let mut path = PathBuilder::new();
                        path.move_to(*x, *y);
                        path.line_to(x + width, *y);
                        if let Some(path) = path.finish() {
                            surface.set_fill(None);
                            surface.set_stroke(Some(Stroke {
                                paint: rgb::Color::new(RULE.0, RULE.1, RULE.2).into(),
                                width: *thickness,
                                ..Stroke::default()
                            }));
                            surface.draw_path(&path);
                        }
                    }
                    Mark::Shade {
                        x,
                        y,
                        width,
                        height,
                    } => {
                        let mut path = PathBuilder::new();
                        if let Some(rect) = Rect::from_xywh(*x, *y, *width, *height) {
                            path.push_rect(rect);
                        }
                        if let Some(path) = path.finish() {
                            surface.set_stroke(None);
                            surface.set_fill(Some(fill(SHADE)));
                            surface.draw_path(&path);
                        }
                    }
                    Mark::Chart {
                        x,
                        y,
                        width,
                        height,
                        chart,
                    } => {
                        let size = Size::from_wh(*width, *height).ok_or("the chart's size")?;
                        surface.push_transform(&Transform::from_translate(*x, *y));
                        surface
                            .draw_svg(&self.charts[*chart], size, SvgSettings::default())
                            .ok_or("a chart could not be drawn")?;
                        surface.pop();
                    }
                }
            }
            surface.finish();
            page.finish();
        }
        document.finish().map_err(|e| format!("PDF: {e:?}"))
    }
}

fn fill(colour: (u8, u8, u8)) -> Fill {
    Fill {
        paint: rgb::Color::new(colour.0, colour.1, colour.2).into(),
        ..Fill::default()
    }
}

fn row_height(cells: &[Vec<String>]) -> f32 {
    let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
    lines as f32 * TABLE_SIZE * LINE_HEIGHT + 2.0 * CELL_PADDING
}

/// `text` broken into lines no wider than `width` points: at spaces, and
/// inside a word only when the word alone is wider than the line. Line
/// breaks in `text` are kept.
pub fn wrap(text: &str, font: &'static [u8], size: f32, width: f32) -> Vec<String> {
    let fits = |line: &str| fonts::text_width(font, line, size) <= width;
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if fits(&candidate) {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line is cut where it must be.
            for c in word.chars() {
                line.push(c);
                if !fits(&line) && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_word_and_each_line_fits() {
        let text = "Cơ quan đã giải quyết hồ sơ đúng hẹn và công khai đầy đủ thủ tục hành chính";
        let lines = wrap(text, fonts::regular(), 10.0, 120.0);
        assert!(lines.len() > 2, "{lines:?}");
        assert_eq!(lines.join(" "), text);
        for line in &lines {
            assert!(
                fonts::text_width(fonts::regular(), line, 10.0) <= 120.0,
                "{line}"
            );
        }
        let long = wrap(
            "0123456789012345678901234567890123456789",
            fonts::regular(),
            10.0,
            50.0,
        );
        assert!(long.len() > 1);
        assert_eq!(long.concat(), "0123456789012345678901234567890123456789");
        assert_eq!(wrap("", fonts::regular(), 10.0, 50.0), vec![String::new()]);
    }

    #[test]
    fn long_tables_flow_onto_more_pages_and_the_pdf_is_written() {
        let mut document = A4::new();
        document.centred("BÁO CÁO", 14.0, true);
        document.paragraph("Đoạn văn đầu tiên.");
        let rows: Vec<Vec<String>> = (0..120)
            .map(|i| vec![format!("Tiêu chí số {i}"), format!("{i},00")])
            .collect();
        document.table(
            Some("Chỉ số theo tiêu chí"),
            &[
                Column::text("Tiêu chí", 3.0),
                Column::number("Chỉ số (%)", 1.0),
            ],
            &rows,
        );
        assert!(document.page_count() >= 3, "{}", document.page_count());
        let pdf = document
            .finish("Báo cáo", "vi", |page, pages| {
                format!("Trang {page}/{pages}")
            })
            .unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.len() > 2_000);
    }
}
