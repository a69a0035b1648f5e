//! Splitting one CSV line into fields (RFC 4180 quoting, within a line).

/// Splits `line` at commas into `fields` (cleared first). A field in double quotes may
/// hold commas and doubled quotes (`""` for `"`). `None` if a quote is not closed: a
/// quoted field spanning lines is not supported, since ticket logs do not need it.
pub(super) fn split(line: &str, fields: &mut Vec<String>) -> Option<()> {
    fields.clear();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted => {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            }
            '"' if at_start => quoted = true,
            ',' if !quoted => {
                fields.push(std::mem::take(&mut field));
                at_start = true;
                continue;
            }
            c => field.push(c),
        }
        at_start = false;
    }
    if quoted {
        return None;
    }
    fields.push(field);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::split;

    fn fields(line: &str) -> Option<Vec<String>> {
        let mut out = vec!["stale".to_owned()];
        split(line, &mut out).map(|()| out)
    }

    #[test]
    fn plain_and_quoted_fields() {
        assert_eq!(fields("a,b,c").unwrap(), ["a", "b", "c"]);
        assert_eq!(fields("").unwrap(), [""]);
        assert_eq!(fields("a,,").unwrap(), ["a", "", ""]);
        assert_eq!(
            fields(r#""Resolve, then close",x"#).unwrap(),
            ["Resolve, then close", "x"]
        );
        assert_eq!(fields(r#""say ""hi""",2"#).unwrap(), [r#"say "hi""#, "2"]);
        // A quote inside an unquoted field is kept as it is.
        assert_eq!(fields(r#"5"1,2"#).unwrap(), [r#"5"1"#, "2"]);
    }

    #[test]
    fn an_unclosed_quote_is_refused() {
        assert_eq!(fields(r#"a,"b"#), None);
    }
}
