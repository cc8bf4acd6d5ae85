//! The one place SVG text is made safe and short: escaping for text and attribute
//! values, and labels cut to fit. Used by every picture the core draws: the topology
//! diagram (`export`), the fork view (`view::fork`) and the charts (`view::charts`),
//! and by the canvas for the labels it cuts.
//!
//! Invariants: escaped text is always well-formed XML, whatever the input (markup
//! characters escaped, characters XML forbids replaced by U+FFFD); an attribute value
//! is safe inside either quote style; a label never exceeds its character budget, and a
//! cut one ends with an ellipsis.

/// User labels in charts and the fork view are cut (with an ellipsis) past this many
/// characters.
pub const LABEL_CHARS_MAX: usize = 32;

/// Whether XML 1.0 allows the character at all (even escaped, it may not appear).
fn allowed_in_xml(character: char) -> bool {
    matches!(character, '\t' | '\n' | '\r')
        || (character >= ' ' && character != '\u{FFFE}' && character != '\u{FFFF}')
}

/// `text` escaped for character data, or, with `in_attribute`, for a quoted attribute
/// value (quotes and the whitespace that attribute normalization would turn into spaces
/// escaped as well).
fn escape(text: &str, in_attribute: bool) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' if in_attribute => escaped.push_str("&quot;"),
            '\'' if in_attribute => escaped.push_str("&apos;"),
            '\t' if in_attribute => escaped.push_str("&#9;"),
            '\n' if in_attribute => escaped.push_str("&#10;"),
            '\r' if in_attribute => escaped.push_str("&#13;"),
            other if allowed_in_xml(other) => escaped.push(other),
            _ => escaped.push('\u{FFFD}'),
        }
    }
    escaped
}

/// `text` as XML character data: `&`, `<` and `>` escaped; characters XML forbids
/// (most control characters) replaced by U+FFFD, so the result is always well-formed.
pub fn escape_xml_text(text: &str) -> String {
    escape(text, false)
}

/// `text` as a quoted XML attribute value (either quote style): as
/// [`escape_xml_text`], plus both quotes and the whitespace characters that attribute
/// normalization would otherwise turn into spaces. Also safe as character data.
pub fn escape_xml_attribute(text: &str) -> String {
    escape(text, true)
}

/// `text` cut to `chars_max` characters with an ellipsis (labels that must fit a box;
/// the full text goes in a tooltip).
pub fn short_label(text: &str, chars_max: usize) -> String {
    if text.chars().count() <= chars_max {
        text.to_string()
    } else {
        let kept: String = text.chars().take(chars_max.saturating_sub(1)).collect();
        format!("{kept}…")
    }
}

/// User text made fit for a label: control characters (not allowed in XML) become
/// spaces, and it is cut to [`LABEL_CHARS_MAX`] characters. Markup characters are kept:
/// they are escaped when written.
pub fn plain_text(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|character| {
            if character.is_control() {
                ' '
            } else {
                character
            }
        })
        .collect();
    short_label(&cleaned, LABEL_CHARS_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_leaves_no_markup() {
        let hostile = "<script>alert('x')</script> & \"quoted\"";
        assert_eq!(
            escape_xml_text(hostile),
            "&lt;script&gt;alert('x')&lt;/script&gt; &amp; \"quoted\""
        );
        assert_eq!(
            escape_xml_attribute(hostile),
            "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;quoted&quot;"
        );
        assert_eq!(
            escape_xml_text("a\u{0}b\u{1b}c\u{FFFF}"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}"
        );
        assert_eq!(escape_xml_attribute("a\tb\nc"), "a&#9;b&#10;c");
        assert_eq!(escape_xml_text("a\tb\nc"), "a\tb\nc");
        assert_eq!(escape_xml_text("東京 ✓"), "東京 ✓");
    }

    #[test]
    fn labels_are_cut_with_an_ellipsis() {
        assert_eq!(short_label("peer1", 5), "peer1");
        assert_eq!(short_label("peer12", 5), "peer…");
        assert_eq!(plain_text("peer\u{0}1\n"), "peer 1 ");
        let long = "x".repeat(100);
        assert_eq!(plain_text(&long).chars().count(), LABEL_CHARS_MAX);
        assert!(plain_text(&long).ends_with('…'));
        assert_eq!(
            plain_text(&"x".repeat(LABEL_CHARS_MAX)),
            "x".repeat(LABEL_CHARS_MAX)
        );
    }
}
