//! Markdown rendered as plain terminal text, for `plimsoll rules explain`: the rules' docs are
//! written in Markdown (they also make `docs/rules.md`), and raw `###`, `*…*` and fences are
//! noise in a terminal. Headings become lines of their own, paragraphs and list items are
//! wrapped to the width with hanging indents, code blocks are indented and never wrapped (a
//! Dockerfile line must stay copyable), and styles (bold headings, highlighted code) are added
//! only when colour is on — without colour inline code keeps its backticks, so it still stands
//! out.
//!
//! Parsing is pulldown-cmark's (CommonMark), wrapping textwrap's (which skips ANSI escapes when
//! measuring); only the mapping from Markdown blocks to indented text is written here.

use anstyle::{AnsiColor, Color, Style};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// Body text sits this far right of the headings, as in a man page.
const BODY_INDENT: usize = 2;
/// Code blocks sit this far right of the body.
const CODE_INDENT: usize = 4;

/// How to render: the line width and whether to use ANSI styles.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub width: usize,
    pub color: bool,
}

/// Renders a Markdown document as terminal text ending in one newline.
pub fn render(markdown: &str, options: Options) -> String {
    let mut renderer = Renderer::new(options);
    for event in Parser::new(markdown) {
        renderer.event(event);
    }
    renderer.finish()
}

struct Renderer {
    options: Options,
    out: String,
    /// The inline text of the block being read (a paragraph, a heading, a tight list item).
    inline: String,
    /// The open lists: `None` for bullets, `Some(next number)` for ordered lists.
    lists: Vec<Option<u64>>,
    /// The marker of a list item whose first line is not written yet (`- `, `3. `).
    pending_marker: Option<String>,
    heading: Option<HeadingLevel>,
    code_block: Option<String>,
    /// A blank line goes before the next block.
    blank_before_next: bool,
}

impl Renderer {
    fn new(options: Options) -> Self {
        Renderer {
            options,
            out: String::new(),
            inline: String::new(),
            lists: Vec::new(),
            pending_marker: None,
            heading: None,
            code_block: None,
            blank_before_next: false,
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => match &mut self.code_block {
                Some(code) => code.push_str(&text),
                None => self.inline.push_str(&text),
            },
            Event::Code(code) => {
                let code = if self.options.color {
                    styled(&code, code_style())
                } else {
                    format!("`{code}`")
                };
                self.inline.push_str(&code);
            }
            Event::SoftBreak => self.inline.push(' '),
            Event::HardBreak => self.inline.push('\n'),
            Event::Html(html) | Event::InlineHtml(html) => self.inline.push_str(&html),
            Event::Rule => {
                self.flush_inline();
                self.start_block();
                let rule = "─".repeat(self.options.width.saturating_sub(BODY_INDENT).min(40));
                self.out
                    .push_str(&format!("{}{rule}\n", indent(BODY_INDENT)));
                self.blank_before_next = true;
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.flush_inline();
                self.heading = Some(level);
            }
            Tag::CodeBlock(_) => {
                self.flush_inline();
                self.code_block = Some(String::new());
            }
            Tag::List(start) => {
                self.flush_inline();
                if self.lists.is_empty() {
                    self.start_block();
                }
                self.lists.push(start);
            }
            Tag::Item => {
                self.flush_inline();
                let marker = match self.lists.last_mut() {
                    Some(Some(number)) => {
                        let marker = format!("{number}. ");
                        *number += 1;
                        marker
                    }
                    _ => "- ".to_string(),
                };
                self.pending_marker = Some(marker);
            }
            Tag::Emphasis if self.options.color => self.inline.push_str(&open(italic())),
            Tag::Strong if self.options.color => self.inline.push_str(&open(bold())),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => {
                let level = self.heading.take();
                let text = std::mem::take(&mut self.inline);
                self.start_block();
                let text = text.trim();
                let line = if self.options.color {
                    let style = match level {
                        Some(HeadingLevel::H1 | HeadingLevel::H2) => bold().underline(),
                        _ => bold(),
                    };
                    styled(text, style)
                } else {
                    text.to_string()
                };
                self.out.push_str(&line);
                self.out.push('\n');
                self.blank_before_next = true;
            }
            TagEnd::Paragraph => {
                self.flush_inline();
                self.blank_before_next = true;
            }
            TagEnd::CodeBlock => {
                if let Some(code) = self.code_block.take() {
                    self.start_block();
                    let pad = indent(self.body_indent() + CODE_INDENT);
                    for line in code.trim_end_matches('\n').lines() {
                        let line = if self.options.color {
                            styled(line, code_style())
                        } else {
                            line.to_string()
                        };
                        if !line.is_empty() {
                            self.out.push_str(&pad);
                            self.out.push_str(&line);
                        }
                        self.out.push('\n');
                    }
                    self.blank_before_next = true;
                }
            }
            TagEnd::Item => self.flush_inline(),
            TagEnd::List(_) => {
                self.flush_inline();
                self.lists.pop();
                self.blank_before_next = true;
            }
            TagEnd::Emphasis | TagEnd::Strong if self.options.color => {
                self.inline.push_str(&close());
            }
            _ => {}
        }
    }

    /// The indentation of body text at the current list depth.
    fn body_indent(&self) -> usize {
        BODY_INDENT + 2 * self.lists.len()
    }

    /// Writes the blank line that separates blocks, once.
    fn start_block(&mut self) {
        if self.blank_before_next && !self.out.is_empty() {
            self.out.push('\n');
        }
        self.blank_before_next = false;
    }

    /// Wraps and writes the pending inline text: a paragraph, or a list item's text after its
    /// marker with the following lines hanging under the text.
    fn flush_inline(&mut self) {
        let text = std::mem::take(&mut self.inline);
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let depth = self.lists.len();
        let (first, rest) = match self.pending_marker.take() {
            Some(marker) => {
                let base = BODY_INDENT + 2 * depth.saturating_sub(1);
                (
                    format!("{}{marker}", indent(base)),
                    indent(base + marker.chars().count()),
                )
            }
            None => {
                self.start_block();
                (indent(self.body_indent()), indent(self.body_indent()))
            }
        };
        let options = textwrap::Options::new(self.options.width.max(20))
            .initial_indent(&first)
            .subsequent_indent(&rest)
            .break_words(false);
        for line in textwrap::wrap(text, options) {
            self.out.push_str(line.trim_end());
            self.out.push('\n');
        }
    }

    fn finish(mut self) -> String {
        self.flush_inline();
        while self.out.ends_with("\n\n") {
            self.out.pop();
        }
        if !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        self.out
    }
}

fn indent(n: usize) -> String {
    " ".repeat(n)
}

fn bold() -> Style {
    Style::new().bold()
}

fn italic() -> Style {
    Style::new().italic()
}

fn code_style() -> Style {
    Style::new().fg_color(Some(Color::Ansi(AnsiColor::Cyan)))
}

fn open(style: Style) -> String {
    style.render().to_string()
}

fn close() -> String {
    anstyle::Reset.render().to_string()
}

fn styled(text: &str, style: Style) -> String {
    format!("{}{text}{}", style.render(), style.render_reset())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: Options = Options {
        width: 40,
        color: false,
    };

    #[test]
    fn headings_lose_their_hashes_and_body_text_is_indented() {
        let text = render(
            "## DF001 — title\n\n### Why it matters\n\nBecause.\n",
            PLAIN,
        );
        assert_eq!(text, "DF001 — title\n\nWhy it matters\n\n  Because.\n");
    }

    #[test]
    fn paragraphs_wrap_to_the_width_with_inline_code_kept_whole() {
        let text = render(
            "A long sentence that has to wrap somewhere with `--cap-drop=ALL` inside it.",
            PLAIN,
        );
        for line in text.lines() {
            assert!(line.chars().count() <= 40, "too wide: {line:?}");
            assert!(line.starts_with("  "), "not indented: {line:?}");
        }
        assert!(text.contains("`--cap-drop=ALL`"), "{text}");
    }

    #[test]
    fn code_blocks_are_indented_and_never_wrapped() {
        let long = "RUN curl -fsSL https://example.com/a/very/long/path/install.sh | sh";
        let text = render(
            &format!("Fires:\n\n```\nFROM alpine\n\n{long}\n```\n"),
            PLAIN,
        );
        assert!(text.contains(&format!("\n      {long}\n")), "{text}");
        assert!(text.contains("\n      FROM alpine\n\n      RUN"), "{text}");
        assert!(!text.contains("```"), "{text}");
    }

    #[test]
    fn list_items_hang_under_their_marker() {
        let text = render(
            "- one item that is long enough to wrap onto a second line;\n- two\n",
            PLAIN,
        );
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("  - one"), "{text}");
        assert!(lines[1].starts_with("    "), "{text}");
        assert!(lines.last().is_some_and(|l| *l == "  - two"), "{text}");
    }

    #[test]
    fn emphasis_markers_are_dropped_without_colour() {
        let text = render("*name:* `root-user` · **bold**", PLAIN);
        assert_eq!(text, "  name: `root-user` · bold\n");
    }

    #[test]
    fn colour_uses_ansi_styles_only_when_asked() {
        let coloured = render(
            "### How to fix\n\nUse `USER 10001`.",
            Options {
                width: 80,
                color: true,
            },
        );
        assert!(coloured.contains("\u{1b}["), "{coloured:?}");
        assert!(!coloured.contains('`'), "{coloured:?}");
        assert!(!render("### How to fix\n\nUse `USER 10001`.", PLAIN).contains('\u{1b}'));
    }
}
