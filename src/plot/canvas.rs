//! Rendering a figure to bytes: SVG text, or a PNG image, chosen by the output's extension.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{font, PlotError};

/// An image format a figure can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    /// Scalable vector graphics (the default).
    Svg,
    /// A PNG bitmap, at the figure's size in pixels.
    Png,
}

impl ImageFormat {
    /// Every format.
    pub const ALL: [ImageFormat; 2] = [ImageFormat::Svg, ImageFormat::Png];

    /// The format whose file extension is `extension` (`svg`, `png`, any case), if any.
    pub fn from_extension(extension: &str) -> Option<ImageFormat> {
        ImageFormat::ALL
            .into_iter()
            .find(|format| format.extension().eq_ignore_ascii_case(extension))
    }

    /// The format named by a path's extension: `.png` is PNG, anything else (`.svg`, or no
    /// extension) SVG.
    pub fn from_path(path: &Path) -> ImageFormat {
        path.extension()
            .and_then(|extension| extension.to_str())
            .and_then(ImageFormat::from_extension)
            .unwrap_or(ImageFormat::Svg)
    }

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Svg => "svg",
            ImageFormat::Png => "png",
        }
    }
}

/// Something that can be drawn onto any plotters drawing area.
pub trait Figure {
    /// Size of the whole figure in pixels (width, height).
    fn size(&self) -> (u32, u32);

    /// Draws the figure onto `area`, which has been filled white.
    ///
    /// # Errors
    /// [`PlotError::Drawing`] when the backend fails.
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError>;
}

/// Renders a figure to the bytes of an image file.
///
/// # Errors
/// [`PlotError`] when drawing or PNG encoding fails.
pub fn render<F: Figure + ?Sized>(figure: &F, format: ImageFormat) -> Result<Vec<u8>, PlotError> {
    font::register()?;
    let (width, height) = figure.size();
    match format {
        ImageFormat::Svg => {
            let mut text = String::new();
            {
                let area = SVGBackend::with_string(&mut text, (width, height)).into_drawing_area();
                draw_on(figure, &area)?;
            }
            Ok(text.into_bytes())
        }
        ImageFormat::Png => {
            let mut pixels = vec![0u8; width as usize * height as usize * 3];
            {
                let area =
                    BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
                draw_on(figure, &area)?;
            }
            encode_png(&pixels, width, height)
        }
    }
}

fn draw_on<F: Figure + ?Sized, DB: DrawingBackend>(
    figure: &F,
    area: &DrawingArea<DB, Shift>,
) -> Result<(), PlotError> {
    area.fill(&WHITE).map_err(PlotError::drawing)?;
    figure.draw(area)?;
    area.present().map_err(PlotError::drawing)
}

/// Encodes 8-bit RGB pixels as a PNG file.
fn encode_png(pixels: &[u8], width: u32, height: u32) -> Result<Vec<u8>, PlotError> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
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
            ImageFormat::Png
        );
        assert_eq!(ImageFormat::from_path(Path::new("b.svg")), ImageFormat::Svg);
        assert_eq!(ImageFormat::from_path(Path::new("b")), ImageFormat::Svg);
        assert_eq!(ImageFormat::from_path(Path::new("b.jpg")), ImageFormat::Svg);
        assert_eq!(ImageFormat::from_extension("SVG"), Some(ImageFormat::Svg));
        assert_eq!(ImageFormat::from_extension("gif"), None);
    }
}
