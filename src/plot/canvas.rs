//! Rendering a figure to bytes. Every figure is drawn once, as SVG (plotters' SVG backend,
//! text measured with the embedded font); the formats are made from that SVG: SVG with the
//! font's used glyphs embedded (or the text as outlines), PNG rasterised with
//! anti-aliasing (resvg), PDF with the font embedded as a subset (svg2pdf). So the three
//! show the same figure.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use resvg::{tiny_skia, usvg};

use super::font_subset::embed_font;
use super::options::RenderOptions;
use super::{font, PlotError};

/// An image format a figure can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    /// Scalable vector graphics (the default), with the embedded font's glyphs.
    Svg,
    /// A PNG bitmap, anti-aliased, at the figure's size in pixels times dpi/96.
    Png,
    /// A one-page PDF with the embedded font (a subset), text kept as text.
    Pdf,
}

impl ImageFormat {
    /// Every format.
    pub const ALL: [ImageFormat; 3] = [ImageFormat::Svg, ImageFormat::Png, ImageFormat::Pdf];

    /// The format whose file extension is `extension` (`svg`, `png`, `pdf`, any case), if
    /// any.
    pub fn from_extension(extension: &str) -> Option<ImageFormat> {
        ImageFormat::ALL
            .into_iter()
            .find(|format| format.extension().eq_ignore_ascii_case(extension))
    }

    /// The format named by a path's extension; SVG for a path without one; None for an
    /// extension that is not a format's (`fig.xyz`, `fig.jpg`).
    pub fn from_path(path: &Path) -> Option<ImageFormat> {
        match path.extension() {
            None => Some(ImageFormat::Svg),
            Some(extension) => extension.to_str().and_then(ImageFormat::from_extension),
        }
    }

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Svg => "svg",
            ImageFormat::Png => "png",
            ImageFormat::Pdf => "pdf",
        }
    }
}

/// Something that can be drawn onto any plotters drawing area.
pub trait Figure {
    /// Size of the whole figure in pixels (width, height), unless another is asked for.
    fn size(&self) -> (u32, u32);

    /// Draws the figure onto `area`, which has been filled white; the figure fits itself
    /// to the area's size.
    ///
    /// # Errors
    /// [`PlotError::Drawing`] when the backend fails.
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError>;
}

/// Renders a figure to the bytes of an image file, at its own size.
///
/// # Errors
/// [`PlotError`] when drawing, converting or encoding fails.
pub fn render<F: Figure + ?Sized>(figure: &F, format: ImageFormat) -> Result<Vec<u8>, PlotError> {
    render_with(figure, format, &RenderOptions::default())
}

/// Renders a figure to the bytes of an image file, with a size, resolution and text as
/// `options` say.
///
/// # Errors
/// [`PlotError`] when drawing, converting or encoding fails.
pub fn render_with<F: Figure + ?Sized>(
    figure: &F,
    format: ImageFormat,
    options: &RenderOptions,
) -> Result<Vec<u8>, PlotError> {
    font::register()?;
    let (width, height) = options.size().unwrap_or_else(|| figure.size());
    let svg = draw_svg(figure, (width, height))?;
    match format {
        ImageFormat::Svg if options.text_as_paths() => Ok(outlined(&svg)?.into_bytes()),
        ImageFormat::Svg => Ok(embed_font(svg).into_bytes()),
        ImageFormat::Png => rasterise(&svg, options.dpi()),
        ImageFormat::Pdf => pdf(&svg),
    }
}

/// The figure drawn as plotters' SVG, its text in [`font::FAMILY`].
pub(crate) fn draw_svg<F: Figure + ?Sized>(
    figure: &F,
    (width, height): (u32, u32),
) -> Result<String, PlotError> {
    let mut text = String::new();
    {
        let area = SVGBackend::with_string(&mut text, (width, height)).into_drawing_area();
        area.fill(&WHITE).map_err(PlotError::drawing)?;
        figure.draw(&area)?;
        area.present().map_err(PlotError::drawing)?;
    }
    Ok(text)
}

/// The SVG read by usvg with the embedded font as its only font.
fn tree(svg: &str) -> Result<usvg::Tree, PlotError> {
    let options = usvg::Options {
        fontdb: font::database(),
        font_family: font::FAMILY.to_string(),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &options).map_err(|error| PlotError::Conversion(error.to_string()))
}

/// The SVG rewritten with its text as outlines.
fn outlined(svg: &str) -> Result<String, PlotError> {
    let options = usvg::WriteOptions {
        preserve_text: false,
        ..usvg::WriteOptions::default()
    };
    Ok(tree(svg)?.to_string(&options))
}

/// The SVG as a PDF page of the figure's size (a pixel is 1/96 inch), its text embedded.
fn pdf(svg: &str) -> Result<Vec<u8>, PlotError> {
    svg2pdf::to_pdf(
        &tree(svg)?,
        svg2pdf::ConversionOptions::default(),
        svg2pdf::PageOptions {
            dpi: RenderOptions::CSS_DPI as f32,
        },
    )
    .map_err(|error| PlotError::Conversion(error.to_string()))
}

/// The SVG rasterised at `dpi` (96: one pixel per figure pixel) on white, as PNG.
fn rasterise(svg: &str, dpi: f64) -> Result<Vec<u8>, PlotError> {
    let tree = tree(svg)?;
    let scale = (dpi / RenderOptions::CSS_DPI) as f32;
    let size = tree.size();
    let width = (size.width() * scale).round().max(1.0) as u32;
    let height = (size.height() * scale).round().max(1.0) as u32;
    let mut pixmap = tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| PlotError::Png(format!("cannot make a {width} × {height} image")))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    // Opaque on white, so the premultiplied channels are the colours.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|pixel| [pixel[0], pixel[1], pixel[2]])
        .collect();
    encode_png(&rgb, width, height, dpi)
}

/// Encodes 8-bit RGB pixels as a PNG file that records its resolution.
fn encode_png(pixels: &[u8], width: u32, height: u32, dpi: f64) -> Result<Vec<u8>, PlotError> {
    const METRES_PER_INCH: f64 = 0.0254;
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let per_metre = (dpi / METRES_PER_INCH).round() as u32;
        encoder.set_pixel_dims(Some(png::PixelDimensions {
            xppu: per_metre,
            yppu: per_metre,
            unit: png::Unit::Meter,
        }));
        let mut writer = encoder
            .write_header()
            .map_err(|error| PlotError::Png(error.to_string()))?;
        writer
            .write_image_data(pixels)
            .map_err(|error| PlotError::Png(error.to_string()))?;
        writer
            .finish()
            .map_err(|error| PlotError::Png(error.to_string()))?;
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(
            ImageFormat::from_path(Path::new("a/b.PNG")),
            Some(ImageFormat::Png)
        );
        assert_eq!(
            ImageFormat::from_path(Path::new("b.svg")),
            Some(ImageFormat::Svg)
        );
        assert_eq!(
            ImageFormat::from_path(Path::new("b.pdf")),
            Some(ImageFormat::Pdf)
        );
        assert_eq!(
            ImageFormat::from_path(Path::new("b")),
            Some(ImageFormat::Svg)
        );
        assert_eq!(ImageFormat::from_path(Path::new("b.jpg")), None);
        assert_eq!(ImageFormat::from_path(Path::new("fig.xyz")), None);
        assert_eq!(ImageFormat::from_extension("SVG"), Some(ImageFormat::Svg));
        assert_eq!(ImageFormat::from_extension("gif"), None);
    }
}
