//! Page images of a PDF for the in-app preview, made by poppler's `pdftoppm` (Debian package
//! poppler-utils), so the preview shows exactly the bytes that will be printed.

use std::process::Command;

use crate::error::DocError;

/// The pages of `pdf` as PNG images at `dpi`.
pub fn png_pages(pdf: &[u8], dpi: u32) -> Result<Vec<Vec<u8>>, DocError> {
    let dir = std::env::temp_dir().join(format!(
        "hearingdesk-preview-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    std::fs::create_dir_all(&dir).map_err(|e| DocError::Pdf(format!("无法创建预览目录：{e}")))?;
    let result = render(&dir, pdf, dpi);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn render(dir: &std::path::Path, pdf: &[u8], dpi: u32) -> Result<Vec<Vec<u8>>, DocError> {
    let input = dir.join("doc.pdf");
    std::fs::write(&input, pdf).map_err(|e| DocError::Pdf(format!("无法写入预览文件：{e}")))?;
    let status = Command::new("pdftoppm")
        .arg("-png")
        .arg("-r")
        .arg(dpi.to_string())
        .arg(&input)
        .arg(dir.join("page"))
        .status()
        .map_err(|e| {
            DocError::Pdf(format!(
                "无法生成预览：找不到 pdftoppm（请安装 poppler-utils），或可用“在系统查看器中打开”：{e}"
            ))
        })?;
    if !status.success() {
        return Err(DocError::Pdf(
            "生成预览失败：pdftoppm 未能读取该文书".to_owned(),
        ));
    }
    let mut pages: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| DocError::Pdf(format!("无法读取预览：{e}")))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .collect();
    // pdftoppm pads page numbers to the same width, so names sort in page order.
    pages.sort();
    pages
        .iter()
        .map(|p| std::fs::read(p).map_err(|e| DocError::Pdf(format!("无法读取预览页：{e}"))))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn garbage_is_a_clear_error_not_a_panic() {
        match super::png_pages(b"not a pdf", 30) {
            Ok(pages) => assert!(pages.is_empty()),
            Err(e) => assert!(e.to_string().contains("预览"), "{e}"),
        }
    }
}
