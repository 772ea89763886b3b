//! Plain-text tables with aligned columns, for reports read in a terminal or a CI log.

use std::fmt::Write as _;

/// A table: a header row and data rows of cells. Columns of numbers (every data cell a
/// number, a percentage or `-`) are right-aligned, text columns left-aligned.
#[derive(Debug, Clone, Default)]
pub struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headings.
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Self {
        Self {
            rows: vec![header.into_iter().map(Into::into).collect()],
        }
    }

    /// Appends a row.
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) -> &mut Self {
        self.rows.push(cells.into_iter().map(Into::into).collect());
        self
    }

    /// Renders with two spaces between columns and `indent` spaces before each line.
    pub fn render(&self, indent: usize) -> String {
        let cols = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0; cols];
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        let numeric: Vec<bool> = (0..cols)
            .map(|i| {
                self.rows[1..]
                    .iter()
                    .all(|row| row.get(i).is_none_or(|c| is_number(c)))
            })
            .collect();
        let mut out = String::new();
        for row in &self.rows {
            let mut line = " ".repeat(indent);
            for (i, width) in widths.iter().enumerate() {
                let cell = row.get(i).map_or("", String::as_str);
                if i > 0 {
                    line.push_str("  ");
                }
                if numeric[i] {
                    let _ = write!(line, "{cell:>width$}");
                } else {
                    let _ = write!(line, "{cell:<width$}");
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// A number, a percentage, or `-` (no value).
fn is_number(cell: &str) -> bool {
    let t = cell.trim_end_matches('%');
    t == "-" || t.parse::<f64>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_columns() {
        let mut t = Table::new(["label", "n", "rate"]);
        t.row(["human", "66", "1.5%"]).row(["fax", "9", "-"]);
        assert_eq!(
            t.render(2),
            "  label   n  rate\n  human  66  1.5%\n  fax     9     -\n"
        );
    }
}
