//! The statistics as files: CSV (UTF-8 with a byte-order mark, for Excel) and XLSX (a sheet per
//! measure, numbers as numbers), one measure or all, each with the filter in words.

use super::{number_text, StatMeasure, StatTable, Statistics};
use crate::{Result, StoreError};

impl Statistics {
    /// The tables to export: one measure, or all.
    fn selected(&self, m: Option<StatMeasure>) -> Result<Vec<&StatTable>> {
        match m {
            None => Ok(self.tables.iter().collect()),
            Some(m) => self
                .table(m)
                .map(|t| vec![t])
                .ok_or_else(|| StoreError::not_found("统计项目", m.as_str())),
        }
    }

    /// CSV in UTF-8 with a byte-order mark, so that Excel shows the Chinese correctly. One
    /// measure: its header row and rows. All: each measure as a section under its title, the
    /// filter in words first.
    pub fn csv(&self, m: Option<StatMeasure>) -> Result<Vec<u8>> {
        let tables = self.selected(m)?;
        let mut out = String::from("\u{feff}");
        if m.is_none() {
            csv_line(&mut out, &[self.description.as_str()]);
            out.push_str("\r\n");
        }
        for (i, t) in tables.iter().enumerate() {
            if m.is_none() {
                if i > 0 {
                    out.push_str("\r\n");
                }
                csv_line(&mut out, &[t.title.as_str(), t.basis.as_str()]);
            }
            let mut header = vec![t.label_header.clone()];
            header.extend(t.columns.iter().cloned());
            let detail = t.rows.iter().any(|r| !r.detail.is_empty());
            if detail {
                header.push("说明".to_owned());
            }
            csv_line(&mut out, &header);
            for r in &t.rows {
                let mut cells = vec![r.label.clone()];
                cells.extend(r.values.iter().map(|v| number_text(*v)));
                if detail {
                    cells.push(r.detail.clone());
                }
                csv_line(&mut out, &cells);
            }
            if !t.note.is_empty() {
                csv_line(&mut out, &[t.note.as_str()]);
            }
        }
        Ok(out.into_bytes())
    }

    /// An XLSX workbook: a first sheet 统计口径 with the filter and what each measure counts, then
    /// one sheet per measure (Chinese headers, numbers as numbers).
    pub fn xlsx(&self, m: Option<StatMeasure>) -> Result<Vec<u8>> {
        use rust_xlsxwriter::{Format, Workbook};
        let tables = self.selected(m)?;
        let err =
            |e: rust_xlsxwriter::XlsxError| StoreError::Export(format!("无法生成 Excel 文件：{e}"));
        let bold = Format::new().set_bold();
        let mut book = Workbook::new();
        {
            let sheet = book.add_worksheet();
            sheet.set_name("统计口径").map_err(err)?;
            sheet.set_column_width(0, 22).map_err(err)?;
            sheet.set_column_width(1, 90).map_err(err)?;
            sheet
                .write_string_with_format(0, 0, "筛选条件", &bold)
                .map_err(err)?;
            sheet.write_string(0, 1, &self.description).map_err(err)?;
            for (i, t) in tables.iter().enumerate() {
                let row = u32::try_from(i + 2).unwrap_or(u32::MAX);
                sheet.write_string(row, 0, &t.title).map_err(err)?;
                sheet.write_string(row, 1, &t.basis).map_err(err)?;
            }
        }
        for t in tables {
            let sheet = book.add_worksheet();
            sheet.set_name(sheet_name(&t.title)).map_err(err)?;
            sheet.set_column_width(0, 28).map_err(err)?;
            sheet
                .write_string_with_format(0, 0, &t.label_header, &bold)
                .map_err(err)?;
            let detail = t.rows.iter().any(|r| !r.detail.is_empty());
            let last_col = u16::try_from(t.columns.len() + 1).unwrap_or(u16::MAX);
            for (j, c) in t.columns.iter().enumerate() {
                let col = u16::try_from(j + 1).unwrap_or(u16::MAX);
                sheet.set_column_width(col, 16).map_err(err)?;
                sheet
                    .write_string_with_format(0, col, c, &bold)
                    .map_err(err)?;
            }
            if detail {
                sheet.set_column_width(last_col, 60).map_err(err)?;
                sheet
                    .write_string_with_format(0, last_col, "说明", &bold)
                    .map_err(err)?;
            }
            for (i, r) in t.rows.iter().enumerate() {
                let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
                sheet.write_string(row, 0, &r.label).map_err(err)?;
                for (j, v) in r.values.iter().enumerate() {
                    let col = u16::try_from(j + 1).unwrap_or(u16::MAX);
                    sheet.write_number(row, col, *v).map_err(err)?;
                }
                if detail && !r.detail.is_empty() {
                    sheet.write_string(row, last_col, &r.detail).map_err(err)?;
                }
            }
            if !t.note.is_empty() {
                let row = u32::try_from(t.rows.len() + 2).unwrap_or(u32::MAX);
                sheet.write_string(row, 0, &t.note).map_err(err)?;
            }
            sheet.set_freeze_panes(1, 0).map_err(err)?;
        }
        book.save_to_buffer().map_err(err)
    }
}

/// A file name for an export: `统计-按承办单位-20261127-1305.csv`.
pub fn export_file_name(m: Option<StatMeasure>, extension: &str, stamp: &str) -> String {
    let what = m.map(|m| m.title()).unwrap_or("全部");
    format!("统计-{what}-{stamp}.{extension}")
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(title: &str) -> String {
    title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect()
}

/// One CSV line (RFC 4180, CRLF). Text a spreadsheet would take for a formula (= + - @) is
/// prefixed with an apostrophe.
fn csv_line<S: AsRef<str>>(out: &mut String, cells: &[S]) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let c = c.as_ref();
        let numeric = c.parse::<f64>().is_ok();
        let mut cell = c.to_owned();
        if !numeric && cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            cell.insert(0, '\'');
        }
        if cell.contains([',', '"', '\n', '\r']) || cell.trim() != cell {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&cell);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let mut s = String::new();
        csv_line(&mut s, &["a,b", "say \"hi\"", "=1+1", "-3", "张三"]);
        assert_eq!(s, "\"a,b\",\"say \"\"hi\"\"\",'=1+1,-3,张三\r\n");
    }

    #[test]
    fn sheet_names_are_excel_safe() {
        assert_eq!(sheet_name("a/b[c]"), "a_b_c_");
        assert_eq!(sheet_name(&"长".repeat(40)).chars().count(), 31);
        for m in StatMeasure::ALL {
            assert!(m.title().chars().count() <= 31);
            assert_eq!(StatMeasure::parse(m.as_str()), Some(m));
        }
    }
}
