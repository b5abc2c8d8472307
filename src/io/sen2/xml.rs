//! Reading the SEN2 person-level XML message into module records. Element names are matched
//! without regard to case; wrapper elements that carry no data (the message root, `Persons`,
//! `CollectionDetails`, `Source`) are passed through. Every problem is located by line, column
//! and element path; malformed XML and text that is not UTF-8 are diagnostics, never panics.

use super::record::{Module, Record, Sen2Return, Value};
use crate::diag::{Code, Diagnostic, Diagnostics, Location, did_you_mean};
use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Elements inside the header that only group its items.
const HEADER_GROUPS: [&str; 2] = ["collectiondetails", "source"];

/// Line and column of increasing byte offsets, counted once over the text.
struct Lines<'t> {
    text: &'t str,
    offset: usize,
    line: usize,
    line_start: usize,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        Lines {
            text,
            offset: 0,
            line: 1,
            line_start: 0,
        }
    }

    fn at(&mut self, start: usize, end: usize) -> Location {
        let start = start.min(self.text.len());
        if start < self.offset {
            let (line, column) = crate::diag::line_col(self.text, start);
            return Location::Text {
                line,
                column,
                span: start..end.max(start),
            };
        }
        for (i, b) in self.text.as_bytes()[self.offset..start].iter().enumerate() {
            if *b == b'\n' {
                self.line += 1;
                self.line_start = self.offset + i + 1;
            }
        }
        self.offset = start;
        let column = self
            .text
            .get(self.line_start..start)
            .map_or(1, |s| s.chars().count() + 1);
        Location::Text {
            line: self.line,
            column,
            span: start..end.max(start),
        }
    }
}

enum Frame {
    /// An element that only groups others.
    Wrapper,
    /// A module record being read, with counts of its child modules so far (for paths).
    Module(Record, [usize; 9]),
    /// An item's text being read.
    Item {
        name: &'static str,
        text: String,
        location: Location,
    },
    /// An element reported as unknown; everything inside it is skipped.
    Skipped,
}

/// Reads the SEN2 XML file `path`.
pub fn read_xml(path: &Path) -> Result<Sen2Return, Diagnostics> {
    let mut diags = Diagnostics::default();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::file(
                Code::Io,
                path,
                format!("cannot read the SEN2 file: {e}"),
            ));
            return Err(diags);
        }
    };
    parse_xml(path, &bytes)
}

/// Parses SEN2 XML held in memory (`path` names it in diagnostics).
pub fn parse_xml(path: &Path, bytes: &[u8]) -> Result<Sen2Return, Diagnostics> {
    let mut diags = Diagnostics::default();
    let Some(text) = utf8_text(path, bytes, &mut diags) else {
        return Err(diags);
    };
    let mut reader = Reader::from_str(text);
    let mut parse = Parse {
        file: Arc::new(path.to_path_buf()),
        text,
        lines: Lines::new(text),
        stack: Vec::new(),
        out: Sen2Return::default(),
        persons: 0,
        fatal: false,
        diags,
    };
    loop {
        let before = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                parse.fatal = true;
                let at = reader.error_position() as usize;
                parse.diags.push(
                    Diagnostic::file(Code::WrongType, &parse.file, format!("malformed XML: {e}"))
                        .at(parse.lines.at(at, at + 1))
                        .field(path_of(&parse.stack))
                        .expected("well-formed XML"),
                );
                break;
            }
        };
        let after = reader.buffer_position() as usize;
        if !parse.event(event, before, after) {
            break;
        }
    }
    let Parse {
        mut out,
        fatal,
        mut diags,
        ..
    } = parse;
    // A file that could not be read to its end is not imported at all; anything else found
    // is reported with what the import finds.
    if fatal {
        diags.sort();
        return Err(diags);
    }
    out.diagnostics = diags;
    Ok(out)
}

/// The file's text without a byte-order mark, or a located diagnostic at the first byte that
/// is not UTF-8.
fn utf8_text<'b>(path: &Path, bytes: &'b [u8], diags: &mut Diagnostics) -> Option<&'b str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(t) => Some(t),
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
            let (line, column) = crate::diag::line_col(valid, valid.len());
            diags.push(
                Diagnostic::file(Code::Io, path, "the file is not UTF-8 text")
                    .at(Location::Text {
                        line,
                        column,
                        span: e.valid_up_to()..e.valid_up_to() + 1,
                    })
                    .expected("XML encoded as UTF-8")
                    .found(format!("the byte 0x{:02X}", bytes[e.valid_up_to()])),
            );
            None
        }
    }
}

/// A parse under way: the elements open, the records read, and what was found wrong
/// (`fatal` when the file cannot be read to its end).
struct Parse<'t> {
    file: Arc<PathBuf>,
    text: &'t str,
    lines: Lines<'t>,
    stack: Vec<Frame>,
    out: Sen2Return,
    persons: usize,
    fatal: bool,
    diags: Diagnostics,
}

impl Parse<'_> {
    /// Takes in one XML event found between the byte offsets `before` and `after`; `false` at
    /// the end of the file.
    fn event(&mut self, event: Event<'_>, before: usize, after: usize) -> bool {
        match event {
            Event::Start(e) => {
                let frame = self.open(&e, before, after);
                self.stack.push(frame);
            }
            Event::Empty(e) => {
                let frame = self.open(&e, before, after);
                close(frame, &mut self.stack, &mut self.out);
            }
            Event::End(_) => match self.stack.pop() {
                Some(frame) => close(frame, &mut self.stack, &mut self.out),
                None => return false,
            },
            Event::Text(t) => {
                if let Some(Frame::Item { text, .. }) = self.stack.last_mut() {
                    text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(Frame::Item { text, .. }) = self.stack.last_mut() {
                    text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => self.entity(r, before, after),
            Event::Eof => {
                if !self.stack.is_empty() {
                    self.fatal = true;
                    let end = self.text.len();
                    self.diags.push(
                        Diagnostic::file(
                            Code::WrongType,
                            &self.file,
                            "malformed XML: the file ends inside an element",
                        )
                        .at(self.lines.at(end, end))
                        .field(path_of(&self.stack))
                        .expected("every element closed"),
                    );
                }
                return false;
            }
            _ => {}
        }
        true
    }

    /// The frame an element opens, located between the byte offsets `before` and `after`.
    fn open(&mut self, e: &BytesStart<'_>, before: usize, after: usize) -> Frame {
        let name = e.local_name().as_ref().to_string();
        let location = self.lines.at(before, after);
        open(
            &name,
            location,
            &self.file,
            &mut self.stack,
            &mut self.diags,
            &mut self.persons,
        )
    }

    /// Adds the character an entity or character reference stands for to the item being read,
    /// or reports an unknown entity.
    fn entity(&mut self, r: BytesRef<'_>, before: usize, after: usize) {
        let resolved = match r.resolve_char_ref() {
            Ok(Some(c)) => Some(c),
            Ok(None) => match &*r {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => None,
            },
            Err(_) => None,
        };
        match resolved {
            Some(c) => {
                if let Some(Frame::Item { text, .. }) = self.stack.last_mut() {
                    text.push(c);
                }
            }
            None => {
                self.fatal = true;
                self.diags.push(
                    Diagnostic::file(
                        Code::WrongType,
                        &self.file,
                        format!("unknown entity `&{};`", &*r),
                    )
                    .at(self.lines.at(before, after))
                    .field(path_of(&self.stack))
                    .expected("&amp; &lt; &gt; &quot; &apos; or a character reference"),
                );
            }
        }
    }
}

/// The element path of the innermost record on the stack.
fn path_of(stack: &[Frame]) -> String {
    stack
        .iter()
        .rev()
        .find_map(|f| match f {
            Frame::Module(r, _) => Some(r.path.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

fn open(
    name: &str,
    location: Location,
    file: &Arc<PathBuf>,
    stack: &mut [Frame],
    diags: &mut Diagnostics,
    persons: &mut usize,
) -> Frame {
    if matches!(stack.last(), Some(Frame::Skipped)) {
        return Frame::Skipped;
    }
    if let Some(Frame::Item { name: item, .. }) = stack.last() {
        diags.push(
            Diagnostic::file(
                Code::WrongType,
                file,
                format!("element `{name}` inside the item `{item}`"),
            )
            .at(location)
            .field(path_of(stack))
            .expected("text"),
        );
        return Frame::Skipped;
    }
    let current = stack.iter_mut().rev().find_map(|f| match f {
        Frame::Module(r, counts) => Some((r, counts)),
        _ => None,
    });
    if let Some(module) = Module::named(name) {
        let parent = current.as_ref().map(|(r, _)| r.module);
        if module.parent() != parent {
            let want = module
                .parent()
                .map_or("the message (not inside a module)".to_string(), |p| {
                    format!("`{}`", p.xml_name())
                });
            diags.push(
                Diagnostic::file(
                    Code::UnknownField,
                    file,
                    format!("`{}` is not allowed here", module.xml_name()),
                )
                .at(location)
                .field(path_of(stack))
                .expected(format!("`{}` inside {want}", module.xml_name())),
            );
            return Frame::Skipped;
        }
        let path = match current {
            Some((r, counts)) => {
                counts[module as usize] += 1;
                format!(
                    "{}/{}[{}]",
                    r.path,
                    module.xml_name(),
                    counts[module as usize]
                )
            }
            None if module == Module::Person => {
                *persons += 1;
                format!("Person[{persons}]")
            }
            None => module.xml_name().to_string(),
        };
        return Frame::Module(
            Record {
                module,
                file: file.clone(),
                location,
                path,
                items: Vec::new(),
                children: Vec::new(),
            },
            [0; 9],
        );
    }
    match current {
        None => Frame::Wrapper,
        Some((r, _)) => {
            if let Some(item) = r.module.item(name) {
                return Frame::Item {
                    name: item,
                    text: String::new(),
                    location,
                };
            }
            if r.module == Module::Header
                && HEADER_GROUPS.contains(&name.to_ascii_lowercase().as_str())
            {
                return Frame::Wrapper;
            }
            let children: Vec<&str> = Module::ALL
                .iter()
                .filter(|m| m.parent() == Some(r.module))
                .map(|m| m.xml_name())
                .collect();
            let known: Vec<&str> = r.module.items().iter().copied().chain(children).collect();
            diags.push(
                Diagnostic::file(
                    Code::UnknownField,
                    file,
                    format!("unknown element `{name}` in `{}`", r.module.xml_name()),
                )
                .at(location)
                .field(r.path.clone())
                .expected(format!("one of: {}", known.join(", ")))
                .help(did_you_mean(name, known.iter().copied())),
            );
            Frame::Skipped
        }
    }
}

fn close(frame: Frame, stack: &mut [Frame], out: &mut Sen2Return) {
    match frame {
        Frame::Item {
            name,
            text,
            location,
        } => {
            if let Some(Frame::Module(r, _)) = stack
                .iter_mut()
                .rev()
                .find(|f| matches!(f, Frame::Module(..)))
            {
                r.items.push((
                    name,
                    Value {
                        text: text.trim().to_string(),
                        location,
                    },
                ));
            }
        }
        Frame::Module(record, _) => {
            match stack
                .iter_mut()
                .rev()
                .find(|f| matches!(f, Frame::Module(..)))
            {
                Some(Frame::Module(parent, _)) => parent.children.push(record),
                _ if record.module == Module::Header => out.header = Some(record),
                _ => out.persons.push(record),
            }
        }
        Frame::Wrapper | Frame::Skipped => {}
    }
}
